"""Things Streamlit draws over the page: `popover` and `dialog`.

A Jupyter output area has no layer above it a kernel can draw on, so both are drawn in place.
A popover is a collapsed box that opens on a click. A dialog is a titled box drawn where its
function is called; it stays open across reruns (as Streamlit's modal stays open while the
user works in it), drawn where the decorated function is defined, until the function calls
`rk.rerun()`, which is how Streamlit apps close a dialog. Its body is a fragment, as in
Streamlit: a widget inside the dialog reruns the dialog alone (elements/fragment.py).
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, Callable

from ..core import runtime
from ..core.runtime import RerunRequested
from . import fragment, openable
from .layout import Container, OpenContainer, layout_box, texts_by
from .params import icon_prefix, unsupported

# per session: the dialogs open since a run called them, with the arguments of that call
_open: weakref.WeakKeyDictionary[Any, dict[str, tuple]] = weakref.WeakKeyDictionary()
WIDTHS = {"small": "500px", "medium": "750px", "large": "1280px"}


def popover(label: str, *, help: str | None = None, icon: str | None = None,
            disabled: bool = False, use_container_width: bool | None = None,
            width: Any = "content", type: str = "secondary", key: str | None = None,
            on_change: Any = "ignore", args: Any = None,
            kwargs: dict | None = None, wrap: bool | None = None) -> OpenContainer:
    """A box that opens when its label is clicked; draw into it with `with`. With
    `on_change`, opening or closing it reruns and `.open` says which (see openable.py)."""
    import ipywidgets

    if wrap is not None:
        raise unsupported("popover", "wrap", wrap, "a label is one line here; leave it out")

    title = icon_prefix("popover", icon) + str(label)
    is_tracked = openable.tracked("popover", on_change)

    def make() -> Any:
        return ipywidgets.Accordion(children=[ipywidgets.VBox()], titles=(title,),
                                    selected_index=None)

    value = openable.open_fields() if is_tracked else {}
    box = layout_box("popover:open" if is_tracked else "popover", make, {"titles": (title,)},
                     lambda b: texts_by([title], b), key=key, **value)
    if is_tracked:
        openable.set_callback(box, openable.callback("popover", title, on_change, args,
                                                     kwargs))
    return OpenContainer(box.children[0], openable.opened(box, 0, is_tracked))


def _dialog_box(title: str, width: str) -> Container:
    import ipywidgets

    css = WIDTHS[width]

    def make() -> Any:
        body = ipywidgets.VBox()
        return ipywidgets.Accordion(children=[body], titles=(title,), selected_index=0,
                                    layout=ipywidgets.Layout(max_width=css, border=(
                                        "2px solid var(--jp-brand-color1, #1976d2)")))

    box = layout_box("dialog", make, {"titles": (title,), "width": width},
                     lambda b: texts_by([title], b))
    return Container(box.children[0])


def dialog(title: str, *, width: str = "small", position: str = "center",
           dismissible: bool = True, icon: str | None = None,
           on_dismiss: Any = "ignore") -> Callable[[Callable], Callable]:
    """Decorate a function that draws a dialog: calling it opens the dialog. It is a box
    where it is called whatever its `position` (a drawer at either side in Streamlit)."""
    if width not in WIDTHS:
        raise ValueError(f"rk.dialog(width={width!r}): must be 'small', 'medium' or 'large'")
    if position not in ("center", "left", "right"):
        raise ValueError(f"rk.dialog(position={position!r}): must be 'center', 'left' or "
                         "'right'")
    title = icon_prefix("dialog", icon) + str(title)

    def decorate(fn: Callable) -> Callable:
        name = f"dialog:{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def open_dialog(*args: Any, **kwargs: Any) -> Any:
            ctx = runtime.active()
            if ctx is None:
                return fn(*args, **kwargs)
            drawn = ctx.extras.setdefault("dialogs drawn", set())
            if name in drawn:
                return None
            drawn.add(name)
            opened = _open.setdefault(ctx.session, {})
            opened[name] = (args, kwargs)

            @functools.wraps(fn)
            def body(*args: Any, **kwargs: Any) -> Any:
                try:
                    return fn(*args, **kwargs)
                except RerunRequested:
                    now = runtime.active()
                    if now is not None and now.extras.get("rerun") is not None:
                        opened.pop(name, None)  # rk.rerun(), not a newer trigger: closed
                    raise

            with _dialog_box(title, width):
                # a fragment, as in Streamlit: a widget inside reruns the dialog alone
                return fragment.call(body, args, kwargs)

        ctx = runtime.active()
        opened = _open.get(ctx.session, {}) if ctx is not None else {}
        if name in opened:
            args, kwargs = opened[name]
            open_dialog(*args, **kwargs)
        return open_dialog

    return decorate
