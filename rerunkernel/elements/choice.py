"""Widgets that choose among options: `radio`, `multiselect`, `select_slider`.

As with `selectbox`, the widget holds positions (or labels) and the script gets the option
objects themselves back, so options need not be strings and equal labels stay apart.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ..core.widgets import INVALID, WidgetSpec
from .new_options import new_options_select
from .widget_call import LABEL_STYLE, WidgetCall


def _labels(call: WidgetCall, choices: list[Any], format_func: Any) -> list[str]:
    if not callable(format_func):
        raise call.fail("format_func must be callable")
    return [str(format_func(option)) for option in choices]


def radio(
    label: str,
    options: Iterable[Any],
    index: int | None = 0,
    format_func: Callable[[Any], Any] = str,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    horizontal: bool = False,
    captions: Sequence[str] | None = None,
    label_visibility: str = "visible",
    width: Any = "content",
    bind: str | None = None,
    persist_state: str | None = None,
) -> Any:
    """Radio buttons (a row of toggle buttons when `horizontal`); returns the chosen option."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("radio", label).checked()
    choices = call.options(options)
    labels = _labels(call, choices, format_func)
    call.index(index, choices)
    shown = list(labels)
    if captions is not None:
        captions = [str(c) for c in captions]
        if len(captions) != len(choices):
            raise call.fail(f"{len(captions)} captions for {len(choices)} options")
        shown = [f"{text} — {caption}" if caption else text
                 for text, caption in zip(labels, captions, strict=True)]
    default = index if choices and index is not None else None
    common = call.layout(label_visibility, help, disabled)
    params = dict(options=tuple((text, i) for i, text in enumerate(shown)), **common)
    cls = ipywidgets.ToggleButtons if horizontal else ipywidgets.RadioButtons
    suffix, layout = call.width(width, "content")

    def fix(current: Any) -> Any:
        return current if current is None or current < len(choices) else INVALID

    def read(widget: Any, ctx: Any) -> Any:
        position = widget.value
        return None if position is None or position >= len(choices) else choices[position]

    def encode(option: Any) -> Any:
        return None if option is None else call.position(choices, labels, option)

    spec = WidgetSpec(
        kind=f"radio{':horizontal' if horizontal else ''}{suffix}", label=label,
        key=call.key(key),
        make=lambda: cls(value=default, style=LABEL_STYLE, **params,
                         **layout),
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: labels[w.value] if w.value is not None else "(none)",
        order=("options",), encode=encode,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


def _check_select_all(call: WidgetCall, select_all: Any) -> None:
    # There is no "select all" control here; asking for none is what we draw anyway.
    if select_all not in (1000, False, 0):
        raise call.unsupported("select_all", select_all,
                               "there is no select-all control; leave it out")


MULTISELECT_ROWS = 6


def multiselect(
    label: str,
    options: Iterable[Any],
    default: Any = None,
    format_func: Callable[[Any], Any] = str,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    max_selections: int | None = None,
    placeholder: str | None = None,
    disabled: bool = False,
    label_visibility: str = "visible",
    accept_new_options: bool = False,
    filter_mode: str = "fuzzy",
    select_all: bool | int = 1000,
    width: Any = "stretch",
    wrap: bool | None = None,
    bind: str | None = None,
    persist_state: str | None = None,
) -> list[Any]:
    """A list of options to pick several from; returns the chosen option objects.

    It is Jupyter's multiple-selection list box (ctrl- or shift-click to pick several; its
    tags box can't show a label or be disabled), so choices come back in the options'
    order, and with `max_selections` the script gets the first ones, up to the limit. With
    `accept_new_options` a text box under the list adds what the user types, chosen
    (new_options.py); a new option comes back as its text.
    """
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("multiselect", label).checked()
    call.placeholder(placeholder)  # a list box has no empty state
    if filter_mode != "fuzzy":
        raise call.unsupported("filter_mode", filter_mode,
                               "the list box shows every option unfiltered")
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "leave it out")
    _check_select_all(call, select_all)
    choices = call.options(options)
    labels = _labels(call, choices, format_func)
    if max_selections is not None and (
        isinstance(max_selections, bool) or not isinstance(max_selections, int)
        or max_selections < 1
    ):
        raise call.fail(f"max_selections must be a positive int, got "
                        f"{max_selections!r}")

    def encode(picked: Any) -> tuple[int, ...]:
        if picked is None:
            return ()
        if isinstance(picked, (str, bytes)) or not isinstance(picked, Iterable):
            picked = [picked]
        positions = [call.position(choices, labels, option)
                     for option in picked]
        if max_selections is not None and len(positions) > max_selections:
            raise call.fail(f"{len(positions)} options chosen, more than "
                            f"max_selections={max_selections}")
        return tuple(sorted(set(positions)))

    rows = max(1, min(len(choices), MULTISELECT_ROWS))
    common = call.layout(label_visibility, help, disabled)
    suffix, layout = call.width(width, "content")
    if accept_new_options:
        return _multiselect_new(call, key, choices, labels, default, max_selections, rows,
                                common, suffix, layout, call.callback(on_change, args, kwargs),
                                bind, persist_state)
    initial = encode(default)
    params: dict[str, Any] = dict(
        options=tuple((text, i) for i, text in enumerate(labels)), rows=rows, **common)

    def fix(current: Any) -> Any:
        return tuple(position for position in current if position < len(choices))

    def read(widget: Any, ctx: Any) -> list[Any]:
        positions = sorted(p for p in widget.value if p < len(choices))[:max_selections]
        return [choices[position] for position in positions]

    spec = WidgetSpec(
        kind="multiselect" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.SelectMultiple(value=initial, style=LABEL_STYLE,
                                               **params, **layout),
        params=params, default=initial, read=read, fix=fix,
        snapshot=lambda w: ", ".join(labels[p] for p in sorted(w.value)) or "(none)",
        order=("options",), encode=encode,
        parse=lambda text: [part.strip() for part in text.split(",") if part.strip()],
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


def _multiselect_new(call: WidgetCall, key: Any, choices: list[Any], labels: list[str],
                     default: Any, max_selections: int | None, rows: int,
                     common: dict[str, Any], suffix: str, layout: dict[str, Any],
                     callback: tuple | None, bind: str | None,
                     persist: str | None) -> list[Any]:
    """`multiselect(accept_new_options=True)` (new_options.py): the widget holds labels and
    new texts; an option's label reads as the option, a new text as itself."""
    __tracebackhide__ = True

    def encode(picked: Any) -> tuple[str, ...]:
        if picked is None:
            return ()
        if isinstance(picked, (str, bytes)) or not isinstance(picked, Iterable):
            picked = [picked]
        texts: list[str] = []
        for option in picked:
            try:
                text = labels[call.position(choices, labels, option)]
            except ValueError:
                if not isinstance(option, str):
                    raise
                text = option
            if text not in texts:
                texts.append(text)
        if max_selections is not None and len(texts) > max_selections:
            raise call.fail(f"{len(texts)} options chosen, more than "
                            f"max_selections={max_selections}")
        return tuple(texts)

    def read(widget: Any, ctx: Any) -> list[Any]:
        return [choices[labels.index(text)] if text in labels else text
                for text in widget.value][:max_selections]

    initial = encode(default)
    params: dict[str, Any] = dict(options=tuple(labels), rows=rows, **common)
    spec = WidgetSpec(
        kind="multiselect:new" + suffix, label=call.label, key=call.key(key),
        make=lambda: new_options_select()(value=initial, **params, **layout),
        params=params, default=initial, read=read,
        snapshot=lambda w: ", ".join(w.value) or "(none)", order=("options",),
        encode=encode,
        parse=lambda text: [part.strip() for part in text.split(",") if part.strip()],
    )
    return call.draw(spec, callback, bind, persist)


def select_slider(
    label: str,
    options: Iterable[Any] = (),
    value: Any = None,
    format_func: Callable[[Any], Any] = str,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    label_visibility: str = "visible",
    width: Any = "stretch",
    bind: str | None = None,
    persist_state: str | None = None,
) -> Any:
    """A slider over options; a range slider when `value` is a pair (returns a tuple)."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("select_slider", label).checked()
    choices = call.options(options)
    if not choices:
        raise call.fail("options must not be empty")
    labels = _labels(call, choices, format_func)
    is_range = isinstance(value, (list, tuple))

    def position(option: Any) -> int:
        return call.position(choices, labels, option)

    if is_range:
        if len(value) != 2:
            raise call.fail(f"a range value must have two items, got "
                            f"{value!r}")
        default: Any = tuple(sorted((position(value[0]), position(value[1]))))
    else:
        default = 0 if value is None else position(value)
    common = call.layout(label_visibility, help, disabled)
    params = dict(options=tuple((text, i) for i, text in enumerate(labels)), **common)
    cls = ipywidgets.SelectionRangeSlider if is_range else ipywidgets.SelectionSlider
    suffix, layout = call.width(width, "content")

    def fix(current: Any) -> Any:
        ends = current if is_range else (current,)
        return current if all(end < len(choices) for end in ends) else INVALID

    def read(widget: Any, ctx: Any) -> Any:
        if is_range:
            low, high = widget.value
            return (choices[low], choices[high])
        return choices[widget.value]

    def encode(new: Any) -> Any:
        if not is_range:
            return position(new)
        if not isinstance(new, (list, tuple)) or len(new) != 2:
            raise call.fail(f"set a pair of options, got {new!r}")
        return tuple(sorted((position(new[0]), position(new[1]))))

    def snapshot(widget: Any) -> str:
        if is_range:
            return f"{labels[widget.value[0]]} – {labels[widget.value[1]]}"
        return labels[widget.value]

    spec = WidgetSpec(
        kind=f"select_slider{':range' if is_range else ''}{suffix}", label=label,
        key=call.key(key),
        make=lambda: cls(value=default, continuous_update=True,
                         style=LABEL_STYLE, **params, **layout),
        params=params, default=default, read=read, fix=fix, snapshot=snapshot,
        order=("options",), encode=encode,
        parse=(lambda text: [p.strip() for p in text.split(",")]) if is_range else
        (lambda text: text),
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)
