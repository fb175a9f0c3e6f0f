"""Streamlit parameters that a Jupyter output area can honour only in part.

A script written for Streamlit passes layout and styling options (widths, alignment, icons)
that have no exact equivalent here. Defaults cost nothing to accept and are accepted; values
we can express in HTML or a widget layout are honoured; anything else fails loudly, naming
the parameter, instead of being dropped without a word.
"""

from __future__ import annotations

import numbers
from typing import Any

from ..core.durations import parse_duration  # noqa: F401 - elements import it from here
from .icons import icon_text


def unsupported(call: str, name: str, value: Any, hint: str = "") -> NotImplementedError:
    message = f"rk.{call}({name}={value!r}) is not supported"
    return NotImplementedError(f"{message}: {hint}" if hint else message)


def refuse(call: str, **given: tuple[Any, Any]) -> None:
    """Fail for the first parameter given other than its default: `name=(value, default)`."""
    for name, (value, default) in given.items():
        if value is not default and value != default:
            raise unsupported(call, name, value, "leave it out")


def css_width(call: str, width: Any, use_container_width: bool | None = None) -> str | None:
    """A CSS width for Streamlit's `width`: 'stretch', 'content' or pixels (None: natural)."""
    if use_container_width is not None:
        width = "stretch" if use_container_width else "content"
    if width == "stretch":
        return "100%"
    if width in ("content", "auto", None):
        return None
    if isinstance(width, numbers.Integral) and not isinstance(width, bool) and width > 0:
        return f"{int(width)}px"
    raise ValueError(f"rk.{call}(width={width!r}): width must be 'stretch', 'content' or a "
                     "positive number of pixels")


def css_height(call: str, height: Any, natural: tuple[Any, ...] = ("content", None)) -> str | None:
    """A CSS height for Streamlit's `height`: pixels, or None for the natural height."""
    if height in natural:
        return None
    if isinstance(height, numbers.Integral) and not isinstance(height, bool) and height > 0:
        return f"{int(height)}px"
    raise unsupported(call, "height", height, "give a number of pixels or leave it out")


ALIGNMENTS = ("left", "center", "right", "justify")


def check_alignment(call: str, text_alignment: str) -> str:
    if text_alignment not in ALIGNMENTS:
        raise ValueError(f"rk.{call}(text_alignment={text_alignment!r}): must be one of "
                         f"{', '.join(map(repr, ALIGNMENTS))}")
    return text_alignment


def icon_prefix(call: str, icon: str | None) -> str:
    """An icon (emoji or Material, see icons.py) as a text prefix."""
    text = icon_text(call, icon)
    return text + " " if text else ""
