"""`%rerun_mode changed` in-process: which cells are reused, and that reuse is exact."""

from __future__ import annotations

import builtins

import pytest

from rerunkernel.core.reuse import ModeError, code_info, marker
from rerunkernel.testing import AppTest

MAKE = """
import builtins
import rerunkernel as rk
builtins.made += 1
data = [1, 2, 3]
"""
ADJUST = """
builtins.adjusted += 1
data.append(10)
"""
SHOW = """
x = rk.slider('x', 0, 10, 1)
rk.write('sum', sum(data) * x)
"""


@pytest.fixture(autouse=True)
def counters():
    builtins.made = builtins.adjusted = 0
    yield
    del builtins.made, builtins.adjusted


def app(*sources: str, mode: str = "changed") -> AppTest:
    return AppTest.from_cells(*sources, mode=mode).run()


def edit(at: AppTest, index: int, source: str) -> AppTest:
    at.session.script.cells[index].source = source
    return at.run()


def reused(at: AppTest) -> list[str]:
    return [c.id for c in at.result.reused]


def test_a_widget_move_runs_only_its_cell_and_keeps_the_in_place_change_once():
    at = app(MAKE, ADJUST, SHOW)
    assert at.markdown.values == ["sum 16"]
    at.slider("x").set_value(3).run()
    assert at.markdown.values == ["sum 48"]
    assert reused(at) == ["cell-0", "cell-1"]
    assert (builtins.made, builtins.adjusted) == (1, 1)
    assert at.namespace["data"] == [1, 2, 3, 10]
    assert at.session.reuse.last_summary.startswith("1 cell ran, 2 reused, ")


def test_all_mode_runs_everything():
    at = app(MAKE, ADJUST, SHOW, mode="all")
    at.slider("x").set_value(3).run()
    assert reused(at) == []
    assert (builtins.made, builtins.adjusted) == (2, 2)
    assert at.namespace["data"] == [1, 2, 3, 10]


def test_editing_the_in_place_step_never_applies_it_twice():
    at = app(MAKE, ADJUST, SHOW)
    edit(at, 1, ADJUST.replace("10", "20"))
    # the list cell 0 made was changed by the old cell 1: cell 0 runs again (no copy yet)
    assert at.namespace["data"] == [1, 2, 3, 20]
    assert at.markdown.values == ["sum 26"]
    assert (builtins.made, builtins.adjusted) == (2, 2)
    edit(at, 1, ADJUST.replace("10", "30"))
    # now cell 0 kept a private copy of what it made: reused, and still exact
    assert reused(at) == ["cell-0"]
    assert at.namespace["data"] == [1, 2, 3, 30]
    assert at.markdown.values == ["sum 36"]
    assert builtins.made == 2
    at.slider("x").set_value(2).run()
    assert at.namespace["data"] == [1, 2, 3, 30]
    assert at.markdown.values == ["sum 72"]


def test_a_comment_or_blank_line_keeps_the_cell_reused_a_code_edit_does_not():
    at = app(MAKE, ADJUST, SHOW)
    edit(at, 0, "# the data\n" + MAKE + "\n\n")
    assert reused(at) == ["cell-0", "cell-1", "cell-2"]
    edit(at, 0, MAKE.replace("[1, 2, 3]", "[1, 2]"))
    assert reused(at) == []
    assert at.markdown.values == ["sum 13"]


def test_a_cell_below_a_rerun_cell_is_reused_when_its_inputs_are_equal():
    at = app("import rerunkernel as rk\nn = rk.slider('n', 0, 10, 1)\nparity = n % 2",
             "import builtins\nbuiltins.made += 1\nlabel = 'odd' if parity else 'even'",
             "rk.write(label)")
    assert at.markdown.values == ["odd"]
    at.slider("n").set_value(3).run()
    assert reused(at) == ["cell-1", "cell-2"]
    assert builtins.made == 1
    at.slider("n").set_value(4).run()
    assert at.markdown.values == ["even"]
    assert builtins.made == 2


def test_functions_read_their_globals_from_this_run():
    at = app("def scaled(v):\n    return v * factor",
             "import rerunkernel as rk\nfactor = rk.slider('f', 0, 10, 2)",
             "rk.write('scaled', scaled(3))")
    at.slider("f").set_value(5).run()
    assert reused(at) == ["cell-0"]
    assert at.markdown.values == ["scaled 15"]


def test_reading_through_a_function_counts_as_reading():
    at = app("import builtins\nitems = []",
             "def add():\n    items.append(1)",
             "import rerunkernel as rk\nk = rk.slider('k', 0, 5, 1)",
             "builtins.made += 1\nadd()\nrk.write(len(items))")
    assert at.markdown.values == ["1"]
    at.slider("k").set_value(2).run()
    # cell 3 reads `items` through add(): items was made again, so it runs on the new list
    assert at.markdown.values == ["1"]


def test_errors_and_unhashable_inputs_are_never_reused_and_say_why():
    at = app("import threading, rerunkernel as rk\nlock = threading.Lock()",
             "held = lock.locked()",
             "v = rk.slider('v', 0, 3, 1)\nif v == 2:\n    raise ValueError('two')",
             "rk.write('fine', v)")
    assert at.session.reuse.why("cell-0").startswith("binds 'lock', which can't be hashed")
    assert at.session.reuse.why("cell-1").startswith("reads 'lock', which can't be hashed")
    at.slider("v").set_value(2).run()
    assert at.session.reuse.why("cell-2") == "raised ValueError"
    assert reused(at) == []
    at.slider("v").set_value(3).run()
    assert at.markdown.values == ["fine 3"]


def test_files_read_listed_and_missing(tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("one")
    at = app(f"import os, builtins, rerunkernel as rk\nfolder = {str(tmp_path)!r}",
             "builtins.made += 1\n"
             "text = open(os.path.join(folder, 'data.txt')).read()\n"
             "names = sorted(os.listdir(folder))\n"
             "try:\n    extra = open(os.path.join(folder, 'extra.txt')).read()\n"
             "except FileNotFoundError:\n    extra = None",
             "k = rk.slider('k', 0, 5, 1)\nrk.write(text, names, extra, k)")
    at.slider("k").set_value(2).run()
    assert builtins.made == 1
    data.write_text("two")
    at.slider("k").set_value(3).run()
    assert builtins.made == 2
    assert "two" in at.markdown.values[0]
    (tmp_path / "other.txt").write_text("")
    at.slider("k").set_value(4).run()
    assert builtins.made == 3
    (tmp_path / "extra.txt").write_text("here")
    at.slider("k").set_value(5).run()
    assert builtins.made == 4
    assert "here" in " ".join(at.markdown.values)


def test_a_subprocess_is_not_repeatable():
    at = app("import subprocess, sys\n"
             "out = subprocess.run([sys.executable, '-c', 'print(1)'], capture_output=True)",
             "import rerunkernel as rk\nrk.slider('s')")
    assert at.session.reuse.why("cell-0") == "started a subprocess"
    at.slider("s").set_value(3).run()
    assert reused(at) == []


def test_widgets_of_a_reused_cell_stay_alive_with_their_values():
    at = app("import rerunkernel as rk\na = rk.slider('a', 0, 10, 1)",
             "b = rk.slider('b', 0, 10, 1)\nrk.write(a + b)")
    at.slider("a").set_value(4).run()
    at.slider("b").set_value(6).run()
    assert reused(at) == ["cell-0"]
    assert at.slider("a").value == 4
    assert at.markdown.values == ["10"]
    assert len(at.session.widgets) == 2


def test_cache_marker_reuses_one_cell_in_all_mode():
    at = app("%%cache\nimport builtins, rerunkernel as rk\nbuiltins.made += 1\nbig = [1] * 5",
             "builtins.adjusted += 1\nrk.write(len(big), rk.slider('s'))", mode="all")
    at.slider("s").set_value(7).run()
    assert reused(at) == ["cell-0"]
    assert (builtins.made, builtins.adjusted) == (1, 2)
    assert at.markdown.values == ["5 7"]


def test_rerun_always_runs_in_changed_mode_and_says_so():
    at = app("%%rerun_always\nimport builtins, rerunkernel as rk\nbuiltins.made += 1",
             "rk.slider('s')")
    at.slider("s").set_value(7).run()
    assert builtins.made == 2
    assert at.session.reuse.why("cell-0") == "is marked %%rerun_always"


def test_deleting_or_editing_a_cell_releases_its_results():
    at = app("import numpy as np\nbig = np.zeros(1_000_000)", "import rerunkernel as rk")
    assert at.session.reuse.bytes_held >= 8_000_000
    edit(at, 0, "import numpy as np\nbig = np.zeros(10)")
    assert at.session.reuse.bytes_held < 1_000_000
    at.session.script.remove(["cell-0"])
    at.run()
    assert "cell-0" not in at.session.reuse.records


def test_memory_is_bounded_oldest_first():
    at = app("import numpy as np, rerunkernel as rk\nn = rk.slider('n', 1, 9, 1)",
             "big = np.full(100_000, n)")
    reuse = at.session.reuse
    reuse.max_bytes = 2_500_000
    for n in range(2, 8):
        at.slider("n").set_value(n).run()
    assert reuse.bytes_held <= reuse.max_bytes
    assert len(reuse.records["cell-1"].entries) <= reuse.entries_per_cell


def test_marker_and_mode_checks():
    assert marker("%%cache\nx = 1") == "cache"
    assert marker("\n%%rerun_always\nx") == "rerun_always"
    assert marker("x = 1  # %%cache") is None
    assert code_info("x = 1\n").key == code_info("# note\nx = 1\n\n").key
    with pytest.raises(ModeError, match="use one of all, changed"):
        AppTest.from_cells("x = 1", mode="sometimes")


def test_a_cell_whose_inputs_change_every_run_stops_being_recorded_then_comes_back():
    at = app("import rerunkernel as rk\nn = rk.slider('n', 0, 99, 1)", "big = [n] * 1000",
             "m = rk.slider('m', 0, 99, 1)")
    recorded = 0
    for n in range(2, 40):
        at.slider("n").set_value(n).run()
        recorded += bool(at.session.reuse.records["cell-1"].entries)
    assert recorded <= 8
    assert at.namespace["big"] == [39] * 1000
    at.slider("n").set_value(50).run()
    for m in range(2, 40):
        at.slider("m").set_value(m).run()
        if reused(at) == ["cell-0", "cell-1"]:
            break
    assert reused(at) == ["cell-0", "cell-1"]
    assert at.namespace["big"] == [50] * 1000


CALLBACKS = """
import builtins, rerunkernel as rk
builtins.made += 1
step = 2
def bump():
    rk.session_state.n = rk.session_state.get('n', 0) + step
def count():
    return rk.session_state.get('n', 0)
"""


def test_callbacks_run_before_a_reused_first_cell_and_see_the_last_runs_globals():
    at = app(CALLBACKS, "rk.button('go', on_click=bump)", "rk.write(f'n {count()}')")
    assert at.markdown.values == ["n 0"]
    for expected in ("n 2", "n 4"):
        at.button("go").click().run()
        assert len(at.exception) == 0
        assert at.markdown.values == [expected]
        assert reused(at) == ["cell-0"]
    assert builtins.made == 1
    assert at.session.reuse.why("cell-2").startswith("uses rk.session_state through 'count'")


def test_what_a_callback_draws_shows_in_its_run_only():
    at = app("import builtins, rerunkernel as rk\nbuiltins.made += 1\n"
             "def hello():\n    rk.write('from the callback')",
             "rk.button('hi', on_click=hello)", "x = rk.slider('x', 0, 5, 1)")
    at.button("hi").click().run()
    assert at.markdown.values == ["from the callback"]
    at.slider("x").set_value(3).run()
    assert at.markdown.values == []
    assert reused(at) == ["cell-0"]
    assert builtins.made == 2


def test_a_callback_that_changes_a_value_in_place_makes_its_maker_run_again():
    at = app("import builtins, rerunkernel as rk\nbuiltins.made += 1\ndata = [1]",
             "def grow():\n    data.append(len(data))",
             "rk.button('grow', on_click=grow)\nrk.write(f'{len(data)} items')")
    at.button("grow").click().run()
    # as in `all` mode: the callback changed the last run's list, the script makes a new one
    assert at.markdown.values == ["1 items"]
    assert builtins.made == 2


def test_a_reused_container_holds_this_runs_object_not_an_equal_older_one():
    at = app("import builtins, rerunkernel as rk\ndata = [1, 2, 3]",
             "builtins.made += 1\nbox = {'data': data}",
             "pass",
             "rk.write(f\"{len(box['data'])} {box['data'] is data}\")")
    assert at.markdown.values == ["3 True"]
    # an equal list made again, then changed in place: the box must hold the new one
    at.session.script.cells[0].source = "import builtins, rerunkernel as rk\ndata = [1, 2] + [3]"
    at.session.script.cells[2].source = "data.append(4)"
    at.run()
    assert at.markdown.values == ["4 True"]
    assert builtins.made == 2


def test_a_reused_array_view_follows_the_array_of_this_run():
    at = app("import numpy as np, rerunkernel as rk\narr = np.arange(3)",
             "view = arr[:2]", "pass", "rk.write(f'first {int(view[0])}')")
    at.session.script.cells[0].source = ("import numpy as np, rerunkernel as rk\n"
                                         "arr = np.arange(3) * 1")
    at.session.script.cells[2].source = "arr[0] = 9"
    at.run()
    assert at.markdown.values == ["first 9"]
