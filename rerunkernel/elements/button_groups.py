"""Rows of buttons that choose: `pills`, `segmented_control` and `feedback`.

One choice is Jupyter's toggle-button row, which can also have nothing chosen (Streamlit's
default for these). Several choices (`selection_mode="multi"`) are a multiple-selection list,
the only Jupyter control that holds a set of positions in one value.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ..core.widgets import INVALID, WidgetSpec
from .widget_call import LABEL_STYLE, WidgetCall

MODES = ("single", "multi")


def _choose(name: str, label: str, options: Iterable[Any], selection_mode: str, default: Any,
            format_func: Callable[[Any], Any] | None, key: Any, help: str | None,
            on_change: Any, args: Any, kwargs: Any, disabled: bool, label_visibility: str,
            width: Any, bind: str | None = None, persist: str | None = None) -> Any:
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall(name, label).checked()
    if selection_mode not in MODES:
        raise call.fail(f"selection_mode must be 'single' or 'multi', got {selection_mode!r}")
    choices = call.options(options)
    format_func = format_func or str
    if not callable(format_func):
        raise call.fail("format_func must be callable")
    labels = [str(format_func(option)) for option in choices]
    multi = selection_mode == "multi"

    def position(option: Any) -> int:
        return call.position(choices, labels, option)

    def encode(picked: Any) -> Any:
        if not multi:
            return None if picked is None else position(picked)
        if picked is None:
            return ()
        if isinstance(picked, (str, bytes)) or not isinstance(picked, Iterable):
            picked = [picked]
        return tuple(sorted({position(option) for option in picked}))

    initial = encode(default)
    common = call.layout(label_visibility, help, disabled)
    params: dict[str, Any] = dict(options=tuple((text, i) for i, text in enumerate(labels)),
                                  **common)
    suffix, layout = call.width(width, "content")

    def fix(current: Any) -> Any:
        if multi:
            return tuple(p for p in current if p < len(choices))
        return current if current is None or current < len(choices) else INVALID

    def read(widget: Any, ctx: Any) -> Any:
        if multi:
            return [choices[p] for p in sorted(widget.value) if p < len(choices)]
        p = widget.value
        return None if p is None or p >= len(choices) else choices[p]

    def snapshot(widget: Any) -> str:
        if multi:
            return ", ".join(labels[p] for p in sorted(widget.value)) or "(none)"
        return labels[widget.value] if widget.value is not None else "(none)"

    if multi:
        params["rows"] = max(1, min(len(choices), 6))
        make = lambda: ipywidgets.SelectMultiple(value=initial, style=LABEL_STYLE,  # noqa: E731
                                                 **params, **layout)
    else:
        make = lambda: ipywidgets.ToggleButtons(value=initial, style=LABEL_STYLE,  # noqa: E731
                                                **params, **layout)
    spec = WidgetSpec(
        kind=f"{name}{':multi' if multi else ''}{suffix}", label=label,
        key=call.key(key), make=make, params=params, default=initial,
        read=read, fix=fix, snapshot=snapshot, order=("options",), encode=encode,
        parse=(lambda text: [p.strip() for p in text.split(",") if p.strip()]) if multi
        else (lambda text: text),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist)


def _refuse_newer(name: str, label: str, required: bool, wrap: bool | None) -> None:
    call = WidgetCall(name, label)
    call.refuse_required(required)
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "a label is one line here; leave it out")


def pills(label: str, options: Iterable[Any], *, selection_mode: str = "single",
          default: Any = None, format_func: Callable[[Any], Any] | None = None,
          key: str | int | None = None, help: str | None = None,
          on_change: Callable | None = None, args: Sequence | None = None,
          kwargs: dict | None = None, disabled: bool = False,
          label_visibility: str = "visible", width: Any = "content",
          bind: str | None = None, persist_state: str | None = None,
          required: bool = False, wrap: bool | None = None) -> Any:
    """A row of pills: the chosen option, None, or a list with `selection_mode="multi"`."""
    __tracebackhide__ = True
    _refuse_newer("pills", label, required, wrap)
    return _choose("pills", label, options, selection_mode, default, format_func, key, help,
                   on_change, args, kwargs, disabled, label_visibility, width, bind,
                   persist_state)


def segmented_control(label: str, options: Iterable[Any], *, selection_mode: str = "single",
                      default: Any = None, format_func: Callable[[Any], Any] | None = None,
                      key: str | int | None = None, help: str | None = None,
                      on_change: Callable | None = None, args: Sequence | None = None,
                      kwargs: dict | None = None, disabled: bool = False,
                      label_visibility: str = "visible", width: Any = "content",
                      bind: str | None = None, persist_state: str | None = None,
                      required: bool = False, wrap: bool | None = None) -> Any:
    """Joined buttons: the chosen option, None, or a list with `selection_mode="multi"`."""
    __tracebackhide__ = True
    _refuse_newer("segmented_control", label, required, wrap)
    return _choose("segmented_control", label, options, selection_mode, default, format_func,
                   key, help, on_change, args, kwargs, disabled, label_visibility, width, bind,
                   persist_state)


FEEDBACK = {
    "thumbs": ("👎", "👍"),
    "faces": ("😞", "🙁", "😐", "🙂", "😀"),
    "stars": ("⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"),
}


def feedback(options: str = "thumbs", *, key: str | int | None = None,
             default: int | None = None, disabled: bool = False,
             on_change: Callable | None = None, args: Sequence | None = None,
             kwargs: dict | None = None, width: Any = "content",
             bind: str | None = None, persist_state: str | None = None) -> int | None:
    """Thumbs (0 down, 1 up), faces or stars (0 to 4); None until the user picks."""
    __tracebackhide__ = True
    if options not in FEEDBACK:
        raise ValueError(f"rk.feedback(options={options!r}): must be 'thumbs', 'faces' or "
                         "'stars'")
    icons = FEEDBACK[options]
    return _choose("feedback", "", range(len(icons)), "single", default,
                   lambda i: icons[i], key, None, on_change, args, kwargs, disabled,
                   "collapsed", width, bind, persist_state)
