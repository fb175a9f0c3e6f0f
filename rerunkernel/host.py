"""The glue between sessions and a running ipykernel.

Works with the Rerun kernel and with a plain IPython kernel (for `%rerun_watch` after
`%load_ext rerunkernel`). It decides two things a session can't: where slot messages go
(IOPub, parented to the cell's own request so the front-end routes them to that cell), and
when a requested rerun happens (on the kernel's main thread, under its main lock, with busy
and idle published and Ctrl-C working, as DESIGN decision 1 says).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from typing import Any

from .page import Element
from .runner import UNCAUGHT
from .script import Cell
from .session import Session

log = logging.getLogger("rerunkernel")


class IOPubSink:
    """Slot changes as display_data / update_display_data on IOPub (DESIGN decision 3).

    Messages go out through `session.send` directly: `display_pub.publish` would flush
    stdout and stderr twice per message, which measured 4x slower per rerun.
    """

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self.sent = 0

    def display(self, cell: Cell, display_id: str, element: Element) -> None:
        if cell.origin is None:
            return
        if cell.headless and element.kind == "exception" and element.label == UNCAUGHT:
            self._send_error(cell, element)
            return
        self._send("display_data", cell, display_id, element)

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None:
        if cell.origin is None:
            return
        self._send("update_display_data", cell, display_id, element)

    def _send(self, msg_type: str, cell: Cell, display_id: str, element: Element | None) -> None:
        content = {
            "data": element.data if element is not None else {},
            "metadata": element.metadata if element is not None else {},
            "transient": {"display_id": display_id},
        }
        kernel = self.kernel
        kernel.session.send(kernel.iopub_socket, msg_type, content, parent=cell.origin,
                            ident=kernel._topic(msg_type))
        self.sent += 1

    def _send_error(self, cell: Cell, element: Element) -> None:
        """Headless runs are never rerun, so an error can be a real `error` output there."""
        error = element.value
        content = {
            "ename": type(error).__name__,
            "evalue": str(error),
            "traceback": element.text.split("\n"),
        }
        kernel = self.kernel
        kernel.session.send(kernel.iopub_socket, "error", content, parent=cell.origin,
                            ident=kernel._topic("error"))
        self.sent += 1


class KernelHost:
    """Runs sessions' requested reruns on the kernel's main thread."""

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self.sink = IOPubSink(kernel)

    def current_parent(self) -> Any:
        try:
            parent = self.kernel.get_parent("shell")
        except LookupError:
            return None
        return parent if parent and parent.get("header") else None

    def schedule(self, session: Session) -> None:
        """Called from any thread (a subshell's, the file watcher's) to run `session` soon.

        When called from inside a message handler, hop through that thread's own loop first,
        so the rerun's busy comes after the triggering message's idle (otherwise the front-end
        shows "idle" during the rerun).
        """
        kernel = self.kernel

        def hop() -> None:
            kernel.io_loop.add_callback(self._serve, session)

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            hop()
            return
        loop.call_soon(hop)

    async def settle(self, session: Session) -> None:
        await _let_requests_settle(session)

    async def _serve(self, session: Session) -> None:
        kernel = self.kernel
        await _let_requests_settle(session)
        async with kernel._main_asyncio_lock:
            trigger = session.requests.begin()
            if trigger is None or session.closed:
                session.requests.abandon()
                return
            parent = trigger.parent
            kernel._publish_status("busy", "shell", parent=parent)
            shell = kernel.shell
            tokens = shell.set_thread_parent(parent) if parent is not None else None
            with sigint_raises():
                try:
                    await session.serve(trigger)
                except KeyboardInterrupt:
                    log.info("rerun of %s interrupted", session.name)
                except Exception:
                    log.exception("rerun of %s failed", session.name)
                finally:
                    if tokens is not None:
                        shell.reset_thread_parent(tokens)
                    kernel._publish_status("idle", "shell", parent=parent)


SETTLE_TURNS = 3
SETTLE_MAX_TURNS = 300
MAX_REST_SECONDS = 0.25
FLOOD_LULL_SECONDS = 0.02


async def _let_requests_settle(session: Session) -> None:
    """Let widget messages already received be handled before the rerun takes the kernel.

    The main shell hands messages to the loop one per turn; a flood of slider moves would
    otherwise alternate message, rerun, message, rerun. While new requests keep arriving,
    yield a few turns more (bounded), so one rerun serves them all.
    """
    # Under a flood (more requests came in since the last run began than one run serves),
    # wait for a lull: no new request for as long as a run takes, up to a bound. Each run
    # then serves a whole burst, however fast the messages come. A lone change, or a drag
    # the front-end throttles to one message in flight, waits nothing.
    if session.requests.generation - session.generation_at_start > 1:
        lull = max(FLOOD_LULL_SECONDS, session.last_run_seconds)
        start = last_change = time.monotonic()
        seen = session.requests.generation
        while (now := time.monotonic()) - start < MAX_REST_SECONDS:
            if session.requests.generation != seen:
                seen, last_change = session.requests.generation, now
            elif now - last_change >= lull:
                break
            await asyncio.sleep(lull / 4)
    quiet = 0
    seen = session.requests.generation
    for _ in range(SETTLE_MAX_TURNS):
        await asyncio.sleep(0)
        if session.requests.generation == seen:
            quiet += 1
            if quiet >= SETTLE_TURNS:
                return
        else:
            seen, quiet = session.requests.generation, 0


class sigint_raises:
    """Let "Interrupt kernel" raise KeyboardInterrupt during a rerun no request started.

    ipykernel ignores SIGINT between requests and enables it only around its own handlers.
    """

    def __enter__(self) -> None:
        self._saved = None
        if threading.current_thread() is threading.main_thread():
            self._saved = signal.signal(signal.SIGINT, signal.default_int_handler)

    def __exit__(self, *exc: Any) -> None:
        if self._saved is not None:
            signal.signal(signal.SIGINT, self._saved)
