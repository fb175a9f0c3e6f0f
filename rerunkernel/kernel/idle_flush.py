"""A flush of ipykernel's stdout or stderr with nothing written returns at once.

ipykernel flushes both streams after every message it handles, and its `OutStream.flush`
hands the IOPub thread two events and waits for them even when nothing was written: two
thread switches per stream, per message. A widget message over a subshell paid that before
its idle, and the rerun it asked for starts only after that idle (host.py), so the wait
came straight out of every change's latency. With no flush pending there is nothing to
wait for: whatever was written before has been handed to the IOPub thread already, which
sends it ahead of anything queued after (the idle that follows).
"""

from __future__ import annotations

from typing import Any


def flush_only_when_written(stream: Any) -> None:
    """Make `stream` (ipykernel's OutStream) skip a flush that has nothing to send.

    A stream without ipykernel's pending-flush flags (another class, another version)
    keeps its own flush.
    """
    if not hasattr(stream, "_flush_pending") or "flush" in vars(stream):
        return
    real = stream.flush

    def flush() -> None:
        if (getattr(stream, "_flush_pending", True)
                or getattr(stream, "_subprocess_flush_pending", False)):
            real()

    stream.flush = flush
