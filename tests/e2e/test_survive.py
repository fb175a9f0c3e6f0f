"""What python3 survives, the Rerun kernel survives: interrupts while a run awaits, exits in
widget callbacks, malformed requests. Each test attacks, then checks the kernel still answers
and the next change works.

The tests share one kernel: a test that kills it fails, and so do the ones after it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from frontend import KernelDriver, assert_no_leaks

# the print runs once the cell's task is suspended in the await: an interrupt sent after
# seeing it can only land while the cell waits (not while its code runs)
AWAITING_CELL = """import asyncio
asyncio.get_running_loop().call_soon(print, 'waiting')
await asyncio.sleep(60)
rk.write('woke up')
"""


@pytest.fixture(scope="module")
def survivor() -> Iterator[KernelDriver]:
    driver = KernelDriver("rerun")
    try:
        yield driver
        assert_no_leaks(driver)
    finally:
        driver.shutdown()


def reply_to(kernel: KernelDriver, msg_id: str) -> dict:
    while True:
        reply = kernel.kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def after_error_reply(kernel: KernelDriver) -> None:
    """After an error reply ipykernel aborts the execute requests already queued (Run All
    stops); it queues its marker for "stop aborting" before it handles the next message, so
    once a kernel_info round trip is done, the next execute_request runs."""
    assert kernel.kernel_info()["status"] == "ok"


def test_interrupt_while_a_cell_awaits(survivor):
    kernel = survivor
    kernel.execute("import rerunkernel as rk\nflag = rk.checkbox('flag')", cell="aw-top")
    msg_id = kernel.send_execute(AWAITING_CELL, cell="aw-wait")
    kernel.wait_text("aw-wait", "waiting")
    kernel.interrupt()
    kernel.pump(kernel.idle_after(msg_id), what="the interrupted cell's idle")
    reply = reply_to(kernel, msg_id)
    assert (reply["status"], reply["ename"]) == ("error", "KeyboardInterrupt")
    assert "KeyboardInterrupt" in kernel.page.text("aw-wait")
    assert "woke up" not in [o.text for o in kernel.page.visible("aw-wait")]
    after_error_reply(kernel)
    # fixed, the script runs again and a widget change reruns it
    assert kernel.execute("rk.write('awake', flag)", cell="aw-wait")["status"] == "ok"
    checkbox = kernel.page.find_widget(description="flag").comm_id
    kernel.set_widget(checkbox, value=True)
    kernel.wait_text("aw-wait", "awake True")


@pytest.mark.parametrize("shell", ["main", "subshell"])
def test_interrupt_while_a_widget_started_rerun_awaits(survivor, shell):
    kernel = survivor
    cell = f"rr-{shell}"
    code = ("import asyncio, rerunkernel as rk\n"
            f"wait = rk.checkbox('wait {shell}')\n"
            "if wait:\n"
            "    asyncio.get_running_loop().call_soon(print, 'waiting in the rerun')\n"
            "    await asyncio.sleep(60)\n"
            "rk.write('wait is', wait)\n")
    assert kernel.execute(code, cell=cell)["status"] == "ok"
    subshell = kernel.create_subshell() if shell == "subshell" else None
    checkbox = kernel.page.find_widget(description=f"wait {shell}").comm_id
    kernel.set_widget(checkbox, value=True, subshell_id=subshell)
    kernel.wait_text(cell, "waiting in the rerun")
    kernel.interrupt()
    kernel.wait_text(cell, "KeyboardInterrupt")
    assert kernel.kernel_info()["status"] == "ok"
    kernel.set_widget(checkbox, value=False, subshell_id=subshell)
    kernel.pump(lambda: "wait is False" in kernel.page.text(cell)
                and "KeyboardInterrupt" not in kernel.page.text(cell),
                what="the next rerun to replace the interrupted one")


# Linux may give a process's SIGINT to any thread that does not block it. Python's C handler
# only notes it; the main thread runs the Python handler once it wakes, and while a run
# awaits it sleeps in its event loop's poll (here for a minute). A SIGINT taken by another
# thread, or by the main thread just before it enters that poll, must still wake it. The
# run blocks SIGINT in the main thread while it waits, so another thread always takes it.
SIGINT_ELSEWHERE = """import asyncio, signal, rerunkernel as rk
elsewhere = rk.checkbox('elsewhere')
if elsewhere or {in_cell}:
    signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGINT}})
    try:
        asyncio.get_running_loop().call_soon(print, 'waiting with SIGINT blocked')
        await asyncio.sleep(60)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {{signal.SIGINT}})
rk.write('elsewhere is', elsewhere)
"""


@pytest.mark.parametrize("started_by", ["cell", "widget"])
def test_interrupt_taken_by_another_thread_wakes_the_waiting_run(survivor, started_by):
    kernel = survivor
    cell = f"else-{started_by}"
    in_cell = started_by == "cell"
    msg_id = kernel.send_execute(SIGINT_ELSEWHERE.format(in_cell=in_cell), cell=cell)
    if started_by == "widget":
        kernel.pump(kernel.idle_after(msg_id), what="the script's first run")
        kernel.set_widget(kernel.page.find_widget(description="elsewhere").comm_id, value=True)
    kernel.wait_text(cell, "waiting with SIGINT blocked")
    kernel.interrupt()
    kernel.wait_text(cell, "KeyboardInterrupt")
    if in_cell:
        assert reply_to(kernel, msg_id)["ename"] == "KeyboardInterrupt"
    after_error_reply(kernel)
    # and an interrupt while the script computes still raises in it
    msg_id = kernel.send_execute("print('spinning')\nwhile True:\n    pass", cell=cell)
    kernel.wait_text(cell, "spinning")
    kernel.interrupt()
    kernel.pump(kernel.idle_after(msg_id), what="the interrupted cell's idle")
    assert reply_to(kernel, msg_id)["ename"] == "KeyboardInterrupt"
    after_error_reply(kernel)
    assert kernel.execute("rk.write('calm')", cell=cell)["status"] == "ok"


def test_interrupt_while_a_cell_computes_still_raises_in_the_cell(survivor):
    kernel = survivor
    msg_id = kernel.send_execute("print('spinning')\nwhile True:\n    pass", cell="spin")
    kernel.wait_text("spin", "spinning")
    kernel.interrupt()
    kernel.pump(kernel.idle_after(msg_id), what="the interrupted cell's idle")
    assert reply_to(kernel, msg_id)["ename"] == "KeyboardInterrupt"
    after_error_reply(kernel)
    assert kernel.execute("rk.write('calm')", cell="spin")["status"] == "ok"


CALLBACK_APP = """import sys, rerunkernel as rk
class Boom(BaseException):
    pass
def leave():
    sys.exit(2)
def boom():
    raise Boom('from a callback')
rk.button('leave', on_click=leave)
rk.button('boom', on_click=boom)
rk.write('the app ran')
"""


def test_sys_exit_and_base_exceptions_in_callbacks(survivor):
    kernel = survivor
    kernel.execute(CALLBACK_APP, cell="cb")
    kernel.execute("rk.write('below')", cell="cb-below")
    leave = kernel.page.find_widget(description="leave").comm_id
    boom = kernel.page.find_widget(description="boom").comm_id

    # callbacks run before the script, so what they raise shows in its first cell
    first = kernel.inspect("get_ipython().kernel.notebook_session.script.cells[0].id").strip("'")
    kernel.click(boom)
    kernel.wait_text(first, "Boom: from a callback")
    assert "Not run" in kernel.wait_text("cb-below", "raised Boom")
    assert kernel.kernel_info()["status"] == "ok"

    # sys.exit() stops the script there, as it does in a cell (widgets below it go)
    kernel.click(leave)
    kernel.wait_text(first, "SystemExit(2)")
    assert kernel.kernel_info()["status"] == "ok"

    # the next change runs the whole script again
    kernel.execute(CALLBACK_APP.replace("the app ran", "the app ran again"), cell="cb")
    assert "the app ran again" in kernel.page.text("cb")
    assert kernel.execute("rk.write('below')", cell="cb-below")["status"] == "ok"
    assert kernel.page.text("cb-below") == "below"


@pytest.mark.parametrize("cell_id", [["a", "b"], {"id": "x"}, 7])
def test_a_cell_id_that_is_not_a_string_gets_an_error_reply(survivor, cell_id):
    kernel = survivor
    msg = kernel._send_shell("execute_request", {
        "code": "rk.write('never')", "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        {"cellId": cell_id})
    reply = reply_to(kernel, msg["header"]["msg_id"])
    assert reply["status"] == "error"
    assert "cellId" in reply["evalue"] and type(cell_id).__name__ in reply["evalue"]
    after_error_reply(kernel)
    assert kernel.execute("import rerunkernel as rk\nrk.write('fine')",
                          cell="after-bad-id")["status"] == "ok"
    assert kernel.page.text("after-bad-id") == "fine"


def test_presets_apply_to_their_own_request_only(survivor):
    kernel = survivor
    with_presets = {"rerunkernel": {"presets": {"amount": "3", "level": "7"}}}
    reply = kernel.execute("import rerunkernel as rk\namount = rk.slider('amount', 0, 10)\n"
                           "rk.write('amount is', amount)", cell="pre-a", metadata=with_presets)
    assert reply["status"] == "ok"
    assert kernel.page.text("pre-a").endswith("amount is 3")
    # a later request without presets: 'level' was never drawn then, and is not now
    kernel.execute("level = rk.slider('level', 0, 10)\nrk.write('level is', level)",
                   cell="pre-b")
    assert kernel.page.text("pre-b").endswith("level is 0")


def test_widgets_keep_working_after_rerunkernel_leaves_sys_modules(survivor):
    kernel = survivor
    code = ("import sys\n"
            "for name in [n for n in sys.modules if n.split('.')[0] == 'rerunkernel']:\n"
            "    del sys.modules[name]\n"
            "import rerunkernel as rk\n"
            "again = rk.slider('again', 0, 10)\n"
            "rk.write('again is', again)\n")
    assert kernel.execute(code, cell="mods")["status"] == "ok"
    assert kernel.page.text("mods").endswith("again is 0")
    slider = kernel.page.find_widget(description="again").comm_id
    kernel.set_widget(slider, value=4)
    kernel.wait_text("mods", "again is 4")
    # a later cell imports it once more, and rk.stop() still stops the run quietly
    reply = kernel.execute("import rerunkernel as rk\nrk.write('stopping')\nrk.stop()",
                           cell="mods-stop")
    assert reply["status"] == "ok"
    assert kernel.page.text("mods-stop") == "stopping"
