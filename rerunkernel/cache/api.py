"""`@rk.cache`: skip a call whose code, dependencies, files and arguments are unchanged.

A notebook cell defines its functions anew on every rerun, so entries can't belong to a
function object: they belong to the function's name (`module.qualname`), and each key
starts with the digest of the code and dependencies. A redefinition with the same code finds
its entries; an edited one misses and computes.

The hit path is what a rerun pays for every cached call, so it is kept short: a dependency
check that is mostly identity comparisons (see `fingerprint/deps.py`), arguments of plain types used as
they are (a tuple of values plus a tuple of their types is an exact key: `1`, `1.0` and
`True` differ by type), one dict lookup. Everything else (hashing other arguments, analysing
code, locking) happens only when it must.

What `@rk.cache` returns is a plain Python function (with `.clear()` and `.cache_info()`),
not an object with `__call__`: calling an object costs a level of recursion in C on top of
its frame, and the miss runs in that function itself rather than in a helper, so a
recursive cached function reaches about the depth `functools.lru_cache` does.

What the function draws (`rk.write`, charts, layout boxes) is recorded on the miss and drawn
again on every hit (see `replay.py`), as Streamlit does: a rerun redraws the page, and a hit
must show what the call showed. The replay is part of the entry, so it expires with it and is
persisted with it.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import itertools
import reprlib
import threading
import time
import types
import warnings
from contextlib import contextmanager
from typing import Any, Callable, Hashable, Iterator, Mapping, NamedTuple

import xxhash

from ..core import runtime
from ..core.element import Element
from ..fingerprint import deps, file_records
from ..fingerprint.hashing import (
    Hasher,
    HashFuncFailed,
    HashFuncs,
    UnhashableTypeError,
    digest,
    is_immutable,
    qualified_name,
)
from .errors import (
    CachedObjectMutationWarning,
    HashFuncError,
    UnhashableParamError,
    mutation_message,
)
from .remote import RemoteStore, check_persist
from .replay import Recorder
from .spinner import Spinner
from .store import (
    DiskStore,
    Entry,
    MemoryStore,
    NotPicklable,
    StoreInfo,
    cache_root,
    clear_disk,
)

_PLAIN = frozenset({int, str, bytes, bool, type(None)})


class EntryInfo(NamedTuple):
    """One cached result, as `cache_info()` lists it: how it was called, how old, how used."""

    call: str
    age: float
    hits: int
    files: tuple[str, ...]


class CacheInfo(NamedTuple):
    """Counters and entries of one cached function, as `cache_info()` reports them.

    The counters run since the last `clear()` and cover every definition of the function
    (one per rerun); `size` is the number of entries held in memory; `store` counts what the
    persistent store (disk or shared) did, None without `persist`.
    """

    hits: int
    misses: int
    size: int
    entries: tuple[EntryInfo, ...]
    store: StoreInfo | None = None


class _KeyLocks:
    """One lock per key being computed, so concurrent callers compute it once."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, list] = {}

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        with self._guard:
            slot = self._locks.setdefault(key, [threading.RLock(), 0])
            slot[1] += 1
        try:
            with slot[0]:
                yield
        finally:
            with self._guard:
                slot[1] -= 1
                if slot[1] == 0:
                    del self._locks[key]


class _FunctionCache:
    """The entries and counters of one function name, shared by all its definitions."""

    def __init__(self, module: str, qualname: str) -> None:
        self.memory = MemoryStore()
        self.disk: DiskStore | RemoteStore | None = None
        self.disk_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in qualname)[:60]
        self.disk_name += "-" + xxhash.xxh3_64_hexdigest(f"{module}:{qualname}".encode())
        self.locks = _KeyLocks()
        self.hits = 0
        self.misses = 0

    def configure(self, max_entries: int | None, persist: bool | str,
                  ttl: float | None) -> None:
        self.memory.configure(max_entries, ttl)
        if isinstance(persist, str):
            self.disk = RemoteStore(persist, self.disk_name, max_entries, ttl)
        else:
            self.disk = DiskStore(self.disk_name, max_entries, ttl) if persist else None

    def clear(self) -> None:
        self.memory.clear()
        DiskStore(self.disk_name).clear()
        if self.disk is not None:
            self.disk.clear()
        self.hits = self.misses = 0


_caches: dict[tuple[str, str], _FunctionCache] = {}
_caches_lock = threading.Lock()


def _function_cache(fn: types.FunctionType) -> _FunctionCache:
    name = (fn.__module__ or "", fn.__qualname__)
    with _caches_lock:
        found = _caches.get(name)
        if found is None:
            found = _caches[name] = _FunctionCache(*name)
        return found


class _Arguments:
    """Turns a call's arguments into the part of the key that depends on them."""

    def __init__(self, fn: types.FunctionType, hash_funcs: HashFuncs | None) -> None:
        self.function = fn.__name__
        self.signature = inspect.signature(fn)
        self.hash_funcs = hash_funcs
        params = list(self.signature.parameters.values())
        simple = all(
            p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and not p.name.startswith("_")
            for p in params
        )
        self.names = tuple(p.name for p in params)
        self.var_keyword = next((p.name for p in params if p.kind is p.VAR_KEYWORD), None)
        # calls passing exactly these positionally skip binding (-1: never)
        self.positional = len(params) if simple else -1
        # plain types used as they are, unless a hash func claims them
        self.plain = frozenset(t for t in _PLAIN if hash_funcs is None
                               or hash_funcs.lookup(t) is None)

    def bound(self, args: tuple, kwargs: dict) -> tuple[tuple, tuple]:
        """The key part of any call: bound to the parameters, in order, defaults applied.

        `CachedFunction.__call__` handles the common call (every parameter passed
        positionally) itself, and gets the same key as this would.
        """
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{self.function}(): {exc}") from None
        bound.apply_defaults()
        arguments = bound.arguments
        names = [n for n in arguments if not n.startswith("_")]
        values = [arguments[n] for n in names]
        if self.var_keyword in arguments:
            # `_`-named keywords that arrive through **kwargs are left out of the key too
            at = names.index(self.var_keyword)
            values[at] = {k: v for k, v in values[at].items() if not k.startswith("_")}
        return self.hashed(names, values)

    def hashed(self, names: Any, values: Any) -> tuple[tuple, tuple]:
        """Plain values as they are, tagged by their type; others as digests, tagged None.

        A digest already encodes its value's type; keeping the type object itself in the key
        would keep a notebook class (and through it an old run's namespace) alive.
        """
        out, kinds = [], []
        plain = self.plain
        for name, value in zip(names, values, strict=True):
            kind = type(value)
            if kind in plain:
                out.append(value)
                kinds.append(kind)
                continue
            try:
                out.append(digest(value, self.hash_funcs))
            except UnhashableTypeError as exc:
                raise UnhashableParamError(self.function, name, value, exc.reason) from exc
            except HashFuncFailed as exc:
                raise HashFuncError(self.function, exc.fn, exc.type, exc.error) from exc.error
            kinds.append(None)
        return tuple(out), tuple(kinds)


_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40


def _label(name: str, args: tuple, kwargs: dict) -> str:
    """How an entry is listed by cache_info(): plain values shown, others by type."""

    def show(value: Any) -> str:
        if type(value) in _PLAIN or type(value) is float:
            return _short.repr(value)
        return f"<{qualified_name(type(value))}>"

    parts = [show(a) for a in args] + [f"{k}={show(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _disk_key(key: tuple) -> str:
    """The same key in a form that means the same in another process."""
    text = repr(key)  # bytes, plain values, builtin types and None: all with a stable repr
    return xxhash.xxh3_128_hexdigest(text.encode("utf-8", "surrogatepass"))


class CachedFunction:
    """The cache of one decorated function; `.function` is what the user calls."""

    # cache_data returns a copy of the result on every call
    _copies = False

    def __init__(self, fn: types.FunctionType, ttl: float | None, max_entries: int | None,
                 persist: bool | str, show_spinner: bool | str, hash_funcs: HashFuncs | None,
                 allow_output_mutation: bool) -> None:
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._ttl = ttl
        self._show_spinner = show_spinner
        self._hash_funcs = hash_funcs
        self._check_mutation = not allow_output_mutation
        self._cache = _function_cache(fn)
        self._cache.configure(max_entries, persist, ttl)
        self._memory = self._cache.memory
        self._arguments = _Arguments(fn, hash_funcs)
        self._snapshot: deps.Snapshot | None = None
        self.function = self._wrapper()
        functools.update_wrapper(self.function, fn)
        self.function.clear = self.clear  # type: ignore[attr-defined]
        self.function.cache_info = self.cache_info  # type: ignore[attr-defined]
        self.function._cache = self._cache  # type: ignore[attr-defined]
        self.function._rk_cached = self  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<cached function {self._fn.__qualname__}>"

    def _wrapper(self) -> Callable[..., Any]:
        def cached(*args: Any, **kwargs: Any) -> Any:
            try:
                snapshot = self._snapshot
                if snapshot is None or not snapshot.still_valid():
                    snapshot = self._analyse()
                arguments = self._arguments
                if not kwargs and len(args) == arguments.positional:
                    kinds = tuple(map(type, args))
                    if arguments.plain.issuperset(kinds):
                        key = (snapshot.digest, args, kinds)
                    else:
                        key = (snapshot.digest, *arguments.hashed(arguments.names, args))
                else:
                    key = (snapshot.digest, *arguments.bound(args, kwargs))
            except HashFuncFailed as exc:
                raise HashFuncError(self.__name__, exc.fn, exc.type, exc.error) from exc.error
            entry = self._memory.get(key)
            if entry is not None:
                if (entry.digest is None and not entry.files and self._ttl is None
                        and entry.replay is None and not self._copies):
                    self._cache.hits += 1
                    entry.hits += 1
                    return entry.value
                if self._holds(key, entry):
                    return self._hit(key, entry)
            # the miss runs here, not in a helper: each frame between this wrapper and the
            # function is a frame less of recursion depth for a recursive cached function
            cache = self._cache
            with cache.locks.hold(key):
                entry = self._memory.get(key)
                if entry is not None and self._holds(key, entry):
                    return self._hit(key, entry)
                disk_key = _disk_key(key) if cache.disk is not None else None
                if disk_key is not None:
                    entry = self._load(disk_key)
                    if entry is not None:
                        self._memory.put(key, entry)
                        return self._hit(key, entry)
                cache.misses += 1
                ctx = runtime.active() if runtime.is_script_thread() else None
                spinner = self._spinner(ctx)
                recorder = Recorder(ctx) if ctx is not None and ctx.writer is not None else None
                if ctx is not None:
                    ctx.in_cached_call += 1
                try:
                    with file_records.recording() as found:
                        value = self._fn(*args, **kwargs)
                finally:
                    if ctx is not None:
                        ctx.in_cached_call -= 1
                    if spinner is not None:
                        spinner.stop()
                self._store(key, disk_key, value, found, args, kwargs, recorder)
                return self._copy(value) if self._copies else value

        return cached

    def _key(self, args: tuple, kwargs: dict) -> tuple:
        """The key of a call, as `__call__` makes it (inline there, for speed)."""
        try:
            snapshot = self._snapshot
            if snapshot is None or not snapshot.still_valid():
                snapshot = self._analyse()
            arguments = self._arguments
            if not kwargs and len(args) == arguments.positional:
                kinds = tuple(map(type, args))
                if arguments.plain.issuperset(kinds):
                    return (snapshot.digest, args, kinds)
                return (snapshot.digest, *arguments.hashed(arguments.names, args))
            return (snapshot.digest, *arguments.bound(args, kwargs))
        except HashFuncFailed as exc:
            raise HashFuncError(self.__name__, exc.fn, exc.type, exc.error) from exc.error

    def _analyse(self) -> deps.Snapshot:
        snapshot = self._snapshot = deps.snapshot(self._fn, self._hash_funcs)
        return snapshot

    def _copy(self, value: Any) -> Any:
        return value

    # --- hits -----------------------------------------------------------------------------

    def _holds(self, key: tuple, entry: Entry) -> bool:
        """Not expired and no file it read has changed; else it is dropped."""
        expired = self._ttl is not None and time.time() - entry.created > self._ttl
        if expired or (entry.files and not all(r.unchanged() for r in entry.files)):
            self._memory.delete(key)
            return False
        return True

    def _hit(self, key: tuple, entry: Entry) -> Any:
        self._cache.hits += 1
        entry.hits += 1
        if entry.files:
            file_records.note(entry.files)
        if entry.replay is not None and runtime.is_script_thread():
            ctx = runtime.active()
            if ctx is not None:
                entry.replay.play(ctx)
        if (self._check_mutation and entry.digest is not None
                and self._digest(entry.value) != entry.digest):
            self._warn_mutated()
        return self._copy(entry.value) if self._copies else entry.value

    def _digest(self, value: Any) -> bytes | None:
        """The in-process digest a hit compares with, or None when there is nothing to check."""
        if not self._check_mutation or is_immutable(value):
            return None
        hasher = Hasher(self._hash_funcs, shallow=True)
        try:
            hasher.add(value)
        except (UnhashableTypeError, HashFuncFailed):
            return None
        return hasher.digest()

    def _warn_mutated(self) -> None:
        """Loudly, every time: the hit's result is not what the function computed.

        In a run, a warning element in the cell (a warning on stderr would also land there,
        but the warnings module shows each one once per line of code). Outside a run, a
        CachedObjectMutationWarning, which `errors.py` makes show every time too.
        """
        message = mutation_message(self.__name__)
        ctx = runtime.active() if runtime.is_script_thread() else None
        if ctx is not None and ctx.writer is not None:
            ctx.draw(Element(kind="warning", data={"text/plain": message}, value=message))
        else:
            warnings.warn(CachedObjectMutationWarning(message), stacklevel=4)

    # --- misses ---------------------------------------------------------------------------

    def _spinner(self, ctx: runtime.RunContext | None) -> Spinner | None:
        # a headless run (nbclient, `rerunkernel run`) has nobody watching it compute
        if (ctx is None or ctx.writer is None or self._show_spinner is False
                or ctx.headless):
            return None
        text = (self._show_spinner if isinstance(self._show_spinner, str)
                else f"Running {self.__name__}(...)")
        spinner = Spinner(ctx.writer, text)
        spinner.start()
        return spinner

    def _store(self, key: tuple, disk_key: str | None, value: Any, found: file_records.Recording,
               args: tuple, kwargs: dict, recorder: Recorder | None) -> None:
        cache = self._cache
        skip = str(cache_root()) if cache.disk is not None else None
        named = file_records.paths_named(itertools.chain(args, kwargs.values(),
                                                         self._snapshot.values()
                                                         if self._snapshot is not None else ()))
        entry = Entry(value, self._digest(value), file_records.records(found, named, skip),
                      _label(self.__name__, args, kwargs), time.time(),
                      replay=recorder.finish() if recorder is not None else None)
        self._memory.put(key, entry)
        if disk_key is not None:
            self._save(disk_key, entry)

    def _load(self, disk_key: str) -> Entry | None:
        disk = self._cache.disk
        assert disk is not None
        entry = disk.get(disk_key)
        if entry is None:
            return None
        if self._ttl is not None and time.time() - entry.created > self._ttl:
            disk.delete(disk_key)
            return None
        if not all(record.unchanged() for record in entry.files):
            return None
        entry.digest = self._digest(entry.value)
        return entry

    def _save(self, disk_key: str, entry: Entry) -> None:
        disk = self._cache.disk
        assert disk is not None
        try:
            disk.put(disk_key, entry)
        except NotPicklable as exc:
            if exc.drawing:
                why = (f"what the call draws can't be pickled with it ({exc}), and a hit "
                       "loaded from there must draw what the call drew")
            else:
                why = (f"its result can't be pickled ({exc}). Return a value that pickle can "
                       "serialise to keep it across restarts")
            warnings.warn(f"{self.__name__}(): the result is cached in memory only, not in "
                          f"{disk.location}: {why}.", RuntimeWarning, stacklevel=4)
        except Exception as exc:  # noqa: BLE001 - persisting is best effort, never a crash
            warnings.warn(
                f"{self.__name__}(): the result is cached in memory only, because it could "
                f"not be written to {disk.location}: {type(exc).__name__}: {exc}.",
                RuntimeWarning, stacklevel=4,
            )

    # --- management -----------------------------------------------------------------------

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget every entry of this function (all its definitions), in memory and on disk.

        With arguments, forget only the entry of that call: `load.clear("a.csv")`.
        """
        if not args and not kwargs:
            self._cache.clear()
            return
        key = self._key(args, kwargs)
        self._memory.delete(key)
        if self._cache.disk is not None:
            self._cache.disk.delete(_disk_key(key))

    def cache_info(self) -> CacheInfo:
        now = time.time()
        entries = tuple(
            EntryInfo(e.label, now - e.created, e.hits, tuple(f.path for f in e.files))
            for e in self._memory.entries()
        )
        disk = self._cache.disk
        return CacheInfo(self._cache.hits, self._cache.misses, len(entries), entries,
                         disk.info() if disk is not None else None)


def cached_function(fn: Any) -> CachedFunction | None:
    """The cache behind a function `@rk.cache` returned, or None for any other object."""
    found = getattr(fn, "__dict__", {}).get("_rk_cached")
    return found if isinstance(found, CachedFunction) else None


class Cache:
    """`@rk.cache` and `@rk.cache(...)`; `rk.cache.clear()` empties every cache.

    Options: `ttl` (seconds or a timedelta) and `max_entries` (least recently used goes
    first) bound memory; `persist=True` also keeps entries on disk across restarts, and
    `persist="s3://bucket/prefix"` (any fsspec URL) in a store many kernels share;
    `show_spinner` (True, False or a text; "" shows a spinner without text) shows a line in
    the cell during a slow miss; `hash_funcs={Type: fn}` (or `{"module.QualName": fn}`)
    hashes arguments and globals of that type, nested ones too, as `fn(value)`;
    `allow_output_mutation=True` skips the check that a returned object was not mutated.
    """

    def __call__(
        self,
        func: Callable | None = None,
        *,
        ttl: float | datetime.timedelta | None = None,
        max_entries: int | None = None,
        persist: bool | str = False,
        show_spinner: bool | str = True,
        hash_funcs: Mapping[type | str, Callable[[Any], Any]] | None = None,
        allow_output_mutation: bool = False,
    ) -> Any:
        options = dict(
            ttl=_check_ttl(ttl), max_entries=_check_max_entries(max_entries),
            persist=check_persist(persist), show_spinner=_check_spinner(show_spinner),
            hash_funcs=_check_hash_funcs(hash_funcs),
            allow_output_mutation=bool(allow_output_mutation),
        )
        if func is None:
            return lambda fn: CachedFunction(_check_function(fn), **options).function
        return CachedFunction(_check_function(func), **options).function

    def clear(self) -> None:
        """Forget every cached result of every function, in memory and on disk."""
        with _caches_lock:
            caches = list(_caches.values())
        for cache in caches:
            cache.clear()
        clear_disk()

    def __repr__(self) -> str:
        return "<rerunkernel cache>"


def _check_function(fn: Any) -> types.FunctionType:
    found = cached_function(fn)
    if found is not None:
        return found._fn
    if not isinstance(fn, types.FunctionType):
        hint = (" Put @rk.cache below @staticmethod/@classmethod."
                if isinstance(fn, (staticmethod, classmethod)) else "")
        raise TypeError(f"@rk.cache decorates a function (def or lambda); got "
                        f"{qualified_name(type(fn))}.{hint}")
    if inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn) or (
        inspect.isasyncgenfunction(fn)
    ):
        raise TypeError(f"@rk.cache can't cache {fn.__name__}(): it returns a coroutine or "
                        "generator, which can be consumed only once. Cache a function that "
                        "returns the finished result (e.g. a list) instead.")
    return fn


def _check_ttl(ttl: Any) -> float | None:
    if ttl is None:
        return None
    if isinstance(ttl, datetime.timedelta):
        ttl = ttl.total_seconds()
    message = ("rk.cache(ttl=...) must be a positive number of seconds or a "
               f"datetime.timedelta, got {ttl!r}")
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(message)
    if not ttl > 0:
        raise ValueError(message)
    return float(ttl)


def _check_max_entries(max_entries: Any) -> int | None:
    if max_entries is None:
        return None
    message = f"rk.cache(max_entries=...) must be a positive int or None, got {max_entries!r}"
    if isinstance(max_entries, bool) or not isinstance(max_entries, int):
        raise TypeError(message)
    if max_entries < 1:
        raise ValueError(message)
    return max_entries


def _check_spinner(show_spinner: Any) -> bool | str:
    if not isinstance(show_spinner, (bool, str)):
        raise TypeError(f"rk.cache(show_spinner=...) must be True, False or a text, got "
                        f"{show_spinner!r}")
    return show_spinner


def _check_hash_funcs(hash_funcs: Any) -> HashFuncs | None:
    if not hash_funcs:
        return None
    if not isinstance(hash_funcs, Mapping):
        raise TypeError("rk.cache(hash_funcs=...) must be a dict like {MyType: fn}, got "
                        f"{type(hash_funcs).__name__}")
    for cls, fn in hash_funcs.items():
        named = isinstance(cls, str) and "." in cls.strip(".")
        if not (isinstance(cls, type) or named) or not callable(fn):
            raise TypeError(f"rk.cache(hash_funcs=...): each key must be a type or its "
                            f"'module.QualName' (e.g. 'builtins.generator') and each value a "
                            f"function of one argument; got {cls!r}: {fn!r}")
    return HashFuncs(hash_funcs)


cache = Cache()
