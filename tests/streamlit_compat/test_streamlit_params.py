"""Parameters and values real Streamlit apps pass, under Streamlit's AppTest and ours.

Each app is run unchanged (`import streamlit as st`) by both; neither may raise, and what a
reader sees (texts, values, what a call returns) must agree where both can draw it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest as StreamlitAppTest
from test_apps import normal_text

from rerunkernel.testing import AppTest


def both(source: str) -> tuple[AppTest, StreamlitAppTest]:
    source = "import streamlit as st\n" + source
    ours = AppTest.from_string(source).run()
    theirs = StreamlitAppTest.from_string(source, default_timeout=60).run()
    assert not theirs.exception, [e.value for e in theirs.exception]
    assert not ours.exception, ours.exception[0].text
    return ours, theirs


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.data.get("text/plain", "") for e in at.get(kind)]


def markdown_values(theirs: StreamlitAppTest) -> list[str]:
    return [normal_text("markdown", e.value) for e in theirs.markdown]


# --- icons ---------------------------------------------------------------------------------


ICONS_APP = """
st.title("Sales", icon=":material/bar_chart:")
st.info("Saved", icon=":material/check_circle:")
st.warning("Careful", icon="⚠️")
st.error("Not found", icon=":material/dataset:")
st.button("Home", icon=":material/home:")
with st.expander("Details", icon=":material/info:"):
    st.write("inside")
with st.form("f"):
    st.form_submit_button("Send", icon=":material/send:")
st.download_button("Get", "data", icon=":material/download:")
st.link_button("Docs", "https://docs.streamlit.io", icon=":material/open_in_new:")
st.page_link("https://streamlit.io", label="Site", icon="🌐")
with st.popover("Settings", icon=":material/settings:"):
    st.write("options")
with st.chat_message("assistant", avatar=":material/smart_toy:"):
    st.write("hello")
with st.chat_message("user", avatar="🦜"):
    st.write("hi")
st.toast("Done", icon=":material/celebration:")
st.markdown("Go :material/arrow_forward: next")
"""


def test_icons_of_every_kind_draw_as_text():
    ours, theirs = both(ICONS_APP)
    assert texts(ours, "info") == ["Info: ✅ Saved"]
    assert texts(ours, "warning") == ["Warning: ⚠️ Careful"]
    # an icon without a look-alike keeps its name
    assert texts(ours, "error") == ["Error: [dataset] Not found"]
    assert "# 📊 Sales" in ours.get("title")[0].data["text/markdown"]
    assert [b.widget.description for b in ours.button] == ["🏠 Home", "➤ Send"]
    assert ours.get("expander")[0].value.titles == ("ℹ Details",)
    assert "⬇ Get" in ours.get("download_button")[0].data["text/html"]
    assert "↗ Docs" in ours.get("link_button")[0].data["text/html"]
    assert "🌐 Site" in ours.get("link_button")[1].data["text/html"]
    assert ours.get("popover")[0].value.titles == ("⚙ Settings",)
    badges = [m.value.children[0].value for m in ours.get("chat_message")]
    assert "🤖" in badges[0] and "🦜" in badges[1]
    assert "🎉 Done" in texts(ours, "toast")[0]
    assert "Go → next" in ours.markdown[-1].data["text/markdown"]
    # the value an app reads back is what it passed, as in Streamlit
    assert [e.value for e in theirs.markdown] == [e.value for e in ours.markdown] == [
        "inside", "options", "hello", "hi", "Go :material/arrow_forward: next"]
    assert [e.icon for e in theirs.info] == [":material/check_circle:"]


@pytest.mark.parametrize("icon, message", [
    (":smile:", "emoji shortcodes are not icons"),
    (":material/Home:", "is not a Material icon"),
    ("home", "is not an icon"),
])
def test_an_invalid_icon_is_an_error_in_both(icon, message):
    source = f"import streamlit as st\nst.info('x', icon={icon!r})"
    ours = AppTest.from_string(source).run()
    theirs = StreamlitAppTest.from_string(source, default_timeout=60).run()
    assert message in ours.exception[0].text
    assert theirs.exception


# --- headings, code, handles, write -------------------------------------------------------


def test_headings_without_an_anchor_and_with_a_named_one():
    ours, theirs = both("""
st.header("Plain", anchor=False)
st.subheader("Named", anchor="results")
""")
    plain, named = ours.get("header")[0], ours.get("subheader")[0]
    assert 'class="rk-no-anchor"' in plain.data["text/markdown"]
    assert ".rk-no-anchor .jp-InternalAnchorLink{display:none}" in plain.data["text/markdown"]
    assert '<a id="results"></a>Named' in named.data["text/markdown"]
    assert [h.value for h in theirs.header] == [plain.value] == ["Plain"]
    assert [h.value for h in theirs.subheader] == [named.value] == ["Named"]


def test_code_with_line_numbers_and_wrapped_lines():
    ours, theirs = both("""
st.code("a = 1\\nb = 2\\nprint(a + b)", line_numbers=True)
st.code("x = '" + "long " * 40 + "'", wrap_lines=True)
""")
    numbered, wrapped = ours.get("code")
    assert "<pre" in numbered.data["text/markdown"]
    assert ">1\n2\n3</pre>" in numbered.data["text/markdown"]
    assert "```python\na = 1\nb = 2\nprint(a + b)\n```" in numbered.data["text/markdown"]
    assert 'class="rk-code-wrap"' in wrapped.data["text/markdown"]
    assert [c.value for c in theirs.code] == [numbered.value, wrapped.value]


def test_elements_return_a_handle_that_replaces_or_empties_them():
    ours, theirs = both("""
status = st.text("Loading")
status.text("Loaded")
note = st.success("Saved")
note.empty()
title = st.title("Draft")
title.markdown("Final")
""")
    assert [e.value for e in ours.text] == [e.value for e in theirs.text] == ["Loaded"]
    assert not ours.get("success") and not theirs.success
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == ["Final"]
    assert not ours.get("title") and not theirs.title


def test_write_gives_lists_dicts_and_state_their_own_json_element():
    ours, theirs = both("""
from collections import namedtuple
st.session_state.count = 2
Point = namedtuple("Point", "x y")
st.write("Items:", [1, 2, 3], "and", {"a": 1}, "state", st.session_state)
st.write("span", (3, 7), "point", Point(1, 2))
""")
    kinds = [e.kind for e in ours.elements]
    assert kinds == ["markdown", "json", "markdown", "json", "markdown", "json", "markdown",
                     "json"]
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == [
        "Items:", "and", "state", "span (3, 7) point"]
    assert [e.value for e in ours.get("json")][:2] == [[1, 2, 3], {"a": 1}]
    assert ours.get("json")[2].data["application/json"] == {"count": 2}
    assert ours.get("json")[3].data["application/json"] == {"x": 1, "y": 2}
    assert len(theirs.json) == 4


# --- sliders over dates and times ---------------------------------------------------------


SLIDERS_APP = """
import datetime as dt
day = st.slider("Day", dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 6, 1),
                key="day")
span = st.slider("Span", value=(dt.date(2024, 3, 1), dt.date(2024, 3, 10)))
when = st.slider("When", value=dt.datetime(2024, 1, 1, 9, 30), format="MM/DD/YY - hh:mm")
hours = st.slider("Hours", value=(dt.time(11, 30), dt.time(12, 45)), key="hours")
st.write(f"{day!r} {span!r} {when!r} {hours!r}")
"""


def test_sliders_over_dates_times_and_datetimes_keep_their_type():
    ours, theirs = both(SLIDERS_APP)
    expected = ("datetime.date(2024, 6, 1) (datetime.date(2024, 3, 1), datetime.date(2024, 3, "
                "10)) datetime.datetime(2024, 1, 1, 9, 30) (datetime.time(11, 30), "
                "datetime.time(12, 45))")
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == [expected]
    assert [s.value for s in ours.slider] == [s.value for s in theirs.slider]
    # the browser shows each step in the app's format
    when = ours.slider("When").widget
    assert when.options[when.index] == ("01/01/24 - 09:30", when.value)
    span = ours.slider("Span").widget
    assert span.options[0][0] == "2024-02-16"  # Streamlit's 14-day window around the value

    for at in (ours, theirs):
        at.slider(key="day").set_value(dt.date(2024, 7, 4))
        at.slider(key="hours").set_value((dt.time(8, 0), dt.time(17, 15)))
        at.run()
    assert [e.value for e in ours.markdown] == markdown_values(theirs)
    assert ours.markdown[0].value.startswith("datetime.date(2024, 7, 4)")
    assert "(datetime.time(8, 0), datetime.time(17, 15))" in ours.markdown[0].value


def test_a_date_slider_with_too_many_steps_says_how_to_fix_it():
    at = AppTest.from_string("""
        import datetime as dt, streamlit as st
        st.slider("t", dt.datetime(2000, 1, 1), dt.datetime(2024, 1, 1),
                  step=dt.timedelta(minutes=1))
    """).run()
    assert "give a larger step or a narrower range" in at.exception[0].text


# --- widgets' values and placeholders -------------------------------------------------------


def test_date_ranges_placeholders_and_a_number_as_text():
    ours, theirs = both("""
import datetime as dt
empty = st.date_input("Empty", value=[], key="empty")
start = st.date_input("Start only", value=(dt.date(2024, 1, 1),))
both_ends = st.date_input("Trip", value=(dt.date(2024, 1, 1), dt.date(2024, 1, 5)), key="trip")
code = st.text_input("Code", value=1234, placeholder="digits")
st.text_area("Notes", placeholder="anything")
st.number_input("Age", placeholder="years")
st.selectbox("Pet", ["cat", "dog"], index=None, placeholder="pick one")
st.multiselect("Pets", ["cat", "dog"], placeholder="pick some")
st.chat_input(placeholder="Say something")
st.write(f"{empty!r} {start!r} {both_ends!r} {code!r}")
""")
    expected = ("() (datetime.date(2024, 1, 1),) (datetime.date(2024, 1, 1), "
                "datetime.date(2024, 1, 5)) '1234'")
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == [expected]
    assert [d.value for d in ours.date_input] == [d.value for d in theirs.date_input]
    assert ours.text_input("Code").widget.placeholder == "digits"
    assert ours.text_area("Notes").widget.placeholder == "anything"
    assert ours.chat_input[0].widget.placeholder == "Say something"

    for at in (ours, theirs):
        at.date_input(key="trip").set_value((dt.date(2024, 2, 1), dt.date(2024, 2, 3)))
        at.date_input(key="empty").set_value((dt.date(2024, 3, 1),))
        at.run()
    assert [e.value for e in ours.markdown] == markdown_values(theirs)
    assert ours.markdown[0].value.startswith("(datetime.date(2024, 3, 1),)")


def test_a_date_range_picked_in_the_browser_reruns_with_the_new_ends():
    at = AppTest.from_string("""
        import datetime as dt, streamlit as st
        trip = st.date_input("Trip", value=(dt.date(2024, 1, 1), dt.date(2024, 1, 5)))
        st.write(f"{trip!r}")
    """).run()
    start, end = at.date_input("Trip").widget.children
    end.value = dt.date(2024, 1, 9)  # what a front-end's comm message does
    at.run()
    assert at.markdown[0].value == "(datetime.date(2024, 1, 1), datetime.date(2024, 1, 9))"
    start.value = None
    at.run()
    assert at.markdown[0].value == "(datetime.date(2024, 1, 9),)"


# --- data, selections, downloads, HTML, images ----------------------------------------------


def test_selections_are_streamlits_empty_selection_objects():
    ours, theirs = both("""
import pandas as pd, altair as alt, plotly.express as px
df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
rows = st.dataframe(df, on_select="rerun", selection_mode="multi-row")
picked = st.dataframe(df, on_select=lambda: None, selection_mode=["multi-row", "multi-column"])
chart = alt.Chart(df).mark_point().encode(x="a", y="b").add_params(alt.selection_point(name="pt"))
points = st.altair_chart(chart, on_select="rerun")
plotted = st.plotly_chart(px.scatter(df, x="a", y="b"), on_select="rerun")
st.write(repr(rows.selection.rows), repr(dict(picked)), repr(dict(points)), repr(dict(plotted)))
""")
    expected = ("[] {'selection': {'rows': [], 'columns': [], 'cells': []}} {'selection': "
                "{'pt': {}}} {'selection': {'points': [], 'point_indices': [], 'box': [], "
                "'lasso': []}}")
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == [expected]


def test_a_selecting_element_keeps_its_selection_in_session_state_under_its_key():
    ours, theirs = both("""
import pandas as pd, altair as alt
df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
st.dataframe(df, key="table", on_select="rerun")
chart = alt.Chart(df).mark_point().encode(x="a", y="b").add_params(alt.selection_point(name="pt"))
st.altair_chart(chart, key="chart", on_select="rerun")
st.write(repr(st.session_state.table.selection.rows), repr(dict(st.session_state["chart"])))
""")
    expected = "[] {'selection': {'pt': {}}}"
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == [expected]


def test_download_button_accepts_every_on_click():
    ours, theirs = both("""
st.download_button("a", "x", on_click="ignore")
st.download_button("b", "x", on_click="rerun")
st.download_button("c", "x", on_click=lambda: st.session_state.update(clicked=True))
""")
    assert len(ours.get("download_button")) == 3


def test_html_with_a_script_is_drawn_without_it():
    ours, theirs = both("st.html('<p id=\"x\">hi</p><script>alert(1)</script>')")
    (element,) = ours.get("html")
    assert "<script" not in element.data["text/html"]
    assert '<p id="x">hi</p>' in element.data["text/html"]


def test_svg_text_is_an_image_with_its_namespace():
    ours, theirs = both("""
st.image('<svg width="10" height="10"><circle r="4" cx="5" cy="5"/></svg>')
st.image('<?xml version="1.0"?>\\n<svg xmlns="http://www.w3.org/2000/svg" width="4"></svg>')
""")
    first, second = ours.get("image")
    assert first.data["image/svg+xml"].startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
    assert second.data["image/svg+xml"].startswith("<?xml")
    assert len(theirs.get("image")) == 2


def test_a_table_of_a_zero_dimensional_array_is_empty_as_in_streamlit():
    ours, theirs = both("import numpy as np\nst.table(np.array(5))\nst.dataframe(np.array(5))")
    assert [t.value.shape for t in ours.dataframe] == [(0, 0), (0, 0)]
    assert theirs.table[0].value.shape == theirs.dataframe[0].value.shape == (0, 0)


def test_charts_called_without_data_draw_empty_axes():
    ours, theirs = both("""
import pandas as pd
st.line_chart()
st.bar_chart(pd.DataFrame())
st.area_chart(pd.DataFrame({"a": [1, 2]}), x="a")
st.scatter_chart([])
""")
    charts = ours.get("chart")
    assert [c.data["text/plain"] for c in charts] == [
        "line chart: 1 series, 0 points", "bar chart: 1 series, 0 points",
        "area chart: 1 series, 0 points", "scatter chart: 1 series, 0 points"]
    assert all(c.value["data"]["values"] == [] for c in charts)
    assert len(theirs.get("arrow_vega_lite_chart")) + len(theirs.get("vega_lite_chart")) == 4


def test_an_empty_chart_in_a_headless_run_has_its_picture_too():
    from rerunkernel.elements.chart_png import render
    from rerunkernel.elements.charts import build_chart

    for mark in ("line", "bar", "area", "circle"):
        spec, long = build_chart(mark, None)
        assert render(mark, long, spec["height"]).startswith(b"\x89PNG")
