"""Text elements, callouts and metrics: the mimebundle each one draws."""

from __future__ import annotations

import sys
import types

import pytest

from rerunkernel.testing import AppTest


def app(body: str) -> AppTest:
    return AppTest.from_string("import rerunkernel as rk\n" + body).run()


def only(at: AppTest, kind: str):
    found = at.get(kind)
    assert len(found) == 1, [e.kind for e in at.elements]
    return found[0]


def test_headings_are_markdown_with_their_level_anchor_icon_and_divider():
    at = app("rk.title('Sales', anchor='top')\n"
             "rk.header('By region', icon='🌍', divider='blue')\n"
             "rk.subheader('North', divider=True, help='the north only')")
    title = only(at, "title")
    assert title.data == {"text/markdown": '# <a id="top"></a>Sales', "text/plain": "Sales"}
    assert title.value == "Sales"
    header = only(at, "header").data["text/markdown"]
    assert header.startswith("## 🌍 By region\n\n<hr style=")
    assert "#1c83e1" in header
    sub = only(at, "subheader").data["text/markdown"]
    assert sub.startswith('### North <sup title="the north only" style="cursor:help')
    assert sub.endswith("\n\n---")


def test_alignment_and_width_wrap_markdown_in_a_styled_block():
    at = app("rk.markdown('**bold**', text_alignment='center', width=300)")
    markup = at.markdown[0].data["text/markdown"]
    assert markup == ('<div style="text-align:center;max-width:300px">\n\n**bold**\n\n</div>')
    assert at.markdown[0].value == "**bold**"


def test_caption_code_latex_divider_and_text():
    at = app("rk.caption('a *note*')\n"
             "rk.code('print(\"```\")', language='python')\n"
             "rk.code('plain', language=None, height=120)\n"
             "rk.latex(r'\\frac{a}{b}')\n"
             "rk.divider()\n"
             "rk.text('  spaced  <b>', help='tip')")
    caption = only(at, "caption")
    assert "\n\na *note*\n\n" in caption.data["text/markdown"]
    assert "font-size:0.85em" in caption.data["text/markdown"]
    first, second = at.get("code")
    # the fence is longer than any run of backticks inside the code
    assert first.data["text/markdown"] == '````python\nprint("```")\n````'
    assert first.value == 'print("```")'
    assert second.data["text/markdown"] == ('<div style="max-height:120px;overflow:auto">\n\n'
                                            "```\nplain\n```\n\n</div>")
    latex = only(at, "latex")
    assert latex.data["text/latex"] == r"$$\frac{a}{b}$$"
    assert latex.data["text/markdown"] == "$$\n\\frac{a}{b}\n$$"
    assert only(at, "divider").data["text/markdown"] == "---"
    text = at.text[0]
    assert text.data["text/plain"] == "  spaced  <b>"
    assert text.data["text/html"] == ('<pre style="white-space:pre-wrap" title="tip">'
                                      "  spaced  &lt;b&gt;</pre>")


def test_latex_converts_a_sympy_expression(monkeypatch):
    fake = types.ModuleType("sympy")
    fake.latex = lambda expr: "\\frac{" + expr.name + "}{2}"
    monkeypatch.setitem(sys.modules, "sympy", fake)
    at = app("Half = type('Half', (), {'__module__': 'sympy.core.mul', 'name': 'x'})\n"
             "rk.latex(Half())")
    assert only(at, "latex").value == r"\frac{x}{2}"


@pytest.mark.parametrize("kind, colour", [("info", "#1c83e1"), ("success", "#21c354"),
                                          ("warning", "#ffbd45"), ("error", "#ff4b4b")])
def test_callouts_are_coloured_markdown_blocks(kind, colour):
    at = app(f"rk.{kind}('Check **this**', icon='⚠️', title='Heads up')")
    element = only(at, kind)
    markup = element.data["text/markdown"]
    assert markup.startswith('<div style="background:')
    assert f"border-left:4px solid {colour}" in markup
    assert "\n\n<strong>Heads up</strong>\n\n⚠️ Check **this**\n\n</div>" in markup
    assert element.data["text/plain"] == f"{kind.capitalize()}: Heads up\n⚠️ Check **this**"
    assert element.value == "Check **this**"


def test_exception_shows_its_traceback_without_stopping():
    at = app("try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    rk.exception(e)\n"
             "rk.write('still here')")
    error = only(at, "exception")
    assert isinstance(error.value, ZeroDivisionError)
    assert error.data["text/plain"].startswith("Traceback (most recent call last):")
    assert at.markdown.values == ["still here"]


def test_metric_value_delta_colour_and_sparkline():
    at = app("rk.metric('Temperature', '21 °C', '-1.5 °C', help='today')\n"
             "rk.metric('Costs', 120, -5, delta_color='inverse', border=True)\n"
             "rk.metric('Flat', 3.14159, 0.2, delta_color='off', format='%.2f',\n"
             "          chart_data=[1, 3, 2], chart_type='bar', delta_arrow='off')")
    temperature, costs, flat = at.get("metric")
    assert temperature.value == "21 °C"
    assert temperature.label == "Temperature"
    assert temperature.data["text/plain"] == "Temperature: 21 °C (▼ -1.5 °C)"
    assert 'color:#ff4b4b">▼ -1.5 °C' in temperature.data["text/html"]
    assert 'title="today"' in temperature.data["text/html"]
    # inverse: going down is good
    assert 'color:#21c354">▼ -5' in costs.data["text/html"]
    assert "border:1px solid" in costs.data["text/html"]
    assert flat.value == "3.14"
    assert 'color:#808495">0.20' in flat.data["text/html"]
    assert flat.data["text/html"].count("<rect ") == 3


def test_write_picks_an_element_per_argument():
    at = app("import pandas as pd\n"
             "rk.write('n =', 3, {'a': 1})\n"
             "rk.write({'nested': {'deep': [1, 2]}})\n"
             "rk.write(pd.DataFrame({'x': [1]}))\n"
             "rk.write(KeyError('k'))")
    assert at.markdown.values == ["n = 3"]
    assert [e.kind for e in at.elements] == ["markdown", "json", "json", "dataframe",
                                             "exception"]


def test_write_escapes_values_for_markdown_only():
    at = app("rk.write('Squares:', (0, 1), 'and', 2 * 3)")
    element = only(at, "markdown")
    assert element.data == {"text/markdown": "Squares: (0, 1) and 6",
                            "text/plain": "Squares: (0, 1) and 6"}
    at = app("rk.write('Pairs:', {'x_1', 'x_2'} - {'x_2'})")
    assert only(at, "markdown").data == {"text/markdown": "Pairs: {'x\\_1'}",
                                         "text/plain": "Pairs: {'x_1'}"}


@pytest.mark.parametrize("call, message", [
    ("rk.markdown('x', anchors=False)", "rk.markdown(anchors=False) is not supported"),
    ("rk.exception(ValueError(), width=300)", "rk.exception(width=300) is not supported"),
])
def test_unsupported_options_fail_naming_the_parameter(call, message):
    at = app(call)
    error = at.exception[0].value
    assert isinstance(error, NotImplementedError)
    assert message in str(error)


@pytest.mark.parametrize("call, message", [
    ("rk.header('x', divider='pink')", "divider must be True, False or one of"),
    ("rk.text('x', text_alignment='middle')", "text_alignment='middle'"),
    ("rk.metric('m', 1, 1, delta_color='loud')", "delta_color='loud'"),
    ("rk.caption('x', width=-3)", "width must be 'stretch', 'content' or a positive"),
])
def test_bad_values_fail_clearly(call, message):
    at = app(call)
    assert message in str(at.exception[0].value)
