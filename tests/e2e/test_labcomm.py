"""The kernel side of the JupyterLab extension's comm: exact cells in, run status out."""

from __future__ import annotations

import pytest
from frontend import ANSI

pytestmark = pytest.mark.shared_kernel


def open_extension(kernel) -> str:
    comm_id = kernel.open_comm("rerunkernel", {"type": "hello", "version": 1,
                                               "handlesSave": True})
    kernel.pump(lambda: any(d.get("type") == "hello" for d in kernel.comm_received(comm_id)),
                what="the kernel's hello")
    return comm_id


def send_cells(kernel, comm_id: str, cells: list[tuple[str, str]]) -> None:
    kernel.comm_send(comm_id, {"type": "cells",
                               "cells": [{"id": i, "source": s} for i, s in cells]})


def test_cell_list_sets_order_sources_and_deletions(kernel):
    kernel.execute("import rerunkernel as rk\norder = ['a']", cell="a")
    kernel.execute("order.append('b')", cell="b")
    kernel.execute("order.append('c')\nraise RuntimeError('c is in the way')", cell="c")
    comm_id = open_extension(kernel)
    hello = next(d for d in kernel.comm_received(comm_id) if d["type"] == "hello")
    assert hello["known"] == ["a", "b", "c"]

    # the user moved b above a, inserted n at the end, edited a and deleted c
    cells = [("b", "order = ['b']"), ("a", "import rerunkernel as rk\norder.append('a')"),
             ("n", "rk.write(' > '.join(order))")]
    send_cells(kernel, comm_id, cells)
    reply = kernel.execute(cells[0][1], cell="b")
    assert reply["status"] == "ok"
    assert kernel.inspect("order") == "['b', 'a']"
    reply = kernel.execute(cells[1][1], cell="a")
    reply = kernel.execute(cells[2][1], cell="n")
    assert reply["status"] == "ok"
    assert kernel.page.text("n") == "b > a"


def test_status_reports_running_then_idle_or_error(kernel):
    comm_id = open_extension(kernel)
    kernel.execute("import rerunkernel as rk\nrk.write('fine')", cell="one")
    states = [d["state"] for d in kernel.comm_received(comm_id) if d["type"] == "status"]
    assert states[-2:] == ["running", "idle"]
    kernel.execute("raise KeyError('nope')", cell="two")
    last = [d for d in kernel.comm_received(comm_id) if d["type"] == "status"][-1]
    assert last["state"] == "error"
    assert last["cell"] == "two"
    assert "KeyError" in last["message"]


def test_malformed_cell_lists_are_rejected_and_the_kernel_carries_on(kernel):
    comm_id = open_extension(kernel)
    bad = [
        {"type": "cells", "cells": [{"id": "x", "source": "1"}, {"id": "x", "source": "2"}]},
        {"type": "cells", "cells": "not a list"},
        {"type": "cells", "cells": [{"id": 3, "source": "1"}]},
        {"type": "what"},
    ]
    for data in bad:
        kernel.comm_send(comm_id, data)
    kernel.pump(lambda: sum(d["type"] == "rejected" for d in kernel.comm_received(comm_id)) == 4,
                what="four rejections")
    reasons = [d["reason"] for d in kernel.comm_received(comm_id) if d["type"] == "rejected"]
    assert "appears twice" in reasons[0]
    reply = kernel.execute("import rerunkernel as rk\nrk.write('still fine')", cell="ok")
    assert reply["status"] == "ok"
    assert kernel.page.text("ok") == "still fine"


def test_cells_can_ride_on_the_execute_request(kernel):
    kernel.execute("import rerunkernel as rk\nrk.write('first')", cell="p")
    cells = [{"id": "q", "source": "import rerunkernel as rk\nrk.write('q first')"},
             {"id": "p", "source": "rk.write('then p')"}]
    reply = kernel.execute(cells[1]["source"], cell="p",
                           metadata={"rerunkernel": {"cells": cells}})
    assert reply["status"] == "ok"
    assert kernel.page.text("p") == "then p"


def test_a_malformed_comm_open_is_refused_and_saves_still_rerun(fresh_kernel, tmp_path):
    import nbformat

    kernel = fresh_kernel  # it names a notebook file to watch, which no reset takes back

    path = tmp_path / "saved.ipynb"

    def save(source: str) -> None:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source, id="one")]
        nbformat.write(nb, str(path))

    save("import rerunkernel as rk\nrk.write('saved once')")
    kernel.run_silent(f"__vsc_ipynb_file__ = {str(path)!r}")
    kernel.execute("import rerunkernel as rk\nrk.write('saved once')", cell="one")
    for data in ([1, 2], "hello", {"type": "cells"}):
        comm_id = kernel.open_comm("rerunkernel", data)
        kernel.pump(lambda: any(m["msg_type"] == "comm_close"
                                and m["content"]["comm_id"] == comm_id
                                for m in kernel.page.log), what=f"the close of {data!r}")
        reasons = [d["reason"] for d in kernel.comm_received(comm_id) if d["type"] == "rejected"]
        assert reasons and "opening message" in reasons[0]
    assert kernel.inspect("len(get_ipython().kernel.extension.comms)") == "0"
    # no front-end extension is connected, so a save reruns the script
    save("import rerunkernel as rk\nrk.write('saved twice')")
    kernel.wait_text("one", "saved twice")


def test_the_rerun_mode_comes_with_the_hello_and_the_toolbar_switch(kernel):
    mode = "get_ipython().kernel.notebook_session.reuse.mode"
    comm_id = kernel.open_comm("rerunkernel", {"type": "hello", "version": 1,
                                               "handlesSave": True, "mode": "changed"})
    kernel.pump(lambda: any(d.get("type") == "hello" for d in kernel.comm_received(comm_id)),
                what="the kernel's hello")
    assert kernel.inspect(mode) == "'changed'"

    kernel.comm_send(comm_id, {"type": "settings", "mode": "all"})
    assert kernel.inspect(mode) == "'all'"

    kernel.comm_send(comm_id, {"type": "settings", "mode": "sometimes"})
    kernel.pump(lambda: any(d["type"] == "rejected" for d in kernel.comm_received(comm_id)),
                what="the rejection of an unknown mode")
    reason = next(d["reason"] for d in kernel.comm_received(comm_id) if d["type"] == "rejected")
    assert "unknown rerun mode 'sometimes'" in reason
    assert kernel.inspect(mode) == "'all'"


def test_each_request_of_a_walk_down_ends_with_its_own_idle(kernel):
    # The extension sends the cell list on the main shell right before each execute_request;
    # Shift+Enter walking down sends these pairs back to back. A comm message arriving
    # while a request holds the shell is handled at once: afterwards, the parent must be the
    # request holding the shell then, or the next request's idle goes to the one before it
    # and JupyterLab shows that cell running forever.
    comm_id = open_extension(kernel)
    cells = [("w1", "import rerunkernel as rk"), ("w2", "rk.write('two')"),
             ("w3", "rk.write('three')")]
    requests = []
    for _ in range(10):
        for cell_id, source in cells:
            send_cells(kernel, comm_id, cells)
            requests.append(kernel.send_execute(source, cell=cell_id))

    def idles() -> list[str]:
        return [m["parent_header"].get("msg_id") for m in kernel.page.log
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                and m["parent_header"].get("msg_id") in requests]

    kernel.pump(lambda: len(idles()) >= len(requests), what="an idle for each request")
    assert sorted(idles()) == sorted(requests)


def test_a_re_shown_traceback_names_the_number_its_prompt_shows(kernel):
    # Run All twice: the second time, the first request reruns the whole script, where b
    # raises under the number of its previous request; b's own request only re-shows it,
    # under a new number, and that is the number its traceback and the notice below name,
    # on screen and in the replies (what nbclient and papermill report).
    cells = [("ra", "import rerunkernel as rk"), ("rb", "x = 1\n1 / 0"),
             ("rc", "rk.write('c')")]
    metadata = {"rerunkernel": {"cells": [{"id": i, "source": s} for i, s in cells]}}
    for _ in range(2):
        counts, replies = {}, {}
        for cell_id, source in cells:
            reply = kernel.execute(source, cell=cell_id, metadata=metadata)
            counts[cell_id], replies[cell_id] = reply["execution_count"], reply
    assert f"Cell In[{counts['rb']}], line 2" in kernel.page.text("rb")
    assert f"Not run: cell In[{counts['rb']}] raised ZeroDivisionError" in kernel.page.text("rc")
    assert replies["rc"]["traceback"] == [
        f"Not run: cell In[{counts['rb']}] raised ZeroDivisionError: division by zero"]
    replied = ANSI.sub("", "\n".join(replies["rb"]["traceback"]))
    assert f"Cell In[{counts['rb']}], line 2" in replied, replied
    assert "Cell In[" not in replied.replace(f"Cell In[{counts['rb']}]", ""), replied
