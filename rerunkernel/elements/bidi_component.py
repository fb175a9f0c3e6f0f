"""`st.components.v2.component`: Streamlit's custom components, drawn in Jupyter.

A v2 component is HTML, CSS and an ES module whose default export gets the drawn elements,
the app's `data` and two functions that send values back to Python: `setStateValue` (kept
across reruns) and `setTriggerValue` (seen by one run). In Jupyter the natural carrier is a
widget whose front-end is an ES module, which anywidget provides with a prebuilt extension
for JupyterLab, Notebook 7 and Voila, so the component works with or without ours
(docs/ARCHITECTURE.md, "Custom components (v2)"). Each mount is a registry widget like any
other: found again by key or call order, so `data` that changes on a rerun reaches the
mounted component instead of drawing a new one, and a value sent from the page reruns the
script after the `on_<name>_change` callbacks of what changed. Dataframes in `data` reach the
JavaScript as they do in Streamlit (component_data.py): Arrow bytes, or `apache-arrow` Tables
inside a dict.

Headless runs (`rerunkernel run`, AppTest, nbclient) have no page to run the JavaScript:
the mount returns the defaults, so an app runs to its end.
"""

from __future__ import annotations

import functools
import json
import numbers
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..core import runtime
from ..core.element import Element
from ..core.widgets import WidgetSpec
from . import arrow_decoder, component_assets, page_library
from .component_data import UnserializableDataError, payload
from .widget_call import WIDGET_VIEW_MIME, CachedWidgetError

KIND = "bidi_component"  # what Streamlit's AppTest calls the element
EMPTY: dict[str, Any] = {"state": {}, "trigger": None}
_MISSING = object()


class ComponentResult(dict):
    """The component's state and trigger values, read as keys or attributes (`result.clicked`),
    as Streamlit's result is."""

    def __getattr__(self, name: str) -> Any:
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(f"this component has no state or trigger value {name!r} "
                                 f"(it has: {', '.join(self) or 'none'})") from None
        # nested values read as attributes too (`result.selection.rows`)
        return ComponentResult(value) if isinstance(value, dict) else value

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


__all__ = ["ComponentResult", "UnserializableDataError", "component"]


@dataclass(frozen=True)
class Definition:
    """What `component()` registered: the same for every mount of the component."""

    name: str
    html: str
    css: str
    js: str
    isolate_styles: bool


def component(name: str, *, html: str | None = None, css: str | None = None,
              js: str | None = None, isolate_styles: bool = True
              ) -> Callable[..., ComponentResult]:
    """Register a component and return the function that mounts it."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"components.v2.component(name={name!r}): give the component a "
                         "name (a non-empty str)")
    for parameter, value in (("html", html), ("css", css), ("js", js)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"components.v2.component({name!r}): {parameter} must be a str "
                            f"or None, got {type(value).__name__}")
    # a packaged component names files in its asset folder: read them now, as Streamlit does
    code = component_assets.resolve(name, {"html": html, "css": css, "js": js})
    definition = Definition(name, code["html"] or "", code["css"] or "", code["js"] or "",
                            bool(isolate_styles))

    def mount(*, key: str | int | None = None, data: Any = None,
              default: dict[str, Any] | None = None, width: Any = "stretch",
              height: Any = "content", **callbacks: Any) -> ComponentResult:
        __tracebackhide__ = True
        return _mount(definition, key, data, default, width, height, callbacks)

    mount.__name__ = mount.__qualname__ = f"mount_{name}"
    mount.__doc__ = f"Mount the component {name!r}; returns its state and trigger values."
    return mount


def _fail(definition: Definition, message: str) -> ValueError:
    return ValueError(f"component {definition.name!r}: {message}")


def _callbacks(definition: Definition, given: dict[str, Any]) -> dict[str, Callable]:
    """`on_<name>_change=` callbacks by name. Other keyword arguments are left alone, as
    Streamlit leaves them (an app written for it passes them and works there)."""
    found: dict[str, Callable] = {}
    for argument, fn in given.items():
        if not (argument.startswith("on_") and argument.endswith("_change")) or fn is None:
            continue
        event = argument[3:-7]
        if not event or event == "_":
            raise _fail(definition, f"{argument}= names no value: use on_<name>_change")
        if not callable(fn):
            raise _fail(definition, f"{argument} must be callable, got {type(fn).__name__}")
        found[event] = fn
    return found


def _size(definition: Definition, parameter: str, value: Any, words: tuple[str, ...],
          least: int = 1) -> Any:
    if isinstance(value, str) and value in words:
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= least:
        return int(value)
    choices = " or ".join(repr(w) for w in words)
    raise _fail(definition, f"{parameter} must be {choices} or a number of pixels "
                            f"({least} or more), got {value!r}")


def _mount(definition: Definition, key: Any, data: Any, default: Any, width: Any,
           height: Any, given: dict[str, Any]) -> ComponentResult:
    __tracebackhide__ = True
    callbacks = _callbacks(definition, given)
    if default is not None:
        if not isinstance(default, dict):
            raise _fail(definition, f"default must be a dict, got {type(default).__name__}")
        unknown = [name for name in default if name not in callbacks]
        if unknown:
            raise _fail(definition, f"default names {', '.join(map(repr, unknown))}, which "
                        "has no on_<name>_change callback; state values with defaults "
                        f"need one (the callbacks given: {', '.join(callbacks) or 'none'})")
    defaults = dict(default or {})
    if key is not None and (not isinstance(key, (str, int)) or isinstance(key, bool)):
        raise _fail(definition, f"key must be a str or int, got {type(key).__name__}")
    key = None if key is None else str(key)
    width = _size(definition, "width", width, ("stretch", "content"))
    # 0 is allowed, as in Streamlit: a component that only runs code takes no room
    height = _size(definition, "height", height, ("content", "stretch"), least=0)
    sent = payload(definition.name, data)

    ctx = runtime.active()
    if ctx is None:
        return ComponentResult({**{name: None for name in callbacks}, **defaults})
    ctx.checkpoint()
    if ctx.in_cached_call:
        raise CachedWidgetError(
            f"component {definition.name!r} was mounted inside a cached function. Widgets "
            "can't be cached: mount it outside the function and pass its values in.")
    params = {"component": definition.name, "html": definition.html, "css": definition.css,
              "js": definition.js, "isolate_styles": definition.isolate_styles,
              "instance_key": key or "", "width": width, "height": height,
              "data_kind": sent.kind, "data": sent.value, "data_bytes": sent.raw,
              "data_tables": sent.tables,
              # the page decodes the tables with the library this model carries
              "arrow": arrow_decoder.APACHE_ARROW.widget() if sent.tables else None}

    def read(widget: Any, ctx: Any) -> ComponentResult:
        state = {**defaults, **((widget.value or {}).get("state") or {})}
        events = _events_for(widget, ctx)
        widget_state(widget).seen = dict(state)
        return ComponentResult({**{name: events.get(name) for name in callbacks}, **state})

    spec = WidgetSpec(
        kind=f"{KIND}:{definition.name}", label=None, key=key,  # type: ignore[arg-type]
        make=lambda: widget_class()(**params), params=params, default=EMPTY, read=read,
        encode=lambda state: {"state": dict(state), "trigger": None},
        parse=json.loads,
    )
    registry = ctx.session.widgets
    widget = registry.bind(ctx, spec)
    registry.set_callback(widget.model_id, (_changed_callbacks, (widget, callbacks, defaults),
                                            {}) if callbacks else None)
    text = f"[component {definition.name}]"
    element = Element(kind=KIND, data={"text/plain": text, WIDGET_VIEW_MIME: {
        "version_major": 2, "version_minor": 0, "model_id": widget.model_id}},
        value=widget, identity=("widget", widget.model_id), label=None, key=key, spec=spec)
    ctx.draw(element)
    return registry.read(widget, ctx)


class _WidgetState:
    """What the kernel keeps beside a component's widget: the trigger values the page sent
    since a run last took them, and the state values the last run read (so a callback runs
    only for what changed)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inbox: dict[str, Any] = {}
        self.last_id: Any = None
        self.taken: tuple[Any, dict[str, Any]] = (None, {})
        self.seen: dict[str, Any] = {}


def widget_state(widget: Any) -> _WidgetState:
    return widget._rk_bidi  # type: ignore[no-any-return]


def _collect_trigger(widget: Any, change: dict[str, Any]) -> None:
    """On the thread that delivered the page's message: keep a trigger value for the run it
    starts. Runs before the registry's observer, which schedules that run."""
    trigger = (change.get("new") or {}).get("trigger")
    if not isinstance(trigger, dict) or trigger.get("id") is None:
        return
    state = widget_state(widget)
    with state.lock:
        if trigger["id"] == state.last_id:
            return
        state.last_id = trigger["id"]
        state.inbox[str(trigger.get("event"))] = trigger.get("value")


def _events_for(widget: Any, ctx: Any) -> dict[str, Any]:
    """The trigger values this run sees: those that came with the change that started it,
    taken once, so the next run sees None again (as Streamlit resets them)."""
    if ctx is None:
        return {}
    state = widget_state(widget)
    if state.taken[0] is ctx.trigger:
        return state.taken[1]
    taken: dict[str, Any] = {}
    if widget.model_id in ctx.trigger.changed:
        with state.lock:
            taken, state.inbox = state.inbox, {}
    state.taken = (ctx.trigger, taken)
    return taken


def _changed_callbacks(widget: Any, callbacks: dict[str, Callable],
                       defaults: dict[str, Any]) -> None:
    """Before the rerun a value from the page started: the callbacks of the values that
    changed, state values compared with what the last run read."""
    state = widget_state(widget)
    values = {**defaults, **((widget.value or {}).get("state") or {})}
    with state.lock:
        triggered = set(state.inbox)
    for name, fn in callbacks.items():
        if name in triggered or values.get(name, _MISSING) != state.seen.get(name, _MISSING):
            fn()


@functools.cache
def widget_class() -> type:
    """The widget class, made at the first mount: anywidget is imported only by apps that
    use a component."""
    import anywidget
    import traitlets
    from ipywidgets import Widget, widget_serialization

    class BidiComponentWidget(anywidget.AnyWidget):  # type: ignore[misc]
        _esm = page_library.esm(Path(__file__).with_name("bidi_component.js"))
        component = traitlets.Unicode("").tag(sync=True)
        html = traitlets.Unicode("").tag(sync=True)
        css = traitlets.Unicode("").tag(sync=True)
        js = traitlets.Unicode("").tag(sync=True)
        isolate_styles = traitlets.Bool(True).tag(sync=True)
        instance_key = traitlets.Unicode("").tag(sync=True)
        width = traitlets.Any("stretch").tag(sync=True)
        height = traitlets.Any("content").tag(sync=True)
        data_kind = traitlets.Unicode("none").tag(sync=True)
        data = traitlets.Any(None).tag(sync=True)
        data_bytes = traitlets.Bytes(b"").tag(sync=True)
        # "mixed" data: each table's Arrow IPC bytes (widget buffers) by its reference
        data_tables = traitlets.Dict({}).tag(sync=True)
        arrow = traitlets.Instance(Widget, allow_none=True).tag(sync=True,
                                                                 **widget_serialization)
        value = traitlets.Dict(dict(EMPTY)).tag(sync=True)

        def __init__(self, **kwargs: Any) -> None:
            self._rk_bidi = _WidgetState()
            super().__init__(**kwargs)
            # observed before the registry observes `value`, so the trigger is kept before
            # the run it starts is scheduled
            self.observe(lambda change: _collect_trigger(self, change), names="value")

    return BidiComponentWidget
