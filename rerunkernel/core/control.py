"""Run control from inside the script: `rk.stop()` and `rk.rerun()`."""

from __future__ import annotations

from typing import NoReturn

from . import runtime
from .runtime import RerunRequested, StopRun


def stop() -> NoReturn:
    """End this run here, as if the script ended (elements below are not drawn)."""
    raise StopRun()


def rerun(*, scope: str = "app") -> NoReturn:
    """Start a new run at once, dropping the rest of this one.

    `scope="fragment"` reruns the whole script too: a fragment is drawn by the full run
    (see `fragment.py`), so the page is the same.
    """
    ctx = runtime.active()
    if ctx is None:
        raise RuntimeError("rk.rerun() only works while a script is running")
    if scope not in ("app", "fragment"):
        raise ValueError(f"rk.rerun(scope={scope!r}): must be 'app' or 'fragment'")
    ctx.extras["rerun"] = scope
    ctx.session.request_rerun("rerun")
    raise RerunRequested()
