"""Where cached results live: in memory (bounded, LRU) and, with `persist=True`, on disk.

Both stores only keep entries; deciding whether an entry still holds (its ttl, its files,
whether its value was mutated) is the caller's job, so the same rules apply to both.

On disk, each entry is one file in a directory only the user can read (0700), written
atomically (a temporary file renamed into place), starting with a magic string and a
format version. A file that is truncated, corrupt, from another format version or simply
not ours is treated as absent: the result is recomputed and the file replaced, never a crash.
A value that can't be pickled is kept in memory only.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Hashable

from .files import FileRecord

FORMAT_VERSION = 1
_MAGIC = b"RERUNKERNEL-CACHE\n"
_HEADER = _MAGIC + FORMAT_VERSION.to_bytes(4, "little")
_SUFFIX = ".rkc"


@dataclass
class Entry:
    value: Any
    digest: bytes | None
    files: tuple[FileRecord, ...]
    label: str
    created: float
    hits: int = 0


class Store(ABC):
    @abstractmethod
    def get(self, key: Any) -> Entry | None:
        """The entry stored under `key`, or None."""

    @abstractmethod
    def put(self, key: Any, entry: Entry) -> None:
        """Store `entry` under `key`, replacing what was there."""

    @abstractmethod
    def delete(self, key: Any) -> None:
        """Forget `key` (no error if it is absent)."""

    @abstractmethod
    def clear(self) -> None:
        """Forget every entry."""


class MemoryStore(Store):
    def __init__(self, max_entries: int | None = None) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def get(self, key: Hashable) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None and self.max_entries is not None:
            try:
                self._entries.move_to_end(key)
            except KeyError:
                pass
        return entry

    def put(self, key: Hashable, entry: Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            self._trim()

    def resize(self, max_entries: int | None) -> None:
        with self._lock:
            self.max_entries = max_entries
            self._trim()

    def _trim(self) -> None:
        if self.max_entries is not None:
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def delete(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def cache_root() -> Path:
    """The user's cache directory for rerunkernel (`RERUNKERNEL_CACHE_DIR` overrides it)."""
    override = os.environ.get("RERUNKERNEL_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "rerunkernel"


class DiskStore(Store):
    """One directory per cached function, one file per entry; keys are hex digests."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def directory(self) -> Path:
        return cache_root() / "functions" / self.name

    def _path(self, key: str) -> Path:
        return self.directory / (key + _SUFFIX)

    def get(self, key: str) -> Entry | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        if not data.startswith(_HEADER):
            return None
        try:
            record = pickle.loads(memoryview(data)[len(_HEADER):])
            value, files, label, created = (
                record["value"], record["files"], record["label"], record["created"]
            )
            records = tuple(FileRecord(*f) for f in files)
        except Exception:  # noqa: BLE001 - a corrupt or foreign file is an absent entry
            return None
        return Entry(value, None, records, str(label), float(created))

    def put(self, key: str, entry: Entry) -> None:
        """Write atomically; raises if the value can't be pickled (nothing is written then)."""
        payload = pickle.dumps({
            "value": entry.value,
            "files": [(f.path, f.size, f.mtime_ns, f.digest, f.trusted) for f in entry.files],
            "label": entry.label,
            "created": entry.created,
        }, protocol=5)
        directory = self.directory
        _private_dirs(directory)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_HEADER)
                f.write(payload)
            os.replace(temporary, self._path(key))
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except OSError:
            pass

    def clear(self) -> None:
        _remove_entries(self.directory)


def clear_disk() -> None:
    """Remove every persisted entry of every function."""
    functions = cache_root() / "functions"
    if functions.is_dir():
        for directory in functions.iterdir():
            _remove_entries(directory)


def _remove_entries(directory: Path) -> None:
    if not directory.is_dir():
        return
    for path in directory.iterdir():
        if path.suffix == _SUFFIX:
            try:
                path.unlink()
            except OSError:
                pass


def _private_dirs(directory: Path) -> None:
    """Create the cache directories readable by the user alone (pickles are code)."""
    root = cache_root()
    for path in (root, root / "functions", directory):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o700)
