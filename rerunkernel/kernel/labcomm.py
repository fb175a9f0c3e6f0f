"""The JupyterLab extension's channel: exact cells in, run status out.

Without the extension the kernel learns cells only from executions. With it, the front-end
sends the notebook's ordered code cells (unsaved edits, insertions, moves and deletions
included) before each execution, and the kernel reports each run's state for the toolbar.

Comm messages may arrive on a kernel subshell thread; they never touch the script directly.
A cell list is parked here and applied on the main thread at the next execution.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from ..core.reuse import ModeError
from ..core.runner import RunResult, RunStatus
from ..core.session import Session
from ..core.triggers import Trigger

TARGET = "rerunkernel"
VERSION = 1
MAX_CELLS = 10_000
# a reloaded page never closes its comm; keep the newest few front-ends, not every one
MAX_FRONT_ENDS = 8
MAX_SOURCE = 10_000_000
# a widget value longer than this (a pasted document) is not kept across a restart
MAX_VALUE_TEXT = 10_000

log = logging.getLogger("rerunkernel")


class CellListError(ValueError):
    pass


def parse_cells(value: Any) -> list[tuple[str, str]]:
    """Validate a front-end cell list: [{id: str, source: str}, ...], ids unique."""
    if not isinstance(value, list):
        raise CellListError(f"cells must be a list, got {type(value).__name__}")
    if len(value) > MAX_CELLS:
        raise CellListError(f"{len(value)} cells is more than the {MAX_CELLS} accepted")
    cells: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict):
            raise CellListError(f"each cell must be an object, got {type(item).__name__}")
        cell_id, source = item.get("id"), item.get("source")
        if not isinstance(cell_id, str) or not cell_id:
            raise CellListError(f"a cell id must be a non-empty string, got {cell_id!r}")
        if not isinstance(source, str) or len(source) > MAX_SOURCE:
            raise CellListError(f"cell {cell_id!r}: source must be a string under "
                                f"{MAX_SOURCE} characters")
        if cell_id in seen:
            raise CellListError(f"cell id {cell_id!r} appears twice")
        seen.add(cell_id)
        cells.append((cell_id, source))
    return cells


def widget_values(session: Session) -> dict[str, str]:
    """The values the notebook's widgets hold, as `--set` texts by key or label.

    The page keeps showing them after a kernel restart; the extension sends them back with
    the first run on the new kernel, so the app starts where the user left it. Only values
    that read back exactly are given, and none for a name two widgets share or for a form's
    widgets (their value counts only once submitted).
    """
    values: dict[str, str] = {}
    shared: set[str] = set()
    for record in session.widgets.records():
        spec = record.spec
        if not spec.has_value or record.form is not None:
            continue
        name = spec.key if spec.key is not None else spec.label
        if name in values or name in shared:
            values.pop(name, None)
            shared.add(name)
            continue
        text = _as_text(spec, getattr(record.widget, spec.value_trait), record.widget)
        if text is not None:
            values[name] = text
    return values


def _as_text(spec: Any, value: Any, widget: Any) -> str | None:
    """A text `--set` turns back into exactly `value`: what the widget shows, or a range's
    ends joined by a comma; None when neither reads back."""
    texts = [spec.snapshot(widget)]
    if isinstance(value, (tuple, list)):
        texts.append(",".join(map(str, value)))
    for text in texts:
        try:
            if len(text) <= MAX_VALUE_TEXT and spec.encode(spec.parse(text)) == value:
                return text
        except (TypeError, ValueError, KeyError, IndexError):
            pass
    return None


def hello_problem(data: Any) -> str | None:
    """What is wrong with the data a front-end opened the comm with, if anything."""
    if not isinstance(data, dict):
        return f"the opening message must be an object, got {type(data).__name__}"
    if data.get("type", "hello") != "hello":
        return f"the opening message must have type 'hello', got {data.get('type')!r}"
    return None


class ExtensionChannel:
    def __init__(self, kernel: Any, session: Session) -> None:
        self.kernel = kernel
        self.session = session
        self.comms: list[Any] = []
        self.handles_save = False
        self._lock = threading.Lock()
        self._pending_cells: list[tuple[str, str]] | None = None
        self.status: dict[str, Any] = {"state": "idle", "started": None, "cell": None,
                                       "message": None}
        # the sessions (notebook, apps) whose last run failed, the latest failure last
        self._failing: dict[Session, dict[str, Any]] = {}
        kernel.comm_manager.register_target(TARGET, self._opened)
        session.on_run_start.append(self._run_started)
        session.on_run_end.append(self._run_ended)

    # --- from the front-end (any thread) --------------------------------------------------

    def _opened(self, comm: Any, msg: dict) -> None:
        # checked before the comm joins `comms`: one that joined and then failed would count
        # as a connected front-end forever (saves would then only mark the app stale)
        content = msg.get("content")
        data = content.get("data") if isinstance(content, dict) else None
        problem = hello_problem({} if data is None else data)
        if problem is not None:
            log.warning("refused a connection from the front-end extension: %s", problem)
            comm.send({"type": "rejected", "reason": problem})
            comm.close()
            return
        self.comms.append(comm)
        while len(self.comms) > MAX_FRONT_ENDS:
            self.comms.pop(0).close()
        comm.on_msg(self._received)
        comm.on_close(lambda _msg, comm=comm: self._closed(comm))
        try:
            self._settings(data or {})
        except ModeError as error:
            log.warning("ignored the rerun mode of the front-end extension: %s", error)
            comm.send({"type": "rejected", "reason": str(error)})
        known = [c.id for c in self.session.script if c.origin is not None]
        comm.send({"type": "hello", "version": VERSION, "known": known, "status": self.status})

    def _closed(self, comm: Any) -> None:
        if comm in self.comms:
            self.comms.remove(comm)
        if not self.comms:
            self.handles_save = False

    def _received(self, msg: dict) -> None:
        data = msg.get("content", {}).get("data")
        kind = data.get("type") if isinstance(data, dict) else None
        try:
            if kind == "cells":
                self.park_cells(parse_cells(data.get("cells")))
            elif kind == "settings":
                self._settings(data)
            elif kind == "rerun":
                self.session.request_rerun("rerun")
            else:
                raise CellListError(f"unknown message type {kind!r}")
        except (CellListError, ModeError) as error:
            log.warning("rejected a message from the front-end extension: %s", error)
            for comm in list(self.comms):
                comm.send({"type": "rejected", "reason": str(error)})

    def _settings(self, data: dict) -> None:
        """Run on save, and the notebook's rerun mode: the toolbar's switch reaches widget
        reruns at once, not only with the next execute_request (which carries it too)."""
        if isinstance(data.get("handlesSave"), bool):
            self.handles_save = data["handlesSave"]
        if "mode" in data:
            self.session.reuse.set_mode(data["mode"])

    # --- on the main thread ---------------------------------------------------------------

    def park_cells(self, cells: list[tuple[str, str]]) -> None:
        """Keep the newest cell list until the main thread applies it."""
        with self._lock:
            self._pending_cells = cells
        self.session.reuse.keep_only([cell_id for cell_id, _ in cells])

    def mark_stale(self, message: str) -> None:
        self._publish(state="stale", started=None, cell=None, message=message)

    def take_cells(self) -> list[tuple[str, str]] | None:
        with self._lock:
            cells, self._pending_cells = self._pending_cells, None
        return cells

    def _run_started(self, session: Session, trigger: Trigger) -> None:
        self._publish(state="running", started=time.time(), cell=None, message=None)

    def follow(self, session: Session) -> None:
        """Report an app's runs too (`%rerun_watch`): its errors turn the status red.

        The status stays red while the notebook or any app is failing, so a passing run of
        one never hides the error of another; it shows the latest failure.
        """
        session.on_run_start.append(self._run_started)
        session.on_run_end.append(self._run_ended)

    def unfollow(self, session: Session) -> None:
        if self._failing.pop(session, None) is not None:
            self._publish_outcome()

    def _run_ended(self, session: Session, result: RunResult) -> None:
        if session is self.session and self.comms:
            message = {"type": "values", "values": widget_values(session)}
            for comm in list(self.comms):
                comm.send(message)
        if result.status.failed and result.error_cell is not None:
            source = "" if session is self.session else f"{session.name}: "
            self._failing.pop(session, None)
            self._failing[session] = {"cell": result.error_cell.id,
                                      "message": f"{source}{result.ename}: {result.evalue}"}
        elif result.status != RunStatus.SUPERSEDED:
            self._failing.pop(session, None)
        else:
            return
        self._publish_outcome()

    def _publish_outcome(self) -> None:
        if self._failing:
            latest = list(self._failing.values())[-1]
            self._publish(state="error", started=None, **latest)
        else:
            self._publish(state="idle", started=None, cell=None, message=None)

    def _publish(self, **status: Any) -> None:
        self.status = status
        for comm in list(self.comms):
            comm.send({"type": "status", **status})
