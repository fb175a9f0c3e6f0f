"""Charts: Streamlit's data handling as Vega-Lite, the fallbacks, and library figures."""

from __future__ import annotations

import base64
import textwrap

import pytest

from rerunkernel.core.script import Cell
from rerunkernel.elements.charts import STRETCH_WIDTH, VEGA_LITE_MIME
from rerunkernel.testing import AppTest

PRELUDE = """import rerunkernel as rk, pandas as pd, numpy as np
df = pd.DataFrame({'a': [1, 2, 3], 'b': [4, 5, 6], 'kind': ['x', 'y', 'x']})
"""


def chart(body: str, headless: bool = False) -> dict:
    source = PRELUDE + textwrap.dedent(body)
    if headless:
        at = AppTest([Cell("<script>", source, filename="<script>", headless=True)]).run()
    else:
        at = AppTest.from_string(source).run()
    assert not at.exception, at.exception[0].text if at.exception else ""
    assert len(at.chart) == 1
    return at.chart[0]


def test_wide_data_is_melted_against_the_index():
    element = chart("rk.line_chart(df[['a', 'b']])")
    spec = element.data[VEGA_LITE_MIME]
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["mark"] == {"type": "line", "tooltip": True}
    assert spec["encoding"]["x"] == {"field": "index", "type": "quantitative", "title": "index",
                                     "axis": {"tickCount": {"expr": "min(ceil(width / 40), 2)"}}}
    assert spec["encoding"]["y"]["field"] == "value"
    assert spec["encoding"]["color"]["field"] == "series"
    assert spec["data"]["values"][:2] == [{"index": 0, "series": "a", "value": 1},
                                          {"index": 1, "series": "a", "value": 2}]
    assert spec["width"] == STRETCH_WIDTH
    assert element.data["text/plain"] == "line chart: 2 series, 6 points"
    assert "image/png" not in element.data  # live sessions render Vega-Lite themselves


def test_long_data_splits_series_by_a_colour_column():
    spec = chart("rk.scatter_chart(df, x='a', y='b', color='kind', size='b')").value
    assert spec["mark"]["type"] == "circle"
    assert spec["encoding"]["color"] == {"field": "kind", "type": "nominal", "title": "kind"}
    assert spec["encoding"]["size"] == {"field": "b", "type": "quantitative"}
    assert spec["data"]["values"][0] == {"a": 1, "b": 4, "kind": "x"}


def test_a_colour_column_holding_colours_is_used_as_is():
    spec = chart("df['c'] = ['#ff0000', '#00ff00', '#ff0000']\n"
                 "rk.scatter_chart(df, x='a', y='b', color='c', size=80)").value
    assert spec["encoding"]["color"]["scale"] is None
    assert spec["mark"]["size"] == 80


def test_fixed_colours_per_y_column_and_axis_labels():
    spec = chart("rk.line_chart(df, x='a', y=['a', 'b'], color=['#111111', '#222222'],"
                 " x_label='time', y_label='amount')").value
    assert spec["encoding"]["color"]["scale"] == {"domain": ["a", "b"],
                                                  "range": ["#111111", "#222222"]}
    assert spec["encoding"]["x"]["title"] == "time"
    assert spec["encoding"]["y"]["title"] == "amount"
    one = chart("rk.area_chart(df, x='a', y='b', color='#ff0000')").value
    assert one["mark"]["color"] == "#ff0000"
    assert "color" not in one["encoding"]


def test_area_and_bar_stacking():
    assert chart("rk.area_chart(df[['a', 'b']], stack='normalize')").value[
        "encoding"]["y"]["stack"] == "normalize"
    assert chart("rk.area_chart(df[['a', 'b']], stack=True)").value[
        "encoding"]["y"]["stack"] == "zero"
    layered = chart("rk.area_chart(df[['a', 'b']], stack=False)").value
    assert layered["encoding"]["y"]["stack"] is None
    assert layered["mark"]["opacity"] == 0.7
    grouped = chart("rk.bar_chart(df[['a', 'b']], stack=False)").value
    assert grouped["encoding"]["xOffset"] == {"field": "series"}
    assert grouped["encoding"]["x"]["type"] == "ordinal"  # bars over a numeric index


def test_horizontal_sorted_bars():
    spec = chart("rk.bar_chart(df, x='kind', y='b', horizontal=True, sort='-b')").value
    # the bars' categories run down the y axis, sorted by their value
    assert spec["encoding"]["y"] == {"field": "kind", "type": "ordinal", "title": "kind",
                                     "sort": {"field": "b", "order": "descending"}}
    assert spec["encoding"]["x"]["field"] == "b"
    unsorted = chart("rk.bar_chart(df, x='kind', y='b', sort=False)").value
    assert unsorted["encoding"]["x"]["sort"] is None


def test_sizes_and_descriptions():
    spec = chart("rk.line_chart(df, width=400, height=200, alt='sales')").value
    assert (spec["width"], spec["height"], spec["description"]) == (400, 200, "sales")
    natural = chart("rk.line_chart(df, use_container_width=False)").value
    assert "width" not in natural
    assert natural["height"] == 300


def test_column_names_with_dots_are_escaped_for_vega():
    spec = chart("rk.line_chart(pd.DataFrame({'t.x': [1, 2], 'v[0]': [3, 4]}), x='t.x')").value
    assert spec["encoding"]["x"]["field"] == "t\\.x"
    assert spec["encoding"]["y"]["field"] == "v\\[0\\]"
    assert spec["encoding"]["x"]["title"] == "t.x"


def test_a_value_column_does_not_clash_with_the_melted_names():
    spec = chart("rk.line_chart(pd.DataFrame({'value': [1, 2], 'series': [3, 4]}))").value
    assert spec["encoding"]["y"]["field"] == "value_"
    assert spec["encoding"]["color"]["field"] == "series_"


def test_dates_are_temporal():
    spec = chart("rk.line_chart(pd.DataFrame({'v': [1, 2]},"
                 " index=pd.date_range('2024-01-01', periods=2)))").value
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["data"]["values"][0]["index"].startswith("2024-01-01T00:00:00")


def test_headless_runs_carry_a_png_fallback():
    pytest.importorskip("matplotlib")
    for call in ("rk.line_chart(df[['a', 'b']])", "rk.bar_chart(df, x='kind', y='b')",
                 "rk.area_chart(df, x='a', y='b')", "rk.scatter_chart(df, x='a', y='b')"):
        element = chart(call, headless=True)
        png = base64.b64decode(element.data["image/png"])
        assert png.startswith(b"\x89PNG\r\n\x1a\n"), call
        assert VEGA_LITE_MIME in element.data


@pytest.mark.parametrize("call, message", [
    ("rk.line_chart(df, y='nope')", "rk.line_chart(y='nope'): no such column"),
    ("rk.bar_chart(df, color='nope')", "rk.bar_chart(color='nope'): no such column"),
    ("rk.line_chart(df, x='a', y=['a', 'b'], color='kind')", "so y must be a single column"),
    ("rk.line_chart(df[['a', 'b']], color=['#111111'])", "give one colour per y column"),
    ("rk.area_chart(df, stack='sideways')", "stack='sideways'"),
    ("rk.bar_chart(df, sort='nope')", "sort='nope'"),
    ("rk.line_chart(df, height='stretch')", "rk.line_chart(height='stretch') is not supported"),
])
def test_chart_mistakes_fail_clearly(call, message):
    at = AppTest.from_string(PRELUDE + call).run()
    assert message in str(at.exception[0].value)


def test_vega_lite_chart_with_data_and_spec():
    spec = chart("rk.vega_lite_chart(df, {'mark': 'bar', 'encoding': {"
                 "'x': {'field': 'kind', 'type': 'nominal'},"
                 " 'y': {'field': 'b', 'type': 'quantitative'}}}, height=250)").value
    assert spec["data"]["values"][0] == {"a": 1, "b": 4, "kind": "x"}
    assert spec["width"] == STRETCH_WIDTH
    assert spec["height"] == 250
    only_spec = chart("rk.vega_lite_chart({'data': {'values': [{'v': 1}]}, 'mark': 'point',"
                      " 'width': 120})")
    assert only_spec.value["width"] == 120
    # "container" would size to the output area's 0 px and hang JupyterLab
    container = chart("rk.vega_lite_chart({'mark': 'point', 'width': 'container'})")
    assert container.value["width"] == STRETCH_WIDTH
    assert only_spec.data["text/plain"] == "Vega-Lite chart: point mark"
    error = AppTest.from_string(PRELUDE + "rk.vega_lite_chart(df, {'mark': 'bar'},"
                                " on_select='rerun')").run().exception[0].value
    assert "the chart has no selection parameter" in str(error)


def test_altair_chart_draws_large_data_too():
    pytest.importorskip("altair")
    element = chart("import altair as alt\n"
                    "big = pd.DataFrame({'x': range(6000), 'y': range(6000)})\n"
                    "rk.altair_chart(alt.Chart(big).mark_line().encode(x='x', y='y'),"
                    " use_container_width=True)")
    spec = element.data[VEGA_LITE_MIME]
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 6000
    assert spec["width"] == STRETCH_WIDTH
    assert element.data["text/plain"] == "Altair chart: line mark"
    # Altair 6 writes Vega-Lite 6; JupyterLab draws with 5 and warns about any other version
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"


def test_stretched_charts_ask_jupyterlab_for_their_box_width_at_render_time():
    stretched = chart("rk.line_chart(df[['a']])")
    spec = stretched.value
    # any viewer draws the fixed width; JupyterLab replaces it once, when it draws the chart
    assert (spec["width"], spec["autosize"]) == (STRETCH_WIDTH, {"type": "fit",
                                                                 "contains": "padding"})
    patch = stretched.metadata[VEGA_LITE_MIME]["embed_options"]["patch"]
    assert patch == [{"op": "add", "path": "/signals", "value": [
        {"name": "width", "init": "containerSize()[0] > 0 ? containerSize()[0] : 640"}]}]
    assert chart("rk.line_chart(df[['a']], width=300)").metadata == {}
    assert chart("rk.vega_lite_chart({'mark': 'point', 'width': 'container'}, height=200)"
                 ).metadata == stretched.metadata
    # a discrete axis without a height is sized by signals of its own in the compiled spec
    stepped = chart("rk.vega_lite_chart(df, {'mark': 'bar', 'encoding': {"
                    "'y': {'field': 'kind', 'type': 'nominal'}}})")
    assert stepped.value["width"] == STRETCH_WIDTH
    assert "autosize" not in stepped.value and stepped.metadata == {}
    # the patch replaces the compiled signals, which parameters need: those keep the fixed width
    selecting = chart("rk.vega_lite_chart({'mark': 'point', 'params': [{'name': 'pick',"
                      " 'select': 'point'}]}, height=200)")
    assert selecting.value["width"] == STRETCH_WIDTH
    assert "autosize" not in selecting.value and selecting.metadata == {}
    # a map's projection sizes itself to the view
    mapped = chart("rk.map(pd.DataFrame({'lat': [48.85, 51.51], 'lon': [2.35, -0.13]}))")
    assert "autosize" not in mapped.value and mapped.metadata == {}


def test_axes_over_whole_numbers_have_whole_ticks():
    # never more ticks than whole numbers on the axis (counted from zero, which it shows)
    spec = chart("rk.line_chart(pd.DataFrame({'n': [3, 1, 2]}))").value
    assert spec["encoding"]["x"]["axis"] == {"tickCount": {"expr": "min(ceil(width / 40), 2)"}}
    assert spec["encoding"]["y"]["axis"] == {"tickCount": {"expr": "min(ceil(height / 40), 3)"}}
    floats = chart("rk.line_chart(pd.DataFrame({'n': [0.5, 1.5]}, index=[0.1, 0.2]))").value
    assert "axis" not in floats["encoding"]["x"] and "axis" not in floats["encoding"]["y"]
    shares = chart("rk.area_chart(df[['a', 'b']], stack='normalize')").value
    assert "axis" not in shares["encoding"]["y"]
    # stacked bars reach the highest total; lying down, the counts are along the width
    bars = chart("rk.bar_chart(df[['a', 'b']], horizontal=True)").value
    assert bars["encoding"]["x"]["axis"] == {"tickCount": {"expr": "min(ceil(width / 40), 9)"}}
    assert "axis" not in bars["encoding"]["y"]  # the index, drawn as categories


def test_pyplot_sends_a_png_and_closes_the_figure():
    pytest.importorskip("matplotlib")
    at = AppTest.from_string("""
        import matplotlib
        matplotlib.use('agg')
        import matplotlib.pyplot as plt
        import rerunkernel as rk
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot([1, 2, 3])
        rk.pyplot(fig, width='content')
        fig2, ax2 = plt.subplots()
        rk.pyplot(fig2)
        rk.write(fig2)
        open_figures = plt.get_fignums()
    """).run()
    first, second, written = at.get("pyplot")
    png = base64.b64decode(first.data["image/png"])
    assert png.startswith(b"\x89PNG")
    assert set(first.data) == {"image/png", "text/plain"}
    assert 300 < first.metadata["image/png"]["width"] < 450  # about 4 inches at 100 dpi
    # as wide as its column, but never larger than its own size (its fonts would grow too)
    natural = second.metadata["image/png"]["width"]
    assert second.data["text/html"].endswith(f'style="width:100%;max-width:{natural}px">')
    assert written.kind == "pyplot"
    assert at.namespace["open_figures"] == []


def test_plotly_chart_for_jupyterlabs_renderer_with_a_stable_html_fallback():
    pytest.importorskip("plotly")
    body = ("import plotly.graph_objects as go\n"
            "fig = go.Figure(go.Bar(x=['a', 'b'], y=[1, 2]), layout_title_text='Sales')\n"
            "rk.plotly_chart(fig, height=300, config={'displayModeBar': False})\n")
    at = AppTest.from_string(PRELUDE + body).run()
    element = at.get("plotly_chart")[0]
    bundle = element.data["application/vnd.plotly.v1+json"]
    assert bundle["data"][0]["type"] == "bar"
    assert bundle["layout"]["height"] == 300
    assert bundle["config"] == {"displayModeBar": False}
    assert element.data["text/plain"] == "Plotly figure 'Sales': 1 trace(s)"
    again = AppTest.from_string(PRELUDE + body).run().get("plotly_chart")[0]
    assert again.data["text/html"] == element.data["text/html"]  # a rerun sends nothing
