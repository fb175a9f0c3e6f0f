"""`%rerun_mode changed` on a real kernel: reused cells send nothing and stay exact."""

from __future__ import annotations

MAKE = ("import builtins, rerunkernel as rk\n"
        "builtins.made = getattr(builtins, 'made', 0) + 1\n"
        "data = [1, 2, 3]\nprint('made', builtins.made)")
ADJUST = "data.append(10)\nprint('adjusted', data)"
SHOW = "x = rk.slider('x', 0, 10, 1)\nrk.write('sum', sum(data) * x)"


def move(kernel, description: str, value) -> None:
    """Move a widget and wait for the rerun it starts to finish."""
    widget = kernel.page.find_widget(description=description)
    msg = kernel.set_widget(widget.comm_id, value=value)
    kernel.pump(kernel.idle_after(msg["header"]["msg_id"]), what="the widget's rerun")


def sent_to(kernel, cell: str, since: int) -> list[dict]:
    requests = {m for m, c in kernel.page.request_cell.items() if c == cell}
    return [m for m in kernel.page.log[since:]
            if m["parent_header"].get("msg_id") in requests and m["msg_type"] != "status"]


def made(kernel) -> int:
    return int(kernel.inspect("__import__('builtins').made"))


def test_reused_cells_send_nothing_and_an_in_place_change_is_applied_once(kernel):
    kernel.execute("%rerun_mode changed", cell="mode")
    assert "only changed cells rerun" in kernel.page.text("mode")
    kernel.execute(MAKE, cell="make")
    kernel.execute(ADJUST, cell="adjust")
    kernel.execute(SHOW, cell="show")
    assert kernel.page.text("show").endswith("sum 16")
    make_before = kernel.page.text("make")

    since = len(kernel.page.log)
    move(kernel, "x", 3)
    assert kernel.page.text("show").endswith("sum 48")
    assert sent_to(kernel, "make", since) == []
    assert sent_to(kernel, "adjust", since) == []
    assert kernel.page.text("make") == make_before
    assert kernel.page.text("adjust").strip() == "adjusted [1, 2, 3, 10]"
    assert made(kernel) == 1
    assert kernel.inspect("data") == "[1, 2, 3, 10]"
    # the `%rerun_mode` cell runs every time, but it is not work the summary counts
    summary = kernel.inspect("get_ipython().kernel.notebook_session.reuse.last_summary")
    assert summary.startswith("'1 cell ran, 2 reused, ")

    # an edit of the in-place step: applied to a fresh list, once
    kernel.execute(ADJUST.replace("10", "20"), cell="adjust")
    kernel.wait_text("show", "sum 78")
    assert kernel.inspect("data") == "[1, 2, 3, 20]"
    move(kernel, "x", 4)
    kernel.wait_text("show", "sum 104")
    assert kernel.inspect("data") == "[1, 2, 3, 20]"

    # `%rerun_mode` alone says what happened
    kernel.execute("%rerun_mode", cell="status")
    text = kernel.page.text("status")
    assert "rerun mode: changed" in text
    assert "not reusable" in text and "sets the rerun mode" in text


def test_errors_interrupts_files_and_deleted_cells(kernel, tmp_path):
    data = tmp_path / "n.txt"
    data.write_text("5")
    kernel.execute("%rerun_mode changed", cell="mode")
    kernel.execute(f"import rerunkernel as rk\nn = int(open({str(data)!r}).read())", cell="read")
    kernel.execute("k = rk.slider('k', 0, 3, 1)\nrk.write('ratio', n // (k - 2))", cell="div")
    assert kernel.page.text("div").endswith("ratio -5")

    move(kernel, "k", 2)
    kernel.wait_text("div", "ZeroDivisionError")
    move(kernel, "k", 3)
    kernel.wait_text("div", "ratio 5")
    assert "ZeroDivisionError" not in kernel.page.text("div")

    data.write_text("7")
    move(kernel, "k", 1)
    kernel.wait_text("div", "ratio -7")

    # an interrupted cell runs again next time
    msg_id = kernel.send_execute("import time\nrk.write('spinning')\nwhile True:\n"
                                 "    time.sleep(0.01)", cell="spin")
    kernel.wait_text("spin", "spinning")
    kernel.interrupt()
    kernel.pump(kernel.idle_after(msg_id), what="the interrupted cell's idle")
    assert "KeyboardInterrupt" in kernel.page.text("spin")
    assert kernel.inspect("get_ipython().kernel.notebook_session.reuse.why('spin')") == \
        "'was interrupted'"

    # a deleted cell's stored result is released
    reply = kernel.execute("rk.write('after', n)", cell="after",
                           metadata={"deletedCells": ["spin"]})
    assert reply["status"] == "ok"
    kept = "'spin' in get_ipython().kernel.notebook_session.reuse.records"
    assert kernel.inspect(kept) == "False"


def test_cache_marker_in_all_mode_and_mode_from_metadata(kernel):
    kernel.execute("%%cache\nimport builtins, rerunkernel as rk\n"
                   "builtins.made = getattr(builtins, 'made', 0) + 1\nbase = 2", cell="base")
    kernel.execute("rk.write('value', base * rk.slider('s', 0, 9, 1))", cell="use")
    # a cell ending in an element call shows the element, not what the call returned
    kernel.execute("%%cache\nrk.checkbox('tick')", cell="tick")
    assert kernel.page.text("tick") == "checkbox 'tick'"
    since = len(kernel.page.log)
    move(kernel, "s", 4)
    kernel.wait_text("use", "value 8")
    assert made(kernel) == 1
    assert sent_to(kernel, "base", since) == []
    assert kernel.inspect("get_ipython().kernel.notebook_session.reuse.mode") == "'all'"

    kernel.execute("rk.write('value', base * rk.slider('s', 0, 9, 1))", cell="use",
                   metadata={"rerunkernel": {"mode": "changed"}})
    assert kernel.inspect("get_ipython().kernel.notebook_session.reuse.mode") == "'changed'"
    reply = kernel.execute("rk.write('x')", cell="bad",
                           metadata={"rerunkernel": {"mode": "sometimes"}})
    assert reply["status"] == "ok"
    assert kernel.inspect("get_ipython().kernel.notebook_session.reuse.mode") == "'changed'"


def test_a_deleted_cells_results_are_released_when_the_deletion_arrives(kernel):
    held = "get_ipython().kernel.notebook_session.reuse.bytes_held"
    kernel.execute("%rerun_mode changed", cell="mode")
    kernel.execute("import rerunkernel as rk\nsmall = 1", cell="small")
    kernel.execute("import numpy as np\nbig = np.zeros(1_000_000)", cell="big")
    assert int(kernel.inspect(held)) >= 8_000_000
    kernel.execute("%rerun_mode changed", cell="mode")
    runs = kernel.inspect("get_ipython().kernel.notebook_session.started_runs")

    # re-executing the cell right below only re-shows it: no run, yet the deletion it
    # carries releases the deleted cell's result
    kernel.execute("import rerunkernel as rk\nsmall = 1", cell="small",
                   metadata={"deletedCells": ["big"]})
    assert kernel.inspect("get_ipython().kernel.notebook_session.started_runs") == runs
    assert int(kernel.inspect(held)) < 1_000_000

    # the extension's cell list, before any request
    kernel.execute("import numpy as np\nbig = np.zeros(1_000_000)", cell="big")
    assert int(kernel.inspect(held)) >= 8_000_000
    comm_id = kernel.open_comm("rerunkernel", {"type": "hello", "version": 1})
    kernel.pump(lambda: any(d.get("type") == "hello" for d in kernel.comm_received(comm_id)),
                what="the extension's hello")
    msg = kernel.comm_send(comm_id, {"type": "cells", "cells": [
        {"id": "mode", "source": "%rerun_mode changed"},
        {"id": "small", "source": "import rerunkernel as rk\nsmall = 1"}]})
    kernel.pump(kernel.idle_after(msg["header"]["msg_id"]), what="the cell list's idle")
    assert int(kernel.inspect(held)) < 1_000_000
    assert kernel.inspect("'big' in get_ipython().kernel.notebook_session.reuse.records") == "False"
