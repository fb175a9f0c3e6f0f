"""Slot diffing: what a rerun sends for each kind of change."""

from __future__ import annotations

import itertools
import random
import threading
import re

import pytest

from rerunkernel.core import printed
from rerunkernel.core.element import Element
from rerunkernel.core.page import CellWriter, Page
from rerunkernel.core.script import Cell


class RecordingSink:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str, str | None]] = []

    def display(self, cell, display_id, element):
        self.sent.append(("display", cell.id, display_id, element.text))

    def update(self, cell, display_id, element):
        self.sent.append(("update", cell.id, display_id, element.text if element else None))


def text(value: str) -> Element:
    return Element("markdown", {"text/plain": value})


def draw(page: Page, cell: Cell, *values: str) -> None:
    writer = CellWriter(page, cell)
    for value in values:
        writer.add(text(value))
    writer.finish()


def test_first_run_displays_and_rerun_with_same_content_sends_nothing():
    sink = RecordingSink()
    page, cell = Page(sink), Cell("c", "")
    draw(page, cell, "a", "b")
    assert [s[0] for s in sink.sent] == ["display", "display"]
    sink.sent.clear()
    draw(page, cell, "a", "b")
    assert sink.sent == []


def test_a_changed_element_is_one_update_with_the_same_display_id():
    sink = RecordingSink()
    page, cell = Page(sink), Cell("c", "")
    draw(page, cell, "a", "b", "c")
    ids = [s[2] for s in sink.sent]
    sink.sent.clear()
    draw(page, cell, "a", "B", "c")
    assert sink.sent == [("update", "c", ids[1], "B")]


def test_gone_slots_are_emptied_and_reused_not_piled_up():
    sink = RecordingSink()
    page, cell = Page(sink), Cell("c", "")
    draw(page, cell, "a", "b", "c")
    sink.sent.clear()
    draw(page, cell, "a")
    assert [(s[0], s[3]) for s in sink.sent] == [("update", None), ("update", None)]
    sink.sent.clear()
    draw(page, cell, "a", "x")
    assert [(s[0], s[3]) for s in sink.sent] == [("update", "x")]
    assert page.slot_count() == 3


def test_prints_fold_into_one_text_slot_per_stream_run():
    sink = RecordingSink()
    page, cell = Page(sink), Cell("c", "")
    writer = CellWriter(page, cell)
    writer.write_stream("stdout", "one\n")
    writer.write_stream("stdout", "two\n")
    writer.add(text("element"))
    writer.write_stream("stdout", "three\n")
    writer.finish()
    assert [e.text for e in page.elements(cell)] == ["one\ntwo\n", "element", "three\n"]


def test_widget_slots_compare_by_identity_not_snapshot():
    a = Element("slider", {"text/plain": "x: 1"}, identity=("widget", "m1"))
    b = Element("slider", {"text/plain": "x: 2"}, identity=("widget", "m1"))
    c = Element("slider", {"text/plain": "x: 1"}, identity=("widget", "m2"))
    assert a.same_as(b)
    assert not a.same_as(c)


def test_resend_shows_the_same_elements_under_new_display_ids():
    sink = RecordingSink()
    page, cell = Page(sink), Cell("c", "")
    draw(page, cell, "a", "b")
    first = {s[2] for s in sink.sent}
    sink.sent.clear()
    page.resend(cell)
    assert [(s[0], s[3]) for s in sink.sent] == [("display", "a"), ("display", "b")]
    assert not first & {s[2] for s in sink.sent}


class ByteCountingSink:
    """What IOPub would carry: the text of every display and update, and how many."""

    def __init__(self) -> None:
        self.chars = 0
        self.messages = 0

    def display(self, cell, display_id, element):
        self.chars += len(element.text)
        self.messages += 1

    def update(self, cell, display_id, element):
        self.chars += len(element.text) if element is not None else 0
        self.messages += 1


def fake_clock(monkeypatch, seconds_per_write: float) -> None:
    """Time that passes only as the script writes, so flushes fall at the same writes."""
    ticks = itertools.count()
    monkeypatch.setattr(printed, "clock", lambda: next(ticks) * seconds_per_write)


@pytest.fixture
def flush_every_write(monkeypatch):
    """Every write is a flush: the worst case for text re-sent."""
    fake_clock(monkeypatch, printed.FLUSH_SECONDS)


def log_lines(page: Page, cell: Cell, count: int) -> int:
    writer = CellWriter(page, cell)
    for i in range(count):
        writer.write_stream("stdout", f"step {i:>6}: loss {1 / (i + 1):.6f}\n")
    writer.finish()
    return sum(len(f"step {i:>6}: loss {1 / (i + 1):.6f}\n") for i in range(count))


def test_printing_sends_bytes_linear_in_what_was_printed(flush_every_write):
    sent = {}
    for lines in (8_000, 32_000):
        sink = ByteCountingSink()
        printed_chars = log_lines(Page(sink), Cell("c", ""), lines)
        assert printed_chars < printed.KEEP_CHARS
        sent[lines] = sink.chars
        # each character climbs a few levels; each flush re-sends at most the unfinished piece
        bound = (printed.TOP_LEVEL + 1) * printed_chars + sink.messages * printed.PIECE_CHARS
        assert sink.chars <= bound
    # one slot re-sent whole at every flush grows with the square: 16 times here
    assert sent[32_000] <= 4.5 * sent[8_000]


def test_a_training_loop_log_sends_under_three_times_its_text(monkeypatch):
    fake_clock(monkeypatch, 0.0004)  # 2,500 lines a second
    sink = ByteCountingSink()
    printed_chars = log_lines(Page(sink), Cell("c", ""), 20_000)
    assert sink.chars <= 3 * printed_chars


def test_a_rerun_printing_the_same_text_sends_nothing(flush_every_write):
    sink = ByteCountingSink()
    page, cell = Page(sink), Cell("c", "")
    log_lines(page, cell, 5_000)
    first = [e.text for e in page.elements(cell)]
    assert len(first) > 1
    sink.chars = sink.messages = 0
    log_lines(page, cell, 5_000)
    assert (sink.messages, sink.chars) == (0, 0)
    assert [e.text for e in page.elements(cell)] == first


def test_a_long_print_reads_back_whole_as_one_text_element(flush_every_write):
    sink = ByteCountingSink()
    page, cell = Page(sink), Cell("c", "")
    writer = CellWriter(page, cell)
    writer.write_stream("stdout", "x" * 300_000)
    writer.write_stream("stdout", "\nend\n")
    writer.add(text("element"))
    writer.finish()
    elements = page.elements(cell)
    prints = [e for e in elements if e.kind == "stdout"]
    assert len(prints) == 1
    assert prints[0].value == "x" * 300_000 + "\nend\n"
    assert "".join(e.text for e in elements[:-1]) == prints[0].value
    assert elements[-1].text == "element"


def test_a_cell_keeps_its_first_megabyte_then_says_how_much_it_cut(flush_every_write):
    sink = ByteCountingSink()
    page, cell = Page(sink), Cell("c", "")
    writer = CellWriter(page, cell)
    line = "y" * 99 + "\n"
    for _ in range(50_000):
        writer.write_stream("stdout", line)
    writer.write_stream("stdout", "the last line\n")
    writer.finish()
    shown = "".join(e.text for e in page.elements(cell))
    total = 50_000 * len(line) + len("the last line\n")
    notice = re.search(r"\[([\d,]+) characters of output cut here[^\n]*\n", shown)
    assert notice is not None
    cut = int(notice.group(1).replace(",", ""))
    assert len(shown) - len(notice.group(0)) + cut == total
    assert shown.startswith(line) and shown.endswith(line + "the last line\n")
    assert printed.KEEP_CHARS <= notice.start() < 2 * printed.KEEP_CHARS
    assert len(shown) < 2 * printed.KEEP_CHARS
    per_flush = printed.PIECE_CHARS + len(notice.group(0))
    assert sink.chars <= (printed.TOP_LEVEL + 1) * total + sink.messages * per_flush


def test_later_prints_share_the_cells_budget_until_clear_output():
    page, cell = Page(ByteCountingSink()), Cell("c", "")
    writer = CellWriter(page, cell)
    lines = "w" * 99 + "\n"
    writer.write_stream("stdout", lines * (printed.KEEP_CHARS // 100))
    writer.add(text("between"))
    writer.write_stream("stdout", lines * 4_000)
    writer.close_stream()
    shown = [e.text for e in page.elements(cell)]
    between = shown.index("between")
    assert "cut here" not in "".join(shown[:between])
    assert "cut here" in "".join(shown[between:])
    writer.clear()
    writer.write_stream("stdout", lines * 4_000)
    writer.finish()
    assert "".join(e.text for e in page.elements(cell)) == lines * 4_000


class Screen:
    """An output area as a front-end keeps it: outputs in display order, updated by id."""

    def __init__(self) -> None:
        self.outputs: dict[str, dict] = {}
        self.messages = 0

    def display(self, cell, display_id, element):
        self.messages += 1
        self.outputs[display_id] = dict(element.data)

    def update(self, cell, display_id, element):
        self.messages += 1
        assert display_id in self.outputs, "an update for an output never displayed"
        self.outputs[display_id] = dict(element.data) if element is not None else {}

    def shown(self) -> list[str]:
        """The markdown on screen, one entry per paragraph, in order."""
        return [paragraph for data in self.outputs.values() if data
                for paragraph in data.get("text/markdown", data.get("text/plain")).split("\n\n")]


def line(value: str) -> Element:
    """What `rk.write('...')` draws: a one-line markdown paragraph."""
    return Element("markdown", {"text/markdown": value, "text/plain": value}, value=value)


def widget(name: str) -> Element:
    return Element("slider", {"text/plain": name}, identity=("widget", name))


def draw_elements(page: Page, cell: Cell, elements: list[Element]) -> None:
    writer = CellWriter(page, cell)
    for element in elements:
        writer.add(element)
    writer.finish()


def test_consecutive_one_line_paragraphs_share_one_output():
    screen = Screen()
    page, cell = Page(screen), Cell("c", "")
    draw_elements(page, cell, [line("Title"), widget("x")] + [line(f"row {i}") for i in range(20)])
    assert len(screen.outputs) == 3
    assert screen.shown() == ["Title", "x"] + [f"row {i}" for i in range(20)]
    assert [e.text for e in page.elements(cell)] == ["Title", "x"] + [
        f"row {i}" for i in range(20)]


@pytest.fixture
def no_timed_flush(monkeypatch):
    """Only drawing and a cell's end flush a run: a loaded machine's pauses change nothing."""
    monkeypatch.setattr(printed, "FLUSH_SECONDS", 3600.0)


def test_a_rerun_changing_a_run_of_lines_updates_its_output_once(no_timed_flush):
    """When the cell ends: the changes before are held back (a timer sends them if the
    cell goes on computing, see below)."""
    screen = Screen()
    page, cell = Page(screen), Cell("c", "")
    draw_elements(page, cell, [widget("x")] + [line(f"row {i}: 0") for i in range(20)])
    screen.messages = 0
    draw_elements(page, cell, [widget("x")] + [line(f"row {i}: {i}") for i in range(20)])
    assert screen.messages == 1
    assert screen.shown() == ["x"] + [f"row {i}: {i}" for i in range(20)]
    screen.messages = 0
    draw_elements(page, cell, [widget("x")] + [line(f"row {i}: {i}") for i in range(20)])
    assert screen.messages == 0


def test_the_first_change_of_a_run_shows_before_the_cell_ends(monkeypatch):
    """A rerun's change to a run of lines, the cell then computing: sent by the timer."""
    monkeypatch.setattr(printed, "FLUSH_SECONDS", 0.05)
    sent = threading.Event()

    class Waiting(Screen):
        def update(self, cell, display_id, element):
            super().update(cell, display_id, element)
            if self.shown() == ["A", "b"]:
                sent.set()

    screen = Waiting()
    page, cell = Page(screen), Cell("c", "")
    draw_elements(page, cell, [line("a"), line("b")])
    writer = CellWriter(page, cell)
    writer.add(line("A"))
    assert sent.wait(10), screen.shown()


def test_a_run_written_over_time_is_sent_as_often_as_prints(monkeypatch):
    fake_clock(monkeypatch, printed.FLUSH_SECONDS / 4)  # four lines per flush period
    screen = Screen()
    page, cell = Page(screen), Cell("c", "")
    writer = CellWriter(page, cell)
    for i in range(40):
        writer.add(line(f"step {i}"))
        # never more than a flush period behind what was drawn
        assert len(screen.shown()) >= i + 1 - 4
    writer.finish()
    assert screen.shown() == [f"step {i}" for i in range(40)]
    assert screen.messages <= 40 // 4 + 2


def test_what_is_drawn_after_a_run_shows_after_it(no_timed_flush):
    """A deferred run is sent before anything drawn after it, in this cell or another."""
    sink = RecordingSink()
    page, one, two = Page(sink), Cell("one", ""), Cell("two", "")
    draw_elements(page, one, [line("a"), line("b")])
    sink.sent.clear()
    writer = CellWriter(page, one)
    writer.add(line("A"))
    writer.add(line("B"))
    CellWriter(page, two).add(line("other"))
    assert [(s[0], s[1], s[3]) for s in sink.sent] == [
        ("update", "one", "A\nB"), ("display", "two", "other")]


def test_a_cell_that_writes_then_computes_shows_what_it_wrote(monkeypatch):
    """Lines held back after the run's first change are sent by a timer, not at the end."""
    monkeypatch.setattr(printed, "FLUSH_SECONDS", 0.05)
    sent = threading.Event()

    class Waiting(Screen):
        def update(self, cell, display_id, element):
            super().update(cell, display_id, element)
            if self.shown() == ["a", "b", "c"]:
                sent.set()

    screen = Waiting()
    page, cell = Page(screen), Cell("c", "")
    writer = CellWriter(page, cell)
    for value in "abc":
        writer.add(line(value))
    # the cell computes here: nothing else is drawn, the cell does not end
    assert sent.wait(10), screen.shown()
    writer.finish()
    assert screen.shown() == ["a", "b", "c"]


@pytest.mark.parametrize("markup", [
    "costs $5 and $6", "a <b>bold", "```python", "- item", "1. first", "[a]: https://x",
    "two\nlines", r"see \(x\)", "# Title", "> quoted", "    code", "***", "",
])
def test_paragraphs_that_could_run_into_the_next_keep_an_output_of_their_own(markup):
    screen = Screen()
    page, cell = Page(screen), Cell("c", "")
    draw_elements(page, cell, [line("before"), line(markup), line("after")])
    assert len(screen.outputs) == 3


def test_headless_cells_keep_an_output_per_element():
    """They are never rerun (and their prints are real streams between the outputs)."""
    screen = Screen()
    page, cell = Page(screen), Cell("c", "", headless=True)
    draw_elements(page, cell, [line("a"), line("b"), line("c")])
    assert len(screen.outputs) == 3


def test_an_element_drawn_inside_a_run_is_laid_out_in_order():
    screen = Screen()
    page, cell = Page(screen), Cell("c", "")
    draw_elements(page, cell, [line(f"row {i}") for i in range(6)] + [widget("w")])
    draw_elements(page, cell, [line("row 0"), line("row 1"), widget("v")]
                  + [line(f"row {i}") for i in range(3, 6)] + [widget("w")])
    assert screen.shown() == ["row 0", "row 1", "v", "row 3", "row 4", "row 5", "w"]
    draw_elements(page, cell, [line(f"row {i}") for i in range(6)])
    assert screen.shown() == [f"row {i}" for i in range(6)]
    assert page.slot_count() <= 9


def test_any_sequence_of_reruns_shows_each_run_in_order():
    """Runs of paragraphs grow, shrink, split and join across reruns; the screen follows."""
    rng = random.Random(7)
    kinds = [lambda i: line(f"p{i}"), lambda i: widget(f"w{i % 3}"),
             lambda i: line(f"{i}\nlines"), lambda i: None]
    screen = Screen()
    page, cell = Page(screen), Cell("c", "")
    for _ in range(300):
        elements = [rng.choice(kinds)(rng.randrange(4)) for _ in range(rng.randrange(12))]
        writer = CellWriter(page, cell)
        for element in elements:
            if element is None:
                writer.fill(writer.reserve(), None)
            else:
                writer.add(element)
        writer.finish()
        expected = [p for e in elements if e is not None
                    for p in e.data.get("text/markdown", e.text).split("\n\n")]
        assert screen.shown() == expected
        # outputs are reused, not piled up: never more than one run's worth of elements
        assert len(screen.outputs) <= 12
