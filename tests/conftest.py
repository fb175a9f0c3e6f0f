from __future__ import annotations

import pytest

from frontend import KernelDriver


def assert_no_leaks(driver: KernelDriver) -> None:
    """Like reacton's cleanup_guard: every widget model belongs to a live session widget,
    and every comm to a widget model or the extension."""
    stats = driver.stats()
    assert stats["orphans"] == 0, f"widget models no session owns: {stats}"
    assert stats["comms"] == stats["widgets"] + stats["extension_comms"], stats


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
