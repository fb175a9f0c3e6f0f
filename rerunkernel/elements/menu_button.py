"""`menu_button`: a button that opens a menu of options; picking one reruns the script, and
the option comes back in that run only (None otherwise), as `button`'s True does.

It is Jupyter's drop-down whose first entry is the button's label: picking an option is the
click, and the kernel puts the label back once the run has read the option, so the next pick
(even of the same option) is a change again.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ..core.widgets import WidgetSpec, applying
from .icons import icon_text, with_icon
from .widget_call import WidgetCall, draw_widget

TYPES = ("primary", "secondary", "tertiary")


def menu_button(label: str, options: Iterable[Any], *, key: str | int | None = None,
                help: str | None = None, on_click: Callable | None = None,
                args: Sequence | None = None, kwargs: dict | None = None,
                type: str = "secondary", icon: str | None = None, disabled: bool = False,
                width: Any = "content", format_func: Callable[[Any], Any] = str,
                wrap: bool | None = None) -> Any:
    """A menu of options behind a button; returns the option picked in the run the pick
    started, else None."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("menu_button", label).checked()
    if type not in TYPES:
        raise call.fail(f"type must be 'primary', 'secondary' or 'tertiary', got {type!r}")
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "the button's label is one line; leave it out")
    choices = call.options(options)
    if not callable(format_func):
        raise call.fail("format_func must be callable")
    labels = [str(format_func(option)) for option in choices]
    icon_text("menu_button", icon)  # checked as Streamlit checks it
    title = f"{with_icon('menu_button', icon, label)} ▾"
    params: dict[str, Any] = dict(
        options=((title, None),) + tuple((text, i) for i, text in enumerate(labels)),
        disabled=bool(disabled))
    if help:
        params["tooltip"] = str(help)
    suffix, layout = call.width(width, "content")

    def read(widget: Any, ctx: Any) -> Any:
        if ctx is None or widget.model_id not in ctx.trigger.changed:
            return None
        picked = ctx.extras.setdefault("menu_button", {})
        if widget.model_id not in picked:
            position = widget.value
            picked[widget.model_id] = None if position is None else choices[position]
            with applying():
                widget.value = None
        return picked[widget.model_id]

    spec = WidgetSpec(
        kind=f"menu_button:{type}" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.Dropdown(value=None, **params, **layout), params=params,
        default=None, read=read, snapshot=lambda w: title, order=("options",),
    )
    return draw_widget(spec, call.callback(on_click, args, kwargs))
