"""Exact content digests of arguments, globals and results.

A cache key is only as good as the hash under it, so this one is exact: every value is
type-tagged (so `1`, `1.0`, `True` and `'1'` differ), containers are hashed item by item
(a dict's key order counts, since `list(d)`, `json.dumps(d)` and `pd.DataFrame(d)` see it; a
set's order does not; a cycle becomes a back-reference instead of a hang),
and numpy and pandas buffers are hashed whole with xxh3-128, zero-copy, never sampled.
Sampling is what makes other caches fast on big arrays, and it is also what makes them
return stale results after a one-element change.

Types are looked up in a table (exact type first, then the MRO, then a pickle fallback), so
adding a type is one entry, not another branch in a chain. `deps.py` registers functions,
classes and modules here, because their digest is their code and dependencies.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import fractions
import functools
import io
import pickle
import struct
import sys
import types
import weakref
from collections import OrderedDict
from typing import Any, Callable, Mapping

import xxhash

Handler = Callable[["Hasher", Any], None]


class UnhashableTypeError(TypeError):
    """A value that neither a handler nor pickle can turn into bytes."""

    def __init__(self, value: Any, reason: BaseException | str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"cannot hash a {qualified_name(type(value))}: {reason}")


class HashFuncFailed(Exception):
    """A user's hash func raised: the caller names the cached function it was hashing for."""

    def __init__(self, fn: Callable[[Any], Any], cls: type, error: BaseException) -> None:
        self.fn = fn
        self.type = cls
        self.error = error
        super().__init__(f"{type(error).__name__}: {error}")


def full_name(cls: type) -> str:
    """`module.QualName`, builtins included: the spelling `hash_funcs` accepts as a key."""
    return f"{getattr(cls, '__module__', None)}.{getattr(cls, '__qualname__', cls.__name__)}"


class HashFuncs:
    """`hash_funcs` keyed by type or by "module.QualName"; found by the value's MRO, once."""

    def __init__(self, funcs: Mapping[type | str, Callable[[Any], Any]]) -> None:
        self.by_type = {k: f for k, f in funcs.items() if isinstance(k, type)}
        self.by_name = {k: f for k, f in funcs.items() if isinstance(k, str)}
        self._found: weakref.WeakKeyDictionary[type, tuple[type, Callable] | None] = (
            weakref.WeakKeyDictionary())

    def lookup(self, cls: type) -> tuple[type, Callable[[Any], Any]] | None:
        """The hash func for `cls` and the class it was given for, or None."""
        try:
            return self._found[cls]
        except KeyError:
            pass
        found = None
        for base in cls.__mro__:
            fn = self.by_type.get(base) or self.by_name.get(full_name(base))
            if fn is not None:
                found = (base, fn)
                break
        self._found[cls] = found
        return found


def qualified_name(cls: type) -> str:
    module = getattr(cls, "__module__", None)
    qualname = getattr(cls, "__qualname__", getattr(cls, "__name__", repr(cls)))
    return qualname if module in (None, "builtins") else f"{module}.{qualname}"


def _tag(cls: type) -> bytes:
    return b"<" + f"{cls.__module__}.{cls.__qualname__}".encode("utf-8", "surrogatepass") + b">"


def _length(n: int) -> bytes:
    return n.to_bytes(8, "little")


class Hasher:
    """One digest in progress: the xxh3 state, the containers on the current path, hash_funcs.

    A `shallow` hash sees functions, classes and modules by identity (`saw_code` tells that
    it met one): right for checking in-process that a value is unchanged when the code inside
    it is checked separately, wrong for a key that must mean the same in the next process.

    A `lenient` hash (for globals) takes apart an object that does not pickle: a Python
    object by its attributes, and a part with no state Python can read (a lock, a
    connection) by identity, kept alive in `kept`; so a dict holding a lock next to data is
    still hashed by its data. Arguments are hashed strictly: an argument that can't be hashed
    is an error the user can fix by naming.
    """

    __slots__ = ("h", "path", "hash_funcs", "shallow", "saw_code", "lenient", "kept",
                 "_bypass")

    def __init__(self, hash_funcs: HashFuncs | Mapping | None = None, shallow: bool = False,
                 lenient: bool = False) -> None:
        self.h = xxhash.xxh3_128()
        self.path: dict[int, int] = {}
        if hash_funcs is not None and not isinstance(hash_funcs, HashFuncs):
            hash_funcs = HashFuncs(hash_funcs) if hash_funcs else None
        self.hash_funcs = hash_funcs
        self.shallow = shallow
        self.saw_code = False
        self.lenient = lenient
        self.kept: list[Any] = []
        self._bypass: type | None = None

    def update(self, data: Any) -> None:
        self.h.update(data)

    def add(self, value: Any) -> None:
        cls = type(value)
        if self.hash_funcs and self._custom(cls, value):
            return
        tag, handler = _known.get(cls) or _resolved.get(cls) or _resolve(cls)
        self.h.update(tag)
        handler(self, value)

    def add_name(self, name: str) -> None:
        """A name in code (a global's, an attribute's): never a value, so never a hash func."""
        _str(self, name)

    def _custom(self, cls: type, value: Any) -> bool:
        found = self.hash_funcs.lookup(cls)  # type: ignore[union-attr]
        if found is None or found[0] is self._bypass:
            return False
        base, fn = found
        try:
            result = fn(value)
        except Exception as exc:  # noqa: BLE001 - reported with the function it hashed for
            raise HashFuncFailed(fn, cls, exc) from exc
        self.h.update(b"hash_funcs" + _tag(base))
        # a hash func may return its own type (a normalised copy): hash that as it is
        previous, self._bypass = self._bypass, base
        try:
            self.add(result)
        finally:
            self._bypass = previous
        return True

    def enter(self, value: Any) -> bool:
        """Mark a container as being hashed; False (and a back-reference) if it already is."""
        key = id(value)
        depth = self.path.get(key)
        if depth is not None:
            self.h.update(b"^" + _length(depth))
            return False
        self.path[key] = len(self.path)
        return True

    def leave(self, value: Any) -> None:
        del self.path[id(value)]

    def unordered(self, items: Any, pairs: bool) -> None:
        """Digest each item (or key/value pair) alone, then the sorted digests: order-free."""
        outer = self.h
        digests = []
        try:
            for item in items:
                self.h = xxhash.xxh3_128()
                if pairs:
                    self.add(item[0])
                    self.add(item[1])
                else:
                    self.add(item)
                digests.append(self.h.digest())
        finally:
            self.h = outer
        digests.sort()
        outer.update(_length(len(digests)))
        for d in digests:
            outer.update(d)

    def sub_digest(self, value: Any) -> bytes:
        """The digest of one value on its own, sharing this hash's cycle detection."""
        outer = self.h
        self.h = xxhash.xxh3_128()
        try:
            self.add(value)
            return self.h.digest()
        finally:
            self.h = outer

    def digest(self) -> bytes:
        return self.h.digest()


def digest(value: Any, hash_funcs: HashFuncs | Mapping | None = None) -> bytes:
    """The 16-byte content digest of `value`; raises UnhashableTypeError when there is none.

    Functions inside the value are hashed by their code and dependencies (see deps.py), so
    the digest means the same in another process; a hash func that raises gives
    HashFuncFailed.
    """
    hasher = Hasher(hash_funcs)
    try:
        hasher.add(value)
    except RecursionError as exc:
        raise UnhashableTypeError(value, "nested too deeply") from exc
    return hasher.digest()


# --- immutability ---------------------------------------------------------------------

_IMMUTABLE = {
    type(None), bool, int, float, complex, str, bytes, range, type(Ellipsis),
    decimal.Decimal, fractions.Fraction,
    datetime.date, datetime.datetime, datetime.time, datetime.timedelta, datetime.timezone,
}


def is_immutable(value: Any) -> bool:
    """True when the object can never change, so identity stands for content."""
    cls = type(value)
    if cls in _IMMUTABLE:
        return True
    if cls is tuple or cls is frozenset:
        return all(is_immutable(item) for item in value)
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.generic) and not value.dtype.hasobject


# --- handlers for the standard library --------------------------------------------------


def _none(h: Hasher, value: Any) -> None:
    pass


def _bool(h: Hasher, value: bool) -> None:
    h.update(b"\x01" if value else b"\x00")


def _int(h: Hasher, value: int) -> None:
    data = int(value).to_bytes((value.bit_length() + 8) // 8, "little", signed=True)
    h.update(_length(len(data)))
    h.update(data)


_DOUBLE = struct.Struct("<d")


def _float(h: Hasher, value: float) -> None:
    h.update(_DOUBLE.pack(value))


def _complex(h: Hasher, value: complex) -> None:
    h.update(_DOUBLE.pack(value.real))
    h.update(_DOUBLE.pack(value.imag))


def _str(h: Hasher, value: str) -> None:
    data = str(value).encode("utf-8", "surrogatepass")
    h.update(_length(len(data)))
    h.update(data)


def _bytes(h: Hasher, value: Any) -> None:
    view = memoryview(value)
    if not view.contiguous:
        view = memoryview(view.tobytes())
    h.update(_length(view.nbytes))
    h.update(view.cast("B"))


def _range(h: Hasher, value: range) -> None:
    for n in (value.start, value.stop, value.step):
        _int(h, n)


def _sequence(h: Hasher, value: Any) -> None:
    if not h.enter(value):
        return
    try:
        h.update(_length(len(value)))
        for item in value:
            h.add(item)
    finally:
        h.leave(value)


def _mapping(h: Hasher, value: Any) -> None:
    """Keys in their order: code that iterates a dict sees it, so two orders are two values."""
    if not h.enter(value):
        return
    try:
        h.update(_length(len(value)))
        for key, item in value.items():
            h.add(key)
            h.add(item)
    finally:
        h.leave(value)


def _set(h: Hasher, value: Any) -> None:
    if not h.enter(value):
        return
    try:
        h.unordered(value, pairs=False)
    finally:
        h.leave(value)


def _partial(h: Hasher, value: functools.partial) -> None:
    h.add(value.func)
    h.add(value.args)
    h.add(value.keywords)


class _ContentPickler(pickle.Pickler):
    """Pickles by content, with classes and functions written as their digests.

    By reference, a class defined in a notebook cell would not pickle at all (there is no
    importable `__main__` attribute for it) and a function would pickle as its bare name,
    unchanged after its body changed.
    """

    def __init__(self, stream: io.BytesIO, hasher: Hasher, buffers: list) -> None:
        super().__init__(stream, protocol=5, buffer_callback=buffers.append)
        self._hasher = hasher

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, types.FunctionType) or (
            isinstance(obj, type) and obj.__module__ != "builtins"
        ):
            return bytes, (self._hasher.sub_digest(obj),)
        return NotImplemented


def pickled(h: Hasher, value: Any) -> None:
    """Anything else by its pickle: dataclasses, enums, datetimes, paths, models.

    Fast mode (no memo) makes the bytes depend on content only, not on which equal objects
    happen to be shared; array buffers inside arrive out of band and are hashed in place.
    A cyclic object can't be pickled in fast mode, so it gets a second, memoised pass.
    """
    if not h.enter(value):
        return
    try:
        for fast in (True, False):
            buffers: list[pickle.PickleBuffer] = []
            stream = io.BytesIO()
            pickler = _ContentPickler(stream, h, buffers)
            pickler.fast = fast
            try:
                pickler.dump(value)
            except UnhashableTypeError:
                raise
            except ValueError as exc:
                if fast:
                    continue
                raise UnhashableTypeError(value, exc) from exc
            except HashFuncFailed:
                raise
            except Exception as exc:
                if h.lenient:
                    _by_parts(h, value, exc)
                    return
                raise UnhashableTypeError(value, exc) from exc
            h.update(stream.getbuffer())
            for buffer in buffers:
                _bytes(h, buffer.raw())
            return
    finally:
        h.leave(value)


_STATEFUL = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
_HEAPTYPE = 1 << 9


def _by_parts(h: Hasher, value: Any, error: BaseException) -> None:
    """A lenient hash of what did not pickle: a user's object by its attributes; else identity.

    Only a class the user wrote in Python (a heap type all the way down its MRO, in the
    user's code) is taken apart: its attributes are its value. A C type (a lock, a
    connection) keeps state Python can't read, and a library's object (a `threading.Event`,
    a client) keeps bookkeeping that changes by itself (waiters, pools): those count as
    themselves. Iterators and generators can't: their value is how far they were consumed.
    """
    cls = type(value)
    if isinstance(value, _STATEFUL) or (hasattr(cls, "__next__") and hasattr(cls, "__iter__")):
        raise UnhashableTypeError(value, "its value is how far it has been consumed, which "
                                  "can't be hashed")
    state = _instance_state(value) if _user_class(cls) and all(
        k.__flags__ & _HEAPTYPE for k in cls.__mro__[:-1]) else None
    if state is None:
        h.update(b"id:" + _length(id(value)))
        h.kept.append(value)
        return
    h.update(b"parts")
    _mapping(h, state)


def _user_class(cls: type) -> bool:
    return False  # until deps.py says which classes are the user's


def set_user_class_test(test: Callable[[type], bool]) -> None:
    """How to tell a user's class (deps.py knows the project); hashing takes those apart."""
    global _user_class
    _user_class = test


def _instance_state(value: Any) -> dict[str, Any] | None:
    state = dict(getattr(value, "__dict__", None) or {})
    for klass in type(value).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if name not in ("__dict__", "__weakref__") and hasattr(value, name):
                state[name] = getattr(value, name)
    return state


def _with_instance_dict(handler: Handler) -> Handler:
    """A subclass of a builtin container can carry state in its __dict__: hash that too."""

    def handle(h: Hasher, value: Any) -> None:
        handler(h, value)
        state = getattr(value, "__dict__", None)
        if state:
            _mapping(h, state)

    return handle


_HANDLERS: dict[type, Handler] = {
    type(None): _none, type(Ellipsis): _none, type(NotImplemented): _none,
    bool: _bool, int: _int, float: _float, complex: _complex, str: _str,
    bytes: _bytes, bytearray: _bytes, memoryview: _bytes, range: _range,
    list: _sequence, tuple: _sequence, dict: _mapping, OrderedDict: _mapping,
    set: _set, frozenset: _set, functools.partial: _partial,
    types.MappingProxyType: _mapping,
}


# (tag, handler) by exact type: registered types for good; the others (often classes from a
# notebook cell, redefined on every rerun) weakly, so an old run's classes can be freed
_known: dict[type, tuple[bytes, Handler]] = {
    cls: (_tag(cls), handler) for cls, handler in _HANDLERS.items()
}
_resolved: weakref.WeakKeyDictionary[type, tuple[bytes, Handler]] = weakref.WeakKeyDictionary()


def register(cls: type, handler: Handler) -> None:
    _HANDLERS[cls] = handler
    _known[cls] = (_tag(cls), handler)


def _resolve(cls: type) -> tuple[bytes, Handler]:
    """Find (once per type) the handler for a type the table doesn't list exactly."""
    handler = _library_handler(cls)
    if handler is None and not issubclass(cls, enum.Enum):
        for base in cls.__mro__[1:]:
            found = _HANDLERS.get(base)
            if found is not None:
                has_state = cls.__dictoffset__ and not issubclass(cls, type)
                handler = _with_instance_dict(found) if has_state else found
                break
    found = _resolved[cls] = (_tag(cls), handler or pickled)
    return found


def _library_handler(cls: type) -> Handler | None:
    """numpy and pandas types, looked up only if the user has imported those libraries."""
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        from . import frames

        handler = frames.handler_for(cls)
        if handler is not None:
            return handler
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        from . import arrays

        return arrays.handler_for(cls)
    return None
