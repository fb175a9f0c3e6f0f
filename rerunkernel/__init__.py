"""rerunkernel: Streamlit's app model in Jupyter.

Pick the **Rerun Script** kernel and the whole notebook is one script, rerun top to bottom
whenever a cell is executed or a widget changes::

    import rerunkernel as rk

    x = rk.slider("x")
    rk.write(x, "squared is", x * x)
"""

from . import elements as _elements
from ._version import __version__
from .cache import cache
from .cache.names import cache_data, cache_resource
from .control import rerun, stop
from .elements import *  # noqa: F403 - the element functions are the public API
from .state import session_state

__all__ = [
    "__version__",
    "cache",
    "cache_data",
    "cache_resource",
    "rerun",
    "session_state",
    "stop",
    *_elements.__all__,
]


def load_ipython_extension(ipython):  # pragma: no cover - wired in magics.py
    from .magics import load_ipython_extension as load

    load(ipython)
