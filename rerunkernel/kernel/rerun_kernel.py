"""The Rerun Script kernel: every execute_request reruns the notebook as one script.

What an execute_request means for the script (run it all, continue the run, or re-show a
cell) is decided in core/execute_policy.py, in-process and kernel-free; this module takes the
request apart (cellId, metadata, history, stdin), hands it over, and sends the reply and
the outputs. Clients without a cellId get python3's messages (standard_output.py).
"""

from __future__ import annotations

import asyncio
import os
import sys
from contextvars import copy_context
from dataclasses import replace
from typing import Any

import zmq
from ipykernel.ipkernel import IPythonKernel

from .._version import __version__
from ..core.execute_policy import ExecutePolicy, Failure
from ..core.reuse import ModeError
from ..core.runner import RunResult, RunStatus
from ..core.script import Cell, Script
from ..core.session import Session
from ..core.triggers import IDLE
from ..files.notebook_file import NotebookFile
from . import voila
from .apps import Apps
from .host import KernelHost, run_interruptibly
from .idle_flush import flush_only_when_written
from .ipyexec import IPythonExecutor, renumbered, renumbered_traceback
from .labcomm import CellListError, ExtensionChannel, parse_cells
from .magics import RerunMagics
from .namespace_gc import Collector
from .reuse_magics import ReuseMagics
from .thread_output import ThreadOutput


class RerunKernel(IPythonKernel):
    implementation = "rerunkernel"
    implementation_version = __version__
    banner = (
        "Rerun Script kernel: executing a cell reruns the whole notebook as one script.\n"
        "Widgets are variables: x = rk.slider('x'); moving it reruns everything."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for stream in (sys.stdout, sys.stderr):  # ipykernel's, before ThreadOutput wraps them
            flush_only_when_written(stream)
        self.host = KernelHost(self)
        # Voila's page hears reruns only through widget messages (voila.py)
        sink = voila.OutputWidgetSink(self.host.sink) if voila.serving() else self.host.sink
        # the namespaces reruns drop are freed even when their functions keep them alive
        self.collector = Collector(lambda delay, then: self.io_loop.call_later(delay, then),
                                   busy=lambda: self.notebook_session.requests.state != IDLE)
        executor = IPythonExecutor(self.shell, self.collector)
        self.notebook_session = Session(Script(), executor, sink, self.host)
        self.notebook_session.on_run_end.append(
            lambda session, result: self.collector.run_ended(session.last_run_seconds))
        self.extension = ExtensionChannel(self, self.notebook_session)
        self.rerun_apps = Apps(self)
        self.notebook_file = NotebookFile(self, self.rerun_apps.watcher)
        self.notebook_file.set_path(os.environ.get("JPY_SESSION_NAME"))
        # a run of fragments alone runs no cell: the cell list waits for the next full run
        self.notebook_session.on_run_start.append(
            lambda session, trigger: trigger.fragments is None and self._arrange({}))
        self.notebook_session.on_run_end.append(self._notebook_ran)
        self.shell.register_magics(RerunMagics)
        self.shell.register_magics(ReuseMagics)
        self.thread_output = ThreadOutput(self)
        self.notebook_session.on_run_end.append(self._report_reuse)
        self.policy = ExecutePolicy(self.notebook_session, snippets_live=voila.serving())
        self.policy.on_reshow.append(self._renumber)
        self.policy.on_reshow.append(self.rerun_apps.reshow)
        self._main_dispatch: asyncio.Task | None = None  # the main shell's, under its lock
        self._main_messages = 0  # main-shell messages being handled or waiting for the lock
        self.shell_handlers["comm_msg"] = self._comm_msg

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
        if subshell_id is not None:
            await super().shell_main(subshell_id, msg)
            return
        self._main_messages += 1
        try:
            if not self._main_asyncio_lock.locked() or not self._is_comm(msg):
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
        finally:
            self._main_messages -= 1

    async def dispatch_shell(
        self, msg: Any, /, subshell_id: str | None = None, *, concurrent: bool = False
    ) -> None:
        """Notes which task handles a main-shell message under the main lock (`_comm_msg`)."""
        if subshell_id is not None or concurrent:
            await super().dispatch_shell(msg, subshell_id=subshell_id, concurrent=concurrent)
            return
        outer, self._main_dispatch = self._main_dispatch, asyncio.current_task()
        try:
            await super().dispatch_shell(msg, subshell_id=None)
        finally:
            self._main_dispatch = outer

    async def _comm_msg(self, stream: Any, ident: Any, msg: dict) -> None:
        """A widget message the main shell handles under its lock reruns before its idle
        (KernelHost.rerun_within); elsewhere (a subshell, or during a request) its rerun is
        scheduled."""
        def handle() -> None:
            self.comm_manager.comm_msg(stream, ident, msg)

        owner = self._main_dispatch
        if owner is None or asyncio.current_task() is not owner:
            handle()
            return
        await self.host.rerun_within(handle, self._more_for_main_shell)

    def _more_for_main_shell(self) -> bool:
        """Other messages wait for the main shell: in flight, or still in its socket (the
        first of those is taken now, to run once this one is done)."""
        if self._main_messages > 1:
            return True
        thread = self.shell_channel_thread
        stream = (thread.manager.get_shell_channel_to_subshell_pair(None).to_stream
                  if thread is not None else self.shell_stream)
        if stream is None:
            return False
        # a peek at the socket's events could swallow the wake-up the loop waits on for a
        # message already there; flush hands that one to the loop's handler instead
        return stream.flush(zmq.POLLIN, limit=1) > 0

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
        self.policy.hold_presets(code, cell_id, ours.get("presets"))
        self._take_front_end_state(meta, ours)
        shell = self.shell
        count = shell.execution_count
        if store_history:
            shell.execution_count += 1
            shell.history_manager.store_inputs(count, code)
        execution = self.policy.take(code, cell_id, origin=self.get_parent("shell"),
                                     execution_count=count, headless=bool(ours.get("headless")))
        cell = execution.cell
        self._forward_input(allow_stdin)
        try:
            result = await run_interruptibly(self.policy.run(execution))
        except KeyboardInterrupt as interrupt:
            result = self.policy.interrupted(execution, interrupt)
        finally:
            self._restore_input()
        failure = self._renumbered(self.policy.failure(execution, result), cell, result)
        reply = self._reply(failure, cell.execution_count, user_expressions)
        self.policy.done(execution, result)
        if user_expressions:
            self.notebook_session.reuse.user_code_ran()
        if ours.get("final") and reply["status"] == "ok":
            self._check_presets(reply)
        return reply

    def _take_front_end_state(self, meta: dict, ours: dict) -> None:
        """Deleted cells, the exact cell list and the rerun mode that came with the request."""
        deleted = meta.get("deletedCells") or []
        if isinstance(deleted, list):
            self.policy.forget([str(d) for d in deleted if isinstance(d, str)])
        self._arrange(meta)
        if "mode" in ours:
            try:
                self.notebook_session.reuse.set_mode(ours["mode"])
            except ModeError as error:
                self.log.warning("ignored the rerun mode of an execute_request: %s", error)

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

    def _report_reuse(self, session: Session, result: RunResult) -> None:
        """The extension shows which cells were reused and why others can't be (core/reuse.py)."""
        if result.fragments is not None:
            return
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
        if cells is not None:
            self.policy.arrange(cells)

    def _reply(
        self, failure: Failure | None, count: int | None, user_expressions: dict | None
    ) -> dict[str, Any]:
        shell = self.shell
        reply: dict[str, Any] = {"status": "ok", "execution_count": count}
        if failure is not None:
            reply.update(status="error", ename=failure.ename, evalue=failure.evalue,
                         traceback=failure.traceback)
        if reply["status"] == "ok":
            reply["user_expressions"] = shell.user_expressions(user_expressions or {})
        else:
            reply["user_expressions"] = {}
        reply["payload"] = shell.payload_manager.read_payload()
        shell.payload_manager.clear_payload()
        return reply

    def _renumber(self, cell: Cell) -> None:
        """A re-shown cell's traceback and "Not run" notice name the numbers on screen now
        (ipyexec.renumbered)."""
        session = self.notebook_session
        last = session.last_result
        error_cell = last.error_cell if last is not None else None
        for position, element in enumerate(session.page.elements(cell)):
            changed = renumbered(element, cell, error_cell)
            if changed is not None:
                session.page.set(cell, position, changed)

    def _renumbered(
        self, failure: Failure | None, cell: Cell, result: RunResult
    ) -> Failure | None:
        """The reply names the cell as its re-shown traceback does (`_renumber`): the run
        that raised may have run it under the number of an earlier request."""
        there = result.error_cell
        if failure is None or there is None or there.id != cell.id:
            return failure
        return replace(failure, traceback=renumbered_traceback(failure.traceback, cell))

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
            self._renumber(cell)
            self.rerun_apps.reshow(cell)
        super()._send_abort_reply(stream, msg, idents)

    def do_shutdown(self, restart: bool) -> dict[str, Any]:
        self.notebook_file.stop()
        self.rerun_apps.stop_all()
        self.notebook_session.close()
        return super().do_shutdown(restart)

