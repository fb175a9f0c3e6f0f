"""`echarts_chart` in real JupyterLab and Chromium: ECharts, carried to the page by the
kernel (no network), draws the series on a canvas in Streamlit's colours or as SVG, and a
click on a bar of a selecting chart reaches the kernel as the chart's selection, which
reruns the script. The chart's front-end is anywidget's, so it works in Voila and
Notebook 7 as well.
"""

from __future__ import annotations

from lab import UI_TIMEOUT, JupyterLab, open_in_voila, run_in_lab, run_in_notebook7
from playwright.sync_api import Locator, Page, expect

WAIT = UI_TIMEOUT * 1000

APP = '''\
import pandas as pd
import rerunkernel as rk
import streamlit as st

df = pd.DataFrame({"day": ["Mon", "Tue", "Wed"], "sales": [120, 200, 150]})
event = st.echarts_chart(
    {"animation": False, "dataset": {"source": df}, "xAxis": {"type": "category"},
     "yAxis": {}, "series": [{"type": "bar", "selectedMode": "multiple"}]},
    key="sales", on_select="rerun", height=300)
picked = [i for group in event.selection.selected for i in group["data_indices"]]
rk.write(f"picked={picked}")
st.echarts_chart(
    {"animation": False, "xAxis": {"type": "category", "data": ["A", "B", "C"]},
     "yAxis": {}, "series": [{"type": "line", "data": [3, 1, 2]}]},
    renderer="svg", width=400, alt="A line of three points")
'''

# the canvas pixel of the tallest bar's top in Streamlit's first colour (#0068c9), in CSS
# pixels from the canvas's corner; null until the bars are drawn
TALLEST_BAR = """canvas => {
    const ctx = canvas.getContext("2d");
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            if (Math.abs(data[i] - 0x00) < 8 && Math.abs(data[i + 1] - 0x68) < 8
                && Math.abs(data[i + 2] - 0xc9) < 8 && data[i + 3] > 200) {
                const scale = canvas.width / canvas.clientWidth;
                return { x: x / scale, y: y / scale };
            }
        }
    }
    return null;
}"""


def test_a_chart_draws_its_series_and_a_click_selects_a_bar(page: Page, lab: JupyterLab):
    notebook = run_in_lab(page, lab, "echarts.ipynb", APP)
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


def drawn_and_selecting(page: Page, where: Locator) -> None:
    """Both charts drawn by ECharts in `where`, and a click on a bar reruns with it."""
    charts = where.locator(".rk-echarts")
    expect(charts).to_have_count(2, timeout=WAIT * 2)
    expect(charts.nth(1).locator("svg path").first).to_be_attached(timeout=WAIT)
    canvas = charts.nth(0).locator("canvas").first
    top = page.wait_for_function(TALLEST_BAR, arg=canvas.element_handle(),
                                 timeout=WAIT).json_value()
    expect(where).to_contain_text("picked=[]", timeout=WAIT)
    canvas.click(position={"x": top["x"], "y": top["y"] + 20})
    expect(where).to_contain_text("picked=[1]", timeout=WAIT)


def test_a_chart_works_in_voila(page: Page, lab: JupyterLab) -> None:
    drawn_and_selecting(page, open_in_voila(page, lab, "echarts.ipynb", APP))


def test_a_chart_works_in_notebook_7(page: Page, notebook7: JupyterLab) -> None:
    drawn_and_selecting(page, run_in_notebook7(page, notebook7, "echarts.ipynb", APP))
