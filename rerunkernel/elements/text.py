"""Text elements: text, markdown, headings, captions, code, LaTeX, dividers, and `write`.

Everything that Streamlit renders as markdown is sent as `text/markdown`, so it looks like
the notebook's own markdown cells (JupyterLab highlights code fences and typesets `$$` math
there). Styling a markdown renderer has no option for (alignment, width, a help tooltip)
wraps the markdown in an HTML block, which markdown renders around its content. HTML inside
a body is shown as text (see sanitize.py: JupyterLab trusts the session's outputs and would
run it) unless the script passes `unsafe_allow_html=True` where Streamlit takes it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
import fractions
import re
import types
from collections import ChainMap, UserDict, UserList
from collections.abc import ItemsView, KeysView, Mapping, ValuesView
from typing import TYPE_CHECKING, Any

from ..core.element import Element
from .core import draw, escape_markdown, html_escape
from .display import format_bundle
from .handles import drawn
from .icons import material_in_text
from .params import check_alignment, css_height, css_width, icon_prefix, unsupported
from .sanitize import safe_markdown

if TYPE_CHECKING:
    from .layout import Placeholder

_LANGUAGE = re.compile(r"[\w+#.\-]*")
_INLINE_TYPES = (
    str, int, float, bool, complex, type(None), decimal.Decimal, fractions.Fraction,
    _dt.date, _dt.time, _dt.timedelta,
)

# JupyterLab gives every rendered heading a hover link (¶); `anchor=False` hides it there
NO_ANCHOR_STYLE = "<style>.rk-no-anchor .jp-InternalAnchorLink{display:none}</style>"
CODE_WRAP_STYLE = ("<style>.rk-code-wrap pre{white-space:pre-wrap;overflow-wrap:anywhere}"
                   "</style>")
LINE_NUMBER_STYLE = (
    "margin:0;padding:var(--jp-code-padding, 5px) 0.6em;text-align:right;user-select:none;"
    "opacity:0.5;font-family:var(--jp-code-font-family, monospace);"
    "font-size:var(--jp-code-font-size, 13px);line-height:var(--jp-code-line-height, 1.3077)")

DIVIDER_COLOURS = {
    "blue": "#1c83e1", "green": "#21c354", "orange": "#ff8c00", "red": "#ff4b4b",
    "violet": "#803df5", "yellow": "#faca2b", "gray": "#808495", "grey": "#808495",
    "rainbow": "linear-gradient(to right, #ff4b4b, #ff8c00, #faca2b, #21c354, #1c83e1, "
               "#803df5)",
}


def help_suffix(help: str | None) -> str:
    """A hover tooltip after the text, as Streamlit's question-mark icon gives."""
    if not help:
        return ""
    return f' <sup title="{html_escape(help)}" style="cursor:help;opacity:0.6">(?)</sup>'


def styled_markdown(call: str, body: str, *, help: str | None = None, width: Any = "stretch",
                    text_alignment: str = "left", wrap: bool = True) -> str:
    """`body` with Streamlit's presentation options, as markdown a notebook renders."""
    styles = []
    if check_alignment(call, text_alignment) != "left":
        styles.append(f"text-align:{text_alignment}")
    if width == "content":
        styles.append("display:inline-block")
    else:
        css = css_width(call, width)
        if css is not None and css != "100%":
            styles.append(f"max-width:{css}")
    if not wrap:
        styles.append("white-space:nowrap;overflow-x:auto")
    body += help_suffix(help)
    if styles:
        body = f'<div style="{";".join(styles)}">\n\n{body}\n\n</div>'
    return body


def markdown_element(body: str, kind: str = "markdown", markup: str | None = None,
                     plain: str | None = None) -> Element:
    """`markup` is what the front-end renders; `value` stays the body the script gave."""
    return Element(kind=kind, data={"text/markdown": body if markup is None else markup,
                                    "text/plain": body if plain is None else plain},
                   value=body)


def text(body: Any, *, help: str | None = None, width: Any = "content",
         text_alignment: str = "left", wrap: bool = True) -> Placeholder:
    """Preformatted, fixed-width text, shown exactly as given."""
    body = str(body)
    styles = [f"white-space:{'pre-wrap' if wrap else 'pre'}"]
    if check_alignment("text", text_alignment) != "left":
        styles.append(f"text-align:{text_alignment}")
    css = css_width("text", width)
    if css is not None:
        styles.append(f"width:{css}")
    title = f' title="{html_escape(help)}"' if help else ""
    html = f'<pre style="{";".join(styles)}"{title}>{html_escape(body)}</pre>'
    return drawn(Element(kind="text", data={"text/plain": body, "text/html": html}, value=body))


def markdown(body: Any, unsafe_allow_html: bool = False, *, help: str | None = None,
             width: Any = "auto", text_alignment: str = "left", anchors: bool = True,
             wrap: bool = True) -> Placeholder:
    """Markdown (GitHub flavour, as JupyterLab renders it)."""
    if anchors is not True:
        raise unsupported("markdown", "anchors", anchors,
                          "JupyterLab gives every markdown heading its own anchor")
    body = str(body)
    shown = material_in_text(body)
    markup = styled_markdown("markdown", shown if unsafe_allow_html else safe_markdown(shown),
                             help=help, width=width,
                             text_alignment=text_alignment, wrap=wrap)
    return drawn(markdown_element(body, markup=markup))


def _heading(call: str, level: int, body: Any, anchor: str | bool | None, help: str | None,
             icon: str | None, divider: bool | str, width: Any, text_alignment: str,
             wrap: bool) -> Placeholder:
    body = str(body)
    target = ""
    if anchor is not None and anchor is not False:
        if not isinstance(anchor, str) or not anchor:
            raise ValueError(f"rk.{call}(anchor={anchor!r}): anchor must be a non-empty str")
        target = f'<a id="{html_escape(anchor)}"></a>'
    markup = "#" * level + " " + target + safe_markdown(
        icon_prefix(call, icon) + material_in_text(body))
    markup = styled_markdown(call, markup, help=help, width=width,
                             text_alignment=text_alignment, wrap=wrap)
    if anchor is False:
        markup = f'{NO_ANCHOR_STYLE}<div class="rk-no-anchor">\n\n{markup}\n\n</div>'
    if divider:
        markup += "\n\n" + _divider_markup(call, divider)
    return drawn(markdown_element(body, kind=call, markup=markup))


def _divider_markup(call: str, divider: bool | str) -> str:
    if divider is True:
        return "---"
    colour = DIVIDER_COLOURS.get(divider) if isinstance(divider, str) else None
    if colour is None:
        raise ValueError(f"rk.{call}(divider={divider!r}): divider must be True, False or one "
                         f"of {', '.join(map(repr, DIVIDER_COLOURS))}")
    return (f'<hr style="border:none;height:2px;border-radius:2px;background:{colour}">')


def title(body: Any, anchor: str | bool | None = None, *, help: str | None = None,
          icon: str | None = None, width: Any = "stretch", text_alignment: str = "left",
          wrap: bool = True) -> Placeholder:
    """The page's title: a level-1 heading."""
    return _heading("title", 1, body, anchor, help, icon, False, width, text_alignment, wrap)


def header(body: Any, anchor: str | bool | None = None, *, help: str | None = None,
           icon: str | None = None, divider: bool | str = False, width: Any = "stretch",
           text_alignment: str = "left", wrap: bool = True) -> Placeholder:
    """A level-2 heading, optionally underlined (`divider=True` or a colour)."""
    return _heading("header", 2, body, anchor, help, icon, divider, width, text_alignment, wrap)


def subheader(body: Any, anchor: str | bool | None = None, *, help: str | None = None,
              icon: str | None = None, divider: bool | str = False, width: Any = "stretch",
              text_alignment: str = "left", wrap: bool = True) -> Placeholder:
    """A level-3 heading, optionally underlined (`divider=True` or a colour)."""
    return _heading("subheader", 3, body, anchor, help, icon, divider, width, text_alignment, wrap)


def caption(body: Any, unsafe_allow_html: bool = False, *, help: str | None = None,
            width: Any = "stretch", text_alignment: str = "left", wrap: bool = True
            ) -> Placeholder:
    """Small, muted text for notes and footnotes (markdown)."""
    body = str(body)
    shown = material_in_text(body)
    markup = styled_markdown("caption", shown if unsafe_allow_html else safe_markdown(shown),
                             help=help, width=width,
                             text_alignment=text_alignment, wrap=wrap)
    markup = f'<div style="font-size:0.85em;opacity:0.65">\n\n{markup}\n\n</div>'
    return drawn(markdown_element(body, kind="caption", markup=markup))


def code(body: Any, language: str | None = "python", *, line_numbers: bool = False,
         wrap_lines: bool = False, height: Any = "content", width: Any = "stretch"
         ) -> Placeholder:
    """A code block, highlighted for `language` by the front-end (None: plain).

    JupyterLab's markdown renderer has no line numbers, so `line_numbers=True` puts a column
    of them beside the block, in the same font and line height; `wrap_lines=True` lets long
    lines wrap (numbers then count lines of the source, not of the screen).
    """
    if language is not None and not _LANGUAGE.fullmatch(str(language)):
        raise ValueError(f"rk.code(language={language!r}): a language is a name such as "
                         "'python' or 'c++' (letters, digits, '+', '#', '.', '-', '_')")
    body = str(body)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    markup = f"{fence}{language or ''}\n{body}\n{fence}"
    if wrap_lines:
        markup = f'{CODE_WRAP_STYLE}<div class="rk-code-wrap">\n\n{markup}\n\n</div>'
    if line_numbers:
        numbers = "\n".join(str(n) for n in range(1, body.count("\n") + 2))
        markup = (f'<div style="display:flex;align-items:flex-start">'
                  f'<pre style="{LINE_NUMBER_STYLE}">{numbers}</pre>'
                  f'<div style="flex:1 1 0%;min-width:0">\n\n{markup}\n\n</div></div>')
    styles = []
    # "stretch" fills a fixed-height parent in Streamlit; an output area has none
    max_height = css_height("code", height, natural=("content", "stretch", None))
    if max_height is not None:
        styles.append(f"max-height:{max_height};overflow:auto")
    css = css_width("code", width)
    if css is not None and css != "100%":
        styles.append(f"max-width:{css}")
    if styles:
        markup = f'<div style="{";".join(styles)}">\n\n{markup}\n\n</div>'
    return drawn(markdown_element(body, kind="code", markup=markup))


def latex(body: Any, *, help: str | None = None, width: Any = "stretch") -> None:
    """A display-mode formula; a sympy expression is converted with `sympy.latex`."""
    if type(body).__module__.split(".")[0] == "sympy":
        import sympy

        body = sympy.latex(body)
    body = str(body)
    markup = styled_markdown("latex", safe_markdown(f"$$\n{body}\n$$"), help=help, width=width)
    draw(Element(kind="latex", data={"text/markdown": markup, "text/latex": f"$${body}$$",
                                     "text/plain": body}, value=body))


def divider(*, width: Any = "stretch") -> None:
    """A horizontal rule."""
    css = css_width("divider", width)
    markup = "---" if css in (None, "100%") else f'<hr style="width:{css};margin-left:0">'
    draw(Element(kind="divider", data={"text/markdown": markup, "text/plain": "―" * 40},
                 value=None))


def write(*args: Any, unsafe_allow_html: bool = False) -> None:
    """Write anything: strings as markdown, tables as tables, other objects as they display.

    Streamlit's rules for several arguments: strings and simple values share one line,
    joined by spaces, so `rk.write(x, 'squared is', x * x)` reads as a sentence; lists,
    dicts, session state and other structures get their own JSON element, as do tables,
    charts and exceptions.
    """
    # each piece as markdown and as plain text: a value's text is escaped for markdown only,
    # so that the text fallback and the element's value read (0, 1), not \(0, 1\)
    inline: list[tuple[str, str]] = []

    def flush() -> None:
        if inline:
            markup = " ".join(markdown for markdown, _ in inline)
            draw(markdown_element(" ".join(plain for _, plain in inline), markup=markup))
            inline.clear()

    def add_value(text: str) -> None:
        inline.append((escape_markdown(text), text))

    for arg in args:
        if isinstance(arg, str):
            shown = material_in_text(arg)
            inline.append((shown if unsafe_allow_html else safe_markdown(shown), arg))
            continue
        element = _element_for(arg)
        if element is None:
            add_value(_inline_text(arg))
            continue
        flush()
        draw(element)
    flush()


def _is_json_like(value: Any) -> bool:
    """What Streamlit's write shows as JSON: mappings and lists, not tuples or sets."""
    if isinstance(value, (dict, list, map, enumerate, types.MappingProxyType, UserDict,
                          ChainMap, UserList, ItemsView, KeysView, ValuesView)):
        return True
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple
        return True
    return isinstance(value, Mapping) and callable(getattr(value, "to_dict", None))


def _inline_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return repr(value)
    return str(value)


def _element_for(arg: Any) -> Element | None:
    """The element for a non-string argument, or None to write it inline as text."""
    if isinstance(arg, _INLINE_TYPES) or _is_numpy_scalar(arg):
        return None
    if isinstance(arg, BaseException):
        from .alerts import exception_element

        return exception_element(arg)
    if _is_documented(arg):
        from .extras import help_element

        return help_element(arg)
    from .data import is_tabular, table_element

    if is_tabular(arg):
        return table_element(arg)
    from .figures import figure_element

    figure = figure_element(arg)
    if figure is not None:
        return figure
    if _is_json_like(arg):
        from .data import json_element

        return json_element(_json_value(arg))
    data, metadata = format_bundle(arg)
    if all(mime == "text/plain" for mime in data):
        if _ADDRESS.match(str(data.get("text/plain", ""))):
            from .extras import help_element

            return help_element(arg)
        return None
    return Element(kind="display", data=dict(data), metadata=dict(metadata or {}), value=arg)


# what Streamlit's write shows with `help`: functions, methods, modules, classes, dataclass
# instances, and objects whose text is only their address (`<Foo object at 0x...>`)
_DOCUMENTED = (types.BuiltinFunctionType, types.BuiltinMethodType, types.FunctionType,
               types.MethodType, types.ModuleType, type)
_ADDRESS = re.compile(r"^<.+ at 0x[0-9a-fA-F]+>$", re.DOTALL)


def _is_documented(value: Any) -> bool:
    return isinstance(value, _DOCUMENTED) or dataclasses.is_dataclass(value)


def _json_value(value: Any) -> Any:
    """Iterators and views as the lists they yield, namedtuples by field, as Streamlit shows
    them."""
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return value._asdict()
    if isinstance(value, (map, enumerate, KeysView, ValuesView, ItemsView)):
        return list(value)
    if isinstance(value, (types.MappingProxyType, ChainMap, UserDict)):
        return dict(value)
    if isinstance(value, UserList):
        return list(value)
    return value


def _is_numpy_scalar(value: Any) -> bool:
    cls = type(value)
    return cls.__module__ == "numpy" and hasattr(value, "dtype") and getattr(value, "ndim", 1) == 0
