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
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

START_TIMEOUT = 60.0
UI_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0

# The news toast ("Would you like to receive official Jupyter news?") would cover the page
# and fetches from the network.
DISABLED_EXTENSIONS = ["@jupyterlab/apputils-extension:announcements"]


class LabError(RuntimeError):
    """The server did not come up, or went away; the message carries its log."""


class JupyterLab:
    """One JupyterLab server process serving a temporary copy of a notebook folder."""

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
            self.python, "-m", "jupyterlab",
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
        ]
        with open(self.log_path, "wb") as log:
            # a session of its own: teardown can reach the kernels the server started even
            # if the server itself had to be killed
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
        deadline = time.monotonic() + self.start_timeout
        runtime = Path(self._tmp, "runtime")
        while self.port is None:
            for info_file in runtime.glob("jpserver-*.json"):
                try:
                    self.port = int(json.loads(info_file.read_text())["port"])
                except (ValueError, KeyError, OSError):
                    continue  # written but not complete yet
            self._poll_wait(deadline, "its runtime file")
        while True:
            try:
                self.api("api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                self._poll_wait(deadline, f"an answer on port {self.port}")
        # the lab extension's own routes come up with the server, but only answer once the
        # extension has loaded: a page requested earlier would be a 404
        while True:
            try:
                self.api("lab/api/settings")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                self._poll_wait(deadline, "JupyterLab's settings API")

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

    def stop(self) -> None:
        """Stop the server the way Ctrl-C would (its kernels shut down with it), then clean up."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=STOP_TIMEOUT)
            # anything the server started and left behind (a kernel whose shutdown hung)
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
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

    def shutdown_sessions(self) -> None:
        """End every notebook session and its kernel: a test leaves no kernel running."""
        for session in self.api("api/sessions"):
            try:
                self.api(f"api/sessions/{session['id']}", method="DELETE", timeout=STOP_TIMEOUT)
            except urllib.error.HTTPError as error:
                if error.code != 404:  # already gone
                    raise

    def copy_notebook(self, name: str, as_name: str) -> str:
        """A private copy of a served notebook: its own session, kernel and autosaves."""
        shutil.copy(self.root / name, self.root / as_name)
        return as_name


def _not_content(folder: str, names: list[str]) -> set[str]:
    """Leave out checkpoints and anything that is not a plain file or folder (a kernel
    started from the folder with IPC transport leaves its sockets there)."""
    skipped = set()
    for name in names:
        path = Path(folder, name)
        if name == ".ipynb_checkpoints" or not (path.is_file() or path.is_dir()):
            skipped.add(name)
    return skipped


# --- the notebook in the browser ---------------------------------------------------------------


class Notebook:
    """A notebook open in JupyterLab, acted on through the page as a user would."""

    def __init__(self, page: Page, lab: JupyterLab, path: str) -> None:
        self.page = page
        self.lab = lab
        self.path = path

    @classmethod
    def open(
        cls, page: Page, lab: JupyterLab, path: str, timeout: float = UI_TIMEOUT
    ) -> Notebook:
        notebook = cls(page, lab, path)
        page.goto(lab.url(f"lab/tree/{path}"), timeout=timeout * 1000)
        notebook.panel.wait_for(state="visible", timeout=timeout * 1000)
        notebook.cells.first.wait_for(state="visible", timeout=timeout * 1000)
        return notebook

    # --- where things are ------------------------------------------------------------------

    @property
    def panel(self) -> Locator:
        """The notebook's tab panel; the only one open, as each test opens one notebook."""
        name = self.path.rsplit("/", 1)[-1]
        return self.page.locator(".jp-NotebookPanel").filter(
            has=self.page.locator(f".jp-Notebook[data-jp-kernel-user]")
        ).or_(self.page.locator(".jp-NotebookPanel")).filter(visible=True).first \
            if not name else self.page.locator(f".jp-NotebookPanel:visible").first

    @property
    def cells(self) -> Locator:
        return self.panel.locator(".jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Locator:
        return self.cells.nth(index)

    def output(self, index: int) -> Locator:
        return self.cell(index).locator(".jp-OutputArea")

    def output_text(self, index: int) -> str:
        return self.output(index).inner_text()

    @property
    def kernel_name(self) -> Locator:
        """The kernel button in the notebook toolbar (it shows the kernel's display name)."""
        return self.panel.locator(".jp-Toolbar .jp-KernelName")

    @property
    def kernel_status(self) -> Locator:
        """The toolbar's kernel status circle; `data-status` is the kernel's state."""
        return self.panel.locator(".jp-Toolbar .jp-Notebook-ExecutionIndicator")

    # --- actions ---------------------------------------------------------------------------

    def wait_kernel_idle(self, timeout: float = UI_TIMEOUT) -> None:
        expect(self.kernel_status).to_have_attribute("data-status", "idle",
                                                     timeout=timeout * 1000)

    def run_all(self) -> None:
        """Run > Run All Cells, through the menu bar."""
        self.page.locator("#jp-menu-panel").get_by_role(
            "menuitem", name="Run", exact=True
        ).click()
        self.page.get_by_role("menuitem", name="Run All Cells").click()
