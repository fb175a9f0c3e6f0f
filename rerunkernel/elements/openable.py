"""Tabs, expanders and popovers that know whether they are open: Streamlit's `on_change`.

Newer Streamlit versions let `st.tabs`, `st.expander` and `st.popover` take `on_change`
("ignore", the default; "rerun"; or a callback) and `key`. With anything but "ignore" the
box tracks which tab or whether it is open: opening it reruns the app (after the callback),
each tab or box has `.open` so an app can draw only what is shown, and
`st.session_state[key]` holds the open tab's label (for an expander or popover, True or
False). Apps use this to load a tab's content lazily.

Here the box is a registry widget whose "value" is its selected index: the same widget
machinery as a slider, so a user opening it reruns the app, the callback runs first and
the session state is read and set by key. `.open` is None when the box is not tracked, as
in Streamlit, since nothing then says which tab the user looks at.
"""

from __future__ import annotations

from typing import Any, Sequence

from .widget_call import WidgetCall

ON_CHANGE_WORDS = ("ignore", "rerun")


def tracked(call: str, on_change: Any) -> bool:
    """Whether the box follows being opened; a bad `on_change` is an error naming it."""
    if on_change in ON_CHANGE_WORDS or callable(on_change):
        return on_change != "ignore"
    raise WidgetCall(call, on_change).fail("on_change must be 'ignore', 'rerun' or a callable, "
                                           f"got {on_change!r}")


def callback(call: str, label: str, on_change: Any, args: Any, kwargs: Any) -> tuple | None:
    return WidgetCall(call, label).callback(None if on_change == "ignore" else on_change, args,
                                            kwargs)


def tab_fields(labels: Sequence[str]) -> dict[str, Any]:
    """WidgetSpec fields for tabs whose value is the open tab's label."""
    labels = list(labels)

    def read(widget: Any, ctx: Any) -> str | None:
        index = widget.selected_index
        return labels[index] if index is not None and index < len(labels) else None

    def encode(label: Any) -> int:
        if label not in labels:
            raise ValueError(f"rk.tabs: no tab is labelled {label!r}; the tabs are "
                             f"{', '.join(map(repr, labels))}")
        return labels.index(label)

    return {"value_trait": "selected_index", "read": read, "encode": encode}


def open_fields() -> dict[str, Any]:
    """WidgetSpec fields for an expander or popover whose value is whether it is open."""
    return {"value_trait": "selected_index",
            "read": lambda widget, ctx: widget.selected_index == 0,
            "encode": lambda is_open: 0 if is_open else None}


def default_tab(labels: Sequence[str], default: str | None) -> int:
    if default is None:
        return 0
    if default not in labels:
        raise WidgetCall("tabs", default).fail(f"default must be one of the tab labels "
                                               f"{', '.join(map(repr, labels))}")
    return list(labels).index(default)


def set_callback(box: Any, entry: tuple | None) -> None:
    """Remember the box's `on_change` callback, as a widget call does with its own."""
    from ..core import runtime

    ctx = runtime.active()
    if ctx is not None:
        ctx.session.widgets.set_callback(box.model_id, entry)


def opened(box: Any, index: int, is_tracked: bool) -> bool | None:
    return box.selected_index == index if is_tracked else None
