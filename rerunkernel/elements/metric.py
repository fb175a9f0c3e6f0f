"""`rk.metric`: a number in large type, with how it changed (coloured arrow) and a sparkline.

The sparkline is a small inline SVG drawn here, so it needs no chart library and no
front-end extension, and a stored notebook shows it too.
"""

from __future__ import annotations

import decimal
import numbers
from typing import Any, Sequence

from ..core.element import Element
from .core import draw, html_escape
from .params import css_height, css_width, icon_prefix, unsupported
from .text import help_suffix

GREEN, RED, GREY = "#21c354", "#ff4b4b", "#808495"
NAMED_COLOURS = {
    "red": RED, "orange": "#ff8c00", "yellow": "#faca2b", "green": GREEN, "blue": "#1c83e1",
    "violet": "#803df5", "gray": GREY, "grey": GREY,
    "primary": "var(--jp-brand-color1, #1976d2)",
}
ARROWS = {"up": "▲", "down": "▼"}


def _format(value: Any, format: str | None, what: str) -> str:
    if value is None:
        return "—"
    if format is None or format == "plain" or isinstance(value, str):
        return str(value)
    if "%" in format and isinstance(value, (numbers.Real, decimal.Decimal)):
        try:
            return format % value
        except (TypeError, ValueError):
            raise ValueError(f"rk.metric(format={format!r}) can't format the {what} "
                             f"{value!r}") from None
    raise unsupported("metric", "format", format, "give a printf-style format such as "
                      "'%.2f' or '%d%%'")


def _direction(delta: Any) -> str:
    return "down" if str(delta).strip().startswith("-") else "up"


def _delta_colour(delta_color: str, direction: str) -> str:
    if delta_color == "normal":
        return GREEN if direction == "up" else RED
    if delta_color == "inverse":
        return RED if direction == "up" else GREEN
    if delta_color == "off":
        return GREY
    colour = NAMED_COLOURS.get(delta_color)
    if colour is None:
        raise ValueError(f"rk.metric(delta_color={delta_color!r}): must be 'normal', "
                         f"'inverse', 'off' or one of {', '.join(map(repr, NAMED_COLOURS))}")
    return colour


def sparkline(values: Sequence[Any], chart_type: str, colour: str) -> str:
    """A 120x32 SVG of `values` as a line, bars or a filled area."""
    if chart_type not in ("line", "bar", "area"):
        raise ValueError(f"rk.metric(chart_type={chart_type!r}): must be 'line', 'bar' "
                         "or 'area'")
    points = [float(v) for v in values if v is not None]
    if not points:
        return ""
    width, height = 120.0, 32.0
    low, high = min(points + [0.0] if chart_type == "bar" else points), max(points)
    span = (high - low) or 1.0

    def y(v: float) -> float:
        return round(height - (v - low) / span * (height - 2) - 1, 2)

    step = width / max(len(points) - (0 if chart_type == "bar" else 1), 1)
    if chart_type == "bar":
        bars = "".join(
            f'<rect x="{round(i * step + step * 0.1, 2)}" y="{y(v)}" '
            f'width="{round(step * 0.8, 2)}" height="{round(y(low) - y(v), 2)}"/>'
            for i, v in enumerate(points))
        shape = f'<g fill="{colour}">{bars}</g>'
    else:
        xy = " ".join(f"{round(i * step, 2)},{y(v)}" for i, v in enumerate(points))
        shape = f'<polyline points="{xy}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
        if chart_type == "area":
            shape = (f'<polygon points="0,{height} {xy} {round((len(points) - 1) * step, 2)},'
                     f'{height}" fill="{colour}" fill-opacity="0.2"/>' + shape)
    return (f'<svg width="{int(width)}" height="{int(height)}" viewBox="0 0 {int(width)} '
            f'{int(height)}" preserveAspectRatio="none">{shape}</svg>')


def metric(
    label: str,
    value: Any,
    delta: Any = None,
    delta_color: str = "normal",
    *,
    help: str | None = None,
    icon: str | None = None,
    label_visibility: str = "visible",
    border: bool = False,
    width: Any = "stretch",
    height: Any = "content",
    chart_data: Sequence[Any] | None = None,
    chart_type: str = "line",
    delta_arrow: str = "auto",
    format: str | None = None,
    delta_description: str | None = None,
) -> None:
    """A headline number; `delta` shows how it changed, green for up (`delta_color`)."""
    if label_visibility not in ("visible", "hidden", "collapsed"):
        raise ValueError(f"rk.metric({label!r}): label_visibility must be 'visible', 'hidden' "
                         f"or 'collapsed', got {label_visibility!r}")
    if delta_arrow not in ("auto", "up", "down", "off"):
        raise ValueError(f"rk.metric({label!r}): delta_arrow must be 'auto', 'up', 'down' or "
                         f"'off', got {delta_arrow!r}")
    shown = _format(value, format, "value")
    styles = ["padding:0.25em 0", "box-sizing:border-box"]  # a border stays inside its width
    css = css_width("metric", width)
    if css is not None:
        styles.append(f"width:{css}")
    fixed = css_height("metric", height)
    if fixed is not None:
        styles.append(f"height:{fixed}")
    if border:
        styles.append("border:1px solid var(--jp-border-color2, #ccc);border-radius:6px;"
                      "padding:0.5em 1em")
    label_text = icon_prefix("metric", icon) + str(label)
    parts = []
    if label_visibility == "visible":
        parts.append(f'<div style="font-size:0.875em;opacity:0.8">{html_escape(label_text)}'
                     f"{help_suffix(help)}</div>")
    elif label_visibility == "hidden":
        parts.append('<div style="font-size:0.875em">&nbsp;</div>')
    parts.append(f'<div style="font-size:2.25em;line-height:1.2">{html_escape(shown)}</div>')
    plain = f"{label_text}: {shown}"
    direction = _direction(delta) if delta is not None else "up"
    colour = _delta_colour(delta_color, direction)
    if delta is not None and str(delta) != "":
        arrow = {"auto": ARROWS[direction], "off": ""}.get(delta_arrow, ARROWS.get(delta_arrow))
        delta_text = _format(delta, format, "delta")
        shown_delta = f"{arrow} {delta_text}".strip()
        extra = ""
        if delta_description:
            extra = f' <span style="opacity:0.7;color:initial">{html_escape(delta_description)}' \
                    "</span>"
        parts.append(f'<div style="font-size:0.875em;color:{colour}">'
                     f"{html_escape(shown_delta)}{extra}</div>")
        plain += f" ({shown_delta}{' ' + delta_description if delta_description else ''})"
    if chart_data is not None:
        parts.append(sparkline(list(chart_data), chart_type, colour if delta is not None
                               else NAMED_COLOURS["blue"]))
    html = f'<div class="rk-metric" style="{";".join(styles)}">{"".join(parts)}</div>'
    draw(Element(kind="metric", data={"text/html": html, "text/plain": plain}, value=shown,
                 label=str(label)))
