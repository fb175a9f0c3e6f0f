"""The widget values the extension keeps across a kernel restart (labcomm.widget_values).

They come back as `--set` texts with the first run on the new kernel, so each one must read
back as exactly the value it was taken from, and a name that doesn't say which widget it
means is left out rather than given to the wrong one.
"""

from __future__ import annotations

import datetime

from rerunkernel.kernel.labcomm import widget_values
from rerunkernel.testing import AppTest

APP = """
import datetime
import rerunkernel as rk
rk.slider('x', 0, 10)
rk.slider('span', 0.0, 10.0, (2.0, 8.0))
rk.text_input('name', key='who')
rk.text_input('secret', type='password')
rk.checkbox('on')
rk.selectbox('pick', ['red', 'green', 'blue'])
rk.date_input('day', datetime.date(2024, 1, 1))
with rk.form('f'):
    rk.slider('in form')
    rk.form_submit_button('go')
"""

SHARED = """
import rerunkernel as rk
with rk.container():
    rk.slider('dup')
with rk.container():
    rk.slider('dup')
"""


def moved(app: AppTest) -> AppTest:
    app.slider('x').set_value(7)
    app.slider('span').set_value((1.5, 9.0))
    app.text_input(key='who').set_value('Ada, Lovelace')
    app.text_input('secret').set_value('hunter2')
    app.checkbox('on').set_value(True)
    app.selectbox('pick').set_value('blue')
    app.date_input('day').set_value(datetime.date(2025, 6, 30))
    app.slider('in form').set_value(4)
    return app.run()


def test_values_read_back_exactly_on_a_fresh_session():
    before = moved(AppTest.from_string(APP).run())
    values = widget_values(before.session)

    assert values["x"] == "7"
    assert "who" in values and "name" not in values  # by key when there is one
    assert "secret" not in values  # shown as dots: it would not read back
    assert "in form" not in values  # a form's value counts only once submitted

    after = AppTest.from_string(APP)
    after.session.widgets.presets.values.update(values)
    after.run()
    for kind, name in [("slider", "x"), ("slider", "span"), ("checkbox", "on"),
                       ("selectbox", "pick"), ("date_input", "day")]:
        assert getattr(after, kind)(name).value == getattr(before, kind)(name).value, name
    assert after.text_input(key="who").value == "Ada, Lovelace"
    assert not after.exception


def test_a_label_two_widgets_share_is_left_out():
    app = AppTest.from_string(SHARED).run()
    app.slider[1].set_value(30)
    app.run()
    assert widget_values(app.session) == {}
