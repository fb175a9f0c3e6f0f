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

    As in Streamlit: `scope="fragment"` reruns the fragment that is running alone (a full
    run draws its fragments itself, so there it is an error); the `key` of fragments (one or
    a list) reruns those alone, and is only taken from a widget callback (core/fragments.py).
    """
    from .fragments import keyed, keys

    ctx = runtime.active()
    if ctx is None:
        raise RuntimeError("rk.rerun() only works while a script is running")
    fragments: tuple[str, ...] | None = None
    if scope == "fragment":
        if ctx.rerunning is None or ctx.fragment is None:
            raise RuntimeError(
                'rk.rerun(scope="fragment") only works inside a fragment while it runs alone '
                "(a widget in it changed, or its run_every came due), as in Streamlit: a full "
                "run draws the fragment itself. Use rk.rerun() to run the whole script")
        fragments = (ctx.fragment.id,)
    elif scope != "app":
        named = [scope] if isinstance(scope, (str, int)) else list(scope) if isinstance(
            scope, (list, tuple)) else None
        known = keys(ctx.session)
        unknown = None if named is None else [k for k in named if str(k) not in known]
        if named is None or unknown:
            raise ValueError(f"rk.rerun(scope={scope!r}): must be 'app', 'fragment' or the "
                             f"key of a fragment (known: {sorted(known)})")
        if not ctx.in_callback:
            raise RuntimeError(
                f"rk.rerun(scope={scope!r}): a fragment key is only taken from a widget "
                "callback (on_change, on_click), as in Streamlit: from the script it would "
                "end this run. Use scope='app' or scope='fragment'")
        # a key the last run did not call reruns the whole script
        fragments = keyed(ctx.session, [str(k) for k in named]) or None
    ctx.extras["rerun"] = scope
    ctx.session.request_rerun("rerun", fragments=fragments)
    raise RerunRequested()
