"""Parameters and values real Streamlit apps pass, under Streamlit's AppTest and ours.

Each app is run unchanged (`import streamlit as st`) by both; neither may raise, and what a
reader sees (texts, values, what a call returns) must agree where both can draw it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.testing import AppTest

from test_apps import normal_text


def both(source: str) -> tuple[AppTest, StreamlitAppTest]:
    source = "import streamlit as st\n" + source
    ours = AppTest.from_string(source).run()
    theirs = StreamlitAppTest.from_string(source, default_timeout=60).run()
    assert not theirs.exception, [e.value for e in theirs.exception]
    assert not ours.exception, ours.exception[0].text
    return ours, theirs


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.data.get("text/plain", "") for e in at.get(kind)]


def markdown_values(theirs: StreamlitAppTest) -> list[str]:
    return [normal_text("markdown", e.value) for e in theirs.markdown]


# --- icons ---------------------------------------------------------------------------------


ICONS_APP = """
st.title("Sales", icon=":material/bar_chart:")
st.info("Saved", icon=":material/check_circle:")
st.warning("Careful", icon="⚠️")
st.error("Not found", icon=":material/dataset:")
st.button("Home", icon=":material/home:")
with st.expander("Details", icon=":material/info:"):
    st.write("inside")
with st.form("f"):
    st.form_submit_button("Send", icon=":material/send:")
st.download_button("Get", "data", icon=":material/download:")
st.link_button("Docs", "https://docs.streamlit.io", icon=":material/open_in_new:")
st.page_link("https://streamlit.io", label="Site", icon="🌐")
with st.popover("Settings", icon=":material/settings:"):
    st.write("options")
with st.chat_message("assistant", avatar=":material/smart_toy:"):
    st.write("hello")
with st.chat_message("user", avatar="🦜"):
    st.write("hi")
st.toast("Done", icon=":material/celebration:")
st.markdown("Go :material/arrow_forward: next")
"""


def test_icons_of_every_kind_draw_as_text():
    ours, theirs = both(ICONS_APP)
    assert texts(ours, "info") == ["Info: ✅ Saved"]
    assert texts(ours, "warning") == ["Warning: ⚠️ Careful"]
    # an icon without a look-alike keeps its name
    assert texts(ours, "error") == ["Error: [dataset] Not found"]
    assert "# 📊 Sales" in ours.get("title")[0].data["text/markdown"]
    assert [b.widget.description for b in ours.button] == ["🏠 Home", "➤ Send"]
    assert ours.get("expander")[0].value.titles == ("ℹ Details",)
    assert "⬇ Get" in ours.get("download_button")[0].data["text/html"]
    assert "↗ Docs" in ours.get("link_button")[0].data["text/html"]
    assert "🌐 Site" in ours.get("link_button")[1].data["text/html"]
    assert ours.get("popover")[0].value.titles == ("⚙ Settings",)
    badges = [m.value.children[0].value for m in ours.get("chat_message")]
    assert "🤖" in badges[0] and "🦜" in badges[1]
    assert "🎉 Done" in texts(ours, "toast")[0]
    assert "Go → next" in ours.markdown[-1].data["text/markdown"]
    # the value an app reads back is what it passed, as in Streamlit
    assert [e.value for e in theirs.markdown] == [e.value for e in ours.markdown] == [
        "inside", "options", "hello", "hi", "Go :material/arrow_forward: next"]
    assert [e.icon for e in theirs.info] == [":material/check_circle:"]


@pytest.mark.parametrize("icon, message", [
    (":smile:", "emoji shortcodes are not icons"),
    (":material/Home:", "is not a Material icon"),
    ("home", "is not an icon"),
])
def test_an_invalid_icon_is_an_error_in_both(icon, message):
    source = f"import streamlit as st\nst.info('x', icon={icon!r})"
    ours = AppTest.from_string(source).run()
    theirs = StreamlitAppTest.from_string(source, default_timeout=60).run()
    assert message in ours.exception[0].text
    assert theirs.exception


# --- headings, code, handles, write -------------------------------------------------------


def test_headings_without_an_anchor_and_with_a_named_one():
    ours, theirs = both("""
st.header("Plain", anchor=False)
st.subheader("Named", anchor="results")
""")
    plain, named = ours.get("header")[0], ours.get("subheader")[0]
    assert 'class="rk-no-anchor"' in plain.data["text/markdown"]
    assert ".rk-no-anchor .jp-InternalAnchorLink{display:none}" in plain.data["text/markdown"]
    assert '<a id="results"></a>Named' in named.data["text/markdown"]
    assert [h.value for h in theirs.header] == [plain.value] == ["Plain"]
    assert [h.value for h in theirs.subheader] == [named.value] == ["Named"]


def test_code_with_line_numbers_and_wrapped_lines():
    ours, theirs = both("""
st.code("a = 1\\nb = 2\\nprint(a + b)", line_numbers=True)
st.code("x = '" + "long " * 40 + "'", wrap_lines=True)
""")
    numbered, wrapped = ours.get("code")
    assert "<pre" in numbered.data["text/markdown"]
    assert ">1\n2\n3</pre>" in numbered.data["text/markdown"]
    assert "```python\na = 1\nb = 2\nprint(a + b)\n```" in numbered.data["text/markdown"]
    assert 'class="rk-code-wrap"' in wrapped.data["text/markdown"]
    assert [c.value for c in theirs.code] == [numbered.value, wrapped.value]


def test_elements_return_a_handle_that_replaces_or_empties_them():
    ours, theirs = both("""
status = st.text("Loading")
status.text("Loaded")
note = st.success("Saved")
note.empty()
title = st.title("Draft")
title.markdown("Final")
""")
    assert [e.value for e in ours.text] == [e.value for e in theirs.text] == ["Loaded"]
    assert not ours.get("success") and not theirs.success
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == ["Final"]
    assert not ours.get("title") and not theirs.title


def test_write_gives_lists_dicts_and_state_their_own_json_element():
    ours, theirs = both("""
from collections import namedtuple
st.session_state.count = 2
Point = namedtuple("Point", "x y")
st.write("Items:", [1, 2, 3], "and", {"a": 1}, "state", st.session_state)
st.write("span", (3, 7), "point", Point(1, 2))
""")
    kinds = [e.kind for e in ours.elements]
    assert kinds == ["markdown", "json", "markdown", "json", "markdown", "json", "markdown",
                     "json"]
    assert [e.value for e in ours.markdown] == markdown_values(theirs) == [
        "Items:", "and", "state", "span (3, 7) point"]
    assert [e.value for e in ours.get("json")][:2] == [[1, 2, 3], {"a": 1}]
    assert ours.get("json")[2].data["application/json"] == {"count": 2}
    assert ours.get("json")[3].data["application/json"] == {"x": 1, "y": 2}
    assert len(theirs.json) == 4
