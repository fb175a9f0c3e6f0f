"""`streamlit.*` modules that Streamlit's own demos and newer apps import, beyond the core.

`streamlit hello` ships its demos as apps that import `streamlit.hello.utils.show_code`, so a
user who copies one gets an app that fails on its first line unless that module exists here
too. `streamlit.components.v2` is Streamlit's second way to write custom components; like
`declare_component`, a v2 component is JavaScript that talks back to Python through
Streamlit's front-end, which a Jupyter output area doesn't have, so calling it is an error
that says so (importing the module works, so an app fails at the call, with that reason,
rather than at its imports).
"""

from __future__ import annotations

import inspect
import textwrap
from types import ModuleType
from typing import Any, Callable


def show_code(demo: Callable[..., Any]) -> None:
    """What `streamlit.hello.utils.show_code` draws: a sidebar checkbox (on at first) and,
    while it is on, the demo function's body as code under a "Code" heading."""
    import rerunkernel as rk

    if rk.sidebar.checkbox("Show code", True):
        rk.markdown("## Code")
        lines, _ = inspect.getsourcelines(demo)
        rk.code(textwrap.dedent("".join(lines[1:])))


class ComponentsV2Unsupported(NotImplementedError):
    """A `streamlit.components.v2` component was called."""


def component(name: str, *args: Any, **kwargs: Any) -> Callable[..., Any]:
    """`streamlit.components.v2.component`: refused, naming the component and why."""
    raise ComponentsV2Unsupported(
        f"st.components.v2.component({name!r}) is not supported: a v2 component is "
        "JavaScript that sends values back to Python through Streamlit's front-end, which "
        "Jupyter doesn't have. Use st.html or st.components.v1.html to show HTML, and "
        "widgets for input; or set RERUNKERNEL_REAL_STREAMLIT=1 and run the app with "
        "`streamlit run`."
    )


def extra_modules() -> dict[str, ModuleType]:
    """The modules above, by their `streamlit.*` names."""
    hello = ModuleType("streamlit.hello", "Streamlit's demos")
    hello.__path__ = []
    utils = ModuleType("streamlit.hello.utils", "what Streamlit's demos import")
    utils.show_code = show_code  # type: ignore[attr-defined]
    v2 = ModuleType("streamlit.components.v2", "custom components, second version")
    v2.component = component  # type: ignore[attr-defined]
    return {"streamlit.hello": hello, "streamlit.hello.utils": utils,
            "streamlit.components.v2": v2}
