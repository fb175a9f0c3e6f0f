"""`import streamlit as st` inside a run gets rerunkernel.

Streamlit apps start with `import streamlit as st` and reach for a few of its submodules
(`streamlit.components.v1`, `streamlit.runtime.scriptrunner`, `streamlit.errors`, ...). While
a session runs, `mapped()` puts modules of ours under those names in `sys.modules` and a
finder first on `sys.meta_path` that refuses any other `streamlit.*` name with an error that
says what to do, whether or not the real package is installed. When the outermost run ends,
`sys.modules` is put back as it was: a process that also uses the real Streamlit (a test
suite running Streamlit's own AppTest) never sees ours outside our runs.

`RERUNKERNEL_REAL_STREAMLIT=1` turns the mapping off for people who want the real package.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import logging
import os
import sys
import threading
from contextlib import contextmanager
from types import ModuleType
from typing import Any, Iterator

OPT_OUT = "RERUNKERNEL_REAL_STREAMLIT"
# apps compare `st.__version__` to enable newer calls; this is the Streamlit API we follow
STREAMLIT_API_VERSION = "1.40.0"


def _is_streamlit(name: str) -> bool:
    return name == "streamlit" or name.startswith("streamlit.")


def opted_out() -> bool:
    return os.environ.get(OPT_OUT, "").strip().lower() in ("1", "true", "yes", "on")


# Streamlit names whose job a notebook can't do, and why: the error an app gets says so
CANNOT = {
    "App": "st.App makes the app an ASGI web application for a server (uvicorn, or `streamlit "
           "run` serving the file); a notebook is served by Jupyter, and its script runs in "
           "the kernel, with no web server of its own to route requests",
}


# Names an app finds that only raise, saying why: those above, and signing in and
# connections (accounts.py), which need Streamlit's server. Counted apart from the API we
# provide (bench/streamlit_api_coverage.py).
REFUSED = frozenset(CANNOT) | {"login", "logout", "connection"}


def _cannot(name: str) -> Any:
    """A stand-in that fails when used, not when looked up (`hasattr(st, name)` stays safe)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{CANNOT[name]}. Run the app with `streamlit run` for that "
                                  f"(and {OPT_OUT}=1 to import the real Streamlit here).")

    refuse.__name__ = refuse.__qualname__ = name
    return refuse


def _private(name: str) -> Any:
    """Streamlit's underscored names that libraries built on it use: `st._main` (the main
    area, for streamlit-extras' skeleton), `st._bottom` (`st.bottom`'s old name) and
    `st._event`, the area apart from the page where Streamlit shows toasts and where
    streamlit-extras mounts components that draw nothing (cookies, local storage): drawn in
    place here, as a toast is, so it is the cell's own area."""
    from ..elements import layout

    if name in ("_main", "_event"):
        return layout.MainArea()
    if name == "_bottom":
        from .modules import show_deprecation_warning

        # as Streamlit, which renamed it: its warning, at each use
        show_deprecation_warning("Please replace `st._bottom` with `st.bottom`.\n\n"
                                 "`st._bottom` will be removed after 2026-07-01.")
        return layout.bottom
    raise AttributeError(name)


class _Streamlit(ModuleType):
    """`streamlit` itself: every public name of rerunkernel, and a clear error otherwise."""

    def __getattr__(self, name: str) -> Any:
        import rerunkernel

        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("_main", "_bottom", "_event"):
            return _private(name)
        try:
            return getattr(rerunkernel, name)
        except AttributeError:
            if name in CANNOT:
                return _cannot(name)
            raise AttributeError(
                f"st.{name} is not available: this app runs on rerunkernel, which does not "
                f"provide streamlit.{name}. Set {OPT_OUT}=1 to import the real Streamlit "
                "(then run the app with `streamlit run`)."
            ) from None

    def __dir__(self) -> list[str]:
        import rerunkernel

        return sorted(set(super().__dir__()) | set(rerunkernel.__all__))


def _module(name: str, doc: str, **attrs: Any) -> ModuleType:
    module = ModuleType(name, doc)
    module.__path__ = []  # a package, so the next level can be imported below it
    module.__dict__.update(attrs)
    return module


class ScriptRunContext:
    """What `get_script_run_ctx()` returns: apps test it for None, or read the session id."""

    def __init__(self, session_id: str, page_script_hash: str = "") -> None:
        self.session_id = session_id
        self.page_script_hash = page_script_hash

    def __repr__(self) -> str:
        return f"ScriptRunContext(session_id={self.session_id!r})"


def get_script_run_ctx(suppress_warning: bool = False) -> ScriptRunContext | None:
    """The run of the calling thread, or None (a thread the app started, no run at all)."""
    from ..core import runtime

    if not runtime.is_script_thread():
        return None
    ctx = runtime.active()
    return ScriptRunContext(f"{ctx.session.name}-{id(ctx.session):x}") if ctx else None


def add_script_run_ctx(thread: Any = None, ctx: Any = None) -> Any:
    """Streamlit lets a thread draw once given the context; here drawing stays on the
    script's thread (elements from another thread raise `WrongThreadError` naming both)."""
    return thread


def _runtime_exists() -> bool:
    return True


class StreamlitAPIException(Exception):
    """Streamlit's base for API misuse; kept so `except st.errors.X` clauses compile."""


class StreamlitAPIWarning(StreamlitAPIException, Warning):
    pass


class DuplicateWidgetID(StreamlitAPIException):
    pass


class StreamlitSecretNotFoundError(KeyError):
    pass


class NoSessionContext(Exception):
    pass


def _build() -> dict[str, ModuleType]:
    """Our `streamlit` and its submodules, by name (built once per process)."""
    from ..core.state import SessionState
    from ..elements import column_config
    from ..elements import components as components_v1
    from ..elements.files import UploadedFile
    from ..elements.layout import Container
    from .modules import extra_modules

    root = _Streamlit("streamlit", "rerunkernel, imported as streamlit")
    root.__path__ = []
    root.__version__ = STREAMLIT_API_VERSION
    errors = _module(
        "streamlit.errors", "Streamlit's exception names",
        StreamlitAPIException=StreamlitAPIException, StreamlitAPIWarning=StreamlitAPIWarning,
        DuplicateWidgetID=DuplicateWidgetID, NoSessionContext=NoSessionContext,
        StreamlitSecretNotFoundError=StreamlitSecretNotFoundError, Error=Exception,
    )
    run_context = dict(get_script_run_ctx=get_script_run_ctx,
                       add_script_run_ctx=add_script_run_ctx,
                       ScriptRunContext=ScriptRunContext)
    scriptrunner = _module("streamlit.runtime.scriptrunner", "run context", **run_context)
    utils = _module("streamlit.runtime.scriptrunner_utils", "run context", **run_context)
    utils_ctx = _module("streamlit.runtime.scriptrunner_utils.script_run_context",
                        "run context", **run_context)
    script_ctx = _module("streamlit.runtime.scriptrunner.script_run_context", "run context",
                         **run_context)
    state = _module("streamlit.runtime.state", "session state",
                    SessionStateProxy=SessionState, SessionState=SessionState)
    uploads = _module("streamlit.runtime.uploaded_file_manager", "uploads",
                      UploadedFile=UploadedFile)
    rt = _module("streamlit.runtime", "the app's runtime", exists=_runtime_exists)
    components = _module("streamlit.components", "components")
    delta = _module("streamlit.delta_generator", "containers", DeltaGenerator=Container)
    logger = _module("streamlit.logger", "logging", get_logger=logging.getLogger)
    modules = {
        "streamlit": root,
        "streamlit.errors": errors,
        "streamlit.runtime": rt,
        "streamlit.runtime.scriptrunner": scriptrunner,
        "streamlit.runtime.scriptrunner.script_run_context": script_ctx,
        "streamlit.runtime.scriptrunner_utils": utils,
        "streamlit.runtime.scriptrunner_utils.script_run_context": utils_ctx,
        "streamlit.runtime.state": state,
        "streamlit.runtime.uploaded_file_manager": uploads,
        "streamlit.components": components,
        "streamlit.components.v1": components_v1,
        "streamlit.column_config": column_config,
        "streamlit.delta_generator": delta,
        "streamlit.logger": logger,
    }
    modules.update(extra_modules())
    for name, module in modules.items():
        parent, _, child = name.rpartition(".")
        if parent:
            modules[parent].__dict__[child] = module
    return modules


class _Refuse(importlib.abc.MetaPathFinder):
    """Any `streamlit.*` module we don't provide is an error naming it, never the real one
    (half our modules and half Streamlit's would fail later in ways no one could read)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if not _is_streamlit(fullname):
            return None
        raise ModuleNotFoundError(
            f"No module named {fullname!r}: this app runs on rerunkernel, which maps "
            f"`streamlit` to itself and does not provide {fullname}. Set {OPT_OUT}=1 to "
            "import the real Streamlit (then run the app with `streamlit run`).",
            name=fullname,
        )


_FINDER = _Refuse()
_lock = threading.Lock()
_depth = 0
_saved: dict[str, ModuleType] = {}
_ours: dict[str, ModuleType] = {}


def _install() -> None:
    # Every run passes here, so the common case (the real Streamlit was never imported: no
    # `streamlit` in sys.modules) must not scan the thousands of names in sys.modules.
    if not _ours:
        _ours.update(_build())
    _saved.clear()
    if "streamlit" in sys.modules or any(name in sys.modules for name in _ours):
        for name in [n for n in sys.modules if _is_streamlit(n)]:
            _saved[name] = sys.modules.pop(name)
    sys.modules.update(_ours)
    sys.meta_path.insert(0, _FINDER)


def _uninstall() -> None:
    # While the finder is first on sys.meta_path, the only `streamlit.*` modules a run can
    # import are ours, so taking ours out restores sys.modules without a scan.
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name, module in _ours.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]
    sys.modules.update(_saved)
    _saved.clear()


@contextmanager
def mapped() -> Iterator[None]:
    """`streamlit` is rerunkernel inside the block; runs nest (an app inside a notebook)."""
    global _depth
    if opted_out():
        yield
        return
    with _lock:
        if _depth == 0:
            _install()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _uninstall()


def provided() -> list[str]:
    """The `streamlit.*` module names an app can import here."""
    if not _ours:
        _ours.update(_build())
    return sorted(_ours)
