"""`rerunkernel run app.py` in this process (headless/app_run.py): `--set` names and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rerunkernel.headless.app_run import run_app
from rerunkernel.headless.cli import main

BOXED = """\
import rerunkernel as rk
left, right = rk.columns(2)
with left:
    n = rk.number_input('n', 1, 10, 2)
with rk.expander('more'):
    rk.slider('level', key='lvl')
tab, = rk.tabs(['only'])
rk.write('n is', n)
"""


def test_an_unknown_set_name_lists_only_named_widgets(tmp_path: Path):
    app = tmp_path / "app.py"
    app.write_text(BOXED)
    done = run_app(app, {"nosuch": "1"})
    assert done.failure is not None
    assert done.failure.ename == "UnknownWidgetError"
    # columns, expanders and tabs are widgets too, but nothing a --set can name
    assert done.failure.evalue == ("no widget is called 'nosuch' (by label or key); "
                                   "the widgets are: n, lvl")


def run_cli(app: Path, *args: str) -> int:
    return main(["run", str(app), *args])


@pytest.mark.parametrize("ending, status", [
    ("sys.exit(3)", 3),
    ("sys.exit('no data')", 1),  # any other object: python prints it and exits 1
])
def test_sys_exit_with_a_failing_code_is_the_exit_status(tmp_path: Path, capsys, ending, status):
    app = tmp_path / "app.py"
    app.write_text(f"import sys\nimport rerunkernel as rk\nrk.write('before')\n{ending}\n"
                   "rk.write('after')\n")
    assert run_cli(app) == status
    out, err = capsys.readouterr()
    assert out.startswith("before\n") and "after" not in out
    code = ending.removeprefix("sys.exit(").removesuffix(")")
    assert err.endswith(f"failed: SystemExit: app.py called sys.exit({code})\n")


@pytest.mark.parametrize("ending", ["sys.exit(0)", "sys.exit()", "rk.stop()"])
def test_a_script_ending_itself_successfully_exits_0(tmp_path: Path, capsys, ending):
    app = tmp_path / "app.py"
    app.write_text(f"import sys\nimport rerunkernel as rk\nrk.write('before')\n{ending}\n")
    assert run_cli(app) == 0
    out, err = capsys.readouterr()
    assert out.startswith("before\n")
    assert err == ""


def test_an_unknown_set_name_still_fails_a_run_that_exits_0(tmp_path: Path):
    app = tmp_path / "app.py"
    app.write_text("import sys\nimport rerunkernel as rk\nn = rk.slider('n')\nsys.exit(0)\n")
    done = run_app(app, {"nosuch": "1"})
    assert done.failure is not None and done.failure.ename == "UnknownWidgetError"
