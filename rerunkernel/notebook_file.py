"""The saved notebook as a trigger: saving it reruns the script with the saved cells.

The kernel knows its notebook from `JPY_SESSION_NAME` (set by jupyter_server) or VS Code's
`__vsc_ipynb_file__`. Only code cells' ids and sources count: saving after outputs changed
(which every run does) is not a change. When the JupyterLab extension says it handles saves
itself, or `%rerun_on_save off`, a change only marks the app stale.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import nbformat

from .watch import FileWatcher, Watch

log = logging.getLogger("rerunkernel")


def code_cells(path: Path) -> list[tuple[str, str]] | None:
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as error:  # a half-written or foreign file: wait for the next save
        log.info("could not read %s: %s", path, error)
        return None
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cells.append((cell.get("id") or f"saved-{index}", cell.source))
    return cells


class NotebookFile:
    def __init__(self, kernel: Any, watcher: FileWatcher) -> None:
        self.kernel = kernel
        self.watcher = watcher
        self.enabled = True
        self.path: Path | None = None
        self._watch: Watch | None = None
        self._cells: list[tuple[str, str]] | None = None

    def set_path(self, path: str | Path | None) -> None:
        if not path:
            return
        path = Path(path).expanduser().resolve()
        if path == self.path or path.suffix != ".ipynb":
            return
        if self._watch is not None:
            self._watch.stop()
        self.path = path
        self._cells = code_cells(path) if path.exists() else None
        self._watch = self.watcher.watch([path], self._changed)

    def _changed(self, paths: set[Path]) -> None:
        if self.path is None or not self.path.exists():
            return
        cells = code_cells(self.path)
        if cells is None or cells == self._cells:
            return
        self._cells = cells
        extension = self.kernel.extension
        if extension.comms:
            # JupyterLab with our extension owns saves: it reruns exactly what the user sees
            if not extension.handles_save:
                extension.mark_stale(f"{self.path.name} was saved; run on save is off")
            return
        if not self.enabled:
            extension.mark_stale(f"{self.path.name} changed on disk; rerun on save is off")
            return
        extension.park_cells(cells)
        self.kernel.notebook.request_rerun("save")

    def stop(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
