"""Freeing the namespaces that reruns leave behind.

Every full run starts from a fresh `__main__` (docs/ARCHITECTURE.md, "Fresh namespace per
run"), so each rerun drops the last run's namespace and everything only it held. Reference
counting frees it at once, unless something still refers to it: a function the run defined
does (its globals are that namespace, which holds the function: a cycle). Only Python's full
collection frees a cycle that old, and a full collection comes rarely when what the
namespace held is a few big arrays (one allocation each, however large): a notebook
rerun on every slider move kept each run's arrays until then, tens of MB per move.

So when runs dropped namespaces that are still referred to, the kernel collects: at once
when the runs since the last collection took long enough that a full collection (30 ms or
so with pandas and matplotlib loaded, measured each time) is at most SHARE_OF_RUN of their
time, otherwise once no run has started for IDLE_SECONDS. A notebook whose runs take 0.2 s
collects after each; one rerunning in 4 ms while a slider is dragged, every 40 runs or so,
and when the drag stops. Streamlit, which also runs each script in a fresh namespace,
collects after every run.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any, Callable

# a collection right after a run costs at most this share of the run
SHARE_OF_RUN = 0.2
IDLE_SECONDS = 1.0


class Collector:
    """Runs `gc.collect()` for namespaces that were dropped but not freed."""

    def __init__(self, call_later: Callable[[float, Callable[[], None]], Any],
                 busy: Callable[[], bool]) -> None:
        self._call_later = call_later
        self._busy = busy
        self.pending = False
        self.cost = 0.03  # seconds a full collection took last, a guess until measured
        self.collections = 0
        self._due: float | None = None
        self._run_seconds = 0.0  # what the runs since the last collection took

    def dropped(self, namespace: dict[str, Any]) -> None:
        """A run replaced `namespace`; the caller holds one reference to it, in one name."""
        # the caller's name, this frame's and getrefcount's own argument: 3 if nothing else
        if sys.getrefcount(namespace) > 3:
            self.pending = True

    def run_ended(self, seconds: float) -> None:
        if not self.pending:
            return
        self._run_seconds += seconds
        if self._run_seconds * SHARE_OF_RUN >= self.cost:
            self.collect()
            return
        waiting = self._due is not None
        self._due = time.monotonic() + IDLE_SECONDS
        if not waiting:
            self._call_later(IDLE_SECONDS, self._when_idle)

    def _when_idle(self) -> None:
        due = self._due
        if due is None:
            return
        left = due - time.monotonic()
        if left > 0 or self._busy():
            self._call_later(max(left, IDLE_SECONDS / 4), self._when_idle)
            return
        self.collect()

    def collect(self) -> None:
        self._due = None
        self.pending = False
        self._run_seconds = 0.0
        started = time.perf_counter()
        gc.collect()
        self.cost = time.perf_counter() - started
        self.collections += 1
