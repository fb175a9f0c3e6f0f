"""pandas objects: labels, dtypes and every value, each column hashed from its own buffer.

A DataFrame is hashed column by column rather than through `to_numpy()`, which would copy
the whole frame into one block first; numeric columns are views on pandas' own memory.
Extension columns (nullable, categorical, tz-aware) go through the pickle path, whose array
buffers are still hashed in place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .arrays import hash_buffer
from .hashing import Handler, Hasher, pickled


def _values(h: Hasher, values: Any) -> None:
    dtype = values.dtype
    h.update(str(dtype).encode())
    if isinstance(dtype, np.dtype):
        hash_buffer(h, values.to_numpy(copy=False))
    else:
        pickled(h, values.array)


def _frame(h: Hasher, frame: pd.DataFrame) -> None:
    h.add(frame.columns)
    h.add(frame.index)
    for _, column in frame.items():
        _values(h, column)
    if frame.attrs:
        h.add(frame.attrs)


def _series(h: Hasher, series: pd.Series) -> None:
    h.add(series.name)
    h.add(series.index)
    _values(h, series)
    if series.attrs:
        h.add(series.attrs)


def _index(h: Hasher, index: pd.Index) -> None:
    h.add(index.name)
    _values(h, index)


def _range_index(h: Hasher, index: pd.RangeIndex) -> None:
    h.add((index.name, index.start, index.stop, index.step))


def _multi_index(h: Hasher, index: pd.MultiIndex) -> None:
    h.add(list(index.names))
    for level in index.levels:
        h.add(level)
    for codes in index.codes:
        hash_buffer(h, np.asarray(codes))


def handler_for(cls: type) -> Handler | None:
    # exact classes: a subclass (a GeoDataFrame) may keep state we don't know about
    if cls is pd.DataFrame:
        return _frame
    if cls is pd.Series:
        return _series
    if issubclass(cls, pd.MultiIndex):
        return _multi_index
    if issubclass(cls, pd.RangeIndex):
        return _range_index
    if issubclass(cls, pd.Index):
        return _index
    if issubclass(cls, (pd.DataFrame, pd.Series)):
        return pickled
    return None
