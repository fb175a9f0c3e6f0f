"""`graphviz_chart`: a Graphviz diagram from DOT source or a `graphviz` object;
`mermaid_chart`: a diagram in Mermaid's language.

With Graphviz's `dot` program installed the diagram is drawn to SVG in the kernel, so it
shows in any viewer and in saved notebooks. Without it, the DOT source is laid out in the
browser by Viz.js (Graphviz compiled to WebAssembly) inside a sandboxed frame, which needs
the browser to reach the CDN; the text fallback is the DOT source itself.

A Mermaid diagram is a `mermaid` code block in markdown, as Streamlit draws it (its alt text
a Mermaid comment in the block); JupyterLab draws such a block as the diagram, in the page
with no frame and no download, and other viewers show the source.
"""

from __future__ import annotations

import shutil
import subprocess
import re
from typing import TYPE_CHECKING, Any

from ..core.element import Element
from .components import sandboxed
from .core import draw
from .handles import drawn
from .params import unsupported
from .text import markdown_element

if TYPE_CHECKING:
    from .layout import Placeholder

VIZ_JS = "https://cdn.jsdelivr.net/npm/@viz-js/viz@3.11.0/lib/viz-standalone.js"
DOT_TIMEOUT = 30


def _source(figure_or_dot: Any) -> str:
    if isinstance(figure_or_dot, str):
        return figure_or_dot
    source = getattr(figure_or_dot, "source", None)
    if isinstance(source, str):
        return source
    raise TypeError(f"rk.graphviz_chart(): expected DOT source or a graphviz.Graph/Digraph, "
                    f"got {type(figure_or_dot).__name__}")


def graphviz_chart(figure_or_dot: Any, use_container_width: bool | None = None, *,
                   width: Any = "content", height: Any = "content") -> None:
    """A diagram written in Graphviz's DOT language."""
    dot_source = _source(figure_or_dot)
    dot = shutil.which("dot")
    if dot is not None:
        done = subprocess.run([dot, "-Tsvg"], input=dot_source, capture_output=True,
                              text=True, timeout=DOT_TIMEOUT)
        if done.returncode != 0:
            raise ValueError(f"rk.graphviz_chart(): Graphviz could not read the DOT source: "
                             f"{done.stderr.strip()}")
        # JupyterLab shows SVG output as an image, so nothing in it runs
        svg = done.stdout[done.stdout.find("<svg"):]
        draw(Element(kind="graphviz_chart", data={"image/svg+xml": svg,
                                                  "text/plain": dot_source},
                     value=dot_source))
        return
    import json

    literal = json.dumps(dot_source).replace("</", "<\\/")
    page = (f'<div id="g"></div><script src="{VIZ_JS}"></script><script>'
            f"Viz.instance().then(v => document.getElementById('g').appendChild("
            f"v.renderSVGElement({literal})))</script>")
    sandboxed(page, kind="graphviz_chart", text=dot_source, value=dot_source,
              height=height if isinstance(height, int) else 400, scrolling=True)


def mermaid_chart(body: str, *, width: Any = "stretch", alt: str | None = None) -> Placeholder:
    """A diagram written in Mermaid's language (flowcharts, sequence diagrams, ...)."""
    if not isinstance(body, str):
        raise TypeError(f"rk.mermaid_chart(): expected the diagram as a str, got "
                        f"{type(body).__name__}")
    if width not in ("stretch", "content"):
        raise unsupported("mermaid_chart", "width", width,
                          "the diagram is drawn at its own size; give 'stretch' or 'content'")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(4, longest + 1)
    comment = "%% stAlt: " + " ".join(str(alt).split()) + "\n" if alt else ""
    block = f"{fence}mermaid\n{comment}{body}\n{fence}"
    return drawn(markdown_element(block, plain=str(alt) if alt else body))
