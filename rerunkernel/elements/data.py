"""Tables and JSON: pandas, numpy, Arrow, dicts and lists, bounded so a huge frame stays cheap.

Only the first rows and columns are turned into HTML (to_html on 10 million rows would
freeze both the kernel and the browser); the element says how many it left out. The
element's value is the whole frame, so tests and `AppTest` see all of the data.
"""

from __future__ import annotations

import json as _json
import pprint
from typing import TYPE_CHECKING, Any, Iterable

from ..core.element import Element
from .core import draw, html_escape
from .handles import drawn
from .params import css_height, css_width, refuse
from .selection import TABLE_MODES, Selection, check_modes, keep, selecting, table_selection

if TYPE_CHECKING:
    from .layout import Placeholder

PREVIEW_ROWS = 1000
PREVIEW_COLUMNS = 200
DEFAULT_HEIGHT = 400

_RULE = "1px solid var(--jp-border-color2, #ccc)"
# Streamlit's table borders (class, its rule); JupyterLab's own table style has none
BORDERS: dict[bool | str, tuple[str, str]] = {
    False: ("", ""),
    True: (" rk-grid", f"<style>.rk-grid th, .rk-grid td {{border: {_RULE}}}</style>"),
    "horizontal": (" rk-rows", f"<style>.rk-rows th, .rk-rows td {{border-bottom: {_RULE}}}"
                   "</style>"),
}


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
    if getattr(data, "ndim", 2) == 0:
        return pd.DataFrame()  # a 0-d array: Streamlit shows an empty table
    if getattr(data, "ndim", 2) > 2:
        raise ValueError(f"a table needs 1 or 2 dimensions; this array has {data.ndim} "
                         f"(shape {data.shape}): reshape it or pick a slice")
    if isinstance(data, dict) and data and not any(
        isinstance(v, (list, tuple, dict)) or hasattr(v, "__array__") for v in data.values()
    ):
        return pd.DataFrame({"value": list(data.values())}, index=list(data.keys()))
    if isinstance(data, (set, frozenset)):
        data = list(data)
    return pd.DataFrame(data)


def _note(rows: int, shown_rows: int, columns: int, shown_columns: int) -> str:
    hidden = []
    if rows > shown_rows:
        hidden.append(f"the first {shown_rows:,} of {rows:,} rows")
    if columns > shown_columns:
        hidden.append(f"the first {shown_columns:,} of {columns:,} columns")
    return "Showing " + " and ".join(hidden) + "." if hidden else ""


def table_element(
    data: Any,
    *,
    height: str | None = None,
    width: str | None = None,
    hide_index: bool | None = None,
    hide_header: bool | None = None,
    column_order: Iterable[str] | None = None,
    scroll: bool = True,
    border: bool | str = False,
    placeholder: str | None = None,
    alt: str | None = None,
    kind: str = "dataframe",
) -> Element:
    """`height`/`width` are CSS lengths (None: natural); `scroll` puts it in a scroll box."""
    frame = to_frame(data)
    if column_order is not None:
        frame = frame[list(column_order)]
    rows, columns = frame.shape
    shown = frame.iloc[:PREVIEW_ROWS, :PREVIEW_COLUMNS]
    classes = "dataframe rk-table" + BORDERS[border][0]
    table_html = shown.to_html(index=not hide_index, header=not hide_header, border=0,
                               classes=classes, na_rep=placeholder if placeholder else "NaN")
    note = _note(rows, len(shown), columns, shown.shape[1])
    style = []
    if scroll:
        style.append(f"max-height:{height or f'{DEFAULT_HEIGHT}px'};overflow:auto")
    elif height:
        style.append(f"max-height:{height};overflow:auto")
    if width:
        style.append(f"max-width:{width}")
    label = f' role="figure" aria-label="{html_escape(alt)}"' if alt else ""
    html = f'{BORDERS[border][1]}<div style="{";".join(style)}"{label}>{table_html}</div>'
    if note:
        html += f'<div class="rk-table-note" style="opacity:0.7">{note}</div>'
    shown_frame = frame if not hide_index else frame.reset_index(drop=True)
    plain = repr(shown_frame) + (f"\n{note}" if note else "")
    return Element(kind=kind, data={"text/html": html, "text/plain": plain}, value=frame)


def dataframe(
    data: Any = None,
    width: Any = "stretch",
    height: Any = "auto",
    *,
    use_container_width: bool | None = None,
    hide_index: bool | None = None,
    column_order: Iterable[str] | None = None,
    column_config: dict | None = None,
    key: str | int | None = None,
    on_select: Any = "ignore",
    selection_mode: Any = "multi-row",
    selection_default: Any = None,
    row_height: int | None = None,
    placeholder: str | None = None,
    lazy: bool | None = None,
    alt: str | None = None,
) -> Placeholder | Selection:
    """A scrollable table; very large data shows a bounded preview and says what it hides.

    With `on_select` it returns Streamlit's selection state, always empty: rows of an HTML
    table can't be picked from the kernel's side (see selection.py).
    """
    shown = data
    if column_config is not None:
        from .column_config import apply

        shown = apply(to_frame(data), column_config, column_order)
        column_order = None  # applied above, before columns took their labels
    selects = selecting("dataframe", on_select)
    check_modes("dataframe", selection_mode, TABLE_MODES)
    refuse("dataframe", selection_default=(selection_default, None),
           row_height=(row_height, None), lazy=(lazy, None))
    css = css_width("dataframe", width, use_container_width)
    element = table_element(shown, height=css_height("dataframe", height, ("auto", "content")),
                            width=None if css == "100%" else css, hide_index=hide_index,
                            column_order=column_order, placeholder=placeholder, alt=alt)
    if shown is not data:  # the app reads back its data, not the labels it showed
        element.value = to_frame(data)
    place = drawn(element)
    return keep(key, table_selection()) if selects else place


def table(
    data: Any = None,
    *,
    border: bool | str = True,
    width: Any = "stretch",
    height: Any = "content",
    hide_index: bool | None = None,
    hide_header: bool | None = None,
    alt: str | None = None,
) -> Placeholder:
    """A static table (no scroll box), still bounded to a preview for very large data."""
    if border not in (True, False, "horizontal"):
        raise ValueError(f"rk.table(border={border!r}): must be True, False or 'horizontal'")
    css = css_width("table", width)
    return drawn(table_element(data, scroll=False, kind="table", border=border,
                       height=css_height("table", height), width=None if css == "100%" else css,
                       hide_index=hide_index, hide_header=hide_header, alt=alt))


def json_element(body: Any, expanded: bool | int = True) -> Element:
    if isinstance(body, str):
        try:
            body = _json.loads(body)
        except ValueError:
            pass
    if hasattr(body, "to_dict") and callable(body.to_dict):
        body = body.to_dict()
    clean = _json.loads(_json.dumps(body, default=str))
    if not isinstance(expanded, int) or (not isinstance(expanded, bool) and expanded < 0):
        raise ValueError(f"rk.json(expanded={expanded!r}): must be True, False or a depth")
    metadata = {"application/json": {"expanded": bool(expanded), "root": "root"}}
    return Element(
        kind="json",
        data={"application/json": clean, "text/plain": pprint.pformat(body, width=88)},
        metadata=metadata,
        value=body,
    )


def json(body: Any, *, expanded: bool | int = True, width: Any = "stretch") -> None:
    """A collapsible JSON tree (JupyterLab's JSON viewer); `expanded` is a bool or a depth.

    The viewer opens all levels or none, so a depth opens all of them (0 opens none).
    """
    refuse("json", width=(width, "stretch"))
    draw(json_element(body, expanded))
