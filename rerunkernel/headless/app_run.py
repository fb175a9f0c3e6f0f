"""`rerunkernel run app.py` in this process: a .py app needs no kernel to run once.

The app runs in its own session with the same runner, widget registry, `--set` values and
executor that `%rerun_watch` uses in a kernel (as `AppTest` does), in a cell marked
headless so widgets and boxes store their values as text. What it prints is the same screen
a kernel run prints, without a kernel start and nbclient, which were nearly all of a run's
time. As with `python app.py`, the app runs in its own folder and its folder comes first on
`sys.path`; `sys.exit(n)` fails the run with exit status n, and an `os._exit()` in the app
ends this process with that exit code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..core.exits import Failure, app_exit


@dataclass
class AppRun:
    screen: str
    failure: Failure | None


class RunTimeout(BaseException):
    """`--timeout` ran out (a BaseException, so the app's `except Exception` can't hide it)."""


def run_app(path: Path, presets: dict[str, str], timeout: int | None = None) -> AppRun:
    """Run the app once and return its screen as text and what failed, if anything."""
    from ..core.runner import RunStatus
    from ..testing import AppTest

    path = path.resolve()
    app = AppTest.from_file(path)
    cell = next(iter(app.session.script))
    cell.headless = True
    chosen = app.session.widgets.presets
    chosen.values.update(presets)
    timed_out = False
    try:
        with _like_python(path), _deadline(timeout):
            app.run()
    except RunTimeout:  # expired between two of the app's lines, inside the runner
        timed_out = True
    result = app.result
    texts = (element.text.rstrip("\n") for element in app.session.page.elements(cell))
    screen = "\n".join(text for text in texts if text)
    failure = None
    if timed_out or result is not None and result.status.failed:
        if timed_out or isinstance(result.error, RunTimeout):
            failure = Failure("CellTimeoutError", f"{path.name} ran longer than --timeout "
                                                  f"{timeout} s, so the run was stopped")
        else:
            failure = Failure(result.ename, result.evalue)
    elif result is not None and result.status == RunStatus.STOPPED and isinstance(result.error, SystemExit):
        failure = app_exit(path.name, result.error.code)
    if failure is None and (unknown := chosen.unknown_names()) is not None:
        failure = Failure("UnknownWidgetError", unknown)
    return AppRun(screen, failure)


@contextlib.contextmanager
def _like_python(path: Path) -> Iterator[None]:
    """The app's folder as working directory and first on `sys.path`, its path as argv[0];
    charts drawn off-screen (no window opens from a headless run)."""
    saved = os.getcwd(), list(sys.path), list(sys.argv), os.environ.get("MPLBACKEND")
    os.chdir(path.parent)
    sys.path.insert(0, str(path.parent))
    sys.argv[:] = [str(path)]
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        yield
    finally:
        cwd, sys.path[:], sys.argv[:], backend = saved
        os.chdir(cwd)
        if backend is None:
            os.environ.pop("MPLBACKEND", None)


@contextlib.contextmanager
def _deadline(seconds: int | None) -> Iterator[None]:
    """Stop the run where it is after `seconds` (the CLI runs it on the main thread)."""
    if not seconds or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise RunTimeout(f"the run took longer than --timeout {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
