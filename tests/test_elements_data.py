"""Tables and JSON: what `dataframe`, `table` and `json` draw, and the bounded preview."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rerunkernel.elements.data import PREVIEW_COLUMNS, PREVIEW_ROWS, table_element
from rerunkernel.testing import AppTest


def app(body: str) -> AppTest:
    return AppTest.from_string("import rerunkernel as rk, pandas as pd, numpy as np\n"
                               + body).run()


@pytest.mark.parametrize("source, columns", [
    ("pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})", ["a", "b"]),
    ("np.array([[1, 2], [3, 4]])", [0, 1]),
    ("{'a': [1, 2], 'b': [3, 4]}", ["a", "b"]),
    ("[{'a': 1, 'b': 2}, {'a': 3, 'b': 4}]", ["a", "b"]),
    ("pd.Series([1, 2], name='a')", ["a"]),
])
def test_dataframe_takes_pandas_numpy_dicts_and_lists(source, columns):
    at = app(f"rk.dataframe({source})")
    element = at.dataframe[0]
    assert element.kind == "dataframe"
    assert list(element.value.columns) == columns
    assert set(element.data) == {"text/html", "text/plain"}
    assert element.data["text/html"].startswith('<div style="max-height:400px;overflow:auto">'
                                                '<table')


def test_a_flat_dict_is_a_column_of_values():
    at = app("rk.dataframe({'apples': 3, 'pears': 5})")
    frame = at.dataframe[0].value
    assert frame["value"].tolist() == [3, 5]
    assert frame.index.tolist() == ["apples", "pears"]


def test_dataframe_size_index_order_and_placeholder():
    at = app("df = pd.DataFrame({'a': [1.0, None], 'b': [3, 4]}, index=['r1', 'r2'])\n"
             "rk.dataframe(df, width=300, height=150, hide_index=True,\n"
             "             column_order=['b', 'a'], placeholder='–', alt='fruit table')")
    html = at.dataframe[0].data["text/html"]
    assert html.startswith('<div style="max-height:150px;overflow:auto;max-width:300px" '
                           'role="figure" aria-label="fruit table">')
    assert "r1" not in html
    assert html.index(">b<") < html.index(">a<")
    assert "<td>–</td>" in html


def test_table_is_static_with_streamlit_borders():
    at = app("rk.table(pd.DataFrame({'a': [1]}), border='horizontal', hide_header=True)")
    element = at.dataframe[0]
    assert element.kind == "table"
    html = element.data["text/html"]
    assert html.startswith("<style>.rk-rows th, .rk-rows td {border-bottom:")
    assert "overflow" not in html  # no scroll box
    assert "<thead>" not in html
    plain = app("rk.table(pd.DataFrame({'a': [1]}), border=False)").dataframe[0]
    assert not plain.data["text/html"].startswith("<style>")


def test_ten_million_rows_draw_a_bounded_preview_that_says_what_is_hidden():
    rows = 10_000_000
    at = app(f"rk.dataframe(np.arange({rows}))")
    element = at.dataframe[0]
    assert len(element.value) == rows  # the value is the whole frame
    html = element.data["text/html"]
    assert html.count("<tr>") <= PREVIEW_ROWS + 1
    assert len(html) < 100_000
    assert f"Showing the first {PREVIEW_ROWS:,} of {rows:,} rows." in html
    assert element.data["text/plain"].endswith(f"Showing the first {PREVIEW_ROWS:,} of "
                                               f"{rows:,} rows.")
    assert len(element.data["text/plain"]) < 2_000


def test_very_wide_frames_are_bounded_too():
    frame = pd.DataFrame(np.zeros((2, PREVIEW_COLUMNS + 50)))
    html = table_element(frame).data["text/html"]
    assert f"the first {PREVIEW_COLUMNS:,} of {PREVIEW_COLUMNS + 50:,} columns" in html


def test_three_dimensional_arrays_are_refused_with_the_shape():
    at = app("rk.dataframe(np.zeros((2, 3, 4)))")
    assert "this array has 3 (shape (2, 3, 4))" in str(at.exception[0].value)


def test_json_is_a_collapsible_tree_with_a_text_fallback():
    at = app("rk.json({'a': [1, 2], 'when': __import__('datetime').date(2024, 1, 2)},"
             " expanded=False)\n"
             "rk.json('[1, 2, 3]')")
    first, second = at.get("json")
    assert first.data["application/json"] == {"a": [1, 2], "when": "2024-01-02"}
    assert first.metadata == {"application/json": {"expanded": False, "root": "root"}}
    assert first.data["text/plain"].startswith("{'a': [1, 2], 'when': datetime.date(")
    assert second.value == [1, 2, 3]
    assert second.metadata["application/json"]["expanded"] is True


@pytest.mark.parametrize("call, message", [
    ("rk.dataframe([1], row_height=30)", "rk.dataframe(row_height=30) is not supported"),
    ("rk.json({}, width=200)", "rk.json(width=200) is not supported"),
])
def test_unsupported_options_fail_naming_the_parameter(call, message):
    error = app(call).exception[0].value
    assert isinstance(error, NotImplementedError)
    assert message in str(error)


def test_bad_options_fail_clearly():
    assert "border='dotted'" in str(app("rk.table([1], border='dotted')").exception[0].value)
    assert "expanded=-1" in str(app("rk.json({}, expanded=-1)").exception[0].value)
