"""Headless paths: `rerunkernel run`, nbconvert, papermill and plain nbclient."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNELSPEC = {"name": "rerun", "display_name": "Rerun Script", "language": "python"}


def notebook(tmp_path: Path, *sources: str, name: str = "nb.ipynb", tags=None) -> Path:
    cells = [new_code_cell(source) for source in sources]
    for cell, cell_tags in zip(cells, tags or [], strict=False):
        cell.metadata["tags"] = cell_tags
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNELSPEC
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


# long enough for any run here on a loaded machine; a hang (the bug) ends the test with
# TimeoutExpired instead of blocking the suite
HANG = 120

# the demo's widgets without its pandas and numpy: what a run of it says about `--set`,
# for the cost of a kernel start alone
SLIDERS = (
    "import rerunkernel as rk",
    "x = rk.slider('x')\nrk.write(x, 'squared is', x * x)",
    "frequency = rk.slider('frequency', 0.5, 5.0, 1.0)\nrows = rk.slider('rows', 1, 20, 5)",
)


def sliders(tmp_path: Path) -> Path:
    path = notebook(tmp_path, *SLIDERS, name="sliders.ipynb")
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].id = "square"
    nbformat.write(nb, path)
    return path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m rerunkernel run`: for what only a process of its own shows (its exit, its
    pid, a SIGALRM timer pytest-timeout would share)."""
    return subprocess.run([sys.executable, "-m", "rerunkernel", "run", *args],
                          capture_output=True, text=True, timeout=HANG, cwd=cwd)


def old_notebook(tmp_path: Path, *sources: str) -> Path:
    """A notebook as nbformat 4.4 and older saved them: no cell ids."""
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": source} for source in sources]
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 4, "cells": cells,
                                "metadata": {"kernelspec": KERNELSPEC}}))
    return path


def test_run_prints_the_screen_with_set_values_and_writes_outputs(tmp_path):
    out, html = tmp_path / "out.ipynb", tmp_path / "out.html"
    done = run(str(NOTEBOOKS / "demo.ipynb"), "--set", "x=7", "--set", "rows=2",
               "--output", str(out), "--html", str(html))
    assert done.returncode == 0, done.stderr
    assert "Parent appears to have exited" not in done.stderr  # the kernel was shut down
    assert "7 squared is 49" in done.stdout
    assert "rows: 2" in done.stdout
    assert "line chart: 2 series" in done.stdout
    saved = nbformat.read(out, as_version=4)
    square = next(c for c in saved.cells if c.get("id") == "square")
    assert square.outputs[1]["data"]["text/plain"] == "7 squared is 49"
    assert "7 squared is 49" in html.read_text()


def test_set_parses_each_widget_type(run_here, tmp_path):
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
    done = run_here(str(path), "--set", "shape=square", "--set", "filled=yes", "--set",
               "size=2.5", "--set", "span=3,7", "--set", "who=ada lovelace")
    assert done.returncode == 0, done.stderr
    assert "result: square True 2.5 (3, 7) ada lovelace" in done.stdout


@pytest.mark.parametrize("setting, message", [
    ("nope=1", "no widget is called 'nope' (by label or key); the widgets are: x, frequency, rows"),
    ("x=seven", "--set x=seven: 'seven' is not an int"),
    ("x=500", "500 is not a value in [0, 100]"),
    ("x", "expected LABEL_OR_KEY=VALUE"),
])
def test_bad_set_values_fail_clearly(run_here, tmp_path, setting, message):
    done = run_here(str(sliders(tmp_path)), "--set", setting)
    assert done.returncode != 0
    assert message in done.stderr
    assert done.stdout == ""  # the error alone, not the whole notebook before it


def test_set_works_in_a_notebook_without_cell_ids(run_here, tmp_path):
    path = old_notebook(tmp_path, "import rerunkernel as rk\nx = rk.slider('x', 0, 10, 1)",
                        "rk.write('x is', x)")
    out = tmp_path / "out.ipynb"
    done = run_here(str(path), "--set", "x=7", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert "x is 7" in done.stdout
    saved = json.loads(out.read_text())
    assert [c.get("id") for c in saved["cells"]] == [None, None]  # cells kept as they were
    nbformat.validate(nbformat.reads(out.read_text(), as_version=4))
    unknown = run_here(str(path), "--set", "nosuch=1")
    assert unknown.returncode == 1
    assert "no widget is called 'nosuch' (by label or key); the widgets are: x" in unknown.stderr


def test_mode_takes_the_notebooks_own_or_the_one_given(run_here, tmp_path):
    path = notebook(tmp_path, "%rerun_mode")
    assert "rerun mode: all" in run_here(str(path)).stdout
    assert "rerun mode: changed" in run_here(str(path), "--mode", "changed").stdout
    nb = nbformat.read(path, as_version=4)
    nb.metadata["rerunkernel"] = {"mode": "changed"}
    nbformat.write(nb, path)
    assert "rerun mode: changed" in run_here(str(path)).stdout


def test_a_dead_kernel_fails_the_run_at_once(run_here, tmp_path):
    path = notebook(tmp_path, "import rerunkernel as rk\nrk.write('drawn before')",
                    "import os\nos._exit(3)", "rk.write('never')")
    done = run_here(str(path))
    assert done.returncode == 1
    assert "drawn before" in done.stdout
    assert "DeadKernelError: the kernel died (exit code 3) while running cell 2" in done.stderr


def test_a_kernel_that_does_not_start_fails_clearly(run_here, tmp_path, monkeypatch):
    path = notebook(tmp_path, "print('never')")
    spec = tmp_path / "kernels" / "broken"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import sys; sys.exit(5)", "{connection_file}"],
        "display_name": "Broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    done = run_here(str(path), "--kernel", "broken")
    assert done.returncode == 1
    assert "failed: RuntimeError: the 'broken' kernel did not start: Kernel died" in done.stderr
    assert "Traceback" not in done.stderr
    missing = run_here(str(path), "--kernel", "nosuch")
    assert missing.returncode == 1
    assert "the 'nosuch' kernel did not start: No such kernel named nosuch" in missing.stderr


def test_timeout_stops_a_long_cell(run_here, tmp_path):
    path = notebook(tmp_path, "import rerunkernel as rk\nrk.write('drawn before')",
                    "import time\ntime.sleep(600)")
    # (a timeout that leaves the first cell ample time on a loaded machine)
    done = run_here(str(path), "--timeout", "5")
    assert done.returncode == 1
    assert "drawn before" in done.stdout
    assert "CellTimeoutError: cell 2" in done.stderr
    assert "ran longer than --timeout 5 s" in done.stderr


def test_run_fails_on_an_error_and_on_a_missing_file(run_here, tmp_path):
    path = notebook(tmp_path, "import rerunkernel as rk\nrk.write('ok')",
                    "raise ArithmeticError('no good')")
    done = run_here(str(path))
    assert done.returncode == 1
    assert "ArithmeticError: no good" in done.stderr
    missing = run_here(str(tmp_path / "missing.ipynb"))
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_nbconvert_execute(tmp_path):
    path = sliders(tmp_path)
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
    # papermill's API in this process: what its command runs, without a Python start
    papermill.execute_notebook(str(path), str(out), kernel_name="rerun", progress_bar=False,
                               parameters={"greeting": "hi", "repeat": 3})
    nb = nbformat.read(out, as_version=4)
    written = [o["data"]["text/plain"] for c in nb.cells for o in c.get("outputs", [])
               if o.get("output_type") == "display_data"]
    assert written == ["hi hi hi"]


def test_plain_nbclient_in_process(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(sliders(tmp_path), as_version=4)
    NotebookClient(nb, kernel_name="rerun").execute()
    square = next(c for c in nb.cells if c.get("id") == "square")
    assert [o["data"]["text/plain"] for o in square.outputs] == ["x: 0", "0 squared is 0"]
    assert "widgets" in nb.metadata  # nbclient stored the widget state for static renderers


def test_run_a_python_app_with_set_values_and_errors(run_here, tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import rerunkernel as rk\n"
                   "n = rk.number_input('n', 1, 10, 2)\n"
                   "rk.write('reciprocal of', n, 'is', 1 / n)\n"
                   "assert n != 4, 'four is not allowed'\n")
    done = run_here(str(app), "--set", "n=5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "reciprocal of 5 is 0.2" in done.stdout
    failed = run_here(str(app), "--set", "n=4", cwd=tmp_path)
    assert failed.returncode == 1
    assert "four is not allowed" in failed.stdout + failed.stderr
    assert f'File "{app}", line 4' in failed.stdout  # the app's real file and line


APP = """\
import rerunkernel as rk
n = rk.number_input('n', 1, 10, 2)
print('printed', n)
left, right = rk.columns(2)
with left:
    rk.write('left side')
with rk.expander('more'):
    rk.write('inside', n * 2)
rk.write('reciprocal of', n, 'is', 1 / n)
assert n != 4, 'four is not allowed'
"""


def test_a_python_app_runs_in_process_with_the_screen_of_a_kernel_run(run_here, tmp_path):
    app = tmp_path / "app.py"
    app.write_text(APP)
    here = run_here(str(app), "--set", "n=5", cwd=tmp_path)
    kernel = run_here(str(app), "--set", "n=5", "--kernel", "rerun", cwd=tmp_path)
    assert here.returncode == kernel.returncode == 0, here.stderr + kernel.stderr
    assert "reciprocal of 5 is 0.2" in here.stdout
    assert here.stdout == kernel.stdout
    here = run_here(str(app), "--set", "n=4", cwd=tmp_path)
    kernel = run_here(str(app), "--set", "n=4", "--kernel", "rerun", cwd=tmp_path)
    assert here.returncode == kernel.returncode == 1
    assert f"rerunkernel run: {app} failed: AssertionError: four is not allowed" in here.stderr
    assert "AssertionError: four is not allowed" in kernel.stderr
    # the screen up to the app's traceback is the same (the kernel run adds the magic's)
    assert kernel.stdout.startswith(here.stdout.rstrip("\n"))


@pytest.mark.parametrize("setting, message", [
    ("nosuch=1", "UnknownWidgetError: no widget is called 'nosuch' (by label or key); "
                 "the widgets are: n"),
    ("n=x", "PresetError: --set n=x: 'x' is not an int"),
])
def test_bad_set_values_of_an_in_process_app(run_here, tmp_path, setting, message):
    app = tmp_path / "app.py"
    app.write_text(APP)
    done = run_here(str(app), "--set", setting, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"rerunkernel run: {app} failed: {message}\n"
    assert done.stdout == ""


def test_an_unknown_set_name_reads_the_same_through_a_kernel(run_here, tmp_path):
    app = tmp_path / "app.py"
    app.write_text(APP)
    here = run_here(str(app), "--set", "nosuch=1", cwd=tmp_path)
    kernel = run_here(str(app), "--set", "nosuch=1", "--kernel", "rerun", cwd=tmp_path)
    assert here.returncode == kernel.returncode == 1
    assert kernel.stderr == here.stderr == (
        f"rerunkernel run: {app} failed: UnknownWidgetError: no widget is called 'nosuch' "
        "(by label or key); the widgets are: n\n")


def test_sys_exit_of_an_app_run_through_a_kernel_is_the_exit_status(run_here, tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import sys\nimport rerunkernel as rk\nrk.write('before')\nsys.exit(3)\n")
    done = run_here(str(app), "--kernel", "rerun", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stdout.startswith("before\n")
    assert done.stderr.endswith(f"rerunkernel run: {app} failed: SystemExit: "
                                "app.py called sys.exit(3)\n")


def test_a_python_app_runs_in_this_process_like_python(tmp_path):
    app = tmp_path / "app.py"
    (tmp_path / "helper.py").write_text("WHERE = 'helper next to the app'\n")
    app.write_text("import os, sys\nimport rerunkernel as rk\nfrom helper import WHERE\n"
                   "rk.write('pid', os.getpid())\nrk.write(WHERE, os.getcwd(), sys.argv[0])\n")
    process = subprocess.Popen([sys.executable, "-m", "rerunkernel", "run", str(app)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate(timeout=HANG)
    assert process.returncode == 0, stderr
    assert f"pid {process.pid}" in stdout  # no kernel process ran it
    assert f"helper next to the app {tmp_path} {app}" in stdout


def test_timeout_stops_an_in_process_app(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import time\nimport rerunkernel as rk\nrk.write('drawn before')\n"
                   "try:\n    time.sleep(600)\nexcept Exception:\n    rk.write('swallowed')\n")
    done = run(str(app), "--timeout", "3")
    assert done.returncode == 1
    assert "drawn before" in done.stdout
    assert "swallowed" not in done.stdout
    assert "CellTimeoutError: app.py ran longer than --timeout 3 s" in done.stderr


def test_a_shown_exception_is_not_a_failure(tmp_path):
    path = notebook(tmp_path, "import rerunkernel as rk\ntry:\n    1 / 0\n"
                    "except ZeroDivisionError as error:\n    rk.exception(error)")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(path), str(out), kernel_name="rerun", progress_bar=False)
    outputs = nbformat.read(out, as_version=4).cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["display_data"]
    assert "ZeroDivisionError" in outputs[0]["data"]["text/plain"]
