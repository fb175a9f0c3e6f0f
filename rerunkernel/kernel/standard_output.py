"""Jupyter's standard output messages for cells that will never run again.

A cell a front-end can rerun draws into display slots (docs/ARCHITECTURE.md, "Display slots,
positional"): a slot can be updated in place by the next run, a `stream` or `execute_result`
can't. But a request that carries no `cellId` (jupyter console, testbook, jupyter_kernel_test,
nbval, papermill) or that a headless run sent is never executed again, and its client reads
the standard messages: `stream` for stdout/stderr (stderr keeps its styling),
`execute_result` for the last expression (`Out[n]`, testbook's `tb.ref()`/`tb.value()`),
`clear_output`. So while such a cell runs under its own request, IPython's own machinery
handles those; elements still go to slots (a widget made there may update its view later).
Voila's cells are such requests, but its page shows reruns, so they are not headless
(voila.py) and keep slots.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator

from ..core.runtime import RunContext


def is_standard(ctx: RunContext | None) -> bool:
    """The cell being drawn is a headless one, run by its own request (not a later rerun)."""
    if ctx is None or ctx.cell_writer is None:
        return False
    cell = ctx.cell_writer.cell
    return cell.headless and cell.origin is not None and ctx.trigger.parent is cell.origin


@contextmanager
def plain_streams(standard: bool) -> Iterator[None]:
    """While a standard cell runs, stdout and stderr are the kernel's own streams again."""
    if not standard:
        yield
        return
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (_kernel_stream(s) for s in saved)
    try:
        yield
    finally:
        flush_streams()
        sys.stdout, sys.stderr = saved


def flush_streams() -> None:
    """Send what a standard cell printed before anything drawn after it (order on screen)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            _kernel_stream(stream).flush()
        except (OSError, ValueError):  # a closed stream has nothing left to send
            pass


def _kernel_stream(stream: Any) -> Any:
    """ipykernel's own stream under the wrappers that route prints into slots (core/capture.py,
    thread_output.py), whose flush does nothing on the script's thread."""
    while hasattr(stream, "_fallback"):
        stream = stream._fallback
    return stream


def clear(ctx: RunContext, fallback: Any, wait: bool) -> None:
    """`clear_output()` in a standard cell: the real message, and the cell's slots start over
    (the front-end dropped them, so later elements must be displayed anew, not updated)."""
    writer = ctx.cell_writer
    fallback.clear_output(wait)
    writer.clear()
    ctx.session.page.forget(writer.cell.id)
