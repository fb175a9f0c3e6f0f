"""Layout: columns, tabs, expanders, containers, placeholders, forms, a sidebar.

A Jupyter output area is a flat list, so side-by-side and collapsible layouts are built from
ipywidgets boxes (HBox, Tab, Accordion). Each box holds one `Output` widget per slot, and a
slot's content is set through that Output's `outputs` — rendered by the front-end's own
renderers, so charts, tables and widget views work inside a column. Slots diff positionally
exactly like a cell's (see core/page.py): an unchanged element touches nothing, so a slider in a
column keeps its view across reruns. The boxes themselves are registry widgets, found again
on the next run by call order like any widget, and closed with everything they own when a
completed run no longer makes them.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core import runtime
from ..core.element import Element
from ..core.page import EMPTY, CellWriter
from ..core.script import Cell
from ..core.widgets import WidgetSpec, applying
from . import openable
from .icons import with_icon
from .inputs import button_spec
from .params import css_height, css_width, refuse
from .widget_call import WIDGET_VIEW_MIME, WidgetCall

# half the gap, on each side of a column; Streamlit's names, or a number of pixels between
GAPS = {"xxsmall": "1px", "xsmall": "2px", "small": "4px", "medium": "8px", "large": "16px",
        "xlarge": "24px", "xxlarge": "32px", None: "0px"}


def _as_output(element: Element) -> dict[str, Any]:
    return {"output_type": "display_data", "data": element.data,
            "metadata": element.metadata}


# An element's metadata under this key is the layout of its slot, one item of its box: a
# `space('stretch')` grows (`flex`), a grid's cell spans tracks (`grid_column`, `grid_row`);
# a box may give all its slots a layout too (a grid's cell borders)
SLOT = "rerunkernel/slot"
SLOT_TRAITS = ("flex", "grid_column", "grid_row", "border", "padding", "overflow")


def _slot_layout(out: Any, element: Element | None, base: dict[str, str]) -> None:
    wanted = dict(base)
    if element is not None:
        wanted.update(element.metadata.get(SLOT, {}))
    for name in SLOT_TRAITS:
        if getattr(out.layout, name) != wanted.get(name):
            setattr(out.layout, name, wanted.get(name))


class BoxSurface:
    """The slots of one layout box: its children are Output widgets, one per position."""

    def __init__(self, box: Any, slot: dict[str, str] | None = None) -> None:
        self.box = box
        self.slot = slot or {}

    def get(self, cell: Cell, position: int) -> Element | None:
        children = self.box.children
        return getattr(children[position], "_rk_element", None) if position < len(children) \
            else None

    def set(self, cell: Cell, position: int, element: Element | None) -> None:
        import ipywidgets

        with applying():
            children = list(self.box.children)
            if position < len(children):
                out = children[position]
                old = getattr(out, "_rk_element", None)
                out._rk_element = element
                if element is None:
                    if old is not None:
                        out.outputs = ()
                elif not element.same_as(old):
                    out.outputs = (_as_output(element),)
                _slot_layout(out, element, self.slot)
                return
            if element is None:
                return
            while len(children) <= position:
                out = ipywidgets.Output()
                out._rk_element = None
                children.append(out)
            out = children[position]
            out._rk_element = element
            out.outputs = (_as_output(element),)
            _slot_layout(out, element, self.slot)
            self.box.children = tuple(children)

    def truncate(self, cell: Cell, keep: int) -> None:
        for position in range(keep, len(self.box.children)):
            self.set(cell, position, None)

    def texts(self) -> list[str]:
        return [e.text for e in (getattr(c, "_rk_element", None) for c in self.box.children)
                if e is not None and e.text]


def _element_here(place: Any, name: str) -> Callable[..., Any]:
    """Method style, `place.write(...)`: the public element `name`, drawn inside `place`."""
    import rerunkernel

    function = getattr(rerunkernel, name, None)
    if name.startswith("_") or not callable(function):
        raise AttributeError(f"{type(place).__name__} has no element {name!r}")

    def draw_here(*args: Any, **kwargs: Any) -> Any:
        with place:
            return function(*args, **kwargs)

    draw_here.__name__ = name
    return draw_here


class DrawingPlace:
    """Somewhere to draw: `with place:` or method style, `place.write(...)`, `place.slider(...)`.

    A subclass says whether a run can draw into it now and through which writer."""

    def _can_enter(self, ctx: runtime.RunContext) -> bool:
        raise NotImplementedError

    def _inner_writer(self, ctx: runtime.RunContext) -> CellWriter:
        raise NotImplementedError

    def __enter__(self) -> Any:
        ctx = runtime.active()
        if ctx is not None and self._can_enter(ctx):
            ctx.enter(self._inner_writer(ctx))
        return self

    def __exit__(self, *exc: Any) -> None:
        ctx = runtime.active()
        if ctx is not None and self._can_enter(ctx):
            ctx.leave()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return _element_here(self, name)


class Container(DrawingPlace):
    """A box to draw into: a column, a tab, an expander, a container."""

    def __init__(self, box: Any, form: str | None = None) -> None:
        self._box = box
        self._form = form

    def _inner_writer(self, ctx: runtime.RunContext) -> CellWriter:
        cell = ctx.writer.cell if ctx.writer is not None else None
        key = self._box.model_id
        form = self._form if self._form is not None else (
            ctx.writer.form if ctx.writer is not None else None)
        return ctx.box_writer(key, lambda: CellWriter(BoxSurface(self._box), cell, form=form))

    def _can_enter(self, ctx: runtime.RunContext) -> bool:
        return ctx.writer is not None


class OpenContainer(Container):
    """A tab, expander or popover: `.open` says whether it is open (None: not tracked,
    see openable.py)."""

    def __init__(self, box: Any, is_open: bool | None) -> None:
        super().__init__(box)
        self.open = is_open
        ctx = runtime.active()
        if ctx is not None and ctx.writer is not None:
            # its writer now, so a tab this run draws nothing into (it was closed) is
            # emptied when the cell ends, as Streamlit sends a closed lazy tab empty
            self._inner_writer(ctx)


def _box_element(kind: str, box: Any, snapshot: str, headless: bool,
                 metadata: dict[str, Any] | None = None) -> Element:
    data: dict[str, Any] = {
        WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0, "model_id": box.model_id},
        "text/plain": snapshot if headless else kind,
    }
    identity = ("widget", box.model_id, snapshot if headless else "")
    return Element(kind=kind, data=data, metadata=dict(metadata or {}), value=box,
                   identity=identity)


class _Snapshot:
    """A headless run stores a box's children as text once they are drawn (cell end)."""

    def __init__(self, kind: str, box: Any, position: int, writer: CellWriter,
                 describe: Callable[[], str], metadata: dict[str, Any] | None) -> None:
        self.kind, self.box, self.position, self.writer = kind, box, position, writer
        self.describe, self.metadata = describe, metadata

    def finish(self) -> None:
        element = _box_element(self.kind, self.box, self.describe(), True, self.metadata)
        self.writer.page.set(self.writer.cell, self.position, element)


def layout_box(kind: str, make: Callable[[], Any], params: dict[str, Any],
               describe: Callable[[Any], str], key: str | None = None,
               slot: dict[str, str] | None = None, **value: Any) -> Any:
    """Draw (or find again) one layout box in the current writer; return the box widget.

    `slot` is the layout of the box's own slot in the box around it (a grid cell's spans);
    `value` makes the box a widget with a value (`value_trait`, `read`, `encode`: a tab
    the user opens, see openable.py); a box has none otherwise."""
    fields: dict[str, Any] = {"read": lambda w, ctx: w, "value_trait": ""}
    fields.update(value)
    spec = WidgetSpec(kind=kind, label="", key=key, make=make, params=params, default=None,
                      **fields)
    ctx = runtime.active()
    if ctx is None:
        return make()
    ctx.checkpoint()
    box = ctx.session.widgets.bind(ctx, spec)
    writer = ctx.writer
    headless = writer.cell.headless
    position = writer.position
    shown = kind.split(":")[0]
    metadata = {SLOT: slot} if slot else None
    writer.add(_box_element(shown, box, describe(box), headless, metadata))
    if headless:
        writer.children.append(_Snapshot(shown, box, position, writer, lambda: describe(box),
                                         metadata))
    return box


def _surfaces(box: Any) -> list[BoxSurface]:
    return [BoxSurface(child) for child in box.children]


def texts_by(titles: Sequence[str], box: Any) -> str:
    parts = []
    for title, surface in zip(titles, _surfaces(box), strict=False):
        body = "\n".join(surface.texts())
        parts.append(f"[{title}]\n{body}" if body else f"[{title}]")
    return "\n".join(parts)


def columns(
    spec: int | Sequence[float],
    *,
    gap: str | None = "small",
    vertical_alignment: str = "top",
    border: bool = False,
    width: Any = "stretch",
    wrap: bool = True,
) -> list[Container]:
    """Side-by-side columns; `spec` is a count or relative widths, e.g. `[2, 1]`.

    As Streamlit's, they stack, each on a row of its own, on a screen at most 640 px wide
    (the extension's stylesheet, by the class `rk-columns-wrap`); `wrap=False` keeps them
    side by side, squeezed, at any width."""
    import ipywidgets

    call = WidgetCall("columns", spec)
    if isinstance(spec, int) and not isinstance(spec, bool):
        if spec < 1:
            raise call.fail("the number of columns must be at least 1")
        widths: list[float] = [1.0] * spec
    else:
        try:
            widths = [float(w) for w in spec]
        except (TypeError, ValueError):
            raise call.fail("spec must be an int or a list of numbers") from None
        if not widths or any(w <= 0 for w in widths):
            raise call.fail("widths must be positive numbers")
    if isinstance(gap, int) and not isinstance(gap, bool) and gap >= 0:
        pad = f"{gap / 2:g}px"
    elif gap in GAPS:
        pad = GAPS[gap]
    else:
        raise call.fail(f"gap must be one of {', '.join(repr(g) for g in GAPS)} or a number "
                        f"of pixels, got {gap!r}")
    if width == "content":
        raise call.fail("width must be 'stretch' or a number of pixels: columns share the "
                        "width they are given")
    across = css_width("columns", width) or "100%"
    align = {"top": "flex-start", "center": "center", "bottom": "flex-end"}.get(
        vertical_alignment)
    if align is None:
        raise call.fail("vertical_alignment must be 'top', 'center' or 'bottom'")
    frame = "1px solid var(--jp-border-color2, #ccc)" if border else ""

    def make() -> Any:
        cols = [ipywidgets.VBox(layout=ipywidgets.Layout(
            flex=f"{w} 1 0%", min_width="0", padding=f"0 {pad}", border=frame))
            for w in widths]
        row = ipywidgets.HBox(cols, layout=ipywidgets.Layout(width=across, align_items=align))
        if wrap:
            row.add_class("rk-columns-wrap")
        return row

    if not isinstance(wrap, bool):
        raise call.fail(f"wrap must be True or False, got {wrap!r}")
    # the class is set when the row is made: a changed `wrap` is another kind, a new row
    box = layout_box(f"columns:{len(widths)}" + ("" if wrap else ":nowrap"), make,
                     {"widths": tuple(widths), "gap": pad, "align": align, "border": border,
                      "width": across},
                     lambda b: texts_by([f"column {i + 1}" for i in range(len(widths))], b))
    return [Container(child) for child in box.children]


def tabs(labels: Sequence[str], *, width: Any = "stretch", height: Any = "content",
         default: str | None = None, key: str | None = None, on_change: Any = "ignore",
         args: Sequence | None = None, kwargs: dict | None = None) -> list[OpenContainer]:
    """Tabs; draw into each with `with tab:`. With `on_change`, opening a tab reruns and
    each tab's `.open` says whether it is the one shown (see openable.py)."""
    import ipywidgets

    labels = [str(label) for label in labels]
    if not labels:
        raise WidgetCall("tabs", labels).fail("give at least one tab label")
    is_tracked = openable.tracked("tabs", on_change)
    first = openable.default_tab(labels, default)
    layout = _box_size("tabs", width, height)

    def make() -> Any:
        return ipywidgets.Tab(children=[ipywidgets.VBox() for _ in labels], titles=labels,
                              selected_index=first, layout=ipywidgets.Layout(**layout))

    value = openable.tab_fields(labels) if is_tracked else {}
    kind = f"tabs:{len(labels)}" + (":open" if is_tracked else "")
    box = layout_box(kind, make, {"titles": tuple(labels), "layout": tuple(sorted(layout.items()))},
                     lambda b: texts_by(labels, b), key=key, **value)
    if is_tracked:
        openable.set_callback(box, openable.callback("tabs", labels[0], on_change, args,
                                                     kwargs))
    return [OpenContainer(child, openable.opened(box, i, is_tracked))
            for i, child in enumerate(box.children)]


def _box_size(call: str, width: Any, height: Any = "content") -> dict[str, Any]:
    """An ipywidgets layout for Streamlit's `width` and `height` of a box ("stretch" is what
    a box does anyway; a fixed height scrolls)."""
    layout: dict[str, Any] = {}
    css = css_width(call, width)
    if css is not None and css != "100%":
        layout["width"] = css
    tall = css_height(call, height, natural=("content", "stretch", None))
    if tall is not None:
        layout.update(max_height=tall, overflow="auto")
    return layout


def expander(label: str, expanded: bool = False, *, icon: str | None = None,
             key: str | None = None, type: str = "default", width: Any = "stretch",
             on_change: Any = "ignore", args: Sequence | None = None,
             kwargs: dict | None = None) -> OpenContainer:
    """A collapsible section. With `on_change`, opening or closing it reruns and `.open`
    says whether it is open (see openable.py)."""
    import ipywidgets

    refuse("expander", type=(type, "default"))
    title = with_icon("expander", icon, str(label))
    is_tracked = openable.tracked("expander", on_change)
    layout = _box_size("expander", width)

    def make() -> Any:
        return ipywidgets.Accordion(children=[ipywidgets.VBox()], titles=(title,),
                                    selected_index=0 if expanded else None,
                                    layout=ipywidgets.Layout(**layout))

    value = openable.open_fields() if is_tracked else {}
    box = layout_box("expander:open" if is_tracked else "expander", make,
                     {"titles": (title,), "layout": tuple(sorted(layout.items()))},
                     lambda b: texts_by([title], b), key=key, **value)
    if is_tracked:
        openable.set_callback(box, openable.callback("expander", title, on_change, args,
                                                     kwargs))
    return OpenContainer(box.children[0], openable.opened(box, 0, is_tracked))


JUSTIFY = {"left": "flex-start", "center": "center", "right": "flex-end",
           "distribute": "space-between"}
ALIGN = {"top": "flex-start", "center": "center", "bottom": "flex-end",
         "distribute": "stretch"}


def container(*, height: Any = None, border: bool | None = None, key: str | None = None,
              width: Any = "stretch", horizontal: bool = False,
              horizontal_alignment: str = "left", vertical_alignment: str = "top",
              gap: str | None = "small", wrap: bool = True) -> Container:
    """A group of elements, drawn in order, that can be filled later in the script;
    `horizontal=True` lays them out in a row that wraps (`wrap=False`: one row, squeezed),
    as Streamlit's flex container."""
    import ipywidgets

    refuse("container", gap=(gap, "small"))
    if horizontal_alignment not in JUSTIFY or vertical_alignment not in ALIGN:
        raise WidgetCall("container", key).fail(
            f"horizontal_alignment must be one of {', '.join(JUSTIFY)} and vertical_alignment "
            f"one of {', '.join(ALIGN)}")
    layout = _box_size("container", width, height)
    if border:
        layout["border"] = "1px solid var(--jp-border-color2, #ccc)"
    if horizontal:
        layout.update(flex_flow="row wrap" if wrap else "row nowrap",
                      justify_content=JUSTIFY[horizontal_alignment],
                      align_items=ALIGN[vertical_alignment])

    def make() -> Any:
        box_type = ipywidgets.HBox if horizontal else ipywidgets.VBox
        return box_type(layout=ipywidgets.Layout(**layout))

    kind = "container:row" if horizontal else "container"
    box = layout_box(kind, make, {"layout": tuple(sorted(layout.items()))},
                     lambda b: "\n".join(BoxSurface(b).texts()))
    return Container(box)


class Placeholder(DrawingPlace):
    """`rk.empty()`: one slot that later calls replace; empty until something is drawn."""

    def __init__(self, writer: CellWriter | None, position: int) -> None:
        self._writer = writer
        self._position = position

    def _draw(self, element: Element) -> None:
        ctx = runtime.active()
        if self._writer is None or ctx is None:
            from .core import show_outside_run

            show_outside_run(element)
            return
        ctx.checkpoint()
        self._writer.fill(self._position, element)

    def empty(self) -> None:
        if self._writer is not None:
            self._writer.fill(self._position, None)

    def add_rows(self, data: Any = None, **kwargs: Any) -> None:
        """Streamlit has removed `add_rows` (its 1.67 says it "is not a valid Streamlit
        command"); apps written for older versions get the reason and what to do."""
        raise NotImplementedError(
            "add_rows() is not part of Streamlit any more (Streamlit itself now says it \"is "
            "not a valid Streamlit command\"): keep the rows in the app (st.session_state) "
            "and draw the chart or table again with all of them")

    def _can_enter(self, ctx: runtime.RunContext) -> bool:
        return self._writer is not None

    def _inner_writer(self, ctx: runtime.RunContext) -> CellWriter:
        return _PlaceholderWriter(self)


class _PlaceholderWriter(CellWriter):
    """Every element drawn into a placeholder replaces the previous one."""

    def __init__(self, placeholder: Placeholder) -> None:
        outer = placeholder._writer
        super().__init__(outer.page, outer.cell, form=outer.form)
        self._placeholder = placeholder

    def add(self, element: Element, name: str | None = None) -> None:
        self._placeholder._draw(element)

    def fill(self, position: int, element: Element | None) -> None:
        # a handle drawn inside the placeholder (a progress bar) redraws the placeholder;
        # emptying it leaves an empty bundle, since its one slot is already on screen
        self._placeholder._draw(element if element is not None else EMPTY)

    def write_stream(self, name: str, text: str) -> None:
        from ..core.page import stream_element

        self._placeholder._draw(stream_element(name, text))

    def close_stream(self) -> None:
        pass


def empty() -> Placeholder:
    """A placeholder: `slot = rk.empty()`, then `slot.write(...)` (each call replaces)."""
    ctx = runtime.active()
    if ctx is None or ctx.writer is None:
        return Placeholder(None, 0)
    ctx.checkpoint()
    return Placeholder(ctx.writer, ctx.writer.reserve())


class _CellBox:
    """A box of the app's frame that Jupyter doesn't have (`rk.sidebar`, `rk.bottom`): a
    marked box where first used.

    Each cell that uses it gets one box, at the position of its first use.
    """

    def __init__(self, kind: str, border: dict[str, str]) -> None:
        self._kind = kind
        self._border = border

    def _box(self) -> Container:
        import ipywidgets

        ctx = runtime.active()
        if ctx is None or ctx.writer is None:
            return Container(ipywidgets.VBox())
        key = f"{self._kind}:{ctx.cell_writer.cell.id if ctx.cell_writer else ''}"
        found = ctx.extras.get(key)
        if found is None:
            def make() -> Any:
                return ipywidgets.VBox(layout=ipywidgets.Layout(**self._border))

            box = layout_box(self._kind, make, {},
                             lambda b: "\n".join(BoxSurface(b).texts()))
            found = ctx.extras[key] = Container(box)
        return found

    def __enter__(self) -> Container:
        box = self._box()
        box.__enter__()
        self._entered = box
        return box

    def __exit__(self, *exc: Any) -> None:
        self._entered.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._box(), name)


_ACCENT = "3px solid var(--jp-brand-color1, #1976d2)"
sidebar = _CellBox("sidebar", {"border_left": _ACCENT, "padding": "0 0 0 8px"})
# Streamlit pins `st.bottom` to the foot of the app's window (where its chat input sits); a
# notebook's output has no foot of its own, so it is a box ruled above, where first used
bottom = _CellBox("bottom", {"border_top": _ACCENT, "padding": "4px 0 0 0"})


class MainArea(DrawingPlace):
    """The cell's own area, outside any box (`st._main`, which libraries built on Streamlit
    reach for): drawing into it from inside a column or an expander draws after them."""

    def _can_enter(self, ctx: runtime.RunContext) -> bool:
        return ctx.cell_writer is not None

    def _inner_writer(self, ctx: runtime.RunContext) -> CellWriter:
        if ctx.fragment is not None:
            ctx.drawing_outside_fragment(None)
        return ctx.cell_writer

    def _skeleton(self, height: int | None = None) -> Skeleton:
        with self:
            return skeleton(height)


SKELETON_HEIGHT = 40  # pixels: one input widget's height, Streamlit's default


class Skeleton(Placeholder):
    """`rk.skeleton()`: a placeholder showing a grey block until something is drawn into it;
    or, as `with rk.skeleton():`, shown while the block runs and cleared when it ends, the
    block's own elements going where they would without it (as `spinner`)."""

    def __enter__(self) -> Skeleton:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.empty()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # method style fills the slot, as a placeholder's does (`with` is the block's here)
        return _element_here(Placeholder(self._writer, self._position), name)


def skeleton(height: int | str | None = None, *, width: int | str = "stretch") -> Skeleton:
    """A loading placeholder, a grey block (`st._main._skeleton()` too, which streamlit-extras'
    skeleton calls): fill it as `rk.empty()`'s, or use it as a `with` block."""
    call = WidgetCall("skeleton", None)
    if height == "stretch":
        tall = "100%"
    elif height is None or (isinstance(height, int) and not isinstance(height, bool)
                            and height > 0):
        tall = f"{height or SKELETON_HEIGHT}px"
    else:
        raise call.fail(f"height must be a positive number of pixels, 'stretch' or None, got "
                        f"{height!r}")
    across = css_width("skeleton", width) if width != "content" else None
    if across is None:
        raise call.fail(f"width must be 'stretch' or a number of pixels, got {width!r}")
    ctx = runtime.active()
    slot = Skeleton(None, 0)
    if ctx is not None and ctx.writer is not None:
        ctx.checkpoint()
        slot = Skeleton(ctx.writer, ctx.writer.reserve())
    slot._draw(Element(kind="skeleton", data={
        "text/html": f'<div class="rk-skeleton" style="height:{tall};width:{across};'
                     'border-radius:6px;background:var(--jp-layout-color3, #e0e0e0);'
                     'opacity:0.6"></div>',
        "text/plain": "(loading)"}, value=height or SKELETON_HEIGHT))
    return slot


class StatusContainer(Container):
    """`rk.status(...)`: an expander whose title shows how a long step is going."""

    ICONS = {"running": "⏳", "complete": "✅", "error": "❌"}

    def __init__(self, accordion: Any) -> None:
        super().__init__(accordion.children[0])
        self._accordion = accordion

    def update(self, *, label: str | None = None, expanded: bool | None = None,
               state: str | None = None) -> None:
        with applying():
            title = self._accordion.titles[0]
            icon, _, text = title.partition(" ")
            if state is not None:
                if state not in self.ICONS:
                    raise WidgetCall("status", label).fail("state must be 'running', 'complete' or "
                                                           f"'error', got {state!r}")
                icon = self.ICONS[state]
            if label is not None:
                text = str(label)
            self._accordion.titles = (f"{icon} {text}",)
            if expanded is not None:
                self._accordion.selected_index = 0 if expanded else None

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        super().__exit__(exc_type, *exc)
        if exc_type is not None and issubclass(exc_type, Exception):
            self.update(state="error")


def status(label: str, *, expanded: bool = False, state: str = "running",
           width: Any = "stretch") -> StatusContainer:
    """A collapsible box for a long step; `.update(label=..., state='complete')`."""
    import ipywidgets

    layout = _box_size("status", width)

    if state not in StatusContainer.ICONS:
        raise WidgetCall("status", label).fail(f"state must be 'running', 'complete' or 'error', "
                                               f"got {state!r}")
    title = f"{StatusContainer.ICONS[state]} {label}"

    def make() -> Any:
        return ipywidgets.Accordion(children=[ipywidgets.VBox()], titles=(title,),
                                    selected_index=0 if expanded else None,
                                    layout=ipywidgets.Layout(**layout))

    box = layout_box("status", make, {"layout": tuple(sorted(layout.items()))},
                     lambda b: texts_by([b.titles[0]], b))
    return StatusContainer(box)


# --- forms -------------------------------------------------------------------------------


def form(key: str, clear_on_submit: bool = False, *, enter_to_submit: bool = True,
         border: bool = True, width: Any = "stretch", height: Any = "content") -> Container:
    """Widgets inside a form don't rerun the script until its submit button is clicked."""
    import ipywidgets

    ctx = runtime.active()
    if ctx is not None and ctx.writer is not None and ctx.writer.form is not None:
        raise WidgetCall("form", key).fail(f"forms can't be nested (already inside form "
                                           f"{ctx.writer.form!r})")
    if not isinstance(key, str) or not key:
        raise WidgetCall("form", key).fail("a form needs a non-empty string key")
    layout = {"border": "1px solid var(--jp-border-color2, #ccc)", "padding": "4px"} \
        if border else {}
    layout.update(_box_size("form", width, height))

    def make() -> Any:
        return ipywidgets.VBox(layout=ipywidgets.Layout(**layout))

    box = layout_box("form", make, {"key": key, "layout": tuple(sorted(layout.items()))},
                     lambda b: "\n".join(BoxSurface(b).texts()))
    if ctx is not None:
        forms = ctx.extras.setdefault("forms", {})
        forms[key] = clear_on_submit
    return Container(box, form=key)


def form_submit_button(
    label: str = "Submit",
    help: str | None = None,
    on_click: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    key: str | None = None,
    type: str = "secondary",
    icon: str | None = None,
    icon_position: str = "left",
    disabled: bool = False,
    use_container_width: bool | None = None,
    width: Any = "content",
    shortcut: str | None = None,
    wrap: bool | None = None,
) -> bool:
    """The button that submits its form: True in the run its click started."""
    __tracebackhide__ = True
    call = WidgetCall("form_submit_button", label)
    ctx = runtime.active()
    form_key = ctx.writer.form if ctx is not None and ctx.writer is not None else None
    if ctx is not None and form_key is None:
        raise call.fail("must be called inside a `with rk.form(...)` block")
    spec = button_spec(call.checked(), key, help, type, icon, disabled, use_container_width,
                       width=width, icon_position=icon_position, shortcut=shortcut, wrap=wrap)
    return call.use(spec, on_click, args, kwargs)
