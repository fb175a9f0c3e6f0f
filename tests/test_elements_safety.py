"""No HTML from data runs: every element's markdown and HTML with a hostile payload is inert.

Markdown is rendered the way JupyterLab's renderer (marked) treats a trusted output: raw
HTML passes and link targets are not filtered. The rendered HTML is then read with the
standard library's parser, as a browser would build elements from it.
"""

from __future__ import annotations

import math
import random
from html.parser import HTMLParser

import mistune
import pytest
from traitlets import TraitError

from rerunkernel.core.runner import not_run_element
from rerunkernel.elements.sanitize import _rewrite, safe_markdown, sanitize_html
from rerunkernel.testing import AppTest

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
JS_LINK = "[click](javascript:alert(1))"
HTML_JS_LINK = '<a href="javascript:alert(1)">click</a>'
PAYLOADS = [IMG, SCRIPT, JS_LINK, HTML_JS_LINK, "<svg onload=alert(1)>",
            "[click][ref]\n\n[ref]: javascript:alert(1)", "<javascript:alert(1)>",
            "[click](java&#9;script:alert(1))", "| `" + IMG + "| ` |\n|---|---|",
            "- item\n\n  ```\n" + IMG + "\n```", "<!-->" + IMG + "-->", "$x$ " + IMG]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


# like marked: raw HTML passes and link targets stay as written
_render = mistune.create_markdown(
    renderer=mistune.HTMLRenderer(escape=False, allow_harmful_protocols=True),
    plugins=["table", "strikethrough", "url"])


class _Live(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            link = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name in URL_ATTRIBUTES and link.startswith(("javascript:", "data:text/html")):
                self.found.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def live(html: str) -> list[str]:
    """What in `html` would run code in a browser."""
    parser = _Live()
    parser.feed(html)
    parser.close()
    return parser.found


def rendered(element) -> dict[str, str]:
    """Each HTML-bearing mimetype of an element, as HTML."""
    shown = {}
    if "text/markdown" in element.data:
        shown["text/markdown"] = _render(element.data["text/markdown"])
    if "text/html" in element.data:
        shown["text/html"] = element.data["text/html"]
    return shown


def drawn(source: str) -> list:
    at = AppTest.from_string("import rerunkernel as rk\n" + source).run()
    assert not at.exception, at.exception[0].data["text/plain"]
    return at.elements


def test_the_checker_sees_a_live_payload():
    for payload in (IMG, SCRIPT, HTML_JS_LINK):
        assert live(_render(payload)), payload
    assert live(_render(JS_LINK))


ELEMENT_CALLS = [
    "rk.markdown(p)", "rk.write(p)", "rk.write('a', p, 3)", "rk.caption(p)", "rk.title(p)",
    "rk.header(p, divider=True)", "rk.subheader(p)", "rk.info(p)", "rk.success(p)",
    "rk.warning(p, title=p)", "rk.error(p, icon='🔥')", "rk.latex(p)", "rk.code(p)",
    "rk.text(p)", "rk.write_stream(iter([p[:5], p[5:]]))", "rk.html(p.replace(SCRIPT, ''))",
    "rk.metric(p, p, p, help=p)", "rk.progress(0.5, text=p)", "rk.toast(p)",
    "rk.dataframe({p: [p]})", "rk.table({p: [p]})",
]


@pytest.mark.parametrize("call", ELEMENT_CALLS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_payload_is_inert_in_every_mimetype(call, payload):
    elements = drawn(f"p = {payload!r}\nSCRIPT = {SCRIPT!r}\n{call}")
    assert elements
    for element in elements:
        for mime, html in rendered(element).items():
            assert live(html) == [], (mime, element.data[mime])


def test_markdown_formatting_still_renders():
    body = ("## Results\n\n**bold**, *it*, `a <b> c`, [docs](https://example.org), "
            "[mail](mailto:a@example.org), [here](./page.html#top), <https://example.org/x>\n\n"
            "- one\n- two\n\n1. first\n\n```python\nif a<b and c>d:\n    pass\n```\n\n"
            "x < y, 3<4, $a<b$\n\n| a | b |\n|---|---|\n| `x<y` | 2 |\n")
    (element,) = drawn(f"rk.markdown({body!r})")
    html = _render(element.data["text/markdown"])
    for expected in ("<h2>Results</h2>", "<strong>bold</strong>", "<em>it</em>",
                     "<code>a &lt;b&gt; c</code>", '<a href="https://example.org">docs</a>',
                     '<a href="mailto:a@example.org">mail</a>',
                     '<a href="./page.html#top">here</a>',
                     '<a href="https://example.org/x">', "<li>one</li>", "<ol>",
                     "if a&lt;b and c&gt;d:", "x &lt; y, 3&lt;4", "<table>",
                     "<td><code>x&lt;y</code></td>"):
        assert expected in html, expected
    assert element.value == body
    # TeX ignores the space that keeps "<b" from opening a tag
    assert "$a< b$" in element.data["text/markdown"]


def test_unsafe_allow_html_passes_html_through():
    elements = drawn(f"rk.markdown({IMG!r}, unsafe_allow_html=True)\n"
                     f"rk.caption({IMG!r}, unsafe_allow_html=True)\n"
                     f"rk.write({IMG!r}, unsafe_allow_html=True)")
    assert all(IMG in e.data["text/markdown"] for e in elements)


def test_text_and_plain_fallbacks_keep_the_payload_as_written():
    (element,) = drawn(f"rk.write({IMG!r})")
    assert element.data["text/plain"] == IMG
    assert element.value == IMG


def test_html_keeps_markup_and_drops_what_runs():
    body = ('<div class="card" style="color:red"><b>bold</b> <a href="https://example.org">'
            'ok</a><a href="javascript:alert(1)" onclick="alert(1)">bad</a>'
            '<img src="data:image/png;base64,AAAA" alt="a &amp; b" onerror="alert(1)">'
            '<iframe src="https://example.org"></iframe><object data="x"></object>'
            '<a href="data:text/html,<b>x</b>">d</a>'
            '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
            '<text>t</text></a></svg><!-- note --><style>p > b {color: red}</style></div>')
    (element,) = drawn(f"rk.html({body!r})")
    html = element.data["text/html"]
    assert live(html) == []
    assert html == ('<div class="card" style="color:red"><b>bold</b> '
                    '<a href="https://example.org">ok</a><a>bad</a>'
                    '<img src="data:image/png;base64,AAAA" alt="a &amp; b"><a>d</a>'
                    '<svg><a><text>t</text></a></svg><style>p > b {color: red}</style></div>')
    assert element.data["text/plain"] == body


def test_html_with_javascript_allowed_is_left_alone():
    body = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    (element,) = drawn(f"rk.html({body!r}, unsafe_allow_javascript=True)")
    assert element.data["text/html"] == body


def test_html_sanitizer_is_not_fooled_by_parser_differences():
    # an SVG <style> is not raw text to a browser; an unterminated tag stays text
    assert live(sanitize_html('<svg><style><a id="</style><img src=1 onerror=alert(1)>">'
                              "</style></svg>")) == []
    assert sanitize_html("<b>x</b><img src=x onerror=alert(1)") == \
        "<b>x</b>&lt;img src=x onerror=alert(1)"
    assert live(sanitize_html('<a href="java&#x09;script:alert(1)">x</a>')) == []
    assert live(sanitize_html("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"
                              "</noscript>")) == []


@pytest.mark.parametrize("call", [
    "rk.link_button('go', {url!r})", "rk.image(b'GIF89a', link={url!r})",
])
@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<b>x</b>",
                                 "vbscript:x"])
def test_links_refuse_script_urls(call, url):
    at = AppTest.from_string("import rerunkernel as rk\n" + call.format(url=url)).run()
    (error,) = at.exception
    message = str(error.value)
    assert isinstance(error.value, ValueError)
    assert message.startswith(("rk.link_button(url=", "rk.image(link=")), message
    assert "only http, https and mailto links" in message


@pytest.mark.parametrize("url", ["https://example.org", "http://x.org/a?b=1", "mailto:a@b.org",
                                 "/files/report.pdf", "page.html#top"])
def test_links_accept_web_mail_and_relative_urls(url):
    (element,) = drawn(f"rk.link_button('go', {url!r})")
    assert f'href="{url}"' in element.data["text/html"]


def test_code_refuses_a_language_that_would_leave_the_fence():
    at = AppTest.from_string("import rerunkernel as rk\n"
                             f"rk.code('x', language='python\\n{IMG}')").run()
    assert "rk.code(language=" in str(at.exception[0].value)


def test_download_button_mime_cannot_add_attributes():
    (element,) = drawn("rk.download_button('get', b'x', mime='text/plain\" onmouseover=\"x')")
    assert live(element.data["text/html"]) == []


def test_not_run_line_escapes_the_exception_name():
    source = (f"raise type({IMG!r}, (Exception,), {{}})()", "x = 1")
    from rerunkernel.core.script import Cell

    at = AppTest([Cell(id=f"c{i}", source=s) for i, s in enumerate(source)]).run()
    notrun = at.get("notrun")[0]
    assert IMG in notrun.data["text/plain"]
    assert live(notrun.data["text/html"]) == []
    assert live(not_run_element(f"Not run: {SCRIPT}").data["text/html"]) == []
    # a raised error is plain text: nothing there is rendered as HTML
    assert set(at.exception[0].data) == {"text/plain"}


def test_safe_markdown_leaves_plain_text_alone():
    text = "Prices: 3 < 4 and 5 > 2, a & b, **really**, `x<y`"
    assert safe_markdown(text) == text


def test_safe_markdown_returns_at_once_only_what_it_would_keep_anyway():
    """The fast way out (no fence, tag or link can start) never skips a rewrite: over many
    random texts of markdown's active characters, it agrees with the full pass."""
    rng = random.Random(7)
    alphabet = "ab $\\*_#|()[]:<>`~\n\r\t&;/!'\""
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert safe_markdown(text) == _rewrite(text), text


# --- numbers -----------------------------------------------------------------------------

NUMERIC = {
    "slider": "rk.slider('v', 0.0, 1.0, 0.5)",
    "range": "rk.slider('v', 0.0, 1.0, (0.2, 0.8))",
    "number": "rk.number_input('v', 0.0, 1.0, 0.5)",
    "unbounded": "rk.number_input('v', value=0.5)",
    "int": "rk.slider('v', 0, 10, 5)",
    "choice": "rk.select_slider('v', [1, 2, 3], value=2)",
}


def _numeric_app(call: str) -> AppTest:
    return AppTest.from_string(f"import rerunkernel as rk\nv = {call}\nrk.write('v is', v)").run()


@pytest.mark.parametrize("name", list(NUMERIC))
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_value_from_the_front_end_is_refused(name, bad):
    at = _numeric_app(NUMERIC[name])
    widget = at.get(at.elements[0].kind)[0].value
    before = widget.get_state()["index" if name == "choice" else "value"]
    trait = "index" if name == "choice" else "value"
    sent = [0.3, bad] if name == "range" else bad
    # what ipywidgets does with a comm message that sets the value
    with pytest.raises(TraitError):
        widget.set_state({trait: sent})
    assert widget.get_state()[trait] == before
    at.run()
    assert not at.exception
    shown = at.markdown.values[-1]
    assert "nan" not in shown and "inf" not in shown
    ok = {"range": [0.3, 0.4], "choice": 0}.get(name, 1)
    widget.set_state({trait: ok})
    at.run()
    assert not at.exception
    assert at.markdown.values[-1] != shown


@pytest.mark.parametrize("call", [
    "rk.slider('v', 0.0, math.nan)", "rk.slider('v', value=math.nan)",
    "rk.slider('v', -math.inf, 1.0)", "rk.slider('v', 0.0, 1.0, (0.1, math.nan))",
    "rk.slider('v', 0.0, 1.0, 0.5, step=math.nan)", "rk.number_input('v', value=math.nan)",
    "rk.number_input('v', max_value=math.inf)", "rk.number_input('v', step=math.inf)",
])
def test_a_non_finite_argument_is_a_clear_error(call):
    at = AppTest.from_string(f"import math, rerunkernel as rk\n{call}").run()
    (error,) = at.exception
    assert isinstance(error.value, ValueError)
    assert "must be a finite number" in str(error.value)
    assert str(error.value).startswith(f"rk.{call[3:call.index('(')]}('v')")


@pytest.mark.parametrize("call", [
    "rk.slider('v', 0.0, 1.0, 0.5)", "rk.number_input('v', value=0.5)",
])
def test_a_non_finite_value_from_the_script_or_set_is_refused(call):
    at = _numeric_app(call)
    handle = getattr(at, at.elements[0].kind)[0]
    for bad in (math.nan, math.inf):
        # what `rk.session_state[key] = value` and `--set` go through
        with pytest.raises(ValueError, match=r"finite|not a value in"):
            handle.set_value(bad)
    with pytest.raises(ValueError, match="'nan' is not a finite number"):
        at.elements[0].spec.parse("nan")
    assert handle.value == 0.5
