"""The `apache-arrow` JavaScript library, for v2 components whose data holds tables.

Streamlit hands a component's JavaScript each dataframe inside its `data` dict as an
`apache-arrow` Table, so the page needs that library. It comes from npm: the build of
jupyterlab-ext/ copies its single-file bundle (Apache-2.0, licence header kept) into this
package, and it is never committed. It reaches the page as one widget model that every
component with tables refers to, so a page loads it once, whichever front-end draws the
components (anywidget's works without our extension). See docs/ARCHITECTURE.md, "Custom
components (v2)".
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

# written by `jlpm build:arrow` in jupyterlab-ext/ (part of its build and of `pip install`)
BUNDLE = Path(__file__).with_name("apache-arrow.min.js")

_lock = threading.Lock()
_decoder: Any = None


class MissingDecoderError(RuntimeError):
    """The package was installed without its Arrow bundle."""


@functools.cache
def source() -> str:
    """The library's text: a UMD bundle, which the page runs as a module."""
    try:
        return BUNDLE.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingDecoderError(
            f"{BUNDLE} is missing, so dataframes can't be sent to a component: it is copied "
            "from npm when rerunkernel is built (pip install -e . or make setup in a "
            "checkout)") from None


def decoder_widget() -> Any:
    """The one widget model that carries the library to the page (made again if closed)."""
    global _decoder
    with _lock:
        if _decoder is None or _decoder.comm is None:
            _decoder = _widget_class()(source=source())
        return _decoder


@functools.cache
def _widget_class() -> type:
    import ipywidgets
    import traitlets

    class ArrowDecoder(ipywidgets.Widget):  # type: ignore[misc]
        """A model with no view: the page reads its `source`."""

        source = traitlets.Unicode("").tag(sync=True)

        def __repr__(self) -> str:
            return f"ArrowDecoder(source=<{len(self.source):,} characters of apache-arrow>)"

    return ArrowDecoder
