"""The rest of the everyday vocabulary: page config, HTML, links, help, streams, celebrations.

`set_page_config` is the first line of most Streamlit apps; a notebook has no page to
configure, so it checks its arguments and changes nothing (the page belongs to Jupyter).
"""

from __future__ import annotations

import pydoc
from pathlib import Path
from typing import Any, Iterable

from ..core import runtime
from ..core.element import Element
from .core import draw, html_escape
from .icons import material_in_text, with_icon
from .link_buttons import BUTTON_STYLES, button_link_style
from .params import css_width
from .sanitize import check_link, safe_markdown, sanitize_html
from .text import markdown_element

LAYOUTS = ("centered", "wide")
SIDEBAR_STATES = ("auto", "expanded", "collapsed")


def set_page_config(page_title: str | None = None, page_icon: Any = None,
                    layout: str = "centered", initial_sidebar_state: str = "auto",
                    menu_items: dict | None = None) -> None:
    """Accepted for Streamlit apps; the notebook's page is JupyterLab's, so nothing changes."""
    if layout not in LAYOUTS:
        raise ValueError(f"rk.set_page_config(layout={layout!r}): must be 'centered' or 'wide'")
    if initial_sidebar_state not in SIDEBAR_STATES:
        raise ValueError(f"rk.set_page_config(initial_sidebar_state={initial_sidebar_state!r}):"
                         " must be 'auto', 'expanded' or 'collapsed'")


def html(body: Any, *, width: Any = "stretch", unsafe_allow_javascript: bool = False) -> None:
    """HTML (a string, or an object with `_repr_html_`), without anything that runs code
    (event handlers, `javascript:` links, embedded documents) unless
    `unsafe_allow_javascript=True`: the session's outputs are trusted, so nothing else
    would stop it. A `<script>` is removed like the rest, as Streamlit never runs it either.
    A path to an .html or .css file shows the file (a stylesheet as a `<style>`)."""
    text = body._repr_html_() if hasattr(body, "_repr_html_") else str(body)
    if isinstance(body, (str, Path)) and text.lower().endswith((".html", ".htm", ".css")) \
            and "\n" not in text and Path(text).is_file():
        content = Path(text).read_text(encoding="utf-8")
        text = f"<style>{content}</style>" if text.lower().endswith(".css") else content
    shown = text if unsafe_allow_javascript else sanitize_html(text)
    css = css_width("html", width)
    wrapped = f'<div style="width:{css}">{shown}</div>' if css and css != "100%" else shown
    draw(Element(kind="html", data={"text/html": wrapped, "text/plain": text}, value=text))


def link_button(label: str, url: str, *, help: str | None = None, type: str = "secondary",
                icon: str | None = None, disabled: bool = False,
                use_container_width: bool | None = None, width: Any = "content") -> bool:
    """A link that looks like a button; opens `url` in a new tab. Always False."""
    check_link("link_button", "url", url)
    if type not in BUTTON_STYLES:
        raise ValueError(f"rk.link_button({label!r}): type must be 'primary', 'secondary' or "
                         f"'tertiary', got {type!r}")
    css = css_width("link_button", width, use_container_width)
    style = button_link_style(type, css)
    text = html_escape(with_icon("link_button", icon, label))
    tooltip = f' title="{html_escape(help)}"' if help else ""
    if disabled:
        body = f'<span style="{style};opacity:0.5;cursor:not-allowed"{tooltip}>{text}</span>'
    else:
        body = (f'<a href="{html_escape(url)}" target="_blank" rel="noopener" '
                f'style="{style}"{tooltip}>{text}</a>')
    draw(Element(kind="link_button", data={"text/html": body, "text/plain": f"[{label}] {url}"},
                 value=url, label=label))
    return False


def help(obj: Any = None) -> None:  # noqa: A001 - Streamlit's name
    """The documentation of an object, as `help()` would print it."""
    draw(help_element(obj))


def help_element(obj: Any) -> Element:
    text = pydoc.render_doc(obj, renderer=pydoc.plaintext) if obj is not None else \
        "rerunkernel: Streamlit's app model in Jupyter. Try rk.help(rk.slider)."
    return Element(kind="help", data={"text/plain": text}, value=obj)


def write_stream(stream: Iterable[Any] | Any, *, cursor: str | None = None) -> str:
    """Write chunks as they arrive (a generator, an iterator, a chat-completion stream).

    The text grows in one slot during the run, with `cursor` (markdown: "▌", an emoji, an
    icon) after it until the stream ends; returns the whole text.
    """
    if cursor is not None and not isinstance(cursor, str):
        raise ValueError(f"rk.write_stream(cursor={cursor!r}): cursor must be a str or None")
    tail = material_in_text(cursor) if cursor else ""
    ctx = runtime.active()
    chunks: list[str] = []
    writer = ctx.writer if ctx is not None else None
    position = writer.reserve() if writer is not None else None
    if callable(stream) and not hasattr(stream, "__iter__"):
        stream = stream()
    for chunk in stream:
        piece = _chunk_text(chunk)
        if not piece:
            continue
        chunks.append(piece)
        if writer is not None and position is not None:
            ctx.checkpoint()
            so_far = "".join(chunks) + tail
            writer.fill(position, markdown_element(so_far, markup=safe_markdown(so_far)))
    text = "".join(chunks)
    if writer is None:
        draw(markdown_element(text, markup=safe_markdown(text)))
    elif position is not None and tail and chunks:  # the stream ended: the cursor goes
        writer.fill(position, markdown_element(text, markup=safe_markdown(text)))
    return text


def _chunk_text(chunk: Any) -> str:
    if isinstance(chunk, str):
        return chunk
    choices = getattr(chunk, "choices", None)
    if choices:
        delta = getattr(choices[0], "delta", None)
        return getattr(delta, "content", None) or ""
    return str(chunk)


def _celebration(kind: str, emoji: str) -> None:
    run = runtime.active().session.started_runs if runtime.active() is not None else 0
    body = (f'<div class="rk-{kind}" data-run="{run}" style="font-size:2em;letter-spacing:0.3em;'
            "animation:rk-rise 3s ease-out forwards\">" + emoji * 8 + "</div>"
            "<style>@keyframes rk-rise {0% {opacity:1; transform:translateY(0)} "
            "100% {opacity:0; transform:translateY(-2em); max-height:0}}</style>")
    draw(Element(kind=kind, data={"text/html": body, "text/plain": emoji * 3}, value=kind))


def balloons() -> None:
    """A short celebration that floats away."""
    _celebration("balloons", "🎈")


def snow() -> None:
    """A short snowfall that fades away."""
    _celebration("snow", "❄️")
