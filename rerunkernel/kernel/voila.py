"""Cells drawn into Output widgets, for front-ends that don't route display updates (Voila).

Voila executes the notebook on its server, sends the page the outputs it collected, and then
only connects the page's widget manager to the kernel: an `update_display_data` for an output
of a cell its server executed reaches no output area, so a rerun changed nothing on screen.
Widget messages do reach the page. So when the kernel is serving Voila, each cell shows one
box widget, displayed once, and each of the cell's slots is an `Output` widget in that box
whose `outputs` a rerun sets (as layout boxes do, elements/layout.py): new, changed and
emptied slots all travel as widget messages. Errors are slots there too, so a traceback goes
away when a widget change fixes it. Voila's requests carry no cell id, yet its cells are not
headless: the page is live, so widgets keep their text fallback free of values, charts skip
their PNG, and layout boxes keep their views across reruns.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from ..core.element import Element
from ..core.page import Sink
from ..core.script import Cell

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def serving() -> bool:
    """Voila starts its kernels with these (handler.py and its preheating kernel manager)."""
    return (os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")
            or "VOILA_BASE_URL" in os.environ)


class OutputWidgetSink:
    """A `Sink` that keeps each cell's slots in Output widgets inside one box per cell."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self._boxes: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}

    def display(self, cell: Cell, display_id: str, element: Element) -> None:
        import ipywidgets

        box = self._box(cell)
        out = ipywidgets.Output()
        out.outputs = _outputs(element)
        self._outputs[display_id] = out
        box.children = (*box.children, out)

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None:
        out = self._outputs.get(display_id)
        if out is None:
            self.sink.update(cell, display_id, element)
            return
        out.outputs = _outputs(element)

    def _box(self, cell: Cell) -> Any:
        """The cell's box, displayed in its output area the first time the cell draws."""
        import ipywidgets

        box = self._boxes.get(cell.id)
        if box is None:
            box = self._boxes[cell.id] = ipywidgets.VBox()
            box.add_class("rk-cell")
            view = {"version_major": 2, "version_minor": 0, "model_id": box.model_id}
            element = Element(kind="cell", data={WIDGET_VIEW_MIME: view, "text/plain": ""},
                              identity=("cell", box.model_id))
            self.sink.display(cell, uuid.uuid4().hex, element)
        return box

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sink, name)


def _outputs(element: Element | None) -> tuple[dict[str, Any], ...]:
    if element is None or not element.data:
        return ()
    return ({"output_type": "display_data", "data": element.data,
             "metadata": element.metadata},)
