"""`persist="s3://bucket/prefix"`: a cache store shared by many kernels, through fsspec.

Any fsspec protocol works (`s3://`, `gs://`, `az://`, `file:///shared/path`, `memory://`),
with credentials and endpoints the way fsspec takes them (its config files and variables
such as `FSSPEC_S3_ENDPOINT_URL`). fsspec and the protocol's package are imported only when
a URL asks for them.

Why it is safe to share, and why it never stalls a rerun:

- Entries are content-addressed by the same exact key as the local disk, so kernels racing
  on one key compute the same thing; each write is atomic (one PUT on object stores, which
  publishes a whole object or nothing; elsewhere a temporary name moved into place), so the
  last writer leaves one intact entry and a reader never sees half of one.
- Every entry is signed (`signing.py`); one that fails its signature is never unpickled.
- Every call to the store runs in a daemon thread that the caller waits on for at most
  `RERUNKERNEL_CACHE_TIMEOUT` seconds. A store that fails or doesn't answer is reported once
  and left alone for a while, so a rerun with fifty cached calls waits once, not fifty times.
- Eviction lists the whole store, which costs more than a write as the store grows, so it
  runs at most once per `EVICT_EVERY_WRITES` writes or `EVICT_EVERY_SECONDS` per store, and
  at once whenever this kernel's estimate (the last listing plus what it wrote since) is
  over the size cap or a function's `max_entries`.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
import warnings
from datetime import datetime
from typing import Any, Callable

from . import signing
from .store import (
    FORMAT_VERSION,
    Entry,
    PersistentStore,
    UnsafeCacheWarning,
    counters,
    decode,
    encode,
    max_bytes,
)

STORE_VARIABLE = "RERUNKERNEL_CACHE_STORE"
TIMEOUT_VARIABLE = "RERUNKERNEL_CACHE_TIMEOUT"
DEFAULT_TIMEOUT = 20.0
RETRY_AFTER = 30.0
EVICT_EVERY_WRITES = 100
EVICT_EVERY_SECONDS = 60.0
_HEADER = b"RERUNKERNEL-SHARED-CACHE\n" + FORMAT_VERSION.to_bytes(4, "little")
_SUFFIX = ".rkc"
# where one PUT publishes a whole object or nothing; elsewhere a write goes through a temporary
_ATOMIC_PUT = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "memory"})


class CacheStoreWarning(RuntimeWarning):
    """The shared store could not be used; results are computed here instead."""


class StoreUnavailable(Exception):
    """The store failed or timed out; the caller computes (the warning was already given)."""


def check_persist(persist: Any, decorator: str = "cache") -> bool | str:
    """What `persist=` means: False, True (the local disk) or the URL of a shared store.

    `persist=True` goes to `RERUNKERNEL_CACHE_STORE` when it is set, so an administrator
    points every kernel at one bucket without touching notebooks; `"disk"` is Streamlit's
    spelling of True, and means the same. A URL is checked here, at decoration, without
    contacting the store: a missing package or signing key is an error the user sees at once,
    not a warning on every miss. `decorator` names the decorator in errors.
    """
    if persist is None or persist is False:
        return False
    if isinstance(persist, str) and persist == "disk":
        persist = True
    if persist is True:
        persist = os.environ.get(STORE_VARIABLE, "").strip() or True
        if persist is True:
            return True
        where = f"{STORE_VARIABLE}={persist!r}"
    elif isinstance(persist, str):
        where = f"rk.{decorator}(persist={persist!r})"
    else:
        raise TypeError(f"rk.{decorator}(persist=...) must be True, 'disk', False or the URL "
                        f"of a shared store like 's3://bucket/prefix', got {persist!r}")
    if "://" not in persist:
        raise ValueError(f"{where}: a shared store is a URL with a protocol, like "
                         "'s3://bucket/prefix' or 'file:///shared/cache'; use persist=True "
                         "(or 'disk') for this machine's cache folder")
    _backend(persist, where)
    signing.secret()
    return persist


class _Backend:
    """One fsspec filesystem and its health, shared by every function using the same URL."""

    def __init__(self, url: str, fs: Any, root: str) -> None:
        self.url = url
        self.fs = fs
        self.root = root
        self.atomic_put = bool(_ATOMIC_PUT.intersection(_protocols(fs)))
        self._down_until = 0.0
        self._lock = threading.Lock()
        self.eviction = _Eviction()

    @property
    def down(self) -> bool:
        return time.monotonic() < self._down_until

    def call(self, fn: Callable[..., Any], *args: Any, missing_ok: bool = True) -> Any:
        """`fn(*args)` within the timeout; a failure is reported once and raises
        StoreUnavailable, except FileNotFoundError with `missing_ok` (a lookup's miss)."""
        if self.down:
            raise StoreUnavailable(self.url)
        timeout = _timeout()
        box: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["value"] = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="rerunkernel-cache-store", daemon=True).start()
        if not done.wait(timeout):
            self._fail(f"no answer within {timeout:g} s ({TIMEOUT_VARIABLE})")
        error = box.get("error")
        if missing_ok and isinstance(error, FileNotFoundError):
            raise error
        if error is not None:
            self._fail(f"{type(error).__name__}: {error}")
        return box["value"]

    def _fail(self, reason: str) -> None:
        with self._lock:
            first = not self.down
            self._down_until = time.monotonic() + RETRY_AFTER
        if first:
            warnings.warn(CacheStoreWarning(
                f"rk.cache: the shared cache store {self.url} can't be used: {reason}. "
                f"Results are computed here instead; the store is tried again in "
                f"{RETRY_AFTER:g} s. Check the URL, the endpoint and the credentials."
            ), stacklevel=2)
        raise StoreUnavailable(self.url)


class _Eviction:
    """When a store was last listed, and what this kernel wrote to it since.

    Between listings the estimate only grows by our own writes (an overwrite counts as a new
    entry, which errs towards listing early); other kernels' writes are seen at the next
    listing. So the size cap and `max_entries` hold exactly for one kernel and within what
    the other kernels wrote in one interval when many share a store.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -float("inf")
        self._writes = 0
        self._bytes = 0
        self._entries: dict[str, int] = {}

    def due(self, folder: str, size: int, max_entries: int | None, cap: int) -> bool:
        """Count a write of `size` bytes into `folder`; True when the store must be listed."""
        with self._lock:
            self._writes += 1
            self._bytes += size
            self._entries[folder] = self._entries.get(folder, 0) + 1
            return (self._writes >= EVICT_EVERY_WRITES
                    or time.monotonic() - self._last >= EVICT_EVERY_SECONDS
                    or self._bytes > cap
                    or (max_entries is not None and self._entries[folder] > max_entries))

    def listed(self, total: int, entries: dict[str, int]) -> None:
        """The store as eviction left it: its size and each function's number of entries."""
        with self._lock:
            self._last = time.monotonic()
            self._writes = 0
            self._bytes = total
            self._entries = entries


_backends: dict[str, _Backend] = {}
_backends_lock = threading.Lock()


def _backend(url: str, where: str) -> _Backend:
    with _backends_lock:
        found = _backends.get(url)
    if found is not None:
        return found
    try:
        import fsspec.core
    except ImportError:
        raise ImportError(f"{where} needs fsspec and the package for its protocol: "
                          "pip install 'rerunkernel[s3]' (or fsspec with gcsfs, adlfs, ...)"
                          ) from None
    try:
        fs, root = fsspec.core.url_to_fs(url)
    except ImportError as exc:
        raise ImportError(f"{where}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{where} is not a URL fsspec can open: {exc}") from None
    backend = _Backend(url, fs, root.rstrip("/"))
    with _backends_lock:
        return _backends.setdefault(url, backend)


class RemoteStore(PersistentStore):
    """The entries of one function under `<url>/<name>/`, one object per key."""

    def __init__(self, url: str, name: str, max_entries: int | None = None,
                 ttl: float | None = None) -> None:
        self.url = url
        self.name = name
        self.max_entries = max_entries
        self.ttl = ttl
        self.backend = _backend(url, f"rk.cache(persist={url!r})")
        self.folder = f"{self.backend.root}/{name}"

    @property
    def location(self) -> str:
        return f"{self.url.rstrip('/')}/{self.name}"

    def _path(self, key: str) -> str:
        return f"{self.folder}/{key}{_SUFFIX}"

    def _place(self, key: str) -> str:
        return f"{self.name}/{key}"

    def get(self, key: str) -> Entry | None:
        count = counters(self.location)
        try:
            data = self.backend.call(self.backend.fs.cat_file, self._path(key))
        except (FileNotFoundError, StoreUnavailable):
            count.misses += 1
            return None
        count.bytes_read += len(data)
        entry = self._verified(key, memoryview(data))
        if entry is None:
            count.misses += 1
        else:
            count.hits += 1
        return entry

    def _verified(self, key: str, data: memoryview) -> Entry | None:
        """The entry, if its signature holds; it is unpickled only then."""
        start = len(_HEADER) + signing.TAG_SIZE
        if data[:len(_HEADER)] != _HEADER or len(data) < start or not signing.verify(
            signing.secret(), self._place(key), data[len(_HEADER):start], _HEADER, data[start:]
        ):
            warnings.warn(UnsafeCacheWarning(
                f"rk.cache did not load {self._path(key)} from the shared store: its "
                f"signature doesn't match (written with another {signing.KEY_VARIABLE}, "
                "damaged, or not written by rk.cache). Loading it could run code someone "
                "else wrote; the result is computed instead and the entry replaced."
            ), stacklevel=4)
            return None
        return decode(data[start:], b"")

    def put(self, key: str, entry: Entry) -> None:
        """Sign and publish; raises only if the value can't be pickled."""
        payload = encode(entry)
        if self.backend.down:
            return
        mac = signing.tag(signing.secret(), self._place(key), _HEADER, payload)
        data = b"".join((_HEADER, mac, payload))
        try:
            # a write has nothing to miss: a missing bucket or folder is a broken store
            self.backend.call(self._publish, self._path(key), data, missing_ok=False)
            counters(self.location).bytes_written += len(data)
            if self.backend.eviction.due(self.folder, len(data), self.max_entries, max_bytes()):
                self.backend.call(self._evict, self._path(key))
        except (FileNotFoundError, StoreUnavailable):
            pass

    def _publish(self, path: str, data: bytes) -> None:
        fs = self.backend.fs
        if self.backend.atomic_put:
            fs.pipe_file(path, data)
            return
        fs.makedirs(self.folder, exist_ok=True)
        temporary = f"{self.folder}/.{uuid.uuid4().hex}.tmp"
        try:
            fs.pipe_file(temporary, data)
            fs.mv(temporary, path)
        except BaseException:
            try:
                fs.rm_file(temporary)
            except OSError:
                pass
            raise

    def _evict(self, newest: str) -> None:
        """Bound this function by `max_entries` and ttl, then the whole store by size.

        Oldest written go first. Object stores date objects to the second, so the entry just
        written counts as the newest whatever its date says. Other functions' `max_entries`
        are theirs to apply when they write.
        """
        fs = self.backend.fs
        fs.invalidate_cache(self.backend.root)
        try:
            found = fs.find(self.backend.root, detail=True)
        except FileNotFoundError:
            return
        entries = sorted(
            (name == newest, _modified(info), name, int(info.get("size") or 0))
            for name, info in found.items() if name.endswith(_SUFFIX)
        )
        mine = [e for e in entries if e[2].startswith(self.folder + "/")]
        doomed = set()
        if self.ttl is not None and self.ttl != float("inf"):
            limit = time.time() - self.ttl
            doomed |= {e[2] for e in mine if not e[0] and e[1] < limit}
            mine = [e for e in mine if e[2] not in doomed]
        if self.max_entries is not None and len(mine) > self.max_entries:
            doomed |= {e[2] for e in mine[:len(mine) - self.max_entries]}
        total = sum(e[3] for e in entries if e[2] not in doomed)
        cap = max_bytes()
        for _, _, name, size in entries:
            if total <= cap:
                break
            if name not in doomed:
                doomed.add(name)
                total -= size
        if doomed:
            try:
                fs.rm(sorted(doomed))
            except FileNotFoundError:  # another kernel evicted them first
                pass
        left: dict[str, int] = {}
        for _, _, name, _ in entries:
            if name not in doomed:
                folder = name.rsplit("/", 1)[0]
                left[folder] = left.get(folder, 0) + 1
        self.backend.eviction.listed(total, left)

    def delete(self, key: str) -> None:
        try:
            self.backend.call(self.backend.fs.rm_file, self._path(key))
        except (FileNotFoundError, StoreUnavailable):
            pass

    def clear(self) -> None:
        """Remove this function's entries from the store (other functions' stay)."""
        counters(self.location).reset()
        try:
            self.backend.call(self.backend.fs.rm, self.folder, True)
        except (FileNotFoundError, StoreUnavailable):
            pass


def _timeout() -> float:
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    try:
        value = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        warnings.warn(CacheStoreWarning(
            f"{TIMEOUT_VARIABLE}={text!r} is not a number of seconds; using "
            f"{DEFAULT_TIMEOUT:g}"), stacklevel=3)
        return DEFAULT_TIMEOUT
    return value


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def _modified(info: dict) -> float:
    """When an object was written, in the field its filesystem reports it in."""
    for field in ("LastModified", "last_modified", "mtime", "updated", "created", "modified"):
        value = info.get(field)
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return 0.0
