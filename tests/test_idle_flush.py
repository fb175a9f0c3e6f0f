"""ipykernel's stdout with nothing written: a flush returns without waiting for the IOPub
thread; with text written it still waits until that text has been sent."""

from __future__ import annotations

import threading

import pytest
import zmq
from ipykernel.iostream import IOPubThread, OutStream
from jupyter_client.session import Session

from rerunkernel.kernel.idle_flush import flush_only_when_written

TIMEOUT = 30.0


@pytest.fixture
def stream():
    context = zmq.Context()
    push = context.socket(zmq.PUSH)
    pull = context.socket(zmq.PULL)
    push.bind("inproc://iopub-flush")
    pull.connect("inproc://iopub-flush")
    thread = IOPubThread(push)
    thread.start()
    session = Session(key=b"secret")
    out = OutStream(session, thread, "stdout", watchfd=False)
    out.flush_timeout = 2 * TIMEOUT  # a flush that waits outlasts the test's wait
    out.received = pull
    try:
        yield out
    finally:
        thread.stop()
        thread.close()
        pull.close()
        context.term()


def hold(thread: IOPubThread) -> threading.Event:
    """Hold the IOPub thread until the returned event is set."""
    release, held = threading.Event(), threading.Event()
    thread.schedule(lambda: (held.set(), release.wait(TIMEOUT)))
    assert held.wait(TIMEOUT)
    return release


def test_a_flush_with_nothing_written_does_not_wait_for_the_iopub_thread(stream):
    flush_only_when_written(stream)
    release = hold(stream.pub_thread)
    done = threading.Event()
    flusher = threading.Thread(target=lambda: (stream.flush(), done.set()))
    flusher.start()
    try:
        # a flush that waits could only return once the IOPub thread runs again
        assert done.wait(TIMEOUT)
    finally:
        release.set()
        flusher.join(TIMEOUT)


def test_text_written_before_a_flush_leaves_before_what_is_sent_after_it(stream):
    flush_only_when_written(stream)
    stream.write("hello\n")
    stream.flush()
    # what the kernel sends next (its idle) is queued behind the text, not ahead of it
    stream.pub_thread.send_multipart([b"after"])
    assert stream.received.poll(TIMEOUT * 1000)
    _, parts = stream.session.feed_identities(stream.received.recv_multipart())
    assert stream.session.deserialize(parts)["content"]["text"] == "hello\n"
    assert stream.received.poll(TIMEOUT * 1000)
    assert stream.received.recv_multipart() == [b"after"]


def test_another_stream_keeps_its_own_flush():
    class Plain:
        def flush(self) -> None:
            pass

    plain = Plain()
    flush_only_when_written(plain)
    assert "flush" not in vars(plain)
