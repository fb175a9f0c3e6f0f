"""Per-cell output slots, and the diff of this run against the last one.

A Jupyter output area can only append outputs or update one by its display id; it cannot
insert between two. So each cell owns a list of slots, matched by position: the n-th element
a run draws in a cell goes to that cell's n-th slot. An unchanged slot sends nothing, a
changed one is updated in place, a new one is appended, and slots a run no longer fills are
emptied (and reused when it fills them again), so nothing flickers and nothing piles up.

A display is not always one slot: consecutive one-line paragraphs (what `rk.write` draws
for text and numbers) share one, so a rerun that changes twenty lines sends one message,
not twenty (docs/ARCHITECTURE.md, "A run of lines is one output").
"""

from __future__ import annotations

import heapq
import itertools
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from . import printed
from .element import Element
from .printed import KEEP_CHARS, StreamRun
from .script import Cell

log = logging.getLogger("rerunkernel")

EMPTY = Element(kind="empty", data={})

# a run of one-line paragraphs shares one display up to this many of them, or this much
# markdown, then another starts: a change re-sends the run's display whole
RUN_SLOTS = 64
RUN_CHARS = 8192
# what could run from one paragraph into the next once joined: math and LaTeX (JupyterLab
# takes them out before parsing markdown), raw HTML, link definitions
_LEAKS = re.compile(r"[$<]|\\[(\[]|\\begin|\]:")
# a paragraph starts with a letter or digit (not a list's number), a quote or a parenthesis:
# no heading, list, quote, rule, fence or indented code, which are spaced differently
_PARAGRAPH = re.compile(r"(?!\d{1,9}[.)](\s|$))[^\W_]|[\"'(]")


def joins_runs(element: Element | None) -> bool:
    """A one-line markdown paragraph: it reads the same among others as on its own."""
    if element is None or element.kind != "markdown" or element.metadata:
        return False
    data = element.data
    markup = data.get("text/markdown")
    return (len(data) == 2 and isinstance(markup, str) and isinstance(data.get("text/plain"), str)
            and "\n" not in markup and "\r" not in markup
            and _PARAGRAPH.match(markup) is not None and not _LEAKS.search(markup))


class Sink(Protocol):
    """Where slot changes go: the kernel's IOPub channel, or a list in a test."""

    def display(self, cell: Cell, display_id: str, element: Element) -> None: ...

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None: ...


@dataclass(eq=False)
class Slot:
    display_id: str
    element: Element | None
    # the run of one-line paragraphs whose display this slot shares, if it is in one
    run: list[Slot] | None = None


class Page:
    """Every cell's slots, as the front-end currently shows them."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self._slots: dict[str, list[Slot]] = {}
        # the script's thread draws; a cache spinner may show itself from a timer thread
        self._lock = threading.RLock()
        # the run of paragraphs drawn last, whether it has changes not sent yet, and when
        # it was last sent: a run being written is sent at its first change, then at most
        # every FLUSH_SECONDS, and whenever anything else is drawn or a cell ends
        self._open: tuple[Cell, list[Slot]] | None = None
        self._open_dirty = False
        self._open_sent = 0.0

    def forget(self, cell_id: str) -> None:
        """Drop a cell's slots: its output area was cleared (re-executed, `clear_output`) or
        the cell is gone, so what it draws next is displayed anew, not updated."""
        with self._lock:
            if self._open is not None and self._open[0].id == cell_id:
                self._open = None
            self._slots.pop(cell_id, None)

    def flush(self) -> None:
        """Send the run of paragraphs being written, if it has changes not sent yet."""
        with self._lock:
            if self._open is not None and self._open_dirty:
                cell, run = self._open
                self._open_dirty = False
                self._open_sent = printed.clock()
                self.sink.update(cell, run[0].display_id, _joined(run))

    def elements(self, cell: Cell | str) -> list[Element]:
        cell_id = cell if isinstance(cell, str) else cell.id
        return [s.element for s in self._slots.get(cell_id, []) if s.element is not None]

    def slot_count(self) -> int:
        return sum(len(v) for v in self._slots.values())

    def set(self, cell: Cell, position: int, element: Element | None) -> None:
        with self._lock:
            self._set(cell, position, element)

    def get(self, cell: Cell, position: int) -> Element | None:
        slots = self._slots.get(cell.id, [])
        return slots[position].element if position < len(slots) else None

    def _set(self, cell: Cell, position: int, element: Element | None) -> None:
        slots = self._slots.setdefault(cell.id, [])
        if position < len(slots):
            slot = slots[position]
            if slot.run is not None and element is not None and not joins_runs(element):
                self._split(cell, slots, position, element)
                return
            if element is None:
                if slot.element is not None:
                    slot.element = None
                    self._show(cell, slot)
            elif not element.same_as(slot.element):
                slot.element = element
                self._show(cell, slot)
            else:
                slot.element = element
            return
        if element is None:
            return
        while len(slots) < position:
            # a reserved position (rk.empty()) must exist on screen to be filled later
            padding = Slot(uuid.uuid4().hex, None)
            slots.append(padding)
            self._display(cell, padding.display_id, EMPTY)
        last = slots[-1] if slots else None
        if last is not None and _extends(last.run, element):
            slot = Slot(last.display_id, element, last.run)
            last.run.append(slot)
            slots.append(slot)
            self._show(cell, slot)
            return
        slot = Slot(uuid.uuid4().hex, element)
        slots.append(slot)
        self._display(cell, slot.display_id, element)
        if joins_runs(element) and not cell.headless:
            slot.run = [slot]
            self._open, self._open_dirty, self._open_sent = (cell, slot.run), False, \
                printed.clock()

    def _display(self, cell: Cell, display_id: str, element: Element) -> None:
        self.flush()  # what was drawn before shows first
        self.sink.display(cell, display_id, element)

    def _update(self, cell: Cell, display_id: str, element: Element | None) -> None:
        self.flush()
        self.sink.update(cell, display_id, element)

    def _show(self, cell: Cell, slot: Slot) -> None:
        """Send what the slot's display shows now: its element, or its run's paragraphs.

        A run's display carries all its paragraphs, so while a run is being written its
        changes are held back, from the first: they are sent when something else is drawn,
        the cell ends, or FLUSH_SECONDS have passed (a cell that writes and then computes
        shows what it wrote, as soon as ipykernel would show a print). A rerun that changes
        twenty lines of a run sends it once, not twenty times.
        """
        run = slot.run
        if run is None:
            self._update(cell, slot.display_id, slot.element)
            return
        if self._open is None or self._open[1] is not run:
            self.flush()
            self._open, self._open_sent = (cell, run), printed.clock()
        self._open_dirty = True
        if printed.clock() - self._open_sent >= printed.FLUSH_SECONDS:
            self.flush()
        else:
            _held_back.add(self)

    def _split(self, cell: Cell, slots: list[Slot], position: int, element: Element) -> None:
        """An element that is not a one-line paragraph lands inside a run of them.

        A display can't be split in two, and no display can be inserted: from the run's
        first slot on, the cell's elements are laid out again over the displays it has (in
        order, more appended if needed), and each display whose content changed is updated.
        """
        run = slots[position].run
        assert run is not None
        self.flush()
        if self._open is not None and self._open[0].id == cell.id:
            self._open = None  # its runs are laid out anew
        start = slots.index(run[0])
        elements = [s.element for s in slots[start:]]
        elements[position - start] = element
        displays = list(dict.fromkeys(s.display_id for s in slots[start:]))
        shown = {s.display_id: s for s in slots[start:]}
        before = {d: _joined(s.run) if s.run is not None else s.element
                  for d, s in shown.items()}
        del slots[start:]
        laid: list[Slot] = []
        for element in elements:
            last = laid[-1] if laid else None
            if last is not None and _extends(last.run, element):
                slot = Slot(last.display_id, element, last.run)
                last.run.append(slot)
            else:
                slot = Slot(displays.pop(0) if displays else uuid.uuid4().hex, element)
                if joins_runs(element):
                    slot.run = [slot]
            laid.append(slot)
        # displays left over stay as empty slots at the end, to be filled again later
        laid += [Slot(display_id, None) for display_id in displays]
        slots.extend(laid)
        for slot in laid:
            if slot.run is not None and slot is not slot.run[0]:
                continue
            now = _joined(slot.run) if slot.run is not None else slot.element
            if slot.display_id not in before:
                self._display(cell, slot.display_id, now if now is not None else EMPTY)
                continue
            was = before[slot.display_id]
            if not (now is None and was is None) and (now is None or not now.same_as(was)):
                self._update(cell, slot.display_id, now)

    def truncate(self, cell: Cell, keep: int) -> None:
        """Empty the cell's slots from `keep` on: the writer is done with the cell."""
        with self._lock:
            for position in range(keep, len(self._slots.get(cell.id, []))):
                self._set(cell, position, None)
            self.flush()
            self._open = None  # the next change to a run is the first of its writing

    def resend(self, cell: Cell) -> None:
        """Show a cell's current elements again in a new output area (same content, new ids)."""
        with self._lock:
            elements = self.elements(cell)
            self.forget(cell.id)
            self._slots[cell.id] = []
            for position, element in enumerate(elements):
                self._set(cell, position, element)
            self.flush()
            self._open = None


class _HeldBack:
    """One thread that sends, FLUSH_SECONDS after they were held back, the changes of runs
    whose cell went on computing without drawing anything else.

    One thread for the process, asleep while nothing is held back, and one deadline per page
    at a time: while a session reruns, the thread is already waiting for an earlier one, so
    holding a run back costs no wake-up, and it wakes at most every FLUSH_SECONDS.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: list[tuple[float, int, Page]] = []
        self._pages: set[Page] = set()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._sleeping_until: float | None = None

    def add(self, page: Page) -> None:
        due = time.monotonic() + printed.FLUSH_SECONDS
        with self._changed:
            if page in self._pages:
                return  # sent by its earlier deadline, a little sooner
            self._pages.add(page)
            heapq.heappush(self._due, (due, next(self._order), page))
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, daemon=True,
                                                name="rerunkernel-held-back-runs")
                self._thread.start()
            elif self._sleeping_until is None or due < self._sleeping_until:
                self._changed.notify()

    def _serve(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                due = []
                while self._due and self._due[0][0] <= now:
                    due.append(heapq.heappop(self._due)[2])
                    self._pages.discard(due[-1])
                if due:
                    self._changed.release()
                    try:
                        for page in due:
                            try:
                                page.flush()  # nothing, if it was sent meanwhile
                            except Exception:  # noqa: BLE001 - the next page still flushes
                                log.exception("sending a run of lines failed")
                    finally:
                        self._changed.acquire()
                    continue
                self._sleeping_until = self._due[0][0] if self._due else None
                self._changed.wait(None if not self._due else self._due[0][0] - now)
                self._sleeping_until = None


_held_back = _HeldBack()


def _extends(run: list[Slot] | None, element: Element | None) -> bool:
    """`element` joins `run` (appended after it) rather than taking a display of its own."""
    if run is None or len(run) >= RUN_SLOTS or not joins_runs(element):
        return False
    assert element is not None
    chars = sum(len(s.element.data["text/markdown"]) for s in run if s.element is not None)
    return chars + len(element.data["text/markdown"]) <= RUN_CHARS


def _joined(run: list[Slot]) -> Element | None:
    """One display for a run of one-line paragraphs, as markdown paragraphs and text lines."""
    shown = [s.element for s in run if s.element is not None]
    if not shown:
        return None
    if len(shown) == 1:
        return shown[0]
    return Element(kind="markdown", value=None, data={
        "text/markdown": "\n\n".join(e.data["text/markdown"] for e in shown),
        "text/plain": "\n".join(e.data["text/plain"] for e in shown),
    })


class Surface(Protocol):
    """Positional slots to draw on: a cell's output area (`Page`), or a layout box."""

    def set(self, cell: Cell, position: int, element: Element | None) -> None: ...

    def get(self, cell: Cell, position: int) -> Element | None: ...

    def truncate(self, cell: Cell, keep: int) -> None: ...


class CellWriter:
    """Draws one cell (or one layout box of it) during one run.

    Elements go in call order; prints fold into text slots. `page` is the surface drawn on:
    the cell's own output area, or a container inside it (see elements/layout.py).
    """

    def __init__(self, page: Surface, cell: Cell, form: str | None = None) -> None:
        self.page = page
        self.cell = cell
        self.form = form
        self.position = 0
        self._stream: StreamRun | None = None
        self._stream_start = 0
        self._stream_budget = KEEP_CHARS
        self._named: dict[str, int] = {}
        self._reserved: dict[int, bool] = {}
        self.children: list[CellWriter] = []

    def add(self, element: Element, name: str | None = None) -> None:
        self.close_stream()
        if name is not None:
            self._named[name] = self.position
        self.page.set(self.cell, self.position, element)
        self.position += 1

    def reserve(self) -> int:
        """Keep the next position for later (`rk.empty()`).

        What it showed last run stays until the placeholder is filled (no flicker); if the
        run never fills it, it is emptied when the writer finishes.
        """
        self.close_stream()
        position = self.position
        self._reserved[position] = False
        self.position += 1
        return position

    def fill(self, position: int, element: Element | None) -> None:
        """Draw into a reserved position (a placeholder's content)."""
        if position in self._reserved:
            self._reserved[position] = True
        self.page.set(self.cell, position, element)

    def update_named(self, name: str, element: Element) -> None:
        """`display(..., display_id=x)` then `update_display(..., display_id=x)` in a script."""
        position = self._named.get(name)
        if position is None:
            self.add(element, name)
        else:
            self.page.set(self.cell, position, element)

    def write_stream(self, name: str, text: str) -> None:
        """A print: appended to the current stream run, in slots laid out by printed.py."""
        if not text:
            return
        if self._stream is None or self._stream.name != name:
            self.close_stream()
            self._stream_start = self.position
            self._stream = StreamRun(name, self._stream_budget, partial(self._draw_stream, name),
                                     before=self._shown_stream(name))
        self._stream.write(text)

    def _shown_stream(self, name: str) -> str:
        """The text this stream run's slots show now (from the last run), to match against."""
        kinds = (name, f"{name}:continued")
        texts = []
        position = self._stream_start
        while (element := self.page.get(self.cell, position)) is not None \
                and element.kind in kinds:
            texts.append(element.text)
            position += 1
        return "".join(texts)

    def _draw_stream(self, name: str, index: int, text: str) -> None:
        element = None
        if text:
            element = stream_element(name, text) if index == 0 else Element(
                kind=f"{name}:continued", data={"text/plain": text}, value=text)
        self.page.set(self.cell, self._stream_start + index, element)

    def close_stream(self) -> None:
        run = self._stream
        if run is None:
            return
        run.flush(final=True)
        if run.slots > 1:
            # the first slot's value is the whole print, for readers such as AppTest;
            # its data is unchanged, so nothing is sent
            first = self.page.get(self.cell, self._stream_start)
            if first is not None:
                self.page.set(self.cell, self._stream_start,
                              stream_element(run.name, first.text, value=run.text()))
        self._stream = None
        self.position = self._stream_start + run.slots
        self._stream_budget = run.budget_left

    def clear(self) -> None:
        """`clear_output()` from the script: start this cell's drawing over."""
        self.close_stream()
        self._named.clear()
        self.position = 0
        self._stream_budget = KEEP_CHARS

    def finish(self) -> None:
        for child in self.children:
            child.finish()
        self.close_stream()
        for position, filled in self._reserved.items():
            if not filled:
                self.page.set(self.cell, position, None)
        self.page.truncate(self.cell, self.position)


def stream_element(name: str, text: str, value: str | None = None) -> Element:
    return Element(kind=name, data={"text/plain": text}, value=text if value is None else value)
