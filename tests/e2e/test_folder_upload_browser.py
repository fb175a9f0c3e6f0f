"""A folder upload in JupyterLab: the browser's folder picker sends the folder's files of
the accepted types, and the script reads them as any upload."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab import UI_TIMEOUT, JupyterLab, Notebook
from playwright.sync_api import Page, expect

WAIT = UI_TIMEOUT * 1000
RERUN = "Rerun Script"

FOLDER = """\
import rerunkernel as rk

files = rk.file_uploader("Pictures", accept_multiple_files="directory", type=["png"])
rk.write(f"got: {sorted((f.name, f.size) for f in files)}")
"""


@pytest.mark.browser
def test_a_folder_picked_in_the_browser_reaches_the_script(page: Page, lab: JupyterLab,
                                                           tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "cat.png").write_bytes(b"\x89PNG cat")
    (folder / "dog.png").write_bytes(b"\x89PNG")
    (folder / "notes.txt").write_text("not a picture")
    cell = {"cell_type": "code", "id": "cell0", "metadata": {}, "execution_count": None,
            "outputs": [], "source": FOLDER}
    (lab.root / "folder.ipynb").write_text(json.dumps({
        "cells": [cell], "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "rerun", "display_name": RERUN,
                                    "language": "python"}}}))
    notebook = Notebook.open(page, lab, "folder.ipynb", kernel=RERUN)
    notebook.run_all(timeout=60)
    outputs = notebook.output(0)
    expect(outputs.get_by_text("got: []")).to_be_visible(timeout=WAIT)
    button = outputs.get_by_role("button", name="📁 Pictures (0)")
    expect(button).to_be_visible(timeout=WAIT)
    picker = outputs.locator("input[type=file][webkitdirectory]")
    picker.set_input_files(folder)
    expect(outputs.get_by_text("got: [('cat.png', 8), ('dog.png', 4)]")).to_be_visible(
        timeout=WAIT)
    expect(outputs.get_by_role("button", name="📁 Pictures (2)")).to_be_visible(timeout=WAIT)
