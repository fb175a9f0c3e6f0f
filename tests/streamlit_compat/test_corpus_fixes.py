"""What kept real Streamlit apps from running to the end under rerunkernel, app by app.

Each test runs a small app of its own, unchanged (`import streamlit as st`), under
Streamlit's AppTest and under ours in the same process, and checks that both run clean and
read alike where it matters. `bench/streamlit_corpus.py` measures the same on apps written
by others.
"""

from __future__ import annotations

import textwrap

from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.testing import AppTest

STREAMLIT_TIMEOUT = 60


def both(source: str) -> tuple[StreamlitAppTest, AppTest]:
    source = textwrap.dedent(source)
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    ours = AppTest.from_string(source).run()
    assert not theirs.exception, [e.message for e in theirs.exception]
    assert not ours.exception, ours.exception
    return theirs, ours


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


def test_a_components_v2_component_is_an_error_saying_why():
    at = AppTest.from_string("""
        import streamlit as st

        st.write("before")
        widget = st.components.v2.component("inline_links", js="export default 1")
    """).run()
    assert [m.value for m in at.markdown] == ["before"]
    text = at.exception[0].text
    assert "components.v2.component('inline_links')" in text
    assert "front-end" in text
