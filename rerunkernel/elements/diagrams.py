"""`graphviz_chart`: a Graphviz diagram from DOT source or a `graphviz` object.

With Graphviz's `dot` program installed the diagram is drawn to SVG in the kernel, so it
shows in any viewer and in saved notebooks. Without it, the DOT source is laid out in the
browser by Viz.js (Graphviz compiled to WebAssembly) inside a sandboxed frame, which needs
the browser to reach the CDN; the text fallback is the DOT source itself.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

from ..core.element import Element
from .components import sandboxed
from .core import draw

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
