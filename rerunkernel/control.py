"""Run control from inside the script: `rk.stop()` and `rk.rerun()`."""

from __future__ import annotations

from typing import NoReturn

from . import runtime
from .runtime import RerunRequested, StopRun


def stop() -> NoReturn:
    """End this run here, as if the script ended (elements below are not drawn)."""
    raise StopRun()


def rerun() -> NoReturn:
    """Start a new run at once, dropping the rest of this one."""
    ctx = runtime.active()
    if ctx is None:
        raise RuntimeError("rk.rerun() only works while a script is running")
    ctx.session.request_rerun("rerun")
    raise RerunRequested()
