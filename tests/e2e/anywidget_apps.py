"""The apps and the checks of the elements anywidget draws (v2 components, their tables,
ECharts charts), shared by their browser tests in JupyterLab, Voila and Notebook 7."""

from __future__ import annotations

from lab import UI_TIMEOUT
from playwright.sync_api import Locator, Page, expect

WAIT = UI_TIMEOUT * 1000


COMPONENT_APP = '''\
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


ECHARTS_APP = '''\
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


def add_and_ping(where: Locator) -> None:
    """The component's two buttons reach the kernel, whose rerun redraws `where`."""
    component = where.locator('.rk-bidi-component[data-component="demo.clicker"]')
    expect(component.locator("#shown")).to_have_text("clicker: count is 0", timeout=WAIT * 2)
    component.locator("#add").click()
    expect(where).to_contain_text("count=1 ping=None calls=count", timeout=WAIT)
    expect(component.locator("#shown")).to_have_text("clicker: count is 1", timeout=WAIT)
    component.locator("#ping").click()
    expect(where).to_contain_text("count=1 ping=pong calls=count,ping", timeout=WAIT)


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
