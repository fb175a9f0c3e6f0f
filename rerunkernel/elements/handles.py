"""A slot that later calls in the same run redraw: `bar = rk.progress(0)`, `bar.progress(50)`.

Drawing again in place is what makes a progress bar move during a long run: each redraw is
one update of that slot, sent at once. A handle belongs to the run that drew it; when that
run has ended its slot may show something else, so a redraw then is an error, not a guess.
Outside any run (a plain Python kernel) the handle updates an ordinary display by its id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core import runtime
from ..core.element import Element

if TYPE_CHECKING:
    from .layout import Placeholder


class StaleHandleError(RuntimeError):
    pass


class SlotHandle:
    def __init__(self, element: Element) -> None:
        self._ctx = runtime.active()
        self._display: Any = None
        if self._ctx is None or self._ctx.writer is None:
            self._ctx = None
            self._writer = None
            self._position = 0
            self._show_outside_run(element, first=True)
            return
        self._writer = self._ctx.writer
        self._position = self._writer.position
        self._ctx.draw(element)

    def _redraw(self, element: Element | None, what: str) -> None:
        if self._writer is None:
            if element is not None:
                self._show_outside_run(element, first=False)
            return
        if runtime.active() is not self._ctx:
            raise StaleHandleError(
                f"this {what} was drawn by a run that has ended, so its place on the page "
                f"may now show something else. Draw a new one in this run (call rk.{what}() "
                "again) instead of keeping the old one."
            )
        self._ctx.checkpoint()
        self._writer.fill(self._position, element)

    def _show_outside_run(self, element: Element, first: bool) -> None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with ipykernel
            get_ipython = lambda: None  # noqa: E731
        if get_ipython() is None:
            print(element.text)
            return
        from IPython.display import display

        if first:
            self._display = display(element.data, raw=True,
                                    metadata=element.metadata or None, display_id=True)
        else:
            self._display.update(element.data, raw=True, metadata=element.metadata or None)


def drawn(element: Element) -> Placeholder:
    """Draw `element` where later calls can replace or empty it, as the handle Streamlit
    returns for every element allows: `note = rk.info("Saving")`, ..., `note.empty()`."""
    from .layout import empty

    place = empty()
    place._draw(element)
    return place
