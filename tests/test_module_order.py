"""The order pytest-xdist's workers take the modules in (tests/module_order.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import module_order
import pytest

ROOT = Path("/checkout")


class Item:
    """What the ordering reads of a collected test: its file, fixtures and markers."""

    def __init__(self, module: str, name: str, *fixtures: str, marks: tuple[str, ...] = ()):
        self.path = ROOT / module
        self.name = name
        self.fixturenames = list(fixtures)
        self.marks = marks

    def get_closest_marker(self, name: str) -> object | None:
        return name if name in self.marks else None


class Cache(dict):
    def get(self, key: str, default: object) -> object:
        return dict.get(self, key, default)

    def set(self, key: str, value: object) -> None:
        self[key] = value


def worker(recorded: dict[str, float] | None = None) -> SimpleNamespace:
    return SimpleNamespace(rootpath=ROOT,
                           workerinput={module_order.WORKER_INPUT: recorded or {}})


def order(items: list[Item]) -> list[str]:
    return [f"{item.path.name}::{item.name}" for item in items]


def collected() -> list[Item]:
    return [
        *(Item("tests/test_plain.py", f"t{n}") for n in range(100)),
        Item("tests/e2e/test_kernel.py", "a", "kernel", marks=("e2e",)),
        Item("tests/e2e/test_kernel.py", "b", "kernel", marks=("e2e",)),
        Item("tests/e2e/test_page.py", "first", "page", "lab", marks=("e2e",)),
        Item("tests/e2e/test_page.py", "second", "page", "lab", marks=("e2e",)),
        Item("tests/test_small.py", "only"),
    ]


def test_without_a_record_pages_go_first_then_kernels_then_the_rest():
    items = collected()
    module_order.sort_longest_first(worker(), items)
    assert order(items)[:4] == ["test_page.py::first", "test_page.py::second",
                                "test_kernel.py::a", "test_kernel.py::b"]
    # a module's tests keep their order, and the in-process modules theirs
    assert order(items)[4:] == [f"test_plain.py::t{n}" for n in range(100)] + [
        "test_small.py::only"]


def test_what_the_last_run_recorded_decides():
    items = collected()
    module_order.sort_longest_first(worker({"tests/test_small.py": 90.0,
                                            "tests/e2e/test_page.py": 0.5}), items)
    modules = list(dict.fromkeys(item.path.name for item in items))
    # the browser modules first, however short
    assert modules == ["test_page.py", "test_small.py", "test_kernel.py", "test_plain.py"]


def test_browser_modules_go_first_longest_first():
    items = [*collected(), Item("tests/e2e/test_other_page.py", "only", "browser",
                                marks=("e2e",))]
    module_order.sort_longest_first(worker({"tests/e2e/test_other_page.py": 30.0,
                                            "tests/e2e/test_page.py": 20.0,
                                            "tests/test_small.py": 90.0}), items)
    modules = list(dict.fromkeys(item.path.name for item in items))
    assert modules[:3] == ["test_other_page.py", "test_page.py", "test_small.py"]


def report(nodeid: str, seconds: float) -> SimpleNamespace:
    return SimpleNamespace(nodeid=nodeid, duration=seconds)


@pytest.mark.parametrize("option, kept", [
    ({}, True), ({"keyword": "slider"}, False), ({"markexpr": "not e2e"}, False),
    ({"lf": True}, False),
])
def test_a_run_of_whole_modules_records_their_time_for_the_next(option, kept):
    cache = Cache({module_order.CACHE_KEY: {"tests/test_other.py": 4.0,
                                            "tests/test_a.py": 1.0}})
    options = SimpleNamespace(**{"keyword": "", "markexpr": "", "lf": False, **option})
    timings = module_order.Timings(SimpleNamespace(cache=cache, option=options))
    for nodeid, seconds in [("tests/test_a.py::x", 2.0), ("tests/test_a.py::y", 0.5),
                            ("tests/test_b.py::z", 3.0)]:
        timings.pytest_runtest_logreport(report(nodeid, seconds))
    timings.pytest_sessionfinish()
    recorded = cache[module_order.CACHE_KEY]
    if kept:
        assert recorded == {"tests/test_other.py": 4.0, "tests/test_a.py": 2.5,
                            "tests/test_b.py": 3.0}
    else:
        assert recorded == {"tests/test_other.py": 4.0, "tests/test_a.py": 1.0}


def test_without_pytests_cache_nothing_is_read_or_kept():
    config = SimpleNamespace(option=SimpleNamespace(keyword="", markexpr="", lf=False))
    assert module_order.recorded(config) == {}
    timings = module_order.Timings(config)
    timings.pytest_runtest_logreport(report("tests/test_a.py::x", 1.0))
    timings.pytest_sessionfinish()
