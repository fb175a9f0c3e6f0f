"""`st.echarts_chart` in-process, under Streamlit's AppTest and ours: the option the page gets
(dict, JSON text, a pyecharts-like chart, a dataframe as `dataset.source`), the options both
refuse, and the selection a selecting chart returns, before and after the page sends one
(the widget's comm message, handled as ipywidgets handles one from the front-end). The
page itself is tested in tests/e2e/test_echarts_browser.py.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from side_by_side import STREAMLIT_TIMEOUT, both
from streamlit.testing.v1 import AppTest as StreamlitAppTest

import rerunkernel as rk
from rerunkernel.elements import echarts
from rerunkernel.testing import AppTest

BARS = {"xAxis": {"type": "category", "data": ["A", "B", "C"]}, "yAxis": {"type": "value"},
        "series": [{"type": "bar", "data": [5, 20, 36]}]}


def from_page(widget, **state) -> None:
    """What the chart's front-end sends when the user selects: an update of `value`."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state,
                                             "buffer_paths": []}}, "buffers": []})


def their_specs(at: StreamlitAppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("echarts_chart")]


def our_options(at: AppTest) -> list[dict]:
    return [json.loads(e.value.option) for e in at.get("echarts_chart")]


def test_a_dict_a_json_text_and_a_pyecharts_chart_draw_the_same_option_under_both():
    theirs, ours = both(f'''
        import json
        import streamlit as st

        BARS = {BARS!r}

        class Chart:  # what pyecharts gives: its options as JSON, and its own size
            width, height = "640px", "500px"

            def dump_options(self):
                return json.dumps(BARS)

        st.echarts_chart(BARS)
        st.echarts_chart(json.dumps(BARS), theme=None, renderer="svg", key="text")
        st.echarts_chart(Chart(), width="content", alt="Three bars")
    ''')
    assert their_specs(theirs) == [BARS, BARS, BARS]
    ours_drawn = our_options(ours)
    for option in ours_drawn:
        # Streamlit's page adds these itself: a screen-reader description, and no pointer
        # over a chart that selects nothing
        assert option["series"][0].pop("cursor") == "default"
        aria = option.pop("aria")
        assert aria["enabled"] is True
    assert ours_drawn == [BARS, BARS, BARS]
    assert json.loads(ours.get("echarts_chart")[2].value.option)["aria"]["label"] == {
        "description": "Three bars"}
    first, text, chart = (e.value for e in ours.get("echarts_chart"))
    assert (first.theme, first.renderer, first.width, first.height) == (
        "streamlit", "canvas", "stretch", 350)
    assert (text.theme, text.renderer) == ("", "svg")
    assert ours.get("echarts_chart")[1].key == "text"
    # "content": the chart's own width, and Streamlit's height for pyecharts' default
    assert (chart.width, chart.height) == (640, 350)
    assert ours.get("echarts_chart")[2].text == "Three bars"
    assert ours.get("echarts_chart")[0].text == "ECharts chart: bar series"


def test_a_dataframe_source_goes_as_rows_under_a_header_of_its_columns():
    theirs, ours = both('''
        import pandas as pd
        import streamlit as st

        df = pd.DataFrame({
            "product": ["Matcha", "Cocoa", None],
            2015: [43.3, float("nan"), 1.0],
            "count": pd.array([1, None, 3], dtype="Int64"),
            "when": pd.to_datetime(["2024-01-01 12:00", None, "2024-01-03 00:00"]).tz_localize(
                "Europe/Paris"),
            "took": pd.to_timedelta(["1s", "2s", None]),
        }, index=["x", "y", "z"])
        option = {"dataset": {"source": df}, "xAxis": {"type": "category"}, "yAxis": {},
                  "series": [{"type": "bar"}]}
        st.echarts_chart(option)
        st.write(type(option["dataset"]["source"]).__name__)
    ''')
    assert len(theirs.get("echarts_chart")) == 1
    # the caller's option keeps its dataframe
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "DataFrame"]
    dataset = our_options(ours)[0]["dataset"]
    assert dataset["sourceHeader"] is True
    assert dataset["source"] == [
        ["product", "2015", "count", "when", "took"],
        ["Matcha", 43.3, 1, "2024-01-01T11:00:00+00:00", 1000.0],
        ["Cocoa", None, None, None, 2000.0],
        [None, 1.0, 3, "2024-01-02T23:00:00+00:00", None],
    ]


REFUSED = {
    "a custom series": ({"series": [{"type": "custom"}]}, "renderItem"),
    "a map series": ({"series": [{"type": "map"}]}, "map"),
    "a geo component": ({"geo": {}, "series": [{"type": "scatter"}]}, "geo"),
    "a GL series": ({"series": [{"type": "bar3D"}]}, "GL"),
    "a GL component": ({"grid3D": {}, "series": []}, "GL"),
    "an extension's series": ({"series": [{"type": "wordCloud"}]}, "echarts-wordcloud"),
    "NaN in series data": ({"series": [{"type": "bar", "data": [1, float("nan")]}]}, "NaN"),
}


@pytest.mark.parametrize("option, words", REFUSED.values(), ids=list(REFUSED))
def test_options_the_page_cant_draw_are_refused_under_both_saying_why(option, words):
    source = f"import streamlit as st\nst.echarts_chart({option!r})\n"
    fails_under_both(source, words)


@pytest.mark.parametrize("call, words", [
    (("st.echarts_chart('{\"series\": [{\"label\": {\"formatter\": function (p) "
      "{ return p.name; }}}]}')"), "JavaScript"),
    ("st.echarts_chart('{\"series\": [{\"label\": {\"formatter\": (p) => p.name}}]}')",
     "JavaScript"),
    ("st.echarts_chart('{\"series\": [')", "JSON"),
    ("st.echarts_chart('[1, 2]')", "dict"),
    ("st.echarts_chart({'series': [{'type': 'bar', 'data': [np.int64(1)]}]})", "int()"),
    ("st.echarts_chart({'xAxis': {'data': [datetime.date(2024, 1, 1)]}})", "isoformat"),
    ("st.echarts_chart(42)", "pyecharts"),
    ("st.echarts_chart({}, theme='dark')", "theme"),
    ("st.echarts_chart({}, renderer='webgl')", "renderer"),
    ("st.echarts_chart({}, width=0)", "width"),
    ("st.echarts_chart({}, on_select='select')", "on_select"),
], ids=["a function", "an arrow function", "broken JSON", "not an object", "a NumPy int",
        "a date", "not an option", "a theme", "a renderer", "a width", "on_select"])
def test_arguments_streamlit_rejects_are_rejected_here_too(call, words):
    fails_under_both(f"import datetime\nimport numpy as np\nimport streamlit as st\n{call}\n",
                     words)


def fails_under_both(source: str, words: str) -> None:
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    ours = AppTest.from_string(source).run()
    assert theirs.exception, "Streamlit drew it"
    assert len(ours.exception) == 1, "we drew it"
    assert words.lower() in ours.exception[0].text.lower(), ours.exception[0].text
    assert not ours.get("echarts_chart")


SELECTING = '''
    import streamlit as st

    if "calls" not in st.session_state:
        st.session_state.calls = 0

    def picked():
        st.session_state.calls += 1

    event = st.echarts_chart(
        {"xAxis": {"type": "category", "data": ["A", "B", "C"]}, "yAxis": {},
         "series": [{"type": "bar", "selectedMode": "multiple", "data": [5, 20, 36]}],
         "brush": {"xAxisIndex": "all"}},
        key="sales", on_select=picked)
    rows = [i for group in event.selection.selected for i in group["data_indices"]]
    st.write(f"rows={rows} areas={event['selection']['areas']} calls={st.session_state.calls}")
    st.write(f"kept={st.session_state.sales.selection.selected}")
'''

SELECTION = {"selected": [{"series_index": 0, "series_id": None, "series_name": None,
                           "data_type": "main", "data_indices": [1, 2]}],
             "areas": [{"brush_index": 0, "brush_type": "lineX", "coord_range": [0.5, 2.5]}]}


def test_a_selecting_chart_returns_no_selection_until_the_page_sends_one():
    theirs, ours = both(SELECTING)
    expected = ["rows=[] areas=[] calls=0", "kept=[]"]
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == expected
    widget = ours.get("echarts_chart")[0].value
    assert widget.selection_activated is True

    from_page(widget, value={"selection": SELECTION})
    ours.run()
    assert [m.value for m in ours.markdown] == [
        f"rows=[1, 2] areas={SELECTION['areas']} calls=1",
        f"kept={SELECTION['selected']}"]
    assert ours.get("echarts_chart")[0].value is widget


def test_a_keyed_chart_keeps_its_widget_and_selection_when_the_option_changes():
    at = AppTest.from_string('''
        import streamlit as st

        n = st.session_state.get("n", 3)
        event = st.echarts_chart(
            {"series": [{"type": "bar", "selectedMode": "single", "data": list(range(n))}]},
            key="c", on_select="rerun")
        st.write(str(event.selection.selected))
    ''').run()
    widget = at.get("echarts_chart")[0].value
    from_page(widget, value={"selection": {"selected": SELECTION["selected"], "areas": []}})
    at.run()
    at.session.state["n"] = 5
    at.run()
    assert at.get("echarts_chart")[0].value is widget
    assert json.loads(widget.option)["series"][0]["data"] == [0, 1, 2, 3, 4]
    assert at.markdown.values == [str(SELECTION["selected"])]


def test_an_unkeyed_selecting_chart_is_a_new_one_when_its_option_changes():
    at = AppTest.from_string('''
        import streamlit as st

        n = st.session_state.get("n", 3)
        st.echarts_chart({"series": [{"type": "bar", "selectedMode": "single",
                                      "data": list(range(n))}]}, on_select="rerun")
        st.echarts_chart({"series": [{"type": "line", "data": list(range(n))}]})
    ''').run()
    selecting, shown = (e.value for e in at.get("echarts_chart"))
    at.session.state["n"] = 4
    at.run()
    assert at.get("echarts_chart")[0].value is not selecting
    # a chart that selects nothing is found again by its place, and only its option changes
    assert at.get("echarts_chart")[1].value is shown


def test_every_chart_names_one_model_that_carries_echarts_to_the_page():
    at = AppTest.from_string('''
        import streamlit as st

        st.echarts_chart({"series": [{"type": "bar", "data": [1]}]})
        st.echarts_chart({"series": [{"type": "line", "data": [1]}]})
    ''').run()
    first, second = (e.value for e in at.get("echarts_chart"))
    library = echarts.ECHARTS.widget()
    assert first.library == second.library == library.model_id
    assert "echarts" not in first.option and len(first._esm) < 20_000
    assert library.source.startswith("\n/*\n* Licensed to the Apache Software Foundation")
    assert library.version.count(".") == 2


def test_a_checkout_without_echarts_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(echarts, "ECHARTS", dataclasses.replace(
        echarts.ECHARTS, file=tmp_path / "echarts.esm.min.js"))
    at = AppTest.from_string("import streamlit as st\nst.echarts_chart({})\n").run()
    assert "make setup" in at.exception[0].text and "jlpm build:echarts" in at.exception[0].text


def test_outside_a_run_the_call_returns_what_streamlit_returns_before_any_selection():
    assert rk.echarts_chart(BARS) is None
    event = rk.echarts_chart(BARS, on_select="rerun")
    assert event == {"selection": {"selected": [], "areas": []}}
    assert event.selection.selected == []


def test_big_series_get_streamlits_defaults_that_keep_them_fast():
    many = [[i, i % 7] for i in range(2_500)]
    at = AppTest.from_string(f'''
        import pandas as pd
        import streamlit as st

        many = {many!r}
        points = pd.DataFrame({{"x": range(25_000), "y": range(25_000)}})
        st.echarts_chart({{"xAxis": {{"type": "value"}}, "yAxis": {{}}, "series": [
            {{"type": "bar", "data": many}},
            {{"type": "line", "data": many}},
            {{"type": "line", "data": many[:100]}},
            {{"type": "bar", "data": many, "large": False}},
            {{"type": "bar", "data": [{{"value": v}} for v in many]}},
        ]}})
        st.echarts_chart({{"dataset": {{"source": points}}, "xAxis": {{"type": "value"}},
                          "yAxis": {{}}, "tooltip": {{}}, "series": [{{"type": "scatter"}},
                                                                  {{"type": "line"}}]}})
        st.echarts_chart({{"xAxis": {{"type": "value"}}, "yAxis": {{}}, "series": [
            {{"type": "bar", "selectedMode": "single", "data": many}}]}})
    ''').run()
    bars, frame, selecting = ([{k: v for k, v in one.items() if k in ("large", "showSymbol")}
                               for one in option["series"]] for option in our_options(at))
    assert bars == [{"large": True}, {"showSymbol": False}, {}, {"large": False}, {}]
    # an item tooltip (the default trigger) shows each point's symbol: the line keeps them
    assert frame == [{"large": True}, {}]
    assert selecting == [{}]
