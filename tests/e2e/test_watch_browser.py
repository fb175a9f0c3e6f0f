"""`%rerun_watch` apps in real JupyterLab and Chromium, through the extension's paths.

The kernel-level tests send each execute_request themselves; here JupyterLab does: Shift+Enter
walking down the cells, the Rerun script button, Run All and the replay after a page reload
each give the app's cell a new output area, and the app must follow it there, show its
current outputs, and keep redrawing there when its file is saved.
"""

from __future__ import annotations

import json
import re

import pytest
from lab import UI_TIMEOUT, JupyterLab, Notebook, Slider
from playwright.sync_api import Locator, Page, expect

WAIT = UI_TIMEOUT * 1000
RERUN = "Rerun Script"
APP = "import rerunkernel as rk\nx = rk.slider('x')\nrk.write('{label} says', x)\n"


def code(cell_id: str, source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {},
            "outputs": [], "source": source}


NOTEBOOK = {
    "cells": [
        code("imports", "import rerunkernel as rk"),
        code("watch", "%rerun_watch app.py"),
        code("below", "rk.write('below the app')"),
    ],
    "metadata": {
        "kernelspec": {"display_name": RERUN, "language": "python", "name": "rerun"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


class WatchNotebook:
    """The three-cell notebook linking app.py, open in the page."""

    def __init__(self, page: Page, lab: JupyterLab) -> None:
        self.lab = lab
        (lab.root / "app.py").write_text(APP.format(label="first"))
        (lab.root / "watch.ipynb").write_text(json.dumps(NOTEBOOK))
        self.notebook = Notebook.open(page, lab, "watch.ipynb", kernel=RERUN)

    @property
    def app(self) -> Locator:
        return self.notebook.output(self.notebook.cell_by_id("watch"))

    @property
    def slider(self) -> Slider:
        return self.notebook.slider(self.notebook.cell_by_id("watch"), "x")

    def expect_app(self, label: str, value: int = 0) -> None:
        """The app's cell shows the app once, with this label and slider value, and no more."""
        expect(self.app).to_contain_text(f"{label} says {value}", timeout=WAIT)
        expect(self.app.get_by_text(" says ")).to_have_count(1)
        expect(self.app.locator(".widget-slider")).to_have_count(1)
        expect(self.app).not_to_contain_text("Not run")
        expect(self.app).not_to_contain_text("Traceback")

    def save(self, label: str) -> None:
        (self.lab.root / "app.py").write_text(APP.format(label=label))

    def save_and_expect(self, label: str, value: int = 0) -> None:
        self.save(label)
        self.expect_app(label, value)


@pytest.fixture
def watched(page: Page, lab: JupyterLab) -> WatchNotebook:
    return WatchNotebook(page, lab)


def shift_enter_through(watched: WatchNotebook) -> None:
    notebook = watched.notebook
    notebook.select(0)
    for _ in range(3):
        notebook.page.keyboard.press("Shift+Enter")
    notebook.wait_all_ran()


@pytest.mark.browser
def test_shift_enter_through_the_cells_draws_the_app_and_saves_redraw_it(
    watched: WatchNotebook,
) -> None:
    shift_enter_through(watched)
    watched.expect_app("first")
    expect(watched.notebook.output(2)).to_have_text("below the app")
    watched.save_and_expect("saved")

    # walking down once more re-shows every cell in its new output area: the app too
    shift_enter_through(watched)
    watched.expect_app("saved")
    watched.save_and_expect("saved again")


@pytest.mark.browser
def test_rerun_script_keeps_the_app_and_saves_redraw_it(watched: WatchNotebook) -> None:
    notebook = watched.notebook
    notebook.run_all()
    watched.expect_app("first")
    watched.slider.press("ArrowRight", times=2)
    watched.expect_app("first", 2)

    notebook.rerun_button.click()
    notebook.wait_all_ran()
    watched.expect_app("first", 2)
    watched.save_and_expect("saved", 2)
    notebook.rerun_button.click()
    notebook.wait_all_ran()
    watched.expect_app("saved", 2)
    watched.save_and_expect("saved again", 2)


@pytest.mark.browser
def test_run_all_keeps_the_app_and_saves_redraw_it(watched: WatchNotebook) -> None:
    notebook = watched.notebook
    notebook.run_all()
    watched.expect_app("first")
    watched.save_and_expect("saved")
    notebook.run_all()
    watched.expect_app("saved")
    watched.save_and_expect("saved again")
    # the app's slider still reruns the app where it now is
    watched.slider.press("ArrowRight")
    watched.expect_app("saved again", 1)


@pytest.mark.browser
def test_a_reloaded_page_gets_the_app_back_and_saves_redraw_it(watched: WatchNotebook) -> None:
    notebook = watched.notebook
    notebook.run_all()
    watched.slider.press("ArrowRight", times=3)
    watched.expect_app("first", 3)
    notebook.wait_kernel_idle()

    notebook.reload(kernel=RERUN)
    watched.expect_app("first", 3)
    notebook.wait_kernel_idle()
    watched.save_and_expect("saved", 3)


@pytest.mark.browser
def test_a_notebook_error_above_leaves_the_app_alone(watched: WatchNotebook) -> None:
    notebook = watched.notebook
    notebook.run_all()
    watched.expect_app("first")

    notebook.edit(0, "import rerunkernel as rk\nrk.write(undefined_name)")
    notebook.page.keyboard.press("Escape")
    notebook.rerun_button.click()
    notebook.wait_all_ran()
    expect(notebook.run_status).to_have_attribute("data-state", "error", timeout=WAIT)
    expect(notebook.output(0)).to_contain_text("NameError", timeout=WAIT)
    expect(notebook.output(2)).to_contain_text("Not run", timeout=WAIT)
    # the app is its own script, and still live: the notebook's notice stays out of its cell
    watched.expect_app("first")
    watched.save_and_expect("saved")


@pytest.mark.browser
def test_app_errors_show_in_the_run_status_and_lead_to_the_app(watched: WatchNotebook) -> None:
    notebook = watched.notebook
    notebook.run_all()
    watched.expect_app("first")
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)

    (watched.lab.root / "app.py").write_text("import rerunkernel as rk\nrk.write(1 / 0)\n")
    status = notebook.run_status
    expect(status).to_have_attribute("data-state", "error", timeout=WAIT)
    expect(status).to_have_attribute("title", re.compile("app.py.*ZeroDivisionError"))
    expect(watched.app).to_contain_text("ZeroDivisionError", timeout=WAIT)

    notebook.select(2)
    status.click()
    notebook.wait_active_cell(notebook.cell_index("watch"))

    watched.save_and_expect("fixed")
    expect(status).to_have_attribute("data-state", "idle", timeout=WAIT)
