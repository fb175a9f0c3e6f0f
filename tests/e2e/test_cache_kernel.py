"""`rk.cache` in the Rerun kernel: entries survive reruns; an edited cell recomputes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_kernel

CELL = """import rerunkernel as rk

@rk.cache
def load(n):
    with open({log!r}, "a") as log:  # appending is not reading: not a dependency
        log.write("call\\n")
    return n * {factor}

x = rk.slider("x")
rk.write("loaded", load(5), "at x =", x)
"""


def test_a_cached_function_survives_reruns_and_recomputes_after_an_edit(kernel, tmp_path):
    log = tmp_path / "calls.log"
    reply = kernel.execute(CELL.format(log=str(log), factor=10), cell="app")
    assert reply["status"] == "ok"
    assert kernel.page.text("app").endswith("loaded 50 at x = 0")
    slider = kernel.page.find_widget(description="x")

    for value in (3, 7, 12):
        kernel.set_widget(slider.comm_id, value=value)
        kernel.wait_text("app", f"loaded 50 at x = {value}")
    assert log.read_text().count("call") == 1
    assert kernel.inspect("load.cache_info()[:2]") == "(3, 1)"

    reply = kernel.execute(CELL.format(log=str(log), factor=20), cell="app")
    assert reply["status"] == "ok"
    kernel.wait_text("app", "loaded 100 at x = 12")
    assert log.read_text().count("call") == 2


SLOW = """import os, time
import rerunkernel as rk

@rk.cache
def load(path):
    while not os.path.exists(path):  # until the test lets it finish
        time.sleep(0.01)
    return "ready"

rk.write(load({go!r}))
"""


def start(kernel, code: str, cell: str) -> str:
    """Send an execute_request as `kernel.execute` does, without waiting for its reply."""
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    msg_id = kernel._send_shell("execute_request", content, {"cellId": cell})["header"]["msg_id"]
    kernel.page.request_cell[msg_id] = cell
    kernel.page.outputs[cell] = []
    return msg_id


def test_a_slow_miss_shows_a_spinner_until_it_finishes(kernel, tmp_path):
    go = tmp_path / "go"
    msg_id = start(kernel, SLOW.format(go=str(go)), cell="slow")
    kernel.wait_text("slow", "Running load(...)")
    go.write_text("")
    kernel.pump(kernel.idle_after(msg_id), what="the run to finish")
    assert kernel.page.text("slow") == "ready"
