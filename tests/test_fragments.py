"""`@rk.fragment` runs alone (core/fragments.py), in-process through the testing API: what
runs, what the page shows, and when a full run has to take over."""

from __future__ import annotations

import threading
from pathlib import Path

from rerunkernel.core.runner import RunStatus
from rerunkernel.testing import AppTest

APPS = Path(__file__).resolve().parent / "streamlit_compat" / "apps"

COUNTED = '''
    import streamlit as st

    st.session_state.setdefault("app", 0)
    st.session_state.app += 1
    st.write(f"app runs {st.session_state.app}")

    @st.fragment
    def part():
        st.session_state.setdefault("part", 0)
        st.session_state.part += 1
        n = st.slider("n", 0, 10, 1)
        st.write(f"n={n} part runs {st.session_state.part}")

    part()
    m = st.slider("m", 0, 10, 2)
    st.write(f"m={m}")
'''


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_a_widget_in_a_fragment_reruns_the_fragment_alone():
    at = AppTest.from_string(COUNTED).run()
    assert markdown(at) == ["app runs 1", "n=1 part runs 1", "m=2"]
    runs = at.session.cells_run
    at.slider("n").set_value(5).run()
    assert markdown(at) == ["app runs 1", "n=5 part runs 2", "m=2"]
    assert at.result.fragments == ["<script>/part#0"] and not at.result.whole
    # the script's own code did not run: its widgets and namespace are the last run's
    assert at.slider("m").value == 2
    assert at.session.cells_run == runs


def test_a_widget_outside_every_fragment_reruns_the_whole_script():
    at = AppTest.from_string(COUNTED).run()
    at.slider("n").set_value(5).run()
    at.slider("m").set_value(7).run()
    assert markdown(at) == ["app runs 2", "n=5 part runs 3", "m=7"]
    assert at.result.fragments is None and at.result.whole
    at.slider("n").set_value(6).run()
    assert markdown(at) == ["app runs 2", "n=6 part runs 4", "m=7"]


def test_a_fragment_draws_more_or_fewer_elements_in_its_own_box():
    at = AppTest.from_string('''
        import streamlit as st

        @st.fragment
        def rows():
            k = st.number_input("rows", value=1)
            for i in range(k):
                st.write(f"row {i}")
            if k > 2:
                st.checkbox("many")

        st.write("above")
        rows()
        st.write("below")
    ''').run()
    assert markdown(at) == ["above", "row 0", "below"]
    at.number_input("rows").set_value(3).run()
    assert markdown(at) == ["above", "row 0", "row 1", "row 2", "below"]
    assert [c.label for c in at.checkbox] == ["many"]
    many = at.checkbox("many").widget
    at.number_input("rows").set_value(1).run()
    assert markdown(at) == ["above", "row 0", "below"]
    # the fragment's run closed the widget it no longer draws
    assert at.checkbox == [] or len(at.checkbox) == 0
    assert many.comm is None


def test_an_error_in_a_fragment_run_shows_in_the_fragment_and_leaves_the_rest():
    at = AppTest.from_string('''
        import streamlit as st

        st.write("top")

        @st.fragment
        def part():
            d = st.number_input("d", value=1)
            st.write(f"1/d = {1 / d}")

        part()
        st.write("bottom")
    ''').run()
    at.number_input("d").set_value(0).run()
    assert at.result.status == RunStatus.ERROR
    assert "ZeroDivisionError" in at.exception[0].text
    assert "1 / d" in at.exception[0].text
    assert markdown(at) == ["top", "bottom"]
    at.number_input("d").set_value(2).run()
    assert markdown(at) == ["top", "1/d = 0.5", "bottom"]
    assert not at.exception


def test_rerun_with_fragment_scope_reruns_the_fragment_that_runs_alone():
    at = AppTest.from_string('''
        import streamlit as st

        st.session_state.setdefault("app", 0)
        st.session_state.app += 1

        @st.fragment
        def counter():
            st.session_state.setdefault("clicks", 0)
            if st.button("add"):
                st.session_state.clicks += 1
                st.rerun(scope="fragment")
            st.write(f"clicks {st.session_state.clicks}, app runs {st.session_state.app}")

        counter()
    ''').run()
    at.button("add").click().run()
    assert markdown(at) == ["clicks 1, app runs 1"]
    assert at.result.fragments is not None and at.result.status == RunStatus.OK


def test_rerun_with_fragment_scope_in_a_full_run_says_why_it_is_refused():
    at = AppTest.from_string('''
        import streamlit as st

        @st.fragment
        def part():
            st.rerun(scope="fragment")

        part()
    ''').run()
    assert 'rk.rerun(scope="fragment") only works inside a fragment while it runs alone' \
        in at.exception[0].text


def test_a_fragment_key_is_taken_only_from_a_callback():
    at = AppTest.from_string('''
        import streamlit as st

        @st.fragment(key="known")
        def part():
            st.write("part")

        part()
        st.rerun("known")
    ''').run()
    assert "a fragment key is only taken from a widget callback" in at.exception[0].text


def test_a_fragment_that_draws_outside_its_box_is_drawn_by_a_full_run():
    at = AppTest.from_string('''
        import streamlit as st

        st.session_state.setdefault("app", 0)
        st.session_state.app += 1
        left, right = st.columns(2)

        @st.fragment
        def part(target):
            n = st.slider("n", 0, 10, 1)
            with target:
                st.write(f"n={n}, app runs {st.session_state.app}")

        part(right)
    ''').run()
    assert markdown(at) == ["n=1, app runs 1"]
    at.slider("n").set_value(4).run()
    # a full run drew it: the column, outside the fragment, shows the new value once
    assert markdown(at) == ["n=4, app runs 2"]
    assert at.result.whole


def test_changes_in_two_fragments_before_a_run_rerun_both_alone():
    at = AppTest.from_string('''
        import streamlit as st

        st.session_state.setdefault("app", 0)
        st.session_state.app += 1

        @st.fragment
        def one():
            st.write(f"a={st.slider('a', 0, 9, 1)}")

        @st.fragment
        def two():
            st.write(f"b={st.slider('b', 0, 9, 1)}")

        one()
        st.write(f"app runs {st.session_state.app}")
        two()
    ''').run()
    at.slider("b").set_value(3)
    at.slider("a").set_value(2)
    at.run()
    assert markdown(at) == ["a=2", "app runs 1", "b=3"]
    assert at.result.fragments == ["<script>/one#0", "<script>/two#0"]


def test_calls_of_one_fragment_keep_their_own_arguments_and_widgets():
    at = AppTest.from_string('''
        import streamlit as st

        @st.fragment
        def card(name):
            on = st.toggle(f"show {name}")
            st.write(f"{name}: {'shown' if on else 'hidden'}")

        for name in ("x", "y"):
            card(name)
    ''').run()
    at.toggle("show y").set_value(True).run()
    assert markdown(at) == ["x: hidden", "y: shown"]
    assert at.result.fragments == ["<script>/card#1"]


def test_a_fragment_inside_a_fragment_reruns_alone_and_with_its_parent():
    at = AppTest.from_string('''
        import streamlit as st

        st.session_state.setdefault("runs", [])

        @st.fragment
        def inner():
            st.session_state.runs.append("inner")
            st.write(f"i={st.slider('i', 0, 9, 1)}")

        @st.fragment
        def outer():
            st.session_state.runs.append("outer")
            o = st.slider("o", 0, 9, 1)
            inner()
            st.write(f"o={o}")

        st.session_state.runs.append("app")
        outer()
    ''').run()
    runs = at.session.state["runs"]
    assert runs == ["app", "outer", "inner"]
    at.slider("i").set_value(4).run()
    assert runs[3:] == ["inner"]
    at.slider("o").set_value(5).run()
    assert runs[4:] == ["outer", "inner"]
    assert markdown(at) == ["i=4", "o=5"]
    at.slider("i").set_value(6).run()
    assert runs[6:] == ["inner"]
    assert markdown(at) == ["i=6", "o=5"]


def test_a_half_drawn_page_is_drawn_whole_before_a_fragment_runs_alone():
    at = AppTest.from_string(COUNTED).run()
    session = at.session
    # a run cut short by a newer trigger leaves the page half drawn
    session.fragments_whole = False
    at.slider("n").set_value(3).run()
    assert at.result.whole
    assert markdown(at) == ["app runs 2", "n=3 part runs 2", "m=2"]
    at.slider("n").set_value(4).run()
    assert at.result.fragments is not None


def test_run_every_asks_for_the_fragment_alone():
    at = AppTest.from_string('''
        import streamlit as st

        st.session_state.setdefault("app", 0)
        st.session_state.app += 1

        @st.fragment(run_every=0.05)
        def clock():
            st.session_state.setdefault("ticks", 0)
            st.session_state.ticks += 1
            st.write(f"tick {st.session_state.ticks}, app runs {st.session_state.app}")

        clock()
    ''')
    asked = threading.Event()
    schedule = at._host.schedule
    at._host.schedule = lambda session: (schedule(session), asked.set())
    at.run()
    assert markdown(at) == ["tick 1, app runs 1"]
    assert asked.wait(timeout=30)
    assert at.session.requests.has_pending
    at.run()
    assert markdown(at) == ["tick 2, app runs 1"]
    assert at.result.fragments == ["<script>/clock#0"]


def test_a_fragment_in_a_form_keeps_its_values_until_submitted():
    at = AppTest.from_string('''
        import streamlit as st

        st.session_state.setdefault("app", 0)
        st.session_state.app += 1

        @st.fragment
        def order():
            with st.form("f"):
                qty = st.number_input("qty", value=1)
                st.form_submit_button("Go")
            st.write(f"qty={qty} app runs {st.session_state.app}")

        order()
    ''').run()
    at.number_input("qty").set_value(4)
    assert not at.session.requests.has_pending  # inside a form: the value waits
    at.button("Go").click().run()
    assert markdown(at) == ["qty=4 app runs 1"]


def test_a_headless_run_draws_a_fragment_in_place(tmp_path):
    from rerunkernel.headless.app_run import run_app

    app = tmp_path / "app.py"
    app.write_text("import streamlit as st\n"
                   "@st.fragment(run_every=0.01)\n"
                   "def part():\n"
                   "    st.write('inside')\n"
                   "st.write('before')\n"
                   "part()\n"
                   "st.write('after')\n")
    done = run_app(app, {})
    assert done.failure is None
    # no box: nothing will run it again, so it is drawn where it is called, as plain text
    assert done.screen == "before\ninside\nafter"


def test_in_changed_mode_the_cell_of_a_fragment_that_ran_alone_runs_again_in_full():
    at = AppTest.from_cells(
        "import streamlit as st",
        '''
        @st.fragment
        def part():
            f = st.slider("f", 0, 9, 1)
            st.write(f"f={f}")

        part()
        ''',
        '''
        other = st.slider("other", 0, 9, 1)
        st.write(f"other={other}")
        ''',
        mode="changed").run()
    fragment_cell = at.session.script.cells[1]
    at.slider("other").set_value(2).run()
    assert fragment_cell in at.result.reused  # its inputs are unchanged
    at.slider("f").set_value(5).run()
    assert at.result.fragments is not None
    assert markdown(at) == ["f=5", "other=2"]
    # what the fragment's cell shows is no longer what its last full run stored: it runs
    at.slider("other").set_value(3).run()
    assert fragment_cell in at.result.ran and fragment_cell not in at.result.reused
    assert markdown(at) == ["f=5", "other=3"]
    at.slider("other").set_value(4).run()
    assert fragment_cell in at.result.reused


def test_a_widget_in_a_dialog_reruns_the_dialog_alone_and_rerun_closes_it():
    at = AppTest.from_file(APPS / "rename_dialog.py").run()
    at.button("Rename").click().run()
    at.text_input("New name").set_value("b").run()
    # the dialog's body ran alone, as in Streamlit: the script did not
    assert at.result.fragments is not None
    assert [m.value for m in at.markdown] == ["name=a", "preview b, app runs 2"]
    at.button("Save").click().run()
    assert len(at.get("dialog")) == 0
    assert [m.value for m in at.markdown] == ["name=b"]
