"""Prints from a thread a cell started land in one bounded slot of that cell, not in a
stream message that piles up under whichever request the kernel saw last."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_kernel

# the thread prints once the run that started it is over
LATE = """import threading, rerunkernel as rk
from rerunkernel.core import runtime
x = rk.slider('x', 0, 10, 1)
def late(v):
    while runtime._stack:
        threading.Event().wait(0.005)
    print('late', v)
threading.Thread(target=late, args=(x,), daemon=True).start()
"""


def test_a_threads_late_prints_stay_in_its_cell_replaced_by_each_rerun(kernel):
    kernel.execute(LATE, cell="start")
    kernel.wait_text("start", "late 1")
    kernel.execute("rk.write('below')", cell="below")
    kernel.wait_text("start", "late 1")
    for value in (2, 3, 4, 5):
        widget = kernel.page.find_widget(description="x")
        msg = kernel.set_widget(widget.comm_id, value=value)
        kernel.pump(kernel.idle_after(msg["header"]["msg_id"]), what="the rerun")
        kernel.wait_text("start", f"late {value}")
        text = kernel.page.text("start")
        assert text.count("late") == 1, text
    assert kernel.page.text("below") == "below"
    assert [m for m in kernel.page.log if m["msg_type"] == "stream"] == []


def test_a_thread_that_keeps_printing_is_bounded(kernel):
    kernel.execute("import threading\nfrom rerunkernel.core import runtime\n"
                   "def chatty():\n"
                   "    while runtime._stack:\n"
                   "        threading.Event().wait(0.005)\n"
                   "    for i in range(3000):\n"
                   "        print('line', i)\n"
                   "threading.Thread(target=chatty, daemon=True).start()", cell="chatty")
    kernel.wait_text("chatty", "line 2999")
    text = kernel.page.text("chatty")
    assert "line 0\n" not in text and len(text) <= 8_000
    assert len(kernel.page.visible("chatty")) == 1
