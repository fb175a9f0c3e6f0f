from __future__ import annotations

import pytest
from frontend import KernelDriver, assert_no_leaks


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: starts a kernel, a Jupyter server or a browser (tests/e2e/ and the "
        "few others that must); `make test-fast` leaves them out")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty rk.cache with its disk store in a temporary folder, emptied again after."""
    from rerunkernel.cache import cache

    monkeypatch.setenv("RERUNKERNEL_CACHE_DIR", str(tmp_path / "cache"))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kernel(request):
    driver = KernelDriver("rerun")
    try:
        yield driver
        if request.node.rep_call.passed if hasattr(request.node, "rep_call") else True:
            assert_no_leaks(driver)
    finally:
        driver.shutdown()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
