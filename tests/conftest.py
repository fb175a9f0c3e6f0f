from __future__ import annotations

import compileall
import py_compile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import module_order
import pytest
from frontend import KernelDriver, assert_no_leaks

PACKAGE = Path(__file__).resolve().parents[1] / "rerunkernel"


def compile_package() -> None:
    """The kernels and command lines the tests start (hundreds) import rerunkernel from
    bytecode, as an installed package does: a checkout run under PYTHONDONTWRITEBYTECODE
    (as CI machines set it) would compile its 220 modules again in every one, 0.27 s each.
    Checked against a hash of the source at each import, so an edit is never run stale; and
    nothing else gets bytecode written (a test's own modules are compiled from source)."""
    compileall.compile_dir(str(PACKAGE), quiet=1,
                           invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        compile_package()
    config.addinivalue_line(
        "markers", "e2e: starts a kernel, a Jupyter server or a browser (tests/e2e/ and the "
        "few others that must); `make test-fast` leaves them out")
    config.addinivalue_line(
        "markers", "shared_kernel: the module's tests share one kernel (the `kernel` "
        "fixture), reset between tests; `fresh_kernel` is a new one")
    if module_order.distributed_by_module(config) and not hasattr(config, "workerinput"):
        # the modules go out in the order collected, longest first (tests/module_order.py),
        # not re-sorted by their number of tests
        config.option.loadscopereorder = False
        timings = module_order.Timings(config)
        config.pluginmanager.register(timings, "module-timings")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    node.workerinput.update(module_order.worker_input(node.config))


@pytest.hookimpl(trylast=True)  # after the e2e conftest has marked its tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker
        module_order.sort_longest_first(config, items)


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty rk.cache with its disk store in a temporary folder, emptied again after."""
    from rerunkernel.cache import cache

    monkeypatch.setenv("RERUNKERNEL_CACHE_DIR", str(tmp_path / "cache"))
    cache.clear()
    yield
    cache.clear()


def _passed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "rep_call", None)
    return report is None or report.passed


class ModuleKernel:
    """One kernel for a module's tests: reset before each test, replaced after a failure
    (a failed test may leave it busy or broken, and the next test must not pay for it)."""

    def __init__(self) -> None:
        self.driver: KernelDriver | None = None

    def take(self) -> KernelDriver:
        if self.driver is not None and not self.driver.km.is_alive():
            self.drop()
        if self.driver is None:
            self.driver = KernelDriver("rerun")
            return self.driver
        try:
            self.driver.reset()
        except BaseException:
            self.drop()
            raise
        return self.driver

    def drop(self) -> None:
        if self.driver is not None:
            self.driver.shutdown()
            self.driver = None


@pytest.fixture(scope="module")
def module_kernel() -> Iterator[ModuleKernel]:
    shared = ModuleKernel()
    try:
        yield shared
    finally:
        shared.drop()


@pytest.fixture
def fresh_kernel(request: pytest.FixtureRequest) -> Iterator[KernelDriver]:
    driver = KernelDriver("rerun")
    try:
        yield driver
        if _passed(request):
            assert_no_leaks(driver)
    finally:
        driver.shutdown()


@pytest.fixture
def kernel(request: pytest.FixtureRequest) -> Iterator[KernelDriver]:
    """A new kernel per test; in modules marked `shared_kernel`, the module's kernel, reset."""
    if request.node.get_closest_marker("shared_kernel") is None:
        yield request.getfixturevalue("fresh_kernel")
        return
    shared: ModuleKernel = request.getfixturevalue("module_kernel")
    driver = shared.take()
    clean = False
    try:
        yield driver
        if _passed(request):
            assert_no_leaks(driver)
            clean = True
    finally:
        if not clean:
            shared.drop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
