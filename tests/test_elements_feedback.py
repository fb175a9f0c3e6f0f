"""Progress bars, spinners and toasts: what they draw and when it reaches the front-end."""

from __future__ import annotations

import sys
import threading
import types

import pytest

import rerunkernel as rk
from rerunkernel.cache import spinner as spinner_module
from rerunkernel.core.element import Element
from rerunkernel.core.script import Cell
from rerunkernel.elements.handles import StaleHandleError
from rerunkernel.testing import AppTest


class RecordingSink:
    """The messages a front-end would get: (what, display id, text or None when emptied)."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, str | None]] = []
        self.shown = threading.Event()

    def display(self, cell: Cell, display_id: str, element: Element) -> None:
        self.log.append(("display", display_id, element.text))
        if element.kind == "spinner":
            self.shown.set()

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None:
        self.log.append(("update", display_id, None if element is None else element.text))
        if element is not None and element.kind == "spinner":
            self.shown.set()


def recorded(source: str) -> tuple[AppTest, RecordingSink]:
    at = AppTest.from_string(source)
    sink = RecordingSink()
    at.session.page.sink = sink
    return at.run(), sink


def test_a_progress_bar_updates_its_own_slot_as_the_run_goes():
    at, sink = recorded("import rerunkernel as rk\n"
                        "bar = rk.progress(0, text='Loading')\n"
                        "for step in (0.25, 0.5, 1.0):\n"
                        "    bar.progress(step, text=f'{step:.0%}')\n"
                        "rk.write('done')")
    assert not at.exception
    (_, bar_id, first), *updates, (last_op, _, last) = sink.log
    assert first == "[--------------------] 0% Loading"
    assert updates == [("update", bar_id, "[#####---------------] 25% 25%"),
                       ("update", bar_id, "[##########----------] 50% 50%"),
                       ("update", bar_id, "[####################] 100% 100%")]
    assert (last_op, last) == ("display", "done")
    bar = at.get("progress")[0]
    assert bar.value == 100
    assert bar.label == "100%"
    html = bar.data["text/html"]
    assert 'aria-valuenow="100"' in html
    assert '<div style="width:100%;height:100%;' in html


def test_a_progress_bar_can_be_emptied():
    at, sink = recorded("import rerunkernel as rk\nbar = rk.progress(10)\nbar.empty()\n")
    assert sink.log[-1][2] is None
    assert not at.get("progress")


def test_a_progress_bar_in_a_placeholder_or_a_column_updates_in_place():
    at = AppTest.from_string("import rerunkernel as rk\n"
                             "from rerunkernel.elements.layout import columns, empty\n"
                             "rk.write('top')\n"
                             "slot = empty()\nbar = slot.progress(0)\nbar.progress(50)\n"
                             "left, right = columns(2)\nside = left.progress(10)\n"
                             "right.write('right')\nside.progress(70)\n"
                             "gone = empty()\ngone.progress(5).empty()").run()
    assert not at.exception
    assert [(e.kind, e.value) for e in at.elements if e.kind != "columns"] == [
        ("markdown", "top"), ("progress", 50), ("progress", 70), ("markdown", "right"),
        ("empty", None)]


def test_a_handle_from_an_ended_run_refuses_to_draw():
    at = AppTest.from_string("import rerunkernel as rk\nbar = rk.progress(10)").run()
    with pytest.raises(StaleHandleError, match="drawn by a run that has ended"):
        at.namespace["bar"].progress(20)


def test_outside_a_run_a_progress_bar_prints(capsys):
    bar = rk.progress(30, text="plain")
    bar.progress(0.9)
    assert capsys.readouterr().out == ("[######--------------] 30% plain\n"
                                       "[##################--] 90%\n")


@pytest.mark.parametrize("value, message", [
    (101, "an int value must be from 0 to 100"),
    (1.5, "a float value must be from 0.0 to 1.0"),
    ("half", "the value must be an int from 0 to 100"),
    (True, "the value must be an int from 0 to 100"),
])
def test_progress_values_out_of_range_fail_clearly(value, message):
    at = AppTest.from_string(f"import rerunkernel as rk\nrk.progress({value!r})").run()
    assert message in str(at.exception[0].value)


@pytest.fixture
def probe(monkeypatch):
    """A module the script can import to wait until the spinner has been drawn."""
    module = types.ModuleType("spinner_probe")
    monkeypatch.setitem(sys.modules, "spinner_probe", module)
    return module


def test_a_slow_block_shows_the_spinner_until_it_ends(monkeypatch, probe):
    monkeypatch.setattr(spinner_module, "DELAY", 0.0)
    at = AppTest.from_string("import rerunkernel as rk, spinner_probe\n"
                             "with rk.spinner('Crunching numbers'):\n"
                             "    assert spinner_probe.shown.wait(10)\n"
                             "rk.write('done')")
    sink = RecordingSink()
    probe.shown = sink.shown
    at.session.page.sink = sink
    at.run()
    assert not at.exception
    spinner_id = sink.log[0][1]
    assert sink.log == [("display", spinner_id, "Crunching numbers"),
                        ("update", spinner_id, None),
                        ("update", spinner_id, "done")]


def test_a_fast_block_sends_nothing_for_its_spinner(monkeypatch):
    monkeypatch.setattr(spinner_module, "DELAY", 3600.0)
    # on a clock of its own: the process's clock serves spinners in the order they started,
    # so this one, due in an hour, would hold back every spinner of the tests after it
    monkeypatch.setattr(spinner_module, "_clock", spinner_module._Clock())
    at, sink = recorded("import rerunkernel as rk\n"
                        "@rk.spinner('Working')\n"
                        "def work():\n    return 42\n"
                        "rk.write(work())")
    assert [text for _, _, text in sink.log] == ["42"]


def test_headless_runs_draw_no_spinner(monkeypatch):
    monkeypatch.setattr(spinner_module, "DELAY", 0.0)
    source = "import rerunkernel as rk\nwith rk.spinner():\n    pass\n"
    at = AppTest([Cell("<script>", source, filename="<script>", headless=True)])
    sink = RecordingSink()
    at.session.page.sink = sink
    at.run()
    assert sink.log == []


def test_a_spinner_with_show_time_has_the_browser_count_the_seconds(monkeypatch, probe):
    monkeypatch.setattr(spinner_module, "DELAY", 0.0)
    at = AppTest.from_string("import rerunkernel as rk, spinner_probe\n"
                             "with rk.spinner('Crunching', show_time=True):\n"
                             "    assert spinner_probe.shown.wait(10)\n")
    drawn: list[Element] = []

    class Keeping(RecordingSink):
        def display(self, cell: Cell, display_id: str, element: Element) -> None:
            drawn.append(element)
            super().display(cell, display_id, element)

    sink = Keeping()
    probe.shown = sink.shown
    at.session.page.sink = sink
    at.run()
    assert not at.exception
    assert drawn[0].text == "Crunching"
    markup = drawn[0].data["text/html"]
    assert 'content: " (" counter(rk-elapsed) " s)"' in markup
    assert "animation: rk-elapsed 86400s steps(86400) -0.0s forwards" in markup
    assert "rk-elapsed" not in spinner_module.spinner_element("Plain").data["text/html"]


def test_spinner_options_we_cannot_draw_fail_by_name():
    at = AppTest.from_string("import rerunkernel as rk\n"
                             "with rk.spinner('x', width='stretch'):\n    pass").run()
    assert "rk.spinner(width='stretch') is not supported" in str(at.exception[0].value)


def test_a_toast_fades_out_in_the_browser_and_shows_again_each_run():
    at, sink = recorded("import rerunkernel as rk\n"
                        "note = rk.toast('Saved', icon='✅')\n"
                        "rk.toast('Bye', duration=2)\n"
                        "rk.toast('Stay', duration='infinite')")
    saved, bye, stay = at.get("toast")
    assert saved.value == "Saved"
    assert saved.data["text/plain"] == "Toast: ✅ Saved"
    assert "animation:rk-toast-fade 4s ease-in forwards" in saved.data["text/html"]
    assert "animation:rk-toast-fade 2s" in bye.data["text/html"]
    assert "animation:" not in stay.data["text/html"]
    at.run()
    assert [op for op, _, _ in sink.log] == ["display"] * 3 + ["update"] * 3


def test_a_toast_handle_replaces_its_message():
    at = AppTest.from_string("import rerunkernel as rk\n"
                             "note = rk.toast('Saving...')\nnote.toast('Saved')").run()
    assert at.get("toast").values == ["Saved"]


def test_bad_toast_durations_fail_clearly():
    at = AppTest.from_string("import rerunkernel as rk\nrk.toast('x', duration='forever')").run()
    assert "rk.toast(duration='forever')" in str(at.exception[0].value)
