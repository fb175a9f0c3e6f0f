"""Printed text laid out in slots so that printing N characters sends O(N) bytes.

A display slot can only be replaced whole (`update_display_data`), so one slot holding a
growing print is re-sent at every flush: quadratic bytes over IOPub. Here a stream run
(consecutive prints between two elements) is cut into pieces of at most PIECE_CHARS (at the
last newline before the limit), and the pieces are grouped like the digits of a counter:
every FAN pieces form one slot of the next level, up to slots of FAN**TOP_LEVEL pieces. Only
the unfinished piece is redrawn while it grows (a few KB at most, so a slow logger sends
little per line), and each character is re-sent once per level it climbs, so the bytes sent
stay a small multiple of the bytes printed, at any rate of printing. The layout depends on
the text alone, so a rerun printing the same text ends with the same slots and sends
nothing; while its text matches what is on screen it draws nothing either.

A cell keeps the first KEEP_CHARS it prints. Past that a stream run shows a line saying how
much was cut, then its latest text: the last full top-level slot and the one filling up.
"""

from __future__ import annotations

import time
from typing import Callable, Hashable

PIECE_CHARS = 2048
FAN = 8
TOP_LEVEL = 2
KEEP_CHARS = 1024 * 1024
# as often as ipykernel flushes a stream
FLUSH_SECONDS = 0.2

TOP_PIECES = FAN**TOP_LEVEL

# when flushes are due (a test replaces it to flush deterministically)
clock: Callable[[], float] = time.monotonic

# draw(index, text): the index-th slot of the stream run shows `text` ("" empties it)
Draw = Callable[[int, str], None]


class StreamRun:
    """One stream's consecutive writes, drawn into slots 0, 1, 2... of the run."""

    def __init__(self, name: str, budget: int, draw: Draw, before: str = "") -> None:
        self.name = name
        self.budget = budget
        self._draw = draw
        self._pieces: list[str] = []
        self._parts: list[str] = []
        self._open = 0
        self._kept = 0
        # past the budget: pieces before `_window` (and after the head) are cut
        self._head: int | None = 0 if budget <= 0 else None
        self._window = 0
        self._cut = 0
        self._texts: dict[Hashable, str] = {}
        self._drawn: list[Hashable] = []
        self._drawn_at = float("-inf")
        self._before = before
        self._matched = 0
        self._matching = bool(before)

    @property
    def slots(self) -> int:
        return len(self._drawn)

    @property
    def budget_left(self) -> int:
        """What later stream runs of the same cell may still keep."""
        return self.budget - self._kept if self._head is None else self.budget

    def write(self, text: str) -> None:
        if self._matching:
            end = self._matched + len(text)
            self._matching = self._before[self._matched:end] == text
            self._matched = end
        self._parts.append(text)
        self._open += len(text)
        if self._open >= PIECE_CHARS:
            self._cut_pieces()
        now = clock()
        if now - self._drawn_at >= FLUSH_SECONDS:
            self._drawn_at = now
            self.flush()

    def flush(self, final: bool = False) -> None:
        """Draw the slots whose content changed since the last flush."""
        if self._matching and not final:
            # a rerun printing what is on screen: nothing to send while it matches
            return
        layout = self._layout()
        for index, (identity, text) in enumerate(layout):
            if index >= len(self._drawn) or self._drawn[index] != identity:
                self._draw(index, text)
        for index in range(len(layout), len(self._drawn)):
            self._draw(index, "")
        self._drawn = [identity for identity, _ in layout]

    def text(self) -> str:
        """Everything the run shows, in order (what a test reads back as the print)."""
        return "".join(text for _, text in self._layout())

    def _cut_pieces(self) -> None:
        text = "".join(self._parts)
        start = 0
        while len(text) - start >= PIECE_CHARS:
            end = text.rfind("\n", start, start + PIECE_CHARS) + 1
            if end <= start:
                end = start + PIECE_CHARS
            self._add_piece(text[start:end])
            start = end
        rest = text[start:]
        self._parts, self._open = ([rest], len(rest)) if rest else ([], 0)

    def _add_piece(self, piece: str) -> None:
        self._pieces.append(piece)
        count = len(self._pieces)
        if self._head is None:
            self._kept += len(piece)
            if count % TOP_PIECES == 0 and self._kept >= self.budget:
                self._head = self._window = count
                self.budget -= self._kept
            return
        if (count - self._window) % TOP_PIECES == 0 and count - self._window > TOP_PIECES:
            # the window moves on by one top-level slot; what it leaves behind is cut
            dropped = range(self._window, self._window + TOP_PIECES)
            self._cut += sum(len(self._pieces[i]) for i in dropped)
            for i in dropped:
                self._pieces[i] = ""
            self._window += TOP_PIECES

    def _layout(self) -> list[tuple[Hashable, str]]:
        """The slots as (identity, text): equal identities have equal texts."""
        count = len(self._pieces)
        head = count if self._head is None else self._head
        slots = self._levels(0, head)
        if self._head is not None:
            if self._cut:
                slots.append((("cut", self._cut), self._notice()))
            slots += self._levels(self._window, count)
        open_text = "".join(self._parts)
        self._parts = [open_text] if open_text else []
        if open_text:
            slots.append((("open", count, len(open_text)), open_text))
        used = {identity for identity, _ in slots}
        self._texts = {k: v for k, v in self._texts.items() if k in used}
        return slots

    def _levels(self, start: int, end: int) -> list[tuple[Hashable, str]]:
        """Pieces [start, end) as counter digits: top-level slots first, then smaller."""
        slots: list[tuple[Hashable, str]] = []
        first = start
        for level in range(TOP_LEVEL, -1, -1):
            size = FAN**level
            while end - first >= size:
                identity = ("slot", first, level)
                text = self._texts.get(identity)
                if text is None:
                    text = self._texts[identity] = "".join(self._pieces[first:first + size])
                slots.append((identity, text))
                first += size
        return slots

    def _notice(self) -> str:
        return (f"[{self._cut:,} characters of output cut here: a cell keeps the first "
                f"{KEEP_CHARS:,} characters it prints, then the latest. Write long logs to a "
                f"file to keep them whole.]\n")
