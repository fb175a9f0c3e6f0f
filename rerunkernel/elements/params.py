"""Streamlit parameters that a Jupyter output area can honour only in part.

A script written for Streamlit passes layout and styling options (widths, alignment, icons)
that have no exact equivalent here. Defaults cost nothing to accept and are accepted; values
we can express in HTML or a widget layout are honoured; anything else fails loudly, naming
the parameter, instead of being dropped without a word.
"""

from __future__ import annotations

import numbers
import re
from typing import Any


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
    """An emoji icon as a text prefix; Material Symbols need Streamlit's own font."""
    if icon is None:
        return ""
    if not isinstance(icon, str) or not icon.strip():
        raise ValueError(f"rk.{call}(icon={icon!r}): icon must be an emoji")
    if icon.startswith(":material/"):
        raise unsupported(call, "icon", icon, "Material Symbols icons need Streamlit's font; "
                          "use an emoji such as '✅'")
    return icon.strip() + " "


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|us|w|d|h|m|s)?", re.IGNORECASE)
_UNITS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3,
          "us": 1e-6}
_UNIT_WORDS = {"weeks": "w", "week": "w", "days": "d", "day": "d", "hours": "h", "hour": "h",
               "hr": "h", "minutes": "m", "minute": "m", "min": "m", "mins": "m",
               "seconds": "s", "second": "s", "sec": "s", "secs": "s"}


def parse_duration(text: str) -> float:
    """Seconds in a text such as '1d', '2h30m', '90s' or '1.5 hours' (Streamlit's ttl texts)."""
    words = re.sub(r"[a-zA-Z]+", lambda m: _UNIT_WORDS.get(m.group().lower(), m.group()),
                   text.strip())
    compact = words.replace(" ", "")
    total, end = 0.0, 0
    for match in _DURATION.finditer(compact):
        if match.start() != end or not match.group(0):
            break
        total += float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
        end = match.end()
    if end != len(compact) or not compact:
        raise ValueError(f"{text!r} is not a duration like '1d', '2h30m' or '90s'")
    return total
