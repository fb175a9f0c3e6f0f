"""`@rk.fragment` in real JupyterLab and Voila pages, in headless Chromium: a widget inside a
fragment redraws the fragment's box alone (docs/ARCHITECTURE.md, "Fragments rerun alone").

The kernel tests (test_fragments_kernel.py) check the messages; only a browser shows that
the widget manager draws a box that grows and shrinks between the cell's other outputs,
and that the outputs no message reached stay on screen as they were.
"""

from __future__ import annotations

import re

import pytest
from lab import UI_TIMEOUT, JupyterLab, Slider, open_in_voila, run_in_lab
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser
WAIT = UI_TIMEOUT * 1000

STAMP = """\
import time, rerunkernel as rk
loaded = time.perf_counter_ns()
rk.write(f'loaded at {loaded}')
"""

SLIDER = """\
@rk.fragment
def part():
    n = rk.slider('n', 0, 10, 1)
    rk.write(f'n is {n}, loaded at {loaded}')

part()
rk.write('after the fragment')
"""

ROWS = """\
import rerunkernel as rk

@rk.fragment
def rows():
    k = rk.number_input('rows', min_value=0, max_value=9, value=1)
    for i in range(k):
        rk.write(f'row {i} of {k}')

rk.write('above the rows')
rows()
rk.write('below the rows')
"""


def started_runs(page: Page) -> int:
    """The kernel's count of runs, asked over the page's own kernel connection with a silent
    request (user_expressions), which runs nothing."""
    text = page.evaluate(
        """async ([expression, timeout]) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const future = kernel.requestExecute({
                code: '', silent: true, store_history: false, allow_stdin: false,
                user_expressions: {value: expression},
            });
            const late = new Promise((_, fail) => setTimeout(
                () => fail(new Error('no execute_reply')), timeout));
            const reply = await Promise.race([future.done, late]);
            const value = reply.content.user_expressions.value;
            return value.status === 'ok' ? value.data['text/plain']
                                         : `${value.ename}: ${value.evalue}`;
        }""",
        ["get_ipython().kernel.notebook_session.started_runs", WAIT],
    )
    return int(text)


def same_node(page: Page, before: object, now: Locator) -> None:
    """Wait until `now` is the very element `before` was, still on the page: not drawn again."""
    page.wait_for_function(
        "([before, now]) => before.isConnected && before === now",
        arg=[before, now.element_handle(timeout=WAIT)],
        timeout=WAIT,
    )


def test_a_slider_in_a_fragment_redraws_the_fragment_and_nothing_else(
        page: Page, lab: JupyterLab) -> None:
    notebook = run_in_lab(page, lab, "fragment.ipynb", STAMP, SLIDER)
    stamp_output, fragment_output = notebook.output(0), notebook.output(1)
    expect(stamp_output).to_contain_text("loaded at ", timeout=WAIT)
    stamp_text = stamp_output.inner_text()
    loaded = stamp_text.split()[-1]
    expect(fragment_output).to_contain_text(f"n is 1, loaded at {loaded}", timeout=WAIT)
    stamp_node = stamp_output.get_by_text("loaded at ").element_handle(timeout=WAIT)
    after_node = fragment_output.get_by_text("after the fragment").element_handle(timeout=WAIT)
    runs = started_runs(page)

    slider = notebook.slider(1, "n")
    slider.press("ArrowRight")

    expect(slider.readout).to_have_text("2", timeout=WAIT)
    # the fragment ran with the namespace the full run left: the same stamp
    expect(fragment_output).to_contain_text(f"n is 2, loaded at {loaded}", timeout=WAIT)
    expect(fragment_output.get_by_text("n is ")).to_have_count(1)
    notebook.wait_kernel_idle()
    assert started_runs(page) == runs + 1
    # the first cell did not run again, and no output outside the fragment was redrawn
    assert stamp_output.inner_text() == stamp_text
    same_node(page, stamp_node, stamp_output.get_by_text("loaded at "))
    same_node(page, after_node, fragment_output.get_by_text("after the fragment"))
    expect(slider.handle).to_be_focused()


def test_a_fragment_grows_and_shrinks_in_its_box_between_the_cells_other_outputs(
        page: Page, lab: JupyterLab) -> None:
    notebook = run_in_lab(page, lab, "rows.ipynb", ROWS)
    outputs = notebook.output(0)
    number = outputs.locator(".widget-text").filter(
        has=page.locator(".widget-label", has_text="rows")).locator("input")
    expect(number).to_have_value("1", timeout=WAIT)
    box = outputs.locator(".widget-vbox").filter(has=page.locator("input[type=number]"))
    rows = box.get_by_text(re.compile(r"^row \d+ of \d+$"))
    expect(rows).to_have_text(["row 0 of 1"], timeout=WAIT)
    above = outputs.get_by_text("above the rows")
    below = outputs.get_by_text("below the rows")
    above_node = above.element_handle(timeout=WAIT)
    below_node = below.element_handle(timeout=WAIT)

    def set_rows(value: int) -> None:
        number.fill(str(value))
        number.press("Enter")
        expected = [f"row {i} of {value}" for i in range(value)]
        expect(rows).to_have_text(expected, timeout=WAIT)
        notebook.wait_kernel_idle()
        # the text around the fragment is the same element, once, still around the box
        same_node(page, above_node, above)
        same_node(page, below_node, below)
        expect(below).to_have_count(1)
        top, bottom = above.bounding_box(), below.bounding_box()
        inside = box.bounding_box()
        assert top is not None and bottom is not None and inside is not None
        assert top["y"] + top["height"] <= inside["y"] + 1
        assert inside["y"] + inside["height"] <= bottom["y"] + 1

    set_rows(4)
    set_rows(2)
    expect(box.get_by_text("row 3 of")).to_have_count(0)


def test_a_slider_in_a_fragment_redraws_it_in_voila(page: Page, lab: JupyterLab) -> None:
    body = open_in_voila(page, lab, "fragment.ipynb", STAMP, SLIDER)
    expect(body).to_contain_text("n is 1, loaded at ", timeout=WAIT * 2)
    stamp = page.get_by_text("loaded at ").first
    loaded = stamp.inner_text().split()[-1]
    stamp_node = stamp.element_handle(timeout=WAIT)

    view = page.locator(".widget-slider").filter(has=page.locator(".widget-label", has_text="n"))
    slider = Slider(view)
    slider.press("ArrowRight", times=3)
    expect(slider.readout).to_have_text("4", timeout=WAIT)
    expect(body).to_contain_text(f"n is 4, loaded at {loaded}", timeout=WAIT)
    expect(page.get_by_text("n is ")).to_have_count(1)
    same_node(page, stamp_node, page.get_by_text("loaded at ").first)
