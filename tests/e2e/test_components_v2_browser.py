"""A Streamlit v2 component (`st.components.v2.component`) in real JupyterLab and Chromium:
its HTML and CSS are drawn in a shadow root, its JS module runs, and the values it sets
reach the kernel, which reruns the script; a trigger value is seen by one run; new data
reaches the mounted component without drawing it anew; a component whose JS fails shows the
error in its own element and nothing else is lost; dataframes in its data reach its JS as
they do in Streamlit (Arrow bytes, or apache-arrow Tables inside a dict). The widget's
front-end is anywidget's, so the component works in Notebook 7 and Voila too, where our
extension is absent or quiet (the Notebook 7 test is in test_notebook7.py, beside the
module's Notebook 7 server).
"""

from __future__ import annotations

from anywidget_apps import (
    COMPONENT_APP,
    ECHARTS_APP,
    TABLES,
    WAIT,
    add_and_ping,
    drawn_and_selecting,
    shows_tables,
)
from lab import RERUN, JupyterLab, open_in_voila, run_in_lab
from playwright.sync_api import Page, expect


def test_a_component_sends_state_and_triggers_and_takes_new_data(
    page: Page, lab: JupyterLab
) -> None:
    notebook = run_in_lab(page, lab, "component.ipynb", COMPONENT_APP)
    outputs = notebook.output(0)
    component = outputs.locator('.rk-bidi-component[data-component="demo.clicker"]')
    # drawn in a shadow root (the locators look inside it), with its own CSS
    expect(component.locator("#shown")).to_have_text("clicker: count is 0", timeout=WAIT)
    assert page.evaluate("host => host.shadowRoot !== null", component.element_handle())
    expect(component.locator("#add")).to_have_css("color", "rgb(1, 2, 3)")
    expect(outputs).to_contain_text("count=0 ping=None calls=", timeout=WAIT)

    # a state value reruns the script after its callback; the new data reaches the same
    # elements (the button keeps a mark put on it before the click)
    page.evaluate("button => { button.dataset.mark = 'kept'; }",
                  component.locator("#add").element_handle())
    component.locator("#add").click()
    expect(outputs).to_contain_text("count=1 ping=None calls=count", timeout=WAIT)
    expect(component.locator("#shown")).to_have_text("clicker: count is 1", timeout=WAIT)
    expect(component.locator("#add")).to_have_attribute("data-mark", "kept")

    # a trigger value is seen by the run it starts, and by no other
    component.locator("#ping").click()
    expect(outputs).to_contain_text("count=1 ping=pong calls=count,ping", timeout=WAIT)
    component.locator("#add").click()
    expect(outputs).to_contain_text("count=2 ping=None calls=count,ping,count", timeout=WAIT)

    # a component whose JS raises or doesn't load says so in its own element; the rest of
    # the cell is drawn
    broken = outputs.locator('.rk-bidi-component[data-component="demo.broken"]')
    expect(broken.locator(".rk-bidi-error")).to_contain_text("boom in the component",
                                                             timeout=WAIT)
    expect(broken).to_contain_text("broken")
    unloadable = outputs.locator('.rk-bidi-component[data-component="demo.unloadable"]')
    expect(unloadable.locator(".rk-bidi-error")).to_contain_text("failed to load",
                                                                 timeout=WAIT)
    expect(outputs).to_contain_text("after the broken components")

    # isolate_styles=False: no shadow root, the CSS is the page's; width="content" fits it
    plain = outputs.locator('.rk-bidi-component[data-component="demo.plain"]')
    expect(plain.locator("b.plain")).to_have_css("color", "rgb(4, 5, 6)", timeout=WAIT)
    assert page.evaluate("host => host.shadowRoot === null", plain.element_handle())
    assert plain.bounding_box()["width"] < outputs.bounding_box()["width"] / 2


def test_dataframes_reach_the_js_as_streamlit_hands_them_over(
    page: Page, lab: JupyterLab
) -> None:
    notebook = run_in_lab(page, lab, "tables.ipynb", TABLES)
    shows_tables(notebook.output(0))

    # a reloaded page draws the saved output again from the kernel's models, the one that
    # carries apache-arrow among them
    notebook.select(0)
    page.keyboard.press("ControlOrMeta+s")
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.context?.model?.dirty === false",
        timeout=WAIT)
    notebook.reload(kernel=RERUN)
    rows = notebook.output(0).locator('.rk-bidi-component[data-component="demo.rows"]')
    expect(rows.locator("#rows")).to_have_text("People 3 Ann:31,Bob:42,Cy:53 name|age 31",
                                               timeout=WAIT)


def test_components_tables_and_charts_work_in_voila(page: Page, lab: JupyterLab) -> None:
    """Voila's widget manager, not JupyterLab's, draws them: a component's state and
    trigger reach the kernel, a dict's dataframes reach its JS as tables (the model that
    carries apache-arrow found), and ECharts draws and selects."""
    body = open_in_voila(page, lab, "anywidgets.ipynb", COMPONENT_APP, TABLES, ECHARTS_APP)
    add_and_ping(body)
    shows_tables(body)
    drawn_and_selecting(page, body)
