"""Apps linked with `%rerun_watch`: a .py file (or URL) drawn in the cell that linked it.

Each app is its own session (own namespace, widgets and page), so several apps in one
notebook never disturb each other. A file app reruns when its widgets change, when the file
is saved, or when a local module it imported is saved (that module is dropped from
`sys.modules` first, so the new code is used; installed packages never are).
"""

from __future__ import annotations

import ast
import os
import stat
import sys
from pathlib import Path
from typing import Any

from ..core import runtime
from ..core.exits import app_exit
from ..core.runner import (
    CellOutcome,
    PlainExecutor,
    RunResult,
    RunStatus,
    register_source,
    run_sync,
)
from ..core.runtime import RunContext
from ..core.script import Cell, Script
from ..core.session import Session
from ..core.triggers import Trigger
from ..files.watch import FileWatcher, Watch
from ..fingerprint.project import is_project_file, real_path
from ..fingerprint.regular_files import NotRegularFile, read_regular
from .ipyexec import routed_output


class AppError(RuntimeError):
    """A headless (`--once`) app run failed: the notebook cell fails with it."""


class AppExit(AppError):
    """A headless (`--once`) app called `sys.exit()` with a failing code, which
    `rerunkernel run` exits with (`exits.exit_code_of`)."""


class MissingScript(FileNotFoundError):
    pass


class UnreadableScript(OSError):
    """The app's path holds something that is not a readable UTF-8 file (yet)."""


def read_script(path: Path) -> str:
    """The app's source, or an error whose message says what the path holds instead.

    Whatever is at the path (a folder, a pipe, a binary, a symlink loop, a file we may not
    read) is shown in the app's cell and watched until a readable file takes its place.
    """
    watching = "Watching for it to change."
    try:
        # never blocks: a pipe or a device there would block the kernel, or never end
        data = read_regular(path)
    except NotRegularFile as error:
        if stat.S_ISDIR(error.mode):
            raise UnreadableScript(f"{path} is a directory, not a Python file. {watching}")
        raise UnreadableScript(f"{path} is not a regular file (a pipe or a device?). "
                               f"{watching}") from None
    except FileNotFoundError:
        raise MissingScript(f"{path} does not exist (deleted or moved?). "
                            "Watching for it to come back.") from None
    except UnreadableScript:
        raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise UnreadableScript(f"{path} can't be read: {reason}. {watching}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        found = f"byte {error.start} is {data[error.start]:#04x}"
        message = f"{path} is not UTF-8 text ({found}): is it a binary file? {watching}"
        raise UnreadableScript(message) from None


class AppExecutor(PlainExecutor):
    """A file app reads its file at every run (the file on disk is the script).

    It runs inside the kernel's shell, so what it shows through IPython (`display()`, a
    figure) goes to the app's slots, as a notebook cell's does.
    """

    def __init__(self, filename: str, url: bool, shell: Any) -> None:
        super().__init__(filename=filename)
        self.url = url
        self.shell = shell

    def capture(self, ctx: RunContext) -> Any:
        return routed_output(self.shell)

    async def execute(self, cell: Cell, ctx: RunContext) -> CellOutcome:
        if self.url:
            # no file to read lines from: without this, tracebacks name the URL but show no code
            register_source(cell.filename, cell.source)
        else:
            try:
                cell.source = read_script(Path(cell.filename))
            except OSError as error:
                return CellOutcome(error, [str(error)])
        return await super().execute(cell, ctx)


def resolve(target: str) -> Path:
    """The absolute path of an app; a symlink loop is kept as is, and reported when read."""
    path = Path(target).expanduser()
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(path))


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
        status = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None  # a pipe would block the read
    stamp = status.st_mtime
    cached = _parsed.get(path)
    if cached is None or cached[0] != stamp:
        try:
            tree: ast.AST | None = ast.parse(read_regular(path).decode("utf-8"))
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
    """One linked app; `linking_cell` is the notebook's cell that links it, when known."""

    def __init__(self, apps: Apps, key: tuple[str | None, str], origin: Any, headless: bool,
                 once: bool, linking_cell: Cell | None) -> None:
        self.apps = apps
        cell_id, target = key
        self.target = target
        self.url = target.startswith(("http://", "https://"))
        self.path = None if self.url else resolve(target)
        filename = target if self.url else str(self.path)
        # the linking cell's id: an error in the app leads the run status to that cell
        self.cell = Cell(cell_id or f"app:{filename}", "", filename=filename, origin=origin,
                         headless=headless)
        self.linking_cell = linking_cell
        if linking_cell is not None:
            # its output area shows this app: the notebook's "Not run" notices stay out of it
            linking_cell.extra["app"] = filename
        executor = AppExecutor(filename, self.url, apps.kernel.shell)
        self.session = Session(Script([self.cell]), executor, apps.host.sink, apps.host,
                               name=filename)
        self.session.on_run_end.append(self._after_run)
        notebook = getattr(apps.kernel, "notebook_session", None)
        if notebook is not None:
            self.session.widgets.presets = notebook.widgets.presets
        self.watch: Watch | None = None
        self._modules: dict[Path, set[str]] = {}
        if self.url:
            from ..files.url_fetch import fetch

            self.cell.source = fetch(target)
        elif not once:
            self.watch = apps.watcher.watch([self.path], self._changed)
        if self.path is not None and str(self.path.parent) not in sys.path:
            sys.path.insert(0, str(self.path.parent))
        status = apps.status
        if status is not None:
            status.follow(self.session)

    def refetch(self) -> None:
        if self.url:
            from ..files.url_fetch import fetch

            self.cell.source = fetch(self.target)

    def run_now(self) -> RunResult:
        """Draw the app now, synchronously (from the magic, inside the cell's execution)."""
        return run_sync(self.session.run(Trigger("execute", self.cell.origin), settle=False))

    def _changed(self, paths: set[Path]) -> None:
        for path in paths:
            for name in self._modules.get(path, ()):
                sys.modules.pop(name, None)
        self.session.request_rerun("save", parent=self.cell.origin)

    def _after_run(self, session: Session, result: RunResult) -> None:
        """Watch the local modules this app imports (its own, not other apps' or the notebook's)."""
        if self.path is None or result.fragments is not None:
            return
        modules = local_imports(self.path)
        self._modules = modules
        if self.watch is not None and set(modules) | {self.path} != self.watch.paths:
            self.watch.set_paths([self.path, *modules])

    def move_to(self, origin: Any, headless: bool) -> None:
        """The linking cell was re-shown in a new output area: show the app there too.

        Rerun script, Run All and the replay after a page reload execute every cell; the
        cell linking the app only re-shows its outputs (the notebook ran at the first
        cell), and its old output area, where the app drew, is gone.
        """
        if origin is self.cell.origin:
            return
        self.cell.origin = origin
        self.cell.headless = headless
        self.session.page.resend(self.cell)

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        linking = self.linking_cell
        if linking is not None and linking.extra.get("app") == self.cell.filename:
            del linking.extra["app"]
        status = self.apps.status
        if status is not None:
            status.unfollow(self.session)
        self.session.close()


class Apps:
    """The apps of one kernel, keyed by the cell that linked them and their target."""

    def __init__(self, kernel: Any) -> None:
        from .host import KernelHost

        self.kernel = kernel
        self.host = getattr(kernel, "host", None) or KernelHost(kernel)
        # the extension's run status (the Rerun Script kernel's; a plain kernel has none)
        self.status = getattr(kernel, "extension", None)
        self.watcher = FileWatcher()
        self.apps: dict[tuple[str | None, str], App] = {}
        self.seen: set[tuple[str | None, str]] = set()

    def start(self, target: str, *, once: bool = False, reload: bool = False) -> App:
        parent = self.kernel.get_parent("shell") or {}
        cell_id = (parent.get("metadata") or {}).get("cellId")
        ctx = runtime.active() if runtime.is_script_thread() else None
        host = None
        if ctx is not None and ctx.writer is not None:
            # In a notebook run the request being served may belong to another cell (or be
            # a widget's comm_msg): the app draws in the output area of the cell linking it.
            host = ctx.writer.cell
            cell_id, headless, parent = host.id, host.headless, host.origin
        else:
            headless = not cell_id
        if not target.startswith(("http://", "https://")):
            if "://" in target:
                raise ValueError(f"{target}: only local files and http(s) URLs can be watched")
            target = str(resolve(target))
        key = (cell_id, target)
        for other in [k for k in self.apps if k[0] == cell_id and k != key and cell_id]:
            self.stop_key(other)
        self.seen.add(key)
        app = self.apps.get(key)
        if app is not None and app.cell.origin is parent and not reload:
            return app
        if app is None:
            app = App(self, key, parent, headless, once, host)
            self.apps[key] = app
        else:
            if app.cell.origin is not parent:
                # a new request means a freshly cleared output area; the same one (a notebook
                # rerun passing this cell with --reload) still shows our slots: update them
                app.cell.origin = parent
                app.cell.headless = headless
                app.session.page.forget(app.cell.id)
            if reload:
                app.refetch()
        result = app.run_now()
        if once and result.status.failed:
            raise AppError(f"{target} raised {result.ename}: {result.evalue}")
        if once and result.status == RunStatus.STOPPED and isinstance(result.error, SystemExit):
            failed = app_exit(Path(target).name, result.error.code)
            if failed is not None:
                raise AppExit(failed.evalue)
        return app

    def stop(self, target: str | None = None) -> int:
        keys = list(self.apps)
        if target is not None:
            wanted = target if "://" in target else str(resolve(target))
            keys = [k for k in keys if k[1] == wanted]
        for key in keys:
            self.stop_key(key)
        return len(keys)

    def reshow(self, cell: Cell) -> None:
        """A notebook cell re-shows its outputs in a new output area: move its apps there."""
        for (cell_id, _), app in list(self.apps.items()):
            if cell_id == cell.id:
                app.move_to(cell.origin, cell.headless)

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
