"""An npm library that an element's ES module needs in the page (ECharts, apache-arrow).

Such a library is about a megabyte of minified code, so it is neither committed nor put
in each element's module: the build of jupyterlab-ext/ copies it from npm into this
package (JupyterLab may be offline: no CDN), and it reaches the page once per kernel in
one model-only widget that every element's widget names. The page runs its text once
(page_library.js, added to each module that loads a library), whichever front-end draws
the elements, so anywidget's works without our extension. See docs/ARCHITECTURE.md,
"Elements" (ECharts) and "Custom components (v2)" (apache-arrow).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import threading
from pathlib import Path
from typing import Any, Literal

LOADER = Path(__file__).with_name("page_library.js")


class MissingLibraryError(RuntimeError):
    """The package was built without a library's file (a checkout never built)."""


@dataclasses.dataclass(frozen=True)
class PageLibrary:
    """One library: its file in the package and what to tell a user who lacks it.

    `needed_by` names the feature that needs it, first in the error; `how` says how to get
    it. `format` is how the page runs the text: an ES module as it is, a UMD bundle wrapped
    as one. `version` finds the library's version in its text, for the widget to show.
    """

    name: str
    file: Path
    needed_by: str
    how: str
    format: Literal["esm", "umd"] = "esm"
    version: re.Pattern[str] | None = None
    _lock: threading.Lock = dataclasses.field(
        default_factory=threading.Lock, init=False, repr=False, compare=False)
    _made: dict[str, Any] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False)

    def source(self) -> str:
        """The library's text, read once (a miss is not kept: a build may make the file)."""
        with self._lock:
            if "source" not in self._made:
                try:
                    self._made["source"] = self.file.read_text(encoding="utf-8")
                except FileNotFoundError:
                    raise MissingLibraryError(
                        f"{self.needed_by}: {self.name} is missing ({self.file} was not "
                        f"built). {self.how}") from None
            return self._made["source"]  # type: ignore[no-any-return]

    def widget(self) -> Any:
        """The one widget model of this kernel that carries the library to the page, made
        again if something closed it."""
        source = self.source()
        with self._lock:
            made = self._made.get("widget")
            if made is None or made.comm is None:
                found = self.version.search(source) if self.version else None
                made = self._made["widget"] = _widget_class()(
                    name=self.name, source=source, format=self.format,
                    digest=hashlib.sha1(source.encode()).hexdigest()[:16],
                    version=found.group(1) if found else "")
            return made


def esm(module: Path) -> str:
    """An element's ES module with the page's library loader (`pageLibrary(model, ref)`)
    after it: anywidget takes one module's text, so the loader goes in each that uses it."""
    return module.read_text(encoding="utf-8") + "\n" + LOADER.read_text(encoding="utf-8")


@functools.cache
def _widget_class() -> type:
    """Made at the first library sent: ipywidgets is imported only by apps that send one."""
    import ipywidgets
    import traitlets

    class PageLibraryModel(ipywidgets.Widget):  # type: ignore[misc]
        """A model with no view (ipywidgets' base WidgetModel): the page reads its state."""

        name = traitlets.Unicode("").tag(sync=True)
        source = traitlets.Unicode("").tag(sync=True)
        format = traitlets.Unicode("esm").tag(sync=True)
        # the page keeps a library it ran by this, across the models of kernel restarts
        digest = traitlets.Unicode("").tag(sync=True)
        version = traitlets.Unicode("").tag(sync=True)

        def __repr__(self) -> str:
            return f"PageLibraryModel({self.name}: {len(self.source):,} characters)"

    return PageLibraryModel
