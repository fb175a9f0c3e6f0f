"""The Rerun Script kernel: every execute_request reruns the notebook as one script.

What an execute_request means here (docs/ARCHITECTURE.md, "Run All costs one pass"):
- a cell seen for the first time continues the current run (Run All, nbclient: one pass);
- a known cell, possibly edited, reruns every cell top to bottom in a fresh namespace;
- a known, unchanged cell executed right after the cell above it ran the script (Run All a
  second time, or Shift+Enter walking down) shows that run's outputs again instead of
  running it all once more.
Cells are identified by the front-end's `cellId`; clients that send none (jupyter console,
nbclient, testbook, papermill) get a key per request, and such a snippet that raises is dropped
from the script, as python3 forgets a failed input (standard_output.py says what else they get).
"""

from __future__ import annotations

import asyncio
import os
from contextvars import copy_context
from typing import Any

from ipykernel.ipkernel import IPythonKernel

from . import voila
from ._version import __version__
from .apps import Apps
from .host import KernelHost, run_interruptibly
from .ipyexec import IPythonExecutor
from .labcomm import CellListError, ExtensionChannel, parse_cells
from .magics import RerunMagics
from .notebook_file import NotebookFile
from .parameters import injected_parameters
from .reuse import ModeError
from .reuse_magics import ReuseMagics
from .runner import RunResult, RunStatus, cell_label
from .script import Cell, Script
from .session import Session
from .thread_output import ThreadOutput
from .triggers import Trigger

# a cell made for a request without a cellId: it is never executed again by a front-end
SNIPPET = "snippet"


class RerunKernel(IPythonKernel):
    implementation = "rerunkernel"
    implementation_version = __version__
    banner = (
        "Rerun Script kernel: executing a cell reruns the whole notebook as one script.\n"
        "Widgets are variables: x = rk.slider('x'); moving it reruns everything."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.host = KernelHost(self)
        # Voila's page hears reruns only through widget messages (voila.py)
        sink = voila.OutputWidgetSink(self.host.sink) if voila.serving() else self.host.sink
        self.notebook_session = Session(Script(), IPythonExecutor(self.shell), sink, self.host)
        self.extension = ExtensionChannel(self, self.notebook_session)
        self.rerun_apps = Apps(self)
        self.notebook_file = NotebookFile(self, self.rerun_apps.watcher)
        self.notebook_file.set_path(os.environ.get("JPY_SESSION_NAME"))
        self.notebook_session.on_run_start.append(lambda session, trigger: self._arrange({}))
        self.notebook_session.on_run_end.append(self._notebook_ran)
        self.shell.register_magics(RerunMagics)
        self.shell.register_magics(ReuseMagics)
        self.thread_output = ThreadOutput(self)
        self.notebook_session.on_run_end.append(self._report_reuse)
        self._positions = 0
        self._covered: list[str] = []
        self._walk: tuple[str, int] | None = None
        # papermill's `-p NAME VALUE`, for the rest of the run (parameters.py)
        self._parameters: dict[str, str] = {}

    @property
    def kernel_info(self) -> dict[str, Any]:
        info = super().kernel_info
        info["rerunkernel"] = {"version": __version__}
        return info

    async def shell_main(self, subshell_id: str | None, msg: Any) -> None:
        """A comm message that arrives while a request holds the main shell is handled at
        once, as ipykernel does, but the parent is put back as it is when the comm is done.

        ipykernel puts back the parent it saw when the comm arrived. If that request ended
        meanwhile and the next one began (the extension sends its cell list right before
        each execute_request, so Shift+Enter walking down does this), the next request's
        idle then goes out parented to the request before it, and JupyterLab shows its cell
        as running forever.
        """
        held = subshell_id is None and self._main_asyncio_lock.locked()
        if not held or not self._is_comm(msg):
            await super().shell_main(subshell_id, msg)
            return
        try:
            await asyncio.create_task(
                self.dispatch_shell(msg, subshell_id=None, concurrent=True),
                context=copy_context(),
            )
        finally:
            self.set_parent(self._get_shell_context_var(self._shell_parent_ident),
                            self.get_parent("shell"), channel="shell")

    def _is_comm(self, msg: Any) -> bool:
        try:
            _, frames = self.session.feed_identities(msg, copy=False)
            header = self.session.deserialize(frames, content=False, copy=False)["header"]
        except Exception:  # noqa: BLE001 - dispatch_shell logs a malformed message
            return False
        return header.get("msg_type") in {"comm_open", "comm_msg", "comm_close"}

    async def do_execute(
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict | None = None,
        allow_stdin: bool = False,
        *,
        cell_meta: dict | None = None,
        cell_id: str | None = None,
    ) -> dict[str, Any]:
        if silent:
            reply = await super().do_execute(
                code, silent, store_history, user_expressions, allow_stdin,
                cell_meta=cell_meta, cell_id=cell_id,
            )
            self.notebook_session.reuse.user_code_ran()
            # VS Code tells the kernel its notebook this way
            self.notebook_file.set_path(self.shell.user_ns.get("__vsc_ipynb_file__"))
            return reply
        if cell_id is not None and not isinstance(cell_id, str):
            return self._refuse(
                "BadRequestError",
                f"cellId must be a string (the id of the cell being run), got "
                f"{type(cell_id).__name__} {cell_id!r:.80}; nothing was run or changed")
        meta = cell_meta or {}
        ours = meta.get("rerunkernel") if isinstance(meta.get("rerunkernel"), dict) else {}
        if not cell_id and (parameters := injected_parameters(code)) is not None:
            self._parameters = parameters
        self._take_front_end_state(meta, ours)
        cell, new, unchanged = self._cell_for(code, cell_id, bool(ours.get("headless")),
                                              store_history)
        self._forward_input(allow_stdin)
        try:
            result = await run_interruptibly(self._run_for(cell, new, unchanged))
        except KeyboardInterrupt as interrupt:
            # stopped in our own awaits, between two runs: the cell keeps what it shows
            result = RunResult(RunStatus.INTERRUPTED, interrupt, cell,
                               ["KeyboardInterrupt: interrupted before the next run began"])
            self._after_run(result, cell)
        finally:
            self._restore_input()
        reply = self._reply(cell, result, cell.execution_count, user_expressions)
        if _drops(cell, result):
            self._forget([cell.id])
        if user_expressions:
            self.notebook_session.reuse.user_code_ran()
        if ours.get("final") and reply["status"] == "ok":
            self._check_presets(reply)
        return reply

    def _take_front_end_state(self, meta: dict, ours: dict) -> None:
        """Deleted cells, the exact cell list and `--set` values that came with the request."""
        deleted = meta.get("deletedCells") or []
        if isinstance(deleted, list):
            self._forget([str(d) for d in deleted if isinstance(d, str)])
        self._arrange(meta)
        if "mode" in ours:
            try:
                self.notebook_session.reuse.set_mode(ours["mode"])
            except ModeError as error:
                self.log.warning("ignored the rerun mode of an execute_request: %s", error)
        # `--set` values belong to the requests that carry them, not to the kernel's lifetime
        presets = ours.get("presets")
        wanted = ({str(k): str(v) for k, v in presets.items()} if isinstance(presets, dict)
                  else dict(self._parameters))
        held = self.notebook_session.widgets.presets
        if held.values != wanted:
            held.values.clear()
            held.values.update(wanted)
            held.used.clear()

    def _cell_for(self, code: str, cell_id: str | None, headless: bool,
                  store_history: bool) -> tuple[Cell, bool, bool]:
        """The script's cell for this request (new or known), now owning the request."""
        shell = self.shell
        snippet = not cell_id
        if not cell_id:
            cell_id = f"position-{self._positions}"
            self._positions += 1
            # never executed again; but a Voila page is live, its reruns show (voila.py)
            headless = not voila.serving()
        count = shell.execution_count
        if store_history:
            shell.execution_count += 1
            shell.history_manager.store_inputs(count, code)
        script = self.notebook_session.script
        cell = script.get(cell_id)
        new = cell is None
        if cell is None:
            cell = script.append(Cell(cell_id, code))
        unchanged = not new and cell.source == code
        cell.source = code
        cell.origin = self.get_parent("shell")
        cell.execution_count = count
        cell.headless = headless
        if snippet:
            cell.extra[SNIPPET] = True
        return cell, new, unchanged

    async def _run_for(self, cell: Cell, new: bool, unchanged: bool) -> RunResult:
        if unchanged and self._walks_down(cell):
            self.notebook_session.page.resend(cell)
            self.rerun_apps.reshow(cell)
            return self.notebook_session.last_result or RunResult()
        self.notebook_session.page.forget(cell.id)
        script = self.notebook_session.script
        continuing = new and self._covered == [c.id for c in script.cells[:-1]]
        trigger = Trigger("execute", cell.origin)
        if continuing:
            result = await self.notebook_session.run(trigger, cells=[cell], fresh=False)
        else:
            result = await self.notebook_session.run(trigger)
        self._after_run(result, cell)
        return result

    def _check_presets(self, reply: dict[str, Any]) -> None:
        """After a headless run: every `--set NAME=VALUE` must have found its widget."""
        message = self.notebook_session.widgets.presets.unknown_names()
        if message is None:
            return
        reply.update(status="error", ename="UnknownWidgetError", evalue=message,
                     traceback=[f"UnknownWidgetError: {message}"], user_expressions={})

    def _refuse(self, ename: str, message: str) -> dict[str, Any]:
        """An error reply, and the same error in the cell's output area, for a request we
        can't take; the script and its outputs stay as they were."""
        content = {"ename": ename, "evalue": message, "traceback": [f"{ename}: {message}"]}
        self.log.warning("refused an execute_request: %s", message)
        self.session.send(self.iopub_socket, "error", content, parent=self.get_parent("shell"),
                          ident=self._topic("error"))
        return {"status": "error", "execution_count": self.shell.execution_count,
                "user_expressions": {}, "payload": [], **content}

    def _walks_down(self, cell: Cell) -> bool:
        """This cell is the one right below the last cell that ran (or re-showed) the script."""
        if self._walk is None:
            return False
        above, runs = self._walk
        if runs != self.notebook_session.started_runs:
            return False
        cells = self.notebook_session.script.cells
        position = cells.index(cell)
        if position == 0 or cells[position - 1].id != above:
            return False
        self._walk = (cell.id, runs)
        return True

    def _after_run(self, result: RunResult, cell: Cell) -> None:
        ids = [c.id for c in result.ran]
        if result.status == RunStatus.OK:
            self._covered = ids if result.whole else self._covered + ids
        elif _drops(cell, result):
            # the failed snippet is dropped (do_execute): what ran before it still holds
            ids.remove(cell.id)
            self._covered = ids if result.whole else self._covered
        else:
            self._covered = []
        self._walk = (cell.id, self.notebook_session.started_runs)

    def _report_reuse(self, session: Session, result: RunResult) -> None:
        """The extension shows which cells were reused and why others can't be (reuse.py)."""
        message = {"type": "reuse", "reused": [c.id for c in result.reused],
                   **session.reuse.report()}
        for comm in list(self.extension.comms):
            comm.send(message)

    def _notebook_ran(self, session: Session, result: RunResult) -> None:
        if result.whole and result.status == RunStatus.OK:
            self.rerun_apps.sweep()

    def _arrange(self, meta: dict) -> None:
        """Take the front-end's exact cell list (extension comm, or request metadata)."""
        cells = self.extension.take_cells()
        ours = meta.get("rerunkernel")
        if isinstance(ours, dict) and "cells" in ours:
            try:
                cells = parse_cells(ours["cells"])
            except CellListError as error:
                self.log.warning("ignored the cell list of an execute_request: %s", error)
        if cells is None:
            return
        script = self.notebook_session.script
        before = [(c.id, c.source) for c in script]
        if before == cells:
            return
        for gone in script.arrange(cells):
            self.notebook_session.page.forget(gone.id)
            self.notebook_session.reuse.forget([gone.id])
        # the last run ran another script: a cell it never reached has nothing to re-show
        self._covered = []
        self._walk = None

    def _forget(self, cell_ids: list[str]) -> None:
        for gone in self.notebook_session.script.remove(cell_ids):
            self.notebook_session.page.forget(gone.id)
            self.notebook_session.reuse.forget([gone.id])
            if gone.id in self._covered:
                self._covered = []

    def _reply(
        self, cell: Cell, result: RunResult, count: int, user_expressions: dict | None
    ) -> dict[str, Any]:
        shell = self.shell
        reply: dict[str, Any] = {"status": "ok", "execution_count": count}
        failed = result.status.failed and result.error_cell is not None
        script = self.notebook_session.script
        if failed and result.error_cell.id in script and cell.id in script:
            here = script.index(cell.id)
            there = script.index(result.error_cell.id)
            if there <= here:
                error = result.error
                reply.update(status="error", ename=type(error).__name__, evalue=str(error))
                if there == here:
                    reply["traceback"] = result.traceback
                else:
                    reply["traceback"] = [
                        f"Not run: {cell_label(result.error_cell)} raised "
                        f"{type(error).__name__}: {error}"
                    ]
        if reply["status"] == "ok":
            reply["user_expressions"] = shell.user_expressions(user_expressions or {})
        else:
            reply["user_expressions"] = {}
        reply["payload"] = shell.payload_manager.read_payload()
        shell.payload_manager.clear_payload()
        return reply

    def _send_abort_reply(self, stream: Any, msg: dict, idents: Any) -> None:
        """A request aborted after an error (Run All) still owns its cell's output area.

        The front-end cleared that area when it sent the request, and keeps the request's
        future alive: show the cell's slots there ("Not run: ...") and route later reruns
        to it, or the cell would stay blank until executed again.
        """
        cell_id = (msg.get("metadata") or {}).get("cellId")
        cell = self.notebook_session.script.get(cell_id) if isinstance(cell_id, str) else None
        if cell is not None and msg["header"]["msg_type"] == "execute_request":
            cell.origin = msg
            self.notebook_session.page.resend(cell)
            self.rerun_apps.reshow(cell)
        super()._send_abort_reply(stream, msg, idents)

    def do_shutdown(self, restart: bool) -> dict[str, Any]:
        self.notebook_file.stop()
        self.rerun_apps.stop_all()
        self.notebook_session.close()
        return super().do_shutdown(restart)


def _drops(cell: Cell, result: RunResult) -> bool:
    """A snippet that raised or stopped leaves the script, so the next request goes on from
    the cells before it instead of failing on it again ("Not run: ..." until a restart)."""
    return (bool(cell.extra.get(SNIPPET)) and result.error_cell is cell
            and result.status in (RunStatus.ERROR, RunStatus.INTERRUPTED, RunStatus.STOPPED)
            and cell in result.ran)
