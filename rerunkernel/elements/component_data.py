"""What a v2 component's `data=` becomes on the page: the same values Streamlit hands the
component's JavaScript (docs/ARCHITECTURE.md, "Custom components (v2)").

Streamlit sends a dataframe as Arrow. A dataframe given as `data` itself reaches the JS as
the Arrow IPC stream's bytes (a Uint8Array); a dict whose values include dataframes reaches
it as that dict with each of them decoded into an `apache-arrow` Table. Only those two places
are looked at, as in Streamlit: a dataframe deeper down, or in a list, is not a table there.
The tables travel as widget buffers, apart from the JSON, each under a reference that the
page swaps for the decoded table; the same frame twice is sent once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import xxhash

# the key of the placeholder that stands for a table in the JSON (Streamlit's name for it)
ARROW_REF_KEY = "__streamlit_arrow_ref__"

# types Streamlit takes for a dataframe, by top-level package, found by name so that no
# package is imported to look (a subclass counts: its bases are looked at too)
_FRAMES = {
    "pandas": {"DataFrame", "Series", "Index", "ExtensionArray", "Styler"},
    "numpy": {"ndarray"},
    "pyarrow": {"Table", "RecordBatch", "Array", "ChunkedArray"},
    "polars": {"DataFrame", "Series", "LazyFrame"},
}


class UnserializableDataError(TypeError):
    """`data=` that can't travel to the page as JSON, bytes or Arrow tables."""


@dataclass(frozen=True)
class Payload:
    """`data=` as it goes to the page.

    kind: "none", "json", "bytes", "arrow" (a dataframe given as data: its Arrow IPC bytes)
    or "mixed" (a dict whose values include dataframes).
    value: the JSON the page gets; for "mixed", with a placeholder for each table.
    raw: the bytes of "bytes" and "arrow".
    tables: for "mixed", each table's Arrow IPC bytes by the reference its placeholder names.
    """

    kind: str
    value: Any = None
    raw: bytes = b""
    tables: dict[str, bytes] = field(default_factory=dict)


def is_dataframe_like(obj: Any) -> bool:
    """A pandas, numpy, pyarrow or polars object Streamlit would send as an Arrow table, or a
    dict of pandas Series (the columns of one)."""
    if _frame_type(type(obj)):
        return True
    return (isinstance(obj, dict) and bool(obj)
            and all(_frame_type(type(v)) == "Series" and type(v).__module__.startswith(
                "pandas") for v in obj.values()))


def _frame_type(cls: type) -> str | None:
    for base in cls.__mro__:
        if base.__name__ in _FRAMES.get(base.__module__.split(".")[0], ()):
            return base.__name__
    return None


def arrow_ipc(obj: Any) -> bytes:
    """The Arrow IPC stream of a dataframe-like object, as Streamlit writes it: through
    pandas unless it is Arrow already (or polars, which converts straight to Arrow)."""
    try:
        import pyarrow as pa
    except ImportError:
        raise UnserializableDataError(
            "sending a dataframe to a component needs pyarrow (pip install pyarrow), as it "
            "does in Streamlit") from None
    if isinstance(obj, pa.RecordBatch):
        table = pa.Table.from_batches([obj])
    elif isinstance(obj, pa.Table):
        table = obj
    elif type(obj).__module__.split(".")[0] == "polars":
        frame = obj.collect() if type(obj).__name__ == "LazyFrame" else obj
        table = (frame.to_frame() if type(obj).__name__ == "Series" else frame).to_arrow()
    else:
        table = _from_pandas(pa, obj)
    # large lists go as plain lists, as Streamlit sends them (older Arrow JavaScript reads
    # none)
    large = [i for i, f in enumerate(table.schema) if pa.types.is_large_list(f.type)]
    for i in large:
        item = table.schema.field(i)
        table = table.set_column(i, item.with_type(pa.list_(item.type.value_type)),
                                 table.column(i).cast(pa.list_(item.type.value_type)))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _from_pandas(pa: Any, obj: Any) -> Any:
    import pandas as pd

    from .data import to_frame

    if isinstance(obj, (pa.Array, pa.ChunkedArray)):
        obj = obj.to_pandas()
    if isinstance(obj, (dict, pd.Index)):  # columns as pandas Series; an index's values
        obj = pd.DataFrame(obj)
    elif isinstance(obj, (set, frozenset)) or getattr(obj, "ndim", 0) == 1 and not isinstance(
            obj, (pd.Series, pd.api.extensions.ExtensionArray)):
        obj = pd.DataFrame({"value": list(obj)})  # a column of values, named as Streamlit does
    frame = to_frame(obj)
    try:
        return pa.Table.from_pandas(frame)
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        # a column Arrow can't type (mixed values) goes as text, as Streamlit sends it
        frame = frame.copy()
        for name in frame.columns:
            if frame[name].dtype == object and not _arrow_typed(pa, frame[name]):
                frame[name] = frame[name].astype("string")
        return pa.Table.from_pandas(frame)


def _arrow_typed(pa: Any, column: Any) -> bool:
    try:
        pa.array(column, from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        return False
    return True


def payload(name: str, data: Any) -> Payload:
    """What the page gets for `data`; a clear error when part of it can't go."""
    if data is None:
        return Payload("none")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return Payload("bytes", raw=bytes(data))
    if not isinstance(data, (Mapping, list, tuple)) and (
            is_dataframe_like(data) or isinstance(data, (set, frozenset))):
        return Payload("arrow", raw=_table(name, "data", data))
    tables: dict[str, bytes] = {}
    if isinstance(data, dict):
        data = dict(data)
        for key, value in list(data.items()):
            if is_dataframe_like(value):
                ipc = _table(name, f"data[{key!r}]", value)
                ref = xxhash.xxh3_128_hexdigest(ipc)
                tables[ref] = ipc
                data[key] = {ARROW_REF_KEY: ref}
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise UnserializableDataError(
            f"component {name!r}: data= can't be sent to the page ({error}): give JSON values "
            "(dict, list, str, int, float, bool, None), bytes, or a dataframe, alone or as a "
            "value of a dict (a dataframe deeper down, or in a list, is not sent as a table, "
            "as in Streamlit)") from None
    return Payload("mixed" if tables else "json", json.loads(text), tables=tables)


def _table(name: str, where: str, value: Any) -> bytes:
    try:
        return arrow_ipc(value)
    except UnserializableDataError as error:
        raise UnserializableDataError(f"component {name!r}: {where}: {error}") from None
    except Exception as error:
        raise UnserializableDataError(
            f"component {name!r}: {where} ({type(value).__name__}) can't be sent as an Arrow "
            f"table: {error}") from error
