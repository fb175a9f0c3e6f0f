"""`%rerun_watch`, `%rerun_stop` and the saved notebook as triggers, over real kernels.

The kernel runs in a temporary working directory holding the app; the test edits files on
disk the ways editors do and waits for the cell's output to change. Run counts and watcher
state are read from inside the kernel (`KernelDriver.inspect`). When a count must be final,
`settle()` first waits until the watcher has recorded every watched file's current content
and the app has nothing pending: after that no rerun can come from the edits already made.
"""

from __future__ import annotations

import ast
import json
import os
import socket
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import nbformat
import pytest
from frontend import KernelDriver, assert_no_leaks

from rerunkernel.files import url_fetch

pytestmark = pytest.mark.shared_kernel

APPS = "get_ipython().kernel.rerun_apps"
WATCHDOG_THREADS = ("sum(type(t).__module__.startswith('watchdog') "
                    "for t in __import__('threading').enumerate())")
POLL_TIMEOUT = 30.0

SLIDER_APP = """import rerunkernel as rk
x = rk.slider('x')
rk.write('{label}', x)
"""


@pytest.fixture
def project(tmp_path):
    """The kernel's working directory, with an app that shows a slider."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(SLIDER_APP.format(label="first"))
    return root


# what a kernel started in the test's project has: that folder as its working directory and
# first on sys.path, none of the modules another test's project brought in, the default fetch
# deadline (run in a namespace of its own, so the script's stays empty)
IN_PROJECT = """
import os, sys
os.chdir({project!r})
sys.path[0] = {project!r}
for name in [n for n, m in list(sys.modules.items())
             if (getattr(m, '__file__', None) or '').startswith({temporary!r})]:
    del sys.modules[name]
if 'rerunkernel.files.url_fetch' in sys.modules:
    sys.modules['rerunkernel.files.url_fetch'].FETCH_TIMEOUT = {timeout!r}
"""


@pytest.fixture
def kernel(kernel, project, tmp_path_factory):
    """The module's kernel (reset), as if started in the project (KernelDriver(cwd=...))."""
    code = IN_PROJECT.format(project=str(project), timeout=url_fetch.FETCH_TIMEOUT,
                             temporary=str(tmp_path_factory.getbasetemp()))
    reply = kernel.run_silent(f"exec({code!r}, {{}})")
    assert reply["status"] == "ok", reply
    assert ask(kernel, f"[len({APPS}.apps), {APPS}.watcher.watches]") == [0, []]
    return kernel


@pytest.fixture
def own_kernel(project):
    """A kernel of the test's own, started in the project, for a test that ends its session."""
    driver = KernelDriver("rerun", cwd=str(project))
    try:
        yield driver
        assert_no_leaks(driver)
    finally:
        driver.shutdown()


def app_expr(cell: str, target: Path | str) -> str:
    key = (cell, str(target.resolve()) if isinstance(target, Path) else target)
    return f"{APPS}.apps[{key!r}]"


def ask(kernel: KernelDriver, expression: str) -> Any:
    """The value of an expression in the kernel, through JSON (tuples come back as lists)."""
    text = kernel.inspect(f"__import__('json').dumps({expression}, default=str)")
    return json.loads(ast.literal_eval(text))


def runs(kernel: KernelDriver, cell: str, target: Path | str) -> int:
    return ask(kernel, f"{app_expr(cell, target)}.session.started_runs")


def poll(kernel: KernelDriver, expression: str, want: Any, what: str,
         timeout: float = POLL_TIMEOUT) -> None:
    """Evaluate `expression` in the kernel until it equals `want` (each try a round trip)."""
    deadline = time.monotonic() + timeout
    while True:
        got = ask(kernel, expression)
        if got == want:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}: {expression} is {got}")
        time.sleep(0.01)  # the interval between polls, not a wait for the result


def settle(kernel: KernelDriver, cell: str, target: Path) -> None:
    """Wait until the app's watch has seen every file's current content and nothing is pending."""
    app = app_expr(cell, target)
    expression = (
        f"(lambda a, h: a.watch._timer is None and a.session.requests.state == 'idle' and "
        f"all(v == h(p) for p, v in a.watch._hashes.items()))"
        f"({app}, __import__('rerunkernel.files.watch', fromlist=['w']).content_hash)"
    )
    poll(kernel, expression, True, f"{target.name} to settle")


def wait_exact(kernel: KernelDriver, cell: str, text: str) -> None:
    kernel.pump(lambda: kernel.page.text(cell) == text, what=f"cell {cell!r} to read {text!r} "
                f"(now {kernel.page.text(cell)!r})")


def save(path: Path, text: str) -> None:
    """A plain save: truncate and write in place."""
    path.write_text(text)


def save_by_rename(path: Path, text: str) -> None:
    """Vim, PyCharm, VS Code's atomic save: write a temporary file, rename it over."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def save_by_recreate(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text)


@pytest.mark.parametrize("how", [save, save_by_rename, save_by_recreate])
def test_a_saved_app_reruns_in_its_cell(kernel, project, how):
    app = project / "app.py"
    reply = kernel.execute("%rerun_watch app.py", cell="w")
    assert reply["status"] == "ok"
    assert kernel.page.text("w") == "slider 'x'\nfirst 0"
    settle(kernel, "w", app)
    before = runs(kernel, "w", app)
    bursts_before = ask(kernel, f"{app_expr('w', app)}.watch.bursts")

    how(app, SLIDER_APP.format(label="second"))
    wait_exact(kernel, "w", "slider 'x'\nsecond 0")
    settle(kernel, "w", app)
    # one rerun, or two if the watcher thread stalled for a whole debounce between the
    # save's own events (truncate then write; unlink then create): at most two a burst
    bursts = ask(kernel, f"{app_expr('w', app)}.watch.bursts") - bursts_before
    assert 1 <= runs(kernel, "w", app) - before <= 2 * bursts
    # in place: the slider's view was never sent again
    assert len(kernel.page.outputs["w"]) == 2


def test_each_run_is_a_fresh_namespace_with_file_and_path(kernel, project):
    (project / "apps").mkdir()
    app = project / "apps" / "app.py"
    (project / "apps" / "sibling.py").write_text("WORD = 'sibling'\n")
    app.write_text(
        "import sys, rerunkernel as rk\n"
        "import sibling\n"
        "count = globals().get('count', 0) + 1\n"
        "x = rk.slider('x')\n"
        "rk.write(__name__, __file__, count, sibling.WORD, x,\n"
        "         'on path' if __import__('os').path.dirname(__file__) in sys.path else 'off')\n"
    )
    kernel.execute("%rerun_watch apps/app.py", cell="w")
    expected = f"__main__ {app} 1 sibling {{}} on path"
    assert kernel.page.text("w").endswith(expected.format(0))
    kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=3)
    kernel.wait_text("w", expected.format(3))


def test_widgets_and_saves_rerun_only_their_own_app(kernel, project):
    (project / "other.py").write_text(SLIDER_APP.format(label="other"))
    app, other = project / "app.py", project / "other.py"
    kernel.execute("%rerun_watch app.py", cell="a")
    kernel.execute("%rerun_watch other.py", cell="b")
    assert kernel.page.text("b") == "slider 'x'\nother 0"
    sliders = [w for w in kernel.page.open_widgets() if w.state.get("description") == "x"]
    assert len(sliders) == 2
    b_runs = runs(kernel, "b", other)

    kernel.set_widget(sliders[0].comm_id, value=5)
    wait_exact(kernel, "a", "slider 'x'\nfirst 5")
    save(app, SLIDER_APP.format(label="edited"))
    wait_exact(kernel, "a", "slider 'x'\nedited 5")
    settle(kernel, "a", app)
    assert runs(kernel, "b", other) == b_runs
    assert kernel.page.text("b") == "slider 'x'\nother 0"


def test_a_save_with_unchanged_content_does_not_rerun(kernel, project):
    app, other = project / "app.py", project / "other.py"
    other.write_text(SLIDER_APP.format(label="other"))
    kernel.execute("%rerun_watch app.py", cell="a")
    kernel.execute("%rerun_watch other.py", cell="b")
    a_runs = runs(kernel, "a", app)

    save(app, app.read_text())
    os.utime(app)
    save_by_rename(app, app.read_text())
    # the other app's watch sees its save after app.py's events: when it has rerun and both
    # have settled, app.py's no-op saves have been judged too
    save(other, SLIDER_APP.format(label="other edited"))
    wait_exact(kernel, "b", "slider 'x'\nother edited 0")
    settle(kernel, "b", other)
    settle(kernel, "a", app)
    assert runs(kernel, "a", app) == a_runs


def test_ten_saves_within_100_ms_rerun_at_most_twice_a_burst_with_the_final_content(
        kernel, project):
    app = project / "app.py"
    kernel.execute("%rerun_watch app.py", cell="w")
    settle(kernel, "w", app)
    before = runs(kernel, "w", app)
    bursts_before = ask(kernel, f"{app_expr('w', app)}.watch.bursts")
    for n in range(10):
        save(app, SLIDER_APP.format(label=f"save {n}"))
        time.sleep(0.005)  # the pacing of the burst: ten saves in about 60 ms
    wait_exact(kernel, "w", "slider 'x'\nsave 9 0")
    settle(kernel, "w", app)
    # one burst on a quiet machine; a loaded one can pause this process longer than the
    # debounce between two saves, which makes two bursts of them: never more than two runs
    # for each burst the watch saw
    bursts = ask(kernel, f"{app_expr('w', app)}.watch.bursts") - bursts_before
    ran = runs(kernel, "w", app) - before
    assert bursts >= 1, bursts
    assert 1 <= ran <= 2 * bursts, (ran, bursts)
    assert kernel.page.text("w") == "slider 'x'\nsave 9 0"


def test_a_local_module_edit_takes_effect_and_installed_ones_are_never_watched(kernel, project):
    (project / "apps").mkdir()
    app = project / "apps" / "app.py"
    (project / "apps" / "near.py").write_text("def word():\n    return 'near 1'\n")
    (project / "top.py").write_text("WORD = 'top 1'\n")
    app.write_text("import json, rerunkernel as rk\nimport near, top\n"
                   "rk.write(near.word(), top.WORD)\n")
    kernel.execute("%rerun_watch apps/app.py", cell="w")
    assert kernel.page.text("w") == "near 1 top 1"
    watched = ask(kernel, f"sorted(str(p) for p in {app_expr('w', app)}.watch.paths)")
    assert watched == sorted(
        str(p.resolve()) for p in (app, project / "apps" / "near.py", project / "top.py"))

    save((project / "apps" / "near.py"), "def word():\n    return 'near 2'\n")
    wait_exact(kernel, "w", "near 2 top 1")
    save_by_rename(project / "top.py", "WORD = 'top 2'\n")
    wait_exact(kernel, "w", "near 2 top 2")
    # installed modules stay imported: only the local modules were dropped and re-imported
    assert ask(kernel, "__import__('sys').modules['json'] is __import__('json')")


def test_apps_watch_only_their_own_modules(kernel, project):
    for name in ("a", "b"):
        (project / f"helper_{name}.py").write_text(f"WORD = '{name} 1'\n")
        (project / f"app_{name}.py").write_text(
            f"import rerunkernel as rk\nimport helper_{name}\nrk.write(helper_{name}.WORD)\n")
    kernel.execute("%rerun_watch app_a.py", cell="a")
    kernel.execute("%rerun_watch app_b.py", cell="b")
    b_runs = runs(kernel, "b", project / "app_b.py")
    save(project / "helper_a.py", "WORD = 'a 2'\n")
    wait_exact(kernel, "a", "a 2")
    assert runs(kernel, "b", project / "app_b.py") == b_runs
    assert kernel.page.text("b") == "b 1"


def test_a_magic_usage_error_is_shown_once(kernel, project):
    reply = kernel.execute("%rerun_watch ftp://example.org/app.py", cell="bad")
    assert reply["status"] == "error"
    assert kernel.page.text("bad").count("only local files and http(s) URLs") == 1


def test_a_syntax_error_shows_and_the_next_good_save_keeps_widget_values(kernel, project):
    app = project / "app.py"
    kernel.execute("%rerun_watch app.py", cell="w")
    kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=7)
    wait_exact(kernel, "w", "slider 'x'\nfirst 7")

    save(app, "import rerunkernel as rk\nx = rk.slider('x')\nrk.write('broken' x)\n")
    kernel.pump(lambda: "SyntaxError" in kernel.page.text("w")
                and "first 7" not in kernel.page.text("w"), what="the syntax error alone")
    text = kernel.page.text("w")
    assert f'File "{app.resolve()}", line 3' in text
    assert "rk.write('broken' x)" in text and "^" in text
    assert ask(kernel, f"{app_expr('w', app)}.watch is not None")

    save(app, SLIDER_APP.format(label="fixed"))
    wait_exact(kernel, "w", "slider 'x'\nfixed 7")
    assert kernel.page.find_widget(description="x").state["value"] == 7


def test_tracebacks_point_at_the_file_and_its_line_numbers(kernel, project):
    app = project / "app.py"
    kernel.execute("%rerun_watch app.py", cell="w")
    save(app, "import rerunkernel as rk\n\n\ndef ratio(n):\n    return 10 / n\n\n"
              "rk.write(ratio(0))\n")
    kernel.pump(lambda: "ZeroDivisionError" in kernel.page.text("w")
                and "first" not in kernel.page.text("w"), what="the traceback alone")
    text = kernel.page.text("w")
    resolved = app.resolve()
    assert f'File "{resolved}", line 7, in <module>' in text
    assert f'File "{resolved}", line 5, in ratio' in text
    assert "return 10 / n" in text
    assert "rerunkernel/" not in text  # no frames of ours


def test_a_deleted_app_says_so_and_resumes_when_it_comes_back(kernel, project):
    app = project / "app.py"
    kernel.execute("%rerun_watch app.py", cell="w")
    kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=4)
    wait_exact(kernel, "w", "slider 'x'\nfirst 4")

    app.unlink()
    wait_exact(kernel, "w", f"{app.resolve()} does not exist (deleted or moved?). "
               "Watching for it to come back.")
    app.write_text(SLIDER_APP.format(label="back"))
    wait_exact(kernel, "w", "slider 'x'\nback 4")


def replace(path: Path, make) -> None:
    """Put something else at `path`: whatever is there goes first, as `rm -rf` would."""
    if path.is_symlink() or not os.path.lexists(path):
        path.unlink(missing_ok=True)
    elif path.is_dir():
        path.rmdir()
    else:
        path.unlink()
    make(path)


HOSTILE = [
    ("a directory", lambda p: p.mkdir(), "is a directory, not a Python file."),
    ("a binary", lambda p: p.write_bytes(b"\x7fELF\x02\x01\x00\xff\xfe"),
     "is not UTF-8 text (byte 7 is 0xff): is it a binary file?"),
    ("a symlink loop", lambda p: p.symlink_to(p.name),
     "can't be read: Too many levels of symbolic links."),
    # unreadable even by root (the tests may run as root, for whom a chmod changes nothing)
    ("an unreadable file", lambda p: p.symlink_to("/proc/self/mem"),
     "can't be read: Input/output error."),
    ("a named pipe", lambda p: os.mkfifo(p), "is not a regular file (a pipe or a device?)."),
]


def test_a_hostile_app_file_says_what_it_is_and_the_fixed_file_runs_clean(kernel, project):
    app = (project / "app.py").resolve()
    kernel.execute("%rerun_watch app.py", cell="w")
    kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=3)
    wait_exact(kernel, "w", "slider 'x'\nfirst 3")
    for label, make, message in HOSTILE:
        replace(app, make)
        # the message alone: no traceback of ours, and the app's last outputs are gone
        wait_exact(kernel, "w", f"{app} {message} Watching for it to change.")
        replace(app, lambda p, label=label: p.write_text(SLIDER_APP.format(label=label)))
        wait_exact(kernel, "w", f"slider 'x'\n{label} 3")
    settle(kernel, "w", app)
    assert ask(kernel, f"{app_expr('w', app)}.session.requests.state") == "idle"


def test_linking_a_hostile_path_says_what_it_is(kernel, project):
    loop = project / "loop.py"
    loop.symlink_to("loop.py")
    reply = kernel.execute("%rerun_watch loop.py", cell="w")
    assert reply["status"] == "ok"
    wait_exact(kernel, "w", f"{loop} can't be read: Too many levels of symbolic links. "
               "Watching for it to change.")
    replace(loop, lambda p: p.write_text("import rerunkernel as rk\nrk.write('untied')\n"))
    wait_exact(kernel, "w", "untied")


def test_watching_a_file_that_does_not_exist_yet(kernel, project):
    later = project / "later.py"
    reply = kernel.execute("%rerun_watch later.py", cell="w")
    assert reply["status"] == "ok"
    kernel.wait_text("w", "does not exist")
    later.write_text("import rerunkernel as rk\nrk.write('created')\n")
    wait_exact(kernel, "w", "created")


def test_rerunning_the_cell_replaces_the_app_without_duplicate_watchers(kernel, project):
    (project / "other.py").write_text(SLIDER_APP.format(label="other"))
    app = project / "app.py"
    kernel.execute("%rerun_watch app.py", cell="w")
    # the watcher's own threads: a count of all threads would also see one-off entries
    # Python adds when a foreign thread first asks for `threading.current_thread()`
    first = ask(kernel, WATCHDOG_THREADS)
    assert first >= 2  # observer + the directory's emitter

    for _ in range(3):
        kernel.execute("%rerun_watch app.py", cell="w")
        assert kernel.page.text("w") == "slider 'x'\nfirst 0"
    assert ask(kernel, f"[len({APPS}.apps), len({APPS}.watcher.watches)]") == [1, 1]
    poll(kernel, WATCHDOG_THREADS, first, "the watcher's thread count")

    kernel.execute("%rerun_watch other.py", cell="w")
    assert kernel.page.text("w") == "slider 'x'\nother 0"
    assert ask(kernel, f"list({APPS}.apps)") == [["w", str((project / "other.py").resolve())]]
    assert ask(kernel, f"len({APPS}.watcher.watches)") == 1
    assert len([w for w in kernel.page.open_widgets()
                if w.state.get("description") == "x"]) == 1
    poll(kernel, WATCHDOG_THREADS, first, "the watcher's thread count")

    # the replaced app no longer reacts to its file
    save(app, SLIDER_APP.format(label="not shown"))
    save(project / "other.py", SLIDER_APP.format(label="other edited"))
    wait_exact(kernel, "w", "slider 'x'\nother edited 0")


def test_the_app_stays_in_its_cell_when_the_notebook_reruns(kernel, project):
    app = project / "app.py"
    kernel.execute("import rerunkernel as rk\ny = rk.slider('y')\nrk.write('top', y)", cell="top")
    kernel.execute("%rerun_watch app.py", cell="w")
    kernel.execute("rk.write('below', y)", cell="below")
    kernel.execute("rk.write('below again', y)", cell="below")  # a known cell: reruns all
    kernel.set_widget(kernel.page.find_widget(description="y").comm_id, value=2)
    wait_exact(kernel, "below", "below again 2")
    assert kernel.page.text("w") == "slider 'x'\nfirst 0"
    assert runs(kernel, "w", app) == 1

    save(app, SLIDER_APP.format(label="saved"))
    wait_exact(kernel, "w", "slider 'x'\nsaved 0")
    assert kernel.page.text("below") == "below again 2"


def test_rerun_stop_one_then_all(kernel, project):
    (project / "other.py").write_text(SLIDER_APP.format(label="other"))
    other = project / "other.py"
    kernel.execute("%rerun_watch app.py", cell="a")
    kernel.execute("%rerun_watch other.py", cell="b")
    slider_a, slider_b = [w for w in kernel.page.open_widgets()
                          if w.state.get("description") == "x"]

    # new cells: each continues the notebook's run instead of rerunning the cells above
    reply = kernel.execute("%rerun_stop app.py", cell="stop one")
    assert reply["status"] == "ok"
    assert kernel.page.text("stop one") == "stopped 1 app\n"
    assert ask(kernel, f"[k[1] for k in {APPS}.apps]") == [str(other.resolve())]
    assert ask(kernel, f"len({APPS}.watcher.watches)") == 1
    # its widget is closed; its last text stays as it was
    kernel.pump(lambda: slider_a.closed, what="the stopped app's slider to close")
    assert not slider_b.closed

    kernel.execute("%rerun_stop", cell="stop all")
    assert kernel.page.text("stop all") == "stopped 1 app\n"
    assert ask(kernel, f"[len({APPS}.apps), {APPS}.watcher.watches, "
                       f"list({APPS}.watcher.directories)]") == [0, [], []]
    poll(kernel, WATCHDOG_THREADS, 0, "the watchdog threads to end")
    kernel.pump(lambda: slider_b.closed, what="the other app's slider to close")

    reply = kernel.execute("%rerun_stop app.py", cell="stop again")
    assert reply["status"] == "error"
    assert "app.py is not being watched" in reply["evalue"]


def test_deleting_the_linking_cell_stops_its_app(kernel, project):
    kernel.execute("%rerun_watch app.py", cell="w")
    kernel.execute("import rerunkernel as rk\nrk.write('kept')", cell="o")
    assert ask(kernel, f"len({APPS}.apps)") == 1
    # JupyterLab's extension reports deletions with the next execution; the next whole run
    # no longer links the app
    kernel.execute("import rerunkernel as rk\nrk.write('kept, rerun')", cell="o",
                   metadata={"deletedCells": ["w"]})
    kernel.execute("import rerunkernel as rk\nrk.write('kept, rerun again')", cell="o")
    assert ask(kernel, f"[len({APPS}.apps), {APPS}.watcher.watches]") == [0, []]


def test_kernel_shutdown_stops_every_app(own_kernel, project):
    kernel = own_kernel
    (project / "other.py").write_text(SLIDER_APP.format(label="other"))
    kernel.execute("%rerun_watch app.py", cell="a")
    kernel.execute("%rerun_watch other.py", cell="b")
    assert ask(kernel, WATCHDOG_THREADS) >= 2
    # the kernel's own shutdown hook (the process is then ended by the fixture)
    kernel.inspect("get_ipython().kernel.do_shutdown(False)")
    assert ask(kernel, f"[len({APPS}.apps), {APPS}.watcher.watches, "
                       f"list({APPS}.watcher.directories)]") == [0, [], []]
    poll(kernel, WATCHDOG_THREADS, 0, "the watchdog threads to end")


def test_once_draws_without_watching(kernel, project):
    reply = kernel.execute("%rerun_watch --once app.py", cell="w")
    assert reply["status"] == "ok"
    assert kernel.page.text("w").endswith("first 0")
    # the app is kept (unwatched) so a notebook rerun redraws it in place, never twice
    assert ask(kernel, f"[len({APPS}.apps), {APPS}.watcher.watches]") == [1, []]
    kernel.execute("import rerunkernel as rk\nrk.write('elsewhere')", cell="other")
    kernel.execute("import rerunkernel as rk\nrk.write('elsewhere again')", cell="other")
    assert kernel.page.text("w").endswith("first 0")
    assert kernel.page.text("w").count("first 0") == 1


RERUNNING_APP = """import rerunkernel as rk
rk.session_state.setdefault('runs', 0)
rk.session_state.runs += 1
if rk.session_state.runs < 3:
    rk.rerun()
rk.write('runs', rk.session_state.runs)
"""


@pytest.mark.parametrize("once", [False, True])
def test_an_app_calling_rerun_runs_again_within_its_cell(kernel, project, once):
    """The magic draws the app synchronously; the rerun it asks for is served right there."""
    (project / "app.py").write_text(RERUNNING_APP)
    flag = "--once " if once else ""
    reply = kernel.execute(f"%rerun_watch {flag}app.py", cell="w")
    assert reply["status"] == "ok", kernel.page.text("w")
    assert kernel.page.text("w") == "runs 3"
    assert runs(kernel, "w", project / "app.py") == 3


# a whole fetch may take 0.5 s
SHORT_FETCH_TIMEOUT = ("setattr(__import__('rerunkernel.files.url_fetch', fromlist=['f']), "
                       "'FETCH_TIMEOUT', 0.5)")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web(tmp_path):
    """An HTTP server on 127.0.0.1 serving a temporary directory."""
    root = tmp_path / "web"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_url_app_runs_and_reload_fetches_it_again(kernel, web):
    root, base = web
    url = f"{base}/remote.py"
    (root / "remote.py").write_text(SLIDER_APP.format(label="remote one"))
    reply = kernel.execute(f"%rerun_watch {url}", cell="u")
    assert reply["status"] == "ok"
    assert kernel.page.text("u") == "slider 'x'\nremote one 0"
    assert ask(kernel, f"[{app_expr('u', url)}.watch, {APPS}.watcher.watches]") == [None, []]
    kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=6)
    wait_exact(kernel, "u", "slider 'x'\nremote one 6")

    (root / "remote.py").write_text(SLIDER_APP.format(label="remote two"))
    kernel.execute(f"%rerun_watch {url}", cell="u")  # no refetch without --reload
    assert kernel.page.text("u") == "slider 'x'\nremote one 6"
    kernel.execute(f"%rerun_watch --reload {url}", cell="u")
    assert kernel.page.text("u") == "slider 'x'\nremote two 6"


def test_a_reload_cell_passed_by_a_notebook_rerun_updates_in_place(kernel, web):
    root, base = web
    url = f"{base}/remote.py"
    (root / "remote.py").write_text(SLIDER_APP.format(label="remote one"))
    kernel.execute(f"%rerun_watch --reload {url}", cell="u")
    kernel.execute("import rerunkernel as rk\nrk.write('below')", cell="o")
    (root / "remote.py").write_text(SLIDER_APP.format(label="remote two"))
    kernel.execute("import rerunkernel as rk\nrk.write('below, edited')", cell="o")
    # the notebook reran cell u without it being re-executed: same output area, refetched
    assert kernel.page.text("u") == "slider 'x'\nremote two 0"


def test_a_url_app_traceback_names_the_url_and_shows_its_lines(kernel, web):
    root, base = web
    url = f"{base}/broken.py"
    (root / "broken.py").write_text("import rerunkernel as rk\n\nrk.write(1 / 0)\n")
    kernel.execute(f"%rerun_watch {url}", cell="u")
    text = kernel.page.text("u")
    assert f'File "{url}", line 3, in <module>' in text
    assert "rk.write(1 / 0)" in text


def test_bad_urls_give_clear_errors(kernel, web):
    root, base = web
    reply = kernel.execute("%rerun_watch ftp://example.com/app.py", cell="u")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    assert "only local files and http(s) URLs can be watched" in reply["evalue"]

    reply = kernel.execute(f"%rerun_watch {base}/missing.py", cell="u")
    assert reply["status"] == "error"
    assert f"could not fetch {base}/missing.py" in reply["evalue"] and "HTTP 404" in reply["evalue"]

    (root / "huge.py").write_bytes(b"#" * 5_000_001)
    reply = kernel.execute(f"%rerun_watch {base}/huge.py", cell="u")
    assert reply["status"] == "error"
    assert "is larger than 5,000,000 bytes" in reply["evalue"]

    kernel.inspect(SHORT_FETCH_TIMEOUT)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/app.py"
        reply = kernel.execute(f"%rerun_watch {url}", cell="u")
    assert reply["status"] == "error"
    assert f"could not fetch {url}" in reply["evalue"] and "timed out" in reply["evalue"]
    assert ask(kernel, f"len({APPS}.apps)") == 0


TRICKLE_BYTES = 200
TRICKLE_SECONDS = 0.05


class HostileHandler(QuietHandler):
    """A redirect to ftp://, and a body sent a byte at a time (each byte well within a
    read timeout, the whole far beyond the fetch's limit; it ends by itself)."""

    def do_GET(self) -> None:
        if self.path == "/to-ftp.py":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1:9/app.py")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(TRICKLE_BYTES):
                self.wfile.write(b"#")
                self.wfile.flush()
                time.sleep(TRICKLE_SECONDS)
        except OSError:
            pass  # the client gave up: what the test wants


@pytest.fixture
def hostile_web():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_redirect_off_http_is_refused(kernel, hostile_web):
    url = f"{hostile_web}/to-ftp.py"
    reply = kernel.execute(f"%rerun_watch {url}", cell="u")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    assert reply["evalue"] == (f"could not fetch {url}: it redirects to ftp://127.0.0.1:9/app.py, "
                               "and only http:// and https:// URLs can be watched")
    assert ask(kernel, f"len({APPS}.apps)") == 0


def test_a_trickling_server_cannot_hold_the_fetch(kernel, hostile_web):
    # 0.5 s for the whole fetch; the server would take 10 s, never 0.5 s between two bytes
    kernel.inspect(SHORT_FETCH_TIMEOUT)
    url = f"{hostile_web}/trickle.py"
    reply = kernel.execute(f"%rerun_watch {url}", cell="u")
    assert reply["status"] == "error"
    assert reply["evalue"] == (f"could not fetch {url}: timed out, no complete answer within "
                               "0.5 s (the server is too slow, or sends nothing)")
    assert ask(kernel, f"len({APPS}.apps)") == 0
    # the kernel still answers and the next change works
    assert kernel.execute("%rerun_watch app.py", cell="u")["status"] == "ok"
    assert kernel.page.text("u").endswith("slider 'x'\nfirst 0")


def test_plain_ipython_kernel_after_load_ext(project):
    app = project / "app.py"
    kernel = KernelDriver("python3", cwd=str(project))
    try:
        assert kernel.execute("%load_ext rerunkernel", cell="ext")["status"] == "ok"
        reply = kernel.execute("%rerun_watch app.py", cell="w")
        assert reply["status"] == "ok"
        assert kernel.page.text("w") == "slider 'x'\nfirst 0"
        kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=9)
        wait_exact(kernel, "w", "slider 'x'\nfirst 9")
        save_by_rename(app, SLIDER_APP.format(label="saved"))
        wait_exact(kernel, "w", "slider 'x'\nsaved 9")

        # an ordinary kernel keeps its own namespace: the app's never leaks into it
        assert ask(kernel, "'x' in globals()") is False
        kernel.execute("%rerun_stop", cell="stop")
        assert kernel.page.text("stop") == "stopped 1 app\n"
        poll(kernel, WATCHDOG_THREADS, 0, "the watchdog threads to end")
    finally:
        kernel.shutdown()


# --- the notebook file -----------------------------------------------------------------

def write_notebook(path: Path, cells: list[tuple[str, str]]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, id=cell_id) for cell_id, source in cells]
    nb.metadata["kernelspec"] = {"name": "rerun", "display_name": "Rerun Script",
                                 "language": "python"}
    nbformat.write(nb, str(path))


NOTEBOOK = [
    ("one", "import rerunkernel as rk\nrk.write('one')"),
    ("two", "rk.write('two')"),
]


@pytest.fixture
def notebook(project):
    path = project / "nb.ipynb"
    write_notebook(path, NOTEBOOK)
    driver = KernelDriver("rerun", cwd=str(project),
                          env={**os.environ, "JPY_SESSION_NAME": str(path)})
    try:
        for cell_id, source in NOTEBOOK:
            assert driver.execute(source, cell=cell_id)["status"] == "ok"
        yield driver, path
    finally:
        driver.shutdown()


def test_saving_the_notebook_reruns_it_with_the_saved_cells(notebook):
    kernel, path = notebook
    assert kernel.page.text("two") == "two"
    before = ask(kernel, "get_ipython().kernel.notebook_session.started_runs")
    # saving what the kernel already runs (outputs aside) is no change
    write_notebook(path, NOTEBOOK)
    # an edit, plus a cell never executed here, joining the script where it was saved
    write_notebook(path, [NOTEBOOK[0], ("new", "extra = 40 + 2"),
                          ("two", "rk.write('two, edited', extra)")])
    wait_exact(kernel, "two", "two, edited 42")
    assert kernel.page.text("one") == "one"
    assert ask(kernel, "[c.id for c in get_ipython().kernel.notebook_session.script]") == \
        ["one", "new", "two"]
    poll(kernel, "get_ipython().kernel.notebook_session.requests.state", "idle", "the rerun to end")
    assert ask(kernel, "get_ipython().kernel.notebook_session.started_runs") == before + 1


def test_rerun_on_save_can_be_switched_off_and_on(notebook):
    kernel, path = notebook
    reply = kernel.execute("%rerun_on_save off", cell="ctl")
    assert reply["status"] == "ok"
    assert kernel.page.text("ctl") == f"rerun on save is off for {path.resolve()}\n"
    before = ask(kernel, "get_ipython().kernel.notebook_session.started_runs")

    edited = [NOTEBOOK[0], ("two", "rk.write('two, edited')")]
    write_notebook(path, edited)
    # the watcher reads the saved cells even when off: once it has, the save was judged
    poll(kernel, "[c for c, _ in get_ipython().kernel.notebook_file._cells]",
         ["one", "two"], "the notebook file to be read")
    poll(kernel, "get_ipython().kernel.notebook_file._cells[1][1]", "rk.write('two, edited')",
         "the edited source to be read")
    assert ask(kernel, "get_ipython().kernel.notebook_session.requests.state") == "idle"
    assert ask(kernel, "get_ipython().kernel.notebook_session.started_runs") == before
    assert kernel.page.text("two") == "two"

    kernel.execute("%rerun_on_save on", cell="ctl")
    write_notebook(path, [NOTEBOOK[0], ("two", "rk.write('two, edited again')")])
    wait_exact(kernel, "two", "two, edited again")


def test_vscode_names_the_notebook_with_a_variable(project):
    path = project / "vscode.ipynb"
    write_notebook(path, NOTEBOOK)
    kernel = KernelDriver("rerun", cwd=str(project))
    try:
        kernel.run_silent(f"__vsc_ipynb_file__ = {str(path)!r}")
        assert ask(kernel, "str(get_ipython().kernel.notebook_file.path)") == str(path)
        for cell_id, source in NOTEBOOK:
            kernel.execute(source, cell=cell_id)
        write_notebook(path, [NOTEBOOK[0], ("two", "rk.write('two from vscode')")])
        wait_exact(kernel, "two", "two from vscode")
    finally:
        kernel.shutdown()


def test_what_an_app_shows_through_ipython_is_redrawn_in_place(kernel, project):
    """An app runs in the kernel's shell: `display()` goes to the app's slots (its executor
    routes IPython's hooks while it runs), so a rerun replaces it instead of adding more."""
    (project / "app.py").write_text(
        "import rerunkernel as rk\n"
        "from IPython.display import Markdown, display\n"
        "x = rk.slider('x')\n"
        "display(Markdown(f'displayed {x}'))\n"
    )
    reply = kernel.execute("%rerun_watch app.py", cell="w")
    assert reply["status"] == "ok"
    assert kernel.page.text("w") == "slider 'x'\ndisplayed 0"
    kernel.set_widget(kernel.page.find_widget(description="x").comm_id, value=3)
    wait_exact(kernel, "w", "slider 'x'\ndisplayed 3")
