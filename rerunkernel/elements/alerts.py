"""Callouts (`info`, `success`, `warning`, `error`) and exceptions shown as elements.

A callout's body is markdown in Streamlit, so it is sent as markdown wrapped in a coloured
HTML block (markdown renders inside it; HTML in the body is shown as text, see
sanitize.py); the plain-text fallback names the kind, so a
terminal or a stored notebook without HTML still says "Warning: ...".
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Any

from ..core.element import Element
from .core import draw, html_escape
from .handles import drawn
from .icons import material_in_text
from .params import css_width, icon_prefix, refuse
from .sanitize import safe_markdown

if TYPE_CHECKING:
    from .layout import Placeholder

# (background, border) per kind, translucent so that dark themes stay readable
COLOURS = {
    "info": ("rgba(28,131,225,0.1)", "#1c83e1"),
    "success": ("rgba(33,195,84,0.1)", "#21c354"),
    "warning": ("rgba(255,193,7,0.15)", "#ffbd45"),
    "error": ("rgba(255,43,43,0.09)", "#ff4b4b"),
}


def alert_element(kind: str, body: Any, *, icon: str | None = None, width: Any = "stretch",
                  title: Any = None) -> Element:
    body = str(body)
    background, border = COLOURS[kind]
    styles = [f"background:{background}", f"border-left:4px solid {border}",
              "border-radius:4px", "padding:0.1em 1em"]
    css = css_width(kind, width)
    if css is not None and css != "100%":
        styles.append(f"max-width:{css}")
    heading = ""
    if title is not None:
        heading = f"<strong>{safe_markdown(html_escape(title))}</strong>\n\n"
    content = icon_prefix(kind, icon) + material_in_text(body)
    markup = f'<div style="{";".join(styles)}">\n\n{heading}{safe_markdown(content)}\n\n</div>'
    lead = f"{kind.capitalize()}: " + (f"{title}\n" if title is not None else "")
    return Element(kind=kind, data={"text/markdown": markup, "text/plain": lead + content},
                   value=body)


def info(body: Any, *, icon: str | None = None, width: Any = "stretch",
         title: Any = None) -> Placeholder:
    """A blue informational callout."""
    return drawn(alert_element("info", body, icon=icon, width=width, title=title))


def success(body: Any, *, icon: str | None = None, width: Any = "stretch",
            title: Any = None) -> Placeholder:
    """A green callout for something that worked."""
    return drawn(alert_element("success", body, icon=icon, width=width, title=title))


def warning(body: Any, *, icon: str | None = None, width: Any = "stretch",
            title: Any = None) -> Placeholder:
    """A yellow callout for something to look at."""
    return drawn(alert_element("warning", body, icon=icon, width=width, title=title))


def error(body: Any, *, icon: str | None = None, width: Any = "stretch",
          title: Any = None) -> Placeholder:
    """A red callout for something that failed (the script goes on; see `rk.stop()`)."""
    return drawn(alert_element("error", body, icon=icon, width=width, title=title))


def exception_element(error: BaseException) -> Element:
    """A traceback as IPython formats it in a kernel (cells named "Cell In[n]"), else plain."""
    lines = _ipython_traceback(error)
    text = "\n".join(lines) if lines else "".join(
        traceback.format_exception(type(error), error, error.__traceback__)).rstrip("\n")
    return Element(kind="exception", data={"text/plain": text}, value=error)


def _ipython_traceback(error: BaseException) -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return []
    shell = get_ipython()
    if shell is None or not hasattr(shell, "InteractiveTB"):
        return []
    try:
        return list(shell.InteractiveTB.structured_traceback(
            type(error), error, error.__traceback__))
    except Exception:
        return []


def exception(exception: BaseException | str, width: Any = "stretch") -> None:
    """Show an exception with its traceback, without stopping the script; a string (which
    Streamlit takes too) is shown as the message of an exception with no traceback."""
    if isinstance(exception, str):
        refuse("exception", width=(width, "stretch"))
        draw(Element(kind="exception", data={"text/plain": exception}, value=exception))
        return
    if not isinstance(exception, BaseException):
        raise TypeError(f"rk.exception() needs an exception or its message, got "
                        f"{type(exception).__name__}")
    refuse("exception", width=(width, "stretch"))
    draw(exception_element(exception))
