"""Prints from threads a cell started, after its run: one bounded slot of that cell.

Outside a run, `sys.stdout` would be ipykernel's own stream, which sends a thread's print
as a `stream` message to whichever request the kernel saw last: the last executed cell,
or a widget's comm message that no output area shows. Reruns never clear those, so a
thread that logs piles text under an unrelated cell, and the cell that started it shows
nothing. In the Rerun Script kernel, a thread started while a cell runs (or by such a
thread) belongs to that cell: what it writes goes to one slot right after the cell's
outputs, keeping the latest `KEEP_CHARS` characters, and the cell's next run empties it
(docs/ARCHITECTURE.md, "Run control", Threads). Other threads, and cells of clients that
never rerun (no cell id, headless runs), keep ipykernel's ordinary streams.
"""

from __future__ import annotations

import functools
import sys
import threading
import weakref
from typing import Any

from ..core import runtime
from ..core.capture import SlotStream
from ..core.page import stream_element
from ..core.script import Cell

KEEP_CHARS = 8_000
FLUSH_SECONDS = 0.1


class ThreadOutput:
    """The kernel's stdout/stderr wrappers and what started threads wrote since the last run."""

    def __init__(self, kernel: Any) -> None:
        # the kernel gets its io_loop after it is made
        self._kernel = kernel
        self._owners: weakref.WeakKeyDictionary[threading.Thread, tuple[Any, Cell]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()
        self._text: dict[tuple[int, str], tuple[Any, Cell, str]] = {}
        self._dirty: set[tuple[int, str]] = set()
        self._shown: dict[tuple[int, str], tuple[int, Any]] = {}
        self._watched: weakref.WeakSet[Any] = weakref.WeakSet()
        self._scheduled = False
        self._wrap_thread_start()
        sys.stdout = SlotStream("stdout", sys.stdout, self.write)
        sys.stderr = SlotStream("stderr", sys.stderr, self.write)

    # --- any thread -------------------------------------------------------------------------

    def _wrap_thread_start(self) -> None:
        """Who started a thread is known only in `Thread.start` (Python 3.11 raises no audit
        event for it), so the kernel wraps that one method."""
        start = threading.Thread.start
        adopt = self._adopt

        @functools.wraps(start)
        def started_by_cell(thread: threading.Thread) -> None:
            adopt(thread)
            start(thread)

        threading.Thread.start = started_by_cell  # type: ignore[method-assign]

    def _adopt(self, thread: threading.Thread) -> None:
        owner = self._owners.get(threading.current_thread())
        if owner is None and runtime.is_script_thread():
            ctx = runtime.active()
            writer = ctx.cell_writer if ctx is not None else None
            if writer is not None and not writer.cell.headless:
                owner = (ctx.session, writer.cell)
                self._watch(ctx.session)
        if owner is not None:
            self._owners[thread] = owner

    def write(self, name: str, text: str) -> bool:
        """Keep a started thread's text for its cell; False lets the stream have it."""
        owner = self._owners.get(threading.current_thread())
        if owner is None or runtime.is_script_thread():
            return False
        session, cell = owner
        key = (id(session), cell.id)
        with self._lock:
            _, _, before = self._text.get(key, (session, cell, ""))
            self._text[key] = (session, cell, (before + text)[-KEEP_CHARS:])
            self._dirty.add(key)
            schedule = not self._scheduled
            self._scheduled = True
        if schedule:
            self._kernel.io_loop.add_callback(self._flush_later)
        return True

    # --- the main thread --------------------------------------------------------------------

    def _flush_later(self) -> None:
        self._kernel.io_loop.call_later(FLUSH_SECONDS, self._flush)

    def _flush(self) -> None:
        if runtime.is_script_thread():
            # a run is drawing: the slot goes after its cells are done
            self._flush_later()
            return
        with self._lock:
            dirty = [(key, self._text[key]) for key in self._dirty if key in self._text]
            self._dirty.clear()
            self._scheduled = False
        for key, (session, cell, text) in dirty:
            if session.script.get(cell.id) is not cell:
                continue  # deleted or replaced since
            self._show(key, session.page, cell, text)

    def _show(self, key: tuple[int, str], page: Any, cell: Cell, text: str) -> None:
        element = stream_element("stdout", text)
        shown = self._shown.get(key)
        if shown is not None and page.get(cell, shown[0]) is shown[1]:
            position = shown[0]
        else:
            # right after the cell's outputs (an unfilled placeholder counts as one)
            position = len(page.elements(cell))
            while page.get(cell, position) is not None:
                position += 1
        page.set(cell, position, element)
        self._shown[key] = (position, element)

    def _watch(self, session: Any) -> None:
        if session not in self._watched:
            self._watched.add(session)
            session.on_run_start.append(self._run_started)

    def _run_started(self, session: Any, trigger: Any) -> None:
        """The run empties the slot (it draws each cell anew); the text starts over. A run of
        fragments alone draws no cell's own area: the slot stays."""
        if trigger.fragments is not None:
            return
        with self._lock:
            for key in [k for k in self._text if k[0] == id(session)]:
                del self._text[key]
                self._shown.pop(key, None)
