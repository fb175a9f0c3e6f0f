"""How an element call reaches the screen: the active run's current cell, or plain display.

Outside any run (a python3 kernel, a REPL, a library importing us) elements still work,
once, the ordinary way: through IPython's display when there is a shell, else as text.
"""

from __future__ import annotations

from ..core import runtime
from ..core.element import Element


def draw(element: Element) -> None:
    ctx = runtime.active()
    if ctx is not None:
        ctx.draw(element)
        return
    show_outside_run(element)


def show_outside_run(element: Element) -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        get_ipython = lambda: None  # noqa: E731
    if get_ipython() is not None:
        from IPython.display import display

        display(element.data, raw=True, metadata=element.metadata or None)
    else:
        print(element.text)


_MARKDOWN_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def escape_markdown(text: str) -> str:
    """Show a value's text literally inside markdown (a repr is not markup)."""
    return text.translate(_MARKDOWN_ESCAPES)


def html_escape(text: str) -> str:
    import html

    return html.escape(str(text), quote=True)
