"""The saved notebook as a trigger: saving it reruns the script with the saved cells.

The kernel knows its notebook from `JPY_SESSION_NAME` (set by jupyter_server) or VS Code's
`__vsc_ipynb_file__`. Only code cells' ids and sources count: saving after outputs changed
(which every run does) is not a change. When the JupyterLab extension says it handles saves
itself, or `%rerun_on_save off`, a change only marks the app stale.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .watch import FileWatcher, Watch

log = logging.getLogger("rerunkernel")


def code_cells(path: Path) -> list[tuple[str, str]] | None:
    """The (id, source) of each code cell, or None while the file can't be read.

    Read as plain JSON: the kernel reads its notebook at start, and importing nbformat
    (its validator pulls jsonschema's format checkers) would cost a second of every kernel
    start. Only notebooks older than format 4 go through nbformat's converter.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(nb, dict) or nb.get("nbformat", 0) < 4:
            import nbformat

            nb = nbformat.reads(json.dumps(nb), as_version=4)
        cells = []
        for index, cell in enumerate(nb["cells"]):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                if isinstance(source, list):
                    source = "".join(source)
                cells.append((cell.get("id") or f"saved-{index}", source))
    except Exception as error:  # a half-written or foreign file: wait for the next save
        log.info("could not read %s: %s", path, error)
        return None
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
        self.kernel.notebook_session.request_rerun("save")

    def stop(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
