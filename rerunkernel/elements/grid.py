"""`grid`: Streamlit's responsive grid, a CSS grid of cells that reflows with the width.

Each element drawn into the grid is one cell, in order; `grid.cell()` groups several and can
span columns or rows. The box is ipywidgets' GridBox, whose layout is CSS grid's own, so the
browser does the reflowing Streamlit's front-end does: with `wrap` (the default) a column is
dropped before cells get narrower than `min_column_width`.
"""

from __future__ import annotations

from typing import Any

from ..core import runtime
from ..core.page import CellWriter
from .layout import BoxSurface, Container, layout_box
from .params import css_width
from .widget_call import WidgetCall

# Streamlit's gaps between cells (rem of the base font size)
GRID_GAPS = {"xxsmall": "0.25rem", "xsmall": "0.5rem", "small": "1rem", "medium": "2rem",
             "large": "4rem", "xlarge": "6rem", "xxlarge": "8rem", None: "0"}
MIN_COLUMN_WIDTH = 200  # pixels: Streamlit's theme-based "auto"
MAX_COLUMNS = 24
ALIGN = {"top": "flex-start", "center": "center", "bottom": "flex-end"}
CELL_BORDER = {"border": "1px solid var(--jp-border-color2, #ccc)", "padding": "8px"}


def _gap(call: WidgetCall, gap: Any) -> str:
    if isinstance(gap, int) and not isinstance(gap, bool) and gap >= 0:
        return f"{gap}px"
    if isinstance(gap, str) or gap is None:
        if gap in GRID_GAPS:
            return GRID_GAPS[gap]
    raise call.fail(f"gap must be one of {', '.join(map(repr, GRID_GAPS))} or a number of "
                    f"pixels, got {gap!r}")


def _tracks(call: WidgetCall, columns: Any, min_width: Any, wrap: bool, column_gap: str
            ) -> str:
    """CSS `grid-template-columns` for Streamlit's `columns`, `min_column_width`, `wrap`."""
    if min_width == "auto":
        least = MIN_COLUMN_WIDTH
    elif isinstance(min_width, int) and not isinstance(min_width, bool) and min_width > 0:
        least = min_width
    else:
        raise call.fail(f"min_column_width must be 'auto' or a positive number of pixels, got "
                        f"{min_width!r}")
    if columns == "auto":
        if not wrap:
            raise call.fail("wrap=False needs a number of columns to keep, not 'auto'")
        return f"repeat(auto-fill, minmax({least}px, 1fr))"
    if isinstance(columns, bool) or not isinstance(columns, int) or not (
            1 <= columns <= MAX_COLUMNS):
        raise call.fail(f"columns must be 'auto' or an int from 1 to {MAX_COLUMNS}, got "
                        f"{columns!r}")
    if not wrap:
        return f"repeat({columns}, minmax({least}px, 1fr))"
    # at most `columns` tracks, each at least `least` wide: a track's floor is the larger of
    # `least` and the share `columns` tracks would get, so fewer fit as the width shrinks
    share = f"(100% - {columns - 1} * {column_gap}) / {columns}"
    return f"repeat(auto-fill, minmax(max({least}px, calc({share})), 1fr))"


def _texts(box: Any) -> str:
    return "\n".join(BoxSurface(box).texts())


class GridContainer(Container):
    """The grid: draw into it with `with` or method calls; `cell()` makes a cell of several
    elements, spanning tracks."""

    def __init__(self, box: Any, columns: Any, slot: dict[str, str]) -> None:
        super().__init__(box)
        self._columns = columns
        self._slot = slot

    def _inner_writer(self, ctx: runtime.RunContext) -> CellWriter:
        cell = ctx.writer.cell if ctx.writer is not None else None
        form = ctx.writer.form if ctx.writer is not None else None
        return ctx.box_writer(self._box.model_id, lambda: CellWriter(
            BoxSurface(self._box, self._slot), cell, form=form))

    def cell(self, *, column_span: int | str = 1, row_span: int = 1) -> Container:
        """The next cell, holding what is drawn into it; it spans `column_span` columns
        ('all': the whole row) and `row_span` rows."""
        import ipywidgets

        call = WidgetCall("grid.cell", None)
        if column_span == "all":
            across = "1 / -1"
        elif isinstance(column_span, int) and not isinstance(column_span, bool) and (
                column_span >= 1):
            if isinstance(self._columns, int) and column_span > self._columns:
                raise call.fail(f"column_span={column_span} is more than the grid's "
                                f"{self._columns} columns")
            across = f"span {column_span}"
        else:
            raise call.fail(f"column_span must be a positive int or 'all', got "
                            f"{column_span!r}")
        if isinstance(row_span, bool) or not isinstance(row_span, int) or row_span < 1:
            raise call.fail(f"row_span must be a positive int, got {row_span!r}")
        spans = {"grid_column": across, "grid_row": f"span {row_span}"}
        with self:
            box = layout_box("container", lambda: ipywidgets.VBox(), {}, _texts, slot=spans)
        return Container(box)


def grid(columns: int | str = "auto", *, min_column_width: int | str = "auto",
         wrap: bool = True, gap: Any = "small", vertical_alignment: str = "top",
         border: bool = False, row_height: int | str = "content", width: Any = "stretch",
         height: Any = "content", key: str | int | None = None, dense: bool = False
         ) -> GridContainer:
    """A responsive grid: each element drawn into it is the next cell (see the module
    docstring)."""
    import ipywidgets

    call = WidgetCall("grid", columns)
    if isinstance(gap, (tuple, list)):
        if len(gap) != 2:
            raise call.fail(f"gap as a pair is (row_gap, column_gap), got {gap!r}")
        row_gap, column_gap = _gap(call, gap[0]), _gap(call, gap[1])
    else:
        row_gap = column_gap = _gap(call, gap)
    if vertical_alignment not in ALIGN:
        raise call.fail("vertical_alignment must be 'top', 'center' or 'bottom'")
    layout: dict[str, Any] = {
        "grid_template_columns": _tracks(call, columns, min_column_width, bool(wrap),
                                         column_gap),
        "grid_gap": f"{row_gap} {column_gap}", "align_items": ALIGN[vertical_alignment],
        "width": css_width("grid", width) or "100%",
    }
    if not wrap:
        layout["overflow"] = "auto hidden"
    if row_height != "content":
        if isinstance(row_height, bool) or not isinstance(row_height, int) or row_height < 1:
            raise call.fail(f"row_height must be 'content' or a positive number of pixels, "
                            f"got {row_height!r}")
        layout["grid_auto_rows"] = f"{row_height}px"
    if height not in ("content", "stretch"):
        if isinstance(height, bool) or not isinstance(height, int) or height < 1:
            raise call.fail(f"height must be 'content', 'stretch' or a positive number of "
                            f"pixels, got {height!r}")
        layout.update(height=f"{height}px", overflow="auto")
    if dense:
        layout["grid_auto_flow"] = "row dense"
    slot = dict(CELL_BORDER) if border else {}
    if row_height != "content":
        slot["overflow"] = "auto"

    def make() -> Any:
        return ipywidgets.GridBox(layout=ipywidgets.Layout(**layout))

    box = layout_box("container:grid", make, {"layout": tuple(sorted(layout.items())),
                                              "slot": tuple(sorted(slot.items()))}, _texts)
    return GridContainer(box, columns, slot)
