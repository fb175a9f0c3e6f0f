"""What the page says about its outputs, in real JupyterLab and Chromium.

A restarted kernel, a code cell edited and not run, a save that reruns, and the rerun mode
switch with its marks on reused cells: in each the kernel alone can't tell the user what the
outputs on screen mean, so the extension must, and only a real page shows it does.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
from lab import UI_TIMEOUT, JupyterLab, Notebook, SentMessages
from playwright.sync_api import Page, expect

WAIT = UI_TIMEOUT * 1000
RERUN = "Rerun Script"
CUBED = "x = rk.slider('x')\nrk.write(x, 'cubed is', x ** 3)"


def open_demo(page: Page, lab: JupyterLab) -> Notebook:
    """The demo notebook after Run All: every cell has run once and the status is idle."""
    notebook = Notebook.open(page, lab, "demo.ipynb", kernel=RERUN)
    notebook.run_all()
    expect(notebook.output(notebook.cell_by_id("square"))).to_contain_text(
        "0 squared is 0", timeout=WAIT
    )
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
    return notebook


def restart_kernel(page: Page, notebook: Notebook) -> None:
    # not awaited: the command's promise settles only once the dialog is answered
    page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:restart'); }")
    page.locator(".jp-Dialog button.jp-mod-accept").click(timeout=WAIT)
    notebook.wait_kernel_idle()


def wait_saved(notebook: Notebook) -> None:
    """Wait until the document has no unsaved changes."""
    notebook.page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.context?.model?.dirty === false",
        timeout=WAIT,
    )


def saved_text(lab: JupyterLab, path: str, cell_id: str, timeout: float = UI_TIMEOUT) -> str:
    """The text of a cell's outputs in the file on disk, once the file holds that cell."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            cells = json.loads((lab.root / path).read_text())["cells"]
            cell = next(c for c in cells if c.get("id") == cell_id)
            break
        except (ValueError, StopIteration):  # being written
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        text = data.get("text/markdown") or data.get("text/plain") or output.get("text", "")
        parts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(parts)


@pytest.mark.browser
def test_a_restarted_kernel_says_so_and_rerun_brings_the_app_back_as_shown(
    page: Page, lab: JupyterLab
) -> None:
    notebook = open_demo(page, lab)
    square = notebook.cell_by_id("square")
    notebook.slider(square, "x").press("ArrowRight", times=3)
    expect(notebook.output(square)).to_contain_text("3 squared is 9", timeout=WAIT)
    notebook.wait_kernel_idle()
    restart_kernel(page, notebook)

    # the outputs are the old kernel's and the sliders are dead: the status says so
    status = notebook.run_status
    expect(status).to_have_attribute("data-state", "stale", timeout=WAIT)
    expect(status).to_have_text("Kernel restarted — Rerun")
    expect(status).to_have_attribute("title", re.compile("kernel restarted", re.IGNORECASE))

    # the new kernel starts from the values the page shows, and the app is live again
    notebook.rerun_button.click()
    notebook.wait_all_ran()
    square = notebook.cell_by_id("square")
    expect(notebook.output(square)).to_contain_text("3 squared is 9", timeout=WAIT)
    slider = notebook.slider(square, "x")
    expect(slider.readout).to_have_text("3", timeout=WAIT)
    expect(status).to_have_attribute("data-state", "idle", timeout=WAIT)
    slider.press("ArrowRight", times=2)
    expect(notebook.output(square)).to_contain_text("5 squared is 25", timeout=WAIT)
    expect(status).to_have_text("Idle")


@pytest.mark.browser
def test_an_edit_not_run_makes_the_status_stale_until_it_runs(
    page: Page, lab: JupyterLab
) -> None:
    notebook = open_demo(page, lab)
    square = notebook.cell_index("square")
    notebook.edit(square, CUBED)
    status = notebook.run_status
    expect(status).to_have_attribute("data-state", "stale", timeout=WAIT)
    expect(status).to_have_text("Edited, not run")
    expect(status).to_have_attribute("title", re.compile("widget changes rerun the code as it"))

    # a widget rerun runs the code as it last ran, and the status stays stale after it
    notebook.record_run_status()
    notebook.slider(square, "x").press("ArrowRight")
    output = notebook.output(square)
    expect(output).to_contain_text("1 squared is 1", timeout=WAIT)
    notebook.wait_kernel_idle()
    page.wait_for_function(
        "() => { const seen = window.rerunStatusSeen;"
        " return seen.some(e => e.startsWith('running')) &&"
        " seen[seen.length - 1] === 'stale: Edited, not run'; }",
        timeout=WAIT,
    )

    # running the edited cell runs the edits, and the status is idle again
    page.keyboard.press("Shift+Enter")
    notebook.wait_all_ran()
    expect(output).to_contain_text("1 cubed is 1", timeout=WAIT)
    expect(status).to_have_attribute("data-state", "idle", timeout=WAIT)
    expect(status).to_have_text("Idle")


@pytest.mark.browser
def test_a_save_that_reruns_saves_the_new_outputs(page: Page, lab: JupyterLab) -> None:
    notebook = open_demo(page, lab)
    square = notebook.cell_index("square")
    notebook.edit(square, CUBED)
    page.keyboard.press("ControlOrMeta+s")

    expect(notebook.output(square)).to_contain_text("0 cubed is 0", timeout=WAIT)
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
    # the rerun's outputs are saved too: nothing is left unsaved, and the file on disk
    # holds the outputs of the code it holds
    wait_saved(notebook)
    assert "0 cubed is 0" in saved_text(lab, "demo.ipynb", "square")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0)


class SentExecutions(SentMessages):
    """The metadata of each execute_request the page sends."""

    def __init__(self, page: Page) -> None:
        self.metadata: list[dict] = []
        super().__init__(page)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            message = json.loads(payload)
            header, metadata = message["header"], message.get("metadata", {})
        else:
            _channel, parts = deserialize_msg_from_ws_v1(payload)
            header, metadata = json.loads(parts[0]), json.loads(parts[2])
        if header["msg_type"] == "execute_request":
            self.metadata.append(metadata)


def code(cell_id: str, source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {},
            "outputs": [], "source": source}


def notebook_json(cells: list[dict], mode: str | None = None) -> str:
    metadata: dict = {
        "kernelspec": {"display_name": RERUN, "language": "python", "name": "rerun"},
        "language_info": {"name": "python"},
    }
    if mode is not None:
        metadata["rerunkernel"] = {"mode": mode}
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4,
                       "nbformat_minor": 5})


REUSE_CELLS = [
    code("imports", "import random\nimport rerunkernel as rk"),
    # would draw another number if it ran again
    code("draw", "drawn = random.random()\nrk.write('drawn', drawn)"),
    code("always", "%%rerun_always\nrk.write('runs every time')"),
    code("slider", "x = rk.slider('x')\nrk.write('x is', x)"),
]


@pytest.mark.browser
def test_a_reused_cell_keeps_its_outputs_while_the_last_cell_updates(
    page: Page, lab: JupyterLab
) -> None:
    (lab.root / "reuse.ipynb").write_text(notebook_json(REUSE_CELLS, mode="changed"))
    notebook = Notebook.open(page, lab, "reuse.ipynb", kernel=RERUN)
    expect(notebook.toolbar_item("rerun-mode").locator("select")).to_have_value("changed")
    notebook.run_all()
    slider_cell = notebook.cell_by_id("slider")
    expect(notebook.output(slider_cell)).to_contain_text("x is 0", timeout=WAIT)
    draw = notebook.cell_by_id("draw")
    drawn = notebook.output_text(draw)
    assert drawn.startswith("drawn 0."), drawn

    notebook.slider(slider_cell, "x").press("ArrowRight", times=2)
    expect(notebook.output(slider_cell)).to_contain_text("x is 2", timeout=WAIT)
    notebook.wait_kernel_idle()
    status = notebook.run_status
    expect(status).to_have_text(re.compile(r"^2 cells ran, 2 reused, \d+ ms$"), timeout=WAIT)
    assert notebook.output_text(draw) == drawn

    # the reused cells say so; the cell that can't be reused says why
    expect(draw).to_have_class(re.compile(r"\bjp-mod-rerunReused\b"))
    expect(draw.locator(".jp-RerunMark")).to_have_text("reused")
    expect(notebook.cell_by_id("slider")).not_to_have_class(re.compile("jp-mod-rerunReused"))
    always = notebook.cell_by_id("always").locator(".jp-RerunMark")
    expect(always).to_have_text("not reusable")
    expect(always).to_have_attribute("title", re.compile("is marked %%rerun_always"))


@pytest.mark.browser
def test_the_mode_switch_is_sent_saved_and_kept_across_a_reload(
    page: Page, lab: JupyterLab
) -> None:
    (lab.root / "modes.ipynb").write_text(notebook_json(REUSE_CELLS))
    sent = SentExecutions(page)
    notebook = Notebook.open(page, lab, "modes.ipynb", kernel=RERUN)
    switch = notebook.toolbar_item("rerun-mode").locator("select")
    expect(switch).to_have_value("all", timeout=WAIT)
    switch.select_option("changed")
    notebook.run_all()
    expect(notebook.output(notebook.cell_by_id("slider"))).to_contain_text("x is 0",
                                                                           timeout=WAIT)
    assert len(sent.metadata) == len(REUSE_CELLS), sent.metadata
    assert all(m.get("rerunkernel", {}).get("mode") == "changed"
               for m in sent.metadata), sent.metadata

    notebook.select(0)
    page.keyboard.press("ControlOrMeta+s")
    wait_saved(notebook)
    saved = json.loads((lab.root / "modes.ipynb").read_text())
    assert saved["metadata"]["rerunkernel"] == {"mode": "changed"}

    notebook.reload(kernel=RERUN)
    switch = notebook.toolbar_item("rerun-mode").locator("select")
    expect(switch).to_have_value("changed", timeout=WAIT)
    switch.select_option("all")
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.context.model"
        ".getMetadata('rerunkernel').mode === 'all'",
        timeout=WAIT,
    )
