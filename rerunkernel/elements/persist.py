"""`persist_state`: a widget's value kept while the widget isn't drawn, as Streamlit keeps it.

A widget a run doesn't draw is closed, and its value goes with it (Streamlit's default). With
`persist_state="session"` the value is kept for the session and the widget starts from it
when drawn again; with `"page"` only while the user stays on the page of `navigation` (a
move to another page drops it). The values are kept per session, by the widget's key, and
handed back through `session_state` before the widget is made, as a value set there is.
"""

from __future__ import annotations

import weakref
from typing import Any

from ..core import runtime

SCOPES = ("page", "session")
_kept: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, Any]]] = \
    weakref.WeakKeyDictionary()


def _store() -> dict[str, tuple[str, Any]] | None:
    ctx = runtime.active()
    return _kept.setdefault(ctx.session, {}) if ctx is not None else None


def restore(key: str) -> None:
    """Before the widget `key` is drawn: a widget made anew starts from the kept value."""
    ctx = runtime.active()
    store = _store()
    if ctx is None or store is None or key not in store:
        return
    if ctx.session.widgets.record_for_key(key) is None and key not in ctx.session.state:
        ctx.session.state[key] = store[key][1]


def keep(key: str, scope: str, value: Any) -> None:
    store = _store()
    if store is not None:
        store[key] = (scope, value)


def page_changed() -> None:
    """The user moved to another page: values kept for a page are dropped."""
    store = _store()
    if store is not None:
        for key in [k for k, (scope, _) in store.items() if scope == "page"]:
            del store[key]
