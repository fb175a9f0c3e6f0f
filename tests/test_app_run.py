"""`rerunkernel run app.py` in this process (app_run.py): `--set` names and exit codes."""

from __future__ import annotations

from pathlib import Path

from rerunkernel.app_run import run_app

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
