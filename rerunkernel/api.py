"""The public API that `import rerunkernel as rk` gives: every element, the cache, state.

The package root loads this module on the first use of a name it does not hold itself, so
a kernel starts without importing the elements (docs/ARCHITECTURE.md, "Packages"); loading
it wires the elements and the Streamlit layer into the core (core/hooks.py).
"""

from . import elements as _elements
from ._version import __version__
from .cache import cache
from .cache.names import cache_data, cache_resource
from .core import hooks as _hooks
from .core.app_settings import (
    experimental_get_query_params,
    experimental_set_query_params,
    get_option,
    query_params,
    secrets,
    set_option,
)
from .core.control import rerun, stop
from .core.state import session_state
from .elements import *  # noqa: F403 - the element functions are the public API
from .elements import column_config
from .elements.badges import badge, iframe, space
from .elements.button_groups import feedback, pills, segmented_control
from .elements.chat import chat_input, chat_message
from .elements.device_inputs import audio_input, camera_input
from .elements.diagrams import graphviz_chart, mermaid_chart
from .elements.display import display_element as _display_element
from .elements.echarts import echarts_chart
from .elements.echo import echo
from .elements.editor import data_editor
from .elements.fragment import experimental_fragment, fragment
from .elements.logo import logo
from .elements.maps import map, pydeck_chart  # noqa: A004, F401 - Streamlit's name
from .elements.overlays import dialog, popover
from .elements.pages import Page, navigation, page_link, switch_page
from .streamlit_compat.accounts import connection, experimental_user, login, logout, user
from .streamlit_compat.context import context
from .streamlit_compat.shim import mapped as _streamlit_imports

# names older apps still use
experimental_rerun = rerun
experimental_memo = cache_data
experimental_singleton = cache_resource
experimental_dialog = dialog
experimental_data_editor = data_editor

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

# Streamlit's API beyond the everyday elements (apps run unchanged: see streamlit_compat/shim.py);
# `map` stays out of __all__: `from rerunkernel import *` must not hide the builtin
__all__ += [
    "Page", "audio_input", "camera_input", "chat_input", "chat_message", "column_config",
    "data_editor", "dialog", "echo", "experimental_data_editor", "experimental_dialog",
    "experimental_fragment", "experimental_get_query_params", "experimental_memo",
    "experimental_rerun", "experimental_set_query_params", "experimental_singleton",
    "feedback", "fragment", "get_option", "graphviz_chart", "logo", "navigation",
    "page_link", "pills", "popover", "pydeck_chart", "query_params", "secrets",
    "segmented_control", "set_option", "switch_page",
]

__all__ += ["badge", "connection", "context", "echarts_chart", "experimental_user", "iframe",
            "login", "logout", "mermaid_chart", "space", "user"]


# the core draws a cell's last expression and Streamlit's magic through these (core/hooks.py)
_hooks.wire(display_value=_display_element, write_values=write,  # noqa: F405 - elements'
            imports=_streamlit_imports)
