"""What printing costs over IOPub in a real kernel: bytes in proportion to the text."""

from __future__ import annotations

import pytest

from rerunkernel.core import printed

pytestmark = pytest.mark.shared_kernel

LOGGING = """import time
import rerunkernel as rk
rk.slider('k')
line = 'x' * 99
for i in range(6_000):
    print(line)
    if i % 300 == 299:
        time.sleep(0.1)
"""

FLOOD = "print(('y' * 99 + '\\n') * 40_000, end='')"


def text_sent(messages: list[dict]) -> tuple[int, int]:
    """Characters of text in display and update messages, and how many messages."""
    sent = [m for m in messages if m["msg_type"] in ("display_data", "update_display_data")]
    return sum(len(m["content"]["data"].get("text/plain", "")) for m in sent), len(sent)


def test_a_long_logging_cell_sends_its_text_a_few_times_not_once_per_flush(kernel):
    start = len(kernel.page.log)
    reply = kernel.execute(LOGGING, cell="log", timeout=60)
    assert reply["status"] == "ok"
    shown = "".join(o.data.get("text/plain", "") for o in kernel.page.visible("log")[1:])
    printed_chars = 6_000 * 100
    assert shown == ("x" * 99 + "\n") * 6_000
    chars, messages = text_sent(kernel.page.log[start:])
    # the cell flushes about ten times: one slot re-sent whole each time would be 5x
    assert chars <= 3 * printed_chars + messages * printed.PIECE_CHARS, (chars, messages)

    # a rerun printing the same text sends none of it again
    start = len(kernel.page.log)
    slider = kernel.page.find_widget(description="k")
    message = kernel.set_widget(slider.comm_id, value=1)
    kernel.pump(kernel.idle_after(message["header"]["msg_id"]), timeout=60,
                what="the rerun's idle")
    assert text_sent(kernel.page.log[start:]) == (0, 0)


def test_a_flood_of_output_is_cut_and_says_so(kernel):
    start = len(kernel.page.log)
    reply = kernel.execute(FLOOD, cell="flood", timeout=60)
    assert reply["status"] == "ok"
    shown = "".join(o.data.get("text/plain", "") for o in kernel.page.visible("flood"))
    assert "characters of output cut here" in shown
    assert shown.endswith("y" * 99 + "\n")
    chars, _ = text_sent(kernel.page.log[start:])
    assert chars < 3 * printed.KEEP_CHARS < 4_000_000
