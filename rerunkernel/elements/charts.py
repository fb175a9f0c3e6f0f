"""Simple charts as Vega-Lite v5, the chart format JupyterLab renders natively.

Data handling follows Streamlit's: wide data (one column per series) is melted into long
form, `x` defaults to the index, `y` to every other column, and `color` is either a column
that splits the series or fixed colour(s).
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..page import Element
from .core import draw
from .data import to_frame

VEGA_LITE_MIME = "application/vnd.vegalite.v5+json"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
SERIES = "series"
VALUE = "value"


def _is_colour(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("#") or value.startswith("rgb"))


def _field_type(series: Any) -> str:
    kind = getattr(series.dtype, "kind", "O")
    if kind == "M":
        return "temporal"
    if kind in "biuf":
        return "quantitative"
    return "ordinal"


def chart_spec(
    mark: str,
    data: Any,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    color: str | Sequence[str] | None = None,
    size: str | float | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    width: int | None = None,
    height: int | None = None,
    stack: bool | str | None = None,
    horizontal: bool = False,
) -> dict[str, Any]:
    frame = to_frame(data)
    if x is None:
        index_name = frame.index.name or "index"
        frame = frame.reset_index(names=index_name) if index_name not in frame else frame
        x = index_name if index_name in frame else frame.columns[0]
    for name, value in (("x", x),):
        if value not in frame:
            raise ValueError(f"{name}={value!r} is not a column; columns: {list(frame.columns)}")
    colour_column = color if isinstance(color, str) and not _is_colour(color) else None
    if colour_column is not None and colour_column not in frame:
        raise ValueError(f"color={color!r} is not a column or a colour; "
                         f"columns: {list(frame.columns)}")
    if y is None:
        ys = [c for c in frame.columns if c not in (x, colour_column)]
    elif isinstance(y, str):
        ys = [y]
    else:
        ys = list(y)
    for column in ys:
        if column not in frame:
            raise ValueError(f"y={column!r} is not a column; columns: {list(frame.columns)}")
    if colour_column is not None:
        if len(ys) != 1:
            raise ValueError("color= names a column, so y must be a single column")
        long = frame[[x, ys[0], colour_column]].rename(columns={ys[0]: VALUE})
        series_field = colour_column
    else:
        long = frame[[x, *ys]].melt(id_vars=[x], value_vars=ys, var_name=SERIES,
                                    value_name=VALUE)
        series_field = SERIES
    x_type = _field_type(frame[x])
    records = json.loads(long.to_json(orient="records", date_format="iso"))
    encoding: dict[str, Any] = {
        "x": {"field": str(x), "type": x_type, "title": x_label if x_label is not None else str(x)},
        "y": {"field": VALUE, "type": "quantitative",
              "title": y_label if y_label is not None else (ys[0] if len(ys) == 1 else VALUE)},
    }
    if mark == "bar" and x_type == "quantitative":
        encoding["x"]["type"] = "ordinal"
    if len(ys) > 1 or colour_column is not None:
        encoding["color"] = {"field": series_field, "type": "nominal", "title": series_field}
        if isinstance(color, (list, tuple)):
            encoding["color"]["scale"] = {"range": list(color)}
    if stack is not None and mark in ("bar", "area"):
        encoding["y"]["stack"] = {True: "zero", False: None}.get(stack, stack)
    if isinstance(size, str):
        encoding["size"] = {"field": size, "type": "quantitative"}
    if horizontal:
        encoding["x"], encoding["y"] = encoding["y"], encoding["x"]
    mark_spec: dict[str, Any] = {"type": mark, "tooltip": True}
    if _is_colour(color):
        mark_spec["color"] = color
    if isinstance(size, (int, float)):
        mark_spec["size"] = size
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": records},
        "mark": mark_spec,
        "encoding": encoding,
        "width": width if width else "container",
        "height": height or 300,
    }


def chart_element(spec: dict[str, Any], summary: str) -> Element:
    return Element(
        kind="chart",
        data={VEGA_LITE_MIME: spec, "text/plain": summary},
        value=spec,
    )


def _summary(kind: str, spec: dict[str, Any]) -> str:
    values = spec["data"]["values"]
    colour = spec["encoding"].get("color", {}).get("field")
    series = len({v.get(colour) for v in values}) if colour else 1
    return f"{kind}: {series} series, {len(values)} points"


def line_chart(
    data: Any = None,
    *,
    x: str | None = None,
    y: str | Sequence[str] | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    color: str | Sequence[str] | None = None,
    width: int | None = None,
    height: int | None = None,
    use_container_width: bool = True,
) -> None:
    """A line per column (or per value of `color`), against the index or `x`."""
    spec = chart_spec("line", data, x, y, color, None, x_label, y_label, width, height)
    draw(chart_element(spec, _summary("line chart", spec)))
