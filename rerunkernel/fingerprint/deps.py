"""What a cached result depends on besides the arguments: the code, and what the code reads.

The digest covers the function's code (bytecode, constants and nested code, names,
defaults; never line numbers, so an edit to a comment or to the layout keeps the entries)
and every global the bytecode loads: a function written by the user (in the notebook, the
script, or a module under the working directory) by its own code and globals, recursively
and cycle-safe; a class written by the user by its methods and attributes; a third-party
module, function or class by name and version; anything else by content. So editing a
helper that a cached function calls recomputes, and so does changing a global it reads.

A global can change between any two calls, so the check runs on every call and has to be
cheap. A `Snapshot` remembers where each dependency was read (a globals dict and a name, a
closure cell) and which object was there. For a value that can't change in place (a number,
a string, a tuple of those, a class, a module, a function, whose own dependencies are in the
snapshot too) finding the same object is proof enough: one dict lookup. A mutable value (a
list, a dict, an array, a DataFrame) is rehashed by content on every call: exact, at the
price of hashing it, which is what passing it as an argument costs too. When that is too
slow for a big global, pass it as an argument named `_x` (not hashed) or give its type a
`hash_funcs` entry. That rehash sees functions inside the value by identity: their code is
covered by the snapshot's own probes, so a check never walks code again.

A global is hashed by every part that can be hashed: a dict holding a lock next to data, or
an object with a connection attribute, is hashed by its data, with the lock or connection
counted as itself (see `Hasher.lenient`). A global that can't be hashed at all (a generator,
whose value is how far it was consumed) is an error naming it and the fix.

A function that wraps another (`functools.wraps`, `functools.lru_cache`) depends on the
function in its `__wrapped__` too, whatever the wrapper's own code does with it. Installed
functions count by name and version, except lambdas and closures made by installed code:
those share a name and a code object, so their defaults and closure values count too.
New attributes matter as much as changed ones: a class's set of names is checked (a
subclass attribute added later shadows its base's), and so are the names a project module
did not have yet.

A function's code, defaults and closure cells are read once per function object, as Python
treats them as fixed: a redefinition is a new object and is analysed again, but assigning to
`__code__` or `__defaults__` of a live function is not noticed (reading those on every call
would be slow, too: each read is an audit event). A closure cell that is rebound
(`nonlocal`) is noticed. An object that can't be hashed at all (a connection, a lock) counts
by identity: the entry holds while the same object is in that global.
"""

from __future__ import annotations

import builtins
import dis
import enum
import functools
import importlib.metadata
import operator
import os
import sys
import threading
import types
import weakref
from typing import Any, Iterator

from .hashing import (
    Hasher,
    HashFuncs,
    UnhashableTypeError,
    is_immutable,
    qualified_name,
    set_user_class_test,
)
from .hashing import register as register_handler
from .project import is_project_file


class UnhashableGlobalError(UnhashableTypeError):
    """A global (or closure value) the cached code reads that can't be hashed at all."""

    def __init__(self, function: str, name: str, value: Any, reason: BaseException | str) -> None:
        self.function = function
        self.name = name
        type_name = qualified_name(type(value))
        super().__init__(value, reason)
        self.args = (
            f"Cannot hash {name!r} (of type {type_name}), which {function}() reads: {reason}\n"
            f"rk.cache hashes every value a cached function reads, so that a change to it "
            f"recomputes. To fix this, either\n"
            f"  - pass it to the function as an argument with a leading underscore "
            f"(def {function.rsplit('.', 1)[-1]}(..., _{name}, ...)); the cache then "
            f"ignores it, or\n"
            f"  - tell rk.cache how to hash it: @rk.cache(hash_funcs={{{type_name}: "
            f"lambda value: ...}}).",
        )

    def __str__(self) -> str:
        return str(self.args[0])


_OWN_PACKAGE = __name__.split(".")[0]
_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_NAME", "LOAD_FROM_DICT_OR_GLOBALS"})
_cell_contents = operator.attrgetter("cell_contents")
_CLASS_SKIP = frozenset({"__dict__", "__weakref__", "__module__", "__qualname__", "__doc__"})

# --- code ------------------------------------------------------------------------------

_code_keys: weakref.WeakKeyDictionary[types.CodeType, bytes] = weakref.WeakKeyDictionary()
_code_names: weakref.WeakKeyDictionary[types.CodeType, tuple[tuple[str, ...], frozenset[str]]]
_code_names = weakref.WeakKeyDictionary()


def code_key(code: types.CodeType) -> bytes:
    """The digest of what a code object does: everything except where it sits in a file."""
    key = _code_keys.get(code)
    if key is None:
        h = Hasher()
        h.update(code.co_code)
        h.add((
            code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_flags,
            code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars,
            getattr(code, "co_exceptiontable", b""), code.co_consts,
        ))
        key = _code_keys[code] = h.digest()
    return key


def _hash_code(h: Hasher, code: types.CodeType) -> None:
    h.update(code_key(code))


def code_names(code: types.CodeType) -> tuple[tuple[str, ...], frozenset[str]]:
    """Globals loaded (in first-use order) and all attribute names, nested code included."""
    found = _code_names.get(code)
    if found is None:
        loads = dict.fromkeys(
            ins.argval for ins in dis.get_instructions(code) if ins.opname in _LOADS
        )
        attributes = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                inner_loads, inner_attributes = code_names(const)
                loads.update(dict.fromkeys(inner_loads))
                attributes |= inner_attributes
        found = _code_names[code] = (tuple(loads), frozenset(attributes))
    return found


# --- whose code is it -------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _is_project_file(filename: str, cwd: str) -> bool:
    return filename.startswith("<") or is_project_file(filename, (cwd,))


def _is_user_module_name(name: str | None, filename: str | None) -> bool:
    """`__main__`, or a module whose file is in the project (under cwd, not installed)."""
    if name == "__main__":
        return True
    if name and name.split(".")[0] == _OWN_PACKAGE:
        return False
    module = sys.modules.get(name) if name else None
    path = getattr(module, "__file__", None) or filename
    if path is None:
        return module is None
    return _is_project_file(path, os.getcwd())


def is_user_function(fn: types.FunctionType) -> bool:
    return _is_user_module_name(fn.__module__, fn.__code__.co_filename)


def _is_user_module(module: types.ModuleType) -> bool:
    return _is_user_module_name(module.__name__, None)


def _is_user_class(cls: type) -> bool:
    return _is_user_module_name(cls.__module__, None)


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


@functools.cache
def module_version(top: str) -> str:
    """A third-party module is keyed by its version: an upgrade recomputes."""
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return sys.version
    version = getattr(sys.modules.get(top), "__version__", None)
    if isinstance(version, str):
        return version
    for dist in _distributions().get(top, ()):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return ""


def _external(h: Hasher, module: str | None, name: str) -> None:
    top = (module or "").split(".")[0]
    h.update(f"ext:{module}:{name}@{module_version(top)}".encode("utf-8", "surrogatepass"))


def _made_at_runtime(fn: types.FunctionType) -> bool:
    """A lambda or a closure: many functions share its name, told apart by their values."""
    return "<lambda>" in fn.__qualname__ or "<locals>" in fn.__qualname__


# --- analysis ---------------------------------------------------------------------------


class _State(threading.local):
    analysis: Analysis | None = None


_state = _State()


class Analysis:
    """One walk over a function's code and dependencies, writing its digest into `h`.

    Handlers for functions, classes and modules met inside values (a dict of callbacks, a
    `functools.partial`) join the walk in progress, so a cycle through values is seen as one.
    """

    def __init__(self, h: Hasher) -> None:
        self.h = h
        self.seen: dict[int, int] = {}
        self.items: dict[tuple[int, str], tuple[Any, str, Any]] = {}
        self.cells: list[tuple[Any, Any]] = []
        self.absent: dict[int, tuple[Any, set[str]]] = {}
        self.keysets: list[tuple[Any, frozenset[str]]] = []
        self.empty_cells: list[Any] = []
        self.mutable: list[tuple[Any, bytes]] = []
        self.keep: list[Any] = []

    def snapshot(self) -> Snapshot:
        absent = [(c, frozenset(n)) for c, n in self.absent.values()]
        return Snapshot(self.h.digest(), list(self.items.values()), self.cells, absent,
                        self.keysets, self.empty_cells, self.mutable, self.h.hash_funcs,
                        self.keep + self.h.kept)

    def _first_visit(self, obj: Any) -> bool:
        index = self.seen.get(id(obj))
        if index is not None:
            self.h.update(b"^" + index.to_bytes(8, "little"))
            return False
        self.seen[id(obj)] = len(self.seen)
        return True

    def value(self, value: Any) -> None:
        """Hash a value the code depends on into the digest, leniently (see Hasher)."""
        lenient, self.h.lenient = self.h.lenient, True
        try:
            self.h.add(value)
        finally:
            self.h.lenient = lenient

    def dependency(self, value: Any, attributes: frozenset[str] = frozenset()) -> None:
        """A value the code reads: stable ones are checked by identity, the rest by content."""
        if isinstance(value, types.ModuleType):
            self.module(value, attributes)
        elif is_stable(value):
            self.value(value)
        else:
            check = Hasher(self.h.hash_funcs, shallow=True, lenient=True)
            check.add(value)
            self.keep.extend(check.kept)
            if check.saw_code:
                self.value(value)
            else:
                self.h.update(check.digest())
            self.mutable.append((value, check.digest()))

    def _read(self, container: Any, name: str) -> Any:
        value = container[name]
        self.items[(id(container), name)] = (container, name, value)
        return value

    def _absent(self, container: Any, name: str) -> None:
        self.absent.setdefault(id(container), (container, set()))[1].add(name)

    def function(self, fn: types.FunctionType) -> None:
        self.keep.append(fn)
        wrapped = fn.__dict__.get("__wrapped__")
        if wrapped is not None:
            self.h.update(b"wraps")
            self.dependency(wrapped)
            if "_rk_cached" in fn.__dict__:
                return  # another cached function: its own code is the cache's, not the user's
        if not is_user_function(fn):
            _external(self.h, fn.__module__, fn.__qualname__)
            if _made_at_runtime(fn) and self._first_visit(fn):
                self._defaults_and_closure(fn)
            return
        if not self._first_visit(fn):
            return
        code = fn.__code__
        self.h.update(code_key(code))
        self._defaults_and_closure(fn)
        loads, attributes = code_names(code)
        namespace = fn.__globals__
        fallback = namespace.get("__builtins__", builtins)
        if isinstance(fallback, types.ModuleType):
            fallback = fallback.__dict__
        for name in loads:
            self.h.add_name(name)
            try:
                if name in namespace:
                    self.dependency(self._read(namespace, name), attributes)
                    continue
                self._absent(namespace, name)
                if name in fallback:
                    self.dependency(self._read(fallback, name), attributes)
                else:
                    self._absent(fallback, name)
                    self.h.update(b"<undefined>")
            except UnhashableGlobalError:
                raise
            except UnhashableTypeError as exc:
                raise UnhashableGlobalError(fn.__qualname__, name, exc.value,
                                            exc.reason) from exc

    def _defaults_and_closure(self, fn: types.FunctionType) -> None:
        # `or`: a function without defaults has None there, which is not one of its values
        self.value(fn.__defaults__ or ())
        self.value(fn.__kwdefaults__ or {})
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=True):
            self.h.add_name(name)
            try:
                content = cell.cell_contents
            except ValueError:
                self.empty_cells.append(cell)
                self.h.update(b"<empty cell>")
                continue
            self.cells.append((cell, content))
            self.dependency(content)

    def klass(self, cls: type) -> None:
        self.keep.append(cls)
        if not _is_user_class(cls):
            _external(self.h, cls.__module__, cls.__qualname__)
            return
        if not self._first_visit(cls):
            return
        self.h.add_name(cls.__qualname__)
        for base in cls.__bases__:
            self.value(base)
        namespace = cls.__dict__
        # an attribute added later may shadow a base class's: the set of names is checked
        self.keysets.append((namespace, frozenset(namespace)))
        for name in sorted(namespace):
            member = namespace[name]
            if name in _CLASS_SKIP or (
                name.startswith("__") and name.endswith("__") and not _is_code_member(member)
            ):
                continue
            self._read(namespace, name)
            self.h.add_name(name)
            for part in _code_parts(member):
                self.dependency(part)

    def module(self, module: types.ModuleType, attributes: frozenset[str]) -> None:
        """A project module by the attributes the code reads from it (`helpers.load`)."""
        self.keep.append(module)
        if not _is_user_module(module):
            _external(self.h, module.__name__, "")
            return
        self.h.update(f"module:{module.__name__}".encode())
        if not self._first_visit(module):
            return
        namespace = module.__dict__
        for name in sorted(attributes.intersection(namespace)):
            self.h.add_name(name)
            self.dependency(self._read(namespace, name), attributes)
        for name in attributes.difference(namespace):
            self._absent(namespace, name)


def _is_code_member(member: Any) -> bool:
    return isinstance(member, (types.FunctionType, staticmethod, classmethod, property))


def _code_parts(member: Any) -> tuple[Any, ...]:
    if isinstance(member, (staticmethod, classmethod)):
        return (member.__func__,)
    if isinstance(member, property):
        return (member.fget, member.fset, member.fdel)
    return (member,)


class Snapshot:
    """A dependency digest and how to tell, cheaply, that it still holds.

    The identity probes are kept as parallel tuples so that checking them is a few C-level
    `map` calls rather than a Python loop: most hits pay only for those.
    """

    __slots__ = ("digest", "_items", "_item_values", "_cells", "_cell_values", "_absent",
                 "_keysets", "_empty_cells", "_mutable", "_hash_funcs", "_keep")

    def __init__(self, digest: bytes, items: list[tuple[Any, str, Any]],
                 cells: list[tuple[Any, Any]], absent: list[tuple[Any, frozenset[str]]],
                 keysets: list[tuple[Any, frozenset[str]]],
                 empty_cells: list[Any], mutable: list[tuple[Any, bytes]],
                 hash_funcs: HashFuncs | None, keep: list[Any]) -> None:
        self.digest = digest
        self._items = (tuple(c for c, _, _ in items), tuple(n for _, n, _ in items))
        self._item_values = tuple(v for _, _, v in items)
        self._cells = tuple(c for c, _ in cells)
        self._cell_values = tuple(v for _, v in cells)
        self._absent = tuple(absent)
        self._keysets = tuple(keysets)
        self._empty_cells = tuple(empty_cells)
        self._mutable = tuple(mutable)
        self._hash_funcs = hash_funcs
        # what the digest saw by identity stays alive, so its id can't be reused
        self._keep = tuple(keep)

    def still_valid(self) -> bool:
        try:
            if not all(map(operator.is_, map(operator.getitem, *self._items), self._item_values)):
                return False
            if self._cells and not all(
                map(operator.is_, map(_cell_contents, self._cells), self._cell_values)
            ):
                return False
        except (KeyError, ValueError):
            return False
        for container, names in self._absent:
            if not container.keys().isdisjoint(names):
                return False
        for container, names in self._keysets:
            if container.keys() != names:
                return False
        for cell in self._empty_cells:
            try:
                _cell_contents(cell)
            except ValueError:
                continue
            return False
        for value, check in self._mutable:
            hasher = Hasher(self._hash_funcs, shallow=True, lenient=True)
            try:
                hasher.add(value)
            except UnhashableTypeError:
                return False
            if hasher.digest() != check:
                return False
        return True

    def values(self) -> Iterator[Any]:
        """Every global and closure value the code read (files they name are inputs too)."""
        yield from self._item_values
        yield from self._cell_values


def snapshot(fn: types.FunctionType, hash_funcs: HashFuncs | None = None) -> Snapshot:
    """Analyse a function now: its dependency digest plus the probes to re-check it."""
    analysis = Analysis(Hasher(hash_funcs, lenient=True))
    previous, _state.analysis = _state.analysis, analysis
    try:
        analysis.function(fn)
    finally:
        _state.analysis = previous
    return analysis.snapshot()


# --- functions, classes and modules as values -------------------------------------------

_wrapper_types: tuple[type, ...] = ()


def is_stable(value: Any) -> bool:
    """Identity stands for content: immutable, or code whose dependencies are probed."""
    return isinstance(value, _STABLE + _wrapper_types) or is_immutable(value) or (
        isinstance(value, types.BuiltinFunctionType)
        and isinstance(value.__self__, (types.ModuleType, type(None), type))
    )


def _with_analysis(h: Hasher, walk: Any, value: Any) -> None:
    """Walk code inside the current analysis, or a new one (an argument that is a function)."""
    h.saw_code = True
    if h.shallow:
        h.update(f"id:{id(value)}".encode())
        return
    analysis = _state.analysis
    if analysis is not None and analysis.h is h:
        walk(analysis, value)
        return
    previous, _state.analysis = _state.analysis, Analysis(h)
    try:
        walk(_state.analysis, value)
    finally:
        _state.analysis = previous


def _hash_function(h: Hasher, fn: types.FunctionType) -> None:
    _with_analysis(h, Analysis.function, fn)


def _hash_class(h: Hasher, cls: type) -> None:
    if cls.__module__ == "builtins":
        h.update(cls.__qualname__.encode())
    else:
        _with_analysis(h, Analysis.klass, cls)


def _hash_module(h: Hasher, module: types.ModuleType) -> None:
    _with_analysis(h, lambda analysis, m: analysis.module(m, frozenset()), module)


def _hash_builtin(h: Hasher, fn: types.BuiltinFunctionType) -> None:
    owner = fn.__self__
    if isinstance(owner, (types.ModuleType, type(None))):
        _external(h, fn.__module__, fn.__qualname__)
    else:
        h.update(fn.__name__.encode())
        h.add(owner)


def _hash_method(h: Hasher, method: types.MethodType) -> None:
    h.add(method.__func__)
    h.add(method.__self__)


def _hash_wrapper(h: Hasher, wrapper: Any) -> None:
    h.add(wrapper.__wrapped__)


def register_wrapper(cls: type) -> None:
    """A decorator's wrapper type that stands for the function in its `__wrapped__`."""
    global _wrapper_types
    _wrapper_types = (*_wrapper_types, cls)
    register_handler(cls, _hash_wrapper)


_STABLE = (types.FunctionType, type, types.CodeType, enum.Enum)

register_wrapper(functools._lru_cache_wrapper)
set_user_class_test(_is_user_class)

register_handler(types.CodeType, _hash_code)
register_handler(types.FunctionType, _hash_function)
register_handler(type, _hash_class)
register_handler(types.ModuleType, _hash_module)
register_handler(types.BuiltinFunctionType, _hash_builtin)
register_handler(types.MethodType, _hash_method)
