"""`@rk.fragment`: a part of the script that may refresh itself (`run_every`).

Streamlit reruns only a fragment's function when a widget inside it changes. Here a widget
change reruns the whole script, which draws the fragment again with the same result (each
widget keeps its value and the fragment's slots diff like any others): the page is the same,
only the cost differs, and `rk.cache` is the way to make the rest of the script cheap.
`run_every` asks for a rerun that many seconds after the fragment last ran, for as long as
the script keeps calling it; a headless run is never rerun, so it draws once.
"""

from __future__ import annotations

import functools
import numbers
import threading
import weakref
from datetime import timedelta
from typing import Any, Callable

from . import runtime
from .durations import parse_duration


def _seconds(run_every: Any) -> float | None:
    if run_every is None:
        return None
    if isinstance(run_every, timedelta):
        seconds = run_every.total_seconds()
    elif isinstance(run_every, str):
        seconds = parse_duration(run_every)
    elif isinstance(run_every, numbers.Real) and not isinstance(run_every, bool):
        seconds = float(run_every)
    else:
        raise ValueError(f"rk.fragment(run_every={run_every!r}): give seconds, a timedelta or "
                         "a text such as '10s'")
    if not seconds > 0:
        raise ValueError(f"rk.fragment(run_every={run_every!r}): must be more than 0 seconds")
    return seconds


def _refresh_later(seconds: float) -> None:
    """One rerun `seconds` from now, unless the session runs again before that."""
    ctx = runtime.active()
    if ctx is None or ctx.headless:
        return
    session = ctx.session
    started = session.started_runs

    def due() -> None:
        if session.started_runs == started:
            session.request_rerun("fragment")

    timer = threading.Timer(seconds, due)
    timer.daemon = True
    timer.start()


def keys(session: Any) -> set[str]:
    """The `key=`s of the fragments the session's script has defined: the names
    `rk.rerun(scope=...)` takes."""
    return _keys.setdefault(session, set())


_keys: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def fragment(func: Callable | None = None, *, run_every: Any = None, parallel: bool = False,
             key: str | int | None = None) -> Any:
    """Decorate a function whose part of the page may refresh on its own (`run_every`);
    `key` names it for `rk.rerun(key)`, which here reruns the script (see above)."""
    seconds = _seconds(run_every)
    if parallel:
        raise NotImplementedError("rk.fragment(parallel=True) is not supported: fragments are "
                                  "drawn by the full run, one after another; leave it out")
    if key is not None and (isinstance(key, bool) or not isinstance(key, (str, int))):
        raise TypeError(f"rk.fragment(key={key!r}): a key is a str or an int")

    def decorate(fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError(f"rk.fragment decorates a function, got {type(fn).__name__}")
        ctx = runtime.active()
        if key is not None and ctx is not None:
            keys(ctx.session).add(str(key))

        @functools.wraps(fn)
        def run_fragment(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                if seconds is not None:
                    _refresh_later(seconds)

        return run_fragment

    return decorate(func) if func is not None else decorate


experimental_fragment = fragment
