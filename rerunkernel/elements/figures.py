"""Figures from plotting libraries: matplotlib (`pyplot`) and Plotly (`plotly_chart`).

Both libraries are optional: nothing here imports them until the script hands us one of
their figures, which proves they are installed.

A matplotlib figure is closed once drawn. Every rerun makes new figures, and pyplot would
otherwise keep them all (and warn past twenty); in a notebook, IPython's inline backend
would also show each open figure a second time at the end of the cell.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from typing import Any

from ..core.element import Element
from .core import draw, html_escape
from .params import css_height, css_width, unsupported
from .selection import Selection, check_modes, keep, plotly_selection, selecting

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PNG_DPI = 200


def _module(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def _is_matplotlib_figure(obj: Any) -> bool:
    return _module(obj) == "matplotlib" and hasattr(obj, "savefig") and hasattr(obj, "axes")


def _is_plotly_figure(obj: Any) -> bool:
    return _module(obj) == "plotly" and hasattr(obj, "to_plotly_json")


def figure_element(obj: Any) -> Element | None:
    """What `rk.write` draws for a figure object, or None if `obj` is not one."""
    if _is_matplotlib_figure(obj):
        return pyplot_element(obj)
    if _is_plotly_figure(obj):
        return plotly_element(obj)
    if _module(obj) == "altair" and hasattr(obj, "to_dict"):
        from .charts import altair_element

        return altair_element(obj)
    return None


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def pyplot_element(fig: Any, clear_figure: bool = False, width: str | None = None,
                   alt: str | None = None, **savefig: Any) -> Element:
    """`width` is a CSS width (None: the figure's own size)."""
    options = {"format": "png", "bbox_inches": "tight", "dpi": PNG_DPI, **savefig}
    if options["format"] != "png":
        raise unsupported("pyplot", "format", options["format"], "figures are sent as PNG")
    buffer = io.BytesIO()
    fig.savefig(buffer, **options)
    png = buffer.getvalue()
    if clear_figure:
        fig.clear()
    _close(fig)
    pixels, _ = _png_size(png)
    # shown at the size it would have at 100 dpi, sharp on high-density screens
    natural = round(pixels * 100 / options["dpi"])
    encoded = base64.b64encode(png).decode("ascii")
    description = alt or "matplotlib figure"
    data = {"image/png": encoded, "text/plain": f"<{description}>"}
    if width is not None:
        # a stretched figure fills a narrow column but is never blown up past its own size,
        # which would enlarge its fonts with it
        limit = f";max-width:{natural}px" if width == "100%" else ""
        data["text/html"] = (f'<img src="data:image/png;base64,{encoded}" '
                             f'alt="{html_escape(description)}" style="width:{width}{limit}">')
    return Element(kind="pyplot", data=data, metadata={"image/png": {"width": natural}},
                   value=fig)


def _close(fig: Any) -> None:
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def pyplot(fig: Any, clear_figure: bool = False, *, width: Any = "stretch",
           use_container_width: bool | None = None, alt: str | None = None,
           **kwargs: Any) -> None:
    """A matplotlib figure as a PNG; `kwargs` go to `fig.savefig` (e.g. `dpi=100`)."""
    if not _is_matplotlib_figure(fig):
        raise TypeError(f"rk.pyplot() needs a matplotlib Figure (e.g. `fig, ax = "
                        f"plt.subplots()`), got {type(fig).__name__}")
    draw(pyplot_element(fig, clear_figure, css_width("pyplot", width, use_container_width),
                        alt, **kwargs))


def plotly_element(figure: Any, config: dict[str, Any] | None = None,
                   width: str | None = None, height: str | None = None) -> Element:
    """The figure for JupyterLab's plotly renderer, plus HTML loading plotly.js elsewhere."""
    import plotly.graph_objects
    import plotly.io

    if not _is_plotly_figure(figure):
        figure = plotly.graph_objects.Figure(figure)
    text = plotly.io.to_json(figure, validate=False, engine="json")
    bundle = json.loads(text)
    if config:
        bundle["config"] = dict(config)
    layout = bundle.setdefault("layout", {})
    if height:
        layout["height"] = int(height[:-2])
    if width and width != "100%":
        layout["width"] = int(width[:-2])
    title = layout.get("title", {})
    name = title.get("text") if isinstance(title, dict) else title
    traces = len(bundle.get("data", []))
    plain = f"Plotly figure{f' {name!r}' if name else ''}: {traces} trace(s)"
    # a stable div id: a random one would make every rerun resend an unchanged figure
    div_id = "rk-plotly-" + hashlib.sha1(text.encode()).hexdigest()[:16]
    html = plotly.io.to_html(plotly.graph_objects.Figure(bundle["data"], bundle["layout"]),
                             config=dict(bundle.get("config") or {}), include_plotlyjs="cdn",
                             full_html=False, div_id=div_id, validate=False)
    return Element(kind="plotly_chart",
                   data={PLOTLY_MIME: bundle, "text/html": html, "text/plain": plain},
                   value=figure)


def plotly_chart(
    figure_or_data: Any,
    use_container_width: bool | None = None,
    *,
    width: Any = "stretch",
    height: Any = "content",
    theme: str | None = "streamlit",
    key: str | int | None = None,
    on_select: Any = "ignore",
    selection_mode: Any = ("points", "box", "lasso"),
    config: dict[str, Any] | None = None,
    alt: str | None = None,
) -> Selection | None:
    """A Plotly figure (needs plotly; JupyterLab draws it with plotly's own extension).

    With `on_select`, Streamlit's selection state, always empty (see selection.py)."""
    selects = selecting("plotly_chart", on_select)
    check_modes("plotly_chart", selection_mode, ("points", "box", "lasso"))
    if theme not in ("streamlit", None):
        raise ValueError(f"rk.plotly_chart(theme={theme!r}): must be 'streamlit' or None")
    if _module(figure_or_data) == "matplotlib":
        raise unsupported("plotly_chart", "figure_or_data", figure_or_data,
                          "draw matplotlib figures with rk.pyplot")
    css = css_width("plotly_chart", width, use_container_width)
    element = plotly_element(figure_or_data, config, css, css_height("plotly_chart", height))
    if alt:
        element.data["text/plain"] = alt
    draw(element)
    return keep(key, plotly_selection()) if selects else None
