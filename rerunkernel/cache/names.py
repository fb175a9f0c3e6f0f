"""Streamlit's cache decorators, `cache_data` and `cache_resource`, on top of `rk.cache`.

Both keep `rk.cache`'s exact keys (code, dependencies, files read, arguments); they differ
in what a call returns, as Streamlit's do:

- `cache_data` returns a copy on every call (Streamlit unpickles one): the caller may change
  the result freely, and the cached value stays what the function computed.
- `cache_resource` returns the one shared object (a model, a connection), so mutating it is
  expected and not checked; `validate` can reject a stale one (a closed connection).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any, Callable, Mapping

from ..core.durations import parse_duration
from .api import (
    CachedFunction,
    _check_function,
    _check_hash_funcs,
    _check_max_entries,
    _check_spinner,
    _check_ttl,
    _FunctionCache,
)
from .errors import unsupported
from .remote import check_persist
from .store import Entry


class _CopyingFunction(CachedFunction):
    """A `cache_data` function: every call, hit or miss, returns a deep copy."""

    _copies = True

    def _copy(self, value: Any) -> Any:
        try:
            return copy.deepcopy(value)
        except Exception as error:  # noqa: BLE001 - any failure to copy has the same fix
            raise TypeError(
                f"{self.__name__}() returned a {type(value).__name__} that can't be copied "
                f"({type(error).__name__}: {error}). @rk.cache_data returns a copy of the "
                "cached result on every call; for objects meant to be shared, such as "
                "connections or models, use @rk.cache_resource instead."
            ) from error


class _SharedFunction(CachedFunction):
    """A `cache_resource` function: the cached object itself, checked by `validate`."""

    def __init__(self, fn: Any, validate: Callable[[Any], bool] | None, **options: Any) -> None:
        super().__init__(fn, **options)
        self._validate = validate
        if validate is not None and self._ttl is None:
            # an unbounded ttl sends every hit through _holds, where validate runs
            self._ttl = float("inf")

    def _holds(self, key: tuple, entry: Entry) -> bool:
        if not super()._holds(key, entry):
            return False
        if self._validate is None or self._validate(entry.value):
            return True
        self._memory.delete(key)
        return False


def _ttl(name: str, ttl: Any) -> float | datetime.timedelta | None:
    if isinstance(ttl, str):
        try:
            return parse_duration(ttl)
        except ValueError as error:
            raise ValueError(f"rk.{name}(ttl={ttl!r}): {error}") from None
    return ttl


class _CacheDecorator:
    """What `cache_data` and `cache_resource` share: decorating, and `.clear()` for all."""

    name = ""

    def __init__(self) -> None:
        self._caches: dict[int, _FunctionCache] = {}

    def _make(self, func: Any, cls: type[CachedFunction], **options: Any) -> Any:
        def wrap(fn: Any) -> Callable[..., Any]:
            wrapped = cls(_check_function(fn), **options)
            self._caches[id(wrapped._cache)] = wrapped._cache
            return wrapped.function

        return wrap if func is None else wrap(func)

    @staticmethod
    def _refuse_common(name: str, show_time: bool, scope: str, refresh_mode: str) -> None:
        if show_time:
            raise unsupported(name, "show_time", show_time, "the spinner shows the call only")
        if scope != "global":
            raise unsupported(name, "scope", scope, "entries are shared by every session of "
                              "the kernel; key per-session data with an argument instead")
        if refresh_mode != "foreground":
            raise unsupported(name, "refresh_mode", refresh_mode,
                              "an expired entry is computed again by the call that finds it")

    def clear(self) -> None:
        """Forget every result cached by functions this decorator wrapped."""
        for cache in list(self._caches.values()):
            cache.clear()

    def __repr__(self) -> str:
        return f"<rerunkernel {self.name}>"


class CacheData(_CacheDecorator):
    """`@rk.cache_data`: cache what a function returns; every call gets its own copy."""

    name = "cache_data"

    def __call__(
        self,
        func: Callable | None = None,
        *,
        ttl: float | datetime.timedelta | str | None = None,
        max_entries: int | None = None,
        max_size: int | str | None = None,
        show_spinner: bool | str = True,
        show_time: bool = False,
        persist: bool | str | None = None,
        hash_funcs: Mapping[type | str, Callable[[Any], Any]] | None = None,
        scope: str = "global",
        refresh_mode: str = "foreground",
    ) -> Any:
        if max_size is not None:
            raise unsupported("cache_data", "max_size", max_size,
                              "bound the cache with max_entries= or ttl=")
        self._refuse_common("cache_data", show_time, scope, refresh_mode)
        return self._make(
            func, _CopyingFunction, ttl=_check_ttl(_ttl("cache_data", ttl)),
            max_entries=_check_max_entries(max_entries),
            persist=check_persist(persist, "cache_data"),
            show_spinner=_check_spinner(show_spinner), hash_funcs=_check_hash_funcs(hash_funcs),
            allow_output_mutation=True,
        )


class CacheResource(_CacheDecorator):
    """`@rk.cache_resource`: one shared object per set of arguments (models, connections)."""

    name = "cache_resource"

    def __call__(
        self,
        func: Callable | None = None,
        *,
        ttl: float | datetime.timedelta | str | None = None,
        max_entries: int | None = None,
        show_spinner: bool | str = True,
        show_time: bool = False,
        validate: Callable[[Any], bool] | None = None,
        hash_funcs: Mapping[type | str, Callable[[Any], Any]] | None = None,
        on_release: Callable[[Any], None] | None = None,
        scope: str = "global",
        refresh_mode: str = "foreground",
    ) -> Any:
        if on_release is not None:
            raise unsupported("cache_resource", "on_release", on_release,
                              "close resources yourself, e.g. with atexit")
        if validate is not None and not callable(validate):
            raise TypeError(f"rk.cache_resource(validate=...) must be a function of the "
                            f"cached value returning a bool, got {validate!r}")
        self._refuse_common("cache_resource", show_time, scope, refresh_mode)
        return self._make(
            func, _SharedFunction, validate=validate,
            ttl=_check_ttl(_ttl("cache_resource", ttl)),
            max_entries=_check_max_entries(max_entries), persist=False,
            show_spinner=_check_spinner(show_spinner), hash_funcs=_check_hash_funcs(hash_funcs),
            allow_output_mutation=True,
        )


cache_data = CacheData()
cache_resource = CacheResource()
