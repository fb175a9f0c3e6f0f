"""The Rerun Script kernel over real jupyter_client connections."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_kernel

SEED = """import rerunkernel as rk
x = rk.slider('x')
rk.write(x, 'squared is', x * x)
"""


def test_seed_example_updates_in_place(kernel):
    reply = kernel.execute(SEED, cell="seed")
    assert reply["status"] == "ok"
    assert kernel.page.text("seed").endswith("0 squared is 0")
    slider = kernel.page.find_widget(description="x", model="IntSliderModel")
    assert (slider.state["min"], slider.state["max"], slider.state["value"]) == (0, 100, 0)
    outputs_before = list(kernel.page.outputs["seed"])

    kernel.set_widget(slider.comm_id, value=7)
    kernel.wait_text("seed", "7 squared is 49")

    assert "0 squared is 0" not in kernel.page.text("seed")
    # updated in place: the same two outputs, the widget view never re-sent
    assert kernel.page.outputs["seed"] == outputs_before
    views = [m for m in kernel.page.log
             if m["msg_type"] in ("display_data", "update_display_data")
             and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]]
    assert len(views) == 1


def runs(kernel) -> int:
    return int(kernel.inspect("get_ipython().kernel.notebook_session.started_runs"))


def test_kernelspec_and_kernel_info(kernel, tmp_path):
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "rerunkernel", "install", "--prefix", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )
    assert "rerun" in out.stdout
    spec = json.loads((tmp_path / "share/jupyter/kernels/rerun/kernel.json").read_text())
    assert spec["display_name"] == "Rerun Script"
    assert spec["language"] == "python"
    assert spec["argv"][1:] == ["-m", "rerunkernel", "-f", "{connection_file}"]

    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().get_kernel_spec("rerun")
    assert installed.display_name == "Rerun Script"

    info = kernel.kernel_info()
    assert info["status"] == "ok"
    assert info["implementation"] == "rerunkernel"
    assert info["language_info"]["name"] == "python"


def test_widget_reruns_cells_above_and_below_in_fresh_namespace(kernel):
    kernel.execute("import time, rerunkernel as rk\n"
                   "seen = globals().get('seen', 0) + 1\n"
                   "rk.write('stamp', time.perf_counter_ns(), 'seen', seen)", cell="above")
    kernel.execute("n = rk.slider('n', 0, 10, 1)", cell="slider")
    kernel.execute("rk.write('double', n * 2)", cell="below")
    first_stamp = kernel.page.text("above")
    assert first_stamp.endswith("seen 1")
    assert kernel.page.text("below") == "double 2"

    kernel.set_widget(kernel.page.find_widget(description="n").comm_id, value=4)
    kernel.wait_text("below", "double 8")
    kernel.pump(lambda: kernel.page.text("above") != first_stamp, what="a fresh stamp above")
    # each run starts from a fresh namespace: `seen` never accumulates
    assert kernel.page.text("above").endswith("seen 1")


def test_reexecuting_an_edited_cell_replaces_its_outputs_and_reruns_the_rest(kernel):
    kernel.execute("import rerunkernel as rk\nbase = 1\nrk.write('base', base)", cell="a")
    kernel.execute("rk.write('plus one', base + 1)", cell="b")
    assert kernel.page.text("b") == "plus one 2"
    before = runs(kernel)

    reply = kernel.execute("import rerunkernel as rk\nbase = 10\nrk.write('base is now', base)",
                           cell="a")
    assert reply["status"] == "ok"
    assert kernel.page.text("a") == "base is now 10"
    kernel.wait_text("b", "plus one 11")
    assert "plus one 2" not in kernel.page.text("b")
    assert runs(kernel) == before + 1


def test_error_shows_in_its_cell_below_is_marked_and_fix_recovers(kernel):
    kernel.execute("import rerunkernel as rk\nk = rk.slider('k', 0, 5, 2)", cell="w")
    kernel.execute("value = 10 // k\nrk.write('value', value)", cell="div")
    kernel.execute("rk.write('after', value)", cell="after")
    assert kernel.page.text("after") == "after 5"

    kernel.set_widget(kernel.page.find_widget(description="k").comm_id, value=0)
    kernel.wait_text("div", "ZeroDivisionError")
    text = kernel.page.text("div")
    assert "10 // k" in text  # the cell's own source line is in the traceback
    assert "value 5" not in text
    kernel.wait_text("after", "Not run")
    assert "after 5" not in kernel.page.text("after")
    assert kernel.kernel_info()["status"] == "ok"
    assert kernel.page.find_widget(description="k").state["value"] == 0

    reply = kernel.execute("value = 10 // (k or 1)\nrk.write('value', value)", cell="div")
    assert reply["status"] == "ok"
    assert kernel.page.text("div") == "value 10"
    kernel.wait_text("after", "after 10")


def test_error_reply_names_the_failing_cell(kernel):
    reply = kernel.execute("import rerunkernel as rk\nrk.write('one')", cell="one")
    assert reply["status"] == "ok"
    reply = kernel.execute("raise ValueError('bad input')", cell="two")
    assert reply["status"] == "error"
    assert reply["ename"] == "ValueError"
    assert any("bad input" in line for line in reply["traceback"])
    assert "ValueError" in kernel.page.text("two")
    # a cell below a failing one does not run and says why
    reply = kernel.execute("rk.write('three')", cell="three")
    assert reply["status"] == "error"
    assert "Not run" in kernel.page.text("three")


def test_unchanged_elements_send_nothing_on_a_rerun(kernel):
    kernel.execute("import rerunkernel as rk\n"
                   "rk.markdown('# static title')\n"
                   "v = rk.slider('v')\n"
                   "rk.text('also static')\n"
                   "rk.write('v is', v)\n"
                   "print('a static print')", cell="app")
    slider = kernel.page.find_widget(description="v")
    start = len(kernel.page.log)
    msg = kernel.set_widget(slider.comm_id, value=3)
    kernel.wait_text("app", "v is 3")
    kernel.pump(kernel.idle_after(msg["header"]["msg_id"]), what="the rerun's idle")
    kernel.sync()
    sent = [m for m in kernel.page.log[start:]
            if m["msg_type"] in ("display_data", "update_display_data", "stream", "error",
                                 "clear_output")]
    assert [m["content"]["data"].get("text/plain") for m in sent] == ["v is 3"]


def test_prints_displays_and_last_expression_update_in_place(kernel):
    code = ("import rerunkernel as rk\nfrom IPython.display import display, HTML\n"
            "m = rk.slider('m', 0, 9, 1)\nprint('printed', m)\ndisplay(HTML(f'<b>{m}</b>'))\n"
            "m * 100")
    kernel.execute(code, cell="c")
    assert kernel.page.text("c").split("\n")[1:] == [
        "printed 1", "", "<IPython.core.display.HTML object>", "100"]
    count = len(kernel.page.outputs["c"])
    kernel.set_widget(kernel.page.find_widget(description="m").comm_id, value=2)
    kernel.wait_text("c", "200")
    assert "printed 2" in kernel.page.text("c")
    assert "printed 1" not in kernel.page.text("c")
    assert len(kernel.page.outputs["c"]) == count  # nothing piled up
    assert not [m for m in kernel.page.log if m["msg_type"] == "stream"]


def test_a_widget_change_reruns_within_its_messages_busy_and_idle(kernel):
    kernel.execute("import rerunkernel as rk\ns = rk.slider('s')\nrk.write('s', s)", cell="c")
    start = len(kernel.page.log)
    msg = kernel.set_widget(kernel.page.find_widget(description="s").comm_id, value=5)
    msg_id = msg["header"]["msg_id"]
    kernel.pump(kernel.idle_after(msg_id), what="the comm message's idle")
    kernel.sync()
    log = kernel.page.log[start:]
    statuses = [i for i, m in enumerate(log) if m["msg_type"] == "status"
                and m["parent_header"].get("msg_id") == msg_id]
    # one busy/idle, as for interact: the rerun is not a request of its own
    assert [log[i]["content"]["execution_state"] for i in statuses] == ["busy", "idle"]
    update = next(i for i, m in enumerate(log) if m["msg_type"] == "update_display_data")
    assert statuses[0] < update < statuses[1]
    assert log[update]["content"]["data"]["text/plain"] == "s 5"


def test_a_widget_change_during_a_request_reruns_after_it(kernel):
    kernel.execute("import rerunkernel as rk\ns = rk.slider('s')\nrk.write('s', s)", cell="c")
    comm_id = kernel.page.find_widget(description="s").comm_id
    start = len(kernel.page.log)
    # the comm message comes while the request holds the main shell: handled at once, and
    # its rerun waits for the request (with a busy/idle of its own)
    request = kernel.send_execute("import time\ntime.sleep(0.5)", cell="sleeper")
    kernel.pump(lambda: any(m["msg_type"] == "status"
                            and m["parent_header"].get("msg_id") == request
                            for m in kernel.page.log), what="the request's busy")
    msg_id = kernel.set_widget(comm_id, value=6)["header"]["msg_id"]
    kernel.wait_text("c", "s 6")
    kernel.pump(kernel.idle_after(msg_id), what="the rerun's idle")
    log = kernel.page.log[start:]
    request_idle = next(i for i, m in enumerate(log) if m["msg_type"] == "status"
                        and m["parent_header"].get("msg_id") == request
                        and m["content"]["execution_state"] == "idle")
    update = next(i for i, m in enumerate(log) if m["msg_type"] == "update_display_data"
                  and m["content"]["data"].get("text/plain") == "s 6")
    assert request_idle < update


def test_widget_change_over_a_subshell(kernel):
    kernel.execute("import rerunkernel as rk\ns = rk.slider('s')\nrk.write('s', s)", cell="c")
    subshell = kernel.create_subshell()
    kernel.set_widget(kernel.page.find_widget(description="s").comm_id, value=9,
                      subshell_id=subshell)
    kernel.wait_text("c", "s 9")


def test_quick_moves_coalesce_into_few_reruns(kernel):
    kernel.execute("import time, rerunkernel as rk\nq = rk.slider('q')\ntime.sleep(0.2)\n"
                   "rk.write('q', q)", cell="slow")
    before = runs(kernel)
    comm_id = kernel.page.find_widget(description="q").comm_id
    for value in range(1, 11):
        kernel.set_widget(comm_id, value=value)
    kernel.wait_text("slow", "q 10")
    done = runs(kernel) - before
    assert 1 <= done < 10
    assert "Error" not in kernel.page.text("slow")


def test_interrupt_stops_a_widget_started_run(kernel):
    kernel.execute("import rerunkernel as rk\nspin = rk.checkbox('spin')\n"
                   "if spin:\n    print('spinning')\n"
                   "while spin:\n    pass\nrk.write('done')", cell="loop")
    assert kernel.page.text("loop").endswith("done")
    kernel.set_widget(kernel.page.find_widget(description="spin").comm_id, value=True)
    kernel.wait_text("loop", "spinning")
    kernel.interrupt()
    kernel.wait_text("loop", "KeyboardInterrupt")
    assert kernel.kernel_info()["status"] == "ok"
    # the widget kept its value and the next trigger works
    assert kernel.page.find_widget(description="spin").state["value"] is True
    kernel.set_widget(kernel.page.find_widget(description="spin").comm_id, value=False)
    kernel.pump(lambda: kernel.page.text("loop") == "checkbox 'spin'\ndone",
                what="the loop cell to recover")


def test_run_all_twice_costs_one_pass(kernel):
    cells = [("i", "import rerunkernel as rk\nrk.write('i')"), ("j", "rk.write('j')"),
             ("k", "rk.write('k')")]
    executed = "get_ipython().kernel.notebook_session.cells_run"
    before = int(kernel.inspect(executed))
    for cell_id, code in cells:
        assert kernel.execute(code, cell=cell_id)["status"] == "ok"
    # first time: each new cell continues the run
    assert int(kernel.inspect(executed)) == before + 3
    for cell_id, code in cells:
        assert kernel.execute(code, cell=cell_id)["status"] == "ok"
        assert kernel.page.text(cell_id) == cell_id  # outputs shown again in the new area
    # second Run All: one full pass, not three
    assert int(kernel.inspect(executed)) == before + 6


def test_deleted_cells_leave_the_script(kernel):
    kernel.execute("import rerunkernel as rk\nrk.write('first')", cell="first")
    kernel.execute("rk.write('doomed')\nraise RuntimeError('should be gone')", cell="doomed")
    reply = kernel.execute("rk.write('last')", cell="last",
                           metadata={"deletedCells": ["doomed"]})
    assert reply["status"] == "ok"
    assert kernel.page.text("last") == "last"


def test_widgets_and_their_values(kernel):
    code = """import rerunkernel as rk
f = rk.slider('f', 0.0, 2.0, 0.5)
r = rk.slider('r', 0, 10, (2, 5))
kind = rk.selectbox('kind', [{'n': 1}, {'n': 2}], index=1, format_func=lambda o: f"n={o['n']}")
on = rk.checkbox('on', value=True)
name = rk.text_input('name', 'ann')
count = rk.number_input('count', 0, 9, 3)
amount = rk.number_input('amount')
go = rk.button('go')
rk.text(repr((f, r, kind, on, name, count, amount, go)))
"""
    assert kernel.execute(code, cell="w")["status"] == "ok"
    assert kernel.page.text("w").endswith("(0.5, (2, 5), {'n': 2}, True, 'ann', 3, 0.0, False)")
    w = kernel.page.find_widget
    assert w(description="f").state["_model_name"] == "FloatSliderModel"
    assert w(description="r").state["_model_name"] == "IntRangeSliderModel"
    assert w(description="kind").state["_options_labels"] == ["n=1", "n=2"]
    kernel.set_widget(w(description="kind").comm_id, index=0)
    kernel.wait_text("w", "{'n': 1}")
    kernel.set_widget(w(description="r").comm_id, value=[3, 9])
    kernel.wait_text("w", "(3, 9)")
    kernel.set_widget(w(description="name").comm_id, value="bob")
    kernel.wait_text("w", "'bob'")
    kernel.click(w(description="go").comm_id)
    kernel.wait_text("w", "True)")
    # a button is True only in the run its click started
    kernel.set_widget(w(description="on").comm_id, value=False)
    kernel.wait_text("w", "False, 'bob', 3, 0.0, False)")


def test_bad_widget_arguments_raise_clear_errors(kernel):
    cases = {
        "rk.slider('s', 10, 5)": "rk.slider('s'): min_value (10) must be less than or equal",
        "rk.slider('s', 0, 10, 20)": "value 20 is outside",
        "rk.slider('s', 0, 1.5)": "same type",
        "rk.slider('s', 'a')": "min_value must be an int or a float",
        "rk.selectbox('k', ['a'], index=3)": "index 3 is out of range",
        "rk.checkbox('c', value='yes')": "value must be True or False",
        "rk.number_input('n', 5, 1)": "min_value (5) must be less than",
        "rk.text_input('t', 'abc', max_chars=2)": "more than max_chars=2",
        "rk.slider(3)": "label must be a str",
    }
    kernel.execute("import rerunkernel as rk", cell="imp")
    for code, message in cases.items():
        reply = kernel.execute(code, cell="bad")
        assert reply["status"] == "error", code
        assert reply["ename"] == "ValueError", code
        assert message in reply["evalue"], (code, reply["evalue"])
        assert message in kernel.page.text("bad")
    assert kernel.execute("rk.write('fine')", cell="bad")["status"] == "ok"


def test_cells_aborted_after_an_error_show_why_and_follow_reruns(kernel):
    kernel.execute("import rerunkernel as rk\nd = rk.slider('d', 0, 5, 1)", cell="w")
    kernel.execute("rk.write('inverse', 1 / d)", cell="inv")
    kernel.execute("rk.write('below', d)", cell="below")
    kernel.set_widget(kernel.page.find_widget(description="d").comm_id, value=0)
    kernel.wait_text("below", "Not run")
    # Run All: the failing cell's error aborts the queued request of the cell below it
    ids = [kernel.send_execute(code, cell=cell) for cell, code in (
        ("w", "import rerunkernel as rk\nd = rk.slider('d', 0, 5, 1)"),
        ("inv", "rk.write('inverse', 1 / d)"), ("below", "rk.write('below', d)"))]
    kernel.pump(kernel.idle_after(ids[-1]), what="the aborted request's idle")
    assert "Not run" in kernel.page.text("below")  # shown in its new, cleared output area
    kernel.set_widget(kernel.page.find_widget(description="d").comm_id, value=2)
    kernel.wait_text("below", "below 2")
    assert kernel.page.text("inv") == "inverse 0.5"


def test_a_cell_ending_in_an_element_call_does_not_show_its_value(kernel):
    kernel.execute("import rerunkernel as rk\nrk.write('hello')\nrk.button('go')", cell="c")
    assert "False" not in kernel.page.text("c")
    kernel.execute("1 + 1", cell="expr")
    assert kernel.page.text("expr") == "2"


def test_cells_keep_ipython_features(kernel):
    reply = kernel.execute(
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport rerunkernel as rk\n"
        "n = rk.slider('n', 1, 5, 2)\n!echo shell says $n\n"
        "import asyncio\nawait asyncio.sleep(0)\n"
        "plt.plot(range(n))\nplt.title(f'{n} points')", cell="ipy")
    assert reply["status"] == "ok", reply
    outputs = kernel.page.visible("ipy")
    assert any("shell says 2" in o.text for o in outputs)
    assert any("image/png" in o.data for o in outputs)  # %matplotlib inline's figure
    count = len(kernel.page.outputs["ipy"])
    kernel.set_widget(kernel.page.find_widget(description="n").comm_id, value=4)
    kernel.wait_text("ipy", "shell says 4")
    assert len(kernel.page.outputs["ipy"]) == count  # the figure was replaced in place


def test_a_reset_kernel_looks_new_to_the_next_test(kernel):
    """What the tests sharing a module's kernel rely on (`KernelDriver.reset`)."""
    kernel.execute("%rerun_mode changed", cell="mode")
    cached = "@rk.cache\ndef f():\n    return 1\nf()\n"
    kernel.execute("import rerunkernel as rk\nleftover = rk.slider('leftover')\n"
                   "rk.session_state['kept'] = 1\n" + cached, cell="old")
    comm_id = kernel.open_comm("rerunkernel", {"type": "hello", "version": 1})
    kernel.pump(lambda: bool(kernel.comm_received(comm_id)), what="the kernel's hello")
    notebook = "get_ipython().kernel.notebook_session"
    assert kernel.stats()["widgets"] > 0  # the slider, its layout and style models

    kernel.reset()
    assert kernel.page.log == []
    assert kernel.inspect(f"[c.id for c in {notebook}.script]") == "[]"
    assert kernel.inspect(f"{notebook}.state") == "{}"
    assert kernel.inspect(f"{notebook}.reuse.mode") == "'all'"
    assert kernel.inspect("'leftover' in globals()") == "False"
    stats = kernel.stats()
    assert (stats["widgets"], stats["comms"], stats["slots"]) == (0, 0, 0), stats
    # the first cell continues an empty script, as in a new kernel
    code = "import rerunkernel as rk\nrk.write('new')\n" + cached
    assert kernel.execute(code, cell="new")["status"] == "ok"
    assert kernel.inspect(f"[c.id for c in {notebook}.script]") == "['new']"
    assert kernel.page.text("new").startswith("new")
    assert kernel.inspect("f.cache_info()[:2]") == "(0, 1)"  # (hits, misses): a new cache
