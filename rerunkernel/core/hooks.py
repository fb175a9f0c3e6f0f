"""What the core asks of the layers above it, without importing them.

The core runs scripts, and a run sometimes draws a value it was not asked to draw: a
notebook cell's last expression, or a bare expression under Streamlit's magic. How a value
is drawn is the elements' business, and what `import streamlit` gives during a run is the
Streamlit layer's. `rerunkernel/api.py` wires both in when it is loaded, which the package
root defers to the first use of a name or the first run (`ready`), so a kernel starts without
the elements; the import contracts in pyproject.toml keep the core free of either
(docs/ARCHITECTURE.md, "Packages").
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any, Callable


def _unwired(*args: Any) -> Any:
    raise RuntimeError("rerunkernel's elements are not wired in: import rerunkernel first")


# a value -> the element that shows it (a cell's last expression)
display: Callable[[Any], Any] = _unwired
# `rk.write(*values)` (Streamlit's magic)
write: Callable[..., Any] = _unwired
# what `import streamlit` gives inside a run
streamlit_imports: Callable[[], AbstractContextManager[None]] = nullcontext


_loader: Callable[[], Any] | None = None
_wired = False


def load_with(loader: Callable[[], Any]) -> None:
    global _loader
    _loader = loader


def ready() -> None:
    """Before a run: load what wires the hooks if nothing has yet (once; cheap after)."""
    if not _wired and _loader is not None:
        _loader()


def wire(*, display_value: Callable[[Any], Any], write_values: Callable[..., Any],
         imports: Callable[[], AbstractContextManager[None]]) -> None:
    global display, write, streamlit_imports, _wired
    _wired = True
    display, write, streamlit_imports = display_value, write_values, imports
