"""Small page furniture from newer Streamlit: `badge`, `space`, and `iframe` for a URL or
an HTML document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.element import Element
from .components import html as html_frame
from .components import iframe as url_frame
from .core import draw, html_escape
from .params import icon_prefix

COLOURS = {"red": "#ff4b4b", "orange": "#ffa421", "yellow": "#ffe312", "blue": "#1c83e1",
           "green": "#21c354", "violet": "#803df5", "gray": "#808495", "grey": "#808495",
           "primary": "#ff4b4b"}
SPACES = {"small": "0.75rem", "medium": "2.5rem", "large": "4rem"}


def badge(label: str, *, icon: str | None = None, color: str = "blue", width: Any = "content",
          help: str | None = None) -> None:
    """A small coloured label."""
    if color not in COLOURS:
        raise ValueError(f"rk.badge(color={color!r}): must be one of {', '.join(COLOURS)}")
    text = icon_prefix("badge", icon) + str(label)
    tip = f' title="{html_escape(help)}"' if help else ""
    body = (f'<span{tip} style="display:inline-block;padding:0 0.5em;border-radius:0.5em;'
            f"color:{COLOURS[color]};border:1px solid {COLOURS[color]};font-size:0.85em\">"
            f"{html_escape(text)}</span>")
    draw(Element(kind="badge", data={"text/html": body, "text/plain": f"[{text}]"},
                 value=str(label)))


def space(size: str | int = "small") -> None:
    """Space: 'small', 'medium', 'large' or pixels, across a row (a horizontal container) and
    down a column; 'stretch' fills what the box has left, as a flexible spacer (in a row, it
    pushes what follows to the right end)."""
    from .layout import SLOT

    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        css = f"{size}px"
    elif size in SPACES or size == "stretch":
        css = SPACES.get(size, "0px")
    else:
        raise ValueError(f"rk.space(size={size!r}): must be 'small', 'medium', 'large', "
                         "'stretch' or a number of pixels")
    metadata = {SLOT: {"flex": "1 1 auto"}} if size == "stretch" else {}
    draw(Element(kind="space", data={"text/html": f'<div style="height:{css};width:{css}">'
                                                  "</div>",
                                     "text/plain": "(space)"}, metadata=metadata, value=size))


def iframe(src: str | Path, *, width: Any = "stretch", height: Any = "content",
           tab_index: int | None = None, alt: str | None = None) -> None:
    """A web page (http, https or relative URL) or an HTML document, in a sandboxed frame."""
    pixels = height if isinstance(height, int) and not isinstance(height, bool) else None
    across = width if isinstance(width, int) and not isinstance(width, bool) else None
    text = str(src)
    if text.lstrip().startswith("<"):
        html_frame(text, width=across, height=pixels)
    else:
        url_frame(text, width=across, height=pixels)
