"""rerunkernel: Streamlit's app model in Jupyter.

Pick the **Rerun Script** kernel and the whole notebook is one script, rerun top to bottom
whenever a cell is executed or a widget changes::

    import rerunkernel as rk

    x = rk.slider("x")
    rk.write(x, "squared is", x * x)
"""

from ._version import __version__
from .elements import (
    button,
    checkbox,
    dataframe,
    exception,
    json,
    line_chart,
    markdown,
    number_input,
    selectbox,
    slider,
    table,
    text,
    text_input,
    write,
)
from .cache import cache
from .control import rerun, stop

__all__ = [
    "__version__",
    "button",
    "cache",
    "checkbox",
    "dataframe",
    "exception",
    "json",
    "line_chart",
    "markdown",
    "number_input",
    "rerun",
    "selectbox",
    "slider",
    "stop",
    "table",
    "text",
    "text_input",
    "write",
]


def load_ipython_extension(ipython):  # pragma: no cover - wired in magics.py
    from .magics import load_ipython_extension as load

    load(ipython)
