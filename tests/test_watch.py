"""FileWatcher in-process: saves seen at once, bursts, content hashes, editor save styles,
polling fallback.

Callbacks land in a queue; every wait is on that queue with a timeout. A check that
something did *not* happen is made deterministic with a second file watched by the same
`Watch`, the sentinel: its change is settled after everything the watch saw before it, and
every settle rehashes every file, so once the sentinel's callback has come no late duplicate
can follow. Tests whose save has more than one event use a long debounce, so that no stall
of this process can split one save in two.
"""

from __future__ import annotations

import errno
import os
import queue
import sys
import threading
from pathlib import Path

import pytest
from watchdog.observers.inotify import InotifyEmitter
from watchdog.observers.polling import PollingObserver

from rerunkernel.files import watch as watch_module
from rerunkernel.files.watch import FileWatcher, Watch, content_hash

TIMEOUT = 10.0


class Recorder:
    """A watch callback that remembers what it was told, and what the files held when it
    was called (what an app rerun by it would read)."""

    def __init__(self) -> None:
        self.calls: queue.Queue[set[Path]] = queue.Queue()
        self.count = 0
        self.read: list[dict[Path, str | None]] = []

    def __call__(self, paths: set[Path]) -> None:
        self.count += 1
        # never open a pipe (it would block); a folder or a symlink loop is not a file
        self.read.append({p: p.read_text() if p.is_file() else None for p in paths})
        self.calls.put(paths)

    def next(self) -> set[Path]:
        return self.calls.get(timeout=TIMEOUT)

    def until_sentinel(self, sentinel: Path) -> list[set[Path]]:
        """Change the sentinel; every call until the one naming it (included)."""
        sentinel.write_text(f"# sentinel {self.count}\n")
        calls = []
        while sentinel not in (paths := self.next()):
            calls.append(paths)
        calls.append(paths)
        return calls


@pytest.fixture
def watcher():
    fw = FileWatcher()
    try:
        yield fw
    finally:
        fw.stop()


@pytest.fixture
def files(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("x = 1\n")
    other = tmp_path / "other.py"
    other.write_text("y = 1\n")
    return app, other


def settled(watch: Watch, path: Path) -> bool:
    """The watch has recorded the file's current content: no later settle can call back."""
    return watch._hashes[path] == content_hash(path)


def test_a_save_calls_back_once_with_the_path(watcher, files):
    app, other = files
    recorder = Recorder()
    watch = watcher.watch([app, other], recorder)
    app.write_text("x = 2\n")
    assert recorder.next() == {app}
    assert settled(watch, app)
    assert recorder.until_sentinel(other) == [{other}]


@pytest.mark.parametrize("how", ["write", "rename"])
def test_a_save_is_seen_without_waiting_for_the_debounce(files, how):
    """The writer closed the file, or renamed a finished one onto it: nothing to wait for."""
    app, _ = files
    watcher = FileWatcher(debounce=10 * TIMEOUT)
    try:
        recorder = Recorder()
        watch = watcher.watch([app], recorder)
        if how == "write":
            app.write_text("x = 'closed'\n")
        else:
            temporary = app.with_name(".app.py.tmp")
            temporary.write_text("x = 'renamed'\n")
            os.replace(temporary, app)
        assert recorder.next() == {app}  # well before the debounce ends
        assert settled(watch, app)
    finally:
        watcher.stop()


def test_a_write_in_pieces_is_seen_with_its_final_content(files):
    app, other = files
    watcher = FileWatcher(debounce=0.5)
    try:
        recorder = Recorder()
        watch = watcher.watch([app, other], recorder)
        with open(app, "w") as file:
            file.write("x = 'first ")
            file.flush()
            os.fsync(file.fileno())
            file.write("and last'\n")
        assert recorder.next() == {app}
        assert watch._hashes[app] == content_hash(app)
        assert recorder.until_sentinel(other) == [{other}]
    finally:
        watcher.stop()


def test_a_burst_of_saves_runs_the_first_at_once_and_the_final_content_once(files):
    app, other = files
    watcher = FileWatcher(debounce=0.5)
    try:
        recorder = Recorder()
        watch = watcher.watch([app, other], recorder)
        app.write_text("x = 0\n")
        assert recorder.next() == {app}
        assert watch._hashes[app] == content_hash(app)
        for n in range(1, 10):  # within the debounce of the first: one burst
            app.write_text(f"x = {n}\n")
        assert recorder.next() == {app}
        assert watch._hashes[app] == content_hash(app)
        assert recorder.read[-1] == {app: "x = 9\n"}  # the burst's last call read its end
        assert recorder.until_sentinel(other) == [{other}]
    finally:
        watcher.stop()


def test_a_save_with_the_same_content_or_a_touch_calls_nothing(watcher, files):
    app, other = files
    recorder = Recorder()
    watcher.watch([app, other], recorder)
    app.write_text("x = 1\n")
    os.utime(app)
    other.write_text("y = 2\n")
    assert recorder.next() == {other}


def test_a_rename_save_over_the_file_is_seen_once_with_its_content(watcher, files):
    app, other = files
    recorder = Recorder()
    watch = watcher.watch([app, other], recorder)
    temporary = app.with_name(".app.py.swp")
    temporary.write_text("x = 'renamed'\n")
    os.replace(temporary, app)
    assert recorder.next() == {app}
    assert watch._hashes[app] == content_hash(app)
    assert recorder.read == [{app: "x = 'renamed'\n"}]
    assert recorder.until_sentinel(other) == [{other}]


def test_delete_then_recreate_is_two_changes(watcher, files):
    app, _ = files
    recorder = Recorder()
    watch = watcher.watch([app], recorder)
    app.unlink()
    assert recorder.next() == {app}
    assert watch._hashes[app] is None
    app.write_text("x = 'back'\n")
    assert recorder.next() == {app}
    assert settled(watch, app)


@pytest.mark.parametrize("replacement", ["directory", "pipe", "symlink loop"])
def test_a_file_replaced_by_something_unreadable_is_a_change_and_so_is_its_return(
    files, replacement
):
    """Delete-and-replace has no event saying a content is complete: the long debounce
    makes it one change."""
    app, other = files
    watcher = FileWatcher(debounce=0.5)
    try:
        recorder = Recorder()
        watch = watcher.watch([app, other], recorder)
        app.unlink()
        if replacement == "directory":
            app.mkdir()
        elif replacement == "pipe":
            os.mkfifo(app)  # reading it would block the watcher's thread for good
        else:
            app.symlink_to(app.name)
        assert recorder.next() == {app}
        assert settled(watch, app)
        assert watch._hashes[app] is not None  # a note of what is there, not "gone"
        assert recorder.until_sentinel(other) == [{other}]

        if replacement == "directory":
            app.rmdir()
        else:
            app.unlink()
        app.write_text("x = 'back'\n")
        while not settled(watch, app):
            recorder.next()
        assert recorder.read[-1] == {app: "x = 'back'\n"}
    finally:
        watcher.stop()


@pytest.mark.parametrize("reader", ["content_hash", "read_script", "local_imports"])
def test_a_pipe_put_in_place_after_a_check_never_blocks_a_reader(tmp_path, monkeypatch, reader):
    """A save can land between a look at what the path holds and the read: a pipe put
    there in that window must not block the reader (the watch's settle thread, or the run)."""
    from rerunkernel.kernel.apps import UnreadableScript, local_imports, read_script

    app = tmp_path / "app.py"
    app.write_text("x = 1\n")
    real_stat, real_open = Path.stat, os.open

    swapped = []

    def swap(path) -> None:
        """Right after the first look at the app (a stat, or the open itself), a pipe."""
        if os.fspath(path) == str(app) and not swapped:
            swapped.append(True)
            os.unlink(app)
            os.mkfifo(app)

    def stat_then_swap(self, *args, **kwargs):
        result = real_stat(self, *args, **kwargs)
        swap(self)
        return result

    def swap_then_open(path, *args, **kwargs):
        swap(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat_then_swap)
    monkeypatch.setattr(os, "open", swap_then_open)
    readers = {"content_hash": content_hash, "read_script": read_script,
               "local_imports": local_imports}
    outcome: queue.Queue = queue.Queue()

    def read() -> None:
        try:
            outcome.put(readers[reader](app))
        except UnreadableScript as error:
            outcome.put(error)

    threading.Thread(target=read, daemon=True).start()
    try:
        result = outcome.get(timeout=10)
    except queue.Empty:
        real_open(app, os.O_WRONLY | os.O_NONBLOCK)  # a writer ends the blocked read
        pytest.fail(f"{reader} blocked on the pipe")
    if reader == "content_hash":
        assert result.startswith("<not a regular file")
    elif reader == "read_script":
        assert "is not a regular file (a pipe or a device?)" in str(result)
    else:
        assert result == {}


def test_delete_and_recreate_within_the_debounce_is_one_change(files):
    app, other = files
    watcher = FileWatcher(debounce=0.5)
    try:
        recorder = Recorder()
        watch = watcher.watch([app, other], recorder)
        app.unlink()
        app.write_text("x = 'recreated'\n")
        assert recorder.next() == {app}
        assert settled(watch, app)
        assert recorder.until_sentinel(other) == [{other}]
    finally:
        watcher.stop()


def test_other_files_in_the_directory_are_ignored(watcher, files, tmp_path):
    app, other = files
    recorder = Recorder()
    watcher.watch([app], recorder)
    (tmp_path / "notes.txt").write_text("not watched\n")
    other.write_text("y = 'not watched either'\n")
    app.write_text("x = 3\n")
    assert recorder.next() == {app}


def test_one_observer_watches_directories_for_every_watch(watcher, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "app.py", tmp_path / "b" / "app.py"
    first_sentinel, second_sentinel = first.with_name("s.py"), second.with_name("s.py")
    for path in (first, second, first_sentinel, second_sentinel):
        path.write_text("n = 1\n")
    one, two = Recorder(), Recorder()
    w1 = watcher.watch([first, first_sentinel], one)
    w2 = watcher.watch([second, second_sentinel], two)
    assert watcher.directories == {first.parent, second.parent}
    observer = watcher._observer
    assert observer is not None and observer.is_alive()

    second.write_text("b = 2\n")
    assert two.next() == {second}
    first.write_text("a = 2\n")
    assert one.next() == {first}
    # each save called its own watch once, and nothing else came
    assert one.until_sentinel(first_sentinel) == [{first_sentinel}]
    assert two.until_sentinel(second_sentinel) == [{second_sentinel}]

    w1.stop()
    assert watcher.directories == {second.parent}
    assert watcher._observer is observer
    w2.stop()
    assert watcher.directories == set() and watcher.watches == []
    assert watcher._observer is None
    observer.join(TIMEOUT)
    assert not observer.is_alive()


def test_a_stopped_watch_is_not_called(watcher, files):
    app, other = files
    stopped, live = Recorder(), Recorder()
    watch = watcher.watch([app], stopped)
    watcher.watch([other], live)
    watch.stop()
    app.write_text("x = 'after stop'\n")
    other.write_text("y = 'after stop'\n")
    assert live.next() == {other}
    assert stopped.count == 0


def test_set_paths_follows_new_files(watcher, tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import helper\n")
    (tmp_path / "lib").mkdir()
    helper = tmp_path / "lib" / "helper.py"
    helper.write_text("N = 1\n")
    recorder = Recorder()
    watch = watcher.watch([app], recorder)
    watch.set_paths([app, helper])
    assert watcher.directories == {tmp_path, tmp_path / "lib"}
    helper.write_text("N = 2\n")
    assert recorder.next() == {helper}
    watch.set_paths([app])
    assert watcher.directories == {tmp_path}


def test_a_failing_callback_does_not_stop_the_watch(watcher, files, caplog):
    app, _ = files
    calls: queue.Queue[int] = queue.Queue()

    def flaky(paths: set[Path]) -> None:
        calls.put(1)
        if calls.qsize() == 1:
            raise RuntimeError("first call fails")

    watcher.watch([app], flaky)
    app.write_text("x = 'one'\n")
    calls.get(timeout=TIMEOUT)
    app.write_text("x = 'two'\n")
    calls.get(timeout=TIMEOUT)
    assert "file change callback failed" in caplog.text


def _inotify_full(self) -> None:
    raise OSError(errno.ENOSPC, "inotify watch limit reached")


@pytest.mark.skipif(sys.platform != "linux", reason="inotify is Linux's native observer")
def test_inotify_watch_limit_falls_back_to_polling(watcher, files, monkeypatch, tmp_path):
    app, _ = files
    (tmp_path / "first").mkdir()
    early = tmp_path / "first" / "early.py"
    early.write_text("e = 1\n")
    recorder = Recorder()
    watch = watcher.watch([early], recorder)
    assert not isinstance(watcher._observer, PollingObserver)

    monkeypatch.setattr(InotifyEmitter, "on_thread_start", _inotify_full)
    watch.set_paths([early, app])
    assert isinstance(watcher._observer, PollingObserver)
    assert watcher.directories == {early.parent, app.parent}

    app.write_text("x = 'polled'\n")
    assert recorder.next() == {app}
    early.write_text("e = 'polled too'\n")
    assert recorder.next() == {early}


def test_no_inotify_instance_at_all_falls_back_to_polling(watcher, files, monkeypatch):
    app, _ = files

    def no_instances() -> None:
        raise OSError(errno.EMFILE, "inotify instance limit reached")

    monkeypatch.setattr(watch_module, "Observer", no_instances)
    recorder = Recorder()
    watcher.watch([app], recorder)
    assert isinstance(watcher._observer, PollingObserver)
    app.write_text("x = 'polled'\n")
    assert recorder.next() == {app}


def test_stop_ends_the_observer_threads(files):
    app, _ = files
    before = {t for t in threading.enumerate() if type(t).__module__.startswith("watchdog")}
    fw = FileWatcher()
    fw.watch([app], Recorder())
    observer = fw._observer
    started = {t for t in threading.enumerate() if type(t).__module__.startswith("watchdog")}
    assert observer in started and len(started - before) >= 2  # observer + emitter
    fw.stop()
    observer.join(TIMEOUT)
    after = {t for t in threading.enumerate() if type(t).__module__.startswith("watchdog")}
    assert after <= before
    assert fw.watches == [] and fw.directories == set()
