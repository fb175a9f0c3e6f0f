"""Layout boxes, placeholders, forms and session state, in-process."""

from __future__ import annotations

import pytest

from rerunkernel.testing import AppTest

PRELUDE = """
import rerunkernel as rk
from rerunkernel.elements.layout import (columns, container, empty, expander, form,
    form_submit_button, sidebar, status, tabs)
from rerunkernel.core.state import session_state
"""


def app(body: str) -> AppTest:
    return AppTest.from_string(PRELUDE + body).run()


def texts(at: AppTest) -> list[str]:
    return [e.text for e in at.elements if e.kind in ("markdown", "text", "stdout")]


def test_columns_with_blocks_and_method_style():
    at = app("a, b, c = columns([3, 1, 1])\n"
             "with a:\n    rk.write('in a')\n    print('printed in a')\n"
             "b.write('in b')\nc.text('in c')\nwith a:\n    rk.write('a again')\n")
    assert texts(at) == ["in a", "printed in a\n", "a again", "in b", "in c"]
    box = at.get("columns")[0].value
    assert [child.layout.flex for child in box.children] == ["3.0 1 0%", "1.0 1 0%", "1.0 1 0%"]


@pytest.mark.parametrize("call, message", [
    ("columns(0)", "at least 1"),
    ("columns([1, -1])", "positive"),
    ("columns(2, gap='huge')", "gap must be"),
    ("tabs([])", "at least one tab"),
    ("status('s', state='weird')", "state must be"),
])
def test_bad_layout_arguments(call, message):
    at = app(call)
    assert message in str(at.exception[0].value)


def test_tabs_expander_container_and_sidebar():
    at = app("one, two = tabs(['One', 'Two'])\ntwo.write('second tab')\n"
             "with expander('More', expanded=True):\n    rk.write('inside')\n"
             "box = container(border=True)\nrk.write('after box')\nbox.write('filled later')\n"
             "sidebar.write('on the side')\n")
    assert texts(at) == ["second tab", "inside", "filled later", "after box", "on the side"]
    tab = at.get("tabs")[0].value
    assert tab.titles == ("One", "Two")
    assert at.get("expander")[0].value.selected_index == 0


def test_a_placeholder_shows_only_its_last_content_and_empties():
    at = app("slot = empty()\nrk.write('below')\nslot.write('one')\nslot.write('two')\n"
             "other = empty()\nwith other:\n    rk.write('x')\n    rk.write('y')\n"
             "never = empty()\n")
    assert texts(at) == ["two", "below", "y"]
    at = app("slot = empty()\nslot.write('shown')\nslot.empty()\n")
    assert texts(at) == []


def test_status_updates_and_errors():
    at = app("with status('Loading') as s:\n    rk.write('step 1')\n"
             "    s.update(label='Loaded', state='complete')\n")
    assert at.get("status")[0].value.titles == ("✅ Loaded",)
    at = app("try:\n    with status('Loading'):\n        raise ValueError('no')\n"
             "except ValueError:\n    pass\n")
    assert at.get("status")[0].value.titles == ("❌ Loading",)


def test_form_values_wait_for_submit_and_can_clear():
    at = app("with form('f', clear_on_submit=True):\n    n = rk.number_input('n', 0, 9, 1)\n"
             "    sent = form_submit_button('Send')\nrk.write('n', n, 'sent', sent)\n")
    assert texts(at) == ["n 1 sent False"]
    at.number_input("n").set_value(5)
    assert not at.session.requests.has_pending  # no rerun for a value inside a form
    at.form_submit_button("Send").click().run()
    assert texts(at) == ["n 5 sent True"]
    assert at.number_input("n").value == 1  # cleared after the submitted run
    at.run()
    assert texts(at) == ["n 1 sent False"]


def test_form_misuse_is_explained():
    at = app("form_submit_button('Go')")
    assert "inside a `with rk.form(...)` block" in str(at.exception[0].value)
    at = app("with form('outer'):\n    with form('inner'):\n        pass\n")
    assert "forms can't be nested" in str(at.exception[0].value)


def test_session_state_survives_reruns_and_reads_widgets():
    at = app("if 'clicks' not in session_state:\n    session_state.clicks = 0\n"
             "session_state['clicks'] += 1\n"
             "level = rk.slider('level', 0, 10, 3, key='level')\n"
             "rk.write('clicks', session_state.clicks, 'level', session_state['level'])\n")
    assert texts(at) == ["clicks 1 level 3"]
    at.slider("level").set_value(8).run()
    assert texts(at) == ["clicks 2 level 8"]


def test_session_state_sets_a_widget_before_it_is_drawn_but_not_after():
    at = app("if 'seeded' not in session_state:\n    session_state['seeded'] = True\n"
             "    session_state['size'] = 7\n"
             "size = rk.slider('size', 0, 10, key='size')\nrk.write('size', size)\n")
    assert texts(at) == ["size 7"]
    at = app("v = rk.slider('v', key='v')\nsession_state['v'] = 5\n")
    assert "can't be changed after the widget" in str(at.exception[0].value)
    at = app("rk.write(session_state['missing'])\n")
    assert 'rk.session_state has no key "missing"' in str(at.exception[0].value)


def test_widget_callbacks_run_before_the_rerun_and_see_state():
    at = app("def bump(step):\n    session_state['total'] = session_state.get('total', 0) + step\n"
             "rk.slider('s', 0, 10, key='s', on_change=bump, args=(5,))\n"
             "rk.write('total', session_state.get('total', 0))\n")
    assert texts(at) == ["total 0"]
    at.slider("s").set_value(2).run()
    assert texts(at) == ["total 5"]


def test_form_values_count_only_from_their_submit():
    at = app("with form('f'):\n    n = rk.number_input('n', 0, 9, 1)\n"
             "    sent = form_submit_button('Send')\n"
             "rk.button('other')\nrk.write('n', n, 'sent', sent)\n")
    at.number_input("n").set_value(5)
    at.button("other").click().run()
    assert texts(at) == ["n 1 sent False"]  # not submitted yet: still the old value
    at.form_submit_button("Send").click().run()
    assert texts(at) == ["n 5 sent True"]
    at.button("other").click().run()
    assert texts(at) == ["n 5 sent False"]
