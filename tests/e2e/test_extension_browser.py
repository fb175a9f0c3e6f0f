"""The JupyterLab extension in real JupyterLab and Chromium, used as a user would.

The extension's unit tests cover its logic; these cover what only the page shows: that an
inserted cell reaches the kernel in its place before the execution that needs it, that the
run status follows the kernel, that clicking an error goes to the failing cell, that a
reloaded page gets its app back, and that a notebook on another kernel shows none of it.
"""

from __future__ import annotations

import json
import re

import pytest
from lab import UI_TIMEOUT, JupyterLab, Notebook, SentMessages
from playwright.sync_api import Page, expect

WAIT = UI_TIMEOUT * 1000
RERUN = "Rerun Script"


def open_demo(page: Page, lab: JupyterLab) -> Notebook:
    """The demo notebook after Run All: every cell has run once and the status is idle."""
    notebook = Notebook.open(page, lab, "demo.ipynb", kernel=RERUN)
    notebook.run_all()
    expect(notebook.output(notebook.cell_by_id("square"))).to_contain_text(
        "0 squared is 0", timeout=WAIT
    )
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
    return notebook


@pytest.mark.browser
def test_a_cell_inserted_above_runs_in_its_place(page: Page, lab: JupyterLab) -> None:
    notebook = open_demo(page, lab)
    square = notebook.cell_index("square")

    # A above the square cell, then a new definition the square cell is edited to use;
    # neither edit is saved: the kernel learns both from the extension's cell list
    new = notebook.insert_cell(square, above=True)
    notebook.edit(new, "offset = 100")
    square = notebook.cell_index("square")
    assert square == new + 1
    notebook.edit(square, "x = rk.slider('x')\nrk.write(x + offset, 'is x plus offset')")
    notebook.select(new)
    page.keyboard.press("Shift+Enter")
    notebook.wait_all_ran()

    # had the new cell run anywhere but above the square cell, `offset` would be undefined
    output = notebook.output(square)
    expect(output).to_contain_text("100 is x plus offset", timeout=WAIT)
    expect(output).not_to_contain_text("squared")
    expect(output).not_to_contain_text("Error")
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)

    # the new cell is part of every rerun now, also those the slider starts
    notebook.slider(square, "x").press("ArrowRight", times=3)
    expect(output).to_contain_text("103 is x plus offset", timeout=WAIT)
    expect(output.get_by_text("is x plus offset")).to_have_count(1)
    expect(notebook.output(notebook.cell_by_id("waves"))).not_to_contain_text("Not run")


@pytest.mark.browser
def test_run_status_shows_a_run_and_its_time(page: Page, lab: JupyterLab) -> None:
    notebook = open_demo(page, lab)
    expect(notebook.run_status).to_have_text("Idle")

    last = notebook.insert_cell(notebook.cell_index("waves"), above=False)
    notebook.edit(last, "import time\ntime.sleep(3)\nrk.write('slept')")
    notebook.record_run_status()
    notebook.rerun_button.click()
    notebook.wait_all_ran()

    expect(notebook.output(last)).to_have_text("slept", timeout=WAIT)
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
    expect(notebook.run_status).to_have_text("Idle")
    shown = notebook.run_status_history()
    # stale (the new cell was not run yet), running, running with the time once past a
    # second, idle: each in that order
    timed = [i for i, entry in enumerate(shown) if re.fullmatch(r"running: Running \d+ s", entry)]
    assert shown[0] == "stale: Edited, not run", shown
    assert shown[1] == "running: Running", shown
    assert timed and timed[0] > 1, shown
    assert shown[-1] == "idle: Idle", shown
    assert all(entry.startswith("running: ") for entry in shown[1:-1]), shown


INVERTED = "x = rk.slider('x')\nrk.write(x, 'inverted is', 1 / x)"  # fails while x is 0


@pytest.mark.browser
def test_an_error_shows_in_the_status_and_leads_to_its_cell(page: Page, lab: JupyterLab) -> None:
    # a short window, so that the failing cell can be out of sight
    page.set_viewport_size({"width": 1400, "height": 600})
    notebook = open_demo(page, lab)
    square = notebook.cell_index("square")
    notebook.edit(square, INVERTED)
    page.keyboard.press("Shift+Enter")
    notebook.wait_all_ran()

    status = notebook.run_status
    expect(status).to_have_attribute("data-state", "error", timeout=WAIT)
    expect(status).to_have_text("Error")
    expect(status).to_have_attribute("title", re.compile("ZeroDivisionError"))
    expect(notebook.output(square)).to_contain_text("ZeroDivisionError", timeout=WAIT)
    waves = notebook.cell_by_id("waves")
    expect(notebook.output(waves)).to_contain_text("Not run", timeout=WAIT)

    # go to the bottom of the notebook, where the failing cell is out of sight
    notebook.select(notebook.cells.count() - 1)
    notebook.scroll_to_end()
    expect(notebook.cell(square)).not_to_be_in_viewport()

    status.click()
    notebook.wait_active_cell(square)
    expect(notebook.cell(square)).to_be_in_viewport(timeout=WAIT)

    # a widget change that makes the script pass clears the error, and the cells below are back
    notebook.slider(square, "x").press("ArrowRight")
    expect(notebook.output(square)).to_contain_text("1 inverted is 1.0", timeout=WAIT)
    expect(status).to_have_attribute("data-state", "idle", timeout=WAIT)
    expect(notebook.output(waves)).not_to_contain_text("Not run", timeout=WAIT)
    notebook.wait_chart_drawn(waves)


@pytest.mark.browser
def test_cells_below_an_error_in_rerun_script_come_back(page: Page, lab: JupyterLab) -> None:
    notebook = open_demo(page, lab)
    square = notebook.cell_index("square")
    notebook.edit(square, INVERTED)
    page.keyboard.press("Escape")
    page.keyboard.press("ControlOrMeta+Shift+Enter")  # the extension's Rerun Script shortcut
    notebook.wait_all_ran()
    expect(notebook.run_status).to_have_attribute("data-state", "error", timeout=WAIT)

    notebook.slider(square, "x").press("ArrowRight")
    expect(notebook.output(square)).to_contain_text("1 inverted is 1.0", timeout=WAIT)
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
    notebook.wait_kernel_idle()
    notebook.wait_chart_drawn(notebook.cell_by_id("waves"))


@pytest.mark.browser
def test_a_reloaded_page_gets_its_app_back(page: Page, lab: JupyterLab) -> None:
    notebook = open_demo(page, lab)
    square = notebook.cell_by_id("square")
    notebook.slider(square, "x").press("ArrowRight", times=3)
    expect(notebook.output(square)).to_contain_text("3 squared is 9", timeout=WAIT)
    notebook.wait_kernel_idle()

    # nothing was saved: after the reload only the extension's replay can show outputs,
    # and they must be the kernel's current ones
    notebook.reload(kernel=RERUN)
    square = notebook.cell_by_id("square")
    output = notebook.output(square)
    expect(output).to_contain_text("3 squared is 9", timeout=WAIT)
    slider = notebook.slider(square, "x")
    expect(slider.readout).to_have_text("3", timeout=WAIT)
    notebook.wait_chart_drawn(notebook.cell_by_id("waves"))
    notebook.wait_kernel_idle()

    # and the app is live again: the slider reruns the notebook and the text follows
    slider.press("ArrowRight", times=2)
    expect(slider.readout).to_have_text("5", timeout=WAIT)
    expect(output).to_contain_text("5 squared is 25", timeout=WAIT)
    expect(output.get_by_text("squared is")).to_have_count(1)
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)


PLAIN = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "plain",
            "metadata": {},
            "outputs": [],
            "source": ["print('plain', 'python')"],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.mark.browser
def test_a_python3_notebook_shows_none_of_it(page: Page, lab: JupyterLab) -> None:
    if "python3" not in lab.kernelspecs():
        pytest.fail("the server lists no python3 kernelspec (ipykernel installs one)")
    (lab.root / "plain.ipynb").write_text(json.dumps(PLAIN))
    sent = SentMessages(page)

    plain = Notebook.open(page, lab, "plain.ipynb", kernel="Python 3 (ipykernel)")
    plain.run_all()
    expect(plain.output(0)).to_have_text("plain python", timeout=WAIT)
    expect(plain.toolbar_item("kernelName")).to_be_visible()
    expect(plain.rerun_button).to_be_hidden()
    expect(plain.run_status).to_be_hidden()
    assert plain.probe(
        "() => window.jupyterapp.commands.isEnabled('rerunkernel:rerun-script')"
    ) is False
    # Playwright delivers the page's websocket frames in order with everything else: by the
    # time the cell's output is seen, a comm opened on connecting would have been recorded
    assert "rerunkernel" not in sent.comm_targets()
    assert not [m for m in sent.messages if "rerunkernel" in json.dumps(m["content"])]

    # the same page on the Rerun Script kernel: the items are there and the comm opens
    demo = Notebook.open_in_app(page, lab, "demo.ipynb", kernel=RERUN)
    expect(demo.rerun_button).to_be_visible(timeout=WAIT)
    expect(demo.run_status).to_be_visible()
    expect(demo.run_status).to_have_text("Idle")
    page.wait_for_function(
        "() => window.jupyterapp.commands.isEnabled('rerunkernel:rerun-script')",
        timeout=WAIT,
    )
    demo.run_all()
    assert "rerunkernel" in sent.comm_targets()
    cell_lists = [m for m in sent.messages if m["msg_type"] == "comm_msg"
                  and m["content"]["data"].get("type") == "cells"]
    assert cell_lists, "the extension sent no cell list before Run All"


@pytest.mark.browser
def test_the_comm_is_reopened_after_a_kernel_restart(page: Page, lab: JupyterLab) -> None:
    sent = SentMessages(page)
    notebook = open_demo(page, lab)
    assert sent.comm_targets().count("rerunkernel") == 1

    # not awaited: the command's promise settles only once the dialog is answered
    page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:restart'); }")
    page.locator(".jp-Dialog button.jp-mod-accept").click(timeout=WAIT)
    # the new kernel knows nothing; the extension opens its comm again and, after Run All,
    # the app is live on the new kernel
    notebook.wait_kernel_idle()
    notebook.run_all()
    square = notebook.cell_by_id("square")
    expect(notebook.output(square)).to_contain_text("0 squared is 0", timeout=WAIT)
    assert sent.comm_targets().count("rerunkernel") == 2
    notebook.slider(square, "x").press("ArrowRight", times=2)
    expect(notebook.output(square)).to_contain_text("2 squared is 4", timeout=WAIT)
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
