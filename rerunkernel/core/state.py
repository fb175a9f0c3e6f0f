"""`rk.session_state`: values that survive reruns, and widget values by key.

A run starts from a fresh namespace, so anything to keep between runs lives here (or in a
widget, or in the cache). Each session (the notebook, each `%rerun_watch` app) has its own.
A key that names a widget reads and writes that widget's value; setting it before the widget
exists gives the widget its first value, as in Streamlit.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Iterator

from . import runtime
from .widgets import applying

_outside_runs: dict[str, Any] = {}


class SessionStateError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class SessionState(MutableMapping):
    """Dict and attribute access to the active session's state."""

    def _store(self) -> tuple[dict[str, Any], Any]:
        ctx = runtime.active()
        if ctx is None:
            return _outside_runs, None
        return ctx.session.state, ctx

    def _widget(self, key: str) -> Any:
        ctx = runtime.active()
        if ctx is None:
            return None
        return ctx.session.widgets.record_for_key(key)

    def __getitem__(self, key: str) -> Any:
        record = self._widget(key)
        if record is not None and record.spec.has_value:
            ctx = runtime.active()
            return ctx.session.widgets.read(record.widget, ctx)
        if record is not None and record.spec.clickable:  # a button: True in its click's run
            return record.widget.model_id in runtime.active().trigger.clicked
        state, _ = self._store()
        if key not in state:
            raise SessionStateError(
                f'rk.session_state has no key "{key}". Set it first, e.g. '
                f'`if "{key}" not in rk.session_state: rk.session_state["{key}"] = ...`'
            )
        return state[key]

    def __setitem__(self, key: str, value: Any) -> None:
        state, ctx = self._store()
        record = self._widget(key)
        if record is not None and record.spec.has_value:
            if ctx is not None and key in ctx.keys_used:
                raise SessionStateError(
                    f'rk.session_state["{key}"] can\'t be changed after the widget with '
                    f'key="{key}" was drawn in this run; set it before the widget, or in '
                    "the widget's on_change callback."
                )
            with applying():
                setattr(record.widget, record.spec.value_trait, record.spec.encode(value))
            return
        state[key] = value

    def __delitem__(self, key: str) -> None:
        state, _ = self._store()
        if key not in state:
            raise SessionStateError(f'rk.session_state has no key "{key}"')
        del state[key]

    def _keys(self) -> list[str]:
        state, ctx = self._store()
        keys = list(state)
        if ctx is not None:
            keys += [r.spec.key for r in ctx.session.widgets.records()
                     if r.spec.key is not None and r.spec.has_value and r.spec.key not in state]
        return keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def __contains__(self, key: object) -> bool:
        return key in self._keys()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def to_dict(self) -> dict[str, Any]:
        return {key: self[key] for key in self._keys()}

    def __repr__(self) -> str:
        return f"SessionState({self.to_dict()!r})"


session_state = SessionState()
