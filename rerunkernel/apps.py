"""Apps linked with `%rerun_watch`: a .py file (or URL) drawn in the cell that linked it.

Each app is its own session (own namespace, widgets and page), so several apps in one
notebook never disturb each other. A file app reruns when its widgets change, when the file
is saved, or when a local module it imported is saved (that module is dropped from
`sys.modules` first, so the new code is used; installed packages never are).
"""

from __future__ import annotations

import ast
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from . import runtime
from .project import is_project_file, real_path
from .runner import (
    ERROR,
    INTERRUPTED,
    CellOutcome,
    PlainExecutor,
    RunResult,
    register_source,
    run_sync,
)
from .runtime import RunContext
from .script import Cell, Script
from .session import Session
from .triggers import Trigger
from .watch import FileWatcher, Watch

FETCH_TIMEOUT = 10.0
FETCH_LIMIT = 5_000_000


class AppError(RuntimeError):
    """A headless (`--once`) app run failed: the notebook cell fails with it."""


class MissingScript(FileNotFoundError):
    pass


def fetch(url: str) -> str:
    """The text of an http(s) URL, with a timeout and a size limit."""
    scheme = urllib.parse.urlparse(url).scheme
    if scheme not in ("http", "https"):
        raise ValueError(f"{url}: only http:// and https:// URLs can be watched")
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:
            body = response.read(FETCH_LIMIT + 1)
    except urllib.error.HTTPError as error:
        raise ValueError(f"could not fetch {url}: HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ValueError(f"could not fetch {url}: {reason}") from None
    if len(body) > FETCH_LIMIT:
        raise ValueError(f"{url} is larger than {FETCH_LIMIT:,} bytes")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{url} is not UTF-8 text") from None




class AppExecutor(PlainExecutor):
    """A file app reads its file at every run (the file on disk is the script)."""

    def __init__(self, filename: str, url: bool) -> None:
        super().__init__(filename=filename)
        self.url = url

    async def execute(self, cell: Cell, ctx: RunContext) -> CellOutcome:
        if self.url:
            # no file to read lines from: without this, tracebacks name the URL but show no code
            register_source(cell.filename, cell.source)
        else:
            try:
                cell.source = Path(cell.filename).read_text(encoding="utf-8")
            except FileNotFoundError:
                message = (f"{cell.filename} does not exist (deleted or moved?). "
                           "Watching for it to come back.")
                return CellOutcome(MissingScript(message), [message])
        return await super().execute(cell, ctx)


def _imported_names(tree: ast.AST, package: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".strip(".") if anchor else base
            if base:
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


_parsed: dict[Path, tuple[float, ast.AST | None]] = {}


def _parse(path: Path) -> ast.AST | None:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _parsed.get(path)
    if cached is None or cached[0] != stamp:
        try:
            tree: ast.AST | None = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, OSError):
            tree = None
        cached = _parsed[path] = (stamp, tree)
    return cached[1]


def local_imports(app: Path) -> dict[Path, set[str]]:
    """The local modules an app imports, directly or through other local modules.

    Local: under the app's folder or the working directory, and not installed (the
    interpreter, site-packages, ourselves). Found from the source, so two apps, or an app
    and the notebook, never claim each other's modules.
    """
    roots = (str(app.parent), real_path(os.getcwd()))
    found: dict[Path, set[str]] = {}
    todo: list[tuple[Path, str]] = [(app, "")]
    seen = {app}
    while todo:
        path, package = todo.pop()
        tree = _parse(path)
        if tree is None:
            continue
        for name in _imported_names(tree, package):
            file = getattr(sys.modules.get(name), "__file__", None)
            if not file or not file.endswith(".py"):
                continue
            if not is_project_file(file, roots):
                continue
            resolved = Path(real_path(file))
            found.setdefault(resolved, set()).add(name)
            if resolved not in seen:
                seen.add(resolved)
                is_package = resolved.name == "__init__.py"
                todo.append((resolved, name if is_package else name.rpartition(".")[0]))
    found.pop(app, None)
    return found


class App:
    def __init__(self, apps: Apps, target: str, origin: Any, headless: bool, once: bool):
        self.apps = apps
        self.target = target
        self.url = target.startswith(("http://", "https://"))
        self.path = None if self.url else Path(target).expanduser().resolve()
        filename = target if self.url else str(self.path)
        self.cell = Cell(f"app:{filename}", "", filename=filename, origin=origin,
                         headless=headless)
        self.session = Session(Script([self.cell]), AppExecutor(filename, self.url),
                               apps.host.sink, apps.host, name=filename)
        self.session.on_run_end.append(self._after_run)
        notebook = getattr(apps.kernel, "notebook", None)
        if notebook is not None:
            self.session.widgets.presets = notebook.widgets.presets
        self.watch: Watch | None = None
        self._modules: dict[Path, set[str]] = {}
        if self.url:
            self.cell.source = fetch(target)
        elif not once:
            self.watch = apps.watcher.watch([self.path], self._changed)
        if self.path is not None and str(self.path.parent) not in sys.path:
            sys.path.insert(0, str(self.path.parent))

    def refetch(self) -> None:
        if self.url:
            self.cell.source = fetch(self.target)

    def run_now(self) -> RunResult:
        """Draw the app now, synchronously (from the magic, inside the cell's execution)."""
        return run_sync(self.session.run(Trigger("execute", self.cell.origin)))

    def _changed(self, paths: set[Path]) -> None:
        for path in paths:
            for name in self._modules.get(path, ()):
                sys.modules.pop(name, None)
        self.session.request_rerun("save", parent=self.cell.origin)

    def _after_run(self, session: Session, result: RunResult) -> None:
        """Watch the local modules this app imports (its own, not other apps' or the notebook's)."""
        if self.path is None:
            return
        modules = local_imports(self.path)
        self._modules = modules
        if self.watch is not None and set(modules) | {self.path} != self.watch.paths:
            self.watch.set_paths([self.path, *modules])

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        self.session.close()


class Apps:
    """The apps of one kernel, keyed by the cell that linked them and their target."""

    def __init__(self, kernel: Any) -> None:
        from .host import KernelHost

        self.kernel = kernel
        self.host = getattr(kernel, "host", None) or KernelHost(kernel)
        self.watcher = FileWatcher()
        self.apps: dict[tuple[str | None, str], App] = {}
        self.seen: set[tuple[str | None, str]] = set()

    def start(self, target: str, *, once: bool = False, reload: bool = False) -> App:
        parent = self.kernel.get_parent("shell") or {}
        cell_id = (parent.get("metadata") or {}).get("cellId")
        ctx = runtime.active() if runtime.is_script_thread() else None
        if ctx is not None and ctx.writer is not None:
            # In a notebook run the request being served may belong to another cell (or be
            # a widget's comm_msg): the app draws in the output area of the cell linking it.
            cell = ctx.writer.cell
            cell_id, headless, parent = cell.id, cell.headless, cell.origin
        else:
            headless = not cell_id
        if not target.startswith(("http://", "https://")):
            if "://" in target:
                raise ValueError(f"{target}: only local files and http(s) URLs can be watched")
            target = str(Path(target).expanduser().resolve())
        key = (cell_id, target)
        for other in [k for k in self.apps if k[0] == cell_id and k != key and cell_id]:
            self.stop_key(other)
        self.seen.add(key)
        app = self.apps.get(key)
        if app is not None and app.cell.origin is parent and not reload:
            return app
        if app is None:
            app = App(self, target, parent, headless, once)
            self.apps[key] = app
        else:
            if app.cell.origin is not parent:
                # a new request means a freshly cleared output area; the same one (a notebook
                # rerun passing this cell with --reload) still shows our slots: update them
                app.cell.origin = parent
                app.cell.headless = headless
                app.session.page.reset(app.cell)
            if reload:
                app.refetch()
        result = app.run_now()
        if once and result.status in (ERROR, INTERRUPTED):
            raise AppError(f"{target} raised {result.ename}: {result.evalue}")
        return app

    def stop(self, target: str | None = None) -> int:
        keys = list(self.apps)
        if target is not None:
            wanted = target if "://" in target else str(Path(target).expanduser().resolve())
            keys = [k for k in keys if k[1] == wanted]
        for key in keys:
            self.stop_key(key)
        return len(keys)

    def stop_key(self, key: tuple[str | None, str]) -> None:
        app = self.apps.pop(key, None)
        if app is not None:
            app.stop()

    def sweep(self) -> None:
        """After a full notebook run: stop apps whose cell no longer links them."""
        for key in [k for k in self.apps if k not in self.seen]:
            self.stop_key(key)
        self.seen = set()

    def stop_all(self) -> None:
        self.stop()
        self.watcher.stop()
