"""A real JupyterLab server and the notebook actions browser tests share.

The browser tests are the only ones that see what a user sees: the widget manager, the
output areas that route `update_display_data`, the throttle on widget messages. So the
server here is the one a user runs (`python -m jupyterlab` from this environment), with
nothing of the developer's own setup leaking in: its config, runtime, settings and
workspace directories are temporary, and it serves a temporary copy of `notebooks/`, so
autosave never writes into the repository. The data path is left alone on purpose: the
`rerun` kernelspec installed into this environment's prefix is found the way a user's
JupyterLab finds it.

Every wait polls the thing waited for, with a deadline; nothing sleeps a guessed time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
from playwright.sync_api import (
    Browser,
    Dialog,
    Locator,
    Page,
    Playwright,
    WebSocket,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

START_TIMEOUT = 60.0
UI_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0

# Its toast ("Would you like to receive official Jupyter news?") would cover the page.
DISABLED_EXTENSIONS = ["@jupyterlab/apputils-extension:announcements"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class LabError(RuntimeError):
    """The server did not come up, or went away; the message carries its log."""


class JupyterLab:
    """One JupyterLab server process serving a temporary copy of a notebook folder."""

    app = "jupyterlab"  # the module run as the server: "notebook" serves Notebook 7

    def __init__(
        self,
        notebooks: Path,
        *,
        python: str = sys.executable,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.notebooks = Path(notebooks)
        self.python = python
        self.start_timeout = start_timeout
        self.token = secrets.token_hex(24)
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._tmp: Path | None = None

    # --- life cycle ------------------------------------------------------------------------

    @property
    def root(self) -> Path:
        """The folder the server serves: notebooks written here never reach the repository."""
        if self._tmp is None:
            raise LabError("the server has not been started")
        return self._tmp / "root"

    @property
    def log_path(self) -> Path:
        if self._tmp is None:
            raise LabError("the server has not been started")
        return self._tmp / "server.log"

    def start(self) -> JupyterLab:
        self._tmp = Path(tempfile.mkdtemp(prefix="rerunkernel-lab-"))
        shutil.copytree(self.notebooks, self.root, ignore=_not_content)
        env = self._environment()
        config = Path(env["JUPYTER_CONFIG_DIR"])
        (config / "labconfig").mkdir(parents=True)
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {name: True for name in DISABLED_EXTENSIONS}})
        )
        command = [
            self.python, "-m", self.app,
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            # 0: the server binds a free port itself and reports it in its runtime file, so
            # two test runs never race for a port picked in advance
            "--ServerApp.port=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.open_browser=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
            # kernels on IPC sockets named after their connection files: a TCP port found
            # free can be taken before the kernel binds it (Voila's kernel died of "Address
            # already in use" while other workers started kernels)
            "--KernelManager.transport=ipc",
        ]
        with open(self.log_path, "wb") as log:
            # a session of its own: a Ctrl-C meant for pytest reaches the server only through
            # the fixture's teardown, which stops it in order
            self.process = subprocess.Popen(
                command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _environment(self) -> dict[str, str]:
        assert self._tmp is not None
        env = dict(os.environ)
        for name, folder in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ]:
            path = self._tmp / folder
            path.mkdir()
            env[name] = str(path)
        # a developer's IPython profile (startup files, extensions) stays out of the kernels
        env["IPYTHONDIR"] = str(self._tmp / "ipython")
        env["PYTHONUNBUFFERED"] = "1"
        env.pop("JUPYTER_TOKEN", None)
        env.pop("JUPYTER_PORT", None)
        return env

    def _wait_ready(self) -> None:
        """Wait for the port in the server's runtime file, then for an answer on it.

        The server loads its extensions before it serves its first request, so an answer
        from the REST API means the lab pages are there too.
        """
        deadline = time.monotonic() + self.start_timeout
        while (port := self._port_from_runtime_file()) is None:
            self._poll_wait(deadline, "its runtime file")
        self.port = port
        while True:
            try:
                self.api("api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                self._poll_wait(deadline, f"an answer on port {port}")

    def _port_from_runtime_file(self) -> int | None:
        assert self._tmp is not None
        for info_file in (self._tmp / "runtime").glob("jpserver-*.json"):
            try:
                return int(json.loads(info_file.read_text())["port"])
            except (ValueError, KeyError, OSError):
                pass  # being written
        return None

    def _poll_wait(self, deadline: float, what: str) -> None:
        """Wait a little for the process (never longer than the deadline); fail if it ended."""
        assert self.process is not None
        left = deadline - time.monotonic()
        if left <= 0:
            raise LabError(
                f"JupyterLab did not come up within {self.start_timeout:.0f} s (waiting for "
                f"{what}); server log:\n{self.log_tail()}"
            )
        try:
            code = self.process.wait(timeout=min(0.1, left))
        except subprocess.TimeoutExpired:
            return
        raise LabError(f"JupyterLab exited with status {code}; server log:\n{self.log_tail()}")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the server, which shuts its kernels down, then remove its folders.

        If it has to be killed, its kernels still end: ipykernel exits when its parent dies.
        """
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> JupyterLab:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except (OSError, LabError):
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # --- HTTP ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise LabError("the server has not been started")
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str) -> str:
        """A browser address for `path`, logged in by the token."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}{path.lstrip('/')}{separator}token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 10.0) -> Any:
        request = urllib.request.Request(
            self.base_url + path.lstrip("/"),
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernelspecs(self) -> dict[str, Any]:
        return self.api("api/kernelspecs")["kernelspecs"]

    def sessions(self) -> list[dict[str, Any]]:
        return self.api("api/sessions")

    def kernels(self) -> list[dict[str, Any]]:
        return self.api("api/kernels")

    def reset(self) -> None:
        """End every session and kernel, put the served notebooks back as they were, and
        forget the workspace and any setting changed through the settings API.

        A test leaves no kernel running, no autosaved outputs and no open tabs behind for the
        next one (JupyterLab would open again every notebook the last page had open); nor
        does a module for the next module served by the same server (tests/e2e/conftest.py).
        Kernels without a session go too: Voila's page starts its kernel without one.
        """
        for session in self.sessions():
            self._delete(f"api/sessions/{session['id']}")
        for kernel in self.kernels():
            self._delete(f"api/kernels/{kernel['id']}")
        # emptied, not removed: it is the server's working directory, and the one new
        # kernels start in
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        shutil.copytree(self.notebooks, self.root, ignore=_not_content, dirs_exist_ok=True)
        for folder in ("workspaces", "settings"):
            # the open page may save its workspace meanwhile (its layout changed as its
            # documents closed): the server then makes the folder again, or writes into it
            # while it goes; what it writes is the emptied page's
            shutil.rmtree(self.root.parent / folder, ignore_errors=True)
            (self.root.parent / folder).mkdir(exist_ok=True)

    def _delete(self, path: str) -> None:
        try:
            self.api(path, method="DELETE", timeout=STOP_TIMEOUT)
        except urllib.error.HTTPError as error:
            if error.code != 404:  # ended meanwhile
                raise


class Notebook7(JupyterLab):
    """A Notebook 7 server: the same harness, running `notebook`."""

    app = "notebook"


def _not_content(folder: str, names: list[str]) -> set[str]:
    """Leave out checkpoints and anything that is not a plain file or folder (a kernel
    started from the folder with IPC transport leaves its sockets there)."""
    skipped = set()
    for name in names:
        path = Path(folder, name)
        if name == ".ipynb_checkpoints" or not (path.is_file() or path.is_dir()):
            skipped.add(name)
    return skipped


# A camera and a microphone Chromium makes up (a test pattern, a tone), given to a page that
# asks without a prompt: what camera_input and audio_input are tested with.
FAKE_MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless Chromium; Playwright gives each launch a new, temporary profile."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS + FAKE_MEDIA_ARGS)


# --- the notebook in the browser -------------------------------------------------------------


class Notebook:
    """A notebook open in JupyterLab, acted on through the page as a user would.

    Cells are found by position in the page; `cell_by_id` asks the application for a cell's
    position, since JupyterLab does not put cell ids in the DOM.
    """

    def __init__(self, page: Page, lab: JupyterLab, path: str) -> None:
        self.page = page
        self.lab = lab
        self.path = path

    @classmethod
    def open(
        cls, page: Page, lab: JupyterLab, path: str, kernel: str | None = None,
        timeout: float = START_TIMEOUT,
    ) -> Notebook:
        """Open `path` and wait until its kernel is up and idle: in the JupyterLab the page
        shows, if it shows one (the page a module's tests share), else by loading it.

        `kernel` is the display name the toolbar must show; a kernel picker dialog instead
        (the notebook's kernelspec is unknown to the server) fails with the dialog's text.
        """
        if page.url.startswith(lab.base_url + "lab"):  # JupyterLab is up: a load costs 3 s
            return cls.open_in_app(page, lab, path, kernel, timeout)
        notebook = cls(page, lab, path)
        page.goto(lab.url(f"lab/tree/{path}"), timeout=timeout * 1000)
        notebook._wait_loaded(kernel, timeout)
        return notebook

    @classmethod
    def open_in_app(
        cls, page: Page, lab: JupyterLab, path: str, kernel: str | None = None,
        timeout: float = START_TIMEOUT,
    ) -> Notebook:
        """Open `path` in the JupyterLab the page already shows, as a user opening another
        notebook would (no page load), and wait as `open` does."""
        notebook = cls(page, lab, path)
        page.evaluate(
            "path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", path
        )
        page.wait_for_function(
            "path => window.jupyterapp.shell.currentWidget?.context?.path === path",
            arg=path, timeout=timeout * 1000,
        )
        notebook._wait_loaded(kernel, timeout)
        return notebook

    def reload(self, kernel: str | None = None, timeout: float = START_TIMEOUT) -> None:
        """Reload the page, as a user pressing F5 would, and wait as `open` does.

        The notebook's kernel keeps running. A notebook with unsaved changes makes the page
        ask before it unloads; the user's answer is yes.
        """
        def leave(dialog: Dialog) -> None:
            if dialog.type == "beforeunload":
                dialog.accept()
            else:
                dialog.dismiss()

        self.page.on("dialog", leave)
        try:
            self.page.reload(timeout=timeout * 1000)
        finally:
            self.page.remove_listener("dialog", leave)
        self._wait_loaded(kernel, timeout)

    def _wait_loaded(self, kernel: str | None, timeout: float) -> None:
        name = self.kernel_name
        try:
            # the toolbar says "No Kernel" until the document is loaded and its session up
            if kernel is None:
                expect(name).not_to_have_text("No Kernel", timeout=timeout * 1000)
            else:
                expect(name).to_have_text(kernel, timeout=timeout * 1000)
        except AssertionError:
            dialogs = self.probe(
                "() => Array.from(document.querySelectorAll('.jp-Dialog'), d => d.innerText)"
            )
            if dialogs:
                raise AssertionError(f"opening {self.path} showed a dialog: {dialogs}") from None
            raise
        self.wait_kernel_idle(timeout)

    # --- where things are ------------------------------------------------------------------

    @property
    def panel(self) -> Locator:
        """The notebook on show (each test opens one notebook in a fresh workspace)."""
        return self.page.locator("#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)")

    @property
    def cells(self) -> Locator:
        return self.panel.locator(".jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Locator:
        return self.cells.nth(index)

    def cell_index(self, cell_id: str, timeout: float = UI_TIMEOUT) -> int:
        try:
            found = self.page.wait_for_function(
                """id => {
                    const cells = window.jupyterapp.shell.currentWidget?.content?.widgets;
                    const index = cells ? cells.findIndex(cell => cell.model.id === id) : -1;
                    return index < 0 ? null : {index};
                }""",
                arg=cell_id,
                timeout=timeout * 1000,
            )
        except PlaywrightTimeoutError:
            raise LookupError(f"no cell with id {cell_id!r} in {self.path}") from None
        return int(found.json_value()["index"])

    def cell_by_id(self, cell_id: str) -> Locator:
        return self.cell(self.cell_index(cell_id))

    def output(self, cell: int | Locator) -> Locator:
        """A cell's output area (not the output areas of Output widgets inside it)."""
        if isinstance(cell, int):
            cell = self.cell(cell)
        return cell.locator(".jp-Cell-outputArea")

    def output_text(self, cell: int | Locator) -> str:
        return self.output(cell).inner_text()

    def slider(self, cell: int | Locator, label: str) -> Slider:
        outputs = self.output(cell)
        view = outputs.locator(".widget-slider").filter(
            has=self.page.locator(".widget-label", has_text=label)
        )
        return Slider(view)

    @property
    def kernel_name(self) -> Locator:
        """The toolbar's kernel button; it shows the kernel's display name."""
        return self.panel.locator(".jp-Toolbar .jp-KernelName")

    @property
    def kernel_status(self) -> Locator:
        """The toolbar's kernel status circle; `data-status` is the kernel's state."""
        return self.panel.locator(".jp-Toolbar .jp-Notebook-ExecutionIndicator")

    @property
    def toolbar(self) -> Locator:
        return self.panel.locator(".jp-NotebookPanel-toolbar")

    def toolbar_item(self, name: str) -> Locator:
        """A notebook toolbar item by the name it is registered under."""
        return self.toolbar.locator(f"[data-jp-item-name='{name}']")

    @property
    def rerun_button(self) -> Locator:
        """The extension's Rerun button (it reruns the whole script)."""
        return self.toolbar_item("rerun-script").get_by_role("button", name="Rerun", exact=True)

    @property
    def run_status(self) -> Locator:
        """The extension's run status: `data-state` is idle, running, stale or error."""
        return self.toolbar_item("rerun-status")

    # --- the notebook as the application holds it -----------------------------------------

    def wait_active_cell(self, index: int, timeout: float = UI_TIMEOUT) -> None:
        """Wait until the cell at `index` is the notebook's active cell."""
        try:
            self.page.wait_for_function(
                "index => window.jupyterapp.shell.currentWidget?.content?.activeCellIndex "
                "=== index",
                arg=index,
                timeout=timeout * 1000,
            )
        except PlaywrightTimeoutError:
            active = self.probe(
                "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
            )
            raise AssertionError(
                f"cell {active} is active, not cell {index}, after {timeout:.0f} s"
            ) from None

    def wait_source(self, index: int, source: str, timeout: float = UI_TIMEOUT) -> None:
        """Wait until the cell at `index` holds exactly `source` (what the kernel is sent)."""
        try:
            self.page.wait_for_function(
                """([index, source]) => {
                    const cell = window.jupyterapp.shell.currentWidget?.content?.widgets[index];
                    return cell?.model.sharedModel.getSource() === source;
                }""",
                arg=[index, source],
                timeout=timeout * 1000,
            )
        except PlaywrightTimeoutError:
            held = self.probe(
                "index => window.jupyterapp.shell.currentWidget.content.widgets[index]"
                "?.model.sharedModel.getSource()",
                index,
            )
            raise AssertionError(
                f"cell {index} holds {held!r}, not {source!r}, after {timeout:.0f} s"
            ) from None

    # --- actions ---------------------------------------------------------------------------

    def wait_kernel_idle(self, timeout: float = UI_TIMEOUT) -> None:
        expect(self.kernel_status).to_have_attribute(
            "data-status", "idle", timeout=timeout * 1000
        )

    def run_all(self, timeout: float = UI_TIMEOUT) -> None:
        """Run > Run All Cells, then wait until every cell ran and the kernel is idle.

        The menu marks every code cell as queued (`[*]`) before it returns, so waiting for
        no queued cell cannot pass before the run has started.
        """
        self.page.locator("#jp-menu-panel").get_by_role(
            "menuitem", name="Run", exact=True
        ).click()
        self.page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        self.wait_all_ran(timeout)

    def wait_all_ran(self, timeout: float = UI_TIMEOUT) -> None:
        try:
            expect(self.panel.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(
                0, timeout=timeout * 1000
            )
        except AssertionError:
            prompts = self.probe(
                "() => Array.from(document.querySelectorAll('.jp-InputPrompt'), "
                "p => p.textContent)"
            )
            raise AssertionError(
                f"cells still queued or running after {timeout:.0f} s: {prompts}"
            ) from None
        self.wait_kernel_idle(timeout)

    @property
    def in_command_mode(self) -> Locator:
        return self.panel.locator(".jp-Notebook.jp-mod-commandMode")

    def select(self, index: int) -> None:
        """Make the cell at `index` the active one, in command mode, by clicking its prompt."""
        self.cell(index).locator(".jp-InputPrompt").click()
        self.page.keyboard.press("Escape")
        expect(self.in_command_mode).to_have_count(1)
        self.wait_active_cell(index)

    def insert_cell(self, index: int, *, above: bool) -> int:
        """Insert a code cell next to the cell at `index` with the A / B key; its index."""
        count = self.cells.count()
        self.select(index)
        self.page.keyboard.press("a" if above else "b")
        expect(self.cells).to_have_count(count + 1)
        new = index if above else index + 1
        self.wait_active_cell(new)
        return new

    def scroll_to_end(self) -> None:
        """Scroll the notebook as far down as it goes."""
        self.panel.locator(".jp-WindowedPanel-outer").evaluate(
            "outer => outer.scrollTo({top: outer.scrollHeight, behavior: 'instant'})"
        )

    def edit(self, index: int, source: str) -> None:
        """Replace the cell's code by typing `source` into its editor; stays in edit mode.

        The editor closes brackets and quotes as they are typed and skips over the closing
        ones typed after them, so ordinary code comes out as typed; the cell's model is
        checked to be sure.
        """
        self.cell(index).locator(".jp-InputArea-editor .cm-content").click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(source)
        self.wait_source(index, source)

    def record_run_status(self) -> None:
        """From now on, keep every state and label the run status shows, in order.

        A state that lasts a fraction of a second is missed by polling; a mutation observer
        in the page sees each one. Read them with `run_status_history`.
        """
        self.probe(
            """status => {
                const seen = [];
                const record = () => {
                    const entry = `${status.dataset.state}: ${status.textContent}`;
                    if (seen[seen.length - 1] !== entry) seen.push(entry);
                };
                record();
                new MutationObserver(record).observe(status, {
                    attributes: true, childList: true, characterData: true, subtree: true,
                });
                window.rerunStatusSeen = seen;
                return true;
            }""",
            self.run_status.element_handle(),
        )

    def run_status_history(self) -> list[str]:
        """What the run status showed since `record_run_status`, as "state: label" lines."""
        return self.probe("() => window.rerunStatusSeen")

    def wait_chart_drawn(self, cell: int | Locator, timeout: float = UI_TIMEOUT) -> Locator:
        """Wait for a Vega chart in the cell's outputs with something painted; return its marks.

        Vega draws into a `canvas.marks` (or an `svg.marks`); drawn means a box of nonzero
        size with at least one painted pixel (or path). The marks are looked up again on
        every poll: an update of the chart's output replaces them, and a canvas replaced
        before it was painted is never painted.
        """
        outputs = self.output(cell)
        marks = outputs.locator(".vega-embed canvas.marks, .vega-embed svg.marks")
        expect(marks).to_have_count(1, timeout=timeout * 1000)
        try:
            self.page.wait_for_function(
                """outputs => {
                    const found = outputs.querySelectorAll(
                        '.vega-embed canvas.marks, .vega-embed svg.marks');
                    if (found.length !== 1) return false;
                    const marks = found[0];
                    const box = marks.getBoundingClientRect();
                    if (box.width === 0 || box.height === 0) return false;
                    if (marks.tagName.toLowerCase() === 'svg') {
                        return marks.querySelector('path') !== null;
                    }
                    const context = marks.getContext('2d');
                    const pixels = context.getImageData(0, 0, marks.width, marks.height).data;
                    return pixels.some(channel => channel !== 0);
                }""",
                arg=outputs.element_handle(timeout=timeout * 1000),
                timeout=timeout * 1000,
            )
        except PlaywrightTimeoutError:
            sizes = self.probe(
                "outputs => Array.from(outputs.querySelectorAll("
                "'.vega-embed canvas.marks, .vega-embed svg.marks'), marks => { "
                "const b = marks.getBoundingClientRect(); return `${b.width}x${b.height}`; })",
                outputs.element_handle(timeout=timeout * 1000),
            )
            raise AssertionError(f"the chart was not drawn within {timeout:.0f} s "
                                 f"(its marks measure {sizes})") from None
        return marks

    def probe(self, script: str, arg: Any = None, timeout: float = 5.0) -> Any:
        """Evaluate `script` for a failure message; raise if the page no longer answers.

        `page.evaluate` has no timeout: on a page whose main thread is stuck it would wait
        until the renderer crashes, minutes later.
        """
        try:
            found = self.page.wait_for_function(
                f"arg => ({{value: ({script})(arg)}})", arg=arg, timeout=timeout * 1000
            )
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"the page stopped responding (no answer to a script in {timeout:.0f} s): "
                "its main thread is blocked; the browser console may say why"
            ) from None
        return found.json_value()["value"]


class SentMessages:
    """The kernel messages a page sends over its kernel websockets, decoded.

    Create it before the page opens a notebook: it sees the websockets opened after it.
    """

    def __init__(self, page: Page) -> None:
        self.messages: list[dict[str, Any]] = []
        page.on("websocket", self._connected)

    def _connected(self, socket: WebSocket) -> None:
        if "/api/kernels/" in socket.url:
            socket.on("framesent", self._sent)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str):  # the legacy protocol: one JSON document
            message = json.loads(payload)
            header, content = message["header"], message["content"]
            channel = message.get("channel")
        else:  # v1.kernel.websocket.jupyter.org: offsets, channel, then the message parts
            channel, parts = deserialize_msg_from_ws_v1(payload)
            header, content = json.loads(parts[0]), json.loads(parts[3])
        self.messages.append({"channel": channel, "msg_type": header["msg_type"],
                              "content": content})

    def comm_targets(self) -> list[str]:
        """The target names of the comms the page opened."""
        return [m["content"].get("target_name") for m in self.messages
                if m["msg_type"] == "comm_open"]


class Slider:
    """An ipywidgets slider view: noUiSlider's handle (the focusable part) and the readout."""

    def __init__(self, view: Locator) -> None:
        self.view = view

    @property
    def handle(self) -> Locator:
        return self.view.locator(".noUi-handle[role='slider']")

    @property
    def readout(self) -> Locator:
        return self.view.locator(".widget-readout")

    def press(self, key: str, times: int = 1) -> None:
        """Focus the handle once and press `key`, as a keyboard user moves a slider.

        The keys go wherever the focus is: if a rerun took it away, they miss the slider.
        """
        self.handle.focus()
        expect(self.handle).to_be_focused()
        for _ in range(times):
            self.handle.page.keyboard.press(key)


# --- a notebook a test writes, run in each front-end -----------------------------------------

RERUN = "Rerun Script"  # the display name of the `rerun` kernelspec


def notebook_file(*sources: str) -> str:
    """A Rerun Script notebook of code cells holding `sources` (ids cell0, cell1, ...)."""
    cells = [{"cell_type": "code", "id": f"cell{i}", "metadata": {}, "execution_count": None,
              "outputs": [], "source": source} for i, source in enumerate(sources)]
    return json.dumps({
        "cells": cells,
        "metadata": {"kernelspec": {"name": "rerun", "display_name": RERUN,
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    })


def run_in_lab(page: Page, lab: JupyterLab, name: str, *sources: str,
               timeout: float = 60.0) -> Notebook:
    """Write the notebook `name` of `sources`, open it in JupyterLab and run all its cells."""
    (lab.root / name).write_text(notebook_file(*sources))
    notebook = Notebook.open(page, lab, name, kernel=RERUN)
    notebook.run_all(timeout=timeout)
    return notebook


def open_in_voila(page: Page, lab: JupyterLab, name: str, *sources: str) -> Locator:
    """Write the notebook `name` of `sources` and load the page Voila makes of it (Voila
    runs it); the page's body."""
    (lab.root / name).write_text(notebook_file(*sources))
    page.goto(lab.url(f"voila/render/{name}"), timeout=2 * UI_TIMEOUT * 1000)
    return page.locator("body")


def run_in_notebook7(page: Page, server: JupyterLab, name: str, *sources: str) -> Locator:
    """Write the notebook `name` of `sources`, open it in Notebook 7 and run it with the
    extension's Rerun button once the kernel is up; the notebook's panel."""
    (server.root / name).write_text(notebook_file(*sources))
    page.goto(server.url(f"notebooks/{name}"), timeout=2 * UI_TIMEOUT * 1000)
    panel = page.locator(".jp-NotebookPanel")
    rerun = panel.locator(".jp-NotebookPanel-toolbar [data-jp-item-name='rerun-script'] button")
    expect(rerun).to_be_enabled(timeout=2 * UI_TIMEOUT * 1000)  # the kernel is up
    rerun.click()
    return panel
