"""Per-cell output slots, and the diff of this run against the last one.

A Jupyter output area can only append outputs or update one by its display id; it cannot
insert between two. So each cell owns a list of slots, matched by position: the n-th element
a run draws in a cell goes to that cell's n-th slot. An unchanged slot sends nothing, a
changed one is updated in place, a new one is appended, and slots a run no longer fills are
emptied (and reused when it fills them again), so nothing flickers and nothing piles up.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from .element import Element
from .printed import KEEP_CHARS, StreamRun
from .script import Cell

EMPTY = Element(kind="empty", data={})


class Sink(Protocol):
    """Where slot changes go: the kernel's IOPub channel, or a list in a test."""

    def display(self, cell: Cell, display_id: str, element: Element) -> None: ...

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None: ...


@dataclass
class Slot:
    display_id: str
    element: Element | None


class Page:
    """Every cell's slots, as the front-end currently shows them."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self._slots: dict[str, list[Slot]] = {}
        # the script's thread draws; a cache spinner may show itself from a timer thread
        self._lock = threading.RLock()

    def forget(self, cell_id: str) -> None:
        """Drop a cell's slots: its output area was cleared (re-executed, `clear_output`) or
        the cell is gone, so what it draws next is displayed anew, not updated."""
        self._slots.pop(cell_id, None)

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
            if element is None:
                if slot.element is not None:
                    slot.element = None
                    self.sink.update(cell, slot.display_id, None)
            elif not element.same_as(slot.element):
                slot.element = element
                self.sink.update(cell, slot.display_id, element)
            else:
                slot.element = element
            return
        if element is None:
            return
        while len(slots) < position:
            # a reserved position (rk.empty()) must exist on screen to be filled later
            padding = Slot(uuid.uuid4().hex, None)
            slots.append(padding)
            self.sink.display(cell, padding.display_id, EMPTY)
        slot = Slot(uuid.uuid4().hex, element)
        slots.append(slot)
        self.sink.display(cell, slot.display_id, element)

    def truncate(self, cell: Cell, keep: int) -> None:
        for position in range(keep, len(self._slots.get(cell.id, []))):
            self.set(cell, position, None)

    def resend(self, cell: Cell) -> None:
        """Show a cell's current elements again in a new output area (same content, new ids)."""
        elements = self.elements(cell)
        self._slots[cell.id] = []
        for position, element in enumerate(elements):
            self.set(cell, position, element)


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
