"""`persist=True`: entries on disk survive a restart; bad files are recomputed, never fatal."""

from __future__ import annotations

import gc
import os
import pickle
import stat
import subprocess
import sys
import textwrap
import threading
import time
import warnings
import weakref
from pathlib import Path

import pytest

from rerunkernel.cache import cache, store
from rerunkernel.cache.store import FORMAT_VERSION, MemoryStore, UnsafeCacheWarning, cache_root


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("RERUNKERNEL_CACHE_DIR", str(directory))
    cache.clear()
    yield directory
    cache.clear()


def entry_files(directory):
    return sorted((directory / "functions").glob("*/*.rkc"))


def restart(fn):
    """What a kernel restart leaves: the disk, not the memory."""
    fn._cache.memory.clear()


def make_persisted(log):
    @cache(persist=True)
    def load(n, _log):
        _log.append(n)
        return {"n": n, "rows": list(range(n))}

    return load


SCRIPT = """
    import sys
    from rerunkernel.cache import cache

    @cache(persist=True)
    def load(n):
        with open(sys.argv[1], "a") as log:
            log.write("called\\n")
        return [n] * n

    print(load(3))
"""


def test_an_entry_survives_a_new_process(tmp_path, cache_dir):
    script = tmp_path / "app.py"
    script.write_text(textwrap.dedent(SCRIPT))
    log = tmp_path / "calls.log"
    env = {**os.environ, "RERUNKERNEL_CACHE_DIR": str(cache_dir)}
    for _ in range(2):
        done = subprocess.run([sys.executable, str(script), str(log)], env=env, cwd=tmp_path,
                              check=False, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "[3, 3, 3]"
    assert log.read_text() == "called\n"


def test_files_are_private_versioned_and_atomic(cache_dir):
    log: list = []
    load = make_persisted(log)
    load(2, log)
    [path] = entry_files(cache_dir)
    for directory in (cache_dir, cache_dir / "functions", path.parent):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    assert data.startswith(b"RERUNKERNEL-CACHE\n" + FORMAT_VERSION.to_bytes(4, "little"))
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]
    restart(load)
    assert load(2, log) == {"n": 2, "rows": [0, 1]}
    assert log == [2]
    assert load.cache_info().hits == 1


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: b"garbage",  # not ours
    lambda data: data.replace(FORMAT_VERSION.to_bytes(4, "little"),
                              (FORMAT_VERSION + 1).to_bytes(4, "little"), 1),  # newer format
    lambda data: data[:22] + pickle.dumps({"value": 1}),  # a payload missing fields
])
def test_a_damaged_or_foreign_file_is_recomputed_and_replaced(cache_dir, damage):
    log: list = []
    load = make_persisted(log)
    load(2, log)
    [path] = entry_files(cache_dir)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    restart(load)
    assert load(2, log) == {"n": 2, "rows": [0, 1]}
    assert log == [2, 2]
    restart(load)
    load(2, log)
    assert log == [2, 2]


def test_an_unpicklable_value_stays_in_memory_with_a_warning(cache_dir):
    @cache(persist=True)
    def make_lock(n):
        return threading.Lock()

    with pytest.warns(RuntimeWarning, match="make_lock\\(\\): the result is cached in memory "
                      "only.*can't be pickled.*Return a value that pickle can serialise"):
        lock = make_lock(1)
    assert make_lock(1) is lock
    assert entry_files(cache_dir) == []


def test_a_disk_that_refuses_the_write_is_named_without_a_pickle_hint(cache_dir):
    cache_dir.mkdir()
    (cache_dir / "functions").write_text("a file where the folder goes")

    @cache(persist=True)
    def square(n):
        return n * n

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert square(3) == 9
    [warning] = caught
    assert "could not be written to" in str(warning.message)
    assert "FileExistsError" in str(warning.message)
    assert "pickle can serialise" not in str(warning.message)


def test_clear_removes_persisted_entries(cache_dir):
    log: list = []
    load = make_persisted(log)
    load(1, log)
    load(2, log)
    assert len(entry_files(cache_dir)) == 2
    load.clear()
    assert entry_files(cache_dir) == []
    load(1, log)
    cache.clear()
    assert entry_files(cache_dir) == []
    restart(load)
    load(1, log)
    assert log == [1, 2, 1, 1]


def test_a_persisted_entry_expires_with_ttl(cache_dir, monkeypatch):
    from rerunkernel.cache import api

    now = [1_000_000.0]
    monkeypatch.setattr(api.time, "time", lambda: now[0])
    log: list = []

    @cache(persist=True, ttl=10)
    def load(n, _log):
        _log.append(n)
        return n

    load(1, log)
    restart(load)
    now[0] += 11
    load(1, log)
    assert log == [1, 1]


def test_a_persisted_entry_checks_its_files(tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("one")

    @cache(persist=True)
    def read(path):
        with open(path) as f:
            return f.read()

    assert read(str(data)) == "one"
    restart(read)
    data.write_text("two")
    assert read(str(data)) == "two"


def test_cache_root_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("RERUNKERNEL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache_root() == tmp_path / "xdg" / "rerunkernel"


def test_memory_store_lru_order():
    store = MemoryStore(max_entries=2)
    for key in "abc":
        store.put(key, key)
    assert store.get("a") is None
    store.get("b")
    store.put("d", "d")
    assert [store.get(k) for k in "bcd"] == ["b", None, "d"]


# --- a cache folder someone else can write to -----------------------------------------------

OTHER_UID = 4242


class Planted:
    """What an attacker pickles: loading it touches a file, as any code it ran could."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def plant(path, marker):
    """Replace an entry with a well-formed one whose unpickling runs the attacker's code."""
    payload = pickle.dumps({"value": Planted(marker), "files": [], "label": "x", "created": 0})
    path.write_bytes(path.read_bytes()[:22] + payload)


def other_owner(path):
    os.chown(path, OTHER_UID, OTHER_UID, follow_symlinks=False)


def world_writable(path):
    os.chmod(path, 0o777)


def symlinked(path):
    """The entry becomes a link to a file the attacker wrote elsewhere (ours, but a link)."""
    target = path.parent.parent.parent / "elsewhere.rkc"
    os.replace(path, target)
    path.symlink_to(target)


ATTACKS = {
    "entry owned by another user": lambda entry, root: other_owner(entry),
    "entry writable by others": lambda entry, root: world_writable(entry),
    "entry is a symlink": lambda entry, root: symlinked(entry),
    "function folder owned by another user": lambda entry, root: other_owner(entry.parent),
    "functions folder writable by others": lambda entry, root: world_writable(root / "functions"),
    "cache folder owned by another user": lambda entry, root: other_owner(root),
}


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")
@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_an_entry_someone_else_could_have_written_is_never_unpickled(tmp_path, cache_dir, attack):
    if os.getuid() != 0 and "owned by another" in attack:
        pytest.skip("only root can give a file to another user")
    log: list = []
    load = make_persisted(log)
    load(2, log)
    [path] = entry_files(cache_dir)
    marker = tmp_path / "attacker-code-ran"
    plant(path, marker)
    ATTACKS[attack](path, cache_dir)
    restart(load)
    with pytest.warns(UnsafeCacheWarning, match="could run code someone else wrote"):
        assert load(2, log) == {"n": 2, "rows": [0, 1]}
    assert not marker.exists()
    assert log == [2, 2]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="only root can give a folder to another user")
def test_nothing_is_written_into_a_folder_someone_else_owns(cache_dir):
    (cache_dir / "functions").mkdir(parents=True)
    other_owner(cache_dir)
    log: list = []
    load = make_persisted(log)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load(2, log) == {"n": 2, "rows": [0, 1]}
        load.clear(2, log)
        assert load(2, log) == {"n": 2, "rows": [0, 1]}
    # one warning, whether the load or the write found the folder: what it is, what to do
    assert [str(w.message) for w in caught] == [
        f"rk.cache can't use the cache folder {cache_dir}: it belongs to user id 4242, not to "
        "you (user id 0), so an entry in it could run code someone else wrote. Nothing is "
        "loaded from it or written to it; results are cached in memory only. Set "
        "RERUNKERNEL_CACHE_DIR to a folder you own."]
    assert entry_files(cache_dir) == []
    assert load(2, log) == {"n": 2, "rows": [0, 1]}
    assert log == [2, 2]


def test_a_refused_entry_is_replaced_by_ours_and_then_loads(tmp_path, cache_dir):
    log: list = []
    load = make_persisted(log)
    load(2, log)
    [path] = entry_files(cache_dir)
    plant(path, tmp_path / "attacker-code-ran")
    world_writable(path)
    restart(load)
    with pytest.warns(UnsafeCacheWarning):
        load(2, log)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    restart(load)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load(2, log) == {"n": 2, "rows": [0, 1]}
    assert log == [2, 2]


# --- bounds ---------------------------------------------------------------------------------

def test_max_entries_bounds_the_disk_too(cache_dir):
    @cache(persist=True, max_entries=2)
    def square(n):
        return n * n

    for n in range(30):
        square(n)
    assert len(entry_files(cache_dir)) == 2
    restart(square)
    assert [square(28), square(29)] == [784, 841]
    assert square.cache_info().hits == 2


def test_the_size_cap_evicts_the_oldest_entries_of_any_function(cache_dir, monkeypatch):
    monkeypatch.setenv("RERUNKERNEL_CACHE_MAX_BYTES", "25KB")

    @cache(persist=True)
    def blob(n):
        return bytes([n]) * 10_000

    @cache(persist=True)
    def other(n):
        return bytes([n]) * 10_000

    blob(1)
    other(2)
    blob(3)
    files = entry_files(cache_dir)
    assert len(files) == 2
    assert sum(p.stat().st_size for p in files) <= 25_000
    restart(blob)
    restart(other)
    other(2), blob(3), blob(1)
    assert (other.cache_info().hits, blob.cache_info().hits) == (1, 1)
    assert blob.cache_info().misses == 3  # blob(1), the oldest, was evicted


@pytest.mark.parametrize("value", ["ten", "-5MB", "5 parsecs", "nan"])
def test_a_bad_size_cap_says_what_to_write(cache_dir, monkeypatch, value):
    monkeypatch.setenv("RERUNKERNEL_CACHE_MAX_BYTES", value)

    @cache(persist=True)
    def one(n):
        return n

    with pytest.warns(RuntimeWarning, match="RERUNKERNEL_CACHE_MAX_BYTES.*like 500MB"):
        assert one(1) == 1
    assert one(1) == 1


def test_expired_files_are_dropped_by_the_next_write(cache_dir):
    @cache(persist=True, ttl=3600)
    def square(n):
        return n * n

    square(1)
    [old] = entry_files(cache_dir)
    hours_ago = time.time_ns() - 2 * 3600 * 10**9
    os.utime(old, ns=(hours_ago, hours_ago))
    square(2)
    assert len(entry_files(cache_dir)) == 1
    assert old not in entry_files(cache_dir)


class Big:
    """A value we can watch being freed."""


def test_expired_entries_are_freed_without_being_asked_for_again(monkeypatch):
    monkeypatch.setattr(store, "_sweeper", store._Sweeper())  # its thread serves this test only

    @cache(ttl=0.05)
    def make(n):
        return Big()

    values = [weakref.ref(make(n)) for n in range(20)]
    thread = store._sweeper._thread
    assert thread is not None
    thread.join(timeout=60)
    assert not thread.is_alive()  # the sweeper thread stops once nothing waits to expire
    assert make.cache_info().size == 0
    gc.collect()
    assert [ref() for ref in values] == [None] * 20


def test_a_replaced_entry_is_not_dropped_by_the_old_ones_expiry():
    memory = MemoryStore(ttl=None)
    first = store.Entry("first", None, (), "a", time.time())
    second = store.Entry("second", None, (), "a", time.time())
    memory.put("a", first)
    memory.put("a", second)
    memory.expire("a", first)
    assert memory.get("a") is second
    memory.expire("a", second)
    assert memory.get("a") is None
