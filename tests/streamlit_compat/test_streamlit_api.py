"""`import streamlit as st` under rerunkernel, and Streamlit's newer API, against Streamlit.

The apps here are run unchanged (no import rewritten) by Streamlit's AppTest and by ours, in
the same process: ours maps `streamlit` to rerunkernel only while its run lasts, so
Streamlit's own AppTest, before and after, still gets the real package.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest as StreamlitAppTest
from test_apps import normal_text

from rerunkernel.headless.cli import main
from rerunkernel.streamlit_compat import shim as streamlit_shim
from rerunkernel.testing import AppTest

APPS = Path(__file__).resolve().parent / "apps"
CHAT = APPS / "chat_and_pages.py"


def real_streamlit_loaded() -> bool:
    return sys.modules.get("streamlit") is streamlit


def markdown_of(at) -> list[str]:
    return [e.value for e in at.markdown]


def test_import_streamlit_gets_rerunkernel_only_during_the_run():
    at = AppTest.from_string("""
        import streamlit as st
        import streamlit.components.v1 as components
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.errors import StreamlitAPIException
        import streamlit.runtime
        got = st
        st.write(f"exists={streamlit.runtime.exists()} ctx={get_script_run_ctx() is not None}")
    """).run()
    assert not at.exception, at.exception
    assert markdown_of(at) == ["exists=True ctx=True"]
    assert at.namespace["got"] is not streamlit
    assert at.namespace["got"].slider is __import__("rerunkernel").slider
    assert real_streamlit_loaded()


def test_a_submodule_we_dont_provide_is_an_error_naming_it():
    at = AppTest.from_string("import streamlit.web.bootstrap").run()
    assert "streamlit.web" in at.exception[0].text
    assert streamlit_shim.OPT_OUT in at.exception[0].text
    assert real_streamlit_loaded()


def test_a_missing_attribute_names_the_api():
    at = AppTest.from_string("import streamlit as st\nst.not_an_api()").run()
    assert "st.not_an_api is not available" in at.exception[0].text


def test_opting_out_imports_the_real_streamlit(monkeypatch):
    monkeypatch.setenv(streamlit_shim.OPT_OUT, "1")
    at = AppTest.from_string("import streamlit as st\nfile = st.__file__").run()
    assert at.namespace["file"] == streamlit.__file__


def test_streamlit_apptest_still_gets_the_real_package_after_ours():
    AppTest.from_file(CHAT).run()
    at = StreamlitAppTest.from_string("import streamlit as st\nst.write(st.__file__)",
                                      default_timeout=60).run()
    assert at.markdown[0].value == streamlit.__file__


def test_magic_writes_bare_values_in_a_py_app_but_not_docstrings_or_calls():
    source = '''
        """The docstring is not drawn."""
        import streamlit as st
        "# Title"
        x = 3
        x
        def f():
            "a function's docstring"
            "written when called"
        f()
        st.write("a call's result is not written twice")
        x, x + 1
    '''
    ours = AppTest.from_string(source).run()
    theirs = StreamlitAppTest.from_string(source, default_timeout=60).run()
    expected = [normal_text("markdown", e.value) for e in theirs.markdown]
    assert expected == ["# Title", "3", "written when called",
                        "a call's result is not written twice", "3 4"]
    assert markdown_of(ours) == expected


def test_magic_can_be_turned_off():
    at = AppTest.from_string("""
        import streamlit as st
        st.set_option("runner.magicEnabled", False)
    """)
    at.run()
    try:
        off = AppTest.from_string('"not drawn"').run()
        assert markdown_of(off) == []
    finally:
        import rerunkernel

        rerunkernel.set_option("runner.magicEnabled", True)


def test_asyncio_run_works_when_the_app_runs_inside_a_running_loop():
    """`%rerun_watch` and `rerunkernel run` run apps from a cell, inside the kernel's loop."""
    app = AppTest.from_string("""
        import asyncio
        async def answer():
            await asyncio.sleep(0)
            return 42
        value = asyncio.run(answer())
    """)

    async def from_a_cell():
        app.run()
        return asyncio.get_running_loop()

    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(from_a_cell()) is loop
    finally:
        loop.close()
    assert not app.exception, app.exception
    assert app.namespace["value"] == 42


def test_button_key_in_session_state_is_false_until_clicked():
    at = AppTest.from_string("""
        import streamlit as st
        st.button("Go", key="go")
        st.write(f"go={st.session_state.go}")
    """).run()
    assert markdown_of(at) == ["go=False"]
    at.button(key="go").click().run()
    assert markdown_of(at) == ["go=True"]


def test_form_submit_buttons_are_buttons_and_widgets_are_found_by_key():
    source = """
        import streamlit as st
        with st.form("f"):
            name = st.text_input("Name", key="name")
            sent = st.form_submit_button("Send")
        st.write(f"sent={sent} name={name}")
    """
    ours = AppTest.from_string(source).run()
    theirs = StreamlitAppTest.from_string(source, default_timeout=60).run()
    for at in (ours, theirs):
        assert [b.label for b in at.button] == ["Send"]
        at.text_input(key="name").set_value("Ada")
        at.button[0].click().run()
    assert markdown_of(ours) == [e.value for e in theirs.markdown] == ["sent=True name=Ada"]


# --- one app with the newer elements, under both AppTests ---------------------------------


def read(at, streamlit_side: bool) -> dict[str, list]:
    return {
        "markdown": [e.value for e in at.markdown],
        "caption": [e.value for e in (at.caption if streamlit_side else at.get("caption"))],
        "code": [e.value for e in (at.code if streamlit_side else at.get("code"))],
        "dataframe": [(e.value.shape, list(e.value.columns)) for e in at.dataframe],
        "metric": [(e.label, e.value) for e in (at.metric if streamlit_side
                                                 else at.get("metric"))],
    }


def test_chat_app_reads_the_same_under_both_apptests():
    theirs = StreamlitAppTest.from_file(str(CHAT), default_timeout=60).run()
    ours = AppTest.from_file(CHAT).run()
    assert not ours.exception, ours.exception
    assert read(ours, False) == read(theirs, True)

    for at in (theirs, ours):
        at.chat_input[0].set_value("where is my tea").run()
    assert read(ours, False) == read(theirs, True)
    assert "You asked: where is my tea" in markdown_of(ours)
    assert [e.value for e in ours.get("caption")] == ["10 words so far"]
    assert len(ours.get("chat_message")) == 2 == len(theirs.chat_message)

    # the message is sent once: a rerun for another reason adds nothing
    ours.run()
    theirs.run()
    assert read(ours, False) == read(theirs, True)

    for at in (theirs, ours):
        at.button(key="reset").click().run()
    assert read(ours, False) == read(theirs, True)
    assert "where is my tea" not in markdown_of(ours)


def test_pills_and_segmented_control_values():
    ours = AppTest.from_file(CHAT).run()
    ours.pills("Topics").set_value(["Shipping", "Billing"])
    ours.segmented_control(key="tone").set_value("Formal")
    ours.run()
    assert "Tone **Formal**, topics: Billing, Shipping" in markdown_of(ours)
    assert ours.pills[0].value == ["Billing", "Shipping"]


@pytest.mark.parametrize("call, message", [
    ("import streamlit.components.v1 as c\nc.declare_component('x', url='http://x')",
     "custom Streamlit components can't run in Jupyter"),
])
def test_apis_jupyter_cannot_honour_say_why(call, message):
    at = AppTest.from_string(f"import streamlit as st\n{call}").run()
    assert message in at.exception[0].text


# --- rerunkernel run (through its main(), in this process) ------------------------------------


def test_unchanged_app_runs_with_rerunkernel_run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["run", str(CHAT), "--set", "Tone=Formal"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "0 words so far" in out
    assert "Running in a session: True" in out
    assert "Tone **Formal**" in out


@pytest.mark.e2e
def test_notebook_and_watched_app_import_streamlit_in_a_rerun_kernel(tmp_path, capfd):
    """A Rerun Script notebook's own cells, and a `%rerun_watch` app inside the kernel's loop."""
    import nbformat

    cells = [
        "import streamlit as st\nst.write(f'notebook sees rerunkernel: {st.slider.__module__}')",
        f"%rerun_watch --once {str(CHAT)!r}",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "rerun", "display_name": "Rerun Script",
                                 "language": "python"}
    path = tmp_path / "uses_streamlit.ipynb"
    nbformat.write(nb, str(path))
    code = main(["run", str(path)])
    out, err = capfd.readouterr()
    assert code == 0, out + err
    assert "notebook sees rerunkernel: rerunkernel.elements.inputs" in out
    assert "0 words so far" in out  # asyncio.run inside the kernel's running loop
