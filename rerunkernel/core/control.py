"""Run control from inside the script: `rk.stop()` and `rk.rerun()`."""

from __future__ import annotations

from typing import NoReturn, Sequence

from . import runtime
from .runtime import RerunRequested, StopRun


def stop() -> NoReturn:
    """End this run here, as if the script ended (elements below are not drawn)."""
    raise StopRun()


def rerun(scope: str | int | Sequence[str | int] = "app") -> NoReturn:
    """Start a new run at once, dropping the rest of this one.

    `scope="fragment"`, or the `key` of fragments (one or a list), reruns the whole script
    too: a fragment is drawn by the full run (see `fragment.py`), so the page is the same.
    """
    from .fragment import keys

    ctx = runtime.active()
    if ctx is None:
        raise RuntimeError("rk.rerun() only works while a script is running")
    if scope not in ("app", "fragment"):
        named = [scope] if isinstance(scope, (str, int)) else list(scope) if isinstance(
            scope, (list, tuple)) else None
        known = keys(ctx.session)
        unknown = None if named is None else [k for k in named if str(k) not in known]
        if named is None or unknown:
            raise ValueError(f"rk.rerun(scope={scope!r}): must be 'app', 'fragment' or the "
                             f"key of a fragment (known: {sorted(known)})")
        scope = "fragment"
    ctx.extras["rerun"] = scope
    ctx.session.request_rerun("rerun")
    raise RerunRequested()
