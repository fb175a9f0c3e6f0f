"""Charts as Vega-Lite v5, the chart format JupyterLab renders natively.

The four simple charts (`line_chart`, `area_chart`, `bar_chart`, `scatter_chart`) handle data
as Streamlit does: wide data (one column per series) is melted into long form, `x` defaults
to the index, `y` to every other column, and `color` is either a column that splits the
series (whose values may themselves be colours) or fixed colour(s).

Fallbacks for viewers without Vega-Lite: every chart carries a one-line text summary. A
headless run (nbclient, papermill, `rerunkernel run`), whose outputs are stored and viewed
anywhere, also carries a PNG drawn with matplotlib when it is installed; live sessions skip
it, since their front-end renders Vega-Lite and a PNG would cost every rerun tens of
milliseconds per chart. `vega_lite_chart` and `altair_chart` get the text fallback only:
drawing an arbitrary spec needs a Vega engine.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Sequence

from ..core import runtime
from ..core.element import Element
from .data import to_frame
from .handles import drawn
from .params import css_height
from .selection import Selection, keep, selecting, vega_selection

if TYPE_CHECKING:
    from .layout import Placeholder

VEGA_LITE_MIME = "application/vnd.vegalite.v5+json"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
DEFAULT_HEIGHT = 300
STACKS = {True: "zero", "normalize": "normalize", "center": "center"}


def _is_colour(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("#", "rgb", "hsl"))


def _field(name: str) -> str:
    """A column name as a Vega-Lite field reference (dots and brackets mean nesting there)."""
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _field_type(series: Any) -> str:
    kind = getattr(series.dtype, "kind", "O")
    if kind == "M":
        return "temporal"
    if kind in "biuf":
        return "quantitative"
    return "ordinal"


def _is_integer(series: Any) -> bool:
    return getattr(series.dtype, "kind", "O") in "iu"


def _whole_span(long: _Long, column: str, stacked: bool = False) -> int | None:
    """How many whole units an axis over integers spans (from zero, which the scale
    includes; stacked, to the highest total), or None if the values are not integers."""
    values = long.frame[column]
    if not _is_integer(values) or values.empty:
        return None
    if stacked:
        totals = values.groupby(long.frame[long.x]).sum()
        return int(max(totals.max(), 0) - min(totals.min(), 0))
    return int(max(values.max(), 0) - min(values.min(), 0))


def _unused(frame: Any, name: str) -> str:
    while name in frame.columns:
        name = f"{name}_"
    return name


def _columns(call: str, frame: Any, what: str, names: Any) -> list[str]:
    wanted = [names] if isinstance(names, str) else [str(n) for n in names]
    for name in wanted:
        if name not in frame.columns:
            raise ValueError(f"rk.{call}({what}={name!r}): no such column; the columns are "
                             f"{list(frame.columns)}")
    return wanted


# Vega-Lite's width "container" hangs a page where the chart's box is sized by the chart
# itself (vega-embed's inline-block, which is what JupyterLab and others draw): the chart and
# its box then resize each other in a loop. So the spec carries a fixed width, which any
# viewer draws, and JupyterLab is asked, through the output's embed options, to replace it
# once, when it draws the chart, by the width of the chart's box. The extension's stylesheet
# makes that box as wide as its cell or column; without it the box is empty then (0 px) and
# the fixed width stays.
STRETCH_WIDTH = 640
FIT = {"type": "fit", "contains": "padding"}
_WIDTH_AT_RENDER = f"containerSize()[0] > 0 ? containerSize()[0] : {STRETCH_WIDTH}"
FOLLOW_CONTAINER = {VEGA_LITE_MIME: {"embed_options": {"patch": [
    {"op": "add", "path": "/signals", "value": [{"name": "width", "init": _WIDTH_AT_RENDER}]},
]}}}


def _stretch(spec: dict[str, Any]) -> None:
    """The fixed width, and the fit that lets JupyterLab replace it where it safely can."""
    spec["width"] = STRETCH_WIDTH
    if _can_follow_container(spec):
        spec["autosize"] = FIT


def _can_follow_container(spec: dict[str, Any]) -> bool:
    """The patch sets the compiled spec's signals, which must then have none of their own:
    a single or layered view of fixed height (a discrete axis without a size is sized by
    signals) and no parameters. Maps are left alone: a projection sizes itself to the view
    in its own way."""
    height = spec.get("height")
    if not isinstance(height, (int, float)) or isinstance(height, bool) or not (
            "mark" in spec or "layer" in spec) or "projection" in spec:
        return False
    text = json.dumps({k: v for k, v in spec.items() if k not in ("data", "datasets")},
                      default=str)
    return '"params"' not in text and '"selection"' not in text


def _chart_size(call: str, width: Any, height: Any, use_container_width: bool | None
                ) -> tuple[Any, Any]:
    if use_container_width is not None:
        width = "stretch" if use_container_width else "content"
    if width == "stretch":
        vega_width: Any = "stretch"
    elif width == "content" or width is None:
        vega_width = None
    elif isinstance(width, int) and not isinstance(width, bool) and width > 0:
        vega_width = width
    else:
        raise ValueError(f"rk.{call}(width={width!r}): width must be 'stretch', 'content' or "
                         "a positive number of pixels")
    fixed = css_height(call, height)
    return vega_width, int(fixed[:-2]) if fixed else None


class _Long:
    """The chart's data in long form, and which fields play which part."""

    def __init__(self, call: str, data: Any, x: str | None, y: str | Sequence[str] | None,
                 color: Any, size: Any) -> None:
        frame = to_frame(data)
        frame = frame.rename(columns={c: str(c) for c in frame.columns})
        if x is None:
            name = _unused(frame, str(frame.index.name or "index"))
            frame = frame.reset_index(names=name)
            x = name
        self.x = _columns(call, frame, "x", x)[0]
        self.colour_column = None
        if isinstance(color, str) and not _is_colour(color):
            self.colour_column = _columns(call, frame, "color", color)[0]
        self.size_column = _columns(call, frame, "size", size)[0] if isinstance(size, str) \
            else None
        taken = {self.x, self.colour_column, self.size_column}
        ys = [c for c in frame.columns if c not in taken] if y is None \
            else _columns(call, frame, "y", y)
        if not ys:
            # nothing to plot (no data, or only the x column): Streamlit draws empty axes
            ys = [_unused(frame, "value")]
            frame = frame[[self.x]].iloc[:0].assign(**{ys[0]: []})
        self.ys = ys
        keep = [c for c in (self.x, self.colour_column, self.size_column) if c is not None]
        if len(ys) == 1:
            self.frame = frame[list(dict.fromkeys(keep + ys))]
            self.y = ys[0]
            self.series = self.colour_column
        else:
            if self.colour_column is not None:
                raise ValueError(f"rk.{call}(color={color!r}) names a column, so y must be a "
                                 f"single column, not {ys}")
            self.series = _unused(frame, "series")
            self.y = _unused(frame, "value")
            # by hand rather than DataFrame.melt, which drops a y column that is also x
            import pandas as pd

            self.frame = pd.concat(
                [frame[keep].assign(**{self.series: column, self.y: frame[column]})
                 for column in ys], ignore_index=True)
        self.x_type = _field_type(frame[self.x])
        self.stacked = True
        self.horizontal = False

    def records(self) -> list[dict[str, Any]]:
        return json.loads(self.frame.to_json(orient="records", date_format="iso"))


def build_chart(
    mark: str,
    data: Any,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    color: str | Sequence[str] | None = None,
    size: str | float | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    width: Any = "stretch",
    height: Any = "content",
    stack: bool | str | None = None,
    horizontal: bool = False,
    sort: bool | str = True,
    use_container_width: bool | None = None,
    alt: str | None = None,
    call: str = "line_chart",
) -> tuple[dict[str, Any], _Long]:
    """The Vega-Lite spec of a simple chart, and the long-form data it shows."""
    long = _Long(call, data, x, y, color, size)
    encoding: dict[str, Any] = {
        "x": {"field": _field(long.x), "type": long.x_type,
              "title": x_label if x_label is not None else long.x},
        "y": {"field": _field(long.y), "type": "quantitative",
              "title": y_label if y_label is not None else (long.y if len(long.ys) == 1 else "")},
    }
    if mark == "bar" and long.x_type == "quantitative":
        encoding["x"]["type"] = "ordinal"
    spans = {"x": _whole_span(long, long.x) if encoding["x"]["type"] == "quantitative"
             else None,
             "y": None if stack == "normalize" else _whole_span(
                 long, long.y, stacked=mark in ("bar", "area") and long.series is not None
                 and stack not in (False, "layered"))}
    mark_spec: dict[str, Any] = {"type": mark, "tooltip": True}
    colours = [color] if _is_colour(color) else (
        list(color) if isinstance(color, (list, tuple)) else None)
    if long.series is not None:
        encoding["color"] = {"field": _field(long.series), "type": "nominal",
                             "title": long.series if long.colour_column else ""}
        values = long.frame[long.series]
        if long.colour_column is not None and len(values) and all(map(_is_colour, values)):
            encoding["color"]["scale"] = None
        elif colours is not None:
            if len(colours) != len(long.ys):
                raise ValueError(f"rk.{call}(color={color!r}): give one colour per y column "
                                 f"({len(long.ys)}: {long.ys})")
            encoding["color"]["scale"] = {"domain": long.ys, "range": colours}
    elif colours is not None:
        if len(colours) != 1:
            raise ValueError(f"rk.{call}(color={color!r}): one y column takes one colour")
        mark_spec["color"] = colours[0]
    if stack is not None and mark in ("bar", "area"):
        if stack is False and mark == "bar" and long.series is not None:
            encoding["xOffset"] = {"field": _field(long.series)}
        elif stack in STACKS:
            encoding["y"]["stack"] = STACKS[stack]
        elif stack in (False, "layered"):
            encoding["y"]["stack"] = None
            mark_spec["opacity"] = 0.7
        else:
            raise ValueError(f"rk.{call}(stack={stack!r}): must be True, False, 'normalize', "
                             "'center' or 'layered'")
    if mark == "bar":
        _sort(encoding, long, sort)
    if long.size_column is not None:
        encoding["size"] = {"field": _field(long.size_column), "type": "quantitative"}
    elif size is not None:
        if isinstance(size, bool) or not isinstance(size, (int, float)) or size <= 0:
            raise ValueError(f"rk.scatter_chart(size={size!r}): a column or a positive number")
        mark_spec["size"] = size
    if horizontal:
        encoding["x"], encoding["y"] = encoding["y"], encoding["x"]
        spans = {"x": spans["y"], "y": spans["x"]}
        if "xOffset" in encoding:
            encoding["yOffset"] = encoding.pop("xOffset")
    for channel, extent in (("x", "width"), ("y", "height")):
        if spans[channel] is not None:
            # no more ticks than whole numbers in the span, so none falls between two
            # (Vega's tickMinStep does not hold on every axis)
            encoding[channel]["axis"] = {
                "tickCount": {"expr": f"min(ceil({extent} / 40), {max(spans[channel], 1)})"}}
    vega_width, vega_height = _chart_size(call, width, height, use_container_width)
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": long.records()},
        "mark": mark_spec,
        "encoding": encoding,
        "height": vega_height or DEFAULT_HEIGHT,
    }
    if vega_width == "stretch":
        _stretch(spec)
    elif vega_width is not None:
        spec["width"] = vega_width
    if alt:
        spec["description"] = alt
    long.stacked = stack is not False and stack != "layered"
    long.horizontal = horizontal
    return spec, long


def _sort(encoding: dict[str, Any], long: _Long, sort: bool | str) -> None:
    if sort is True:
        return
    if sort is False:
        encoding["x"]["sort"] = None
        return
    if not isinstance(sort, str):
        raise ValueError(f"rk.bar_chart(sort={sort!r}): must be True, False or a column name "
                         "(prefix '-' for descending)")
    order = "descending" if sort.startswith("-") else "ascending"
    column = sort.lstrip("-+")
    if column == long.x:
        encoding["x"]["sort"] = order
    elif column in long.ys or column in (long.colour_column, long.size_column):
        field = long.y if column in long.ys else column
        encoding["x"]["sort"] = {"field": _field(field), "order": order}
    else:
        raise ValueError(f"rk.bar_chart(sort={sort!r}): no such column; the columns are "
                         f"{[long.x, *long.ys]}")


def chart_element(spec: dict[str, Any], summary: str, png: bytes | None = None) -> Element:
    data: dict[str, Any] = {VEGA_LITE_MIME: spec, "text/plain": summary}
    if png is not None:
        import base64

        data["image/png"] = base64.b64encode(png).decode("ascii")
    follows = spec.get("width") == STRETCH_WIDTH and spec.get("autosize") == FIT
    metadata = FOLLOW_CONTAINER if follows else {}
    return Element(kind="chart", data=data, metadata=metadata, value=spec)


def _summary(kind: str, long: _Long) -> str:
    series = long.frame[long.series].nunique() if long.series is not None else 1
    return f"{kind}: {series} series, {len(long.frame)} points"


def _headless() -> bool:
    ctx = runtime.active()
    return ctx is not None and ctx.headless


def simple_chart_element(kind: str, built: tuple[dict[str, Any], _Long],
                         headless: bool) -> Element:
    spec, long = built
    png = None
    if headless:
        from .chart_png import render

        png = render(spec["mark"]["type"], long, spec.get("height", DEFAULT_HEIGHT))
    return chart_element(spec, _summary(kind.replace("_", " "), long), png)


def line_chart(
    data: Any = None,
    *,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    color: str | Sequence[str] | None = None,
    width: Any = "stretch",
    height: Any = "content",
    use_container_width: bool | None = None,
    alt: str | None = None,
) -> Placeholder:
    """A line per column (or per value of `color`), against the index or `x`."""
    built = build_chart("line", data, x, y, color, None, x_label, y_label, width, height,
                      use_container_width=use_container_width, alt=alt, call="line_chart")
    return drawn(simple_chart_element("line_chart", built, _headless()))


def area_chart(
    data: Any = None,
    *,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    color: str | Sequence[str] | None = None,
    stack: bool | str | None = None,
    width: Any = "stretch",
    height: Any = "content",
    use_container_width: bool | None = None,
    alt: str | None = None,
) -> Placeholder:
    """Filled areas, stacked by default when there are several series (`stack=`)."""
    built = build_chart("area", data, x, y, color, None, x_label, y_label, width, height, stack,
                      use_container_width=use_container_width, alt=alt, call="area_chart")
    return drawn(simple_chart_element("area_chart", built, _headless()))


def bar_chart(
    data: Any = None,
    *,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    color: str | Sequence[str] | None = None,
    horizontal: bool = False,
    sort: bool | str = True,
    stack: bool | str | None = None,
    width: Any = "stretch",
    height: Any = "content",
    use_container_width: bool | None = None,
    alt: str | None = None,
) -> Placeholder:
    """Bars, stacked per series by default; `stack=False` puts them side by side."""
    built = build_chart("bar", data, x, y, color, None, x_label, y_label, width, height, stack,
                      horizontal, sort, use_container_width, alt, call="bar_chart")
    return drawn(simple_chart_element("bar_chart", built, _headless()))


def scatter_chart(
    data: Any = None,
    *,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    color: str | Sequence[str] | None = None,
    size: str | float | None = None,
    width: Any = "stretch",
    height: Any = "content",
    use_container_width: bool | None = None,
    alt: str | None = None,
) -> Placeholder:
    """Points; `size` is a column (bigger for larger values) or a fixed point size."""
    built = build_chart("circle", data, x, y, color, size, x_label, y_label, width, height,
                      use_container_width=use_container_width, alt=alt, call="scatter_chart")
    return drawn(simple_chart_element("scatter_chart", built, _headless()))


# --- any Vega-Lite spec ------------------------------------------------------------------


def _drawn_or_selection(call: str, element: Element, on_select: Any,
                        selection_mode: Any, key: str | int | None) -> Placeholder | Selection:
    """Draw the chart; with `on_select`, Streamlit's selection state, always empty (no pick
    in a chart JupyterLab draws reaches the kernel: see selection.py)."""
    if not selecting(call, on_select):
        if selection_mode is not None:
            raise ValueError(f"rk.{call}(selection_mode={selection_mode!r}) needs on_select="
                             "'rerun' or a callback")
        return drawn(element)
    selection = vega_selection(call, element.value, selection_mode)
    drawn(element)
    return keep(key, selection)


def _check_theme(call: str, theme: Any) -> None:
    # "streamlit" means the app's theme, which here is the front-end's own
    if theme not in ("streamlit", None):
        raise ValueError(f"rk.{call}(theme={theme!r}): must be 'streamlit' or None")


def _sized(call: str, spec: dict[str, Any], width: Any, height: Any,
           use_container_width: bool | None) -> dict[str, Any]:
    spec = dict(spec)
    _, vega_height = _chart_size(call, "content", height, None)
    if vega_height is not None:
        spec["height"] = vega_height
    if width is not None or use_container_width is not None:
        vega_width, _ = _chart_size(call, width or "content", None, use_container_width)
        if vega_width == "stretch":
            _stretch(spec)
        elif vega_width is not None:
            spec["width"] = vega_width
    elif spec.get("width") == "container" or (
        "width" not in spec and ("mark" in spec or "layer" in spec)
    ):
        _stretch(spec)
    return spec


def vega_lite_chart(
    data: Any = None,
    spec: dict[str, Any] | None = None,
    *,
    width: Any = None,
    height: Any = "content",
    use_container_width: bool | None = None,
    theme: str | None = "streamlit",
    key: str | int | None = None,
    on_select: Any = "ignore",
    selection_mode: Any = None,
    alt: str | None = None,
) -> Placeholder | Selection:
    """Any Vega-Lite spec; `data` (a frame, dict or list) becomes its inline data."""
    _check_theme("vega_lite_chart", theme)
    if spec is None and isinstance(data, dict):
        data, spec = None, data
    if not isinstance(spec, dict):
        raise TypeError(f"rk.vega_lite_chart(spec=...) must be a dict, got "
                        f"{type(spec).__name__}")
    spec = dict(spec)
    _schema_v5(spec)
    if data is not None:
        spec["data"] = {"values": json.loads(
            to_frame(data).to_json(orient="records", date_format="iso"))}
    if alt:
        spec["description"] = alt
    spec = _sized("vega_lite_chart", spec, width, height, use_container_width)
    element = chart_element(spec, f"Vega-Lite chart: {spec.get('description') or _marks(spec)}")
    return _drawn_or_selection("vega_lite_chart", element, on_select, selection_mode, key)


def _schema_v5(spec: dict[str, Any]) -> None:
    """Say Vega-Lite 5 whatever the spec was written for: JupyterLab draws every Vega-Lite
    output with version 5 and logs a warning for each chart whose `$schema` names another
    (Altair 6 writes version 6)."""
    spec["$schema"] = VEGA_LITE_SCHEMA


def _marks(spec: dict[str, Any]) -> str:
    mark = spec.get("mark")
    if isinstance(mark, dict):
        mark = mark.get("type")
    if mark:
        return f"{mark} mark"
    return "layered chart" if "layer" in spec else "composite chart"


def altair_chart(
    altair_chart: Any,
    *,
    width: Any = None,
    height: Any = "content",
    use_container_width: bool | None = None,
    theme: str | None = "streamlit",
    key: str | int | None = None,
    on_select: Any = "ignore",
    selection_mode: Any = None,
    alt: str | None = None,
) -> Placeholder | Selection:
    """An Altair chart (needs altair), drawn from its Vega-Lite spec.

    Altair 6 writes Vega-Lite 6 specs; JupyterLab's renderer is Vega-Lite 5, which draws
    them unless they use a feature new in 6. The spec is sent as Vega-Lite 5, what it is
    drawn with.
    """
    _check_theme("altair_chart", theme)
    element = altair_element(altair_chart, width, height, use_container_width, alt)
    return _drawn_or_selection("altair_chart", element, on_select, selection_mode, key)


def altair_element(chart: Any, width: Any = None, height: Any = "content",
                   use_container_width: bool | None = None, alt: str | None = None) -> Element:
    to_dict = getattr(chart, "to_dict", None)
    if not callable(to_dict) or type(chart).__module__.split(".")[0] != "altair":
        raise TypeError(f"rk.altair_chart() needs an Altair chart, got {type(chart).__name__}")
    import altair

    # Streamlit draws large data too; Altair alone refuses more than 5000 rows inline
    with altair.data_transformers.disable_max_rows():
        spec = to_dict()
    _schema_v5(spec)
    if alt:
        spec["description"] = alt
    spec = _sized("altair_chart", spec, width, height, use_container_width)
    return chart_element(spec, f"Altair chart: {spec.get('description') or _marks(spec)}")
