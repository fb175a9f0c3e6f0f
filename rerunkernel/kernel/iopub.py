"""IOPub messages handed to ipykernel's IOPub thread in batches, in order.

`session.send` on the kernel's IOPub socket wakes the IOPub thread once per message (a
deque append plus a send on an inproc pipe), and the woken thread then competes with the
rerun for the GIL: a rerun that changed twenty outputs paid for up to twenty thread
switches (on a loaded machine, each a wait for a core) for messages that the front-end
shows together anyway. Here a message joins the batch already waiting in the
IOPub thread's queue when nothing else has been queued there since, and the batch is put
in that queue without waking the thread: whatever is queued next wakes it (every status,
comm message and print does; a rerun always ends with its idle status), and a waker thread
makes sure it is woken within WAKE_AFTER_SECONDS when nothing else comes (a cell drawing
and then computing for a while still shows what it drew).

Order is the contract: a message is never sent before anything queued on IOPub ahead of
it (a widget's comm_open before the display of its view, a status after the outputs). A
batch only grows while its drain is still the last thing in the IOPub thread's queue; once
anything else was queued after it, the next message starts a new batch behind that.
Concurrent sends from other threads have no order to keep.

A display updated again before its batch left is updated once, with what it shows last:
the earlier update is dropped from the batch (a progress bar moved a hundred times, a run
of lines being written: page.py). The later update keeps its own place, so it never moves
ahead of anything queued after the one it replaces; a display is still created with what
it first showed. Only within one request's messages.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import zmq
from jupyter_client.session import DELIM, extract_header

Parts = list[bytes]

UPDATE = "update_display_data"
# the messages that show an output under a display id
SHOWN = ("display_data", UPDATE)

# the longest a batch waits for the IOPub thread when nothing else wakes it
WAKE_AFTER_SECONDS = 0.01


class IOPubBatches:
    """Serialize messages on the caller's thread; send them on the IOPub thread in batches."""

    def __init__(self, kernel: Any, wake_after: float = WAKE_AFTER_SECONDS) -> None:
        self.kernel = kernel
        self.wake_after = wake_after
        self._lock = threading.Lock()
        self._queued = threading.Condition(self._lock)
        self._batch: list[Parts | None] | None = None
        # display id -> (index in the open batch, message type, parent) of its latest message
        self._shown: dict[str, tuple[int, str, Any]] = {}
        self._drain: Any = None
        self._unwoken: Any = None  # a drain queued on the IOPub thread, not yet run
        self._waker: threading.Thread | None = None
        self._parents: dict[int, tuple[Any, bytes]] = {}

    def send(self, msg_type: str, content: dict[str, Any], parent: Any) -> None:
        kernel = self.kernel
        session = kernel.session
        thread = getattr(kernel, "iopub_thread", None)
        queue = getattr(thread, "_events", None)
        if (queue is None or not thread.thread.is_alive() or session.adapt_version
                or (session.check_pid and os.getpid() != session.pid)):
            # not ipykernel's IOPub thread as we know it, or a forked child: one by one
            session.send(kernel.iopub_socket, msg_type, content, parent=parent,
                         ident=kernel._topic(msg_type))
            return
        parts = self._serialize(msg_type, content, parent)
        display_id = (content.get("transient") or {}).get("display_id") \
            if msg_type in SHOWN else None
        with self._lock:
            appendable = self._batch is not None and queue and queue[-1] is self._drain
            earlier = self._shown.get(display_id) if self._batch is not None else None
            if (earlier is not None and earlier[1] == UPDATE == msg_type
                    and earlier[2] is parent):
                self._batch[earlier[0]] = None  # overwritten before it was sent
            if appendable:
                self._batch.append(parts)
                if display_id is not None:
                    self._shown[display_id] = (len(self._batch) - 1, msg_type, parent)
                return
            batch: list[Parts | None] = [parts]
            self._shown = {} if display_id is None else {display_id: (0, msg_type, parent)}

            def drain() -> None:
                with self._lock:  # closed: later messages go to a new batch
                    if self._batch is batch:
                        self._batch = self._drain = None
                        self._shown = {}
                    if self._unwoken is drain:
                        self._unwoken = None
                self._send_all(thread, batch)

            self._batch, self._drain, self._unwoken = batch, drain, drain
            queue.append(drain)  # ipykernel runs every queued event on any wake-up
            if self._waker is None:
                self._waker = threading.Thread(target=self._wake_when_idle, args=(thread,),
                                               name="rerunkernel-iopub-waker", daemon=True)
                self._waker.start()
            self._queued.notify()

    def _wake_when_idle(self, thread: Any) -> None:
        """Wake the IOPub thread for a batch that nothing else woke it for in time."""
        # ipykernel gives each thread that wakes the IOPub thread a socket of its own: open
        # it now, with the first batch, rather than at some later rerun (a kernel's open
        # files stay steady from its first outputs on)
        thread.schedule(_nothing)
        while True:
            with self._lock:
                while self._unwoken is None:
                    self._queued.wait()
                waiting = self._unwoken
                if self._queued.wait_for(lambda: self._unwoken is not waiting, self.wake_after):
                    continue  # it ran, or a newer batch waits: its own turn
                self._unwoken = None  # woken now: once is enough
            thread.schedule(_nothing)

    def _serialize(self, msg_type: str, content: dict[str, Any], parent: Any) -> Parts:
        """`session.serialize`, with the parent header packed once per request.

        Every message of a cell has the same parent (the cell's execute_request), and
        packing it (its date through json_default) was about a fifth of serializing a small
        update.
        """
        session = self.kernel.session
        header = session.msg_header(msg_type)
        packed = [
            session.pack(header),
            self._packed_parent(parent),
            session.pack(session.metadata),
            session.pack(content),
        ]
        return [self.kernel._topic(msg_type), DELIM, session.sign(packed), *packed]

    def _packed_parent(self, parent: Any) -> bytes:
        cached = self._parents.get(id(parent))
        if cached is not None and cached[0] is parent:
            return cached[1]
        packed = self.kernel.session.pack(extract_header(parent))
        if len(self._parents) > 64:  # requests come and go; a few are live at a time
            self._parents.clear()
        self._parents[id(parent)] = (parent, packed)
        return packed

    def _send_all(self, thread: Any, batch: list[Parts | None]) -> None:
        threshold = self.kernel.session.copy_threshold
        try:
            for parts in batch:
                if parts is None:
                    continue
                thread.socket.send_multipart(parts, copy=max(map(len, parts)) < threshold)
        except (AttributeError, zmq.ZMQError) as error:
            # the kernel is shutting down: its socket is gone (None) or closed, as
            # ipykernel's own sends find it then
            if isinstance(error, zmq.ZMQError) and error.errno != zmq.ENOTSOCK:
                raise


def _nothing() -> None:
    """Queued to wake the IOPub thread: it runs everything queued before it."""
