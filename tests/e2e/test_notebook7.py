"""Notebook 7 loads the extension (its toolbar button and run status show), the seed
example reruns in place when its slider moves, and the elements anywidget draws (a v2
component, ECharts) work, in headless Chromium.

One Notebook 7 server for the module: the JupyterLab harness (lab.py) running `notebook`.
"""

from __future__ import annotations

import pytest
from anywidget_apps import COMPONENT_APP, ECHARTS_APP, add_and_ping, drawn_and_selecting
from lab import UI_TIMEOUT, JupyterLab, Slider, run_in_notebook7
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser
WAIT = UI_TIMEOUT * 1000


@pytest.fixture(scope="module")
def lab(notebook7: JupyterLab) -> JupyterLab:
    """The page's server is Notebook 7's, reset after each test as the worker's JupyterLab
    would be."""
    return notebook7


def test_the_extension_and_the_seed_example_work_in_notebook_7(page: Page,
                                                                 lab: JupyterLab) -> None:
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(message.text)

    page.on("console", keep)
    page.goto(lab.url("notebooks/demo.ipynb"), timeout=WAIT * 2)
    panel = page.locator(".jp-NotebookPanel")
    toolbar = panel.locator(".jp-NotebookPanel-toolbar")
    rerun = toolbar.locator("[data-jp-item-name='rerun-script'] button")
    status = toolbar.locator("[data-jp-item-name='rerun-status']")
    expect(rerun).to_be_visible(timeout=WAIT * 2)
    expect(status).to_be_visible()
    expect(rerun).to_be_enabled(timeout=WAIT * 2)  # the kernel is up and is a Rerun Script one

    rerun.click()
    expect(panel).to_contain_text("0 squared is 0", timeout=WAIT * 2)
    view = panel.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text="x"))
    slider = Slider(view.first)
    # a click on the track moves the handle there, as a mouse user does
    track = view.first.locator(".noUi-target")
    box = track.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
    expect(slider.readout).not_to_have_text("0", timeout=WAIT)
    value = int(slider.readout.inner_text())
    expect(panel).to_contain_text(f"{value} squared is {value * value}", timeout=WAIT)
    expect(panel).not_to_contain_text("0 squared is 0")
    expect(status).to_have_attribute("data-state", "idle", timeout=WAIT)
    failed = [m for m in messages if "rerunkernel" in m and "failed to activate" in m]
    assert failed == []


def test_components_and_charts_work_in_notebook_7(page: Page, lab: JupyterLab) -> None:
    panel = run_in_notebook7(page, lab, "anywidgets.ipynb", COMPONENT_APP, ECHARTS_APP)
    add_and_ping(panel)
    drawn_and_selecting(page, panel)
