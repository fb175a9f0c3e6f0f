"""Files and folders a cached call read: recorded while it runs, checked on every hit.

An audit hook sees every `open()` in the process, including the ones inside pandas or numpy,
without patching anything, and every directory listing (`os.listdir`, `os.scandir`, which
`glob`, `Path.iterdir` and `Path.glob` use). It can't be removed once added, so it is added
once, on the first cached call, and does nothing unless a call on the same thread is
recording. Files under the interpreter's own prefixes (the standard library, site-packages),
the kernel's pseudo-files (/proc, /sys, /dev) and the listings the import system makes are
not the user's data and are left out.

A file that did not exist when the call looked for it is recorded as absent: creating it
recomputes. A folder is recorded by its list of names: a new file in it recomputes.

Native code that bypasses Python's `open` (pyarrow's own filesystem layer, h5py) raises no
event, so the caller adds `paths_named(...)`: the arguments and globals that name an existing
file or folder (a `str` or `os.PathLike`). A named file is recorded by its content. A named
folder is one record of the names, sizes and mtimes of what it holds (subfolders too, up to
`FOLDER_LIMIT` entries in all): a data folder read natively changes that record when a file
in it is added, removed or rewritten, and costs a walk with one `stat` per entry rather than
a record (and a hash) per file. A file in it counts by its content only if it was opened.

A folder named only because it is where things happen is not data: the working directory
and every folder above it, the home folder and the root are never recorded as named, so
`f(".")` does not recompute whenever a notebook autosaves and does not walk the project.

A hit first compares size and mtime, and hashes the content only when those changed. A
file modified within the last two seconds is hashed on every check until it is older than
that ("racily clean", as git calls it): a second write of the same size within the clock's
granularity would otherwise keep its old mtime and pass unseen.
"""

from __future__ import annotations

import operator
import os
import stat
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator

import xxhash

from .regular_files import open_regular

RACY_NS = 2_000_000_000
FOLDER_LIMIT = 1_000
_CHUNK = 1 << 20
# FileRecord.size for what is not a regular file's size
ABSENT = -1
FOLDER = -2
CONTENTS = -3


class Recording:
    """What one cached call read so far: file paths and listed folders (and files written,
    which are its output, not its input, even when an argument names them); `contents`
    are named folders that inner cached calls depend on."""

    __slots__ = ("contents", "files", "folders", "written")

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.folders: set[str] = set()
        self.written: set[str] = set()
        self.contents: set[str] = set()


_recording: dict[int, list[Recording]] = {}
_installed = False
_install_lock = threading.Lock()
_excluded: tuple[str, ...] = ()
# pseudo-files (cgroup limits, /proc/self/...) that libraries read to size thread pools:
# not data, and their content changes by itself
_KERNEL_FILESYSTEMS = ("/proc/", "/sys/", "/dev/")


def _audit(event: str, args: tuple) -> None:
    if not _recording or event not in _EVENTS:
        return
    stack = _recording.get(threading.get_ident())
    if not stack:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        if mode is None:
            reads = flags & (os.O_WRONLY | os.O_RDWR) != os.O_WRONLY
        else:
            reads = "r" in mode or "+" in mode
        path = os.path.abspath(os.fsdecode(path))
        for recording in stack:
            (recording.files if reads else recording.written).add(path)
        return
    path = args[0] if args else None
    if isinstance(path, int) or sys._getframe(1).f_code.co_filename.startswith("<frozen"):
        return  # a listing by file descriptor, or the import system looking for modules
    path = os.path.abspath(os.fsdecode(path) if path is not None else ".")
    for recording in stack:
        recording.folders.add(path)


_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})


def not_data_prefixes() -> tuple[str, ...]:
    """Folders whose files are never the user's data: Python's own installation (the
    packages a call imports) and, on POSIX, the kernel's pseudo-filesystems."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    excluded = tuple(os.path.realpath(p) + os.sep for p in prefixes if p)
    return excluded + (_KERNEL_FILESYSTEMS if os.name == "posix" else ())


def _install() -> None:
    global _installed, _excluded
    with _install_lock:
        if _installed:
            return
        _excluded = not_data_prefixes()
        sys.addaudithook(_audit)
        _installed = True


@contextmanager
def recording() -> Iterator[Recording]:
    """Collect what this thread reads: files opened for reading and folders listed.

    Nested recordings all see what is read inside the innermost one (an outer cached call
    depends on what its inner calls read).
    """
    _install()
    found = Recording()
    ident = threading.get_ident()
    stack = _recording.setdefault(ident, [])
    stack.append(found)
    try:
        yield found
    finally:
        stack.pop()
        if not stack:
            del _recording[ident]


def note(records: Iterable[FileRecord]) -> None:
    """A hit inside an outer cached call: the outer result depends on these records too."""
    stack = _recording.get(threading.get_ident())
    if stack:
        for recording in stack:
            for record in records:
                kind = record.size
                (recording.folders if kind == FOLDER else recording.contents
                 if kind == CONTENTS else recording.files).add(record.path)


def _listing(path: str) -> bytes:
    h = xxhash.xxh3_128()
    for name in sorted(os.listdir(path)):
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    return h.digest()


def _contents(path: str) -> bytes:
    """Names, sizes and mtimes of what `path` holds, breadth first, up to FOLDER_LIMIT.

    One part per entry, joined and hashed once: names never hold a slash or a NUL, so the
    parts can't run into each other (a folder's part is its path, with slashes).
    """
    parts = []
    folders = deque([path])
    seen = 0
    while folders and seen < FOLDER_LIMIT:
        folder = folders.popleft()
        try:
            with os.scandir(folder) as it:
                found = sorted(it, key=_by_name)
        except OSError:
            continue
        parts.append(folder)
        for item in found:
            if seen >= FOLDER_LIMIT:
                parts.append(item.name)  # past the limit, names only
                continue
            seen += 1
            try:
                st = item.stat()
            except OSError:
                parts.append(item.name)
                continue
            parts.append(f"{item.name}/{st.st_size}/{st.st_mtime_ns}")
            if stat.S_ISDIR(st.st_mode):
                folders.append(item.path)
    return xxhash.xxh3_128_digest("\0".join(parts).encode("utf-8", "surrogateescape"))


_by_name = operator.attrgetter("name")


def hash_file(path: str) -> bytes:
    h = xxhash.xxh3_128()
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with open_regular(path) as f:  # stat-then-open could meet a pipe put there since
        while n := f.readinto(buffer):
            h.update(view[:n])
    return h.digest()


@dataclass
class FileRecord:
    """A file by size, mtime and content; or (by `size`) an ABSENT path, a FOLDER listing,
    or a named folder's CONTENTS (the names, sizes and mtimes of what it holds)."""

    path: str
    size: int
    mtime_ns: int
    digest: bytes
    trusted: bool

    def unchanged(self) -> bool:
        try:
            st = os.stat(self.path)
        except OSError:
            return self.size == ABSENT
        if self.size == ABSENT:
            return False
        if self.size == FOLDER:
            return self._same_listing(st)
        if self.size == CONTENTS:
            # a file rewritten in place leaves its folder's mtime alone: no shortcut here
            return stat.S_ISDIR(st.st_mode) and _contents(self.path) == self.digest
        if self.trusted and st.st_size == self.size and st.st_mtime_ns == self.mtime_ns:
            return True
        try:
            digest = hash_file(self.path)
        except OSError:
            return False
        if digest != self.digest:
            return False
        self.size, self.mtime_ns = st.st_size, st.st_mtime_ns
        self.trusted = time.time_ns() - st.st_mtime_ns > RACY_NS
        return True

    def _same_listing(self, st: os.stat_result) -> bool:
        if not stat.S_ISDIR(st.st_mode):
            return False
        if self.trusted and st.st_mtime_ns == self.mtime_ns:
            return True
        try:
            if _listing(self.path) != self.digest:
                return False
        except OSError:
            return False
        self.mtime_ns = st.st_mtime_ns
        self.trusted = time.time_ns() - st.st_mtime_ns > RACY_NS
        return True


def _record(path: str, contents: bool = False) -> FileRecord | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return FileRecord(path, ABSENT, 0, b"", True)
    try:
        if stat.S_ISDIR(st.st_mode):
            if contents:
                return FileRecord(path, CONTENTS, st.st_mtime_ns, _contents(path), False)
            trusted = time.time_ns() - st.st_mtime_ns > RACY_NS
            return FileRecord(path, FOLDER, st.st_mtime_ns, _listing(path), trusted)
    except OSError:
        return None
    return regular_file_record(path, st)


def regular_file_record(path: str, st: os.stat_result | None = None) -> FileRecord | None:
    """A regular file by size, mtime and content; None for anything else (or nothing)."""
    try:
        st = os.stat(path) if st is None else st
        if not stat.S_ISREG(st.st_mode):
            return None
        digest = hash_file(path)
    except (OSError, ValueError):
        return None
    trusted = time.time_ns() - st.st_mtime_ns > RACY_NS
    return FileRecord(path, st.st_size, st.st_mtime_ns, digest, trusted)


def records(found: Recording, named: Iterable[str] = (),
            skip: str | None = None) -> tuple[FileRecord, ...]:
    """Records of the user's files and folders a call read, or that its inputs `named`."""
    excluded = _excluded + ((os.path.realpath(skip) + os.sep,) if skip else ())
    wanted: dict[str, bool] = {}  # path -> a named folder, recorded by its contents
    for path in found.files | found.folders:
        wanted[path] = False
    for path in found.contents:
        wanted[path] = True
    surroundings = None
    for path in named:
        if path in found.written:
            continue
        if os.path.isdir(path):
            if surroundings is None:
                surroundings = _surroundings()
            if path in surroundings or os.path.realpath(path) in surroundings:
                continue
            wanted[path] = True
        else:
            wanted.setdefault(path, False)
    out = []
    for path, contents in sorted(wanted.items()):
        if os.path.realpath(path).startswith(excluded):
            continue
        record = _record(path, contents)
        if record is not None:
            out.append(record)
    return tuple(out)


def _surroundings() -> set[str]:
    """Folders a path argument may name without being data: the working directory and every
    folder above it, the home folder and the root (each as given and as resolved)."""
    found = {os.path.expanduser("~"), os.path.abspath(os.sep)}
    try:
        here = os.getcwd()
    except OSError:  # the working directory was removed: nothing above it to leave out
        here = os.path.abspath(os.sep)
    while True:
        found.add(here)
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return found | {os.path.realpath(folder) for folder in found}


def paths_named(values: Iterable[object]) -> list[str]:
    """The `str` and `os.PathLike` values that name an existing file or folder (absolute).

    Readers in native code open such a path without an audit event, so naming it is the
    signal. A `Path` that does not exist yet counts too (absent until created); a plain
    string that names nothing is most likely not a path at all.
    """
    found = []
    for value in values:
        if isinstance(value, str):
            if not value or len(value) > 4096 or "\n" in value:
                continue
            if not os.path.exists(value):
                continue
        elif isinstance(value, os.PathLike):
            try:
                value = os.fsdecode(value)
            except TypeError:
                continue
        else:
            continue
        found.append(os.path.abspath(value))
    return found
