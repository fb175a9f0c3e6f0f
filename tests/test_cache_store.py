"""`persist=True`: entries on disk survive a restart; bad files are recomputed, never fatal."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
import textwrap
import threading

import pytest

from rerunkernel.cache import cache
from rerunkernel.cache.store import FORMAT_VERSION, MemoryStore, cache_root


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

    with pytest.warns(RuntimeWarning, match="make_lock\\(\\): the result is cached in memory"):
        lock = make_lock(1)
    assert make_lock(1) is lock
    assert entry_files(cache_dir) == []


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
