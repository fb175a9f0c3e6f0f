"""File watching for rerun-on-save (docs/ARCHITECTURE.md: Files and the JupyterLab extension).

One watchdog observer per process, however many apps watch files; directories are watched,
not files, because editors save by writing a temporary file and renaming it over the
original, or by deleting and recreating it. A save is seen on its first event that says the
content is complete (the writer closed the file, or a file was renamed onto it) and runs at
once; the events that follow within the debounce are one trailing change, so a burst of
saves runs twice at most: its first save, and its final content. Events that don't say the
content is complete (a truncate, a delete, platforms without close events) wait for the
debounce. Every change is checked against a content hash, so a save that changes nothing
(or a touch, or the trailing check of a save already seen) triggers nothing. When the
platform's native observer can't start (inotify limits), a polling observer takes over.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import threading
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ..fingerprint.regular_files import NotRegularFile, read_regular

log = logging.getLogger("rerunkernel")

DEBOUNCE_SECONDS = 0.05
POLL_SECONDS = 0.2
Callback = Callable[[set[Path]], None]


def content_hash(path: Path) -> str | None:
    """The file's content hash; None when it does not exist; a note when it can't be read.

    Whatever the path holds (a folder, a pipe, a symlink loop, a file we may not read)
    must not stop the watch, and a change between two of those, or back to a readable file,
    is a change. A pipe or a device is never read: that could block, or never end.
    """
    try:
        return hashlib.blake2b(read_regular(path), digest_size=16).hexdigest()
    except NotRegularFile as error:
        return f"<not a regular file: {stat.S_IFMT(error.mode):o}>"
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"<unreadable: {error.errno}>"


class Watch:
    """A set of files one client cares about, and what to call when their content changes."""

    def __init__(self, watcher: FileWatcher, paths: Iterable[Path], callback: Callback,
                 debounce: float) -> None:
        self._watcher = watcher
        self._callback = callback
        self._debounce = debounce
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._led = False  # this burst's first complete event has settled
        # bursts ended (a burst settles at most twice: its first complete event and its end);
        # how a test tells a burst from saves that a loaded machine spread out
        self.bursts = 0
        self._settling = threading.Lock()
        self._hashes: dict[Path, str | None] = {}
        self.stopped = False
        self.set_paths(paths)

    @property
    def paths(self) -> set[Path]:
        return set(self._hashes)

    def set_paths(self, paths: Iterable[Path]) -> None:
        wanted = {Path(os.path.abspath(p)) for p in paths}
        with self._lock:
            self._hashes = {p: self._hashes[p] if p in self._hashes else content_hash(p)
                            for p in wanted}
        self._watcher._refresh()

    def touched(self, path: Path, complete: bool = False) -> None:
        """An event for `path`; `complete` when it says the writer is done with the file.

        The first complete event of a burst settles at once, on a thread of its own (a
        callback must not hold up the observer). Every event restarts the trailing timer, so
        whatever follows within the debounce is one more settle, after the burst.
        """
        if self.stopped or path not in self._hashes:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._debounce, self._settle, args=(True,))
            self._timer.daemon = True
            self._timer.start()
            lead = complete and not self._led
            if lead:
                self._led = True
        if lead:
            threading.Thread(target=self._settle, name="rerunkernel-save", daemon=True).start()

    def _settle(self, trailing: bool = False) -> None:
        # one settle at a time: two callbacks for one save's content must never race
        with self._settling:
            with self._lock:
                if trailing:
                    if threading.current_thread() is not self._timer:
                        return  # a later event restarted the debounce: the burst goes on
                    self._timer = None
                    self._led = False
                    self.bursts += 1
                changed: set[Path] = set()
                for path, old in self._hashes.items():
                    new = content_hash(path)
                    if new != old:
                        self._hashes[path] = new
                        changed.add(path)
            if changed and not self.stopped:
                try:
                    self._callback(changed)
                except Exception:
                    log.exception("file change callback failed for %s",
                                  sorted(map(str, changed)))

    def stop(self) -> None:
        self.stopped = True
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._watcher._remove(self)


class FileWatcher:
    def __init__(self, debounce: float = DEBOUNCE_SECONDS) -> None:
        self.debounce = debounce
        self._lock = threading.Lock()
        self._watches: list[Watch] = []
        self._observer = None
        self._scheduled: dict[Path, object] = {}

    def watch(self, paths: Iterable[Path], callback: Callback) -> Watch:
        watch = Watch(self, [], callback, self.debounce)
        with self._lock:
            self._watches.append(watch)
        watch.set_paths(paths)
        return watch

    @property
    def watches(self) -> list[Watch]:
        return list(self._watches)

    @property
    def directories(self) -> set[Path]:
        return set(self._scheduled)

    def _remove(self, watch: Watch) -> None:
        with self._lock:
            if watch in self._watches:
                self._watches.remove(watch)
        self._refresh()

    def _refresh(self) -> None:
        """Observe exactly the directories holding some watched file."""
        with self._lock:
            wanted = {p.parent for w in self._watches for p in w.paths}
            if wanted and self._observer is None:
                self._observer = _start_observer()
            observer = self._observer
            if observer is None:
                return
            for directory in set(self._scheduled) - wanted:
                observer.unschedule(self._scheduled.pop(directory))
            for directory in wanted - set(self._scheduled):
                if directory.is_dir():
                    self._scheduled[directory] = self._schedule(directory)
            if not self._scheduled and self._observer is not None:
                self._observer.stop()
                self._observer = None

    def _schedule(self, directory: Path) -> object:
        """Watch one more directory; when inotify refuses it, move every watch to polling.

        inotify fails per directory (the user's watch limit, ENOSPC), not when the observer
        starts, so this is where the fallback has to happen. Called with `_lock` held.
        """
        try:
            return self._observer.schedule(_Handler(self), str(directory))
        except OSError as error:
            if isinstance(self._observer, PollingObserver):
                raise
            log.warning("native file watching unavailable (%s); polling instead", error)
        self._observer.stop()
        self._observer = _polling_observer()
        for known in list(self._scheduled):
            self._scheduled[known] = self._observer.schedule(_Handler(self), str(known))
        return self._observer.schedule(_Handler(self), str(directory))

    def _event(self, path: Path, complete: bool) -> None:
        for watch in self.watches:
            watch.touched(path, complete)

    def stop(self) -> None:
        for watch in self.watches:
            watch.stop()
        with self._lock:
            if self._observer is not None:
                self._observer.stop()
                self._observer = None
            self._scheduled.clear()


def _start_observer() -> Observer | PollingObserver:
    try:
        observer = Observer()  # inotify_init happens here (EMFILE at the instance limit)
        observer.start()
    except OSError as error:
        log.warning("native file watching unavailable (%s); polling instead", error)
        return _polling_observer()
    return observer


def _polling_observer() -> PollingObserver:
    observer = PollingObserver(timeout=POLL_SECONDS)
    observer.start()
    return observer


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FileWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):
            return
        # complete: closed after writing, or renamed onto the path (an atomic save); a file
        # renamed away is gone, and whatever replaces it brings its own events
        self._path(event.src_path, kind == "closed")
        self._path(getattr(event, "dest_path", ""), kind == "moved")

    def _path(self, raw: str | bytes, complete: bool) -> None:
        if raw:
            self.watcher._event(Path(os.path.abspath(os.fsdecode(raw))), complete)
