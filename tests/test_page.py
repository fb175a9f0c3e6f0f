"""Slot diffing: what a rerun sends for each kind of change."""

from __future__ import annotations

from rerunkernel.page import CellWriter, Element, Page
from rerunkernel.script import Cell


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
