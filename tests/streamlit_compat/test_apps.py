"""Streamlit apps, unchanged, under Streamlit's AppTest and under rerunkernel's.

Every app in `apps/` is an ordinary Streamlit app: it starts with `import streamlit as st`.
Each test runs one app with `streamlit.testing.v1.AppTest`, and the same source, with only
that line rewritten to `import rerunkernel as st`, with `rerunkernel.testing.AppTest`. Both
get the same interactions (widget values, clicks, form submits), and after every step the
two pages must read the same (`Page.read`): every heading, text, caption, code block,
formula and callout; each metric's label, value and delta; the shape and columns of every
table; each chart's mark and number of data rows; JSON; progress bars; download buttons;
and every widget's label and value. Neither run may raise.

The last test runs each app, rewritten the same way, with `rerunkernel run` (through its
`main()`, in this process, as the command runs a .py app in its own), with widget values set
from the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow
import pytest
from streamlit.testing.v1 import AppTest as StreamlitAppTest
from streamlit.testing.v1.element_tree import Block

from rerunkernel.core.element import Element
from rerunkernel.headless.cli import main
from rerunkernel.testing import AppTest as RerunAppTest

APPS = Path(__file__).resolve().parent / "apps"
STREAMLIT_IMPORT = "import streamlit as st"
RERUN_IMPORT = "import rerunkernel as st"
# the first run of an app under Streamlit's AppTest imports pandas and friends in its thread
STREAMLIT_TIMEOUT = 60

TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "code", "latex",
              "info", "success", "warning", "error")
TABLE_KINDS = ("dataframe", "table")
WIDGET_KINDS = ("button", "checkbox", "color_picker", "date_input", "multiselect",
                "number_input", "radio", "select_slider", "selectbox", "slider", "text_area",
                "text_input", "toggle")
LAYOUT_KINDS = ("columns", "tabs", "expander", "container", "sidebar", "status", "form")


def normal_text(kind: str, text: str) -> str:
    """The text a reader sees, where the two differ only in markup.

    `st.write` wraps a non-string value in backticks (Streamlit shows numbers as inline
    code: "`3` rows"); rerunkernel writes the value as plain text ("3 rows"), the way
    `print` would. `st.latex` stores its body inside `$$` lines; rerunkernel keeps the body.
    """
    if kind == "markdown":
        text = re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"\1", text)
    if kind == "latex":
        text = text.strip().removeprefix("$$").removesuffix("$$").strip()
    return text


def chart_mark(spec: dict[str, Any]) -> str:
    """The chart's mark: Streamlit layers its line charts (the line, then invisible points
    for the hover), so a layered spec counts by its first layer."""
    if "layer" in spec:
        spec = spec["layer"][0]
    mark = spec.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def plain(value: Any) -> Any:
    """JSON-comparable: dates as ISO text, tuples as lists."""
    return json.loads(json.dumps(value, default=str))


def widget_value(kind: str, value: Any) -> Any:
    """A widget's value, compared as a set where rerunkernel keeps no order by design.

    Streamlit's multiselect returns the options in the order they were picked; rerunkernel's
    is Jupyter's multiple-selection list box, which has no pick order, so it returns them in
    the options' order (documented in `rk.multiselect`).
    """
    if kind == "button":
        # True only in the run a click started; what shows on the page is the button itself.
        # (A button that the click's own callback disables reads False in Streamlit, which
        # discards a disabled widget's incoming value, and True here.)
        return None
    value = plain(value)
    return sorted(value) if kind == "multiselect" else value


class Page(ABC):
    """What one app shows, read the same way from either AppTest.

    A subclass finds elements (`elements`, `widgets`, `widget`) and says how to read the
    few kinds whose parts the two AppTests keep differently.
    """

    at: Any
    chart_kind: str

    def run(self) -> None:
        self.at.run()
        assert not self.exception(), self.exception()

    def set(self, kind: str, name: str, value: Any) -> None:
        self.widget(kind, name).set_value(value)

    def click(self, name: str) -> None:
        self.widget("button", name).click()

    def read(self) -> dict[str, list]:
        page: dict[str, list] = {
            kind: [normal_text(kind, e.value) for e in self.elements(kind)]
            for kind in TEXT_KINDS
        }
        page["metric"] = [self.metric(e) for e in self.elements("metric")]
        for kind in TABLE_KINDS:
            page[kind] = [(e.value.shape, [str(c) for c in e.value.columns])
                          for e in self.elements(kind)]
        page["chart"] = [self.chart(e) for e in self.elements(self.chart_kind)]
        page["json"] = [self.document(e) for e in self.elements("json")]
        page["progress"] = [self.progress(e) for e in self.elements("progress")]
        page["download_button"] = [e.label for e in self.elements("download_button")]
        page["widgets"] = [(kind, label, widget_value(kind, value))
                           for kind, label, value in self.widgets()]
        return page

    @abstractmethod
    def exception(self) -> list[str]:
        """The text of every exception on the page."""

    @abstractmethod
    def elements(self, kind: str) -> list[Any]:
        """The main area's elements of `kind`, then the sidebar's (Streamlit's order)."""

    @abstractmethod
    def widgets(self) -> list[tuple[str, str, Any]]:
        """(kind, label, value) of every widget, in the order of `elements`."""

    @abstractmethod
    def widget(self, kind: str, name: str) -> Any:
        """The widget of `kind` whose label or key is `name`, to act on."""

    @abstractmethod
    def metric(self, element: Any) -> tuple[str, str, str | None]:
        """(label, value, delta) of a metric."""

    @abstractmethod
    def chart(self, element: Any) -> tuple[str, int]:
        """(mark, rows of data) of a Vega-Lite chart."""

    @abstractmethod
    def document(self, element: Any) -> Any:
        """The document a JSON element shows."""

    @abstractmethod
    def progress(self, element: Any) -> tuple[int, str]:
        """(percent, text) of a progress bar."""


class StreamlitPage(Page):
    chart_kind = "vega_lite_chart"

    def __init__(self, path: Path) -> None:
        self.at = StreamlitAppTest.from_file(str(path), default_timeout=STREAMLIT_TIMEOUT)

    def exception(self) -> list[str]:
        return [e.value for e in self.at.exception]

    def _leaves(self) -> Iterator[Any]:
        for area in (self.at.main, self.at.sidebar):
            yield from _streamlit_leaves(area)

    def elements(self, kind: str) -> list[Any]:
        return [e for e in self._leaves() if e.type == kind]

    def widgets(self) -> list[tuple[str, str, Any]]:
        return [(w.type, w.label, w.value) for w in self._leaves() if w.type in WIDGET_KINDS]

    def widget(self, kind: str, name: str) -> Any:
        found = [w for w in getattr(self.at, kind) if name in (w.label, w.key)]
        assert found, f"Streamlit shows no {kind} called {name!r}"
        return found[0]

    def metric(self, element: Any) -> tuple[str, str, str | None]:
        return element.label, element.value, element.delta or None

    def chart(self, element: Any) -> tuple[str, int]:
        proto = element.proto
        data = proto.datasets[0].data.data if proto.datasets else proto.data.data
        rows = pyarrow.ipc.open_stream(data).read_all().num_rows
        return chart_mark(json.loads(proto.spec)), rows

    def document(self, element: Any) -> Any:
        return json.loads(element.value)

    def progress(self, element: Any) -> tuple[int, str]:
        return element.proto.value, element.proto.text


def _streamlit_leaves(block: Block) -> Iterator[Any]:
    for child in block.children.values():
        if isinstance(child, Block):
            yield from _streamlit_leaves(child)
        else:
            yield child


class RerunPage(Page):
    chart_kind = "chart"

    def __init__(self, path: Path) -> None:
        self.at = RerunAppTest.from_file(path)

    def exception(self) -> list[str]:
        return [e.text for e in self.at.exception]

    def _in_order(self) -> list[Element]:
        """The main area, then the sidebar: `rk.sidebar` is a box where it is first used."""
        main: list[Element] = []
        sidebar: list[Element] = []
        session = self.at.session
        for cell in session.script:
            _collect(session.page.elements(cell), main, sidebar)
        return main + sidebar

    def elements(self, kind: str) -> list[Element]:
        return [e for e in self._in_order() if e.kind == kind]

    def widgets(self) -> list[tuple[str, str, Any]]:
        found = []
        for element in self._in_order():
            # Streamlit's AppTest lists a form's submit button among the buttons
            kind = "button" if element.kind == "form_submit_button" else element.kind
            if kind in WIDGET_KINDS:
                handle = self.widget(kind, element.key or element.label)
                found.append((kind, element.label, handle.value))
        return found

    def widget(self, kind: str, name: str) -> Any:
        kinds = (kind, "form_submit_button") if kind == "button" else (kind,)
        for candidate in kinds:
            found = [w for w in getattr(self.at, candidate) if name in (w.label, w.key)]
            if found:
                return found[0]
        raise AssertionError(f"rerunkernel shows no {kind} called {name!r}")

    def metric(self, element: Element) -> tuple[str, str, str | None]:
        # the delta as given to `metric`, from the text "label: value (▲ delta)"
        rest = element.text[len(f"{element.label}: {element.value}"):].strip()
        return element.label, element.value, rest.strip("()").lstrip("▲▼ ") or None

    def chart(self, element: Element) -> tuple[str, int]:
        return chart_mark(element.value), len(element.value["data"]["values"])

    def document(self, element: Element) -> Any:
        return plain(element.value)

    def progress(self, element: Element) -> tuple[int, str]:
        return element.value, element.label or ""


def _collect(elements: list[Element], main: list[Element], sidebar: list[Element]) -> None:
    for element in elements:
        main.append(element)
        if element.kind in LAYOUT_KINDS:
            _collect(list(_contents(element.value)), sidebar if element.kind == "sidebar"
                     else main, sidebar)


def _contents(box: Any) -> Iterator[Element]:
    """The elements drawn into a layout box: its Output children, inside columns or tabs."""
    for child in box.children:
        if hasattr(child, "_rk_element"):
            if child._rk_element is not None:
                yield child._rk_element
        else:
            yield from _contents(child)


class SameApp:
    """One app under both AppTests: every action goes to both, every read must agree."""

    def __init__(self, name: str, folder: Path) -> None:
        self.streamlit = StreamlitPage(APPS / name)
        self.rerun = RerunPage(rewrite(name, folder))

    def run(self, *, unread: tuple[str, ...] = ()) -> dict[str, list]:
        self.streamlit.run()
        self.rerun.run()
        return self.read(unread=unread)

    def set(self, kind: str, name: str, value: Any) -> SameApp:
        self.streamlit.set(kind, name, value)
        self.rerun.set(kind, name, value)
        return self

    def click(self, name: str) -> SameApp:
        self.streamlit.click(name)
        self.rerun.click(name)
        return self

    def read(self, *, unread: tuple[str, ...] = ()) -> dict[str, list]:
        """Both pages, which must agree on everything but the `unread` kinds."""
        expected, shown = self.streamlit.read(), self.rerun.read()
        for kind in [k for k in expected if k not in unread]:
            assert shown[kind] == expected[kind], f"{kind}: rerunkernel (left) vs Streamlit"
        return expected


def rewrite(name: str, folder: Path) -> Path:
    """A copy of the apps folder (apps read their data next to themselves) with `name`
    importing rerunkernel as `st`; nothing else in the source changes."""
    copy = folder / "apps"
    if not copy.exists():
        shutil.copytree(APPS, copy)
    app = copy / name
    source = app.read_text()
    assert source.count(STREAMLIT_IMPORT + "\n") == 1, f"{name} must import streamlit as st"
    app.write_text(source.replace(STREAMLIT_IMPORT + "\n", RERUN_IMPORT + "\n"))
    return app


@pytest.fixture
def same_app(tmp_path: Path):
    return lambda name: SameApp(name, tmp_path)


# --- the apps ------------------------------------------------------------------------------


def test_data_explorer_filters_sort_and_stop(same_app):
    app = same_app("data_explorer.py")
    page = app.run()
    assert page["metric"][0] == ("Cities", "24", None)
    assert page["dataframe"][0][0] == (24, 6)

    app.set("multiselect", "Continents", ["Europe", "Africa"])
    app.set("slider", "Minimum population", 12.5)
    app.set("selectbox", "Sort by", "density")
    app.set("checkbox", "Descending", False)
    page = app.run()
    assert page["markdown"] == ["First by density: **Moscow**, Russia"]
    assert page["table"] == [((2, 2), ["cities", "people (M)"])]

    # nothing left to show: a warning, then st.stop() ends the script
    app.set("slider", "Minimum population", 40.0)
    page = app.run()
    assert page["warning"] == ["No city matches these filters."]
    assert page["dataframe"] == [] and page["chart"] == []


def test_model_training_trains_on_click_and_keeps_runs(same_app):
    app = same_app("model_training.py")
    page = app.run()
    assert page["info"] == ["Choose the settings in the sidebar, then press **Train**."]
    assert page["chart"] == [("circle", 100)]

    page = app.click("Train").run()
    assert page["metric"][1] == ("Runs", "1", None)
    assert page["chart"][1] == ("line", 500)
    assert page["success"] == ["Converged after 500 epochs."]

    app.set("number_input", "Epochs", 20)
    app.set("select_slider", "Learning rate", 0.01)
    page = app.click("Train").run()
    assert page["table"][0][0] == (2, 4)
    assert page["warning"] and page["metric"][0][2].startswith("+")

    # a rerun without a click keeps the runs in session state but trains nothing
    app.set("slider", "Points", 200)
    page = app.run()
    assert page["table"][0][0] == (2, 4)
    assert page["chart"][0] == ("circle", 200)


def fill_signup(app: SameApp, name: str, email: str, born: dt.date, plan: str,
                genres: list[str], notes: str, agreed: bool) -> SameApp:
    app.set("text_input", "Name", name)
    app.set("text_input", "Email", email)
    app.set("date_input", "Date of birth", born)
    app.set("radio", "Plan", plan)
    app.set("multiselect", "Favourite genres", genres)
    app.set("text_area", "Anything we should know?", notes)
    return app.set("checkbox", "I accept the club rules", agreed)


# After a submit, a form with clear_on_submit=True is emptied by the browser in Streamlit;
# Streamlit's AppTest has no browser and keeps the submitted values, rerunkernel empties
# its widgets itself. So the widgets are not compared right after a submit, and each
# submission below fills in every field, as a user would on the emptied form.
AFTER_SUBMIT = ("widgets",)


def test_signup_form_submits_validates_and_clears(same_app):
    app = same_app("signup_form.py")
    page = app.run()
    assert page["markdown"][-1] == "No members yet."

    fill_signup(app, "Ada Lovelace", "ada@example.org", dt.date(1990, 12, 10), "Reader",
                ["Science", "Poetry"], "Loves engines.", True)
    page = app.click("Sign up").run(unread=AFTER_SUBMIT)
    assert page["success"] == ["Welcome, Ada Lovelace! You joined on the Reader plan."]
    assert page["table"] == [((1, 4), ["name", "email", "plan", "genres"])]
    assert page["metric"] == [("Monthly fees", "$5", None)]
    assert ("text_input", "Name", "") in app.rerun.read()["widgets"]

    fill_signup(app, "", "ada@example", dt.date(2000, 1, 1), "Free", [], "", False)
    page = app.click("Sign up").run(unread=AFTER_SUBMIT)
    assert page["error"] == ["Please enter your name.", "'ada@example' is not an email address.",
                             "Please accept the club rules."]
    assert page["subheader"] == ["Members (1)"]

    fill_signup(app, "Ada L.", "ada@example.org", dt.date(2015, 5, 1), "Free", [], "", True)
    page = app.click("Sign up").run(unread=AFTER_SUBMIT)
    assert page["error"] == ["Members must be 16 or older.",
                             "ada@example.org is already a member."]

    fill_signup(app, "Grace Hopper", "grace@example.org", dt.date(1986, 12, 9), "Bookworm",
                ["History"], "", True)
    page = app.click("Sign up").run(unread=AFTER_SUBMIT)
    assert page["table"] == [((2, 4), ["name", "email", "plan", "genres"])]
    assert page["metric"] == [("Monthly fees", "$17", None)]


def test_dashboard_region_period_and_toggle(same_app):
    app = same_app("dashboard.py")
    page = app.run()
    assert [label for label, _, _ in page["metric"]] == ["Revenue", "Orders", "Average order"]
    assert all(delta is not None for _, _, delta in page["metric"])
    assert page["chart"] == [("area", 30), ("bar", 4)]

    app.set("selectbox", "Region", "East")
    app.set("radio", "Period", "Last 7 days")
    page = app.run()
    assert page["chart"] == [("area", 7), ("bar", 4)]
    assert page["dataframe"] == [((28, 5), ["date", "region", "product", "orders", "revenue"])]

    page = app.set("toggle", "7-day average", True).run()
    assert ("toggle", "7-day average", True) in page["widgets"]


def test_chart_playground_draws_each_chart(same_app):
    app = same_app("chart_playground.py")
    page = app.run()
    assert page["chart"] == [("line", 100)]
    assert page["code"] == ["st.line_chart(data)"]

    for chart, mark in [("Area", "area"), ("Scatter", "circle"), ("Bar", "bar")]:
        page = app.set("selectbox", "Chart", chart).run()
        assert page["chart"] == [(mark, 100)]
    assert page["code"] == ["st.bar_chart(data, stack=True)"]

    page = app.set("toggle", "Stack the bars", False).run()
    assert page["code"] == ["st.bar_chart(data, stack=False)"]

    app.set("number_input", "Series", 1)
    app.set("color_picker", "Colour of a single series", "#ff4b4b")
    page = app.run()
    assert page["code"] == ["st.bar_chart(data, color='#ff4b4b')"]

    app.set("selectbox", "Dataset", "Waves")
    app.set("slider", "Points", 120)
    app.set("number_input", "Series", 3)
    page = app.set("selectbox", "Chart", "Line").run()
    assert page["chart"] == [("line", 360)]
    assert page["subheader"] == ["Waves: line chart"]
    assert page["markdown"] == ["Largest value: 1.0 in harmonic 1"]


def test_todo_list_callbacks_and_session_state(same_app):
    app = same_app("todo_list.py")
    page = app.run()
    assert page["info"] == ["Nothing to do. Add a task above."]

    # on_change adds the task and empties the input
    page = app.set("text_input", "New task", "Buy milk").run()
    assert ("checkbox", "Buy milk", False) in page["widgets"]
    assert ("text_input", "New task", "") in page["widgets"]

    page = app.set("text_input", "New task", "Write report").click("Add").run()
    assert [label for kind, label, _ in page["widgets"] if kind == "checkbox"] == [
        "Buy milk", "Write report"]
    assert page["progress"] == [(0, "0 of 2 done")]

    page = app.set("checkbox", "Buy milk", True).run()
    assert page["progress"] == [(50, "1 of 2 done")]

    page = app.click("Clear completed").run()
    assert [label for kind, label, _ in page["widgets"] if kind == "checkbox"] == [
        "Write report"]

    page = app.set("checkbox", "Write report", True).run()
    assert page["success"] == ["All done!"]


# --- rerunkernel run --------------------------------------------------------------------------


@pytest.mark.parametrize("name, settings, expected", [
    ("data_explorer.py", ["Sort by=city", "Descending=False"], "First by city: **Beijing**, China"),
    ("model_training.py", ["Points=60", "Degree=2"], "scatter chart: 1 series, 60 points"),
    ("signup_form.py", ["Name=Ada", "Plan=Reader"], "Members (0)"),
    ("dashboard.py", ["Region=West", "Period=Last 7 days"], "Best seller: **Notebooks**"),
    ("chart_playground.py", ["Chart=Scatter", "Series=3"], "scatter chart: 3 series, 150 points"),
    ("todo_list.py", ["New task=Buy milk"], "New task: Buy milk"),
])
def test_each_app_runs_with_rerunkernel_run(tmp_path, capsys, monkeypatch, name, settings,
                                            expected):
    app = rewrite(name, tmp_path)
    options = [part for setting in settings for part in ("--set", setting)]
    monkeypatch.chdir(tmp_path)
    code = main(["run", str(app), *options])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert expected in out
    for setting in settings:  # the final screen lists every widget with its value
        assert setting.replace("=", ": ") in out
