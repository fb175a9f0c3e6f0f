"""`streamlit.components.v1`: HTML and pages in a frame of their own.

Streamlit draws `components.html` in an iframe, so its scripts run, but apart from the app.
The same here: the document goes into a sandboxed `srcdoc` frame that may run scripts but has
no origin of its own, so it can't reach the notebook, the kernel or the user's cookies.
Custom components (`declare_component`) need Streamlit's front-end to talk back to Python,
which Jupyter doesn't have.
"""

from __future__ import annotations

import numbers
from typing import Any

from ..core.element import Element
from .core import draw, html_escape
from .sanitize import check_link

SANDBOX = "allow-scripts allow-forms allow-popups allow-modals"
DEFAULT_HEIGHT = 150


def _size(call: str, name: str, value: Any, default: str) -> str:
    if value is None:
        return default
    # 0 is allowed, as in Streamlit: a frame whose page runs without being seen
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return f"{int(value)}px"
    raise ValueError(f"components.{call}({name}={value!r}): give a number of pixels (0 or "
                     "more) or leave it out")


def _frame(call: str, attrs: str, text: str, value: Any, width: Any, height: Any,
           scrolling: bool, kind: str = "iframe") -> None:
    w = _size(call, "width", width, "100%")
    h = _size(call, "height", height, f"{DEFAULT_HEIGHT}px")
    body = (f'<iframe {attrs} style="width:{w};height:{h};border:none" '
            f'scrolling="{"yes" if scrolling else "no"}"></iframe>')
    draw(Element(kind=kind, data={"text/html": body, "text/plain": text}, value=value))


def sandboxed(document: str, *, kind: str, text: str, value: Any, height: int,
              width: int | None = None, scrolling: bool = False) -> None:
    """A document of ours (a diagram, a map) in the same sandbox as `components.html`."""
    attrs = f'sandbox="{SANDBOX}" srcdoc="{html_escape(document)}"'
    _frame(kind, attrs, text, value, width, height, scrolling, kind)


def html(html: str, width: int | None = None, height: int | None = None,
         scrolling: bool = False, *, tab_index: int | None = None) -> None:
    """An HTML document, scripts included, in a sandboxed frame (150 px high by default)."""
    if not isinstance(html, str):
        raise TypeError(f"components.html(): expected the HTML as a str, got "
                        f"{type(html).__name__}")
    attrs = f'sandbox="{SANDBOX}" srcdoc="{html_escape(html)}"'
    _frame("html", attrs, f"[HTML component, {len(html)} characters]", html, width, height,
           scrolling)


def iframe(src: str, width: int | None = None, height: int | None = None,
           scrolling: bool = False, *, tab_index: int | None = None) -> None:
    """A web page in a frame (http, https or a relative URL)."""
    check_link("components.iframe", "src", src)
    attrs = f'sandbox="{SANDBOX}" src="{html_escape(src)}"'
    _frame("iframe", attrs, f"[page {src}]", src, width, height, scrolling)


def declare_component(name: str, path: str | None = None, url: str | None = None) -> Any:
    """Custom components need Streamlit's own front-end to send values back to Python."""
    raise NotImplementedError(
        f"components.declare_component({name!r}): custom Streamlit components can't run in "
        "Jupyter (they talk to Streamlit's front-end, which a notebook doesn't have). Use "
        "components.html() for display only, or an ipywidget or anywidget for two-way values."
    )
