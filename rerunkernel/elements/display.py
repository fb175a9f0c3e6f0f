"""Any Python object as an element, through IPython's rich display formatters.

This is what `display(obj)`, a cell's last expression and `rk.write(obj)` for objects we have
no special element for all share, so an object looks the same whichever way it was shown.
"""

from __future__ import annotations

from typing import Any

from ..core.element import Element

_formatter = None


def format_bundle(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    global _formatter
    try:
        from IPython import get_ipython
        from IPython.core.formatters import DisplayFormatter
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return {"text/plain": repr(obj)}, {}
    shell = get_ipython()
    if shell is not None:
        return shell.display_formatter.format(obj)
    if _formatter is None:
        _formatter = DisplayFormatter()
    return _formatter.format(obj)


def display_element(obj: Any) -> Element:
    data, metadata = format_bundle(obj)
    return Element(kind="display", data=dict(data), metadata=dict(metadata or {}), value=obj)


def has_rich_repr(obj: Any) -> bool:
    data, _ = format_bundle(obj)
    return any(mime != "text/plain" for mime in data)
