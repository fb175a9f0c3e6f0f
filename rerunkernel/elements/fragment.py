"""`@rk.fragment`: a part of the script that runs again alone (core/fragments.py).

Each call of a fragment function draws into a box of its own, made where it is called and
found again by call order, so that a later run of the fragment alone can draw into it again
without touching the rest of its cell.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from ..core import fragments, runtime
from ..core.fragments import Fragment
from .layout import BoxSurface, Container, layout_box


def fragment(func: Callable | None = None, *, run_every: Any = None, parallel: bool = False,
             key: str | int | None = None) -> Any:
    """Decorate a function whose part of the page runs again alone: when a widget inside it
    changes, every `run_every` (seconds, a timedelta or '10s'), or when asked with
    `rk.rerun(scope="fragment")` from inside it or `rk.rerun(key)` from a callback."""
    seconds = fragments.seconds(run_every)
    if parallel:
        raise NotImplementedError("rk.fragment(parallel=True) is not supported: fragments "
                                  "run one after another on the script's thread; leave it out")
    if key is not None and (isinstance(key, bool) or not isinstance(key, (str, int))):
        raise TypeError(f"rk.fragment(key={key!r}): a key is a str or an int")
    name = None if key is None else str(key)
    if name in ("app", "fragment"):
        raise ValueError(f"rk.fragment(key={key!r}): 'app' and 'fragment' are the scopes "
                         "rk.rerun() takes, not fragment keys; choose another key")

    def decorate(fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError(f"rk.fragment decorates a function, got {type(fn).__name__}")
        ctx = runtime.active()
        if name is not None and ctx is not None:
            fragments.keys(ctx.session).add(name)

        @functools.wraps(fn)
        def run_fragment(*args: Any, **kwargs: Any) -> Any:
            return call(fn, args, kwargs, seconds, name)

        return run_fragment

    return decorate(func) if func is not None else decorate


experimental_fragment = fragment


def call(fn: Callable, args: tuple, kwargs: dict[str, Any], seconds: float | None = None,
         key: str | None = None) -> Any:
    """Call `fn` as a fragment (a dialog's body is one too, as in Streamlit)."""
    ctx = runtime.active()
    if ctx is None or ctx.writer is None or ctx.in_callback or ctx.writer.cell.headless:
        # nothing will run it again alone: a plain call, drawn in place
        return fn(*args, **kwargs)
    return _draw(ctx, fn, args, kwargs, seconds, key)


def _draw(ctx: runtime.RunContext, fn: Callable, args: tuple, kwargs: dict[str, Any],
          seconds: float | None, key: str | None) -> Any:
    import ipywidgets

    ctx.checkpoint()
    fragment_id = fragments.identity(ctx.scope, fn, ctx.occurrences)
    box = layout_box("container:fragment", ipywidgets.VBox, {},
                     lambda b: "\n".join(BoxSurface(b).texts()))
    writer = ctx.writer
    assert writer is not None
    record = Fragment(fragment_id, key, fn, args, kwargs, writer.cell, writer.form, box,
                      BoxSurface(box), seconds, parent=ctx.fragment)
    ctx.fragments[fragment_id] = record
    if seconds is not None:
        ctx.timed.append(record)
    outer, ctx.fragment = ctx.fragment, record
    try:
        with Container(box):
            return fn(*args, **kwargs)
    finally:
        ctx.fragment = outer
        record.runs += 1
