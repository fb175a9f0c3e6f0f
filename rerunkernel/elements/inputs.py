"""Widgets as variables: `x = rk.slider('x')` draws a slider and returns its current value.

Names, parameters and defaults are Streamlit's. Each function validates its arguments first
(a clear ValueError naming the widget and the argument), then builds a `WidgetSpec` the
registry can compare with last run's, so the live ipywidget is reused and its value kept.

The checks every widget shares, and drawing a spec, are in widget_call.py. This module holds
the widgets whose value is a plain number, text or flag; choices are in choice.py, dates and
times in temporal.py, uploads and downloads in files.py.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from typing import Any, Callable, Iterable, Sequence

from ..core import runtime
from ..core.durations import parse_duration
from ..core.widgets import INVALID, WidgetSpec
from .icons import icon_text, with_icon
from .params import refuse
from .widget_call import LABEL_STYLE, WidgetCall, type_name

# --- slider ------------------------------------------------------------------------------


def _number_kind(call: WidgetCall, values: dict[str, Any]) -> str:
    kinds = set()
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise call.fail(f"{name} must be an int or a float, "
                            f"got {type(value).__name__} ({value!r})")
        if not math.isfinite(value):
            raise call.fail(f"{name} must be a finite number, got {value!r}")
        kinds.add("int" if isinstance(value, numbers.Integral) else "float")
    if len(kinds) > 1:
        raise call.fail("all numeric arguments must be of the same type (int or float); "
                        "got " + ", ".join(f"{k}={v!r}" for k, v in values.items()
                                           if v is not None))
    return kinds.pop() if kinds else "int"


@functools.cache
def finite(cls: type) -> type:
    """`cls` refusing NaN and infinities as its value, whoever sets it.

    ipywidgets clamps a float widget's value to its bounds with comparisons, which NaN
    always fails, so a front-end could put NaN into a slider; a refused value raises
    TraitError, which ipykernel logs, and the widget keeps the value it had.
    """
    from traitlets import TraitError, validate

    def check(self: Any, proposal: Any) -> Any:
        value = proposal["value"]
        ends = value if isinstance(value, (tuple, list)) else (value,)
        if not all(isinstance(end, numbers.Real) and math.isfinite(end) for end in ends):
            raise TraitError(f"{type(self).__name__} {self.description!r}: {value!r} is not "
                             "a finite number")
        inherited = getattr(cls, "_validate_value", None)
        return inherited(self, proposal) if inherited is not None else value

    return type(cls.__name__, (cls,), {"_validate_value": validate("value")(check),
                                       "__module__": __name__})


def _printf_to_d3(fmt: str | None, kind: str) -> str:
    if not fmt:
        return "d" if kind == "int" else ".2f"
    fmt = fmt.strip()
    if fmt.startswith("%") and len(fmt) >= 2:
        return fmt[1:].replace("i", "d")
    return fmt


def slider(
    label: str,
    min_value: Any = None,
    max_value: Any = None,
    value: Any = None,
    step: Any = None,
    format: str | None = None,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    label_visibility: str = "visible",
    bind: str | None = None,
    persist_state: str | None = None,
    width: Any = "stretch",
) -> Any:
    """An int or float slider, or a range slider when `value` is a pair; returns its value."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("slider", label).checked()
    from .temporal import is_temporal, temporal_slider

    if is_temporal(min_value, max_value, value):
        return temporal_slider(call, min_value, max_value, value, step, format, key, help,
                               on_change, args, kwargs, disabled=disabled,
                               label_visibility=label_visibility)
    is_range = isinstance(value, (tuple, list))
    if is_range and len(value) != 2:
        raise call.fail(f"a range value must have two items, got {value!r}")
    values = {"min_value": min_value, "max_value": max_value, "step": step}
    if is_range:
        values.update(value_low=value[0], value_high=value[1])
    else:
        values["value"] = value
    kind = _number_kind(call, values)
    if kind == "int":
        lo, hi, st = 0, 100, 1
    else:
        lo, hi, st = 0.0, 1.0, 0.01
    lo = lo if min_value is None else min_value
    hi = hi if max_value is None else max_value
    if min_value is None and max_value is not None and max_value < lo:
        lo = max_value
    if max_value is None and min_value is not None and min_value > hi:
        hi = min_value + (100 if kind == "int" else 1.0)
    st = st if step is None else step
    if lo > hi:
        raise call.fail(f"min_value ({lo!r}) must be less than or equal to "
                        f"max_value ({hi!r})")
    if st <= 0:
        raise call.fail(f"step must be positive, got {st!r}")
    if is_range:
        default: Any = (value[0], value[1])
        if default[0] > default[1]:
            raise call.fail(f"value {value!r}: the low end is above the high end")
        ends = default
    else:
        default = lo if value is None else value
        ends = (default,)
    for end in ends:
        if not lo <= end <= hi:
            raise call.fail(f"value {end!r} is outside [min_value, max_value] = "
                            f"[{lo!r}, {hi!r}]")
    common = call.layout(label_visibility, help, disabled)
    params = dict(min=lo, max=hi, step=st, readout_format=_printf_to_d3(format, kind), **common)
    suffix, layout = call.width(width, "stretch")
    cls = {
        ("int", False): ipywidgets.IntSlider, ("float", False): finite(ipywidgets.FloatSlider),
        ("int", True): ipywidgets.IntRangeSlider,
        ("float", True): finite(ipywidgets.FloatRangeSlider),
    }[(kind, is_range)]

    def make() -> Any:
        return cls(value=default, continuous_update=True, style=LABEL_STYLE,
                   **params, **layout)

    def fix(current: Any) -> Any:
        if is_range:
            low, high = current
            return (min(max(low, lo), hi), min(max(high, lo), hi))
        return min(max(current, lo), hi)

    def read(widget: Any, ctx: Any) -> Any:
        return tuple(widget.value) if is_range else widget.value

    def encode(new: Any) -> Any:
        ends = tuple(new) if is_range and isinstance(new, (tuple, list)) else (new,)
        if len(ends) != (2 if is_range else 1):
            raise call.fail(f"set a {'pair' if is_range else 'number'}, "
                            f"got {new!r}")
        for end in ends:
            if isinstance(end, bool) or not isinstance(end, numbers.Real) or not lo <= end <= hi:
                raise call.fail(f"{new!r} is not a value in [{lo!r}, {hi!r}]")
        return ends if is_range else new

    spec = WidgetSpec(
        kind=f"slider:{kind}{':range' if is_range else ''}" + suffix, label=label,
        key=call.key(key), make=make, params=params, default=default,
        read=read, fix=fix, snapshot=lambda w: str(read(w, None)), encode=encode,
        parse=_parse_pair(kind) if is_range else _parse_number(kind),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


# --- button ------------------------------------------------------------------------------


def button(
    label: str,
    key: str | int | None = None,
    help: str | None = None,
    on_click: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    type: str = "secondary",
    icon: str | None = None,
    icon_position: str = "left",
    disabled: bool = False,
    use_container_width: bool | None = None,
    width: Any = "content",
    shortcut: str | None = None,
    wrap: bool | None = None,
) -> bool:
    """A button; True only in the run that its click started."""
    __tracebackhide__ = True
    call = WidgetCall("button", label)
    ctx = runtime.active()
    if ctx is not None and ctx.writer is not None and ctx.writer.form is not None:
        raise call.fail("buttons can't be used inside a form: use "
                        "rk.form_submit_button() there")
    spec = button_spec(call.checked(), key, help, type, icon, disabled, use_container_width,
                       width=width, icon_position=icon_position, shortcut=shortcut, wrap=wrap)
    return call.use(spec, on_click, args, kwargs)


def button_spec(call: WidgetCall, key: Any, help: str | None, type: str, icon: str | None,
                disabled: bool, use_container_width: bool | None, *, width: Any = "content",
                icon_position: str = "left", shortcut: str | None = None,
                wrap: bool | None = None) -> WidgetSpec:
    """The spec of a clickable button (`rk.button`, `rk.form_submit_button`)."""
    __tracebackhide__ = True
    import ipywidgets

    if type not in ("primary", "secondary", "tertiary"):
        raise call.fail(f"type must be 'primary', 'secondary' or 'tertiary', got {type!r}")
    if icon_position not in ("left", "right"):
        raise call.fail(f"icon_position must be 'left' or 'right', got {icon_position!r}")
    if shortcut is not None:
        # JupyterLab owns the keyboard: letters are notebook commands in command mode and
        # the modifier combinations are its menus' (Ctrl+S saves), so a button can't claim one
        raise call.unsupported("shortcut", shortcut, "keyboard shortcuts belong to the "
                               "notebook (JupyterLab's commands take the keys); leave it out")
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "a button's label is one line; leave it out")
    # Streamlit's icons are emoji or symbols drawn beside the label, which text can carry
    description = with_icon(call.name, icon, call.label)
    if icon and icon_position == "right":
        description = f"{call.label} {icon_text(call.name, icon)}"
    params: dict[str, Any] = dict(description=description, disabled=bool(disabled),
                                  button_style="primary" if type == "primary" else "")
    if help:
        params["tooltip"] = str(help)
    if use_container_width is not None:
        width = "stretch" if use_container_width else "content"
    suffix, layout = call.width(width, "content")

    def read(widget: Any, ctx: Any) -> bool:
        return widget.model_id in ctx.trigger.clicked

    return WidgetSpec(
        kind=call.name + suffix, label=call.label, key=call.key(key),
        make=lambda: ipywidgets.Button(**params, **layout), params=params, default=None,
        read=read, snapshot=lambda w: "button", clickable=True, value_trait="",
    )


# --- selectbox ---------------------------------------------------------------------------


def selectbox(
    label: str,
    options: Iterable[Any],
    index: int | None = 0,
    format_func: Callable[[Any], Any] = str,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    placeholder: str = "Choose an option",
    disabled: bool = False,
    label_visibility: str = "visible",
    accept_new_options: bool = False,
    bind: str | None = None,
    persist_state: str | None = None,
    required: bool = False,
    icon: str | None = None,
    filter_mode: str | None = "fuzzy",
    width: Any = "stretch",
) -> Any:
    """A drop-down; returns the chosen option object itself (None when nothing is chosen).

    With `accept_new_options` it is a combo box: the user picks an option or types a new
    one (committed on Enter or when focus leaves), which comes back as the text typed.
    """
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("selectbox", label).checked()
    call.placeholder(placeholder)  # a drop-down has no placeholder; a combo box shows it
    choices = call.options(options)
    if not callable(format_func):
        raise call.fail("format_func must be callable")
    call.index(index, choices)
    labels = [str(format_func(o)) for o in choices]
    default = index if choices and index is not None else None
    call.refuse_required(required)
    if filter_mode not in ("fuzzy", None):
        raise call.unsupported("filter_mode", filter_mode,
                               "the drop-down lists every option unfiltered")
    common = call.with_icon(call.layout(label_visibility, help, disabled), icon)
    suffix, layout = call.width(width, "stretch")
    if accept_new_options:
        return _combobox(call, key, choices, labels, default, placeholder, common,
                         call.callback(on_change, args, kwargs), bind, persist_state)
    params = dict(options=tuple((text, i) for i, text in enumerate(labels)), **common)

    def make() -> Any:
        return ipywidgets.Dropdown(value=default, style=LABEL_STYLE,
                                   **params, **layout)

    def fix(current: Any) -> Any:
        return current if current is None or current < len(choices) else INVALID

    def read(widget: Any, ctx: Any) -> Any:
        position = widget.value
        return None if position is None or position >= len(choices) else choices[position]

    def encode(option: Any) -> Any:
        if option is None:
            return None
        return call.position(choices, labels, option)

    spec = WidgetSpec(
        kind="selectbox" + suffix, label=label, key=call.key(key), make=make,
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: labels[w.value] if w.value is not None else "(none)",
        order=("options",), encode=encode,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


def _combobox(call: WidgetCall, key: Any, choices: list[Any], labels: list[str],
              default: int | None, placeholder: str, common: dict[str, Any],
              callback: tuple | None, bind: str | None, persist: str | None) -> Any:
    """`selectbox(accept_new_options=True)`: ipywidgets' combo box, whose value is the text
    in it; an option's label reads as the option, other text as itself, nothing as None."""
    __tracebackhide__ = True
    import ipywidgets

    initial = labels[default] if default is not None else ""
    params = dict(options=tuple(labels), ensure_option=False, continuous_update=False,
                  placeholder=placeholder, **common)

    def read(widget: Any, ctx: Any) -> Any:
        text = str(widget.value)
        if text in labels:
            return choices[labels.index(text)]
        return text or None

    def encode(option: Any) -> str:
        if option is None:
            return ""
        for choice, text in zip(choices, labels, strict=True):
            if choice is option or choice == option:
                return text
        if isinstance(option, str):
            return option
        raise call.fail(f"set one of the options or a new option's text, got "
                        f"{type_name(option)}")

    spec = WidgetSpec(
        kind="selectbox:new", label=call.label, key=call.key(key),
        make=lambda: ipywidgets.Combobox(value=initial, style=LABEL_STYLE, **params),
        params=params, default=initial, read=read,
        snapshot=lambda w: str(w.value) or "(none)", order=("options",), encode=encode,
    )
    return call.draw(spec, callback, bind, persist)


# --- checkbox, text_input, number_input --------------------------------------------------


def checkbox(
    label: str,
    value: bool = False,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    label_visibility: str = "visible",
    width: Any = "content",
    bind: str | None = None,
    persist_state: str | None = None,
    wrap: bool | None = None,
) -> bool:
    """A checkbox; returns True when ticked."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("checkbox", label).checked()
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "a label is one line here; leave it out")
    if not isinstance(value, bool):
        raise call.fail(f"value must be True or False, got {value!r}")
    common = call.layout(label_visibility, help, disabled)
    params = dict(indent=False, **common)
    suffix, layout = call.width(width, "content")
    spec = WidgetSpec(
        kind="checkbox" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.Checkbox(value=value, **params, **layout), params=params,
        default=value,
        read=lambda w, ctx: bool(w.value), snapshot=lambda w: str(bool(w.value)),
        encode=lambda new: call.expect(new, bool), parse=_parse_bool,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


def text_input(
    label: str,
    value: str | None = "",
    max_chars: int | None = None,
    key: str | int | None = None,
    type: str = "default",
    help: str | None = None,
    autocomplete: str | None = None,
    on_change: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    placeholder: str | None = None,
    disabled: bool = False,
    label_visibility: str = "visible",
    live: bool | str = False,
    validate: str | tuple[str, str] | None = None,
    bind: str | None = None,
    persist_state: str | None = None,
    required: bool = False,
    icon: str | None = None,
    width: Any = "stretch",
) -> str:
    """A one-line text box; the value is committed on Enter or when focus leaves, or, with
    `live`, as the user types (each change reruns once the run before it has ended, rather
    than after Streamlit's pause).

    `type` is Streamlit's: 'email', 'url', 'phone' and 'search' bring their placeholder and,
    for 'email' and 'url', a pattern the text must match, as `validate=` (a pattern, or a
    pattern and a message) does. Streamlit checks it in the browser and doesn't commit a
    value that fails; here the check is in the kernel: a failing value is not committed (the
    script keeps reading the last one that passed) and its message is the box's tooltip.
    """
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("text_input", label).checked()
    if isinstance(live, str):
        try:
            pause = parse_duration(live)
        except ValueError:
            pause = -1.0
        if not 0 <= pause <= 60:
            raise call.fail(f"live must be True, False or a pause like '250ms' (at most a "
                            f"minute), got {live!r}")
    elif not isinstance(live, bool):
        raise call.fail(f"live must be True, False or a pause like '250ms', got {live!r}")
    refuse("text_input", autocomplete=(autocomplete, None))
    value = "" if value is None else str(value)  # as Streamlit: text_input(value=1234)
    if type not in TEXT_TYPES:
        raise call.fail(f"type must be one of {', '.join(map(repr, TEXT_TYPES))}, "
                        f"got {type!r}")
    type_placeholder, type_check = TEXT_TYPES[type]
    check = _text_check(call, type_check if validate is None else validate)
    call.max_chars(value, max_chars)
    common = call.with_icon(call.layout(label_visibility, help, disabled), icon)
    shown = type_placeholder if placeholder is None else placeholder
    params = dict(placeholder=shown, continuous_update=live is not False, **common)
    suffix, layout = call.width(width, "stretch")
    cls = ipywidgets.Password if type == "password" else ipywidgets.Text

    def read(widget: Any, ctx: Any) -> str:
        text = str(widget.value)
        text = text[:max_chars] if max_chars else text
        if check is None and not required:
            return text
        last = getattr(widget, "_rk_committed", value)
        if required and not text.strip():
            return last  # as Streamlit: an emptied required box keeps the value it had
        passed = check is None or not text or check[0].search(text) is not None  # unanchored
        _show_check(widget, None if passed else check[1], help)
        if passed:
            widget._rk_committed = text
            return text
        return last

    spec = WidgetSpec(
        kind=f"text_input:{type}" + suffix, label=label, key=call.key(key),
        make=lambda: cls(value=value, style=LABEL_STYLE, **params, **layout),
        params=params, default=value, read=read,
        snapshot=lambda w: "•" * len(w.value) if type == "password" else str(w.value),
        encode=lambda new: call.expect(new, str),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


# Streamlit's text input types: each one's placeholder and the (pattern, message) its text
# must match (none for the rest); the patterns are Streamlit's, deliberately permissive
TEXT_TYPES: dict[str, tuple[str, tuple[str, str] | None]] = {
    "default": ("", None),
    "password": ("", None),
    "email": ("you@example.com", (r"^[^\s@]+@[^\s@]+\.[^\s@]+$",
                                  "Enter a valid email address.")),
    "url": ("https://example.com", (r"^([Hh][Tt][Tt][Pp][Ss]?://)?[^\s/.]+\.[^\s]+$",
                                    "Enter a valid URL.")),
    "phone": ("+1 234 567 8900", None),
    "search": ("Search", None),
}


def _text_check(call: WidgetCall, validate: Any) -> tuple[re.Pattern, str] | None:
    """`validate=`: a pattern, or a (pattern, message) pair; '' turns a type's check off."""
    if validate is None or validate == "":
        return None
    if isinstance(validate, str):
        pattern, message = validate, "The value doesn't match the expected format."
    elif (isinstance(validate, tuple) and len(validate) == 2
          and all(isinstance(part, str) for part in validate)):
        pattern, message = validate
    else:
        raise call.fail(f"validate must be a pattern or a (pattern, message) pair, got "
                        f"{type_name(validate)}")
    try:
        return re.compile(pattern), message
    except re.error as error:
        raise call.fail(f"validate pattern {pattern!r} is not a regular expression: "
                        f"{error}") from None


def _show_check(widget: Any, message: str | None, help: str | None) -> None:
    """While its text fails the check the box has the class `rk-invalid` and the message as
    its tooltip (before `help`, if any); set as ours, so not mistaken for user input."""
    from ..core.widgets import applying

    failing = message is not None
    if failing == ("rk-invalid" in widget._dom_classes):
        return
    with applying():
        if failing:
            widget.add_class("rk-invalid")
            widget.tooltip = f"{message} {help}" if help else message
        else:
            widget.remove_class("rk-invalid")
            widget.tooltip = str(help) if help else None


def _parse_number(kind: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            number = int(text) if kind == "int" else float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not {'an int' if kind == 'int' else 'a number'}") \
                from None
        if not math.isfinite(number):
            raise ValueError(f"{text!r} is not a finite number")
        return number
    return parse


def _parse_pair(kind: str) -> Callable[[str], Any]:
    one = _parse_number(kind)

    def parse(text: str) -> Any:
        parts = [p for p in text.replace("..", ",").split(",") if p.strip()]
        if len(parts) != 2:
            raise ValueError(f"{text!r} is not a range like 2,5")
        return (one(parts[0].strip()), one(parts[1].strip()))
    return parse


_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}


def _parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true or false")


def number_input(
    label: str,
    min_value: Any = None,
    max_value: Any = None,
    value: Any = "min",
    step: Any = None,
    format: str | None = None,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    placeholder: str | None = None,
    disabled: bool = False,
    label_visibility: str = "visible",
    bind: str | None = None,
    persist_state: str | None = None,
    required: bool = False,
    icon: str | None = None,
    width: Any = "stretch",
) -> Any:
    """A number box with optional bounds; int when the arguments are ints, else float."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("number_input", label).checked()
    call.placeholder(placeholder)  # the box always holds a number
    refuse("number_input", format=(format, None))
    given_value = None if value == "min" or value is None else value
    values = {"min_value": min_value, "max_value": max_value, "value": given_value, "step": step}
    if all(v is None for v in values.values()):
        kind = "float"
    else:
        kind = _number_kind(call, values)
    if min_value is not None and max_value is not None and min_value > max_value:
        raise call.fail(f"min_value ({min_value!r}) must be less than or "
                        f"equal to max_value ({max_value!r})")
    zero = 0 if kind == "int" else 0.0
    default = given_value if given_value is not None else (
        min_value if min_value is not None else zero)
    if min_value is not None and default < min_value or (
            max_value is not None and default > max_value):
        raise call.fail(f"value {default!r} is outside [min_value, "
                        f"max_value] = [{min_value!r}, {max_value!r}]")
    st = step if step is not None else (1 if kind == "int" else 0.01)
    if st <= 0:
        raise call.fail(f"step must be positive, got {st!r}")
    call.refuse_required(required)
    common = call.with_icon(call.layout(label_visibility, help, disabled), icon)
    params: dict[str, Any] = dict(step=st, continuous_update=False, **common)
    suffix, layout = call.width(width, "stretch")
    bounded = min_value is not None or max_value is not None
    if bounded:
        big = 2**53
        params["min"] = min_value if min_value is not None else -big
        params["max"] = max_value if max_value is not None else big
        cls = ipywidgets.BoundedIntText if kind == "int" else finite(ipywidgets.BoundedFloatText)
    else:
        cls = ipywidgets.IntText if kind == "int" else finite(ipywidgets.FloatText)

    def encode(new: Any) -> Any:
        if isinstance(new, bool) or not isinstance(new, numbers.Real):
            raise call.fail(f"set a number, got {type_name(new)}")
        if not math.isfinite(new):
            raise call.fail(f"set a finite number, got {new!r}")
        if fix(new) != new:
            raise call.fail(f"{new!r} is outside [min_value, max_value] = "
                            f"[{min_value!r}, {max_value!r}]")
        return int(new) if kind == "int" else float(new)

    def fix(current: Any) -> Any:
        if min_value is not None and current < min_value:
            return min_value
        if max_value is not None and current > max_value:
            return max_value
        return current

    spec = WidgetSpec(
        kind=f"number_input:{kind}{':bounded' if bounded else ''}" + suffix, label=label,
        key=call.key(key),
        make=lambda: cls(value=default, style=LABEL_STYLE, **params, **layout),
        params=params, default=default, read=lambda w, ctx: w.value, fix=fix,
        snapshot=lambda w: str(w.value), encode=encode, parse=_parse_number(kind),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


# --- text_area, toggle, color_picker -----------------------------------------------------

TEXT_AREA_ROW_PIXELS = 21


def _rows(call: WidgetCall, height: Any) -> int | None:
    """Streamlit's height in pixels as text rows, the unit a Jupyter text area takes."""
    if height in (None, "content"):
        return None
    if height == "stretch":
        raise call.unsupported("height", height, "give a number of pixels")
    if isinstance(height, bool) or not isinstance(height, int) or height < 68:
        raise call.fail(f"height must be at least 68 pixels, got {height!r}")
    return max(2, round((height - 14) / TEXT_AREA_ROW_PIXELS))


def text_area(
    label: str,
    value: str | None = "",
    height: int | str | None = None,
    max_chars: int | None = None,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    placeholder: str | None = None,
    disabled: bool = False,
    required: bool = False,
    label_visibility: str = "visible",
    width: Any = "stretch",
    bind: str | None = None,
    persist_state: str | None = None,
) -> str:
    """A multi-line text box; the value is committed when focus leaves it."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("text_area", label).checked()
    call.refuse_required(required)
    value = "" if value is None else str(value)
    call.max_chars(value, max_chars)
    common = call.layout(label_visibility, help, disabled)
    params: dict[str, Any] = dict(placeholder=placeholder or "", continuous_update=False,
                                  rows=_rows(call, height), **common)
    suffix, layout = call.width(width, "content")

    def read(widget: Any, ctx: Any) -> str:
        text = str(widget.value)
        return text[:max_chars] if max_chars else text

    spec = WidgetSpec(
        kind="text_area" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.Textarea(value=value, style=LABEL_STYLE,
                                         **params, **layout),
        params=params, default=value, read=read, snapshot=lambda w: str(w.value),
        encode=lambda new: call.expect(new, str),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


def toggle(
    label: str,
    value: bool = False,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    label_visibility: str = "visible",
    width: Any = "content",
    wrap: bool | None = None,
    bind: str | None = None,
    persist_state: str | None = None,
) -> bool:
    """An on/off switch (a button that stays pressed while on); returns True when on."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("toggle", label).checked()
    if not isinstance(value, bool):
        raise call.fail(f"value must be True or False, got {value!r}")
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "leave it out")
    common = call.layout(label_visibility, help, disabled)
    params = dict(**common)
    suffix, layout = call.width(width, "content")
    spec = WidgetSpec(
        kind="toggle" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.ToggleButton(value=value, **params, **layout), params=params,
        default=value, read=lambda w, ctx: bool(w.value), snapshot=lambda w: "on" if w.value
        else "off",
        encode=lambda new: call.expect(new, bool), parse=_parse_bool,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _hex_colour(call: WidgetCall, value: Any) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise call.fail(f"a colour must be a hex string like '#ff0000', got {value!r}")
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower()


def color_picker(
    label: str,
    value: str | None = None,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    label_visibility: str = "visible",
    width: Any = "content",
    bind: str | None = None,
    persist_state: str | None = None,
) -> str:
    """A colour chooser; returns the colour as '#rrggbb'."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("color_picker", label).checked()
    default = _hex_colour(call, "#000000" if value is None else value)
    common = call.layout(label_visibility, help, disabled)
    params = dict(concise=False, **common)
    suffix, layout = call.width(width, "content")

    def read(widget: Any, ctx: Any) -> str:
        shown = str(widget.value)
        return _hex_colour(call, shown) if _HEX.match(shown) else shown

    spec = WidgetSpec(
        kind="color_picker" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.ColorPicker(value=default, style=LABEL_STYLE,
                                            **params, **layout),
        params=params, default=default, read=read, snapshot=lambda w: str(w.value),
        encode=lambda new: _hex_colour(call, new),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)
