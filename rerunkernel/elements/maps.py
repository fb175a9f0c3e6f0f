"""Maps: `map` as a Vega-Lite chart of points on a projection; `pydeck_chart` through deck.gl.

Streamlit draws `st.map` on map tiles from a tile service; Vega-Lite (which JupyterLab draws
natively) has no tiles, so the points are drawn on a Mercator projection with their
longitudes and latitudes on the axes' place, the same data and the same colours and sizes.
"""

from __future__ import annotations

from typing import Any

from .charts import vega_lite_chart
from .components import sandboxed
from .data import to_frame
from .selection import Selection, check_modes, deck_selection, selecting

LATITUDES = ("lat", "latitude", "LAT", "LATITUDE", "Lat", "Latitude")
LONGITUDES = ("lon", "longitude", "LON", "LONGITUDE", "Lon", "Longitude", "lng", "long")


def _column(frame: Any, given: str | None, names: tuple[str, ...], what: str) -> str:
    if given is not None:
        if given not in frame.columns:
            raise ValueError(f"rk.map({what}={given!r}): no such column; the data has "
                             f"{[str(c) for c in frame.columns]}")
        return given
    for name in names:
        if name in frame.columns:
            return name
    raise ValueError(f"rk.map(): no {what} column; name one of {list(names[:2])} or pass "
                     f"{what}='column'. The data has {[str(c) for c in frame.columns]}")


def _channel(frame: Any, value: Any, kind: str) -> dict[str, Any] | None:
    """A colour or size: a column's name, or one value for every point."""
    if value is None:
        return None
    if isinstance(value, str) and value in frame.columns:
        return {"field": value, "type": "quantitative" if kind == "size" else "nominal"}
    if kind == "color" and isinstance(value, str):
        return {"value": value}
    if kind == "size" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": float(value)}
    raise ValueError(f"rk.map({kind}={value!r}): give a column name or one {kind} for all "
                     "points")


def map(data: Any = None, *, latitude: str | None = None,  # noqa: A001 - Streamlit's name
        longitude: str | None = None, color: Any = None, size: Any = None,
        zoom: int | None = None, use_container_width: bool | None = None,
        width: Any = "stretch", height: Any = 500, alt: str | None = None) -> None:
    """Points at their latitude and longitude (columns `lat`/`lon` or named ones); `alt` is
    the text a screen reader or a plain-text viewer gets instead."""
    frame = to_frame(data if data is not None else {"lat": [], "lon": []})
    lat = _column(frame, latitude, LATITUDES, "latitude")
    lon = _column(frame, longitude, LONGITUDES, "longitude")
    encoding: dict[str, Any] = {
        "latitude": {"field": lat, "type": "quantitative"},
        "longitude": {"field": lon, "type": "quantitative"},
    }
    for kind, value in (("color", color), ("size", size)):
        channel = _channel(frame, value, kind)
        if channel is not None:
            encoding[kind] = channel
    spec = {"mark": {"type": "circle", "opacity": 0.8}, "projection": {"type": "mercator"},
            "encoding": encoding,
            "description": str(alt) if alt is not None else f"map of {len(frame)} points"}
    vega_lite_chart(frame, spec, width=None if width == "stretch" else width,
                    height=height, use_container_width=use_container_width)


def pydeck_chart(pydeck_obj: Any = None, *, use_container_width: bool | None = None,
                 width: Any = None, height: Any = None, selection_mode: Any = "single-object",
                 on_select: Any = "ignore", key: str | None = None,
                 alt: str | None = None) -> Selection | None:
    """A pydeck `Deck`, drawn by deck.gl in a frame of its own (`alt`: its text for a
    screen reader or a plain-text viewer).

    With `on_select`, Streamlit's selection state, always empty: picks can't come back from
    the frame deck.gl draws in (see selection.py)."""
    selects = selecting("pydeck_chart", on_select)
    check_modes("pydeck_chart", selection_mode, ("single-object", "multi-object"))
    to_html = getattr(pydeck_obj, "to_html", None)
    if to_html is None:
        raise TypeError(f"rk.pydeck_chart(): expected a pydeck.Deck, got "
                        f"{type(pydeck_obj).__name__}")
    page = to_html(as_string=True, notebook_display=False)
    sandboxed(page, kind="pydeck_chart", text=str(alt) if alt is not None else "pydeck chart",
              value=pydeck_obj,
              width=width if isinstance(width, int) else None,
              height=height if isinstance(height, int) else 500)
    return deck_selection() if selects else None
