"""IOPub batches in-process, on ipykernel's own IOPub thread and a jupyter_client Session.

The IOPub thread is held on a gate while messages are queued, so what lands in one batch,
and in which order things leave, does not depend on thread timing.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import zmq
from ipykernel.iostream import IOPubThread
from jupyter_client.session import Session

from rerunkernel.kernel.iopub import IOPubBatches

TIMEOUT_MS = 10_000
NEVER = 3600.0  # a waker that never acts: what is queued, and when it leaves, is the test's


@pytest.fixture
def kernel():
    context = zmq.Context()
    push = context.socket(zmq.PUSH)
    pull = context.socket(zmq.PULL)
    push.bind("inproc://iopub")
    pull.connect("inproc://iopub")
    thread = IOPubThread(push)
    thread.start()
    session = Session(key=b"secret")
    fake = SimpleNamespace(
        session=session, iopub_thread=thread, iopub_socket=thread.background_socket,
        _topic=lambda topic: f"kernel.test.{topic}".encode(), received=pull,
    )
    try:
        yield fake
    finally:
        thread.stop()
        thread.close()
        pull.close()
        context.term()


def receive(kernel, count: int) -> list[dict]:
    messages = []
    for _ in range(count):
        assert kernel.received.poll(TIMEOUT_MS), f"only {len(messages)} of {count} arrived"
        _, parts = kernel.session.feed_identities(kernel.received.recv_multipart())
        messages.append(kernel.session.deserialize(parts))
    return messages


class Gate:
    """Holds the IOPub thread until opened: everything queued meanwhile waits together."""

    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self._open = threading.Event()
        held = threading.Event()
        kernel.iopub_thread.schedule(lambda: (held.set(), self._open.wait(TIMEOUT_MS / 1e3)))
        assert held.wait(TIMEOUT_MS / 1e3)

    def queued(self) -> int:
        return len(self.kernel.iopub_thread._events)

    def open(self) -> None:
        self._open.set()


def update(n: int) -> dict:
    return {"data": {"text/plain": f"row {n}"}, "metadata": {},
            "transient": {"display_id": f"slot-{n}"}}


PARENT = Session(key=b"other").msg("execute_request", {"code": ""})


def started(kernel, wake_after: float = NEVER) -> IOPubBatches:
    """Batches whose waker has started: its first act, waking the IOPub thread, is done."""
    batches = IOPubBatches(kernel, wake_after=wake_after)
    batches.send("display_data", update(-1), PARENT)
    assert [m["content"]["data"]["text/plain"] for m in receive(kernel, 1)] == ["row -1"]
    return batches


def test_many_updates_wake_the_iopub_thread_once_and_arrive_in_order(kernel):
    batches = started(kernel)
    gate = Gate(kernel)
    for n in range(20):
        batches.send("update_display_data", update(n), PARENT)
    assert gate.queued() == 1
    gate.open()
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    messages = receive(kernel, 21)
    assert messages.pop()["msg_type"] == "status"
    assert [m["content"]["data"]["text/plain"] for m in messages] == [
        f"row {n}" for n in range(20)]
    assert {m["msg_type"] for m in messages} == {"update_display_data"}
    assert all(m["parent_header"]["msg_id"] == PARENT["header"]["msg_id"] for m in messages)
    assert len({m["header"]["msg_id"] for m in messages}) == 20


def test_nothing_queued_on_iopub_is_overtaken(kernel):
    """A widget's comm_open, queued between two outputs, still comes before the second."""
    batches = started(kernel)
    gate = Gate(kernel)
    batches.send("display_data", update(0), PARENT)
    kernel.session.send(kernel.iopub_socket, "comm_open", {"comm_id": "w"}, parent=PARENT,
                        ident=kernel._topic("comm_open"))
    batches.send("display_data", update(1), PARENT)
    batches.send("display_data", update(2), PARENT)
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    assert gate.queued() == 4  # two batches, each behind what was queued before it
    gate.open()
    messages = receive(kernel, 5)
    assert [(m["msg_type"], m["content"].get("transient", {}).get("display_id"))
            for m in messages] == [
        ("display_data", "slot-0"), ("comm_open", None), ("display_data", "slot-1"),
        ("display_data", "slot-2"), ("status", None)]


def test_messages_are_signed_like_the_sessions_own(kernel):
    """The receiving Session checks the HMAC and the parent: a wrong key refuses them."""
    batches = IOPubBatches(kernel)
    batches.send("display_data", update(7), PARENT)
    assert kernel.received.poll(TIMEOUT_MS)
    raw = kernel.received.recv_multipart()
    _, parts = kernel.session.feed_identities(raw)
    assert kernel.session.deserialize(list(parts))["content"]["data"] == {"text/plain": "row 7"}
    with pytest.raises(ValueError, match="Invalid Signature"):
        Session(key=b"wrong").deserialize(list(parts))


def test_nothing_else_on_iopub_the_batch_still_leaves(kernel):
    """A cell that draws and then computes: no status or print comes to wake the thread."""
    batches = started(kernel, wake_after=0.01)
    batches.send("display_data", update(3), PARENT)
    assert [m["content"]["data"]["text/plain"] for m in receive(kernel, 1)] == ["row 3"]
    batches.send("update_display_data", update(4), PARENT)
    assert [m["content"]["data"]["text/plain"] for m in receive(kernel, 1)] == ["row 4"]


def test_the_next_iopub_message_takes_the_batch_along(kernel):
    batches = started(kernel)
    batches.send("display_data", update(5), PARENT)
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    assert [m["msg_type"] for m in receive(kernel, 2)] == ["display_data", "status"]


def test_without_a_running_iopub_thread_messages_go_one_by_one(kernel):
    kernel.iopub_thread.stop()
    batches = IOPubBatches(kernel, wake_after=NEVER)
    batches.send("display_data", update(1), PARENT)
    assert [m["content"]["data"]["text/plain"] for m in receive(kernel, 1)] == ["row 1"]


def test_a_batch_left_when_the_kernel_shuts_down_is_dropped_quietly(kernel):
    batches = started(kernel)
    gate = Gate(kernel)
    batches.send("display_data", update(1), PARENT)
    kernel.iopub_thread.close()  # what shutdown does while the batch still waits
    gate.open()
    after = threading.Event()
    kernel.iopub_thread.schedule(after.set)
    assert after.wait(TIMEOUT_MS / 1e3)  # the IOPub thread went on
    assert not kernel.received.poll(0)


def shown(messages: list[dict]) -> list[tuple[str, str, str]]:
    return [(m["msg_type"], m["content"]["transient"]["display_id"],
             m["content"]["data"]["text/plain"]) for m in messages]


def test_an_update_not_sent_yet_is_replaced_by_the_next_one_for_its_display(kernel):
    """A display updated several times before the IOPub thread ran shows the last one."""
    batches = started(kernel)
    gate = Gate(kernel)
    for n in range(5):
        batches.send("update_display_data", {**update(n), "transient": {"display_id": "a"}},
                     PARENT)
        batches.send("update_display_data", update(10 + n), PARENT)
    gate.open()
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    messages = receive(kernel, 7)
    assert messages.pop()["msg_type"] == "status"
    # the last update of "a" goes where it was sent: after slot-13's, before slot-14's
    assert shown(messages) == [
        ("update_display_data", f"slot-{10 + n}", f"row {10 + n}") for n in range(4)
    ] + [("update_display_data", "a", "row 4"), ("update_display_data", "slot-14", "row 14")]


def test_a_display_is_created_with_what_it_first_showed_then_updated_once(kernel):
    batches = started(kernel)
    gate = Gate(kernel)
    batches.send("display_data", update(0), PARENT)
    batches.send("display_data", update(1), PARENT)
    for n in (2, 3, 4):
        batches.send("update_display_data",
                     {**update(n), "transient": {"display_id": "slot-0"}}, PARENT)
    gate.open()
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    messages = receive(kernel, 4)
    assert messages.pop()["msg_type"] == "status"
    assert shown(messages) == [("display_data", "slot-0", "row 0"),
                               ("display_data", "slot-1", "row 1"),
                               ("update_display_data", "slot-0", "row 4")]


def test_an_update_never_overtakes_what_was_queued_on_iopub_after_its_display(kernel):
    """Its content may show a widget whose comm_open was queued after the display."""
    batches = started(kernel)
    gate = Gate(kernel)
    batches.send("display_data", update(0), PARENT)
    kernel.session.send(kernel.iopub_socket, "comm_open", {"comm_id": "w"}, parent=PARENT,
                        ident=kernel._topic("comm_open"))
    batches.send("update_display_data", {**update(1), "transient": {"display_id": "slot-0"}},
                 PARENT)
    batches.send("update_display_data", {**update(2), "transient": {"display_id": "slot-0"}},
                 PARENT)
    gate.open()
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    messages = receive(kernel, 4)
    assert [m["msg_type"] for m in messages] == [
        "display_data", "comm_open", "update_display_data", "status"]
    assert messages[0]["content"]["data"]["text/plain"] == "row 0"
    assert messages[2]["content"]["data"]["text/plain"] == "row 2"


def test_updates_under_another_request_are_kept(kernel):
    """Coalescing is for one request's own messages: another parent's update is its own."""
    batches = started(kernel)
    gate = Gate(kernel)
    other = Session(key=b"other").msg("execute_request", {"code": ""})
    batches.send("update_display_data", update(0), PARENT)
    batches.send("update_display_data", update(0), other)
    gate.open()
    kernel.session.send(kernel.iopub_socket, "status", {"execution_state": "idle"},
                        parent=PARENT, ident=kernel._topic("status"))
    messages = receive(kernel, 3)
    assert [m["parent_header"]["msg_id"] for m in messages[:2]] == [
        PARENT["header"]["msg_id"], other["header"]["msg_id"]]
