"""What `rk.cache` tells the user: the function, the parameter, and what to do about it."""

from __future__ import annotations

import warnings
from typing import Any

from ..fingerprint.deps import UnhashableGlobalError  # noqa: F401 - raised by the dependency walk, shown here
from ..fingerprint.hashing import full_name, qualified_name


class UnhashableParamError(TypeError):
    """An argument of a cached function that can't be hashed, so no key can be made."""

    def __init__(self, function: str, parameter: str, value: Any, reason: BaseException) -> None:
        self.function = function
        self.parameter = parameter
        self.type = type(value)
        type_name = qualified_name(self.type)
        bare = parameter.lstrip("*")
        super().__init__(
            f"Cannot hash argument '{parameter}' (of type {type_name}) in {function}(): "
            f"{reason}\n"
            f"rk.cache hashes every argument to find the cached result. To fix this, either\n"
            f"  - leave it out of the key by giving the parameter a leading underscore: "
            f"def {function}(..., _{bare}, ...); the cache then ignores its value, or\n"
            f"  - tell rk.cache how to hash it: @rk.cache(hash_funcs={{{type_name}: "
            f"lambda value: ...}}), returning something hashable that changes whenever the "
            f"value does (a version, a file path, a query string)."
        )


class HashFuncError(TypeError):
    """A function given in `hash_funcs` raised while a cached call was being keyed."""

    def __init__(self, function: str, hash_func: Any, cls: type, error: BaseException) -> None:
        self.function = function
        self.hash_func = hash_func
        self.type = cls
        name = getattr(hash_func, "__qualname__", None) or repr(hash_func)
        super().__init__(
            f"The hash func {name} given for {full_name(cls)} in hash_funcs of {function}() "
            f"raised {type(error).__name__}: {error}\n"
            f"It is called with each {full_name(cls)} value {function}() gets or reads, and "
            f"must return something that changes whenever that value does."
        )


def unsupported(call: str, name: str, value: Any, hint: str) -> NotImplementedError:
    """The error for a Streamlit option the cache can't honour (same form as the elements')."""
    return NotImplementedError(f"rk.{call}({name}={value!r}) is not supported: {hint}")


class CachedObjectMutationWarning(UserWarning):
    """A cached result was changed in place after it was stored, so later hits share it."""


def mutation_message(function: str) -> str:
    return (
        f"{function}() returned its cached result, but that object was changed after it was "
        f"cached: whatever modified it also modified the cache, so this call and later ones "
        f"get the modified object, not what {function}() computed. Copy the result before "
        f"changing it (e.g. `value = {function}(...).copy()`), or, if sharing one mutable "
        f"object is what you want, use @rk.cache(allow_output_mutation=True)."
    )


# Every mutated hit is worth a warning, not just the first one from each line of code.
warnings.filterwarnings("always", category=CachedObjectMutationWarning)
