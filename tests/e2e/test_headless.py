"""Headless paths: `rerunkernel run`, nbconvert, papermill and plain nbclient."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNELSPEC = {"name": "rerun", "display_name": "Rerun Script", "language": "python"}


def notebook(tmp_path: Path, *sources: str, name: str = "nb.ipynb", tags=None) -> Path:
    cells = [new_code_cell(source) for source in sources]
    for cell, cell_tags in zip(cells, tags or []):
        cell.metadata["tags"] = cell_tags
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNELSPEC
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rerunkernel", "run", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def test_run_prints_the_screen_with_set_values_and_writes_outputs(tmp_path):
    out, html = tmp_path / "out.ipynb", tmp_path / "out.html"
    done = run(str(NOTEBOOKS / "demo.ipynb"), "--set", "x=7", "--set", "rows=2",
               "--output", str(out), "--html", str(html))
    assert done.returncode == 0, done.stderr
    assert "7 squared is 49" in done.stdout
    assert "rows: 2" in done.stdout
    assert "line chart: 2 series" in done.stdout
    saved = nbformat.read(out, as_version=4)
    square = next(c for c in saved.cells if c.get("id") == "square")
    assert square.outputs[1]["data"]["text/plain"] == "7 squared is 49"
    assert "7 squared is 49" in html.read_text()


def test_set_parses_each_widget_type(tmp_path):
    path = notebook(
        tmp_path,
        "import rerunkernel as rk\n"
        "kind = rk.selectbox('kind', ['circle', 'square'], key='shape')\n"
        "filled = rk.checkbox('filled')\n"
        "size = rk.slider('size', 0.0, 5.0, 1.0)\n"
        "span = rk.slider('span', 0, 10, (1, 2))\n"
        "who = rk.text_input('who')\n"
        "rk.write('result:', kind, filled, size, span, who)",
    )
    done = run(str(path), "--set", "shape=square", "--set", "filled=yes", "--set",
               "size=2.5", "--set", "span=3,7", "--set", "who=ada lovelace")
    assert done.returncode == 0, done.stderr
    assert "result: square True 2.5 (3, 7) ada lovelace" in done.stdout


@pytest.mark.parametrize("setting, message", [
    ("nope=1", "no widget is called 'nope' (by label or key); the widgets are: x, frequency, rows"),
    ("x=seven", "--set x=seven: 'seven' is not an int"),
    ("x=500", "500 is not a value in [0, 100]"),
    ("x", "expected LABEL_OR_KEY=VALUE"),
])
def test_bad_set_values_fail_clearly(setting, message):
    done = run(str(NOTEBOOKS / "demo.ipynb"), "--set", setting)
    assert done.returncode != 0
    assert message in done.stderr + done.stdout


def test_run_fails_on_an_error_and_on_a_missing_file(tmp_path):
    path = notebook(tmp_path, "import rerunkernel as rk\nrk.write('ok')",
                    "raise ArithmeticError('no good')")
    done = run(str(path))
    assert done.returncode == 1
    assert "ArithmeticError: no good" in done.stderr
    missing = run(str(tmp_path / "missing.ipynb"))
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_nbconvert_execute(tmp_path):
    path = tmp_path / "demo.ipynb"
    shutil.copy(NOTEBOOKS / "demo.ipynb", path)
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "notebook",
         "--inplace", "--ExecutePreprocessor.kernel_name=rerun", str(path)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(path, as_version=4)
    square = next(c for c in nb.cells if c.get("id") == "square")
    assert square.outputs[1]["data"]["text/plain"] == "0 squared is 0"


def test_papermill_with_parameters(tmp_path):
    path = notebook(tmp_path,
                    "greeting = 'hello'\nrepeat = 1",
                    "import rerunkernel as rk\nrk.write(' '.join([greeting] * repeat))",
                    tags=[["parameters"], []])
    out = tmp_path / "out.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "papermill", "-k", "rerun", str(path), str(out),
         "-p", "greeting", "hi", "-p", "repeat", "3"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(out, as_version=4)
    written = [o["data"]["text/plain"] for c in nb.cells for o in c.get("outputs", [])
               if o.get("output_type") == "display_data"]
    assert written == ["hi hi hi"]


def test_plain_nbclient_in_process(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / "demo.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="rerun").execute()
    square = next(c for c in nb.cells if c.get("id") == "square")
    assert [o["data"]["text/plain"] for o in square.outputs] == ["x: 0", "0 squared is 0"]
    assert "widgets" in nb.metadata  # nbclient stored the widget state for static renderers


def test_run_a_python_app_with_set_values_and_errors(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import rerunkernel as rk\n"
                   "n = rk.number_input('n', 1, 10, 2)\n"
                   "rk.write('reciprocal of', n, 'is', 1 / n)\n"
                   "assert n != 4, 'four is not allowed'\n")
    done = run(str(app), "--set", "n=5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "reciprocal of 5 is 0.2" in done.stdout
    failed = run(str(app), "--set", "n=4", cwd=tmp_path)
    assert failed.returncode == 1
    assert "four is not allowed" in failed.stdout + failed.stderr
    assert f'File "{app}", line 4' in failed.stdout  # the app's real file and line


def test_a_shown_exception_is_not_a_failure(tmp_path):
    path = notebook(tmp_path, "import rerunkernel as rk\ntry:\n    1 / 0\n"
                    "except ZeroDivisionError as error:\n    rk.exception(error)")
    out = tmp_path / "out.ipynb"
    done = subprocess.run([sys.executable, "-m", "papermill", "-k", "rerun", str(path), str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    outputs = nbformat.read(out, as_version=4).cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["display_data"]
    assert "ZeroDivisionError" in outputs[0]["data"]["text/plain"]
