"""`data_editor`: the table, drawn read-only, and the data returned as given.

Streamlit's editor is its own data grid; Jupyter has no editable table a kernel can draw
without another front-end extension. Apps mostly use the editor to show a table and carry on
with its return value, which works unchanged; the table says that it can't be edited here,
and asking for added or deleted rows is an error, since that would do nothing.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from .core import draw
from .data import table_element, to_frame
from .params import css_height, css_width, unsupported

READ_ONLY = ('<div class="rk-table-note" style="opacity:0.7">Read-only here: Jupyter has no '
             "editable table; the app gets the data as given.</div>")


def data_editor(data: Any, *, width: Any = "stretch", height: Any = "auto",
                use_container_width: bool | None = None, hide_index: bool | None = None,
                column_order: Iterable[str] | None = None, column_config: dict | None = None,
                num_rows: str = "fixed", disabled: bool | Iterable[str] = False,
                key: str | int | None = None, on_change: Callable | None = None,
                args: Sequence | None = None, kwargs: dict | None = None,
                row_height: int | None = None, placeholder: str | None = None) -> Any:
    """Show `data` as a table and return it unchanged (nothing can be edited in Jupyter)."""
    if num_rows not in ("fixed", "dynamic"):
        raise ValueError(f"rk.data_editor(num_rows={num_rows!r}): must be 'fixed' or "
                         "'dynamic'")
    if num_rows == "dynamic":
        raise unsupported("data_editor", "num_rows", num_rows,
                          "rows can't be added or deleted in Jupyter's static table")
    shown = to_frame(data)
    if column_config is not None:
        from .column_config import apply

        shown = apply(shown, column_config, column_order)
        column_order = None  # applied above, before columns took their labels
    css = css_width("data_editor", width, use_container_width)
    element = table_element(shown, height=css_height("data_editor", height, ("auto", "content")),
                            width=None if css == "100%" else css, hide_index=hide_index,
                            column_order=column_order, placeholder=placeholder)
    element.data["text/html"] += READ_ONLY
    element.value = to_frame(data)
    draw(element)
    return data
