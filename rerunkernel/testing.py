"""Test an app from pytest, in-process, the way Streamlit's AppTest allows.

The same Session, Runner, Page and widget registry as in the kernel run the script here;
only the host differs: there is no kernel, runs happen when the test calls `.run()`, and the
page is read back as typed elements instead of being sent to a front-end. A test is
milliseconds.

    at = AppTest.from_file("app.py").run()
    at.slider("x").set_value(7).run()
    assert at.markdown[0].value == "7 squared is 49"
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path
from typing import Any, Callable, Iterator

from .core.element import Element
from .core.runner import PlainExecutor, RunResult, run_sync
from .core.script import Cell, Script
from .core.session import Session
from .core.triggers import Trigger

WIDGET_KINDS = frozenset({
    "button", "checkbox", "color_picker", "date_input", "datetime_input", "file_uploader",
    "form_submit_button", "multiselect", "number_input", "radio", "select_slider", "selectbox",
    "slider", "text_area", "text_input", "time_input", "toggle",
    "chat_input", "pills", "segmented_control", "feedback", "bidi_component",
})


class _QuietSink:
    """Nothing to send to: the page itself is what a test reads."""

    def display(self, cell: Cell, display_id: str, element: Element) -> None:
        pass

    def update(self, cell: Cell, display_id: str, element: Element | None) -> None:
        pass


class _InProcessHost:
    def __init__(self) -> None:
        self.due = False

    def schedule(self, session: Session) -> None:
        self.due = True

    def current_parent(self) -> Any:
        return None

    async def settle(self, session: Session) -> None:
        """Nothing to wait for: a test's changes are all in before `.run()`."""


class AppTest:
    """An app under test. Build it with one of the `from_*` constructors, then `.run()`."""

    def __init__(self, cells: list[Cell], *, notebook: bool = False,
                 filename: str | None = None, mode: str = "all") -> None:
        self._host = _InProcessHost()
        executor = PlainExecutor(filename=filename, display_last_expression=notebook)
        self.session = Session(Script(cells), executor, _QuietSink(), self._host, name="apptest")
        self.session.reuse.set_mode(mode)
        self.result: RunResult | None = None
        self._ran = False

    # --- construction ------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: str | Path) -> AppTest:
        path = Path(path).resolve()
        return cls([Cell(str(path), path.read_text(), filename=str(path))], filename=str(path))

    @classmethod
    def from_string(cls, source: str) -> AppTest:
        return cls([Cell("<script>", textwrap.dedent(source), filename="<script>")])

    @classmethod
    def from_function(cls, fn: Callable[..., Any]) -> AppTest:
        """The function's body is the script (its parameters are not passed anything)."""
        lines = inspect.getsource(fn).splitlines()
        body_start = next(i for i, line in enumerate(lines) if line.rstrip().endswith(":")) + 1
        body = textwrap.dedent("\n".join(lines[body_start:]))
        name = f"<function {fn.__name__}>"
        return cls([Cell(name, body, filename=name)])

    @classmethod
    def from_notebook(cls, path: str | Path, mode: str | None = None) -> AppTest:
        """`mode` defaults to the notebook's own (`"rerunkernel": {"mode": ...}` metadata)."""
        import nbformat

        nb = nbformat.read(str(path), as_version=4)
        cells = [Cell(c.get("id") or f"cell-{i}", c.source) for i, c in enumerate(nb.cells)
                 if c.cell_type == "code" and c.source.strip()]
        if mode is None:
            mode = (nb.metadata.get("rerunkernel") or {}).get("mode", "all")
        return cls(cells, notebook=True, mode=mode)

    @classmethod
    def from_cells(cls, *sources: str, mode: str = "all") -> AppTest:
        """Notebook cells given as strings (ids "cell-0", "cell-1", ...)."""
        cells = [Cell(f"cell-{i}", textwrap.dedent(s)) for i, s in enumerate(sources)]
        return cls(cells, notebook=True, mode=mode)

    # --- running -------------------------------------------------------------------------

    def run(self) -> AppTest:
        """Run the script once (the first time), or serve what widget changes requested."""
        session = self.session
        if not self._ran or not session.requests.has_pending:
            session.requests.request(Trigger("run"))
        self._host.due = False
        self._ran = True
        result = run_sync(session.run_pending())
        if result is not None:
            self.result = result
        return self

    # --- reading the page ----------------------------------------------------------------

    @property
    def elements(self) -> list[Element]:
        """Every element on screen in reading order, including those inside layout boxes."""
        found: list[Element] = []
        for cell in self.session.script:
            for element in self.session.page.elements(cell):
                found.append(element)
                if element.kind in LAYOUT_KINDS:
                    found.extend(_inside(element.value))
        return found

    def _of(self, *kinds: str) -> ElementList:
        return ElementList([e for e in self.elements if e.kind in kinds])

    @property
    def markdown(self) -> ElementList:
        return self._of("markdown")

    @property
    def text(self) -> ElementList:
        return self._of("text", "stdout", "stderr")

    @property
    def exception(self) -> ElementList:
        return self._of("exception")

    @property
    def dataframe(self) -> ElementList:
        return self._of("dataframe", "table")

    @property
    def chart(self) -> ElementList:
        return self._of("chart")

    def get(self, kind: str) -> ElementList:
        return self._of(kind)

    def __getattr__(self, name: str) -> WidgetList:
        if name in WIDGET_KINDS:
            # as in Streamlit's AppTest, a form's submit button is one of the buttons
            kinds = (name, "form_submit_button") if name == "button" else (name,)
            return WidgetList(self, [e for e in self.elements if e.kind in kinds], name)
        raise AttributeError(name)

    @property
    def namespace(self) -> dict[str, Any]:
        return self.session.namespace


LAYOUT_KINDS = ("columns", "tabs", "expander", "container", "sidebar", "bottom", "status",
                "form", "chat_message", "popover", "dialog")


def _inside(box: Any) -> list[Element]:
    found: list[Element] = []
    for child in getattr(box, "children", ()):
        element = getattr(child, "_rk_element", None)
        if element is not None:
            found.append(element)
            if element.kind in LAYOUT_KINDS:
                found.extend(_inside(element.value))
        elif not hasattr(child, "_rk_element"):
            found.extend(_inside(child))
    return found


class ElementList:
    def __init__(self, elements: list[Element]) -> None:
        self._elements = elements

    def __getitem__(self, index: int) -> Element:
        return self._elements[index]

    def __len__(self) -> int:
        return len(self._elements)

    def __iter__(self) -> Iterator[Element]:
        return iter(self._elements)

    @property
    def values(self) -> list[Any]:
        return [e.value for e in self._elements]

    def __repr__(self) -> str:
        return f"ElementList({self.values!r})"


class WidgetList:
    """`at.slider[0]` by position, `at.slider("x")` by label or key."""

    def __init__(self, app: AppTest, elements: list[Element], kind: str) -> None:
        self._app = app
        self._elements = elements
        self._kind = kind

    def __len__(self) -> int:
        return len(self._elements)

    def __getitem__(self, index: int) -> WidgetHandle:
        return WidgetHandle(self._app, self._elements[index])

    def __iter__(self) -> Iterator[WidgetHandle]:
        return (WidgetHandle(self._app, e) for e in self._elements)

    def __call__(self, name: str | None = None, *, key: str | None = None) -> WidgetHandle:
        """By label or key; `key=` alone is Streamlit's AppTest spelling."""
        if (name is None) == (key is None):
            raise TypeError(f"at.{self._kind}(): give a label or key, or key=...")
        if key is not None:
            name = key
        by_key = [e for e in self._elements if e.key == str(name)]
        found = by_key or ([] if key is not None else
                           [e for e in self._elements if e.label == name])
        if not found:
            known = [e.key or e.label for e in self._elements]
            raise KeyError(f"no {self._kind} with label or key {name!r}; there are: {known}")
        return WidgetHandle(self._app, found[0])


class WidgetHandle:
    """One widget of the app: read its value, change it as a user would, then `.run()`."""

    def __init__(self, app: AppTest, element: Element) -> None:
        self._app = app
        self._element = element

    @property
    def widget(self) -> Any:
        return self._element.value

    @property
    def label(self) -> str | None:
        return self._element.label

    @property
    def key(self) -> str | None:
        return self._element.key

    @property
    def value(self) -> Any:
        spec = self._element.spec
        if spec.clickable:
            trigger = self._app.session.last_trigger
            return trigger is not None and self.widget.model_id in trigger.clicked
        return spec.read(self.widget, None)

    def set_value(self, value: Any) -> WidgetHandle:
        spec = self._element.spec
        if spec.clickable:
            raise TypeError(f"{self._element.kind} {self.label!r} has no value; use .click()")
        setattr(self.widget, spec.value_trait, spec.encode(value))
        return self

    def click(self) -> WidgetHandle:
        if not self._element.spec.clickable:
            raise TypeError(f"{self._element.kind} {self.label!r} can't be clicked")
        self.widget.click()
        return self

    def run(self) -> AppTest:
        return self._app.run()

    def __repr__(self) -> str:
        return f"<{self._element.kind} {self.label!r}>"
