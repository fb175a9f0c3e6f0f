"""Run a notebook once, headless, the way CI does: through nbclient.

Each execute_request carries the cell's id and our metadata (headless, the `--set` widget
values, and which request is the last), so the kernel stores value snapshots next to each
widget, writes real `error` outputs, and checks at the end that every `--set` name matched a
widget. A notebook saved before cell ids existed (nbformat 4.4 and older) gets one per
position for the run; the file written with `--output` keeps the cells as they were.

The kernel is an asynchronous one: nbclient then notices a dead kernel (once a second) and
enforces `--timeout` while it waits; a blocking client would wait on IOPub forever.
"""

from __future__ import annotations

import asyncio
import atexit
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from ..core.exits import Failure, exit_code_of

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def load(path: str | Path) -> NotebookNode:
    """A notebook to execute: the .ipynb itself, or a one-cell notebook drawing a .py app."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix == ".ipynb":
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validator.normalize(nb)
        return nb
    if path.suffix != ".py":
        raise ValueError(f"{path}: expected a notebook (.ipynb) or a Python app (.py)")
    cell = nbformat.v4.new_code_cell(f"%rerun_watch --once {str(path.resolve())!r}")
    cell.id = "app"
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "rerun", "display_name": "Rerun Script",
                                 "language": "python"}
    return nb


class HeadlessClient(NotebookClient):
    """nbclient, sending each cell's id and rerunkernel's metadata with every request."""

    def __init__(self, nb: NotebookNode, presets: dict[str, str] | None = None,
                 progress: Callable[[int, int], None] | None = None, mode: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(nb, **kwargs)
        self.presets = dict(presets or {})
        self.mode = mode or (nb.metadata.get("rerunkernel") or {}).get("mode")
        self._progress = progress
        code = [cell_id(c, i) for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and c.source.strip()]
        self._total = len(code)
        self._last_id = code[-1] if code else None
        self._current: str | None = None
        self.current_index: int | None = None
        self.ready = False
        self._done = 0
        self.on_cell_execute = self._cell_starting
        self.on_cell_executed = self._cell_finished

    def _cell_starting(self, cell: NotebookNode, cell_index: int, **_: Any) -> None:
        self._current = cell_id(cell, cell_index)
        self.current_index = cell_index

    def _cell_finished(self, cell: NotebookNode, cell_index: int, **_: Any) -> None:
        self._done += 1
        if self._progress is not None:
            self._progress(self._done, self._total)

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        client = self

        def execute(code: str, silent: bool = False, store_history: bool = True,
                    user_expressions: dict | None = None, allow_stdin: bool | None = None,
                    stop_on_error: bool = True) -> str:
            current = client._current
            metadata: dict[str, Any] = {}
            if current is not None:
                metadata["cellId"] = current
                metadata["rerunkernel"] = {
                    "headless": True,
                    "presets": client.presets,
                    "final": current == client._last_id,
                }
                if client.mode is not None:
                    metadata["rerunkernel"]["mode"] = client.mode
            content = {"code": code, "silent": silent, "store_history": store_history,
                       "user_expressions": user_expressions or {}, "allow_stdin": False,
                       "stop_on_error": stop_on_error}
            msg = kc.session.msg("execute_request", content, metadata=metadata)
            kc.shell_channel.send(msg)
            return msg["header"]["msg_id"]

        kc.execute = execute
        self.ready = True
        return kc


def cell_id(cell: NotebookNode, index: int) -> str:
    """The cell's id, or one from its position in a notebook saved without ids."""
    return cell.get("id") or f"cell-{index}"


def execute(nb: NotebookNode, presets: dict[str, str] | None = None, *, cwd: str | None = None,
            kernel_name: str = "rerun", timeout: int | None = None,
            progress: Callable[[int, int], None] | None = None,
            mode: str | None = None) -> Failure | None:
    """Execute in place; return what stopped the run, if anything."""
    return asyncio.run(_execute(nb, presets, cwd, kernel_name, timeout, progress, mode))


async def _execute(nb: NotebookNode, presets: dict[str, str] | None, cwd: str | None,
                   kernel_name: str, timeout: int | None,
                   progress: Callable[[int, int], None] | None,
                   mode: str | None) -> Failure | None:
    # ipc sockets in a private directory: a local run needs no TCP ports (and the kernel
    # then has no reason to warn about unencrypted TCP)
    with tempfile.TemporaryDirectory(prefix="rerunkernel-") as sockets:
        km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc",
                                ip=str(Path(sockets) / "kernel"))
        client = HeadlessClient(nb, presets, progress, mode, km=km, kernel_name=kernel_name,
                                timeout=timeout, resources={"metadata": {"path": cwd or "."}})
        failure: Failure | None = None
        try:
            await client.async_execute()
        except Exception as error:
            if not client.ready:
                # a missing kernelspec, or a kernel that died at start (its own traceback
                # is on stderr above); nbclient leaves its exit handler registered then
                atexit.unregister(client._cleanup_kernel)
                failure = Failure(type(error).__name__,
                                  f"the {kernel_name!r} kernel did not start: {error}")
            else:
                code = await km.provisioner.poll() if km.provisioner is not None else None
                failure = _failure(error, _where(nb, client.current_index), timeout, code)
                if failure is None:
                    raise
        finally:
            # a failed run may have left the kernel busy or gone: no point asking it to stop
            if km.has_kernel:
                await km.shutdown_kernel(now=failure is not None)
    return failure


def _failure(error: Exception, where: str, timeout: int | None,
             exit_code: int | None) -> Failure | None:
    """What the user reads about an error nbclient raised; None for an unexpected one."""
    if isinstance(error, CellExecutionError):
        if error.ename == "AppExit":  # a .py app's sys.exit(n): exit with n, as python does
            return Failure("SystemExit", error.evalue, exit_code_of(error.evalue))
        return Failure(error.ename, error.evalue)
    if isinstance(error, CellTimeoutError):
        return Failure("CellTimeoutError",
                       f"{where} ran longer than --timeout {timeout} s, so the run was stopped")
    if isinstance(error, DeadKernelError):
        return Failure("DeadKernelError",
                       f"the kernel died (exit code {exit_code}) while running {where}")
    return None


def _where(nb: NotebookNode, index: int | None) -> str:
    if index is None:
        return "the notebook"
    cell = nb.cells[index]
    named = f" (id {cell['id']!r})" if cell.get("id") else ""
    return f"cell {index + 1}{named}"


def render_text(nb: NotebookNode) -> str:
    """The final screen as plain text: every code cell's outputs, in order."""
    blocks: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                text = out.text
            elif out.output_type == "error":
                text = ANSI.sub("", "\n".join(out.traceback))
            else:
                data = out.get("data", {})
                text = data.get("text/plain", "")
            text = str(text).rstrip("\n")
            if text:
                blocks.append(text)
    return "\n".join(blocks)


def write_html(nb: NotebookNode, path: str | Path) -> None:
    try:
        from nbconvert import HTMLExporter
    except ImportError:
        raise SystemExit("--html needs nbconvert: pip install 'rerunkernel[html]'") from None
    body, _ = HTMLExporter().from_notebook_node(nb)
    Path(path).write_text(body, encoding="utf-8")


def terminal_progress(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} cells")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
