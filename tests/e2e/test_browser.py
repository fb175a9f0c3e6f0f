"""The demo notebook in real JupyterLab and Chromium, moved by the keyboard as a user would.

Only a browser shows what the kernel tests cannot: that JupyterLab's output areas apply the
kernel's in-place updates, that the widget manager keeps the slider's view across reruns
(a re-sent view would be a new DOM node and would drop the keyboard focus), and that the
chart is drawn.
"""

from __future__ import annotations

import pytest
from lab import UI_TIMEOUT, JupyterLab, Notebook
from playwright.sync_api import Page, expect

WAIT = UI_TIMEOUT * 1000
PRESSES = 7


@pytest.mark.browser
def test_keyboard_slider_reruns_the_notebook_in_place(page: Page, lab: JupyterLab) -> None:
    notebook = Notebook.open(page, lab, "demo.ipynb", kernel="Rerun Script")
    kernels = {session["path"]: session["kernel"]["name"] for session in lab.sessions()}
    assert kernels == {"demo.ipynb": "rerun"}

    notebook.run_all()
    square = notebook.cell_by_id("square")
    output = notebook.output(square)
    expect(output).to_contain_text("0 squared is 0", timeout=WAIT)

    slider = notebook.slider(square, "x")
    expect(slider.readout).to_have_text("0", timeout=WAIT)
    handle = slider.handle.element_handle(timeout=WAIT)

    slider.press("ArrowRight", times=PRESSES)

    expect(slider.readout).to_have_text(str(PRESSES), timeout=WAIT)
    value = int(slider.readout.inner_text())
    expect(output).to_contain_text(f"{value} squared is {value * value}", timeout=WAIT)
    expect(output).not_to_contain_text("0 squared is 0")
    # updated in place: still one line of text, not a new one under the old one
    expect(output.get_by_text("squared is")).to_have_count(1)
    # the view was never re-sent: the same DOM node, still attached and still focused
    page.wait_for_function(
        "([before, now]) => before.isConnected && before === now",
        arg=[handle, slider.handle.element_handle(timeout=WAIT)],
        timeout=WAIT,
    )
    expect(slider.handle).to_be_focused()
    notebook.wait_kernel_idle()

    notebook.wait_chart_drawn(notebook.cell_by_id("waves"))
