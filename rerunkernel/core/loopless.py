"""A `.py` app runs with no event loop running, as under Streamlit.

`rerunkernel run` and `%rerun_watch` run an app from inside the kernel's cell, on the thread
whose asyncio loop is running that cell, so an app's `asyncio.run()` would fail with "cannot
be called from a running event loop". The kernel's loop is blocked in our synchronous call
for as long as the app runs, so the app may own the thread: the running loop is hidden for
the duration and put back afterwards, with the thread's current loop, which `asyncio.run()`
resets when it ends.
"""

from __future__ import annotations

import asyncio
from asyncio import events
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def no_running_loop() -> Iterator[None]:
    running = events._get_running_loop()
    if running is None:
        yield
        return
    events._set_running_loop(None)
    try:
        yield
    finally:
        events._set_running_loop(running)
        asyncio.set_event_loop(running)
