"""What an execute_request means for the script, decided in-process (core/execute_policy.py).

The kernel hands each request to the same ExecutePolicy; here a plain-Python session (the one
AppTest runs) stands in for the kernel's, so every rule is checked without starting one.
tests/e2e/test_kernel.py checks the same rules end to end through a real kernel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from rerunkernel.core.execute_policy import ExecutePolicy, Failure
from rerunkernel.core.runner import RunResult, RunStatus, run_sync
from rerunkernel.testing import AppTest


@dataclass
class Reply:
    result: RunResult
    failure: Failure | None
    runs: int  # runs the session started for this request (0: outputs re-shown)

    @property
    def ran(self) -> list[str]:
        return [c.id for c in self.result.ran]


class Notebook:
    """Requests as a front-end sends them: code, an optional cellId, execution counts."""

    def __init__(self, *, snippets_live: bool = False) -> None:
        self.app = AppTest.from_cells()
        self.session = self.app.session
        self.policy = ExecutePolicy(self.session, snippets_live=snippets_live)
        self.reshown: list[str] = []
        self.policy.on_reshow.append(lambda cell: self.reshown.append(cell.id))
        self.count = 1

    def execute(self, code: str, cell_id: str | None = None,
                presets: dict[str, str] | None = None) -> Reply:
        self.policy.hold_presets(code, cell_id, presets)
        execution = self.policy.take(code, cell_id, origin={"request": self.count},
                                     execution_count=self.count)
        self.count += 1
        before = self.session.started_runs
        result = run_sync(self.policy.run(execution))
        failure = self.policy.failure(execution, result)
        self.policy.done(execution, result)
        return Reply(result, failure, self.session.started_runs - before)

    def run_all(self, *cells: tuple[str, str]) -> list[Reply]:
        return [self.execute(code, cell_id) for cell_id, code in cells]

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.session.script]

    @property
    def namespace(self) -> dict:
        return self.session.namespace


A = ("a", "x = object()")
B = ("b", "y = x")
C = ("c", "z = 3")


# --- which cells run -----------------------------------------------------------------------

def test_a_new_cell_continues_the_run_in_the_same_namespace():
    nb = Notebook()
    first = nb.execute(A[1], "a")
    x = nb.namespace["x"]
    second = nb.execute(B[1], "b")
    assert (first.ran, second.ran) == (["a"], ["b"])
    assert not second.result.whole
    assert nb.namespace["x"] is x and nb.namespace["y"] is x


def test_a_known_cell_reruns_every_cell_in_a_fresh_namespace():
    nb = Notebook()
    nb.run_all(A, B, C)
    x = nb.namespace["x"]
    again = nb.execute("x = object()  # edited", "a")
    assert again.ran == ["a", "b", "c"] and again.result.whole
    assert nb.namespace["x"] is not x


def test_a_new_cell_after_a_failed_run_reruns_everything():
    nb = Notebook()
    nb.execute("x = 1 / 0", "a")
    reply = nb.execute(C[1], "c")
    assert reply.ran == ["a"] and reply.result.whole


def test_a_new_cell_after_a_deleted_one_reruns_everything():
    """The namespace still holds what the deleted cell did, so it can't be continued."""
    nb = Notebook()
    nb.run_all(A, B)
    nb.policy.forget(["b"])
    reply = nb.execute(C[1], "c")
    assert nb.ids == ["a", "c"]
    assert reply.ran == ["a", "c"] and "y" not in nb.namespace


# --- walking down re-shows -----------------------------------------------------------------

def test_run_all_a_second_time_runs_once_and_re_shows_the_rest():
    nb = Notebook()
    nb.run_all(A, B, C)
    first, *rest = nb.run_all(A, B, C)
    assert first.runs == 1 and first.ran == ["a", "b", "c"]
    assert [r.runs for r in rest] == [0, 0]
    assert nb.reshown == ["b", "c"]
    assert all(r.result is first.result for r in rest)


def test_an_edited_cell_below_reruns_instead_of_re_showing():
    nb = Notebook()
    nb.run_all(A, B, C)
    nb.execute(A[1], "a")
    reply = nb.execute("y = 2", "b")
    assert reply.runs == 1 and reply.ran == ["a", "b", "c"]
    assert nb.reshown == []


def test_a_cell_not_right_below_the_last_one_reruns():
    nb = Notebook()
    nb.run_all(A, B, C)
    nb.execute(A[1], "a")
    reply = nb.execute(C[1], "c")
    assert reply.runs == 1 and nb.reshown == []


def test_a_changed_cell_list_breaks_the_walk():
    """The last run ran another script: its outputs for the edited cell are stale."""
    nb = Notebook()
    nb.run_all(A, B, C)
    nb.execute(A[1], "a")
    nb.execute(B[1], "b")
    nb.policy.arrange([A, B, ("c", "z = 4")])
    reply = nb.execute("z = 4", "c")
    assert reply.runs == 1 and nb.namespace["z"] == 4
    assert nb.reshown == ["b"]


def test_the_same_cell_list_keeps_the_walk():
    nb = Notebook()
    nb.run_all(A, B, C)
    nb.execute(A[1], "a")
    nb.policy.arrange([A, B, C])
    assert nb.execute(B[1], "b").runs == 0


def test_a_run_in_between_breaks_the_walk():
    """A widget change reran the script since: re-showing would show outputs of a run
    that is not the latest."""
    nb = Notebook()
    nb.run_all(A, B, C)
    nb.execute(A[1], "a")
    nb.session.request_rerun("widget")
    run_sync(nb.session.run_pending())
    assert nb.execute(B[1], "b").runs == 1


# --- what the reply says -------------------------------------------------------------------

BAD = ("b", "raise ValueError('bad b')")


def test_the_cell_that_raised_gets_its_own_traceback():
    nb = Notebook()
    a, b = nb.run_all(A, BAD)
    assert a.failure is None
    assert b.failure is not None
    assert (b.failure.ename, b.failure.evalue) == ("ValueError", "bad b")
    assert b.failure.traceback == b.result.traceback
    assert b.failure.traceback[-1] == "ValueError: bad b"


def test_a_cell_below_the_error_says_it_was_not_run():
    nb = Notebook()
    nb.run_all(A, BAD)
    c = nb.execute(C[1], "c")
    assert c.result.status is RunStatus.ERROR
    assert c.failure == Failure("ValueError", "bad b",
                                ["Not run: cell In[2] raised ValueError: bad b"])


def test_a_cell_above_the_error_succeeds():
    nb = Notebook()
    nb.run_all(A, BAD, C)
    a = nb.execute(A[1], "a")
    assert a.result.status is RunStatus.ERROR and a.result.error_cell.id == "b"
    assert a.failure is None


def test_re_shown_cells_keep_the_error_of_the_run():
    """Run All a second time stops at the failing cell, as the first time did."""
    nb = Notebook()
    nb.run_all(A, BAD, C)
    a, b, c = nb.run_all(A, BAD, C)
    assert [r.runs for r in (a, b, c)] == [1, 0, 0]
    assert a.failure is None
    assert b.failure is not None and b.failure.traceback[-1] == "ValueError: bad b"
    assert c.failure is not None and c.failure.traceback[0].startswith("Not run: cell In[")


def test_an_interrupt_between_runs_is_the_cells_own_error():
    nb = Notebook()
    nb.run_all(A, B)
    execution = nb.policy.take("y = 2", "b", execution_count=9)
    result = nb.policy.interrupted(execution, KeyboardInterrupt())
    assert result.status is RunStatus.INTERRUPTED
    assert nb.policy.failure(execution, result) == Failure(
        "KeyboardInterrupt", "", ["KeyboardInterrupt: interrupted before the next run began"])
    # the namespace holds the old `b`, not the edited one: a new cell can't continue it
    assert nb.execute(C[1], "c").ran == ["a", "b", "c"] and nb.namespace["y"] == 2


# --- clients without cell ids --------------------------------------------------------------

def test_requests_without_a_cell_id_get_a_cell_each_and_continue_the_run():
    nb = Notebook()
    first = nb.execute("x = 1")
    second = nb.execute("x = 1")
    third = nb.execute("y = x + 1")
    assert nb.ids == ["position-0", "position-1", "position-2"]
    assert [r.ran for r in (first, second, third)] == [
        ["position-0"], ["position-1"], ["position-2"]]
    assert nb.namespace["y"] == 2
    assert all(cell.headless for cell in nb.session.script)


def test_a_live_page_shows_snippet_reruns():
    """Voila executes cells without ids, and its page shows their reruns."""
    nb = Notebook(snippets_live=True)
    nb.execute("x = 1")
    assert not nb.session.script.cells[0].headless


@pytest.mark.parametrize("failing", [
    "1 / 0",
    "import rerunkernel as rk\nrk.stop()",
    "raise SystemExit(3)",
])
def test_a_failed_input_without_a_cell_id_is_dropped(failing):
    nb = Notebook()
    nb.execute("x = 1")
    nb.execute(failing)
    assert nb.ids == ["position-0"]
    after = nb.execute("y = x + 1")
    assert after.failure is None and after.ran == ["position-2"]
    assert nb.ids == ["position-0", "position-2"] and nb.namespace["y"] == 2


def test_a_failed_snippet_reports_its_error_before_leaving():
    nb = Notebook()
    reply = nb.execute("1 / 0")
    assert reply.failure is not None and reply.failure.ename == "ZeroDivisionError"


def test_a_failed_cell_with_an_id_stays():
    nb = Notebook()
    nb.execute("x = 1 / 0", "a")
    assert nb.ids == ["a"]
    assert nb.execute(C[1], "c").failure is not None


def test_a_failed_snippet_below_a_known_cell_keeps_the_cells_above():
    """Only what the failed snippet did is lost; the notebook cells above it still hold."""
    nb = Notebook()
    nb.execute(A[1], "a")
    nb.execute("1 / 0")
    reply = nb.execute("y = x")
    assert reply.ran == ["position-1"] and nb.ids == ["a", "position-1"]


# --- presets -------------------------------------------------------------------------------

SLIDER = "import rerunkernel as rk\nn = rk.slider('n', 0, 10)"


def test_presets_belong_to_the_request_that_carries_them():
    nb = Notebook()
    nb.execute(SLIDER, "a", presets={"n": "7"})
    assert nb.namespace["n"] == 7
    nb.execute("m = 1", "b")
    assert nb.session.widgets.presets.values == {}


def test_papermill_parameters_preset_the_rest_of_the_run():
    nb = Notebook()
    nb.execute("# Parameters\nn = 4\n")
    reply = nb.execute(SLIDER)
    assert reply.failure is None and nb.namespace["n"] == 4
    assert nb.session.widgets.presets.values == {"n": "4"}


# --- run statuses --------------------------------------------------------------------------

def test_run_statuses_are_an_enum_that_reads_as_before():
    nb = Notebook()
    ok = nb.execute(A[1], "a").result.status
    error = nb.execute("1 / 0", "b").result.status
    assert ok is RunStatus.OK and error is RunStatus.ERROR
    assert (ok, str(error), f"{error}") == ("ok", "error", "error")
    assert json.dumps({"status": error}) == '{"status": "error"}'
    assert error.failed and RunStatus.INTERRUPTED.failed
    assert not any(s.failed for s in (RunStatus.OK, RunStatus.STOPPED, RunStatus.SUPERSEDED))
