"""numpy arrays and scalars, hashed from their buffers in place.

A C- or Fortran-contiguous array is hashed straight from its memory (a uint8 view, no copy),
so a 400 MB array costs one pass of xxh3 and not a byte more; only a strided view is copied
first. Object arrays hold pointers, so their elements go through the pickle path instead
(content only, at C speed), or one by one when they don't pickle.
"""

from __future__ import annotations

import numpy as np

from .hashing import Handler, Hasher, UnhashableTypeError, pickled


def hash_buffer(h: Hasher, array: np.ndarray) -> None:
    """dtype, shape and every byte; the layout only as a C/F marker (zero-copy for both)."""
    h.update(repr((array.dtype.descr if array.dtype.fields else array.dtype.str,
                   array.shape)).encode())
    if array.dtype.hasobject:
        h.update(b"O")
        try:
            pickled(h, array)
        except UnhashableTypeError:
            h.add(array.tolist())
        return
    if array.flags.c_contiguous:
        h.update(b"C")
    elif array.flags.f_contiguous:
        h.update(b"F")
        array = array.T
    else:
        h.update(b"C")
        array = np.ascontiguousarray(array)
    if array.nbytes:
        h.update(array.reshape(-1).view(np.uint8))


def _ndarray(h: Hasher, array: np.ndarray) -> None:
    hash_buffer(h, array)


def _scalar(h: Hasher, value: np.generic) -> None:
    h.update(value.dtype.str.encode())
    h.update(value.tobytes())


def handler_for(cls: type) -> Handler | None:
    if cls is np.ndarray or cls is np.memmap:
        return _ndarray
    if issubclass(cls, np.ndarray):
        # masked arrays, matrices...: their extra state (a mask) is part of the value
        return pickled
    if issubclass(cls, np.generic) and not issubclass(cls, np.object_):
        return _scalar
    return None
