"""Where cached results live: in memory (bounded, LRU) and, with `persist=True`, on disk.

Both stores only keep entries; deciding whether an entry still holds (its ttl, its files,
whether its value was mutated) is the caller's job, so the same rules apply to both. What
the stores do on their own is stay bounded: memory drops an entry when its ttl runs out even
if nobody asks for it again (a 10 MB result with `ttl=60` must not be held for the kernel's
lifetime), and disk evicts by `max_entries`, by ttl and by a size cap for the whole folder.

On disk, each entry is one file in a directory only the user can read (0700), written
atomically (a temporary file renamed into place), starting with a magic string and a
format version. A file that is truncated, corrupt, from another format version or simply
not ours is treated as absent: the result is recomputed and the file replaced, never a crash.
An entry is persisted with what its call drew (its replay), so a hit loaded from disk draws
what the miss drew; a value or a drawing that can't be pickled is kept in memory only.

Unpickling runs code, so a file is loaded only if it and its folders belong to the user and
nobody else can write to them: on a shared path (`XDG_CACHE_HOME` or `RERUNKERNEL_CACHE_DIR`
pointing at a team folder) another user could otherwise plant an entry that runs as us.
A cache folder that belongs to someone else is neither read nor written, and said once.
"""

from __future__ import annotations

import errno
import heapq
import itertools
import math
import os
import pickle
import stat
import sys
import tempfile
import threading
import time
import warnings
import weakref
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Hashable, NamedTuple

from ..fingerprint.file_records import FileRecord

if TYPE_CHECKING:
    from .replay import Replay

# 2: entries carry what their call drew
FORMAT_VERSION = 2
_MAGIC = b"RERUNKERNEL-CACHE\n"
_HEADER = _MAGIC + FORMAT_VERSION.to_bytes(4, "little")
_SUFFIX = ".rkc"
DEFAULT_MAX_BYTES = 10 * 1000**3
_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4,
          "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "TIB": 1024**4}


class UnsafeCacheWarning(RuntimeWarning):
    """A persisted entry was not loaded because someone else could have written it."""


class UnsafeCacheFolderError(PermissionError):
    """The cache folder belongs to someone else: nothing is read from it or written to it."""


class NotPicklable(Exception):
    """An entry can't be persisted: its value, or what its call drew (`drawing`), won't pickle.
    """

    def __init__(self, error: Exception, drawing: bool) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.drawing = drawing


class StoreInfo(NamedTuple):
    """What the persistent store of one function did since its last `clear()`.

    `cache_info().store` reports it: `hits` and `misses` count lookups the memory couldn't
    answer; the bytes are what crossed to and from the store, headers included.
    """

    location: str
    hits: int
    misses: int
    bytes_read: int
    bytes_written: int


class Counters:
    """The mutable side of `StoreInfo`, kept per location so a store made anew by each
    rerun keeps counting where the last one left off."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.hits = self.misses = self.bytes_read = self.bytes_written = 0

    def info(self) -> StoreInfo:
        return StoreInfo(self.location, self.hits, self.misses, self.bytes_read,
                         self.bytes_written)

    def reset(self) -> None:
        self.hits = self.misses = self.bytes_read = self.bytes_written = 0


_counters: dict[str, Counters] = {}
_counters_lock = threading.Lock()


def counters(location: str) -> Counters:
    with _counters_lock:
        found = _counters.get(location)
        if found is None:
            found = _counters[location] = Counters(location)
        return found


@dataclass
class Entry:
    value: Any
    digest: bytes | None
    files: tuple[FileRecord, ...]
    label: str
    created: float
    hits: int = 0
    # what the call drew, drawn again on every hit; it lives and expires with the entry
    replay: Replay | None = None


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


class PersistentStore(Store):
    """A store that outlives the process: it has a place to name in messages, and counters."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the entries are, as a user would look for them."""

    def info(self) -> StoreInfo:
        return counters(self.location).info()


class MemoryStore(Store):
    def __init__(self, max_entries: int | None = None, ttl: float | None = None) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
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
        ttl = self.ttl
        if ttl is not None and math.isfinite(ttl):
            left = min(max(ttl - (time.time() - entry.created), 0.0), ttl)
            _sweeper.schedule(self, key, entry, left)

    def configure(self, max_entries: int | None, ttl: float | None) -> None:
        with self._lock:
            self.max_entries = max_entries
            self.ttl = ttl
            self._trim()

    def _trim(self) -> None:
        if self.max_entries is not None:
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def expire(self, key: Hashable, entry: Entry | None) -> None:
        """Drop `entry` if it is still the one stored under `key` (not a newer one)."""
        with self._lock:
            if entry is not None and self._entries.get(key) is entry:
                del self._entries[key]

    def delete(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Sweeper:
    """Drops memory entries when their ttl runs out, from one thread for all stores.

    The thread runs only while some entry is waiting to expire, so a kernel without `ttl`
    has no extra thread. It holds stores and entries weakly: scheduling never keeps a value
    alive that the store already let go.
    """

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Any, Hashable, Any]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def schedule(self, store: MemoryStore, key: Hashable, entry: Entry, after: float) -> None:
        item = (time.monotonic() + after, next(self._order), weakref.ref(store), key,
                weakref.ref(entry))
        with self._wake:
            heapq.heappush(self._due, item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rerunkernel-cache-ttl",
                                                daemon=True)
                self._thread.start()
            elif self._due[0] is item:
                self._wake.notify()

    def pending(self) -> int:
        with self._wake:
            return len(self._due)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due and self._due[0][0] > time.monotonic():
                    self._wake.wait(self._due[0][0] - time.monotonic())
                if not self._due:
                    self._thread = None
                    return
                now = time.monotonic()
                ready = []
                while self._due and self._due[0][0] <= now:
                    ready.append(heapq.heappop(self._due))
            for _, _, store_ref, key, entry_ref in ready:
                store = store_ref()
                if store is not None:
                    store.expire(key, entry_ref())


_sweeper = _Sweeper()


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


def max_bytes() -> int:
    """The size cap of a persistent store: `RERUNKERNEL_CACHE_MAX_BYTES`, e.g. `500MB`."""
    text = os.environ.get("RERUNKERNEL_CACHE_MAX_BYTES", "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    number = text.rstrip("BbKkMmGgTtIi ")
    unit = text[len(number):].strip().upper()
    try:
        value = float(number) * _UNITS[unit]
    except (KeyError, ValueError):
        value = -1.0
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"RERUNKERNEL_CACHE_MAX_BYTES={text!r} is not a size: use a number "
                         "of bytes or one with a unit, like 500MB or 20GB")
    return int(value)


class DiskStore(PersistentStore):
    """One directory per cached function, one file per entry; keys are hex digests.

    Eviction is oldest written first: by `max_entries` within the function's directory, by
    age when the function has a ttl, and by `max_bytes()` across the whole cache folder.
    """

    def __init__(self, name: str, max_entries: int | None = None,
                 ttl: float | None = None) -> None:
        self.name = name
        self.max_entries = max_entries
        self.ttl = ttl

    @property
    def directory(self) -> Path:
        return cache_root() / "functions" / self.name

    @property
    def location(self) -> str:
        return str(self.directory)

    def _path(self, key: str) -> Path:
        return self.directory / (key + _SUFFIX)

    def get(self, key: str) -> Entry | None:
        count = counters(self.location)
        data = self._read_trusted(self._path(key))
        entry = None if data is None else decode(memoryview(data), _HEADER)
        if entry is None:
            count.misses += 1
        else:
            count.hits += 1
            count.bytes_read += len(data)
        return entry

    def _read_trusted(self, path: Path) -> bytes | None:
        """The file's bytes if only the user could have written it; else None (and a warning).

        The entry is checked without following symlinks, and the file read is the one
        checked (same device and inode), so swapping it between check and read doesn't help.
        """
        root = cache_root()
        for folder in (root, root / "functions", path.parent):
            try:
                st = os.stat(folder)
            except OSError:
                return None
            if _foreign(st):
                _warn_foreign_folder(folder, st.st_uid)
                return None
            problem = _untrusted(st, folder)
            if problem:
                _warn_unsafe(path, problem)
                return None
        try:
            seen = os.lstat(path)
        except OSError:
            return None
        problem = _untrusted(seen, path)
        if problem:
            _warn_unsafe(path, problem)
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                _warn_unsafe(path, "it was replaced by a symbolic link")
            return None
        with os.fdopen(fd, "rb") as f:
            opened = os.fstat(f.fileno())
            if (opened.st_dev, opened.st_ino) != (seen.st_dev, seen.st_ino):
                _warn_unsafe(path, "it was replaced while being opened")
                return None
            try:
                return f.read()
            except OSError:
                return None

    def put(self, key: str, entry: Entry) -> None:
        """Write atomically; raises NotPicklable if the entry can't be pickled, OSError if the
        disk refuses (nothing is written then). A folder of someone else's is left alone."""
        payload = encode(entry)
        cap = max_bytes()
        directory = self.directory
        try:
            _private_dirs(directory)
        except UnsafeCacheFolderError:
            return  # said once, naming the folder; the entry stays in memory
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_HEADER)
                f.write(payload)
                f.flush()
                # eviction goes by this time: make it exact, not the file system's coarse tick
                now = time.time_ns()
                os.utime(f.fileno() if os.utime in os.supports_fd else temporary, ns=(now, now))
            os.replace(temporary, self._path(key))
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
        counters(self.location).bytes_written += len(_HEADER) + len(payload)
        self._evict(cap)

    def _evict(self, cap: int) -> None:
        """Bring this function under its bounds, then the whole folder under `cap`.

        Another process may be writing and evicting at the same time: a file already gone is
        simply skipped, and each process keeps the bounds it sees.
        """
        mine = _entry_files(self.directory)
        doomed = []
        if self.ttl is not None and math.isfinite(self.ttl):
            limit = time.time_ns() - int(self.ttl * 1e9)
            doomed = [e for e in mine if e[0] < limit]
            mine = [e for e in mine if e[0] >= limit]
        if self.max_entries is not None and len(mine) > self.max_entries:
            doomed += mine[:len(mine) - self.max_entries]
        for _, _, path in doomed:
            _unlink(path)
        functions = cache_root() / "functions"
        everything = sorted(e for folder in _folders(functions) for e in _entry_files(folder))
        total = sum(size for _, size, _ in everything)
        for _, size, path in everything:
            if total <= cap:
                break
            _unlink(path)
            total -= size

    def delete(self, key: str) -> None:
        _unlink(self._path(key))

    def clear(self) -> None:
        _remove_entries(self.directory)
        counters(self.location).reset()


def encode(entry: Entry) -> bytes:
    """The pickled record of an entry; raises NotPicklable saying which part won't pickle."""
    try:
        replay = None if entry.replay is None else pickle.dumps(entry.replay, protocol=5)
    except Exception as exc:  # noqa: BLE001 - pickle raises many types; all mean the same
        raise NotPicklable(exc, drawing=True) from exc
    try:
        return pickle.dumps({
            "value": entry.value,
            "files": [(f.path, f.size, f.mtime_ns, f.digest, f.trusted) for f in entry.files],
            "label": entry.label,
            "created": entry.created,
            "replay": replay,
        }, protocol=5)
    except Exception as exc:  # noqa: BLE001 - as above
        raise NotPicklable(exc, drawing=False) from exc


def decode(data: memoryview, header: bytes) -> Entry | None:
    """The entry in `data` after `header`, or None if it isn't one of ours (never an error)."""
    if data[:len(header)] != header:
        return None
    try:
        record = pickle.loads(data[len(header):])
        value, files, label, created, replay = (
            record["value"], record["files"], record["label"], record["created"],
            record["replay"],
        )
        records = tuple(FileRecord(*f) for f in files)
        drawn = None if replay is None else pickle.loads(replay)
    except Exception:  # noqa: BLE001 - a corrupt or foreign file is an absent entry
        return None
    return Entry(value, None, records, str(label), float(created), replay=drawn)


def _untrusted(st: os.stat_result, path: Path) -> str | None:
    """Why a file or folder with this status might hold someone else's code, or None."""
    if not hasattr(os, "getuid"):
        return None
    if stat.S_ISLNK(st.st_mode):
        return f"{path} is a symbolic link"
    if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
        return f"{path} is not a regular file"
    uid = os.getuid()
    if st.st_uid != uid:
        return f"{path} belongs to user id {st.st_uid}, not to you (user id {uid})"
    if st.st_mode & 0o022:
        return f"{path} can be written by others (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def _foreign(st: os.stat_result) -> bool:
    return hasattr(os, "getuid") and st.st_uid != os.getuid()


_warned_folders: set[str] = set()


def _warn_foreign_folder(folder: Path, owner: int) -> None:
    """One warning per folder, whether a load or a write finds it first: the same fix for
    both, and a rerun with fifty cached calls shouldn't say it fifty times."""
    if str(folder) in _warned_folders:
        return
    _warned_folders.add(str(folder))
    warnings.warn(UnsafeCacheWarning(
        f"rk.cache can't use the cache folder {folder}: it belongs to user id {owner}, not "
        f"to you (user id {os.getuid()}), so an entry in it could run code someone else "
        "wrote. Nothing is loaded from it or written to it; results are cached in memory "
        "only. Set RERUNKERNEL_CACHE_DIR to a folder you own."
    ), stacklevel=2)


def _warn_unsafe(path: Path, problem: str) -> None:
    warnings.warn(UnsafeCacheWarning(
        f"rk.cache did not load the persisted entry {path.name} because {problem}: loading "
        "it could run code someone else wrote. The result is computed instead. Keep the "
        "cache in a folder of your own (RERUNKERNEL_CACHE_DIR), readable only by you."
    ), stacklevel=2)


def _entry_files(directory: Path) -> list[tuple[int, int, Path]]:
    """(mtime in ns, size, path) of each entry in `directory`, oldest first."""
    found = []
    try:
        with os.scandir(directory) as it:
            for item in it:
                if item.name.endswith(_SUFFIX):
                    try:
                        st = item.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    found.append((st.st_mtime_ns, st.st_size, Path(item.path)))
    except OSError:
        return []
    return sorted(found)


def _folders(directory: Path) -> list[Path]:
    try:
        return [p for p in directory.iterdir() if p.is_dir()]
    except OSError:
        return []


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def clear_disk() -> None:
    """Remove every persisted entry of every function."""
    for directory in _folders(cache_root() / "functions"):
        _remove_entries(directory)


def _remove_entries(directory: Path) -> None:
    for _, _, path in _entry_files(directory):
        _unlink(path)


def _private_dirs(directory: Path) -> None:
    """Create the cache directories readable by the user alone (pickles are code).

    A folder that someone else owns is refused rather than used (warned once, raises
    UnsafeCacheFolderError): its owner could read our results and replace them.
    """
    root = cache_root()
    for path in (root, root / "functions", directory):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
        if _foreign(st):
            _warn_foreign_folder(path, st.st_uid)
            raise UnsafeCacheFolderError(f"{path} belongs to user id {st.st_uid}")
        if st.st_mode & 0o077:
            os.chmod(path, 0o700)
