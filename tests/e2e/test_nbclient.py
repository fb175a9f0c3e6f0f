"""Headless execution with Jupyter's own tools: `jupyter execute` (nbclient), run through
the command's app in this process (the `jupyter_execute` fixture)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def texts(cell) -> list[str]:
    return [o.get("data", {}).get("text/plain", "") for o in cell.outputs]


def test_jupyter_execute_stores_readable_outputs(jupyter_execute, tmp_path):
    path = tmp_path / "demo.ipynb"
    shutil.copy(NOTEBOOKS / "demo.ipynb", path)
    jupyter_execute(path)
    nb = nbformat.read(path, as_version=4)
    cells = {c.id: c for c in nb.cells}
    assert texts(cells["square"]) == ["x: 0", "0 squared is 0"]
    assert "0 squared is 0" in cells["square"].outputs[1]["data"]["text/markdown"]
    waves = cells["waves"].outputs
    assert [o["data"]["text/plain"] for o in waves[:2]] == ["frequency: 1.0", "rows: 5"]
    assert "application/vnd.vegalite.v5+json" in waves[2]["data"]
    assert "text/plain" in waves[2]["data"]
    assert "<table" in waves[3]["data"]["text/html"]
    assert "sin" in waves[3]["data"]["text/plain"]
    # widget slots carry a static snapshot next to the live view
    assert "<label>x</label>" in cells["square"].outputs[0]["data"]["text/html"]


def test_jupyter_execute_fails_on_an_error(jupyter_execute, tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("import rerunkernel as rk\nrk.write('before')"),
        new_code_cell("rk.write('here')\nraise RuntimeError('broken cell')"),
        new_code_cell("rk.write('never')"),
    ])
    nb.metadata["kernelspec"] = {"name": "rerun", "display_name": "Rerun Script",
                                 "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(CellExecutionError, match="broken cell"):
        jupyter_execute(path)
