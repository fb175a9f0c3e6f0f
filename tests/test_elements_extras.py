"""set_page_config, html, link_button, help, write_stream, balloons and snow."""

from __future__ import annotations

import pytest

from rerunkernel.testing import AppTest


def run(body: str) -> AppTest:
    return AppTest.from_string("import rerunkernel as st\n" + body).run()


def test_set_page_config_is_accepted_and_checked():
    at = run("st.set_page_config(page_title='App', page_icon='🎈', layout='wide')\nst.write('ok')")
    assert at.markdown.values == ["ok"]
    at = run("st.set_page_config(layout='huge')")
    assert "must be 'centered' or 'wide'" in str(at.exception[0].value)


def test_html_drops_a_script_as_streamlit_never_runs_it(tmp_path):
    at = run("st.html('<b>bold</b>')")
    assert at.get("html")[0].data["text/html"] == "<b>bold</b>"
    at = run("st.html('<b>kept</b><script>alert(1)</script>')")
    assert at.get("html")[0].data["text/html"] == "<b>kept</b>"
    (tmp_path / "card.html").write_text("<i>from a file</i>")
    (tmp_path / "look.css").write_text("b {color: red}")
    at = run(f"st.html({str(tmp_path / 'card.html')!r})\nst.html({str(tmp_path / 'look.css')!r})")
    assert [e.data["text/html"] for e in at.get("html")] == [
        "<i>from a file</i>", "<style>b {color: red}</style>"]


def test_link_button_opens_its_url_in_a_new_tab():
    at = run("clicked = st.link_button('Docs', 'https://example.org/docs', type='primary')\n"
             "st.write('clicked', clicked)")
    element = at.get("link_button")[0]
    assert 'href="https://example.org/docs" target="_blank"' in element.data["text/html"]
    assert element.text == "[Docs] https://example.org/docs"
    assert at.markdown.values == ["clicked False"]


def test_help_shows_the_documentation():
    at = run("st.help(st.slider)")
    assert "slider" in at.get("help")[0].text


def test_write_stream_grows_one_slot_and_returns_the_text():
    at = run("def words():\n    yield 'one '\n    yield 'two '\n    yield 'three'\n"
             "text = st.write_stream(words())\nst.write('got', len(text))")
    assert at.markdown.values == ["one two three", "got 13"]


@pytest.mark.parametrize("kind", ["balloons", "snow"])
def test_celebrations_draw_a_passing_element(kind):
    at = run(f"st.{kind}()")
    assert at.get(kind)[0].data["text/html"].startswith(f'<div class="rk-{kind}"')
