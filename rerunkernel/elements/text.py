"""Text elements: text, markdown, and `write`, which picks an element for each argument."""

from __future__ import annotations

import datetime as _dt
import decimal
import fractions
from typing import Any

from ..page import Element
from .core import draw, escape_markdown, html_escape
from .display import _format

_INLINE_TYPES = (
    str, int, float, bool, complex, type(None), decimal.Decimal, fractions.Fraction,
    _dt.date, _dt.time, _dt.timedelta,
)


def text(body: Any, *, help: str | None = None) -> None:
    """Preformatted, fixed-width text, shown exactly as given."""
    body = str(body)
    draw(Element(
        kind="text",
        data={"text/plain": body, "text/html": f"<pre>{html_escape(body)}</pre>"},
        value=body,
    ))


def markdown(body: Any, unsafe_allow_html: bool = False, *, help: str | None = None) -> None:
    """Markdown (GitHub flavour, as JupyterLab renders it)."""
    draw(markdown_element(str(body)))


def markdown_element(body: str) -> Element:
    return Element(kind="markdown", data={"text/markdown": body, "text/plain": body}, value=body)


def write(*args: Any, unsafe_allow_html: bool = False) -> None:
    """Write anything: strings as markdown, tables as tables, other objects as they display.

    Consecutive simple values share one line, joined by spaces, so
    `rk.write(x, 'squared is', x * x)` reads as a sentence.
    """
    inline: list[str] = []

    def flush() -> None:
        if inline:
            draw(markdown_element(" ".join(inline)))
            inline.clear()

    for arg in args:
        if isinstance(arg, str):
            inline.append(arg)
            continue
        if len(args) > 1 and _short_collection(arg):
            inline.append(escape_markdown(repr(arg)))
            continue
        element = _element_for(arg)
        if element is None:
            inline.append(escape_markdown(_inline_text(arg)))
            continue
        flush()
        draw(element)
    flush()


def _short_collection(value: Any) -> bool:
    """A small list/tuple/dict among other arguments reads best inline: "span (3, 7)"."""
    if not isinstance(value, (list, tuple, set, frozenset, dict)) or len(value) > 20:
        return False
    return len(repr(value)) <= 120


def _inline_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return repr(value)
    return str(value)


def _element_for(arg: Any) -> Element | None:
    """The element for a non-string argument, or None to write it inline as text."""
    if isinstance(arg, _INLINE_TYPES) or _is_numpy_scalar(arg):
        return None
    if isinstance(arg, BaseException):
        from .status import exception_element

        return exception_element(arg)
    from .data import is_tabular, table_element

    if is_tabular(arg):
        return table_element(arg)
    data, metadata = _format(arg)
    if all(mime == "text/plain" for mime in data):
        if isinstance(arg, (dict, list, tuple, set)):
            from .data import json_element

            return json_element(arg)
        return None
    return Element(kind="display", data=dict(data), metadata=dict(metadata or {}), value=arg)


def _is_numpy_scalar(value: Any) -> bool:
    cls = type(value)
    return cls.__module__ == "numpy" and hasattr(value, "dtype") and getattr(value, "ndim", 1) == 0
