"""`echarts_chart` in real JupyterLab and Chromium: ECharts, carried to the page by the
kernel (no network), draws the series on a canvas in Streamlit's colours or as SVG, and a
click on a bar of a selecting chart reaches the kernel as the chart's selection, which
reruns the script. The chart's front-end is anywidget's, so it works in Voila and
Notebook 7 as well (tested with the other anywidget elements: test_components_v2_browser.py,
test_notebook7.py).
"""

from __future__ import annotations

from anywidget_apps import ECHARTS_APP, TALLEST_BAR, WAIT
from lab import JupyterLab, run_in_lab
from playwright.sync_api import Page, expect


def test_a_chart_draws_its_series_and_a_click_selects_a_bar(page: Page, lab: JupyterLab):
    notebook = run_in_lab(page, lab, "echarts.ipynb", ECHARTS_APP)
    outputs = notebook.output(0)
    expect(outputs).to_contain_text("picked=[]", timeout=WAIT)

    charts = outputs.locator(".rk-echarts")
    expect(charts).to_have_count(2, timeout=WAIT)
    bars, line = charts.nth(0), charts.nth(1)
    # ECharts took the element (it marks it) and drew on a canvas of the box's size
    expect(bars.locator("canvas").first).to_be_visible(timeout=WAIT)
    assert bars.get_attribute("_echarts_instance_")
    box = bars.bounding_box()
    assert box["height"] == 300 and box["width"] > 400
    canvas = bars.locator("canvas").first
    top = page.wait_for_function(TALLEST_BAR, arg=canvas.element_handle(),
                                 timeout=WAIT).json_value()

    # the SVG renderer draws the line as a path, at the width asked for
    expect(line.locator("svg path").first).to_be_attached(timeout=WAIT)
    assert line.get_attribute("_echarts_instance_")
    assert line.bounding_box()["width"] == 400
    assert line.locator("svg path").count() > 2  # the axes and the line

    # a click on the tallest bar (Tue, row 1) selects it: the kernel reruns with it
    canvas.click(position={"x": top["x"], "y": top["y"] + 20})
    expect(outputs).to_contain_text("picked=[1]", timeout=WAIT)
    # the rerun keeps the same chart (its element), with the bar still selected
    assert bars.get_attribute("_echarts_instance_")
    # a double click clears the selection
    canvas.dblclick(position={"x": 5, "y": 5})
    expect(outputs).to_contain_text("picked=[]", timeout=WAIT)
