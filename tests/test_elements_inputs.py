"""The widgets beyond the foundation: their slot, their value, and a change round trip."""

from __future__ import annotations

import datetime
import io

import pytest

from rerunkernel.core.script import Cell
from rerunkernel.elements.files import UploadedFile
from rerunkernel.elements.widget_call import WIDGET_VIEW_MIME
from rerunkernel.testing import AppTest


def app(body: str) -> AppTest:
    at = AppTest.from_string("import datetime, rerunkernel as rk\n" + body).run()
    assert not at.exception, at.exception[0].text if at.exception else ""
    return at


def shown(at: AppTest) -> str:
    return at.markdown.values[-1]


@pytest.mark.parametrize("call, kind, model", [
    ("rk.radio('w', ['a'])", "radio", "RadioButtons"),
    ("rk.radio('w', ['a'], horizontal=True)", "radio", "ToggleButtons"),
    ("rk.multiselect('w', ['a'])", "multiselect", "SelectMultiple"),
    ("rk.select_slider('w', ['a', 'b'])", "select_slider", "SelectionSlider"),
    ("rk.select_slider('w', ['a', 'b'], value=['a', 'b'])", "select_slider",
     "SelectionRangeSlider"),
    ("rk.text_area('w')", "text_area", "Textarea"),
    ("rk.date_input('w')", "date_input", "DatePicker"),
    ("rk.time_input('w')", "time_input", "TimePicker"),
    ("rk.color_picker('w')", "color_picker", "ColorPicker"),
    ("rk.toggle('w')", "toggle", "ToggleButton"),
    ("rk.file_uploader('w')", "file_uploader", "FileUpload"),
])
def test_each_widget_draws_its_view_with_a_value_free_fallback(call, kind, model):
    at = app(call)
    element = at.elements[0]
    assert element.kind == kind
    widget = element.value
    assert type(widget).__name__ == model
    assert element.data == {
        "text/plain": f"{kind} 'w'",
        WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0,
                           "model_id": widget.model_id},
    }
    assert getattr(at, kind)("w").label == "w"


def test_radio_returns_the_option_object_and_round_trips():
    at = app("pet = rk.radio('pet', [{'n': 'cat'}, {'n': 'dog'}], index=1,\n"
             "               format_func=lambda o: o['n'].title(), captions=['meows', ''])\n"
             "rk.write(str(pet))")
    assert shown(at) == "{'n': 'dog'}"
    radio = at.radio("pet")
    assert radio.widget.options == (("Cat — meows", 0), ("Dog", 1))
    radio.set_value({"n": "cat"}).run()
    assert shown(at) == "{'n': 'cat'}"
    at.radio("pet").set_value("Dog").run()  # by label, as a test would click it
    assert shown(at) == "{'n': 'dog'}"
    assert app("rk.write(str(rk.radio('r', ['a'], index=None)))").markdown.values == ["None"]


def test_multiselect_returns_options_in_their_order_within_its_limit():
    at = app("chosen = rk.multiselect('m', [1, 2, 3, 1.0], default=2, max_selections=2,\n"
             "                        format_func=lambda o: f'{o!r}')\n"
             "rk.write(str(chosen))")
    assert shown(at) == "[2]"
    widget = at.multiselect("m").widget
    assert widget.options == (("1", 0), ("2", 1), ("3", 2), ("1.0", 3))
    assert widget.rows == 4
    at.multiselect("m").set_value([3, "1.0"]).run()
    assert shown(at) == "[3, 1.0]"
    with pytest.raises(ValueError, match="more than max_selections=2"):
        at.multiselect("m").set_value([1, 2, 3])
    widget.value = (0, 1, 2)  # a list box can't be held to the limit...
    at.run()
    assert shown(at) == "[1, 2]"  # ...so the script sees the first ones


def test_select_slider_single_and_range():
    at = app("size = rk.select_slider('size', ['S', 'M', 'L'], value='M')\n"
             "span = rk.select_slider('span', range(10), value=(7, 2))\n"
             "rk.write(str((size, span)))")
    assert shown(at) == "('M', (2, 7))"
    at.select_slider("size").set_value("L")
    at.select_slider("span").set_value((0, 9))
    at.run()
    assert shown(at) == "('L', (0, 9))"


def test_text_area_rows_limit_and_round_trip():
    at = app("notes = rk.text_area('notes', 'hi', height=120, max_chars=5, placeholder='...')\n"
             "rk.write(repr(notes))")
    assert shown(at) == "'hi'"
    widget = at.text_area("notes").widget
    assert (widget.rows, widget.placeholder, widget.layout.width) == (5, "...", "100%")
    widget.value = "a much longer text"
    at.run()
    assert shown(at) == "'a muc'"
    at.text_area("notes").set_value("a\nb").run()
    assert shown(at) == "'a\\nb'"


def test_date_input_bounds_and_round_trip():
    at = app("day = rk.date_input('day', datetime.date(2024, 2, 29),"
             " max_value=datetime.date(2024, 12, 31))\n"
             "rk.write(repr(day))")
    assert shown(at) == "datetime.date(2024, 2, 29)"
    widget = at.date_input("day").widget
    assert (widget.min, widget.max) == (datetime.date(2014, 2, 28), datetime.date(2024, 12, 31))
    at.date_input("day").set_value("2024-06-01").run()
    assert shown(at) == "datetime.date(2024, 6, 1)"
    with pytest.raises(ValueError, match="2025-01-01 is outside"):
        at.date_input("day").set_value(datetime.date(2025, 1, 1))


def test_time_input_round_trip_and_step():
    at = app("when = rk.time_input('when', datetime.time(9, 30), step=60)\n"
             "rk.write(repr(when))")
    assert shown(at) == "datetime.time(9, 30)"
    assert at.time_input("when").widget.step == 60
    at.time_input("when").set_value(datetime.time(18, 5)).run()
    assert shown(at) == "datetime.time(18, 5)"


def test_now_and_today_defaults_do_not_reset_the_users_choice():
    at = app("when = rk.time_input('when')\nday = rk.date_input('day')\n"
             "rk.write(repr((when, day)))")
    now = datetime.datetime.now()
    when, day = at.namespace["when"], at.namespace["day"]
    assert type(when) is datetime.time and type(day) is datetime.date
    assert day == datetime.date.today() or day == now.date()
    at.time_input("when").set_value(datetime.time(3, 0))
    at.date_input("day").set_value(datetime.date(2020, 1, 1))
    at.run()  # a new "now" and "today" are computed, but they are the same default
    assert at.namespace["when"] == datetime.time(3, 0)
    assert at.namespace["day"] == datetime.date(2020, 1, 1)


def test_color_picker_and_toggle_round_trip():
    at = app("colour = rk.color_picker('colour', '#ABC')\non = rk.toggle('on', value=True)\n"
             "rk.write(colour, on)")
    assert shown(at) == "#aabbcc True"
    at.color_picker("colour").set_value("#00FF00")
    at.toggle("on").set_value(False)
    at.run()
    assert shown(at) == "#00ff00 False"
    with pytest.raises(ValueError, match="a hex string like '#ff0000'"):
        at.color_picker("colour").set_value("green")


def test_file_uploader_returns_uploaded_files(tmp_path):
    at = app("one = rk.file_uploader('one', type=['csv', '.TXT'])\n"
             "many = rk.file_uploader('many', accept_multiple_files=True)\n"
             "rk.write(repr(one), repr(many))\n"
             "reads = one and (one.read(), one.read(), one.getvalue())")
    assert shown(at) == "None []"
    assert at.file_uploader("one").widget.accept == ".csv,.txt"
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n")
    at.file_uploader("one").set_value(path)
    at.file_uploader("many").set_value([("x.bin", b"\x00"), ("y.txt", "why")])
    at.run()
    one = at.namespace["one"]
    assert isinstance(one, UploadedFile) and isinstance(one, io.BytesIO)
    assert (one.name, one.type, one.size) == ("data.csv", "text/csv", 4)
    assert [(f.name, f.getvalue()) for f in at.namespace["many"]] == [("x.bin", b"\x00"),
                                                                      ("y.txt", b"why")]
    # each run reads the file afresh
    assert at.namespace["reads"] == (b"a,b\n", b"", b"a,b\n")
    at.run()
    assert at.namespace["reads"] == (b"a,b\n", b"", b"a,b\n")
    with pytest.raises(ValueError, match="not one of the accepted file types"):
        at.file_uploader("one").set_value(("photo.png", b""))
    with pytest.raises(ValueError, match="takes one file"):
        at.file_uploader("one").set_value([path, path])


def test_uploads_above_max_upload_size_are_refused_by_name():
    at = AppTest.from_string("import rerunkernel as rk\n"
                             "rk.file_uploader('f', max_upload_size=1)").run()
    at.file_uploader("f").set_value(("big.bin", b"\x00" * (1024 * 1024 + 1))).run()
    assert "'big.bin' is 1.0 MB, more than max_upload_size=1 MB" in str(
        at.exception[0].value)


def test_download_button_is_a_link_carrying_its_data():
    at = app("clicked = rk.download_button('Get CSV', 'a,b\\n1,2\\n', file_name='t.csv',"
             " mime='text/csv', type='primary', icon='⬇️', help='the table')\n"
             "rk.download_button('Raw', b'\\x00\\x01')\n"
             "rk.write(clicked)")
    csv, raw = at.get("download_button")
    html = csv.data["text/html"]
    assert html.startswith('<a download="t.csv" href="data:text/csv;base64,YSxiCjEsMgo="')
    assert 'title="the table">⬇️ Get CSV</a>' in html
    assert csv.value == b"a,b\n1,2\n"
    assert csv.data["text/plain"] == "[Get CSV] download t.csv (8 bytes)"
    assert 'download="download.bin" href="data:application/octet-stream;base64,AAE="' in \
        raw.data["text/html"]
    assert shown(at) == "False"


def test_session_state_gives_a_new_widget_its_first_value():
    at = app("from rerunkernel.core.state import session_state\n"
             "if 'pet' not in session_state:\n"
             "    session_state['pet'] = 'dog'\n"
             "rk.write(rk.radio('Pet', ['cat', 'dog'], key='pet'))")
    assert shown(at) == "dog"


@pytest.mark.parametrize("call, message", [
    ("rk.radio('r', ['a'], on_change='ignore')", "rk.radio(on_change='ignore')"),
    ("rk.multiselect('m', ['a'], select_all=5)", "rk.multiselect(select_all=5)"),
    ("rk.text_area('t', required=True)", "rk.text_area(required=True)"),
    ("rk.time_input('t', format='12h')", "rk.time_input(format='12h')"),
])
def test_unsupported_options_fail_naming_the_parameter(call, message):
    at = AppTest.from_string("import datetime, rerunkernel as rk\n" + call).run()
    error = at.exception[0].value
    assert isinstance(error, NotImplementedError), error
    assert message in str(error)


@pytest.mark.parametrize("call, message", [
    ("rk.radio('r', ['a', 'b'], index=2)", "rk.radio('r'): index 2 is out of range"),
    ("rk.multiselect('m', ['a'], default=['z'])", "'z' is not one of the options"),
    ("rk.select_slider('s', [])", "options must not be empty"),
    ("rk.select_slider('s', ['a'], value='b')", "'b' is not one of the options"),
    ("rk.text_area('t', 'abc', max_chars=2)", "more than max_chars=2"),
    ("rk.text_area('t', height=10)", "height must be at least 68 pixels"),
    ("rk.date_input('d', 'soon')", "value must be a date"),
    ("rk.date_input('d', format='DD.MM.YY')", "format must be one of YYYY/MM/DD, "),
    ("rk.date_input('d', None, datetime.date(2030, 1, 1), datetime.date(2029, 1, 1))",
     "min_value (2030-01-01) is after max_value (2029-01-01)"),
    ("rk.date_input('d', datetime.date(2030, 1, 1), max_value=datetime.date(2029, 1, 1))",
     "value 2030-01-01 is outside [min_value, max_value]"),
    ("rk.time_input('t', step=5)", "step must be from 60 seconds to 23 hours"),
    ("rk.color_picker('c', 'red')", "a hex string like '#ff0000'"),
    ("rk.toggle('t', value='on')", "value must be True or False"),
    ("rk.file_uploader('f', type=[''])", "type must hold file extensions"),
    ("rk.download_button('d', 3.5)", "takes str, bytes, a file object"),
])
def test_bad_widget_arguments_fail_naming_the_widget(call, message):
    at = AppTest.from_string("import datetime, rerunkernel as rk\n" + call).run()
    assert message in str(at.exception[0].value)


ALL_WIDGETS = """import datetime, rerunkernel as rk
values = (rk.radio('pick', ['cat', 'dog']), rk.multiselect('many', ['a', 'b', 'c']),
          rk.select_slider('size', ['S', 'M', 'L']),
          rk.select_slider('span', ['S', 'M', 'L'], value=('S', 'M')), rk.text_area('notes'),
          rk.date_input('day'), rk.time_input('when'), rk.color_picker('colour'),
          rk.toggle('on'), rk.file_uploader('upload'))
"""


def test_set_values_from_text_as_rerunkernel_run_gives_them(tmp_path):
    path = tmp_path / "up.csv"
    path.write_text("x\n1\n")
    at = AppTest([Cell("<script>", ALL_WIDGETS, filename="<script>", headless=True)])
    at.session.widgets.presets.values.update({
        "pick": "dog", "many": "c, a", "size": "L", "span": "M,L", "notes": "hello",
        "day": "2024-02-01", "when": "10:15", "colour": "#00FF00", "on": "yes",
        "upload": str(path)})
    at.run()
    assert not at.exception
    values = at.namespace["values"]
    assert values[:-1] == ("dog", ["a", "c"], "L", ("M", "L"), "hello",
                           datetime.date(2024, 2, 1), datetime.time(10, 15), "#00ff00", True)
    assert values[-1].getvalue() == b"x\n1\n"
    # a headless run is never rerun, so its stored outputs carry the values
    assert [e.text for e in at.elements] == [
        "pick: dog", "many: a, c", "size: L", "span: M – L", "notes: hello", "day: 2024-02-01",
        "when: 10:15", "colour: #00ff00", "on: on", "upload: up.csv"]


def test_an_option_dropped_on_rerun_goes_back_to_its_default():
    at = AppTest.from_string("""
        import rerunkernel as rk
        hint = rk.checkbox('hint', value=True)
        rk.slider('s', help='drag me' if hint else None)
        rk.button('go', help='click me' if hint else None)
    """).run()
    slider, button = at.slider("s").widget, at.button("go").widget
    assert (slider.tooltip, button.tooltip) == ("drag me", "click me")
    at.checkbox("hint").set_value(False).run()
    assert at.slider("s").widget is slider and at.button("go").widget is button
    assert (slider.tooltip, button.tooltip) == (None, None)
    at.checkbox("hint").set_value(True).run()
    assert (slider.tooltip, button.tooltip) == ("drag me", "click me")
