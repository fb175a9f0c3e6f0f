"""Columns stack on a narrow screen, as Streamlit's do, unless `wrap=False`: only a browser
can lay them out, at two widths of its window."""

from __future__ import annotations

import json

import pytest
from lab import UI_TIMEOUT, JupyterLab, Notebook
from playwright.sync_api import Locator, Page, expect

WAIT = UI_TIMEOUT * 1000
RERUN = "Rerun Script"

COLUMNS = """\
import rerunkernel as rk

left, right = rk.columns(2)
left.write("stacks left")
right.write("stacks right")
kept_left, kept_right = rk.columns(2, wrap=False)
kept_left.write("kept left")
kept_right.write("kept right")
"""


def notebook_file(source: str) -> str:
    cell = {"cell_type": "code", "id": "cell0", "metadata": {}, "execution_count": None,
            "outputs": [], "source": source}
    return json.dumps({
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "rerun", "display_name": RERUN,
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    })


def side_by_side(text_left: Locator, text_right: Locator) -> bool:
    """Whether the two texts sit on one row (the right one beside the left), once the
    browser has laid them out again; False if the right one is below."""
    left, right = text_left.bounding_box(), text_right.bounding_box()
    assert left is not None and right is not None
    if right["x"] > left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 2:
        return True
    assert right["y"] >= left["y"] + left["height"] - 1, (left, right)
    return False


@pytest.mark.browser
def test_columns_stack_on_a_narrow_screen_unless_told_not_to(page: Page,
                                                              lab: JupyterLab) -> None:
    (lab.root / "columns.ipynb").write_text(notebook_file(COLUMNS))
    notebook = Notebook.open(page, lab, "columns.ipynb", kernel=RERUN)
    notebook.run_all(timeout=60)
    outputs = notebook.output(0)
    texts = {text: outputs.get_by_text(text, exact=True)
             for text in ("stacks left", "stacks right", "kept left", "kept right")}
    for found in texts.values():
        expect(found).to_be_visible(timeout=WAIT)
    wrapping = outputs.locator(".widget-hbox.rk-columns-wrap")
    expect(wrapping).to_have_count(1, timeout=WAIT)

    assert side_by_side(texts["stacks left"], texts["stacks right"])
    assert side_by_side(texts["kept left"], texts["kept right"])

    page.set_viewport_size({"width": 600, "height": 900})  # a phone's width
    page.wait_for_function(
        "row => getComputedStyle(row).flexWrap === 'wrap'",
        arg=wrapping.element_handle(timeout=WAIT), timeout=WAIT,
    )
    texts["stacks right"].scroll_into_view_if_needed()
    assert not side_by_side(texts["stacks left"], texts["stacks right"])
    assert side_by_side(texts["kept left"], texts["kept right"])
