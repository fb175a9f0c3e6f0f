"""A `rerunkernel run --html` report of a notebook that writes hostile text runs none of it."""

from __future__ import annotations

from html.parser import HTMLParser

from test_headless import notebook

PAYLOAD = "<img src=x onerror=alert(1)>"


class _Handlers(HTMLParser):
    """Event handlers and script links on the report's elements (scripts' text is not HTML)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            link = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name.startswith("on") or link.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")


def test_html_report_has_no_live_handler(run_here, tmp_path):
    path = notebook(
        tmp_path,
        "import rerunkernel as rk\n"
        f"p = {PAYLOAD!r}\n"
        "rk.write(p)\nrk.markdown(p + ' [x](javascript:alert(2))')\nrk.title(p)\n"
        "rk.caption(p)\nrk.info(p)\nrk.html(p)\nrk.dataframe({p: [p]})",
        f"raise type({PAYLOAD!r}, (Exception,), {{}})()",
    )
    report = tmp_path / "out.html"
    done = run_here(str(path), "--html", str(report))
    assert done.returncode != 0  # the second cell raised
    html = report.read_text(encoding="utf-8")
    assert "onerror=alert(1)" in html  # the text is shown, as text
    parser = _Handlers()
    parser.feed(html)
    parser.close()
    assert parser.found == []
