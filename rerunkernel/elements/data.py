"""Tables and JSON: pandas, numpy, dicts and lists, bounded so a huge frame stays cheap.

Only the first rows are turned into HTML (to_html on 10 million rows would freeze both the
kernel and the browser); the element says how many rows it left out.
"""

from __future__ import annotations

import json as _json
import pprint
from typing import Any

from ..page import Element
from .core import draw

PREVIEW_ROWS = 1000
DEFAULT_HEIGHT = 400


def is_tabular(obj: Any) -> bool:
    module = type(obj).__module__.split(".")[0]
    name = type(obj).__name__
    if module == "pandas" and name in ("DataFrame", "Series", "Index", "Styler"):
        return True
    if module == "numpy" and name == "ndarray":
        return getattr(obj, "ndim", 0) in (1, 2)
    return module in ("pyarrow", "polars") and name in ("Table", "DataFrame")


def to_frame(data: Any):
    """A pandas DataFrame for anything table-like (pandas is needed for tables)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - exercised only without pandas
        raise ImportError("tables need pandas: pip install 'rerunkernel[data]'") from exc
    if data is None:
        return pd.DataFrame()
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, (pd.Series, pd.Index)):
        return data.to_frame()
    if type(data).__name__ == "Styler":
        return data.data
    if hasattr(data, "to_pandas"):
        return data.to_pandas()
    if isinstance(data, dict) and data and not any(
        isinstance(v, (list, tuple, dict)) or hasattr(v, "__array__") for v in data.values()
    ):
        return pd.DataFrame({"value": list(data.values())}, index=list(data.keys()))
    return pd.DataFrame(data)


def table_element(
    data: Any,
    *,
    height: int | None = None,
    width: int | None = None,
    hide_index: bool | None = None,
    column_order: list[str] | None = None,
    scroll: bool = True,
    kind: str = "dataframe",
) -> Element:
    frame = to_frame(data)
    if column_order is not None:
        frame = frame[list(column_order)]
    total = len(frame)
    shown = frame.head(PREVIEW_ROWS)
    table_html = shown.to_html(index=not hide_index, border=0, classes="dataframe rk-table")
    note = ""
    if total > len(shown):
        note = (f'<div class="rk-table-note">Showing the first {len(shown):,} of '
                f"{total:,} rows.</div>")
    style = []
    if scroll:
        style.append(f"max-height:{height or DEFAULT_HEIGHT}px;overflow:auto")
    if width:
        style.append(f"max-width:{int(width)}px")
    html = f'<div style="{";".join(style)}">{table_html}</div>{note}'
    plain = repr(frame if not hide_index else frame.reset_index(drop=True))
    return Element(kind=kind, data={"text/html": html, "text/plain": plain}, value=frame)


def dataframe(
    data: Any = None,
    width: int | None = None,
    height: int | None = None,
    *,
    use_container_width: bool | None = None,
    hide_index: bool | None = None,
    column_order: list[str] | None = None,
    column_config: dict | None = None,
    key: str | None = None,
    on_select: str = "ignore",
    selection_mode: str = "multi-row",
    row_height: int | None = None,
) -> None:
    """An interactive-style table: scrollable, bounded preview of large data."""
    if column_config is not None:
        raise NotImplementedError("rk.dataframe(column_config=...) is not supported")
    if on_select != "ignore":
        raise NotImplementedError("rk.dataframe(on_select=...) is not supported: "
                                  "use widgets to choose rows")
    draw(table_element(data, height=height, width=width, hide_index=hide_index,
                       column_order=column_order))


def table(data: Any = None) -> None:
    """A static table (no scroll box), still bounded to a preview for very large data."""
    draw(table_element(data, scroll=False, kind="table"))


def json_element(body: Any, expanded: bool | int = True) -> Element:
    if isinstance(body, str):
        try:
            body = _json.loads(body)
        except ValueError:
            pass
    clean = _json.loads(_json.dumps(body, default=str))
    metadata = {"application/json": {"expanded": bool(expanded)}}
    return Element(
        kind="json",
        data={"application/json": clean, "text/plain": pprint.pformat(body, width=88)},
        metadata=metadata,
        value=body,
    )


def json(body: Any, *, expanded: bool | int = True) -> None:
    draw(json_element(body, expanded))
