"""Fixtures for the end-to-end tests: `rerunkernel run` in this process (`run_here`), and
for the browser tests one JupyterLab server per worker process, reset for each module and
each test, one Chromium and one page for a worker's consecutive browser tests (taken back to
an empty JupyterLab after each test: `Browsers`), and pristine notebooks per test.

Chromium is Debian's (`apt-get install chromium`, which `make chromium` does): Playwright's
own browser download cannot work where the tests run. A missing Chromium fails the tests
instead of skipping them, so a CI without it cannot pass by testing nothing.

When a browser test fails, its screenshot, the browser console and the server log are
written to `test-results/<test>/`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lab import CHROMIUM, UI_TIMEOUT, JupyterLab, Notebook7, launch_chromium
from module_order import uses_page
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from rerunkernel.headless.cli import main

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNEL = "rerun"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything here starts kernels, servers or browsers: `make test-fast` deselects
    `-m "not e2e"` (in-process tests only)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    # the page fixture's teardown needs to know whether the test itself failed
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def run_here(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., subprocess.CompletedProcess]:
    """`rerunkernel run` through its `main()` in this process, the kernel's own output
    included: a notebook run then costs its kernel, not a Python start with nbclient's and
    jsonschema's imports (seconds on a loaded machine)."""
    def run_main(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capfd.readouterr()
        try:
            code = main(["run", *args])
        except SystemExit as stop:
            code = stop.code
        out, err = capfd.readouterr()
        return subprocess.CompletedProcess(["rerunkernel", "run", *args], code, out, err)
    return run_main


@pytest.fixture
def jupyter_execute() -> Callable[[Path], None]:
    """`jupyter execute --kernel_name=rerun --inplace <notebook>` through the command's own
    app (nbclient's NbClientApp) in this process: the notebook's run costs its kernel, not a
    Python start with nbclient's and nbformat's imports. A failing cell raises nbclient's
    CellExecutionError, which the command lets out as its exit status 1."""
    from nbclient.cli import NbClientApp

    def execute(path: Path) -> None:
        NbClientApp().initialize(["--kernel_name=rerun", "--inplace", str(path)])
    return execute


class WorkerLab:
    """The JupyterLab server of the browser modules one worker runs.

    A server start costs several seconds, as much as a test; what a module could leave
    behind on it, `JupyterLab.reset` takes back when the module ends: every session and
    kernel, the served files, the workspace (open tabs) and the user settings. A server
    whose reset failed is replaced, and one that died is started again.
    """

    def __init__(self) -> None:
        self.server: JupyterLab | None = None

    def take(self) -> JupyterLab:
        if self.server is not None and not self.server.running:
            self.drop()
        if self.server is None:
            self.server = _started_lab()
        return self.server

    def drop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def _started_lab() -> JupyterLab:
    server = JupyterLab(NOTEBOOKS).start()
    specs = server.kernelspecs()
    if KERNEL not in specs:
        server.stop()
        pytest.fail(
            f"the server does not list the {KERNEL!r} kernelspec (it has {sorted(specs)}); "
            "install it with `python -m rerunkernel install --sys-prefix`",
            pytrace=False,
        )
    return server


@pytest.fixture(scope="session")
def worker_lab() -> Iterator[WorkerLab]:
    shared = WorkerLab()
    try:
        yield shared
    finally:
        shared.drop()


@pytest.fixture(scope="module")
def lab(worker_lab: WorkerLab) -> Iterator[JupyterLab]:
    """The worker's JupyterLab server, as new for this module: no kernel of another module
    runs on it, and the next module finds none of this one's."""
    server = worker_lab.take()
    yield server
    if server.running:
        try:
            server.reset()
        except Exception:
            worker_lab.drop()
            raise


@pytest.fixture(scope="module")
def notebook7() -> Iterator[JupyterLab]:
    """A Notebook 7 server of the module's own, serving the notebooks `lab` serves."""
    with Notebook7(NOTEBOOKS) as server:
        assert KERNEL in server.kernelspecs()
        yield server


VIEWPORT = {"width": 1400, "height": 1000}


class Browsers:
    """Playwright, Chromium and one page for a run of consecutive browser tests on a worker.

    Chromium and JupyterLab's page load cost about 4 s; a worker's browser tests run one
    after another (the longest modules go first: tests/module_order.py), so they share them.
    Playwright must not outlive that run, though: while it runs, the worker's main thread
    has an event loop marked as running, and `asyncio.run` (nbclient, jupyter_client)
    refuses to start in the tests after it. So it stops as soon as the next test on the
    worker is not a browser test (`pytest_runtest_teardown` below), and starts again when
    one comes.

    The page is taken back to an empty JupyterLab after each test rather than loaded again:
    after a test that passed, every document is closed (without saving: the server puts its
    files back anyway), the server is reset, and the page asks the server again which
    sessions and kernels run, so the next test's `Notebook.open` opens its notebook in the
    JupyterLab already shown, as a user opening another notebook does. A page that failed a
    test, shows something other than the worker's JupyterLab, was loaded again, or has a
    dialog open is closed, and the next test gets a new context (no cookies, storage or cache
    of the last one).
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.console: list[str] = []
        self.loads = 0

    def chromium(self) -> Browser:
        if self.browser is None or not self.browser.is_connected():
            if not Path(CHROMIUM).exists():
                pytest.fail(
                    f"Chromium is not installed at {CHROMIUM}: the browser tests need it. "
                    "Install it with `apt-get install chromium` (or `make chromium`).",
                    pytrace=False,
                )
            if self.playwright is None:
                self.playwright = sync_playwright().start()
            self.browser = launch_chromium(self.playwright)
        return self.browser

    def stop(self) -> None:
        self.drop()
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None

    def take(self) -> Page:
        self.console.clear()
        if self.page is None or self.page.is_closed():
            self.drop()
            self.context = self.chromium().new_context(viewport=VIEWPORT)
            self.context.set_default_timeout(UI_TIMEOUT * 1000)
            self.page = self.context.new_page()
            self.page.on("console", lambda message: self.console.append(
                f"[{message.type}] {message.text}"))
            self.page.on("pageerror", lambda error: self.console.append(f"[pageerror] {error}"))
            self.page.on("crash", lambda _: self.console.append("[crash] the page crashed"))
            self.loads = 0
            self.page.on("load", self._loaded)
        return self.page

    def _loaded(self, _: Page) -> None:
        self.loads += 1

    def close_documents(self, lab: JupyterLab) -> bool:
        """Close every tab of the JupyterLab the page shows; False if it shows none, was
        loaded more than once (a JupyterLab reloaded with a notebook open opens it again
        after its tabs are closed), or has a dialog open (a test that left one behind left
        more)."""
        page = self.page
        if page is None or page.is_closed() or self.loads != 1 \
                or not page.url.startswith(lab.base_url + "lab"):
            return False
        return bool(page.evaluate("""() => {
            const app = window.jupyterapp;
            if (!app?.shell || document.querySelector('.jp-Dialog')) return false;
            for (const widget of Array.from(app.shell.widgets('main'))) widget.dispose();
            return true;
        }"""))

    def forget_server_state(self) -> None:
        """After the server's reset: the page's lists of sessions and kernels are cached
        (refreshed every few seconds); asked again now, no notebook opened next finds a
        session the reset ended."""
        assert self.page is not None
        self.page.set_viewport_size(VIEWPORT)
        self.page.evaluate("""async () => {
            const services = window.jupyterapp.serviceManager;
            await services.sessions.refreshRunning();
            await services.kernels.refreshRunning();
        }""")

    def drop(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.page = None


BROWSERS = Browsers()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # pytest-xdist's worker holds back a test until it knows the next one (or that none
    # comes), so `nextitem` is the test this worker runs next
    try:
        return (yield)
    finally:
        if nextitem is None or not uses_page(nextitem):
            BROWSERS.stop()


@pytest.fixture
def browser() -> Browser:
    """Headless Chromium, shared by this worker's consecutive browser tests."""
    return BROWSERS.chromium()


@pytest.fixture
def page(lab: JupyterLab, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page showing nothing yet, or an empty JupyterLab (see `Browsers`); afterwards the
    server is as the test found it."""
    shared = BROWSERS
    page = shared.take()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        failed = report is None or report.failed
        if report is not None and report.failed:
            _keep_evidence(request, page, shared.console, lab)
        reusable = False
        if not failed:
            try:
                reusable = shared.close_documents(lab)
            except Exception:
                reusable = False
        if not reusable:
            shared.drop()
        lab.reset()
        if reusable:
            try:
                shared.forget_server_state()
            except Exception:
                shared.drop()


def _keep_evidence(
    request: pytest.FixtureRequest, page: Page, console: list[str], lab: JupyterLab
) -> None:
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    folder = request.config.rootpath / "test-results" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "console.log").write_text("\n".join(console) + "\n")
    (folder / "server.log").write_text(lab.log_tail(lines=400) + "\n")
    try:
        page.screenshot(path=folder / "screenshot.png", timeout=10_000)
    except Exception as error:  # a hung or crashed page: the logs still say what happened
        (folder / "screenshot.txt").write_text(f"no screenshot: {error}\n")
    print(f"browser evidence kept in {folder}")
    print("browser console (last 40 lines):")
    print("\n".join(console[-40:]))
