"""The toolkit widget functions are built with: one `WidgetCall` per call, then `draw_widget`.

Every widget checks the same arguments (label, key, label_visibility, help, on_change, width,
options) and names itself and its label in each error (`rk.slider('Speed'): ...`). Spelling
the name at every check let the checks and their messages drift between widgets; a
`WidgetCall` carries the name and label once, so a widget function is its own checks plus
`call.use(spec, on_change, args, kwargs)`. `draw_widget` is the one place a spec meets the
registry: bind it to a live widget, register its callback, draw its slot, read its value.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

from ..core import runtime
from ..core.element import Element
from ..core.widgets import WidgetSpec
from .core import html_escape
from .params import css_width, unsupported

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

# labels at their natural width (ipywidgets cuts them short by default); set when a widget
# is made, never compared between runs
LABEL_STYLE = {"description_width": "initial"}


def apply_settings(widget: Any, settings: dict[str, Any]) -> None:
    """Set a composite widget's traits from the keywords `draw_widget` makes a widget with.

    A box of Jupyter's widgets that acts as one widget (a date range, a pagination bar, a
    list with a box for new options) is made with the same keywords as any other; its
    `layout` comes as the dict a spec keeps, so it is made a `Layout` here."""
    import ipywidgets

    for name, given in settings.items():
        if name == "layout":
            widget.layout = ipywidgets.Layout(**given)
        else:
            setattr(widget, name, given)


class CachedWidgetError(RuntimeError):
    pass


def type_name(value: Any) -> str:
    return f"{type(value).__name__} ({value!r})"


@dataclass(frozen=True, slots=True)
class WidgetCall:
    """One call of a widget function: `name` as the user wrote it after `rk.`, and `label`
    as the error messages show it (a label, or what stands for one: a placeholder, a key)."""

    name: str
    label: Any

    def checked(self) -> WidgetCall:
        """The call, once its label is known to be text."""
        if not isinstance(self.label, str):
            raise self.fail(f"label must be a str, got {type(self.label).__name__}")
        return self

    def fail(self, message: str) -> ValueError:
        return ValueError(f"rk.{self.name}({self.label!r}): {message}")

    def unsupported(self, parameter: str, value: Any, hint: str = "") -> NotImplementedError:
        return unsupported(self.name, parameter, value, hint)

    def key(self, key: Any) -> str | None:
        if key is None:
            return None
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            raise self.fail(f"key must be a str or int, got {type(key).__name__}")
        return str(key)

    def layout(self, label_visibility: str, help: str | None, disabled: bool
               ) -> dict[str, Any]:
        """The options every labelled widget takes; part of what runs compare."""
        if label_visibility not in ("visible", "hidden", "collapsed"):
            raise self.fail("label_visibility must be 'visible', 'hidden' or "
                            f"'collapsed', got {label_visibility!r}")
        kwargs: dict[str, Any] = {
            "description": self.label if label_visibility == "visible" else "",
            "disabled": bool(disabled),
        }
        if help:
            kwargs["tooltip"] = str(help)
        return kwargs

    def with_icon(self, common: dict[str, Any], icon: Any) -> dict[str, Any]:
        """`icon=` of a box Streamlit draws it in (a text input's, a drop-down's): here it
        goes before the label's text, as icons go everywhere a label goes (icons.py)."""
        from .icons import with_icon

        text = with_icon(self.name, icon, "") if icon else ""
        if text.strip() and common.get("description"):
            common = dict(common, description=f"{text.strip()} {common['description']}")
        return common

    def callback(self, fn: Any, args: Any, kwargs: Any) -> tuple | None:
        """A callback to call before the next rerun; Streamlit's "rerun" means none (a rerun
        only)."""
        if fn is None or fn == "rerun":
            return None
        if fn == "ignore":
            raise self.unsupported("on_change", fn, "every widget change reruns the script")
        if not callable(fn):
            raise self.fail(f"on_change/on_click must be callable, got {type(fn).__name__}")
        return (fn, tuple(args or ()), dict(kwargs or {}))

    def width(self, width: Any, natural: Any) -> tuple[str, dict[str, Any]]:
        """A kind suffix and the layout for Streamlit's `width` (`natural`: ipywidgets' own
        size).

        The layout is fixed when the widget is made; a changed width changes the kind, so the
        registry makes a new widget rather than leaving the old layout model behind.
        """
        if width == natural:
            return "", {}
        css = css_width(self.name, width)
        if css is None:
            return "", {}
        return f":width={css}", {"layout": {"width": css}}

    def options(self, options: Any) -> list[Any]:
        if options is None:
            return []
        if isinstance(options, (str, bytes)):
            raise self.fail("options must be a sequence of choices, not a string")
        module = type(options).__module__.split(".")[0]
        if module == "pandas" and type(options).__name__ == "DataFrame":
            options = options.iloc[:, 0]
        try:
            return list(options)
        except TypeError:
            raise self.fail(f"options must be iterable, got {type(options).__name__}") from None

    def position(self, choices: list[Any], labels: list[str], option: Any) -> int:
        """Where an option (the object itself, or its label) is among the choices."""
        for position, choice in enumerate(choices):
            if choice is option or choice == option:
                return position
        for position, text in enumerate(labels):
            if isinstance(option, str) and text == option:
                return position
        raise self.fail(f"{option!r} is not one of the options: {labels}")

    def index(self, index: Any, choices: list[Any]) -> None:
        """`index=`: None (nothing chosen) or the position of one of the options."""
        if index is None:
            return
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise self.fail(f"index must be an int or None, got {index!r}")
        if choices and not 0 <= index < len(choices):
            raise self.fail(f"index {index} is out of range for {len(choices)} options")

    def placeholder(self, placeholder: Any) -> None:
        """Streamlit's placeholder shows in an empty box; drop-downs, list boxes and number
        boxes here are never empty, so theirs is checked and has nowhere to show."""
        if placeholder is not None and not isinstance(placeholder, str):
            raise self.fail(f"placeholder must be a str, got {type_name(placeholder)}")

    def max_chars(self, value: str, max_chars: Any) -> None:
        if max_chars is None:
            return
        if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars <= 0:
            raise self.fail(f"max_chars must be a positive int, got {max_chars!r}")
        if len(value) > max_chars:
            raise self.fail(f"value has {len(value)} characters, more than "
                            f"max_chars={max_chars}")

    def refuse_required(self, required: bool) -> None:
        if required:
            raise self.unsupported("required", required,
                                   "check the value in the script and rk.stop() when it is "
                                   "missing")

    def expect(self, value: Any, cls: type) -> Any:
        """A value set through session_state, if it is of the widget's type."""
        if not isinstance(value, cls):
            raise self.fail(f"set a {cls.__name__}, got {type_name(value)}")
        return value

    def use(self, spec: WidgetSpec, fn: Any = None, args: Any = None, kwargs: Any = None,
            bind: str | None = None, persist: str | None = None) -> Any:
        """Draw the widget with its callback (`on_change`/`on_click`) and return its value;
        `bind='query-params'` ties the value to the query parameter named by its key, and
        `persist` (Streamlit's `persist_state`) keeps it while the widget isn't drawn
        (persist.py)."""
        __tracebackhide__ = True
        return self.draw(spec, self.callback(fn, args, kwargs), bind, persist)

    def draw(self, spec: WidgetSpec, callback: tuple | None, bind: str | None = None,
             persist: str | None = None) -> Any:
        """`use` with its callback made: for widgets whose spec is built apart."""
        __tracebackhide__ = True
        if persist is not None:
            from . import persist as kept

            if persist not in kept.SCOPES:
                raise self.fail(f"persist_state must be 'page', 'session' or None, got "
                                f"{persist!r}")
            if spec.key is None:
                raise self.fail(f"persist_state={persist!r} needs a key: the value is kept "
                                "by it")
        if bind is not None:
            if bind != "query-params":
                raise self.fail(f"bind must be 'query-params' or None, got {bind!r}")
            if spec.key is None:
                raise self.fail("bind='query-params' needs a key: the key names the query "
                                "parameter")
            _from_query_params(spec)  # the binding wins over a kept value, as in Streamlit
        if persist is not None:
            kept.restore(spec.key)
        value = draw_widget(spec, callback)
        if bind is not None:
            _to_query_params(spec, value)
        if persist is not None:
            kept.keep(spec.key, persist, value)
        return value


def _from_query_params(spec: WidgetSpec) -> None:
    """A bound widget's first value comes from its query parameter, if the session has one
    (a value that doesn't parse is left out, and the widget starts at its default)."""
    from ..core.app_settings import query_params

    ctx = runtime.active()
    if ctx is None or ctx.session.widgets.record_for_key(spec.key) is not None:
        return
    texts = query_params.get_all(spec.key)
    if not texts or spec.key in ctx.session.state:
        return
    try:  # a name given several times is a list (a multiselect's choices)
        value = spec.parse(",".join(texts))
    except (TypeError, ValueError):
        return
    ctx.session.state[spec.key] = value


def _to_query_params(spec: WidgetSpec, value: Any) -> None:
    """Streamlit keeps a bound widget's value in the URL's query, and none while it is the
    default; here the session's `query_params` are that URL."""
    from ..core.app_settings import query_params

    if value == spec.default or value is None:
        query_params.pop(spec.key, None)
        return
    if isinstance(value, (list, tuple)):
        query_params[spec.key] = [_query_text(v) for v in value]
    else:
        query_params[spec.key] = _query_text(value)


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _snapshot_element(widget: Any, spec: WidgetSpec, headless: bool) -> Element:
    """The slot: the live view, plus a text fallback that is frozen once sent.

    Live sessions keep the fallback free of the value (it would go stale the moment the
    user moves the widget); headless runs are never rerun, so they store the value.
    """
    if headless:
        shown = spec.snapshot(widget)
        plain = f"{spec.label}: {shown}"
        html = (f'<div class="rk-widget"><label>{html_escape(spec.label)}</label>: '
                f"<b>{html_escape(shown)}</b></div>")
        data = {"text/plain": plain, "text/html": html}
    else:
        data = {"text/plain": f"{spec.kind.split(':')[0]} {spec.label!r}"}
    data[WIDGET_VIEW_MIME] = {"version_major": 2, "version_minor": 0,
                              "model_id": widget.model_id}
    return Element(kind=spec.kind.split(":")[0], data=data, value=widget,
                   identity=("widget", widget.model_id), label=spec.label, key=spec.key,
                   spec=spec)


def _mark(widget: Any, kind: str) -> None:
    """Classes the extension's stylesheet draws our widgets by (labels above, one width,
    a switch for `toggle`), leaving a notebook's own ipywidgets as they are. Added once: a
    widget found again already has them, and nothing is sent."""
    for name in ("rk-widget", f"rk-{kind.replace('_', '-')}"):
        if name not in widget._dom_classes:
            widget.add_class(name)


def draw_widget(spec: WidgetSpec, callback: tuple | None = None) -> Any:
    """The live widget for `spec` (last run's, reused, or a new one) drawn in its slot; its
    value as the script reads it. Outside a run, the default (False for a button)."""
    __tracebackhide__ = True  # IPython shows the user's call, not our frames
    ctx = runtime.active()
    if ctx is None:
        return spec.default if not spec.clickable else False
    ctx.checkpoint()
    if ctx.in_cached_call:
        raise CachedWidgetError(
            f"rk.{spec.kind.split(':')[0]}({spec.label!r}) was called inside a cached "
            "function. Widgets can't be cached: create the widget outside the function "
            "and pass its value in as an argument."
        )
    registry = ctx.session.widgets
    widget = registry.bind(ctx, spec)
    _mark(widget, spec.kind.split(":")[0])
    registry.set_callback(widget.model_id, callback)
    ctx.draw(_snapshot_element(widget, spec, ctx.headless))
    return registry.read(widget, ctx)
