"""Text from data must never run: markdown with its HTML escaped, HTML with its scripts removed.

JupyterLab trusts the outputs of cells run in the session, so it renders HTML found in
`text/markdown` and `text/html` as is, event handlers and `javascript:` links included; so
does nbconvert in `rerunkernel run --html` reports. Escaping is therefore done here, before
anything is sent, and errs on the side of showing a character literally rather than letting
it become markup.

Markdown is escaped, not parsed: a `<` that could open a tag (followed by a letter, `/`,
`!` or `?`) is written as `&lt;`, except in top-level fenced code blocks and one-line code
spans, whose text the renderer escapes itself, and in http/https/mailto autolinks. Inside
`$` math a space follows the `<` instead, which TeX ignores. Links and link definitions
whose target is not http, https, mailto or relative are written as plain text.

HTML is parsed with the standard library's `html.parser` and rebuilt from what is allowed.
"""

from __future__ import annotations

import html
import re
import string
from html.parser import HTMLParser

SAFE_SCHEMES = ("http", "https", "mailto")
_TAG_START = frozenset(string.ascii_letters + "/!?")
_PUNCTUATION = frozenset(string.punctuation)
# these patterns read URLs and markdown, never HTML
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)>")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$", re.DOTALL)
_INFO_STRING = re.compile(r"[\w+#.\- ]*")
# what safe_markdown may rewrite starts at one of these: a fence (``` or ~~~), a tag or an
# autolink (<), a link or link definition (]); code spans (`) and math ($) only protect those
_MAY_CHANGE = re.compile(r"[<\]`~]")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url` (None: a relative URL).

    Browsers drop tabs and newlines anywhere in a URL and controls and spaces around it,
    and markdown decodes entities and backslash escapes, so `java&#9;script:` is caught.
    """
    text, decoded = url, None
    while decoded != text:  # entities inside entities, decoded once per layer that reads them
        decoded, text = text, _BACKSLASH_ESCAPE.sub(r"\1", html.unescape(text))
    text = "".join(ch for ch in text if ch > " " and ch != "\x7f")
    match = _SCHEME.match(text.lower())
    return match.group(1) if match else None


def link_is_safe(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


def check_link(call: str, name: str, url: object) -> str:
    """`url` if a click on it can only navigate (http, https, mailto or relative)."""
    if not isinstance(url, str):
        raise ValueError(f"rk.{call}({name}={url!r}): {name} must be a str")
    if not link_is_safe(url):
        raise ValueError(f"rk.{call}({name}={url!r}): only http, https and mailto links or "
                         "relative paths can be opened")
    return url


# --- markdown ----------------------------------------------------------------------------


def safe_markdown(text: str) -> str:
    """`text` as markdown that renders the same except that no HTML in it becomes markup."""
    if _MAY_CHANGE.search(text) is None:
        # no fence, no tag and no link: every line would be kept as it is (a rerun's
        # twenty `rk.write` lines take this way)
        return text
    return _rewrite(text)


def _rewrite(text: str) -> str:
    out: list[str] = []
    paragraph: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if paragraph:
            out.append(_escape_inline("".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines(keepends=True):
        if fence is not None:
            out.append(line)
            if _closes(line, fence):
                fence = None
            continue
        opening = _FENCE.match(line)
        # only an unindented fence is surely top-level: an indented one may sit in a list
        # item that a later, unindented line ends, leaving that line outside the code
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            flush()
            fence = opening.group(1)
            info = opening.group(2).rstrip("\r\n")
            ending = opening.group(2)[len(info):]
            out.append(fence + (info if _INFO_STRING.fullmatch(info) else "") + ending)
            continue
        paragraph.append(line)
        if not line.strip():
            flush()
    flush()
    return "".join(out)


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return (len(line) - len(line.lstrip(" ")) <= 3 and len(stripped) >= len(fence)
            and stripped == fence[0] * len(stripped))


def _escape_inline(block: str) -> str:
    out: list[str] = []
    i, n = 0, len(block)
    math_end = -1
    while i < n:
        ch = block[i]
        if ch == "\\" and i + 1 < n and block[i + 1] in _PUNCTUATION:
            out.append(block[i:i + 2])
            i += 2
            continue
        if ch == "`":
            end = _code_span_end(block, i)
            out.append(block[i:end])
            i = end
            continue
        if ch == "$" and i >= math_end:
            delimiter = "$$" if block.startswith("$$", i) else "$"
            close = block.find(delimiter, i + len(delimiter))
            if close != -1:
                math_end = close + len(delimiter)
            out.append(delimiter)
            i += len(delimiter)
            continue
        if ch == "<":
            autolink = _AUTOLINK.match(block, i)
            if autolink and link_is_safe(autolink.group(1)):
                out.append(autolink.group(0))
                i = autolink.end()
                continue
            following = block[i + 1] if i + 1 < n else ""
            if following in _TAG_START:
                out.append("< " if i < math_end else "&lt;")
            else:
                out.append("<")
            i += 1
            continue
        if ch == "]" and i + 1 < n and block[i + 1] in "(:":
            target = _link_target(block, i + 2)
            if not link_is_safe(target):
                # a backslash makes `](` or `]:` plain text: no link, no definition
                out.append("]\\" + block[i + 1] if block[i + 1] == "(" else "\\]:")
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _code_span_end(block: str, start: int) -> int:
    """Where the code span opening at `start` ends, or just past its backticks if none does.

    Only spans on one line with no `|` count: a line break may end the paragraph, and a
    table splits its cells at `|` before it finds code spans.
    """
    run = start
    while run < len(block) and block[run] == "`":
        run += 1
    width = run - start
    line_end = block.find("\n", run)
    line_end = len(block) if line_end == -1 else line_end
    at = run
    while True:
        at = block.find("`" * width, at, line_end)
        if at == -1:
            return run
        after = at + width
        if after < len(block) and block[after] == "`":
            while after < len(block) and block[after] == "`":
                after += 1
            at = after
            continue
        return after if "|" not in block[run:at] else run


def _link_target(block: str, start: int) -> str:
    """The destination of a link or link definition starting at `start`."""
    i, n = start, len(block)
    while i < n and block[i] in " \t":
        i += 1
    if i < n and block[i] == "\n":
        i += 1
        while i < n and block[i] in " \t":
            i += 1
    if i < n and block[i] == "<":
        end = block.find(">", i)
        return block[i + 1:end if end != -1 else n]
    depth, begin = 0, i
    while i < n and not block[i].isspace():
        if block[i] == "\\" and i + 1 < n:
            i += 2
            continue
        if block[i] == "(":
            depth += 1
        elif block[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return block[begin:i]


# --- HTML --------------------------------------------------------------------------------

# dropped with everything inside them
_DROPPED = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "xmp", "plaintext", "template", "base", "meta", "link",
})
_VOID = frozenset({"area", "base", "br", "col", "embed", "frame", "hr", "img", "input",
                   "link", "meta", "param", "source", "track", "wbr"})
# SVG animation can set an attribute, `href` included, to any value
_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform"})
_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "codebase", "longdesc", "lowsrc", "dynsrc", "ping", "srcset", "manifest",
    "profile", "usemap", "icon",
})
_SAFE_DATA = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif",
              "audio/", "video/", "font/", "text/plain", "text/csv", "application/json",
              "application/octet-stream")
_BAD_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha"})
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*")
_ATTRIBUTE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_\-.:]*")


def url_runs_code(url: str, image: bool = False) -> bool:
    """A URL that runs script when followed or loaded (`data:` only for known safe types;
    any image for an `<img>`, which never runs an SVG's scripts)."""
    scheme = url_scheme(url)
    if scheme in _BAD_SCHEMES:
        return True
    if scheme == "data":
        media = "".join(ch for ch in html.unescape(url) if ch > " ").lower()
        media = media.split(":", 1)[1]
        return not media.startswith(("image/",) if image else _SAFE_DATA)
    return False


def sanitize_html(text: str) -> str:
    """`text` rebuilt without scripts, event handlers, script URLs or embedded documents."""
    parser = _Sanitizer()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag == self.dropping[-1] and not closed:
                self.dropping.append(tag)
            return
        if tag in _DROPPED or (tag in _ANIMATIONS and _animates_link(attrs)):
            if not closed and tag not in _VOID:
                self.dropping.append(tag)
            return
        if not _NAME.fullmatch(tag):
            return
        kept = []
        for name, value in attrs:
            if not _ATTRIBUTE.fullmatch(name) or name.startswith("on") or name == "srcdoc":
                continue
            if value is None:
                kept.append(f" {name}")
                continue
            if name in _URL_ATTRIBUTES and any(url_runs_code(part, tag == "img")
                                               for part in _urls(name, value)):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}{' /' if closed else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in _DROPPED or tag in _ANIMATIONS or not _NAME.fullmatch(tag):
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.cdata_elem == "style":
            # a <style> in SVG is not raw text to a browser: a "<" there could open a tag
            self.out.append(data.replace("<", "\\3c "))
        else:
            self.out.append(html.escape(data, quote=False))


def _animates_link(attrs: list[tuple[str, str | None]]) -> bool:
    target = dict(attrs).get("attributename") or ""
    return target.strip().lower().endswith("href")


def _urls(name: str, value: str) -> list[str]:
    if name not in ("srcset", "ping"):
        return [value]
    parts = value.split(",") if name == "srcset" else value.split()
    return [part.strip().split(" ")[0] for part in parts if part.strip()]
