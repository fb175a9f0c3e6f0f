"""A Streamlit v2 component (`st.components.v2.component`) in real JupyterLab and Chromium:
its HTML and CSS are drawn in a shadow root, its JS module runs, and the values it sets
reach the kernel, which reruns the script; a trigger value is seen by one run; new data
reaches the mounted component without drawing it anew; a component whose JS fails shows the
error in its own element and nothing else is lost; dataframes in its data reach its JS as
they do in Streamlit (Arrow bytes, or apache-arrow Tables inside a dict). The widget's
front-end is anywidget's, so the component works in Notebook 7 and Voila too, where our
extension is absent or quiet.
"""

from __future__ import annotations

from lab import RERUN, UI_TIMEOUT, JupyterLab, open_in_voila, run_in_lab, run_in_notebook7
from playwright.sync_api import Locator, Page, expect

WAIT = UI_TIMEOUT * 1000

APP = '''\
import rerunkernel as rk
import streamlit as st

JS = """
export default function({ parentElement, data, key, setStateValue, setTriggerValue }) {
    parentElement.querySelector("#shown").textContent = `${key}: ${data.label}`;
    parentElement.querySelector("#add").onclick = () => setStateValue("count", data.count + 1);
    parentElement.querySelector("#ping").onclick = () => setTriggerValue("ping", "pong");
}
"""
clicker = st.components.v2.component(
    "demo.clicker",
    html='<button id="add">Add</button><button id="ping">Ping</button><span id="shown"></span>',
    css="#add { color: rgb(1, 2, 3); }",
    js=JS,
)
if "calls" not in st.session_state:
    st.session_state.calls = []
# the component's own state, as the page last set it (the keyed widget's value)
count = st.session_state["clicker"]["count"] if "clicker" in st.session_state else 0
result = clicker(
    key="clicker", data={"count": count, "label": f"count is {count}"}, default={"count": 0},
    on_count_change=lambda: st.session_state.calls.append("count"),
    on_ping_change=lambda: st.session_state.calls.append("ping"),
)
rk.write(f"count={result.count} ping={result.ping} calls={','.join(st.session_state.calls)}")

broken = st.components.v2.component(
    "demo.broken", html="<p>broken</p>",
    js="export default function() { throw new Error('boom in the component'); }")
broken()
unloadable = st.components.v2.component("demo.unloadable", js="export default function( {")
unloadable()
rk.write("after the broken components")
plain = st.components.v2.component(
    "demo.plain", html='<b class="plain">in the page</b>', css=".plain { color: rgb(4, 5, 6); }",
    isolate_styles=False)
plain(width="content")
'''


def test_a_component_sends_state_and_triggers_and_takes_new_data(
    page: Page, lab: JupyterLab
) -> None:
    notebook = run_in_lab(page, lab, "component.ipynb", APP)
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


TABLES = '''\
import pandas as pd
import streamlit as st

ROWS = """
export default function({ parentElement, data, setStateValue }) {
    const { people, title } = data;
    const rows = people.toArray().map(row => `${row.name}:${row.age}`).join(",");
    const columns = people.schema.fields.map(field => field.name).join("|");
    parentElement.querySelector("#rows").textContent =
        `${title} ${people.numRows} ${rows} ${columns} ${people.getChild("age").get(0)}`;
    parentElement.querySelector("#more").onclick = () => setStateValue("n", people.numRows + 1);
}
"""
BYTES = """
export default function({ parentElement, data }) {
    const head = Array.from(data.subarray(0, 4)).join(",");
    parentElement.querySelector("#bytes").textContent =
        `${data.constructor.name} ${data.byteLength} ${head}`;
}
"""
n = st.session_state["rows"]["n"] if "rows" in st.session_state else 2
people = pd.DataFrame({"name": ["Ann", "Bob", "Cy", "Di"][:n], "age": [31, 42, 53, 64][:n]})
rows = st.components.v2.component(
    "demo.rows", html='<p id="rows"></p><button id="more">More</button>', js=ROWS)
rows(key="rows", data={"people": people, "title": "People"}, default={"n": 2},
     on_n_change=lambda: None)
whole = st.components.v2.component("demo.bytes", html='<p id="bytes"></p>', js=BYTES)
whole(data=pd.DataFrame({"name": ["Ann", "Bob"], "age": [31, 42]}))
'''


def shows_tables(where: Locator) -> None:
    """The TABLES app's components show what their JS got: a dict's dataframe as an
    apache-arrow Table (its rows, its columns, typed values), new rows after a rerun, and a
    dataframe given as data as its Arrow IPC stream's bytes (a stream opens with 0xFFFFFFFF)."""
    import pandas as pd

    from rerunkernel.elements.component_data import arrow_ipc

    rows = where.locator('.rk-bidi-component[data-component="demo.rows"]')
    expect(rows.locator("#rows")).to_have_text("People 2 Ann:31,Bob:42 name|age 31",
                                               timeout=WAIT * 2)
    rows.locator("#more").click()
    expect(rows.locator("#rows")).to_have_text("People 3 Ann:31,Bob:42,Cy:53 name|age 31",
                                               timeout=WAIT)
    size = len(arrow_ipc(pd.DataFrame({"name": ["Ann", "Bob"], "age": [31, 42]})))
    whole = where.locator('.rk-bidi-component[data-component="demo.bytes"]')
    expect(whole.locator("#bytes")).to_have_text(f"Uint8Array {size} 255,255,255,255",
                                                 timeout=WAIT)


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


def test_dataframes_reach_the_js_in_voila(page: Page, lab: JupyterLab) -> None:
    # Voila's widget manager, not JupyterLab's, finds the model that carries apache-arrow
    shows_tables(open_in_voila(page, lab, "tables.ipynb", TABLES))


def add_and_ping(where: Locator) -> None:
    """The component's two buttons reach the kernel, whose rerun redraws `where`."""
    component = where.locator('.rk-bidi-component[data-component="demo.clicker"]')
    expect(component.locator("#shown")).to_have_text("clicker: count is 0", timeout=WAIT * 2)
    component.locator("#add").click()
    expect(where).to_contain_text("count=1 ping=None calls=count", timeout=WAIT)
    expect(component.locator("#shown")).to_have_text("clicker: count is 1", timeout=WAIT)
    component.locator("#ping").click()
    expect(where).to_contain_text("count=1 ping=pong calls=count,ping", timeout=WAIT)


def test_a_component_works_in_voila(page: Page, lab: JupyterLab) -> None:
    add_and_ping(open_in_voila(page, lab, "component.ipynb", APP))


def test_a_component_works_in_notebook_7(page: Page, notebook7: JupyterLab) -> None:
    add_and_ping(run_in_notebook7(page, notebook7, "component.ipynb", APP))
