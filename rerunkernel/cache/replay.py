"""What a cached call drew, drawn again on every hit (as Streamlit's cache does).

A run redraws the page from scratch, so an element a cached function drew on its miss would
vanish on the next run's hit. The miss is recorded from the page itself: the slots the call
filled in the writer it started in, in layout boxes made before it (the sidebar, a column
passed in), and in boxes it made itself (columns, tabs, expanders, containers), each with
what was drawn into it. Reading final slots rather than calls means a progress bar or a
placeholder replays as it ended.

A box the call made is a registry widget; a hit binds it again with the same spec, in the
same call order, so it is found again (and not swept) exactly as if the function had run.

A replay of plain elements pickles, so `persist=True` keeps it with the entry. One with
boxes does not: a box's spec makes a widget of this kernel, and boxes drawn into from
outside the call are found by their widget's id, which another process won't have.
Only `page`, `runtime` and the widget registry are used: the cache knows nothing of
elements/.
"""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any, NamedTuple

from ..core.element import Element
from ..core.page import CellWriter
from ..core.runtime import RunContext
from ..core.widgets import WidgetSpec


class _Part(NamedTuple):
    """What was drawn into one part of a box: the box itself (index -1) or its n-th child."""

    index: int
    surface: type
    form: str | None
    items: list[_Item]


class _Box(NamedTuple):
    element: Element
    spec: WidgetSpec
    parts: list[_Part]


_Item = Element | _Box | None


class Replay:
    def __init__(self, items: list[_Item], outside: list[tuple[str, list[_Item]]],
                 extras: dict[str, Any]) -> None:
        self._items = items
        self._outside = outside
        self._extras = extras

    def __reduce__(self) -> tuple:
        if self._outside or self._extras or any(isinstance(i, _Box) for i in self._items):
            raise pickle.PicklingError(
                "it draws layout boxes (columns, tabs, expanders, containers or the sidebar), "
                "which are widgets of this kernel")
        return (Replay, (self._items, [], {}))

    def play(self, ctx: RunContext) -> None:
        """Draw it all again into the run's current writer (and the boxes drawn into)."""
        if ctx.writer is None:
            return
        ctx.checkpoint()
        for key, value in self._extras.items():
            ctx.extras.setdefault(key, value)
        _draw(ctx, ctx.writer, self._items)
        for key, items in self._outside:
            writer = ctx.box_writers.get(key)
            if writer is not None:
                _draw(ctx, writer, items)


def _draw(ctx: RunContext, writer: CellWriter, items: list[_Item]) -> None:
    for item in items:
        if item is None:
            writer.reserve()
        elif isinstance(item, _Box):
            box = ctx.session.widgets.bind(ctx, item.spec)
            writer.add(_rebound(item.element, box))
            for part in item.parts:
                target = box if part.index < 0 else box.children[part.index]
                inner = ctx.box_writer(target.model_id, lambda target=target, part=part:
                                       CellWriter(part.surface(target), writer.cell,
                                                  form=part.form))
                _draw(ctx, inner, part.items)
        else:
            writer.add(item)


def _rebound(element: Element, widget: Any) -> Element:
    """The box's element pointing at `widget` (the same one, unless the registry made anew)."""
    old = getattr(element.value, "model_id", None)
    new = widget.model_id
    if old == new:
        return element
    data = {mime: ({**part, "model_id": new} if isinstance(part, dict)
                   and part.get("model_id") == old else part)
            for mime, part in element.data.items()}
    identity = element.identity
    if isinstance(identity, tuple):
        identity = tuple(new if part == old else part for part in identity)
    return dataclasses.replace(element, data=data, identity=identity, value=widget)


class Recorder:
    """Notes where a miss starts drawing; `finish()` reads back what it drew."""

    def __init__(self, ctx: RunContext) -> None:
        self._ctx = ctx
        self._writer = ctx.writer
        if ctx.writer is not None:
            # what the call prints starts a slot of its own, so it can be read back
            ctx.writer.close_stream()
        self._start = ctx.writer.position if ctx.writer is not None else 0
        self._boxes = {key: w.position for key, w in ctx.box_writers.items()}
        self._seen = set(ctx.widget_seen)
        self._extras = set(ctx.extras)

    def finish(self) -> Replay | None:
        """The replay, or None when the call drew nothing."""
        ctx, base = self._ctx, self._writer
        if base is None:
            return None
        made = ctx.widget_seen - self._seen
        specs = ({r.widget.model_id: r.spec for r in ctx.session.widgets.records()
                  if r.widget.model_id in made} if made else {})
        writers = dict(ctx.box_writers)
        used: set[str] = set()
        items = _read(base, self._start, specs, writers, used)
        outside = []
        for key, start in self._boxes.items():
            writer = writers.get(key)
            if writer is None or writer is base or key in used or writer.position == start:
                continue
            outside.append((key, _read(writer, start, specs, writers, used)))
        if not items and not outside:
            return None
        # what a box made here registers for the run (the sidebar of this cell, a form)
        extras = {k: v for k, v in ctx.extras.items() if k not in self._extras}
        return Replay(items, outside, extras)


def _read(writer: CellWriter, start: int, specs: dict[str, WidgetSpec],
          writers: dict[str, CellWriter], used: set[str]) -> list[_Item]:
    writer.close_stream()
    items: list[_Item] = []
    for position in range(start, writer.position):
        element = writer.page.get(writer.cell, position)
        widget = getattr(element, "value", None) if element is not None else None
        spec = specs.get(getattr(widget, "model_id", None))
        if spec is None:
            items.append(element)
            continue
        parts = []
        targets = [(-1, widget)] + list(enumerate(getattr(widget, "children", ())))
        for index, target in targets:
            inner = writers.get(target.model_id)
            if inner is not None:
                used.add(target.model_id)
                parts.append(_Part(index, type(inner.page), inner.form,
                                   _read(inner, 0, specs, writers, used)))
        items.append(_Box(element, spec, parts))
    return items
