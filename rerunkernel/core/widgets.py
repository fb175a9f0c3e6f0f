"""Widget identity and reuse across runs (docs/ARCHITECTURE.md, "Widget slots").

`x = rk.slider('x')` must return the same slider on every run, or the user's value is lost
and the front-end view is recreated under their cursor. A widget is found again by
(cell, kind, key) or (cell, kind, label, n-th occurrence in this run). Changed options are
applied to the live widget inside `hold_sync()`, keeping its value when still valid; widgets a
completed run no longer made are closed with their layout and style models.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    import ipywidgets

    from .runtime import RunContext
    from .session import Session

INVALID = object()
log = logging.getLogger("rerunkernel")


@dataclass
class WidgetSpec:
    """What one widget call asks for, in a form the registry can compare across runs."""

    kind: str
    label: str
    key: str | None
    make: Callable[[], ipywidgets.Widget]
    params: dict[str, Any]
    default: Any
    read: Callable[[ipywidgets.Widget, RunContext], Any]
    fix: Callable[[Any], Any] = lambda value: value
    snapshot: Callable[[ipywidgets.Widget], str] = lambda w: ""
    clickable: bool = False
    order: tuple[str, ...] = ()
    value_trait: str = "value"
    encode: Callable[[Any], Any] = lambda value: value
    parse: Callable[[str], Any] = lambda text: text

    @property
    def has_value(self) -> bool:
        """Layout boxes and buttons have no value for the user to change."""
        return bool(self.value_trait) and not self.clickable


@dataclass
class Record:
    widget: ipywidgets.Widget
    spec: WidgetSpec
    observers: list[tuple[Callable, str]] = field(default_factory=list)
    callback: tuple | None = None
    # the id of the fragment it was drawn in: a change of it reruns that fragment alone
    fragment: str | None = None
    tampered: bool = False
    form: str | None = None
    # a form widget's value as of its form's last submit: what the script reads
    submitted: Any = INVALID


_local = threading.local()


@contextmanager
def applying() -> Iterator[None]:
    """Changes we make ourselves (creation, clamping) must not look like user input."""
    previous = getattr(_local, "applying", False)
    _local.applying = True
    try:
        yield
    finally:
        _local.applying = previous


def _is_ours() -> bool:
    return getattr(_local, "applying", False)


class DuplicateKeyError(ValueError):
    pass


class PresetError(ValueError):
    pass


class Presets:
    """Widget values chosen from outside (`rerunkernel run --set NAME=VALUE`), by key or label.

    Shared by every session of a kernel, since a notebook may draw its widgets through apps.
    """

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.used: set[str] = set()
        self.names_seen: list[str] = []

    def unused(self) -> list[str]:
        return [name for name in self.values if name not in self.used]

    def unknown_names(self) -> str | None:
        """After a run, why some `--set` values were never applied: the names that matched no
        widget, and the names the run's widgets answer to, so the user can pick one."""
        unused = self.unused()
        if not unused:
            return None
        known = ", ".join(self.names_seen) or "none"
        return (f"no widget is called {', '.join(map(repr, unused))} (by label or key); "
                f"the widgets are: {known}")


class WidgetRegistry:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._records: dict[tuple, Record] = {}
        self._by_model: dict[str, tuple] = {}
        self.presets = Presets()

    def __len__(self) -> int:
        return len(self._records)

    @property
    def widgets(self) -> list[ipywidgets.Widget]:
        return [r.widget for r in self._records.values()]

    def records(self) -> list[Record]:
        return list(self._records.values())

    def identity(self, ctx: RunContext, spec: WidgetSpec) -> tuple:
        __tracebackhide__ = True
        if spec.key is not None:
            where = ctx.keys_used.get(spec.key)
            here = f"{spec.kind} {spec.label!r}"
            if where is not None:
                raise DuplicateKeyError(
                    f"Two widgets use key={spec.key!r} ({where} and {here}). "
                    "Keys must be unique across the script; give one of them another key."
                )
            ctx.keys_used[spec.key] = here
            return ("key", spec.key)
        base = (ctx.scope, spec.kind, spec.label)
        n = ctx.occurrences.get(base, 0)
        ctx.occurrences[base] = n + 1
        return base + (n,)

    def bind(self, ctx: RunContext, spec: WidgetSpec) -> ipywidgets.Widget:
        """The widget for this call: the one from the last run if it is still the same kind."""
        __tracebackhide__ = True
        ident = self.identity(ctx, spec)
        record = self._records.get(ident)
        if record is not None and record.spec.kind != spec.kind:
            self._close(ident)
            record = None
        if record is None:
            record = self._create(ident, spec)
        elif (record.tampered or record.spec.params != spec.params
              or record.spec.default != spec.default):
            self._reconfigure(record, spec, force=record.tampered)
            record.tampered = False
        ctx.widget_seen.add(record.widget.model_id)
        record.form = ctx.writer.form if ctx.writer is not None else None
        record.fragment = ctx.fragment.id if ctx.fragment is not None else None
        if ctx.fragment is not None:
            ctx.fragment.made(record.widget)
        if record.form is not None and record.submitted is INVALID and spec.has_value:
            record.submitted = getattr(record.widget, spec.value_trait)
        return record.widget

    def read(self, widget: ipywidgets.Widget, ctx: RunContext | None) -> Any:
        """The value the script sees: the live value, or for a form widget the submitted one."""
        record = self._records.get(self._by_model.get(widget.model_id, ()))
        if record is None:
            raise LookupError(f"widget {widget.model_id} is not in this session")
        spec = record.spec
        if record.form is None or record.submitted is INVALID:
            return spec.read(widget, ctx)
        return spec.read(_Submitted(widget, spec.value_trait, record.submitted), ctx)

    def submit_forms(self, clicked: set[str]) -> None:
        """At the start of a run a submit button started: its form's values count from now."""
        forms = self._forms_of(clicked)
        for record in self._records.values():
            if record.form in forms and record.spec.has_value:
                record.submitted = getattr(record.widget, record.spec.value_trait)

    def _forms_of(self, clicked: set[str]) -> set[str]:
        return {r.form for r in self._records.values()
                if r.widget.model_id in clicked
                and r.spec.kind.split(":")[0] == "form_submit_button"}

    def _create(self, ident: tuple, spec: WidgetSpec) -> Record:
        __tracebackhide__ = True
        with applying():
            widget = spec.make()
            self._apply_preset(widget, spec)
            self._apply_session_state(widget, spec)
        record = Record(widget, spec)
        model_id = widget.model_id
        if spec.clickable:
            def clicked(_button: Any, model_id: str = model_id) -> None:
                self._user_changed(model_id, clicked=True)

            widget.on_click(clicked)
            record.observers.append((clicked, "click"))
        elif spec.has_value:
            def changed(_change: dict, model_id: str = model_id) -> None:
                self._user_changed(model_id)

            widget.observe(changed, names=spec.value_trait)
            record.observers.append((changed, spec.value_trait))
        guarded = [n for n in spec.params if n in widget.keys and n != spec.value_trait]
        if guarded:
            def tampered(change: dict, record: Record = record) -> None:
                self._front_end_set_option(record, change)

            widget.observe(tampered, names=guarded)
            record.observers.extend((tampered, name) for name in guarded)
        self._records[ident] = record
        self._by_model[model_id] = ident
        return record

    def _front_end_set_option(self, record: Record, change: dict) -> None:
        """Options belong to the script; a front-end may only change the value.

        Any thread: only flag the widget; the next run puts the script's options back.
        """
        if _is_ours():
            return
        record.tampered = True
        log.warning("ignored a front-end change of %s.%s (only the value may change): %r",
                    record.spec.label, change.get("name"), change.get("new"))
        self.session.request_rerun("restore")

    def _reconfigure(self, record: Record, spec: WidgetSpec, force: bool = False) -> None:
        widget = record.widget
        old = record.spec
        current = getattr(widget, spec.value_trait) if spec.has_value else None
        with applying(), widget.hold_sync():
            names = list(spec.order) + [n for n in spec.params if n not in spec.order]
            if "min" in spec.params and "max" in spec.params:
                if spec.params["min"] > getattr(widget, "max", spec.params["min"]):
                    names = ["max", "min"] + [n for n in names if n not in ("min", "max")]
            for name in names:
                if force or old.params.get(name, INVALID) != spec.params[name]:
                    setattr(widget, name, spec.params[name])
            for name in old.params:
                if name not in spec.params and widget.has_trait(name):
                    # an option this call no longer passes is what a new widget would have
                    # (a dropped `help=` clears the tooltip), as reacton resets dropped props
                    setattr(widget, name, widget.trait_defaults(name))
            if spec.has_value:
                if old.default != spec.default:
                    wanted = spec.default
                else:
                    wanted = spec.fix(current)
                    if wanted is INVALID:
                        wanted = spec.default
                if wanted != getattr(widget, spec.value_trait):
                    setattr(widget, spec.value_trait, wanted)
        record.spec = spec

    def _apply_session_state(self, widget: ipywidgets.Widget, spec: WidgetSpec) -> None:
        """`rk.session_state[key] = v` before the widget exists sets its first value."""
        state = self.session.state
        if spec.key is None or spec.key not in state or not spec.has_value:
            return
        setattr(widget, spec.value_trait, spec.encode(state.pop(spec.key)))

    def record_for_key(self, key: str) -> Record | None:
        return self._records.get(("key", key))

    def clear_submitted_forms(self, clicked: set[str], clearing: dict[str, bool]) -> None:
        """After a run a form's submit started: reset that form's widgets if it asked to."""
        forms = self._forms_of(clicked)
        for record in self._records.values():
            if record.form in forms and clearing.get(record.form) and record.spec.has_value:
                with applying():
                    setattr(record.widget, record.spec.value_trait, record.spec.default)
                record.submitted = record.spec.default

    def _apply_preset(self, widget: ipywidgets.Widget, spec: WidgetSpec) -> None:
        """Apply a `--set` value, if one names this widget."""
        __tracebackhide__ = True
        presets = self.presets
        name = spec.key if spec.key is not None else spec.label
        if name and name not in presets.names_seen:  # layout boxes have no name
            presets.names_seen.append(name)
        for candidate in (spec.key, spec.label):
            if candidate is not None and candidate in presets.values:
                raw = presets.values[candidate]
                if spec.clickable:
                    raise PresetError(f"--set {candidate}={raw}: a button has no value to set")
                try:
                    value = spec.encode(spec.parse(raw))
                except (TypeError, ValueError) as error:
                    raise PresetError(f"--set {candidate}={raw}: {error}") from None
                setattr(widget, spec.value_trait, value)
                presets.used.add(candidate)
                return

    def set_callback(self, model_id: str, callback: tuple | None) -> None:
        """Remember `on_change=`/`on_click=` (with args) to call before the next rerun."""
        ident = self._by_model.get(model_id)
        if ident is not None:
            self._records[ident].callback = callback

    def callbacks_for(self, model_ids: set[str]) -> list[tuple]:
        found = []
        for model_id in model_ids:
            ident = self._by_model.get(model_id)
            if ident is not None and self._records[ident].callback is not None:
                found.append(self._records[ident].callback)
        return found

    def _user_changed(self, model_id: str, clicked: bool = False) -> None:
        # Runs on whatever thread delivered the comm message: touch only the request state.
        if _is_ours() or model_id not in self._by_model:
            return
        record = self._records.get(self._by_model[model_id])
        if record is not None and record.form is not None and not clicked:
            return  # inside a form: the value waits for the submit button
        fragments = (record.fragment,) if record is not None and record.fragment else None
        self.session.request_rerun("click" if clicked else "widget", changed={model_id},
                                   clicked={model_id} if clicked else set(),
                                   fragments=fragments)

    def sweep(self, seen: set[str], fragment: str | None = None) -> int:
        """Close widgets a completed run did not make; return how many. A run of `fragment`
        alone made only that fragment's widgets (and those of fragments inside it)."""
        inner = None if fragment is None else fragment + "/"
        gone = [ident for ident, r in self._records.items() if r.widget.model_id not in seen
                and (inner is None or (r.fragment is not None
                                       and (r.fragment + "/").startswith(inner)))]
        for ident in gone:
            self._close(ident)
        return len(gone)

    def close_all(self) -> None:
        for ident in list(self._records):
            self._close(ident)

    def find(self, model_id: str) -> ipywidgets.Widget | None:
        ident = self._by_model.get(model_id)
        return self._records[ident].widget if ident is not None else None

    def _close(self, ident: tuple) -> None:
        record = self._records.pop(ident)
        widget = record.widget
        self._by_model.pop(widget.model_id, None)
        for handler, name in record.observers:
            if name == "click":
                widget.on_click(handler, remove=True)
            else:
                widget.unobserve(handler, names=name)
        close_widget(widget)


class _Submitted:
    """A form widget as the script sees it: the submitted value, everything else live."""

    def __init__(self, widget: ipywidgets.Widget, trait: str, value: Any) -> None:
        self.__dict__["_widget"] = widget
        self.__dict__[trait] = value

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_widget"], name)


def descendants(widget: ipywidgets.Widget) -> list[ipywidgets.Widget]:
    """A widget and every model it owns: layout, style, and a layout box's children."""
    found: list[ipywidgets.Widget] = []
    stack = [widget]
    while stack:
        current = stack.pop()
        if current is None or getattr(current, "comm", None) is None:
            continue
        found.append(current)
        stack.extend(getattr(current, name, None) for name in ("layout", "style"))
        stack.extend(getattr(current, "children", ()) or ())
    return found


def owned_models(registry: WidgetRegistry) -> set[str]:
    return {m.model_id for w in registry.widgets for m in descendants(w)}


def close_widget(widget: ipywidgets.Widget) -> None:
    """Close a widget and the models it owns, which `close()` alone leaves open."""
    for model in reversed(descendants(widget)):
        model.close()
