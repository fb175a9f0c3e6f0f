"""Jupyter clients that send no cellId: jupyter console (jupyter_client as it drives the kernel),
nbclient with allow_errors, testbook, jupyter_kernel_test's conformance suite, nbval, papermill.

They read Jupyter's standard messages (kernel/standard_output.py) and expect a failed input to be
forgotten, as python3 does (kernel/rerun_kernel.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jupyter_kernel_test
import nbformat
import pytest
from frontend import KernelDriver
from nbformat.v4 import new_code_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNELSPEC = {"name": "rerun", "display_name": "Rerun Script", "language": "python"}


@pytest.fixture(scope="module")
def console() -> Iterator[KernelDriver]:
    driver = KernelDriver("rerun")
    try:
        yield driver
    finally:
        driver.shutdown()


def messages(driver: KernelDriver, code: str) -> tuple[dict, list[dict]]:
    """Execute as jupyter console does (no cellId); the reply and the request's outputs."""
    start = len(driver.page.log)
    reply = driver.execute(code, cell=None)
    outputs = [m for m in driver.page.log[start:]
               if m["msg_type"] not in ("status", "execute_input")]
    return reply, outputs


def kinds(outputs: list[dict]) -> list[str]:
    return [m["msg_type"] for m in outputs]


def test_console_goes_on_after_an_error_as_python3_does(console):
    reply, _ = messages(console, "import rerunkernel as rk\nruns = []\nbase = 40")
    assert reply["status"] == "ok"
    reply, outputs = messages(console, "runs.append('typo')\nprnt(base)")
    assert reply["status"] == "error" and reply["ename"] == "NameError"
    assert kinds(outputs) == ["error"]
    # the typo is not part of the script: the next input runs, once, on what came before
    reply, outputs = messages(console, "base + 2")
    assert reply["status"] == "ok", reply
    assert kinds(outputs) == ["execute_result"]
    assert outputs[0]["content"]["data"]["text/plain"] == "42"
    reply, outputs = messages(console, "runs")
    assert outputs[0]["content"]["data"]["text/plain"] == "['typo']"


def test_console_gets_streams_execute_result_out_and_clear_output(console):
    reply, outputs = messages(console, "import sys\nprint('to stdout')\n"
                                       "print('to stderr', file=sys.stderr)\n6 * 7")
    count = reply["execution_count"]
    assert kinds(outputs) == ["stream", "stream", "execute_result"]
    assert [(m["content"]["name"], m["content"]["text"]) for m in outputs[:2]] == [
        ("stdout", "to stdout\n"), ("stderr", "to stderr\n")]
    assert outputs[2]["content"]["execution_count"] == count
    assert outputs[2]["content"]["data"]["text/plain"] == "42"
    last = "get_ipython().last_execution_result"
    _, outputs = messages(console, f"(Out[{count}], _, {last}.execution_count, {last}.result)")
    assert outputs[0]["content"]["data"]["text/plain"] == f"(42, 42, {count}, 42)"

    _, outputs = messages(console, "from IPython.display import clear_output\n"
                                   "print('gone')\nclear_output()\nrk.write('kept')")
    assert kinds(outputs) == ["stream", "clear_output", "display_data"]
    assert outputs[2]["content"]["data"]["text/plain"] == "kept"

    _, outputs = messages(console, "rk.slider('not shown as a value')")
    assert "execute_result" not in kinds(outputs)


def test_a_rerunning_cells_last_expression_is_out_and_underscore(console):
    reply = console.execute("6 * 7", cell="answer")
    assert reply["status"] == "ok"
    shown = console.page.outputs["answer"]
    assert [(o.output_type, o.text) for o in shown] == [("display_data", "42")]
    count = reply["execution_count"]
    assert console.inspect(f"(Out[{count}], _)") == "(42, 42)"


def test_nbclient_with_allow_errors_runs_each_cell_once(tmp_path):
    from nbclient import NotebookClient

    log = tmp_path / "ran.txt"
    nb = new_notebook(cells=[
        new_code_cell(f"open({str(log)!r}, 'a').write('first\\n')"),
        new_code_cell("1 / 0"),
        new_code_cell(f"open({str(log)!r}, 'a').write('third\\n')\nprint('after the error')"),
    ], metadata={"kernelspec": KERNELSPEC})
    NotebookClient(nb, kernel_name="rerun", allow_errors=True, timeout=60).execute()
    assert log.read_text() == "first\nthird\n"
    assert nb.cells[1].outputs[0]["output_type"] == "error"
    assert nb.cells[2].outputs == [
        {"output_type": "stream", "name": "stdout", "text": "after the error\n"}]


def test_testbook_reads_values_and_patches(tmp_path):
    from testbook import testbook

    path = tmp_path / "lib.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("import rerunkernel as rk\nx = rk.slider('x', 0, 10, 3)"),
        new_code_cell("def square(n):\n    return n * n\nrk.write(x, 'squared is', square(x))"),
        new_code_cell("import os\ndef cwd():\n    return os.getcwd()"),
    ], metadata={"kernelspec": KERNELSPEC}), path)
    with testbook(path, execute=True, kernel_name="rerun") as tb:
        assert tb.ref("x") == 3
        assert tb.value("square(x)") == 9
        assert tb.ref("square")(5) == 25
        assert "3 squared is 9" in tb.cell_output_text(1)
        injected = tb.inject("print(square(4))")
        assert injected.outputs[0]["text"] == "16\n"
        with pytest.raises(Exception, match="ZeroDivisionError"):
            tb.inject("1 / 0")
        assert tb.value("x + 1") == 4
        with tb.patch("os.getcwd", return_value="/patched"):
            assert tb.ref("cwd")() == "/patched"


class TestKernelConformance(jupyter_kernel_test.KernelTests):
    """jupyter_kernel_test's suite, with the samples ipykernel uses for python3."""

    kernel_name = "rerun"
    language_name = "python"
    file_extension = ".py"
    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('test', file=sys.stderr)"
    completion_samples = [{"text": "zi", "matches": {"zip"}}]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]
    incomplete_code_samples = ['print("hello', "def f(x):\n  x*2"]
    invalid_code_samples = ["import = 7q"]
    code_page_something = "zip?"
    code_generate_error = "raise"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(1, 4)]", "result": "[1, 4, 9]"},
    ]
    code_display_data = [
        {"code": "from IPython.display import HTML, display; display(HTML('<b>test</b>'))",
         "mime": "text/html"},
        {"code": "from IPython.display import Math, display; display(Math('\\\\frac{1}{2}'))",
         "mime": "text/latex"},
    ]
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "search")
    code_inspect_sample = "zip"
    code_clear_output = "from IPython.display import clear_output; clear_output()"


def nbval_started(*args: str, cwd: Path) -> subprocess.Popen:
    """pytest with nbval as its one plugin: the others installed here (xdist, hypothesis,
    anyio, ...) have no part in a notebook's run, and importing them doubles pytest's start."""
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "nbval.plugin", "-p", "no:cacheprovider",
         "-q", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env,
    )


def finished(process: subprocess.Popen) -> subprocess.CompletedProcess:
    try:
        stdout, stderr = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def nbval(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return finished(nbval_started(*args, cwd=cwd))


@pytest.mark.slow  # four notebook runs in two pytest processes
def test_nbval_passes_the_notebooks_in_both_modes(tmp_path):
    notebooks = [str(NOTEBOOKS / "demo.ipynb"), str(NOTEBOOKS / "gallery.ipynb")]
    # side by side: each mostly waits on its kernels
    runs = [nbval_started(mode, *notebooks, cwd=tmp_path) for mode in ("--nbval-lax", "--nbval")]
    try:
        for run in runs:
            done = finished(run)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
            assert " passed" in done.stdout and "failed" not in done.stdout
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()


def test_nbval_fails_an_error_honours_raises_exception_and_goes_on(tmp_path):
    expected = new_code_cell("1 / 0")
    expected.metadata["tags"] = ["raises-exception"]
    path = tmp_path / "errors.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("import rerunkernel as rk\nvalue = 1"),
        expected,
        new_code_cell("assert value == 1\nrk.write('went on')"),
        new_code_cell("missing_name"),
        new_code_cell("uses = missing_name + 1"),
        new_code_cell("assert value == 1"),
    ], metadata={"kernelspec": KERNELSPEC}), path)
    done = nbval("--nbval-lax", "-rA", str(path), cwd=tmp_path)
    report = done.stdout
    assert done.returncode == 1, report
    assert "2 failed, 4 passed" in report, report
    assert "FAILED errors.ipynb::Cell 3" in report and "FAILED errors.ipynb::Cell 4" in report
    assert "PASSED errors.ipynb::Cell 5" in report


def test_papermill_parameters_preset_the_widgets_they_name(tmp_path):
    import papermill

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "demo.ipynb"), str(out), kernel_name="rerun",
                               parameters={"rows": 20, "x": 7}, progress_bar=False,
                               cwd=str(tmp_path))
    cells = {c.get("id"): c for c in nbformat.read(out, as_version=4).cells}
    square = [o["data"]["text/plain"] for o in cells["square"].outputs]
    assert square == ["x: 7", "7 squared is 49"]
    waves = cells["waves"].outputs
    assert [o["data"]["text/plain"] for o in waves[:2]] == ["frequency: 1.0", "rows: 20"]
    assert waves[3]["data"]["text/html"].split("<tbody>")[1].count("<tr") == 20
