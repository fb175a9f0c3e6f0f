"""`streamlit.*` modules that Streamlit's own demos and newer apps import, beyond the core.

`streamlit hello` ships its demos as apps that import `streamlit.hello.utils.show_code`, so a
user who copies one gets an app that fails on its first line unless that module exists here
too. `streamlit.components.v2` is Streamlit's second way to write custom components; like
`declare_component`, a v2 component is JavaScript that talks back to Python through
Streamlit's front-end, which a Jupyter output area doesn't have, so calling it is an error
that says so (importing the module works, so an app fails at the call, with that reason,
rather than at its imports).

Libraries built on Streamlit (streamlit-extras, say) import three more of its helpers: the
usage counter `runtime.metrics_util.gather_metrics`, which counts nothing here,
`deprecation_util.show_deprecation_warning`, and `source_util.open_python_file`.
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


def gather_metrics(name: str, func: Callable[..., Any] | None = None) -> Any:
    """`streamlit.runtime.metrics_util.gather_metrics`: Streamlit counts which of its calls an
    app makes, for its usage statistics; libraries built on Streamlit wrap their functions in
    it. Nothing is counted here, so the function comes back as it was."""
    if func is None:
        return lambda fn: fn
    return func


_warned: set[str] = set()


def show_deprecation_warning(message: str, show_in_browser: bool = True,
                             show_once: bool = False) -> None:
    """`streamlit.deprecation_util.show_deprecation_warning`, which libraries call to say one
    of their functions is going away: logged, and drawn as a warning, as Streamlit does;
    `show_once` shows a message once per process, as Streamlit does."""
    import logging

    import rerunkernel as rk

    if show_once:
        if message in _warned:
            return
        _warned.add(message)
    if show_in_browser:
        rk.warning(message)
    logging.getLogger("streamlit").warning(message)


def open_python_file(filename: str) -> Any:
    """`streamlit.source_util.open_python_file`: a Python source file opened as text in the
    encoding its coding line names (UTF-8 without one), as Python reads it; streamlit-extras'
    echo_expander reads the calling app's source through it."""
    import tokenize

    return tokenize.open(filename)


def extra_modules() -> dict[str, ModuleType]:
    """The modules above, by their `streamlit.*` names."""
    hello = ModuleType("streamlit.hello", "Streamlit's demos")
    hello.__path__ = []
    utils = ModuleType("streamlit.hello.utils", "what Streamlit's demos import")
    utils.show_code = show_code  # type: ignore[attr-defined]
    v2 = ModuleType("streamlit.components.v2", "custom components, second version")
    v2.component = component  # type: ignore[attr-defined]
    metrics = ModuleType("streamlit.runtime.metrics_util", "usage statistics (none here)")
    metrics.gather_metrics = gather_metrics  # type: ignore[attr-defined]
    deprecation = ModuleType("streamlit.deprecation_util", "deprecation warnings")
    deprecation.show_deprecation_warning = show_deprecation_warning  # type: ignore[attr-defined]
    source = ModuleType("streamlit.source_util", "reading an app's source")
    source.open_python_file = open_python_file  # type: ignore[attr-defined]
    return {"streamlit.hello": hello, "streamlit.hello.utils": utils,
            "streamlit.components.v2": v2, "streamlit.runtime.metrics_util": metrics,
            "streamlit.deprecation_util": deprecation, "streamlit.source_util": source}
