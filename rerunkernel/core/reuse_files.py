"""What a cell did outside its namespace: files, folders, network, processes.

A reused cell is not run, so anything it did to the world is not done again. Reading is
fine as long as what was read is still there: the files a cell read, the folders it listed,
the files it looked for and didn't find, and the files it wrote are checked again before the
cell is reused. Anything else (a network connection, a subprocess, deleting or renaming a
file) can't be checked, so such a cell runs every time.

This uses an audit hook, like `rk.cache`'s file tracking (fingerprint/file_records.py), but records more
kinds of events, and only for the script's thread while one cell is running. Files opened
by native code that bypasses Python's `open`, and `os.path.exists` (which raises no audit
event), are not seen.
"""

from __future__ import annotations

import glob as globmodule
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import xxhash

from ..fingerprint.file_records import FileRecord, not_data_prefixes, regular_file_record

# events after which a cell can't be reused, with what the user is told
NOT_REPEATABLE = {
    "socket.connect": "opened a network connection",
    "socket.getaddrinfo": "looked up a network address",
    "urllib.Request": "made a web request",
    "subprocess.Popen": "started a subprocess",
    "os.system": "ran a shell command",
    "os.posix_spawn": "started a process",
    "os.spawn": "started a process",
    "os.exec": "replaced the process",
    "os.fork": "forked the process",
    "os.remove": "deleted a file",
    "os.rmdir": "deleted a folder",
    "shutil.rmtree": "deleted a folder",
    "os.rename": "renamed a file",
    "os.truncate": "truncated a file",
}
_FILE_EVENTS = frozenset({"os.remove", "os.rmdir", "shutil.rmtree", "os.rename", "os.truncate"})

_active: dict[int, Activity] = {}
_installed = False
_install_lock = threading.Lock()
_excluded: tuple[str, ...] = ()


@dataclass
class Activity:
    """What one cell run touched, as paths; turned into checkable `Outside` at its end."""

    read: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)
    globbed: set[tuple[str, bool]] = field(default_factory=set)
    made_dirs: set[str] = field(default_factory=set)
    not_repeatable: str | None = None


def _path(value: Any) -> str | None:
    if value is None or isinstance(value, int):
        return None
    try:
        return os.path.abspath(os.fsdecode(value))
    except (TypeError, ValueError):
        return None


def _audit(event: str, args: tuple) -> None:
    if not _active:
        return
    activity = _active.get(threading.get_ident())
    if activity is None:
        return
    if event == "open":
        path, mode, flags = args
        path = _path(path)
        if path is None:
            return
        if mode is None:
            writing = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            reading = flags & (os.O_WRONLY | os.O_RDWR) != os.O_WRONLY
        else:
            writing = any(c in mode for c in "wax+")
            reading = "r" in mode or "+" in mode
        if writing:
            activity.written.add(path)
        elif reading:
            activity.read.add(path)
    elif event in ("os.listdir", "os.scandir"):
        path = _path(args[0] if args else ".")
        if path is not None:
            activity.listed.add(path)
    elif event == "glob.glob":
        activity.globbed.add((os.fsdecode(args[0]), bool(args[1])))
    elif event == "os.mkdir":
        path = _path(args[0])
        if path is not None:
            activity.made_dirs.add(path)
    elif event in NOT_REPEATABLE and activity.not_repeatable is None:
        what = NOT_REPEATABLE[event]
        if event in _FILE_EVENTS:
            path = _path(args[0]) if args else None
            if path is None or not _ours(path) or _made_here(activity, path):
                return
            what = f"{what} ({path})"
        activity.not_repeatable = what


def _made_here(activity: Activity, path: str) -> bool:
    """A temporary file or folder the cell made and removed again is no effect."""
    inside = path + os.sep
    made = {p for p in activity.made_dirs | activity.written if p == path or p.startswith(inside)}
    if not made:
        return False
    activity.made_dirs -= made
    activity.written -= made
    return True


def _install() -> None:
    global _installed, _excluded
    with _install_lock:
        if _installed:
            return
        _excluded = not_data_prefixes()
        sys.addaudithook(_audit)
        _installed = True


def start() -> Activity:
    """Record this thread's file, folder, network and process events until `stop()`."""
    _install()
    activity = Activity()
    _active[threading.get_ident()] = activity
    return activity


def stop() -> Activity | None:
    return _active.pop(threading.get_ident(), None)


def _ours(path: str) -> bool:
    return not os.path.realpath(path).startswith(_excluded)


def _listing(path: str) -> bytes | None:
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return None
    return xxhash.xxh3_128_digest("\0".join(names).encode("utf-8", "surrogateescape"))


def _globbing(pattern: str, recursive: bool) -> bytes:
    found = sorted(globmodule.glob(pattern, recursive=recursive))
    return xxhash.xxh3_128_digest("\0".join(found).encode("utf-8", "surrogateescape"))


@dataclass
class Outside:
    """The checkable part of an `Activity`: does the world still look as the cell left it?"""

    files: tuple[FileRecord, ...] = ()
    missing: tuple[str, ...] = ()
    listings: tuple[tuple[str, bytes | None], ...] = ()
    globs: tuple[tuple[str, bool, bytes], ...] = ()
    dirs: tuple[str, ...] = ()

    @classmethod
    def of(cls, activity: Activity) -> Outside:
        paths = {p for p in activity.read | activity.written if _ours(p)}
        states = {p: regular_file_record(p) for p in sorted(paths)}
        files = tuple(state for state in states.values() if state is not None)
        missing = tuple(p for p, state in states.items()
                        if state is None and not os.path.exists(p))
        listings = tuple((p, _listing(p)) for p in sorted(activity.listed) if _ours(p))
        globs = tuple((pattern, recursive, _globbing(pattern, recursive))
                      for pattern, recursive in sorted(activity.globbed))
        dirs = tuple(sorted(p for p in activity.made_dirs if _ours(p)))
        return cls(files, missing, listings, globs, dirs)

    def changed(self) -> str | None:
        """What differs from when the cell ran, or None when nothing does."""
        for record in self.files:
            if not record.unchanged():
                return f"{record.path} changed"
        for path in self.missing:
            if os.path.exists(path):
                return f"{path} exists now"
        for path, listing in self.listings:
            if _listing(path) != listing:
                return f"the files in {path} changed"
        for pattern, recursive, found in self.globs:
            if _globbing(pattern, recursive) != found:
                return f"the files matching {pattern} changed"
        for path in self.dirs:
            if not os.path.isdir(path):
                return f"{path} is gone"
        return None

