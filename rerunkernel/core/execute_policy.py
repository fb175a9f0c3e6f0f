"""What an execute_request means for the script: run it all, go on, or show again.

A front-end executes cells one request at a time, but the script is the whole notebook, so
each request is read against what ran before (docs/ARCHITECTURE.md, "Run All costs one pass"):
- a cell seen for the first time continues the current run (Run All, nbclient: one pass);
- a known cell, possibly edited, reruns every cell top to bottom in a fresh namespace;
- a known, unchanged cell executed right after the cell above it ran the script (Run All a
  second time, or Shift+Enter walking down) shows that run's outputs again instead of
  running it all once more.
Cells are identified by the front-end's `cellId`; clients that send none (jupyter console,
nbclient, testbook, papermill) get a key per request, and such a snippet that raises is
dropped from the script, as python3 forgets a failed input. The reply blames the requesting
cell only for an error at or above it: Run All stops there, and a cell below says it was not
run.

This is decided here, apart from the kernel, so it can be driven in-process; the kernel
hands over each request's code, id and metadata and sends what comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .parameters import injected_parameters
from .runner import RunResult, RunStatus, cell_label
from .script import Cell
from .session import Session
from .triggers import Trigger


@dataclass
class Execution:
    """One execute_request, resolved to the script's cell that now owns it."""

    cell: Cell
    new: bool
    unchanged: bool


@dataclass
class Failure:
    """The error an execute_reply carries: the requesting cell's own, or one above it."""

    ename: str
    evalue: str
    traceback: list[str] = field(default_factory=list)


class ExecutePolicy:
    """The execute-request state of one notebook session.

    `snippets_live`: cells without a cellId are normally never executed again, so they are
    served as headless; a Voila page is live and shows their reruns (kernel/voila.py).
    """

    def __init__(self, session: Session, *, snippets_live: bool = False) -> None:
        self.session = session
        self.snippets_live = snippets_live
        # a re-shown cell's other outputs (its `%rerun_watch` apps) follow it to its new area
        self.on_reshow: list[Callable[[Cell], None]] = []
        self._positions = 0
        self._snippets: set[str] = set()
        # the cells the current namespace holds, in order: a new cell below them continues
        self._covered: list[str] = []
        # the last cell that ran or re-showed the script, and the run it belongs to
        self._walk: tuple[str, int] | None = None
        # papermill's `-p NAME VALUE`, for the rest of the run (parameters.py)
        self._parameters: dict[str, str] = {}

    # --- what came with the request ------------------------------------------------------

    def hold_presets(self, code: str, cell_id: str | None, presets: Any) -> None:
        """`--set` values belong to the requests that carry them, not to the kernel's
        lifetime; without any, papermill's injected parameters hold for the run."""
        if not cell_id and (parameters := injected_parameters(code)) is not None:
            self._parameters = parameters
        wanted = ({str(k): str(v) for k, v in presets.items()} if isinstance(presets, dict)
                  else dict(self._parameters))
        held = self.session.widgets.presets
        if held.values != wanted:
            held.values.clear()
            held.values.update(wanted)
            held.used.clear()

    def arrange(self, cells: list[tuple[str, str]]) -> None:
        """Make the script the front-end's exact cell list ((id, source) pairs)."""
        script = self.session.script
        if [(c.id, c.source) for c in script] == cells:
            return
        for gone in script.arrange(cells):
            self._drop(gone)
        # the last run ran another script: a cell it never reached has nothing to re-show
        self._covered = []
        self._walk = None

    def forget(self, cell_ids: Iterable[str]) -> None:
        """Cells deleted in the front-end leave the script, their outputs and stored results.

        A deleted cell the namespace still holds stays in `_covered`, which then matches no
        script again: the next new cell reruns everything rather than continue past it."""
        for gone in self.session.script.remove(cell_ids):
            self._drop(gone)

    def _drop(self, gone: Cell) -> None:
        self.session.page.forget(gone.id)
        self.session.reuse.forget([gone.id])
        self._snippets.discard(gone.id)

    # --- the request itself --------------------------------------------------------------

    def take(self, code: str, cell_id: str | None, *, origin: Any = None,
             execution_count: int | None = None, headless: bool = False) -> Execution:
        """The script's cell for this request (new or known), now owning the request."""
        snippet = not cell_id
        if not cell_id:
            cell_id = f"position-{self._positions}"
            self._positions += 1
            headless = not self.snippets_live
        script = self.session.script
        cell = script.get(cell_id)
        new = cell is None
        if cell is None:
            cell = script.append(Cell(cell_id, code))
        unchanged = not new and cell.source == code
        cell.source = code
        cell.origin = origin
        cell.execution_count = execution_count
        cell.headless = headless
        if snippet:
            self._snippets.add(cell.id)
        return Execution(cell, new, unchanged)

    async def run(self, execution: Execution) -> RunResult:
        """Re-show, continue or rerun, as the module docstring says."""
        session = self.session
        cell = execution.cell
        if execution.unchanged and self._walks_down(cell):
            session.page.resend(cell)
            for listener in self.on_reshow:
                listener(cell)
            return session.last_result or RunResult()
        session.page.forget(cell.id)
        continuing = execution.new and self._covered == [c.id for c in session.script.cells[:-1]]
        trigger = Trigger("execute", cell.origin)
        if continuing:
            result = await session.run(trigger, cells=[cell], fresh=False)
        else:
            result = await session.run(trigger)
        self._ran(execution, result)
        return result

    def interrupted(self, execution: Execution, interrupt: KeyboardInterrupt) -> RunResult:
        """Stopped in the host's own awaits, between two runs: the cell keeps what it shows."""
        result = RunResult(RunStatus.INTERRUPTED, interrupt, execution.cell,
                           ["KeyboardInterrupt: interrupted before the next run began"])
        self._ran(execution, result)
        return result

    def failure(self, execution: Execution, result: RunResult) -> Failure | None:
        """What the reply reports: an error at or above the requesting cell, else nothing.

        A cell below the error was not run, and says so, so Run All and nbclient stop; an
        error below the requesting cell is that cell's own business.
        """
        error, there = result.error, result.error_cell
        script = self.session.script
        cell = execution.cell
        if not result.status.failed or there is None:
            return None
        if there.id not in script or cell.id not in script:
            return None
        above, here = script.index(there.id), script.index(cell.id)
        if above > here:
            return None
        ename = type(error).__name__
        if above == here:
            return Failure(ename, str(error), result.traceback)
        return Failure(ename, str(error), [f"Not run: {cell_label(there)} raised {ename}: {error}"])

    def done(self, execution: Execution, result: RunResult) -> None:
        """After the reply: a snippet that failed leaves the script."""
        if self._drops(execution, result):
            self.forget([execution.cell.id])

    # --- the state between requests ------------------------------------------------------

    def _walks_down(self, cell: Cell) -> bool:
        """This cell is the one right below the last cell that ran (or re-showed) the script,
        and nothing else ran since."""
        if self._walk is None:
            return False
        above, runs = self._walk
        if runs != self.session.started_runs:
            return False
        cells = self.session.script.cells
        position = cells.index(cell)
        if position == 0 or cells[position - 1].id != above:
            return False
        self._walk = (cell.id, runs)
        return True

    def _ran(self, execution: Execution, result: RunResult) -> None:
        ids = [c.id for c in result.ran]
        if result.status == RunStatus.OK:
            self._covered = ids if result.whole else self._covered + ids
        elif self._drops(execution, result):
            # the failed snippet is dropped (done): what ran before it still holds
            ids.remove(execution.cell.id)
            self._covered = ids if result.whole else self._covered
        else:
            self._covered = []
        self._walk = (execution.cell.id, self.session.started_runs)

    def _drops(self, execution: Execution, result: RunResult) -> bool:
        """A snippet that raised or stopped leaves the script, so the next request goes on
        from the cells before it instead of failing on it again ("Not run: ..." until a
        restart)."""
        cell = execution.cell
        return (cell.id in self._snippets and result.error_cell is cell
                and (result.status.failed or result.status == RunStatus.STOPPED)
                and cell in result.ran)
