"""IOPub messages handed to ipykernel's IOPub thread in batches, in order.

`session.send` on the kernel's IOPub socket wakes the IOPub thread once per message (a
deque append plus a send on an inproc pipe), and while a rerun holds the GIL that thread
can't send anyway: the messages of a rerun reach the front-end together after it, each
having cost a wake-up. A rerun that changes twenty outputs paid twenty. Here a message
joins the batch already waiting for the IOPub thread when nothing else has been queued
there since, so a burst of slot changes costs one wake-up, and arrives no later.

Order is the contract: a message is never sent before anything queued on IOPub ahead of
it (a widget's comm_open before the display of its view, a status after the outputs). A
batch only grows while its drain is still the last thing in the IOPub thread's queue; once
anything else was queued after it, the next message starts a new batch behind that.
Concurrent sends from other threads have no order to keep.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import zmq
from jupyter_client.session import DELIM, extract_header

Parts = list[bytes]


class IOPubBatches:
    """Serialize messages on the caller's thread; send them on the IOPub thread in batches."""

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self._lock = threading.Lock()
        self._batch: list[Parts] | None = None
        self._drain: Any = None
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
        with self._lock:
            if self._batch is not None and queue and queue[-1] is self._drain:
                self._batch.append(parts)
                return
            batch = [parts]
            self._batch = batch

            def drain() -> None:
                with self._lock:  # closed: later messages go to a new batch
                    if self._batch is batch:
                        self._batch = self._drain = None
                self._send_all(thread, batch)

            self._drain = drain
        thread.schedule(drain)

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

    def _send_all(self, thread: Any, batch: list[Parts]) -> None:
        threshold = self.kernel.session.copy_threshold
        try:
            for parts in batch:
                thread.socket.send_multipart(parts, copy=max(map(len, parts)) < threshold)
        except (AttributeError, zmq.ZMQError) as error:
            # the kernel is shutting down: its socket is gone (None) or closed, as
            # ipykernel's own sends find it then
            if isinstance(error, zmq.ZMQError) and error.errno != zmq.ENOTSOCK:
                raise
