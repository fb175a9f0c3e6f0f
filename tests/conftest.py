from __future__ import annotations

import pytest

from frontend import KernelDriver


@pytest.fixture
def kernel():
    driver = KernelDriver("rerun")
    try:
        yield driver
    finally:
        driver.shutdown()
