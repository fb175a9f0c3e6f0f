"""The glue between sessions and a running ipykernel.

Works with the Rerun kernel and with a plain IPython kernel (for `%rerun_watch` after
`%load_ext rerunkernel`). It decides two things a session can't: where slot messages go
(IOPub, parented to the cell's own request so the front-end routes them to that cell), and
when a requested rerun happens (on the kernel's main thread, under its main lock, with busy
and idle published and "Interrupt kernel" working: docs/ARCHITECTURE.md, "Reruns on the
main thread"); a widget message the main shell handles runs its rerun itself
(`rerun_within`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import threading
import time
import weakref
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..core.element import Element
from ..core.runner import UNCAUGHT
from ..core.script import Cell
from ..core.session import Session
from ..core.triggers import Trigger
from .iopub import IOPubBatches
from .standard_output import flush_streams

log = logging.getLogger("rerunkernel")
T = TypeVar("T")


class IOPubSink:
    """Slot changes as display_data / update_display_data on IOPub (docs/ARCHITECTURE.md,
    "Display slots, positional").

    Messages bypass `display_pub.publish`, which would flush stdout and stderr twice per
    message (4x slower per rerun), and go to the IOPub thread in batches (iopub.py): a
    rerun that changes many outputs wakes it once, not once per output.
    """

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self._batches = IOPubBatches(kernel)

    def display(self, cell: Cell, display_id: str, element: Element) -> None:
        if cell.origin is None:
            return
        if cell.headless:
            flush_streams()  # a cell that won't rerun prints to real streams: keep the order
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
        self._batches.send(msg_type, content, cell.origin)

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


class KernelHost:
    """Runs sessions' requested reruns on the kernel's main thread."""

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self.sink = IOPubSink(kernel)
        # sessions that asked to run while `rerun_within` handles a message
        self._within: list[Session] | None = None

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
        within = self._within
        if within is not None and threading.current_thread() is threading.main_thread():
            if session not in within:
                within.append(session)
            return

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

    async def rerun_within(self, handle: Callable[[], None],
                           more_waiting: Callable[[], bool]) -> None:
        """Handle a message, and run the reruns it asks for before its handling ends.

        For a widget message the main shell handles (the caller holds the main lock, and
        dispatches it with its own busy and idle): its rerun runs inside that busy/idle, as
        `interact` runs its function inside the message's handler, rather than as a request
        of its own after the message's idle (a second status pair and a second trip through
        the loop; docs/ARCHITECTURE.md, "Reruns on the main thread"). When `more_waiting`
        says other messages wait for the main shell (a flood of moves), the rerun is
        scheduled as usual instead, so that those are handled first and one rerun serves
        them all.
        """
        within: list[Session] = []
        self._within = within
        try:
            try:
                handle()
            finally:
                self._within = None
            while within and not more_waiting():
                await self._serve_here(within[0])
                del within[0]
        finally:
            for session in within:  # others wait, or an interrupt came before its run
                self.schedule(session)

    async def _serve_here(self, session: Session) -> None:
        trigger = session.requests.begin()
        try:
            if trigger is None or session.closed:
                session.requests.abandon()
                return
            await _serve_trigger(session, trigger)
        except BaseException:
            # an interrupt before the run took its signal over: nothing left running
            session.requests.abandon()
            raise

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
            try:
                await _serve_trigger(session, trigger)
            finally:
                if tokens is not None:
                    shell.reset_thread_parent(tokens)
                kernel._publish_status("idle", "shell", parent=parent)


async def _serve_trigger(session: Session, trigger: Trigger) -> None:
    try:
        await run_interruptibly(session.serve(trigger))
    except KeyboardInterrupt:
        log.info("rerun of %s interrupted", session.name)
    except asyncio.CancelledError:
        raise
    except BaseException:  # noqa: BLE001 - a failed rerun must not end the kernel
        log.exception("rerun of %s failed", session.name)


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


# what a run task is cancelled with when "Interrupt kernel" finds it waiting
INTERRUPT_MESSAGE = "interrupted by the user"
_interrupted: weakref.WeakSet[asyncio.Task] = weakref.WeakSet()


async def run_interruptibly(run: Coroutine[Any, Any, T]) -> T:
    """Await a run so that "Interrupt kernel" stops it wherever it is, and never the kernel.

    ipykernel ignores SIGINT between requests and lets it raise KeyboardInterrupt during a
    handler. That is right while the run's own code executes (a loop, a `time.sleep`), but
    while the run awaits, the main thread is in the event loop: the KeyboardInterrupt comes
    out of the loop and the kernel exits. So, as ipykernel's `_cancel_on_sigint` does for
    awaited cells, the run is a task of its own; SIGINT raises only while that task is
    executing, and otherwise cancels it. The cancelled await shows as a KeyboardInterrupt
    in its cell (`interrupt_cancelled`), and one that hit our own awaits (between two runs)
    is raised to the caller as KeyboardInterrupt. While the run awaits, a SIGINT also wakes
    the loop (`_signals_wake`), or its handler would wait for the loop's next event.
    """
    if threading.current_thread() is not threading.main_thread():
        return await run
    loop = asyncio.get_running_loop()
    armed = False

    async def guarded() -> tuple[bool, Any]:
        nonlocal armed
        try:
            armed = True
            result = await run
            armed = False
            return False, result
        except KeyboardInterrupt as error:
            armed = False
            return True, error

    task = loop.create_task(guarded())

    def on_sigint(signum: int, frame: Any) -> None:
        if armed and asyncio.current_task(loop) is task:
            raise KeyboardInterrupt
        _interrupted.add(task)
        loop.call_soon_threadsafe(task.cancel, INTERRUPT_MESSAGE)

    saved = signal.signal(signal.SIGINT, on_sigint)
    try:
        with _signals_wake(loop):
            interrupted, value = await task
    except asyncio.CancelledError:
        if task in _interrupted and task.cancelled():
            raise KeyboardInterrupt(INTERRUPT_MESSAGE) from None
        raise
    finally:
        signal.signal(signal.SIGINT, saved)
        _interrupted.discard(task)
    if interrupted:
        raise value
    return value


@contextmanager
def _signals_wake(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """While inside, a signal wakes `loop` (docs/ARCHITECTURE.md, "Run control", Interrupt).

    Python's C-level handler only notes a signal; the main thread runs the Python handler
    when it next executes bytecode. Asleep in the loop's poll, it does so only if the poll
    returns: the signal interrupts the poll when it is the main thread that takes it while
    already blocked there, but not when another thread takes it, nor when it comes just
    before the main thread blocks. A run awaiting `asyncio.sleep(60)` then ignored
    "Interrupt kernel" for a minute. A wakeup fd (the self-pipe trick, as asyncio's
    `add_signal_handler` uses) closes both gaps: the C handler writes to a socket the loop
    watches, the poll returns, and the Python handler runs.
    """
    sender = _waker(loop)
    if sender is None:  # a loop that watches no sockets (Windows' proactor)
        yield
        return
    previous = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)


# a loop's wakeup socket pair, made once: a rerun enters `_signals_wake` once per cell
_wakers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, socket.socket | None] = (
    weakref.WeakKeyDictionary())


def _waker(loop: asyncio.AbstractEventLoop) -> socket.socket | None:
    """The sending end of a socket pair `loop` watches for as long as it lives."""
    if loop in _wakers:
        return _wakers[loop]
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    try:
        loop.add_reader(receiver.fileno(), _drain, receiver)
    except NotImplementedError:
        receiver.close()
        sender.close()
        _wakers[loop] = None
        return None
    _wakers[loop] = sender
    weakref.finalize(loop, _close, receiver, sender)
    return sender


def _close(*sockets: socket.socket) -> None:
    for each in sockets:
        each.close()


def _drain(receiver: socket.socket) -> None:
    """The bytes only woke the loop: the Python handler does the work."""
    try:
        while receiver.recv(4096):
            pass
    except (BlockingIOError, InterruptedError):
        pass


def interrupt_cancelled(error: BaseException) -> bool:
    """This CancelledError is "Interrupt kernel" stopping an await of the current run.

    Consumed: the run is told once, and its task stops counting the cancellation (a later
    `asyncio.timeout` in the same task would otherwise misread it).
    """
    if not isinstance(error, asyncio.CancelledError):
        return False
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return False
    if task is None or task not in _interrupted:
        return False
    _interrupted.discard(task)
    task.uncancel()
    return True
