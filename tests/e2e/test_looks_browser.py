"""How elements look in real JupyterLab and Chromium: what only a browser can measure.

Charts take the width of their column (and keep it: no resize loop), axes over whole
numbers have whole ticks, no chart makes Vega warn about its version; widget labels sit
above their control, so every slider track starts at the same x, and a slider's value sits
on its label's row above the track's end; a multiselect's chosen options are marked in the
brand colour; `toggle` is a switch; code has a shaded box; a stretched figure is not blown up; the toolbar's button does not
repeat the kernel's name; the launcher shows the kernel's logo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from lab import RERUN, UI_TIMEOUT, JupyterLab, Notebook, run_in_lab
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

WAIT = UI_TIMEOUT * 1000

CHARTS = """\
import altair as alt
import numpy as np
import pandas as pd
import rerunkernel as rk

counts = pd.DataFrame({"up": np.arange(50), "down": np.arange(50)[::-1]})
left, right = rk.columns(2)
left.write("A column of text")
right.line_chart(counts)
rk.line_chart(pd.DataFrame({"visits": [3, 1, 4]}))
rk.altair_chart(alt.Chart(counts).mark_point().encode(x="up", y="down"))
"""

ELEMENTS = """\
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import rerunkernel as rk

rk.slider("x", 0, 10, 3)
rk.slider("a much longer label than the other one", 0, 10, 3)
rk.slider("hidden", 0, 10, 3, label_visibility="collapsed", disabled=True)
rk.text_input("name")
rk.selectbox("flavour", ["vanilla", "chocolate"])
rk.multiselect("toppings", ["nuts", "sprinkles", "cherries"], ["sprinkles"])
express = rk.toggle("express delivery")
rk.write("express" if express else "standard")
rk.code("def square(x):\\n    return x * x")
figure, axes = plt.subplots(figsize=(4, 2))
axes.plot([0, 1, 2])
rk.pyplot(figure)
"""


def open_and_run(page: Page, lab: JupyterLab, name: str, source: str) -> Notebook:
    notebook = run_in_lab(page, lab, name, source)
    expect(notebook.run_status).to_have_attribute("data-state", "idle", timeout=WAIT)
    return notebook


@pytest.fixture
def console(page: Page) -> Iterator[list[str]]:
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(f"[{message.type}] {message.text}")

    page.on("console", keep)
    yield messages
    page.remove_listener("console", keep)


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box(timeout=WAIT)
    assert found is not None, f"{locator} is not displayed"
    return found


def wait_stable_width(notebook: Notebook, marks: Locator) -> float:
    """The chart's width once two reads a second apart agree: a chart and its box that
    resized each other would never agree (and would stop the page answering at all)."""
    stable = notebook.page.wait_for_function(
        """marks => new Promise(resolve => {
            const width = () => marks.getBoundingClientRect().width;
            const first = width();
            setTimeout(() => resolve(first > 0 && width() === first ? first : null), 1000);
        })""",
        arg=marks.element_handle(timeout=WAIT),
        timeout=WAIT,
    )
    return float(stable.json_value())


def axis_labels(notebook: Notebook, cell: int, output: int) -> list[str]:
    """The tick labels Vega drew for a chart that is an output of the cell itself (its
    scenegraph: a canvas has no text to read)."""
    return notebook.probe(
        """([cell, output]) => {
            const area = window.jupyterapp.shell.currentWidget.content.widgets[cell].outputArea;
            const view = area.widgets[output].widgets[1]._result.view;
            const labels = [];
            const walk = item => {
                if (item.mark && item.mark.role === 'axis-label' && item.text !== undefined) {
                    labels.push(String(item.text));
                }
                (item.items || []).forEach(walk);
            };
            walk(view.scenegraph().root);
            return labels;
        }""",
        [cell, output],
    )


@pytest.mark.browser
def test_charts_fit_their_column_and_keep_their_width(
    page: Page, lab: JupyterLab, console: list[str]
) -> None:
    notebook = open_and_run(page, lab, "charts.ipynb", CHARTS)
    outputs = notebook.output(0)
    column = outputs.locator(".widget-hbox > .widget-vbox").nth(1)
    chart = column.locator(".vega-embed canvas.marks")
    expect(chart).to_have_count(1, timeout=WAIT)
    page.wait_for_function(
        "marks => marks.getBoundingClientRect().width > 0 && marks.width > 0",
        arg=chart.element_handle(timeout=WAIT), timeout=WAIT,
    )
    width = wait_stable_width(notebook, chart)
    inside, held = box(column), box(chart)
    # the whole chart, its last point and its legend, is inside the column, and fills it
    assert held["x"] >= inside["x"] and held["x"] + held["width"] <= inside["x"] + \
        inside["width"] + 0.5, (held, inside)
    assert width > 0.75 * inside["width"], (width, inside)
    assert column.evaluate("c => c.scrollWidth <= c.clientWidth")

    # a chart of the cell itself has the cell's width, about twice the column's
    top_level = outputs.locator(
        ":scope > .jp-OutputArea-child > .jp-RenderedVegaCommon5 canvas.marks")
    expect(top_level).to_have_count(2, timeout=WAIT)
    assert wait_stable_width(notebook, top_level.nth(0)) > 1.5 * width

    # 3 visits, 1, 4 against positions 0, 1, 2: whole numbers on both axes
    labels = axis_labels(notebook, 0, 1)
    assert labels and all("." not in label for label in labels), labels
    assert {"0", "1", "2"} <= set(labels), labels

    # Altair writes Vega-Lite 6, which JupyterLab's Vega-Lite 5 warns about if the spec says so
    expect(top_level.nth(1)).to_be_visible()
    warnings = [m for m in console if "Vega" in m or "WARN" in m]
    assert warnings == [], warnings


@pytest.mark.browser
def test_widgets_code_and_figures_look_like_streamlits(page: Page, lab: JupyterLab) -> None:
    notebook = open_and_run(page, lab, "elements.ipynb", ELEMENTS)
    outputs = notebook.output(0)

    # labels above their control: both slider tracks start at the same x, and every
    # labelled widget has the same width
    tracks = outputs.locator(".rk-slider .noUi-target")
    expect(tracks).to_have_count(3, timeout=WAIT)
    short, long = box(tracks.nth(0)), box(tracks.nth(1))
    assert abs(short["x"] - long["x"]) < 1, (short, long)
    assert abs(short["width"] - long["width"]) < 1, (short, long)
    widths = {round(box(outputs.locator(f".rk-{kind}").first)["width"])
              for kind in ("slider", "text-input", "selectbox", "multiselect")}
    assert len(widths) == 1, widths

    # a slider's value on its label's row, right above the track's end, and a track as
    # wide as the inputs (less the room its handles need at both ends): not a value in a
    # box of its own after a shorter track. The value is in the brand colour, and greyed
    # out when the slider is disabled; at the track's end even without a label.
    brand = page.evaluate("""() => {
        const probe = document.createElement('div');
        probe.style.color = 'var(--jp-brand-color1)';
        document.body.append(probe);
        const color = getComputedStyle(probe).color;
        probe.remove();
        return color;
    }""")
    text_input = box(outputs.locator(".rk-text-input input"))
    # (the third slider has a collapsed label and is disabled)
    for i, (labelled, enabled) in enumerate([(True, True), (True, True), (False, False)]):
        slider = outputs.locator(".rk-slider").nth(i)
        readout = slider.locator(".widget-readout")
        value = box(readout)
        track = box(slider.locator(".noUi-target"))
        if labelled:
            label = box(slider.locator(".widget-label"))
            assert abs(value["y"] - label["y"]) < 1, (label, value)
        assert value["y"] + value["height"] <= track["y"], (value, track)
        assert abs(value["x"] + value["width"] - (track["x"] + track["width"])) <= 8, \
            (value, track)
        assert track["width"] >= text_input["width"] - 16, (track, text_input)
        colour = readout.evaluate("r => getComputedStyle(r).color")
        assert (colour == brand) == enabled, (i, colour, brand)

    # a drop-down is as tall as a text input
    dropdown = box(outputs.locator(".rk-selectbox select"))
    assert abs(dropdown["height"] - text_input["height"]) < 1, (dropdown, text_input)

    # a multiselect's options have room around them, and the chosen one is marked in the
    # brand colour (the browser's own mark turns a grey that reads as disabled once the
    # list loses focus)
    options = outputs.locator(".rk-multiselect select option")
    expect(options).to_have_count(3)
    style = "o => { const s = getComputedStyle(o); " \
        "return [s.backgroundColor, s.color, parseFloat(s.paddingLeft)]; }"
    chosen_face, chosen_text, _ = options.nth(1).evaluate(style)
    other_face, other_text, room = options.nth(0).evaluate(style)
    assert chosen_face == brand, (chosen_face, brand)
    assert other_face != brand and chosen_text != other_text, (other_face, other_text)
    assert room >= 8, room

    # `toggle` is a switch: no button face, a track that turns the brand colour when on
    toggle = outputs.locator(".rk-toggle")
    face = toggle.evaluate("t => getComputedStyle(t).backgroundColor")
    assert face == "rgba(0, 0, 0, 0)", face
    track_off = toggle.evaluate("t => getComputedStyle(t, '::before').backgroundColor")
    toggle.click()
    expect(outputs).to_contain_text("express", timeout=WAIT)
    expect(toggle).to_have_class(re.compile(r"\bmod-active\b"))
    track_on = toggle.evaluate("t => getComputedStyle(t, '::before').backgroundColor")
    assert track_on != track_off, (track_off, track_on)

    # code on a shaded box
    code = outputs.locator(".jp-RenderedMarkdown pre").filter(has_text="def square")
    shade = code.evaluate("pre => getComputedStyle(pre).backgroundColor")
    assert shade not in ("rgba(0, 0, 0, 0)", "transparent"), shade

    # a 4-inch figure is drawn at most at its own size (400 px at 100 dpi), not the cell's
    figure = outputs.locator("img[alt='matplotlib figure']")
    expect(figure).to_be_visible(timeout=WAIT)
    drawn = box(figure)["width"]
    assert 0 < drawn <= 410, drawn
    assert drawn < 0.6 * box(outputs)["width"]

    # the toolbar's button does not repeat the kernel's name next to it
    label = notebook.toolbar_item("rerun-script").locator(".jp-ToolbarButtonComponent-label")
    expect(label).to_have_text("Rerun")
    expect(notebook.kernel_name).to_have_text(RERUN)


@pytest.mark.browser
def test_the_launcher_shows_the_kernel_logo(page: Page, lab: JupyterLab) -> None:
    page.goto(lab.url("lab"), timeout=WAIT)
    card = page.locator(".jp-LauncherCard", has_text=RERUN).first
    expect(card).to_be_visible(timeout=WAIT)
    logo = card.locator(".jp-LauncherCard-icon img")
    expect(logo).to_have_count(1)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=logo.element_handle(timeout=WAIT), timeout=WAIT)
    expect(card.locator(".jp-LauncherCard-noKernelIcon")).to_have_count(0)
