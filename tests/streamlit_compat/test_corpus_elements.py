"""Calls from Streamlit's own examples that didn't run, or drew other elements, under ours.

Each app runs unchanged (`import streamlit as st`) under Streamlit's AppTest and ours in the
same process; both must run clean and draw the same elements where both can draw them.
`bench/streamlit_corpus.py` measures the same on the examples themselves.
"""

from __future__ import annotations

import textwrap

from side_by_side import STREAMLIT_TIMEOUT, both, both_files
from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.testing import AppTest

# --- buttons -------------------------------------------------------------------------------


def test_buttons_take_a_width_and_an_icon_on_the_right():
    theirs, ours = both('''
        import streamlit as st

        st.button("Wide", width="stretch")
        st.button("Fixed", width=200, icon=":material/send:", icon_position="right")
        with st.form("f"):
            st.text_input("Name")
            st.form_submit_button("Send", width="stretch", icon="🚀", icon_position="left")
    ''')
    assert [b.label for b in theirs.button] == [b.label for b in ours.button] == [
        "Wide", "Fixed", "Send"]
    wide, fixed, send = (b.widget for b in ours.button)
    assert (wide.layout.width, fixed.layout.width, send.layout.width) == (
        "100%", "200px", "100%")
    assert fixed.description == "Fixed ➤"
    assert send.description == "🚀 Send"


def test_a_bad_width_or_icon_position_names_the_button():
    at = AppTest.from_string('import streamlit as st\nst.button("Go", width="huge")').run()
    assert "rk.button(width='huge')" in at.exception[0].text
    at = AppTest.from_string('import streamlit as st\nst.button("Go", icon_position="up")').run()
    assert "rk.button('Go'): icon_position must be 'left' or 'right'" in at.exception[0].text


def test_a_keyboard_shortcut_is_an_error_saying_why():
    source = 'import streamlit as st\nst.write("before")\nst.button("Save", shortcut="Ctrl+S")'
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    assert not theirs.exception  # Streamlit binds the key in the app's page
    ours = AppTest.from_string(source).run()
    assert [m.value for m in ours.markdown] == ["before"]
    text = ours.exception[0].text
    assert "rk.button(shortcut='Ctrl+S') is not supported" in text
    assert "keyboard shortcuts belong to the notebook" in text


# --- st.context ----------------------------------------------------------------------------


def test_context_has_every_field_empty_as_with_no_browser():
    theirs, ours = both('''
        import streamlit as st

        ctx = st.context
        st.write(f"headers {dict(ctx.headers)} {ctx.headers.get_all('Accept')}")
        st.write(f"cookies {ctx.cookies.to_dict()} {len(ctx.cookies)}")
        st.write(f"theme {ctx.theme.type} {ctx.theme['type']}")
        st.write(f"browser {ctx.locale} {ctx.timezone} {ctx.timezone_offset} {ctx.url}")
        st.write(f"embedded {bool(ctx.is_embedded)}")
        st.write(f"by key {dict(ctx['headers'])}")
    ''')
    expected = ["headers {} []", "cookies {} 0", "theme None None",
                "browser None None None None", "embedded False", "by key {}"]
    assert [m.value for m in theirs.markdown] == expected
    assert [m.value for m in ours.markdown] == expected


def test_context_headers_are_read_case_insensitively():
    from rerunkernel.streamlit_compat.context import Headers

    headers = Headers([("accept-language", "en"), ("Accept-Language", "fr")])
    assert headers["ACCEPT-LANGUAGE"] == "en"
    assert headers.get_all("accept-language") == ["en", "fr"]
    assert headers.to_dict() == {"Accept-Language": "en"}


# --- navigation ----------------------------------------------------------------------------


def test_navigation_takes_functions_and_page_files_as_streamlit_does(tmp_path):
    (tmp_path / "settings.py").write_text(
        "import streamlit as st\nst.write('the settings page')\n")
    app = tmp_path / "app.py"
    app.write_text(textwrap.dedent('''
        import streamlit as st


        def home():
            st.write("the home page")


        page = st.navigation([home, "settings.py"])
        page.run()
    '''))
    theirs, ours = both_files(app)
    for at in (theirs, ours):
        assert [m.value for m in at.markdown] == ["the home page"]
    menu = ours.radio[0]
    assert [label for label, _ in menu.widget.options] == ["Home", "Settings"]
    menu.widget.value = 1  # the user picks the second page
    ours.run()
    assert [m.value for m in ours.markdown] == ["the settings page"]


def test_a_navigation_entry_of_another_type_names_what_it_takes():
    at = AppTest.from_string('import streamlit as st\nst.navigation([42])').run()
    assert "expected rk.Page objects, .py paths or functions, got 42" in at.exception[0].text



# --- layout --------------------------------------------------------------------------------


def test_columns_take_streamlits_gap_sizes_a_width_and_wrap():
    theirs, ours = both('''
        import streamlit as st

        a, b = st.columns(2, gap="xsmall", wrap=False, width=400)
        a.write("left")
        b.write("right")
        c, d = st.columns([2, 1], gap=20)
        c.write("wide")
        with st.container(horizontal=True, wrap=False):
            for label in ("Edit", "Archive"):
                st.button(label)
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "left", "right", "wide"]
    assert [b.label for b in theirs.button] == [b.label for b in ours.button] == [
        "Edit", "Archive"]
    narrow, spaced = (c.value for c in ours.get("columns"))
    assert narrow.layout.width == "400px"
    assert [col.layout.padding for col in narrow.children] == ["0 2px", "0 2px"]
    assert [col.layout.padding for col in spaced.children] == ["0 10px", "0 10px"]
    assert ours.get("container")[0].value.layout.flex_flow == "row nowrap"


def test_columns_of_a_content_width_or_an_unknown_gap_say_what_they_take():
    at = AppTest.from_string('import streamlit as st\nst.columns(2, width="content")').run()
    assert "width must be 'stretch' or a number of pixels" in at.exception[0].text
    at = AppTest.from_string('import streamlit as st\nst.columns(2, gap="huge")').run()
    assert "gap must be one of 'xxsmall', 'xsmall', 'small'" in at.exception[0].text


# --- maps ----------------------------------------------------------------------------------


def test_maps_take_alt_text():
    theirs, ours = both('''
        import pandas as pd
        import pydeck as pdk
        import streamlit as st

        points = pd.DataFrame({"lat": [37.76, 37.77], "lon": [-122.4, -122.41]})
        st.map(points, alt="Two stores in San Francisco")
        st.pydeck_chart(pdk.Deck(initial_view_state=pdk.ViewState(latitude=37.76,
                                                                  longitude=-122.4)),
                        alt="An empty map of San Francisco")
    ''')
    assert len(theirs.get("deck_gl_json_chart")) == 2
    assert ours.chart[0].value["description"] == "Two stores in San Francisco"
    assert ours.get("pydeck_chart")[0].text == "An empty map of San Francisco"


# --- datetime_input ------------------------------------------------------------------------


def test_datetime_input_returns_the_datetime_set_as_streamlits_does():
    theirs, ours = both('''
        from datetime import datetime

        import streamlit as st

        event = st.datetime_input("Schedule your event", datetime(2025, 11, 19, 16, 45))
        st.write(f"event {event:%Y-%m-%d %H:%M}")
        later = st.datetime_input("Reminder", value=None, key="reminder")
        st.write(f"reminder {later}")
    ''')
    expected = ["event 2025-11-19 16:45", "reminder None"]
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == expected
    assert [w.label for w in theirs.datetime_input] == [w.label for w in ours.datetime_input]
    assert ours.datetime_input("reminder").value is None
    import datetime as dt

    ours.datetime_input(key="reminder").set_value(dt.datetime(2025, 11, 20, 9, 0)).run()
    theirs.datetime_input(key="reminder").set_value(dt.datetime(2025, 11, 20, 9, 0)).run()
    for at in (theirs, ours):
        assert at.markdown[1].value == "reminder 2025-11-20 09:00:00"


def test_datetime_input_defaults_to_now_and_keeps_it_across_runs():
    at = AppTest.from_string('''
        import streamlit as st
        moment = st.datetime_input("When")
        st.write(type(moment).__name__)
    ''').run()
    first = at.datetime_input[0].widget
    at.run()
    assert at.datetime_input[0].widget is first  # "now" stays the same default
    assert at.markdown[0].value == "datetime"


def test_datetime_input_outside_its_bounds_or_with_a_time_zone_says_so():
    at = AppTest.from_string('''
        import datetime as dt
        import streamlit as st
        st.datetime_input("When", dt.datetime(2030, 1, 1), max_value=dt.datetime(2029, 1, 1))
    ''').run()
    assert "rk.datetime_input('When'): value 2030-01-01 00:00:00 is outside" in (
        at.exception[0].text)
    at = AppTest.from_string('''
        import datetime as dt
        import streamlit as st
        st.datetime_input("When", dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    ''').run()
    assert "must be a naive datetime" in at.exception[0].text


# --- what a notebook can't do --------------------------------------------------------------


def test_st_app_is_an_error_saying_a_notebook_has_no_web_server_of_its_own():
    source = 'import streamlit as st\nst.write("before")\napp = st.App("main.py")'
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    assert not theirs.exception
    ours = AppTest.from_string(source).run()
    assert [m.value for m in ours.markdown] == ["before"]
    text = ours.exception[0].text
    assert "NotImplementedError: st.App makes the app an ASGI web application" in text
    assert "Run the app with `streamlit run`" in text


# --- what libraries built on Streamlit use -------------------------------------------------


def test_a_library_wrapping_its_functions_in_streamlits_helpers_runs():
    theirs, ours = both('''
        import streamlit as st
        from streamlit.deprecation_util import show_deprecation_warning
        from streamlit.runtime.metrics_util import gather_metrics


        @gather_metrics("my_extra.badge")
        def badge(text):
            show_deprecation_warning("badge() is deprecated: use st.badge", show_once=True)
            st.write(f"[{text}]")


        counted = gather_metrics("my_extra.plain", lambda: st.write("plain"))
        badge("one")
        badge("two")
        counted()
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "[one]", "[two]", "plain"]
    assert [w.value for w in ours.get("warning")] == ["badge() is deprecated: use st.badge"]


def test_a_checkbox_takes_a_width_and_a_frame_may_be_zero_pixels_wide():
    theirs, ours = both('''
        import streamlit as st
        import streamlit.components.v1 as components

        done = st.checkbox("Done", width=120)
        st.checkbox("Wide", width="stretch")
        components.html("<script>1</script>", width=0, height=0)
        st.write(f"done: {done}")
    ''')
    assert [c.label for c in theirs.checkbox] == [c.label for c in ours.checkbox] == [
        "Done", "Wide"]
    assert [c.widget.layout.width for c in ours.checkbox] == ["120px", "100%"]
    assert 'style="width:0px;height:0px' in ours.get("iframe")[0].data["text/html"]
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "done: False"]


# --- fragments by key ----------------------------------------------------------------------


def test_a_keyed_fragment_is_rerun_by_its_key_from_a_callback():
    source = '''
        import streamlit as st

        st.session_state.setdefault("runs", 0)
        st.session_state.runs += 1


        @st.fragment(key="charts")
        def charts():
            st.write(f"charts drawn, run {st.session_state.runs}")


        charts()
        st.button("Refresh charts", on_click=lambda: st.rerun("charts"))
    '''
    theirs, ours = both(source)
    for at in (theirs, ours):
        assert [m.value for m in at.markdown] == ["charts drawn, run 1"]
    theirs.button[0].click().run()
    ours.button[0].click().run()
    assert not theirs.exception and not ours.exception, ours.exception
    # the fragment runs alone: the script's own counter stays where it was
    for at in (theirs, ours):
        assert [m.value for m in at.markdown] == ["charts drawn, run 1"]


def test_rerun_of_an_unknown_fragment_key_or_a_parallel_fragment_says_what_it_takes():
    at = AppTest.from_string('''
        import streamlit as st

        @st.fragment(key="known")
        def part():
            st.write("part")

        part()
        st.rerun("typo")
    ''').run()
    text = at.exception[0].text
    assert "rk.rerun(scope='typo'): must be 'app', 'fragment' or the key of a fragment" in text
    assert "['known']" in text
    at = AppTest.from_string('''
        import streamlit as st
        st.fragment(lambda: None, parallel=True)
    ''').run()
    assert "rk.fragment(parallel=True) is not supported" in at.exception[0].text


def test_a_chat_input_stopping_a_stream_says_what_is_taken():
    ours = AppTest.from_string('import streamlit as st\nst.chat_input(submit_mode="stop")').run()
    assert "rk.chat_input(submit_mode='stop') is not supported" in ours.exception[0].text


# --- text and choice -----------------------------------------------------------------------


def test_a_live_text_input_commits_as_the_user_types():
    theirs, ours = both('''
        import streamlit as st

        query = st.text_input("Search", live=True)
        st.text_input("Slow search", live="500ms")
        st.text_input("Plain")
        st.write(f"query: {query!r}")
    ''')
    assert [w.label for w in theirs.text_input] == [w.label for w in ours.text_input]
    assert [w.widget.continuous_update for w in ours.text_input] == [True, True, False]
    ours.text_input("Search").widget.value = "ca"  # a keystroke, no Enter
    ours.run()
    assert ours.markdown[0].value == "query: 'ca'"


def test_a_bad_live_pause_says_what_is_taken():
    at = AppTest.from_string('import streamlit as st\nst.text_input("Q", live="2min")').run()
    assert "live must be True, False or a pause like '250ms' (at most a minute)" in (
        at.exception[0].text)


def test_a_dialog_takes_a_position_and_an_icon():
    theirs, ours = both('''
        import streamlit as st


        @st.dialog("Details", position="right", icon="📦")
        def details(item):
            st.write(f"Details for {item}")


        if st.button("Open details"):
            details("Order #1234")
    ''')
    ours.button[0].click().run()
    theirs.button[0].click().run()
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "Details for Order #1234"]
    assert ours.get("dialog")[0].value.titles == ("📦 Details",)
    at = AppTest.from_string('''
        import streamlit as st
        st.dialog("D", position="top")
    ''').run()
    assert "rk.dialog(position='top'): must be 'center', 'left' or 'right'" in (
        at.exception[0].text)


def test_write_shows_functions_modules_classes_and_bare_objects_with_help():
    theirs, ours = both('''
        import dataclasses
        import json

        import streamlit as st


        @dataclasses.dataclass
        class Point:
            x: int = 1


        class Plain:
            pass


        st.write(json.dumps)
        st.write(json)
        st.write(Point, Point())
        st.write(Plain())
        st.write("text", 1.5, [1, 2])
        json.loads  # magic writes a bare value as st.write does
    ''')
    kinds = [e.type for e in theirs.main.children.values()]
    assert kinds == ["help_info", "help_info", "help_info", "help_info", "help_info",
                     "markdown", "json", "help_info"]
    assert [e.kind for e in ours.elements] == [
        "help", "help", "help", "help", "help", "markdown", "json", "help"]
    assert ours.elements[0].value is ours.namespace["json"].dumps


def test_button_markdown_and_media_columns_show_their_cells():
    theirs, ours = both('''
        import pandas as pd
        import streamlit as st

        df = pd.DataFrame({"name": ["Alice", "Bob"], "view": ["View", "View"],
                           "note": ["**bold**", "plain"]})
        st.dataframe(df, hide_index=True, column_config={
            "view": st.column_config.ButtonColumn("Open", type="tertiary",
                                                  on_click=lambda: None, key="view_click"),
            "note": st.column_config.MarkdownColumn("Note"),
        })
        st.write(st.column_config.JsonColumn("J")["type_config"],
                 st.column_config.AudioColumn("A")["type_config"],
                 st.column_config.VideoColumn("V")["type_config"])
    ''')
    assert len(theirs.dataframe) == len(ours.dataframe) == 1
    table = ours.dataframe[0].data["text/html"]
    assert ">Open<" in table and ">Note<" in table and "Alice" in table
    assert ours.get("json")[0].value == {"type": "json"}


def test_a_spinner_showing_its_time_runs_as_in_streamlit():
    theirs, ours = both('''
        import streamlit as st

        with st.spinner("Wait for it...", show_time=True):
            answer = 6 * 7
        st.success(f"Done: {answer}")
    ''')
    assert [s.value for s in theirs.success] == [s.value for s in ours.get("success")] == [
        "Done: 42"]


# --- diagrams ------------------------------------------------------------------------------


def test_a_mermaid_chart_is_the_markdown_block_streamlit_draws():
    theirs, ours = both('''
        import streamlit as st

        st.mermaid_chart("graph TD; Order --> Scoop", alt="How an order\\nis served")
        st.mermaid_chart("graph LR; A -->|````| B")
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown]
    first, second = ours.markdown
    assert first.data["text/markdown"] == (
        "````mermaid\n%% stAlt: How an order is served\ngraph TD; Order --> Scoop\n````")
    assert first.text == "How an order\nis served"
    assert second.data["text/markdown"].startswith("`````mermaid\n")  # longer than the body's
    at = AppTest.from_string('import streamlit as st\nst.mermaid_chart("graph TD; A", width=300)')
    assert "rk.mermaid_chart(width=300) is not supported" in at.run().exception[0].text
