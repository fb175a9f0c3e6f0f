"""Streamlit's newer API in-process: pages, settings, containers drawn in place, and the
elements that show data or documents (`rerunkernel.testing.AppTest`; the multipage app is
also run by Streamlit's AppTest)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest as StreamlitAppTest

import rerunkernel as rk
from rerunkernel.testing import AppTest

APPS = Path(__file__).resolve().parent / "streamlit_compat" / "apps"


def texts(at, kind: str) -> list[str]:
    return [e.text for e in at.get(kind)]


def test_multipage_app_switches_pages_like_streamlit(tmp_path):
    shutil.copy(APPS / "multipage.py", tmp_path)
    shutil.copytree(APPS / "pages", tmp_path / "pages")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[user]\nname = "Ada"\n')
    theirs = StreamlitAppTest.from_file(str(tmp_path / "multipage.py"), default_timeout=60)
    theirs.secrets["user"] = {"name": "Ada"}
    theirs.run()
    ours = AppTest.from_file(tmp_path / "multipage.py").run()
    assert not ours.exception, ours.exception
    assert [h.value for h in theirs.header] == texts(ours, "header") == ["Home"]
    assert [m.value for m in theirs.markdown] == texts(ours, "markdown") == ["Signed in as Ada"]

    theirs.button[0].click().run()
    ours.button("See orders").click().run()
    assert [h.value for h in theirs.header] == texts(ours, "header") == ["Orders"]
    # switching pages clears the query, in both
    assert [m.value for m in theirs.markdown] == texts(ours, "markdown") == [
        "Showing orders for everywhere"]
    assert ours.radio(key="rk-navigation").value.title == "Orders"


def test_a_missing_secret_names_the_key_and_the_files_read(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import streamlit as st\nst.write(st.secrets['token'])")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('other = "x"\n')
    at = AppTest.from_file(app).run()
    message = at.exception[0].text
    assert "'token'" in message and str(tmp_path / ".streamlit" / "secrets.toml") in message


def test_query_params_belong_to_the_session():
    source = """
        import streamlit as st
        st.query_params.tab = "b"
        st.query_params["ids"] = [1, 2]
        st.write(st.query_params.to_dict(), st.query_params.get_all("ids"))
        st.write(st.experimental_get_query_params())
    """
    first, second = AppTest.from_string(source).run(), AppTest.from_string("""
        import streamlit as st
        st.write(len(st.query_params))
    """).run()
    # as in Streamlit's write, dicts and lists are JSON elements of their own
    assert [e.value for e in first.get("json")] == [
        {"tab": "b", "ids": "2"}, ["1", "2"], {"tab": ["b"], "ids": ["1", "2"]}]
    assert texts(second, "markdown") == ["0"]


def test_options_read_back_and_unknown_names_fail():
    assert rk.get_option("server.maxUploadSize") == 200
    with pytest.raises(ValueError, match="Did you mean 'theme.primaryColor'"):
        rk.get_option("primaryColor")


def test_dialog_opens_stays_open_and_closes_on_rerun():
    at = AppTest.from_file(APPS / "rename_dialog.py").run()
    assert len(at.get("dialog")) == 0
    at.button("Rename").click().run()
    assert len(at.get("dialog")) == 1
    at.text_input("New name").set_value("b").run()  # a change inside keeps it open
    assert len(at.get("dialog")) == 1
    at.button("Save").click().run()
    assert len(at.get("dialog")) == 0
    assert texts(at, "markdown") == ["name=b"]


def test_fragment_run_every_asks_for_a_rerun():
    at = AppTest.from_string("""
        import streamlit as st

        @st.fragment(run_every=0.05)
        def clock():
            st.write("tick")

        clock()
    """)
    asked = threading.Event()
    schedule = at._host.schedule
    at._host.schedule = lambda session: (schedule(session), asked.set())
    at.run()
    assert texts(at, "markdown") == ["tick"]
    assert asked.wait(timeout=30)


def test_an_experimental_fragment_keeps_its_widget_values():
    at = AppTest.from_string("""
        import streamlit as st

        @st.experimental_fragment
        def part():
            n = st.number_input("n", value=1)
            st.write(f"n={n}")

        part()
    """).run()
    at.number_input("n").set_value(3).run()
    assert texts(at, "markdown") == ["n=3"]


def test_column_config_labels_hides_and_formats_but_the_app_keeps_its_data():
    at = AppTest.from_string("""
        import streamlit as st
        import pandas as pd
        df = pd.DataFrame({"p": [1.5, 20.0], "when": pd.to_datetime(["2024-01-02", "2024-03-04"]),
                           "ok": [True, False], "secret": [1, 2]})
        st.dataframe(df, column_config={
            "p": st.column_config.NumberColumn("Price", format="$%.2f"),
            "when": st.column_config.DatetimeColumn("Day", format="DD MMM YYYY"),
            "ok": st.column_config.CheckboxColumn("OK?"),
            "secret": None,
            "_index": st.column_config.Column("Row"),
        })
    """).run()
    table = at.dataframe[0]
    assert list(table.value.columns) == ["p", "when", "ok", "secret"]
    html = table.data["text/html"]
    assert "$1.50" in html and "$20.00" in html and "02 Jan 2024" in html
    assert "Price" in html and "Row" in html and "secret" not in html and "✔" in html


def test_data_editor_shows_a_read_only_table_and_returns_the_data():
    at = AppTest.from_string("""
        import streamlit as st
        edited = st.data_editor({"a": [1, 2]})
        st.write(edited == {"a": [1, 2]})
    """).run()
    assert "Read-only here" in at.dataframe[0].data["text/html"]
    assert texts(at, "markdown") == ["True"]


def test_components_html_is_sandboxed_without_an_origin():
    at = AppTest.from_string("""
        import streamlit.components.v1 as components
        components.html("<script>parent.x = 1</script>", height=60)
        components.iframe("https://example.org", height=80)
    """).run()
    first, second = at.get("iframe")
    for frame in (first, second):
        assert 'sandbox="allow-scripts allow-forms allow-popups allow-modals"' in \
            frame.data["text/html"]
    assert "&lt;script&gt;parent.x" in first.data["text/html"]
    assert "height:80px" in second.data["text/html"]
    bad = AppTest.from_string("import streamlit.components.v1 as c\nc.iframe('javascript:x')")
    assert "only http, https" in bad.run().exception[0].text


def test_echo_map_graphviz_logo_and_popover():
    at = AppTest.from_string("""
        import streamlit as st
        with st.echo():
            total = 1 + 2
        st.map({"lat": [48.8, 51.5], "lon": [2.3, -0.1]}, size=20)
        st.graphviz_chart("digraph { a -> b }")
        with st.popover("More"):
            st.write("hidden until opened")
    """).run()
    assert texts(at, "code") == ["total = 1 + 2"]
    chart = at.chart[0].value
    assert chart["encoding"]["latitude"]["field"] == "lat" and len(chart["data"]["values"]) == 2
    assert at.get("graphviz_chart")[0].text == "digraph { a -> b }"
    assert texts(at, "markdown") == ["hidden until opened"]
    assert len(at.get("popover")) == 1


def test_map_without_coordinates_says_which_columns_it_has():
    at = AppTest.from_string("import streamlit as st\nst.map({'x': [1]})").run()
    assert "no latitude column" in at.exception[0].text and "['x']" in at.exception[0].text


def test_feedback_and_chat_input_values():
    at = AppTest.from_string("""
        import streamlit as st
        stars = st.feedback("stars", key="stars")
        said = st.chat_input("Say")
        st.write(f"stars={stars} said={said}")
    """).run()
    assert texts(at, "markdown") == ["stars=None said=None"]
    at.feedback(key="stars").set_value(4)
    at.chat_input("Say").set_value("hi")
    at.run()
    assert texts(at, "markdown") == ["stars=4 said=hi"]
    at.run()  # sent once: the next run no longer has it
    assert texts(at, "markdown") == ["stars=4 said=None"]


def test_badge_space_and_iframe():
    at = AppTest.from_string("""
        import streamlit as st
        st.badge("New", color="green")
        st.space("medium")
        st.iframe("https://example.org", height=120)
        st.iframe("<p>inline</p>")
        st.write(st.user.is_logged_in)
    """).run()
    assert at.get("badge")[0].text == "[New]"
    assert "height:2.5rem" in at.get("space")[0].data["text/html"]
    url, inline = at.get("iframe")
    assert 'src="https://example.org"' in url.data["text/html"]
    assert "srcdoc=" in inline.data["text/html"]
    assert texts(at, "markdown") == ["False"]


@pytest.mark.parametrize("call, message", [
    ("st.login()", "Streamlit's own web server"),
    ("st.connection('sql')", "inside an @rk.cache_resource function"),
    ("st.badge('x', color='pink')", "must be one of"),
])
def test_server_features_and_bad_values_say_why(call, message):
    at = AppTest.from_string(f"import streamlit as st\n{call}").run()
    assert message in at.exception[0].text
