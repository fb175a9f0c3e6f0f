"""Files a cached call read: recorded while it runs, checked on every hit.

An audit hook sees every `open()` in the process, including the ones inside pandas or numpy,
without patching anything. It can't be removed once added, so it is added once, on the first
cached call, and does nothing unless a call on the same thread is recording. Files under the
interpreter's own prefixes (the standard library, site-packages) and the kernel's
pseudo-files (/proc, /sys, /dev) are not the user's data and are left out. Files opened by
native code that bypasses Python's `open` (pyarrow's own filesystem layer, for one) are not
seen.

A hit first compares size and mtime, and hashes the content only when those changed. A
file modified within the last two seconds is hashed on every check until it is older than
that ("racily clean", as git calls it): a second write of the same size within the clock's
granularity would otherwise keep its old mtime and pass unseen.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator

import xxhash

RACY_NS = 2_000_000_000
_CHUNK = 1 << 20

_recording: dict[int, list[set[str]]] = {}
_installed = False
_install_lock = threading.Lock()
_excluded: tuple[str, ...] = ()
# pseudo-files (cgroup limits, /proc/self/...) that libraries read to size thread pools:
# not data, and their content changes by itself
_KERNEL_FILESYSTEMS = ("/proc/", "/sys/", "/dev/")


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _recording:
        return
    stack = _recording.get(threading.get_ident())
    if not stack:
        return
    path, mode, flags = args
    if isinstance(path, int) or path is None:
        return
    if mode is None:
        if flags & (os.O_WRONLY | os.O_RDWR) == os.O_WRONLY:
            return
    elif "r" not in mode and "+" not in mode:
        return
    path = os.path.abspath(os.fsdecode(path))
    for paths in stack:
        paths.add(path)


def _install() -> None:
    global _installed, _excluded
    with _install_lock:
        if _installed:
            return
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        _excluded = tuple(os.path.realpath(p) + os.sep for p in prefixes if p)
        if os.name == "posix":
            _excluded += _KERNEL_FILESYSTEMS
        sys.addaudithook(_audit)
        _installed = True


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the paths this thread opens for reading (nested: outer calls see them too)."""
    _install()
    paths: set[str] = set()
    ident = threading.get_ident()
    stack = _recording.setdefault(ident, [])
    stack.append(paths)
    try:
        yield paths
    finally:
        stack.pop()
        if not stack:
            del _recording[ident]


def note(records: Iterable[FileRecord]) -> None:
    """A hit inside an outer cached call: the outer result depends on these files too."""
    stack = _recording.get(threading.get_ident())
    if stack:
        for paths in stack:
            paths.update(record.path for record in records)


def hash_file(path: str) -> bytes:
    h = xxhash.xxh3_128()
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            h.update(view[:n])
    return h.digest()


@dataclass
class FileRecord:
    path: str
    size: int
    mtime_ns: int
    digest: bytes
    trusted: bool

    def unchanged(self) -> bool:
        try:
            st = os.stat(self.path)
        except OSError:
            return False
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


def records(paths: Iterable[str], skip: str | None = None) -> tuple[FileRecord, ...]:
    """Size, mtime and content of the user's regular files among `paths`."""
    excluded = _excluded + ((os.path.realpath(skip) + os.sep,) if skip else ())
    found = []
    for path in sorted(paths):
        if os.path.realpath(path).startswith(excluded):
            continue
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                continue
            digest = hash_file(path)
        except OSError:
            continue
        trusted = time.time_ns() - st.st_mtime_ns > RACY_NS
        found.append(FileRecord(path, st.st_size, st.st_mtime_ns, digest, trusted))
    return tuple(found)
