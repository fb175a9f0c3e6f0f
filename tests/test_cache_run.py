"""`rk.cache` inside a run: spinner, mutation warnings in the cell, no widgets in the body."""

from __future__ import annotations

import asyncio
import textwrap
import threading

import pytest

from rerunkernel.cache import cache
from rerunkernel.cache.spinner import Spinner
from rerunkernel.core.element import Element
from rerunkernel.core.page import CellWriter, Page
from rerunkernel.core.runner import PlainExecutor
from rerunkernel.core.script import Cell, Script
from rerunkernel.core.session import Session
from rerunkernel.core.triggers import Trigger

WAIT = 30


pytestmark = pytest.mark.usefixtures("fresh_cache")


class Sink:
    """Slot messages as the front-end would receive them; `spinner_shown` is set on one."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str | None]] = []
        self.spinner_shown = threading.Event()

    def display(self, cell: Cell, display_id: str, element: Element) -> None:
        self._record("display", element)

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None:
        self._record("update", element)

    def _record(self, kind: str, element: Element | None) -> None:
        self.messages.append((kind, None if element is None else element.text))
        if element is not None and element.kind == "spinner":
            self.spinner_shown.set()


class Host:
    def schedule(self, session: Session) -> None:
        pass

    def current_parent(self) -> None:
        return None


class Executor(PlainExecutor):
    """Plain cells whose fresh namespace also holds a few test objects."""

    def __init__(self, **names) -> None:
        self.names = names
        super().__init__()

    def fresh_namespace(self, into: dict | None = None) -> dict:
        namespace = super().fresh_namespace(into)
        namespace.update(self.names, cache=cache)
        return namespace


def run(source: str, sink: Sink | None = None, **names):
    sink = sink or Sink()
    session = Session(Script([Cell("c", textwrap.dedent(source))]), Executor(**names), sink,
                      Host())
    result = asyncio.run(session.run(Trigger()))
    return result, session, sink


def after_pending_spinners() -> None:
    """Spinners come due in start order, so once a later one shows, earlier ones were handled."""
    sentinel = Sink()
    Spinner(CellWriter(Page(sentinel), Cell("sentinel", "")), "sentinel").start()
    assert sentinel.spinner_shown.wait(WAIT)


def test_a_slow_miss_shows_a_spinner_and_removes_it():
    sink = Sink()
    result, _, _ = run("""
        @cache
        def load(n):
            assert shown.wait(30)
            return n
        load(1)
    """, sink, shown=sink.spinner_shown)
    assert result.status == "ok"
    assert sink.messages == [("display", "Running load(...)"), ("update", None)]


def test_a_custom_spinner_text_and_a_raising_call():
    sink = Sink()
    result, _, _ = run("""
        @cache(show_spinner="Fetching the data")
        def fetch():
            assert shown.wait(30)
            raise ValueError("no network")
        fetch()
    """, sink, shown=sink.spinner_shown)
    assert result.ename == "ValueError"
    assert sink.messages[:2] == [("display", "Fetching the data"), ("update", None)]
    assert "no network" in sink.messages[2][1]


def test_an_empty_spinner_text_shows_a_spinner_without_text():
    sink = Sink()
    result, _, _ = run("""
        @cache(show_spinner="")
        def load():
            assert shown.wait(30)
            return 1
        load()
    """, sink, shown=sink.spinner_shown)
    assert result.status == "ok"
    assert sink.messages == [("display", "…"), ("update", None)]


def test_a_fast_miss_sends_nothing():
    result, _, sink = run("""
        @cache
        def quick(n):
            return n
        quick(1)
    """)
    after_pending_spinners()
    assert result.status == "ok"
    assert sink.messages == []


def test_show_spinner_false_shows_none_even_when_slow():
    result, _, sink = run("""
        @cache(show_spinner=False)
        def slow():
            wait_for_spinners()
        slow()
    """, wait_for_spinners=after_pending_spinners)
    assert result.status == "ok"
    assert sink.messages == []


def test_the_body_runs_marked_as_cached_and_widgets_inside_fail():
    result, session, _ = run("""
        import rerunkernel.core.runtime as runtime

        @cache
        def inside():
            return runtime.active().in_cached_call
        depths = (inside(), runtime.active().in_cached_call)
    """)
    assert session.namespace["depths"] == (1, 0)
    result, _, _ = run("""
        import rerunkernel.elements as el

        @cache
        def with_widget():
            return el.slider("x")
        with_widget()
    """)
    assert result.ename == "CachedWidgetError"
    assert "create the widget outside the function" in result.evalue


def test_a_mutated_hit_draws_a_warning_in_the_cell_every_time():
    result, session, _ = run("""
        @cache
        def make(n):
            return [n]
        make(1).append(2)
        make(1)
        make(1)
    """)
    assert result.status == "ok"
    shown = session.page.elements("c")
    assert [e.kind for e in shown] == ["warning", "warning"]
    assert shown[0].text.startswith("make() returned its cached result, but that object")


def test_entries_survive_reruns_of_the_session():
    calls: list = []
    source = """
        @cache
        def load(n, _calls):
            _calls.append(n)
            return n * 2
        result = load(21, calls)
    """
    sink = Sink()
    session = Session(Script([Cell("c", textwrap.dedent(source))]), Executor(calls=calls),
                      sink, Host())
    for _ in range(3):
        asyncio.run(session.run(Trigger()))
        assert session.namespace["result"] == 42
    assert calls == [21]
