"""Run a notebook or a .py app once, headless, the way CI does: through nbclient.

Each execute_request carries the cell's id and our metadata (headless, the `--set` widget
values, and which request is the last), so the kernel stores value snapshots next to each
widget, writes real `error` outputs, and checks at the end that every `--set` name matched a
widget.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

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
        code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
        self._total = len(code)
        self._last_id = code[-1].get("id") if code else None
        self._current: NotebookNode | None = None
        self._done = 0
        self.on_cell_execute = self._cell_starting
        self.on_cell_executed = self._cell_finished

    def _cell_starting(self, cell: NotebookNode, cell_index: int, **_: Any) -> None:
        self._current = cell

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
            cell = client._current
            metadata: dict[str, Any] = {}
            if cell is not None and cell.get("id"):
                metadata["cellId"] = cell["id"]
                metadata["rerunkernel"] = {
                    "headless": True,
                    "presets": client.presets,
                    "final": cell["id"] == client._last_id,
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
        return kc


def execute(nb: NotebookNode, presets: dict[str, str] | None = None, *, cwd: str | None = None,
            kernel_name: str = "rerun", timeout: int | None = None,
            progress: Callable[[int, int], None] | None = None,
            mode: str | None = None) -> CellExecutionError | None:
    """Execute in place; return the error that stopped the run, if any."""
    import tempfile

    from jupyter_client.manager import KernelManager

    # ipc sockets in a private directory: a local run needs no TCP ports (and the kernel
    # then has no reason to warn about unencrypted TCP)
    with tempfile.TemporaryDirectory(prefix="rerunkernel-") as sockets:
        km = KernelManager(kernel_name=kernel_name, transport="ipc",
                           ip=str(Path(sockets) / "kernel"))
        client = HeadlessClient(nb, presets, progress, mode, km=km, kernel_name=kernel_name,
                                timeout=timeout, resources={"metadata": {"path": cwd or "."}})
        try:
            client.execute()
        except CellExecutionError as error:
            return error
    return None


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
