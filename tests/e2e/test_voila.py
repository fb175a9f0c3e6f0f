"""A notebook shared with Voila: the page follows reruns, and the extension stays quiet.

Voila runs through the JupyterLab server of this module (its server extension serves
`voila/render/<notebook>`, the page `voila notebook.ipynb` serves), in headless Chromium.
The kernel draws each cell into Output widgets when Voila started it (rerunkernel/kernel/voila.py).
"""

from __future__ import annotations

import os

import pytest
from frontend import KernelDriver
from lab import UI_TIMEOUT, JupyterLab, Slider
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser
WAIT = UI_TIMEOUT * 1000


def test_the_demo_in_voila_updates_when_the_slider_moves(page: Page, lab: JupyterLab) -> None:
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(message.text)

    page.on("console", keep)
    page.goto(lab.url("voila/render/demo.ipynb"), timeout=WAIT * 2)
    body = page.locator("body")
    expect(body).to_contain_text("0 squared is 0", timeout=WAIT * 2)
    # the chart and the table of the second code cell are drawn too
    expect(page.locator(".vega-embed")).to_have_count(1, timeout=WAIT)
    expect(page.locator("table.dataframe")).to_have_count(1, timeout=WAIT)

    view = page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text="x"))
    slider = Slider(view.first)
    slider.press("ArrowRight", times=3)
    expect(slider.readout).to_have_text("3", timeout=WAIT)
    expect(body).to_contain_text("3 squared is 9", timeout=WAIT)
    expect(body).not_to_contain_text("0 squared is 0")
    failed = [m for m in messages if "rerunkernel" in m and "failed to activate" in m]
    assert failed == []


def test_a_voila_kernel_draws_cells_into_output_widgets_and_reruns_update_them() -> None:
    env = dict(os.environ, SERVER_SOFTWARE="voila/test")
    driver = KernelDriver("rerun", env=env)
    try:
        reply = driver.execute("import rerunkernel as rk\nx = rk.slider('x')\n"
                               "rk.write(x, 'squared is', x * x)\nprint('printed', x)",
                               cell=None)
        assert reply["status"] == "ok"
        shown = [o.data for o in driver.page.visible(next(iter(driver.page.outputs)))]
        assert len(shown) == 1 and "application/vnd.jupyter.widget-view+json" in shown[0]
        box = driver.page.widgets[shown[0]["application/vnd.jupyter.widget-view+json"]
                                  ["model_id"]]
        slots = [driver.page.widgets[ref.removeprefix("IPY_MODEL_")]
                 for ref in box.state["children"]]

        def texts() -> list[str]:
            return [o["data"]["text/plain"] for s in slots for o in s.state["outputs"]]

        # the page is live: the widget's text fallback carries no value that would go stale
        assert texts() == ["slider 'x'", "0 squared is 0", "printed 0\n"]
        driver.set_widget(driver.page.find_widget(description="x").comm_id, value=7)
        driver.pump(lambda: texts()[1:] == ["7 squared is 49", "printed 7\n"],
                    what=f"the slots to follow the slider (now {texts()})")
        reply = driver.execute("1 / 0", cell=None)
        assert reply["status"] == "error"
        shown = [str(w.state.get("outputs")) for w in driver.page.open_widgets()
                 if w.state.get("_model_name") == "OutputModel"]
        assert any("ZeroDivisionError" in text for text in shown)
    finally:
        driver.shutdown()


