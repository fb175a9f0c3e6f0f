"""The order pytest-xdist's workers take the test modules in: longest first.

`--dist loadfile` hands a worker whole modules, in the order collected, whenever it is
nearly out of work. Taken longest first, the last modules are short ones and both workers
finish together; a browser module taken last would keep one worker busy for a minute while
the other has nothing left (pytest-xdist's own order, by number of tests, does just that:
the browser modules have the fewest). The modules with browser tests go before all others:
a worker's consecutive browser tests share Chromium and JupyterLab's page
(tests/e2e/conftest.py), which interleaved modules would make it start again each time.

How long a module takes is what it took in the last run of the whole suite on this
checkout (kept in pytest's cache), else an estimate from what its tests start. The
controller reads the cache once and hands the same numbers to every worker, since the
workers must collect the same tests in the same order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CACHE_KEY = "rerunkernel/module-seconds"
WORKER_INPUT = "rerunkernel_module_seconds"


def distributed_by_module(config: pytest.Config) -> bool:
    return getattr(config.option, "dist", "no") in ("loadfile", "loadscope")


def recorded(config: pytest.Config) -> dict[str, float]:
    """What each module took in the last full run, by path from the root folder."""
    cache = getattr(config, "cache", None)  # None under -p no:cacheprovider
    if cache is None:
        return {}
    seconds = cache.get(CACHE_KEY, {})
    return seconds if isinstance(seconds, dict) else {}


def sort_longest_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Sort `items` module by module, the modules with browser tests first, each group
    longest first; a module's tests keep their order."""
    measured: dict[str, float] = getattr(config, "workerinput", {}).get(WORKER_INPUT, {})
    expected: dict[Path, float] = {}
    for item in items:
        expected[item.path] = expected.get(item.path, 0.0) + estimate(item)
    for path in expected:
        seconds = measured.get(_key(config, path))
        if isinstance(seconds, (int, float)):
            expected[path] = float(seconds)
    in_browser = {item.path for item in items if uses_page(item)}
    # stable: a module's tests keep their order
    items.sort(key=lambda item: (item.path not in in_browser, -expected[item.path]))


def uses_page(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "page" in names or "browser" in names


def estimate(item: pytest.Item) -> float:
    """A rough cost: a page in JupyterLab, a kernel, or neither (a few milliseconds)."""
    seconds = 0.02
    if "lab" in getattr(item, "fixturenames", ()):
        seconds = 15.0
    elif item.get_closest_marker("e2e") is not None:
        seconds = 2.0
    if item.get_closest_marker("slow") is not None:
        seconds += 20.0
    return seconds


class Timings:
    """Adds up, on the controller, the time each module's tests took on the workers, and
    keeps it for the next run when this one ran the whole selection (no -k, -m or --lf,
    which would record a part of a module as the whole)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seconds: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        module = report.nodeid.split("::", 1)[0]
        self.seconds[module] = self.seconds.get(module, 0.0) + report.duration

    def pytest_sessionfinish(self) -> None:
        option = self.config.option
        cache = getattr(self.config, "cache", None)
        if (cache is None or not self.seconds or option.keyword or option.markexpr
                or getattr(option, "lf", False)):
            return
        seconds = recorded(self.config)
        seconds.update({module: round(total, 2) for module, total in self.seconds.items()})
        cache.set(CACHE_KEY, seconds)


def _key(config: pytest.Config, path: Path) -> str:
    try:
        return path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return path.as_posix()


def worker_input(config: pytest.Config) -> dict[str, Any]:
    return {WORKER_INPUT: recorded(config)}
