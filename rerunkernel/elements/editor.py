"""`data_editor`: the table, drawn read-only, and the data returned as given.

Streamlit's editor is its own data grid; Jupyter has no editable table a kernel can draw
without another front-end extension. Apps mostly use the editor to show a table and carry on
with its return value, which works unchanged; the table says that it can't be edited here.
Rows the app lets the user add or delete (`num_rows`) are no different: the note under the
table says that rows can't be added or deleted either, and the data comes back as given, as
it would from Streamlit's editor before the user touched it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from .core import draw
from .data import table_element, to_frame
from .params import css_height, css_width

READ_ONLY = ('<div class="rk-table-note" style="opacity:0.7">Read-only here: Jupyter has no '
             "editable table; the app gets the data as given.</div>")
NO_NEW_ROWS = ('<div class="rk-table-note" style="opacity:0.7">Read-only here: Jupyter has no '
               "editable table, so rows can't be added or deleted either; the app gets the "
               "data as given.</div>")
NUM_ROWS = ("fixed", "dynamic", "add", "delete")


def data_editor(data: Any, *, width: Any = "stretch", height: Any = "auto",
                use_container_width: bool | None = None, hide_index: bool | None = None,
                column_order: Iterable[str] | None = None, column_config: dict | None = None,
                num_rows: str = "fixed", disabled: bool | Iterable[str] = False,
                key: str | int | None = None, on_change: Callable | None = None,
                args: Sequence | None = None, kwargs: dict | None = None,
                row_height: int | None = None, placeholder: str | None = None,
                alt: str | None = None) -> Any:
    """Show `data` as a table and return it unchanged (nothing can be edited in Jupyter)."""
    if num_rows not in NUM_ROWS:
        raise ValueError(f"rk.data_editor(num_rows={num_rows!r}): must be one of "
                         f"{', '.join(map(repr, NUM_ROWS))}")
    shown = to_frame(data)
    if column_config is not None:
        from .column_config import apply

        shown = apply(shown, column_config, column_order)
        column_order = None  # applied above, before columns took their labels
    css = css_width("data_editor", width, use_container_width)
    element = table_element(shown, height=css_height("data_editor", height, ("auto", "content")),
                            width=None if css == "100%" else css, hide_index=hide_index,
                            column_order=column_order, placeholder=placeholder, alt=alt)
    element.data["text/html"] += READ_ONLY if num_rows == "fixed" else NO_NEW_ROWS
    element.value = to_frame(data)
    draw(element)
    return data
