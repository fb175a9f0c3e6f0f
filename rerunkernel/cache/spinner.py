"""A "Running load(...)" line in the cell while a slow miss computes, gone when it is done.

Most misses are fast, so nothing is drawn for the first 0.3 s: a fast miss sends no message
at all. One daemon thread serves every spinner; since every spinner waits the same delay,
they come due in the order they started and a queue is all the scheduling needed. The lock
makes "show" (timer thread) and "stop" (script thread) exclusive, so a spinner is never
shown after its call finished and is always removed once shown, even if the call raised.
"""

from __future__ import annotations

import html
import threading
import time
import traceback
from collections import deque

from ..core.element import Element
from ..core.page import CellWriter

DELAY = 0.3

_PENDING, _SHOWN, _DONE = "pending", "shown", "done"


_RING = ('<style>@keyframes rk-spin {to {transform: rotate(360deg)}}</style>'
         '<span style="display:inline-block;width:0.8em;height:0.8em;margin-right:0.4em;'
         'vertical-align:-0.1em;border:2px solid currentColor;border-right-color:transparent;'
         'border-radius:50%;animation:rk-spin 0.8s linear infinite"></span>')


# whole seconds since the spinner's block began, counted by the browser: a CSS animation
# of an integer property, shown through a counter (it starts DELAY late, as the spinner does)
_ELAPSED = ('<style>@property --rk-elapsed {{syntax: "<integer>"; inherits: false; '
            'initial-value: 0}}'
            '@keyframes rk-elapsed {{to {{--rk-elapsed: 86400}}}}'
            '.rk-elapsed::after {{counter-reset: rk-elapsed var(--rk-elapsed); '
            'content: " (" counter(rk-elapsed) " s)"; '
            'animation: rk-elapsed 86400s steps(86400) -{delay}s forwards}}</style>'
            '<span class="rk-elapsed"></span>')


def spinner_element(text: str, show_time: bool = False) -> Element:
    """A turning ring and the text; with no text (`show_spinner=""`), the ring alone; with
    `show_time`, the seconds since the block began, after the text."""
    elapsed = _ELAPSED.format(delay=DELAY) if show_time else ""
    markup = (f'<div class="rk-spinner" style="opacity:0.7">{_RING}'
              f'<i>{html.escape(text)}</i>{elapsed}</div>')
    return Element(kind="spinner", data={"text/plain": text or "…", "text/html": markup},
                   value=text)


class Spinner:
    """Drawn in the slot where the cached call's own output would go next."""

    def __init__(self, writer: CellWriter, text: str, show_time: bool = False) -> None:
        self._writer = writer
        self._position = writer.position
        self._text = text
        self._show_time = show_time
        self._state = _PENDING
        self._lock = threading.Lock()

    def start(self) -> None:
        _clock.schedule(self)

    def show(self) -> None:
        with self._lock:
            # if the call drew something itself, that slot is its own now
            if self._state != _PENDING or self._writer.position != self._position:
                return
            self._writer.page.set(self._writer.cell, self._position,
                                  spinner_element(self._text, self._show_time))
            self._state = _SHOWN

    def stop(self) -> None:
        with self._lock:
            shown, self._state = self._state == _SHOWN, _DONE
            if shown and self._writer.position == self._position:
                self._writer.page.set(self._writer.cell, self._position, None)


class _Clock:
    def __init__(self) -> None:
        self._queue: deque[tuple[float, Spinner]] = deque()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def schedule(self, spinner: Spinner) -> None:
        with self._wake:
            self._queue.append((time.monotonic() + DELAY, spinner))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rk-cache-spinner",
                                                daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue:
                    self._wake.wait()
                due, spinner = self._queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                self._queue.popleft()
            try:
                spinner.show()
            except Exception:  # noqa: BLE001 - one failed spinner must not stop the others
                traceback.print_exc()


_clock = _Clock()
