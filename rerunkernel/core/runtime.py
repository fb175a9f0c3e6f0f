"""The run that element calls draw into.

Elements are plain functions (`rk.write(...)`), so they look their run up here instead of
taking it as an argument. Runs can nest (an app started by `%rerun_watch` is drawn while the
notebook's own run is executing that cell), so this is a stack. Every element call is a
checkpoint: if a newer trigger made this run stale, it stops there (docs/ARCHITECTURE.md,
"Stale runs stop early").
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from .element import Element
    from .fragments import Fragment
    from .page import CellWriter
    from .session import Session
    from .triggers import Trigger


class RerunRequested(BaseException):
    """A newer trigger superseded this run. A BaseException so `except Exception` can't eat it."""


class StopRun(BaseException):
    """`rk.stop()`: end this run here, quietly, as if the script ended."""


class WrongThreadError(RuntimeError):
    """An element was called from a thread other than the script's."""


class RunContext:
    """One run of one session, as seen by element calls."""

    def __init__(self, session: Session, trigger: Trigger) -> None:
        self.session = session
        self.trigger = trigger
        self.thread = threading.current_thread()
        self.writer: CellWriter | None = None
        self.widget_seen: set[str] = set()
        self.occurrences: dict[tuple, int] = {}
        self.keys_used: dict[str, str] = {}
        self.in_cached_call = 0
        self.callbacks: list[tuple] = []
        self.cell_writer: CellWriter | None = None
        self.box_writers: dict[str, CellWriter] = {}
        self._outer: list[CellWriter | None] = []
        self.extras: dict[str, object] = {}
        # the fragment being drawn (innermost), the one this run reruns alone (if it is a
        # fragment run), and the fragments this run called (core/fragments.py)
        self.fragment: Fragment | None = None
        self.rerunning: Fragment | None = None
        self.fragments: dict[str, Fragment] = {}
        # those of them that refresh every so often (`run_every`)
        self.timed: list[Fragment] = []
        self.in_callback = False

    def begin_cell(self, writer: CellWriter) -> None:
        self.writer = self.cell_writer = writer
        self.box_writers = {}
        self._outer = []

    def box_writer(self, key: str, make: Callable[[], CellWriter]) -> CellWriter:
        """The writer of one layout box for this run (created once, finished with its cell)."""
        writer = self.box_writers.get(key)
        if writer is None:
            if self.fragment is not None and not self.fragment.holds(key):
                self.drawing_outside_fragment(key)
            writer = self.box_writers[key] = make()
            if self.cell_writer is not None:
                self.cell_writer.children.append(writer)
        return writer

    def drawing_outside_fragment(self, key: str | None) -> None:
        """A fragment draws into a box it did not make (`key`; None: the cell's own area).

        Its later runs are full ones; a fragment run ends here and becomes one, unless what
        it draws into is inside the fragment that is running alone."""
        from .fragments import OutsideFragment

        assert self.fragment is not None
        self.fragment.outside = True
        if self.rerunning is not None and (key is None or not self.rerunning.holds(key)):
            raise OutsideFragment()

    def enter(self, writer: CellWriter) -> None:
        """Draw into a layout box until `leave()` (`with col:`)."""
        self._outer.append(self.writer)
        self.writer = writer

    def leave(self) -> None:
        if self.writer is not None:
            self.writer.close_stream()
        self.writer = self._outer.pop() if self._outer else self.cell_writer

    @property
    def headless(self) -> bool:
        """Drawing for a run nobody watches live (nbclient, `rerunkernel run`)."""
        return self.writer is not None and self.writer.cell.headless

    @property
    def scope(self) -> str:
        """What a widget's identity is counted within: its cell, or the fragment it is in
        (whose calls a fragment run counts again from zero)."""
        if self.fragment is not None:
            return self.fragment.id
        return self.writer.cell.id if self.writer is not None else ""

    def checkpoint(self) -> None:
        if self.session.requests.stale:
            raise RerunRequested()

    def draw(self, element: Element) -> None:
        self.checkpoint()
        if self.writer is None:
            raise RuntimeError("no cell is being drawn")
        self.writer.add(element)


_stack: list[RunContext] = []


def active() -> RunContext | None:
    """The innermost run, or None outside any run (a plain REPL, a python3 kernel)."""
    if not _stack:
        return None
    ctx = _stack[-1]
    if threading.current_thread() is not ctx.thread:
        raise WrongThreadError(
            f"rerunkernel elements must be called from the script's own thread "
            f"({ctx.thread.name!r}), not from {threading.current_thread().name!r}. "
            "Compute in your thread, then draw the result from the script after joining it."
        )
    return ctx


def is_script_thread() -> bool:
    return bool(_stack) and threading.current_thread() is _stack[-1].thread


@contextmanager
def running(ctx: RunContext) -> Iterator[RunContext]:
    _stack.append(ctx)
    try:
        yield ctx
    finally:
        _stack.remove(ctx)


# The runs belong to the process, not to one copy of this module. A cell that removes
# rerunkernel from sys.modules and imports it again gets a second copy of the package; its
# elements must still draw into the run executing that cell, and its `rk.stop()` must raise
# the StopRun the runner knows. So a later copy of this module hands itself over to the
# first: importers get the first copy's stack and classes.
_FIRST_COPY = "_rerunkernel_runtime"
if sys.__dict__.setdefault(_FIRST_COPY, sys.modules[__name__]) is not sys.modules[__name__]:
    sys.modules[__name__] = getattr(sys, _FIRST_COPY)
