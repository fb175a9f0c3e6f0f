"""What kept real Streamlit apps from running to the end under rerunkernel, app by app.

Each test runs a small app of its own, unchanged (`import streamlit as st`), under
Streamlit's AppTest and under ours in the same process, and checks that both run clean and
read alike where it matters. `bench/streamlit_corpus.py` measures the same on apps written
by others.
"""

from __future__ import annotations

import textwrap

from side_by_side import STREAMLIT_TIMEOUT, both
from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.testing import AppTest


def test_a_hello_demo_shows_its_code_with_the_helper_streamlit_ships():
    theirs, ours = both('''
        import streamlit as st
        from streamlit.hello.utils import show_code


        def demo():
            st.write("the demo ran")


        demo()
        show_code(demo)
    ''')
    assert [m.value for m in theirs.markdown] == ["the demo ran", "## Code"]
    assert theirs.code[0].value.strip() == 'st.write("the demo ran")'
    assert (theirs.sidebar.checkbox[0].label, theirs.sidebar.checkbox[0].value) == (
        "Show code", True)
    assert [m.value for m in ours.markdown] == ["the demo ran", "## Code"]
    assert ours.get("code")[0].value.strip() == 'st.write("the demo ran")'
    assert (ours.checkbox[0].label, ours.checkbox[0].value) == ("Show code", True)
    ours.checkbox[0].set_value(False).run()
    assert [m.value for m in ours.markdown] == ["the demo ran"]
    assert not ours.get("code")


def test_tabs_with_on_change_run_only_the_open_tab_and_rerun_when_another_opens():
    source = '''
        import streamlit as st

        if "log" not in st.session_state:
            st.session_state.log = []


        def opened():
            st.session_state.log.append(st.session_state.animal)


        cat, dog = st.tabs(["Cat", "Dog"], on_change=opened, key="animal")
        st.write(f"open: {cat.open} {dog.open}")
        if cat.open:
            cat.write("the cat")
        if dog.open:
            dog.write("the dog")
        plain = st.tabs(["A", "B"])
        st.write(f"untracked: {plain[0].open}")
        st.write(f"log: {st.session_state.log}")
    '''
    theirs, ours = both(source)
    for at in (theirs, ours):
        assert [m.value for m in at.markdown] == [  # reading order: the tabs come first
            "the cat", "open: True False", "untracked: None", "log: []"]
    tabs = ours.session.widgets.record_for_key("animal").widget
    tabs.selected_index = 1  # the user opens "Dog"
    ours.run()
    assert [m.value for m in ours.markdown] == [
        "the dog", "open: False True", "untracked: None", "log: ['Dog']"]


def test_tabs_open_the_default_and_session_state_chooses_the_tab():
    theirs, ours = both('''
        import streamlit as st

        if st.button("Go to Beta"):
            st.session_state.chosen = "Beta"
        tabs = st.tabs(["Alpha", "Beta"], default="Beta", key="chosen", on_change="rerun")
        st.write(f"{[t.open for t in tabs]} {st.session_state.chosen}")
    ''')
    for at in (theirs, ours):
        assert at.markdown[0].value == "[False, True] Beta"


def test_an_expander_and_a_popover_with_on_change_say_whether_they_are_open():
    theirs, ours = both('''
        import streamlit as st


        def flip():
            st.session_state.summary = not st.session_state.summary


        with st.expander("Details", on_change="rerun", key="summary", width=300) as box:
            st.write("inside")
        st.write(f"expander open: {box.open} {st.session_state.summary}")
        with st.popover("More", on_change="rerun") as pop:
            st.write("popped")
        st.write(f"popover open: {pop.open}")
        st.button("Toggle", on_click=flip)
    ''')
    def said(at) -> list[str]:
        return [m.value for m in at.markdown if " open: " in m.value]

    for at in (theirs, ours):
        assert said(at) == ["expander open: False False", "popover open: False"]
    ours.button[0].click().run()
    assert said(ours) == ["expander open: True True", "popover open: False"]


def test_a_bad_on_change_names_the_box():
    at = AppTest.from_string('''
        import streamlit as st
        st.tabs(["A"], on_change="sometimes")
    ''').run()
    assert "rk.tabs" in at.exception[0].text and "on_change" in at.exception[0].text


def test_layout_sizes_and_a_horizontal_container():
    theirs, ours = both('''
        import streamlit as st

        with st.container(horizontal=True, horizontal_alignment="center"):
            st.metric("Line", 10, 1)
            st.metric("Bar", 20, -1)
        with st.form("sized", height=200, width=300):
            st.text_input("Name")
            st.form_submit_button("Send")
        with st.status("Done", state="complete", width=200):
            st.write("finished")
        st.container(height="stretch").write("tall")
    ''')
    assert [m.label for m in ours.get("metric")] == [m.label for m in theirs.metric]
    row = ours.get("container")[0].value
    assert type(row).__name__ == "HBox" and row.layout.justify_content == "center"
    form = ours.get("form")[0].value
    assert (form.layout.width, form.layout.max_height) == ("300px", "200px")
    assert ours.get("status")[0].value.layout.width == "200px"


def test_column_order_names_columns_as_the_data_does_even_when_config_relabels_them():
    theirs, ours = both('''
        import pandas as pd
        import streamlit as st

        df = pd.DataFrame({"id": [1, 2], "url": ["https://a.example/1", "https://a.example/2"],
                           "value": [0.25, 0.5]})
        config = {"url": st.column_config.LinkColumn("ID"),
                  "value": st.column_config.ProgressColumn(min_value=0, max_value=1)}
        st.dataframe(df, column_config=config, column_order=["url", "value"])
        st.data_editor(df, column_config=config, column_order=["value", "url"], key="e")
    ''')
    assert len(theirs.dataframe) == 2
    shown = ours.dataframe
    assert "ID" in shown[0].data["text/html"] and ">id<" not in shown[0].data["text/html"]
    assert shown[1].data["text/html"].index("ID") > shown[1].data["text/html"].index("value")


def test_exception_of_a_message_and_code_that_stretches():
    source = '''
        import streamlit as st

        st.exception("NameError('name three is not defined')")
        with st.container(height=300):
            st.code("print(1)", height="stretch")
        st.write("after")
    '''
    theirs = StreamlitAppTest.from_string(textwrap.dedent(source),
                                          default_timeout=STREAMLIT_TIMEOUT).run()
    ours = AppTest.from_string(source).run()
    assert [e.message for e in theirs.exception] == ["NameError('name three is not defined')"]
    assert [e.text for e in ours.exception] == ["NameError('name three is not defined')"]
    for at in (theirs, ours):
        assert [m.value for m in at.markdown] == ["after"]
    assert "max-height" not in ours.get("code")[0].data["text/markdown"]


def test_a_headless_scatter_chart_sized_by_a_column_of_negative_numbers_draws():
    source = '''
        import pandas as pd
        import streamlit as st

        df = pd.DataFrame({"x": [0.1, 0.5, 0.9], "a": [1.0, 2.0, 3.0], "b": [2.0, 1.0, 0.5],
                           "size": [-1.5, -0.5, -2.5]})
        st.scatter_chart(df, x="x", y=["a", "b"], size="size", color=["#FF0000", "#0000FF"])
    '''
    both(source)
    at = AppTest.from_string(source)
    next(iter(at.session.script)).headless = True  # as `rerunkernel run` draws: a PNG too
    at.run()
    assert not at.exception, at.exception
    assert "image/png" in at.chart[0].data
