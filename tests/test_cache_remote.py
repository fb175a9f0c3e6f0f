"""`persist="s3://..."`: kernels share results through a real S3 API server on 127.0.0.1.

The server is moto's, in a process of its own. Every "kernel" here is a separate Python
process with its own home and cache folders, so a hit can only come from the shared store.
"""

from __future__ import annotations

import json
import os
import pickle
import socket
import subprocess
import sys
import textwrap
import threading
import warnings
from pathlib import Path

import pytest

pytest.importorskip("s3fs")
pytest.importorskip("moto")

from rerunkernel.cache import cache, remote, signing  # noqa: E402
from rerunkernel.cache.store import UnsafeCacheWarning  # noqa: E402

KEY = "test-signing-key-0123456789"
BUCKET = "team-cache"

SERVER = """
import logging, sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
"""

APP = """
    import json, sys
    from rerunkernel.cache import cache

    @cache(persist=sys.argv[1])
    def load(n, _log):
        with open(_log, "a") as log:
            log.write("computed\\n")
        return {{"n": n, "rows": list(range(n)), "version": {version}}}

    print("ready", flush=True)
    if "--wait" in sys.argv:
        sys.stdin.readline()
    print(json.dumps(load(1000, sys.argv[2])))
    print(json.dumps(load.cache_info().store._asdict()))
"""


class Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.fixture(scope="module")
def endpoint():
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{int(server.stdout.readline())}"
    finally:
        server.stdin.close()
        server.wait(timeout=60)


@pytest.fixture(scope="module")
def bucket(endpoint):
    """The test's own view of the bucket, to look at and tamper with entries."""
    import s3fs

    fs = s3fs.S3FileSystem(endpoint_url=endpoint, key="testing", secret="testing",
                           skip_instance_cache=True)
    fs.mkdir(BUCKET)
    return fs


@pytest.fixture(autouse=True)
def forget_cached_functions():
    """The functions a test cached, on a store only this module's server serves, are
    forgotten with the test: a later `cache.clear()` on this worker (the `fresh_cache`
    fixture's) would try to reach that server, gone by then, for seconds."""
    from rerunkernel.cache import api

    before = set(api._caches)
    yield
    with api._caches_lock:
        for name in set(api._caches) - before:
            del api._caches[name]


@pytest.fixture
def prefix(request, bucket):
    name = request.node.name.replace("[", "-").replace("]", "")
    yield f"s3://{BUCKET}/{name}"
    if bucket.exists(f"{BUCKET}/{name}"):
        bucket.rm(f"{BUCKET}/{name}", recursive=True)


def kernel_env(tmp_path, name, endpoint, **extra):
    """What a kernel on its own machine has: its own home and cache, the shared settings."""
    home = tmp_path / name
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RERUNKERNEL_", "FSSPEC_", "AWS_"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               RERUNKERNEL_CACHE_DIR=str(home / "rk-cache"), RERUNKERNEL_CACHE_KEY=KEY,
               FSSPEC_S3_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    env.update(extra)
    return env


def start(tmp_path, name, url, endpoint, version=1, wait=False, **extra):
    script = tmp_path / f"app_v{version}.py"
    if not script.exists():
        script.write_text(textwrap.dedent(APP.format(version=version)))
    args = [sys.executable, str(script), url, str(tmp_path / "calls.log")]
    return subprocess.Popen(args + (["--wait"] if wait else []), cwd=tmp_path, text=True,
                            env=kernel_env(tmp_path, name, endpoint, **extra),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finish(process):
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    lines = out.splitlines()
    value, store = lines[-2:]
    assert lines[:-2] in (["ready"], [])  # a racing kernel's "ready" was read already
    assert json.loads(value) == {"n": 1000, "rows": list(range(1000)),
                                 "version": json.loads(value)["version"]}
    return json.loads(value)["version"], json.loads(store), err


def run(tmp_path, name, url, endpoint, **options):
    return finish(start(tmp_path, name, url, endpoint, **options))


def computed(tmp_path):
    log = tmp_path / "calls.log"
    return log.read_text().count("computed") if log.exists() else 0


def entries(bucket, url):
    bucket.invalidate_cache()
    return [p for p in bucket.find(url.removeprefix("s3://")) if p.endswith(".rkc")]


def test_a_second_kernel_hits_what_the_first_stored_and_changed_code_misses(
        tmp_path, endpoint, bucket, prefix):
    version, first, _ = run(tmp_path, "alice", prefix, endpoint)
    assert (first["hits"], first["misses"]) == (0, 1)
    assert first["bytes_written"] > 2000
    assert computed(tmp_path) == 1
    version, second, err = run(tmp_path, "bob", prefix, endpoint)
    assert computed(tmp_path) == 1
    assert (second["hits"], second["misses"]) == (1, 0)
    assert second["bytes_read"] == first["bytes_written"]
    assert not list((tmp_path / "bob" / "rk-cache").glob("**/*.rkc"))
    assert "Warning" not in err
    version, third, _ = run(tmp_path, "carol", prefix, endpoint, version=2)  # changed code
    assert version == 2
    assert computed(tmp_path) == 2
    assert (third["hits"], third["misses"]) == (0, 1)
    assert len(entries(bucket, prefix)) == 2


# enough for writes of one key to collide, and for a racer to read what another is writing;
# more only queue up for the two cores the suite is sized for
RACERS = 3


def test_kernels_racing_on_one_key_get_the_right_value_and_leave_one_entry(
        tmp_path, endpoint, bucket, prefix):
    kernels = [start(tmp_path, f"k{i}", prefix, endpoint, wait=True) for i in range(RACERS)]
    for kernel in kernels:
        assert kernel.stdout.readline() == "ready\n"
    for kernel in kernels:  # all at once, as far as the machine allows
        kernel.stdin.write("go\n")
        kernel.stdin.flush()
    for kernel in kernels:
        finish(kernel)
    [entry] = entries(bucket, prefix)
    assert 1 <= computed(tmp_path) <= RACERS
    before = computed(tmp_path)
    assert run(tmp_path, "late", prefix, endpoint)[1]["hits"] == 1  # the entry is intact
    assert computed(tmp_path) == before


def test_a_tampered_entry_is_never_unpickled(tmp_path, endpoint, bucket, prefix):
    run(tmp_path, "alice", prefix, endpoint)
    [path] = entries(bucket, prefix)
    signed = bucket.cat_file(path)
    start_of_payload = len(signed) - len(signed.split(b"\n", 1)[1]) + 4 + signing.TAG_SIZE
    marker = tmp_path / "attacker-code-ran"
    planted = pickle.dumps({"value": Planted(marker), "files": [], "label": "x", "created": 0})
    bucket.pipe_file(path, signed[:start_of_payload] + planted)
    _, store, err = run(tmp_path, "bob", prefix, endpoint)
    assert not marker.exists()
    assert computed(tmp_path) == 2
    assert err.count("signature doesn't match") == 1
    assert (store["hits"], store["misses"]) == (0, 1)
    assert bucket.cat_file(path) != signed[:start_of_payload] + planted  # replaced by ours
    assert run(tmp_path, "carol", prefix, endpoint)[1]["hits"] == 1




def silent_server():
    """A server that accepts connections and never answers: a store that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return listener, held


def test_an_unreachable_or_silent_store_falls_back_to_computing(tmp_path, endpoint):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused = f"http://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()  # nothing listens there now
    listener, held = silent_server()
    silent = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        stores = {"refused": (refused, f"s3://{BUCKET}/x"), "silent": (silent, f"s3://{BUCKET}/x"),
                  "no bucket": (endpoint, "s3://no-such-bucket/x")}
        kernels = {name: start(tmp_path, name, url, where, RERUNKERNEL_CACHE_TIMEOUT="2")
                   for name, (where, url) in stores.items()}
        errors = {}
        for name, kernel in kernels.items():
            _, store, errors[name] = finish(kernel)
            assert errors[name].count("can't be used") == 1, errors[name]
            assert (store["hits"], store["bytes_written"]) == (0, 0)
        assert "no answer within 2 s" in errors["silent"]
        assert "FileNotFoundError" in errors["no bucket"]
    finally:
        listener.close()
        for connection in held:
            connection.close()
    assert computed(tmp_path) == 3


# --- in-process: the decorator's checks, eviction and clear ---------------------------------

@pytest.fixture
def signing_key(monkeypatch, tmp_path):
    monkeypatch.setenv("RERUNKERNEL_CACHE_KEY", KEY)
    monkeypatch.setenv("RERUNKERNEL_CACHE_DIR", str(tmp_path / "cache"))


def test_a_store_url_needs_a_signing_key(monkeypatch):
    monkeypatch.delenv("RERUNKERNEL_CACHE_KEY", raising=False)
    with pytest.raises(signing.MissingKeyError, match="RERUNKERNEL_CACHE_KEY is not set.*"
                                                     "token_hex"):
        cache(persist="memory://team")(lambda: 1)
    monkeypatch.setenv("RERUNKERNEL_CACHE_KEY", "short")
    with pytest.raises(signing.MissingKeyError, match="has only 5 characters"):
        cache(persist="memory://team")(lambda: 1)


@pytest.mark.parametrize("persist, error, message", [
    ("team-bucket", ValueError, "a shared store is a URL with a protocol"),
    ("nosuchprotocol://x", ValueError, "is not a URL fsspec can open"),
    (3, TypeError, "must be True, 'disk', False or the URL"),
])
def test_a_bad_store_is_an_error_at_decoration(signing_key, persist, error, message):
    with pytest.raises(error, match=message):
        cache(persist=persist)(lambda: 1)


def test_the_store_variable_sets_the_default_for_persist_true(signing_key, monkeypatch):
    monkeypatch.setenv("RERUNKERNEL_CACHE_STORE", "memory://hub-default")

    @cache(persist=True)
    def double(n):
        return 2 * n

    double(4)
    assert double.cache_info().store.location == (
        f"memory://hub-default/{double._cache.disk_name}")
    assert double.cache_info().store.bytes_written > 0


def test_the_size_cap_evicts_the_oldest_entries_of_the_store(signing_key, tmp_path, monkeypatch):
    monkeypatch.setenv("RERUNKERNEL_CACHE_MAX_BYTES", "25KB")
    url = (tmp_path / "shared").as_uri()

    @cache(persist=url)
    def blob(n):
        return bytes([n]) * 10_000

    @cache(persist=url, max_entries=1)
    def other(n):
        return bytes([n]) * 100

    blob(1), blob(2), other(1), other(2), blob(3)
    files = sorted(p.name for p in (tmp_path / "shared").glob("*/*.rkc"))
    assert len(files) == 3  # blob(1) evicted by size, other(1) by max_entries
    assert sum(p.stat().st_size for p in (tmp_path / "shared").glob("*/*.rkc")) <= 25_000
    for fn in (blob, other):
        fn._cache.memory.clear()
    blob(2), blob(3), other(2), blob(1)
    assert (blob.cache_info().store.hits, other.cache_info().store.hits) == (2, 1)


def test_eviction_lists_the_store_now_and_then_and_at_once_when_over_the_cap(
        signing_key, tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "EVICT_EVERY_WRITES", 10)
    monkeypatch.setattr(remote, "EVICT_EVERY_SECONDS", float("inf"))
    url = (tmp_path / "shared").as_uri()

    @cache(persist=url)
    def blob(n):
        return bytes([n]) * 100

    fs = remote._backend(url, "test").fs
    listed = []
    real = fs.find
    monkeypatch.setattr(fs, "find", lambda *a, **k: listed.append(a) or real(*a, **k))
    for n in range(30):
        blob(n)
    assert len(listed) == 3  # the first write, then once every 10
    monkeypatch.setenv("RERUNKERNEL_CACHE_MAX_BYTES", "2KB")
    blob(30)  # this kernel alone wrote more than the cap since the last listing
    assert len(listed) == 4
    kept = list((tmp_path / "shared").glob("*/*.rkc"))
    assert 0 < len(kept) < 31 and sum(p.stat().st_size for p in kept) <= 2000


def test_clear_removes_this_functions_entries_from_the_store(signing_key, tmp_path):
    url = (tmp_path / "shared").as_uri()

    @cache(persist=url)
    def one(n):
        return n

    @cache(persist=url)
    def two(n):
        return n

    one(1), one(2), two(1)
    one.clear()
    assert [p.parent.name for p in (tmp_path / "shared").glob("*/*.rkc")] == [
        two._cache.disk_name]
    assert one.cache_info().store.bytes_written == 0


def test_a_file_store_writes_through_a_temporary_name(signing_key, tmp_path):
    url = (tmp_path / "shared").as_uri()

    @cache(persist=url)
    def value(n):
        return list(range(n))

    value(100)
    [path] = (tmp_path / "shared").glob("*/*")
    assert path.suffix == ".rkc"
    value._cache.memory.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert value(100) == list(range(100))
    assert value.cache_info().store.hits == 1


def test_a_damaged_entry_warns_once_and_is_replaced(signing_key, tmp_path):
    url = (tmp_path / "shared").as_uri()

    @cache(persist=url)
    def value(n, _log):
        _log.append(n)
        return n

    log: list = []
    value(1, log)
    [path] = (tmp_path / "shared").glob("*/*.rkc")
    path.write_bytes(path.read_bytes()[:-3])
    value._cache.memory.clear()
    with pytest.warns(UnsafeCacheWarning, match="signature doesn't match"):
        assert value(1, log) == 1
    value._cache.memory.clear()
    assert value(1, log) == 1
    assert log == [1, 1]


def test_an_entry_signed_with_another_key_is_not_loaded(signing_key, tmp_path, monkeypatch):
    url = (tmp_path / "shared").as_uri()

    @cache(persist=url)
    def value(n, _log):
        _log.append(n)
        return n

    log: list = []
    monkeypatch.setenv("RERUNKERNEL_CACHE_KEY", "another-key-9876543210")
    value(1, log)
    value._cache.memory.clear()
    monkeypatch.setenv("RERUNKERNEL_CACHE_KEY", KEY)
    with pytest.warns(UnsafeCacheWarning, match="written with another RERUNKERNEL_CACHE_KEY"):
        assert value(1, log) == 1
    assert log == [1, 1]
    assert value.cache_info().store.hits == 0


def test_a_failing_store_is_left_alone_for_a_while(signing_key, tmp_path, monkeypatch):
    url = (tmp_path / "broken").as_uri()

    @cache(persist=url)
    def square(n):
        return n * n

    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / square._cache.disk_name).write_text("a file where a folder goes")
    fs = remote._backend(url, "test").fs
    asked = []
    real = fs.cat_file
    monkeypatch.setattr(fs, "cat_file", lambda *a, **k: asked.append(a) or real(*a, **k))
    with pytest.warns(remote.CacheStoreWarning, match="can't be used: NotADirectoryError"):
        assert [square(n) for n in range(5)] == [0, 1, 4, 9, 16]
    assert len(asked) == 1  # then left alone, not asked (and waited for) on every call
    assert square.cache_info().store.misses == 5


def test_max_entries_and_clear_on_s3(signing_key, endpoint, bucket, prefix, monkeypatch):
    import fsspec.config

    monkeypatch.setitem(fsspec.config.conf, "s3", {"endpoint_url": endpoint})
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)

    @cache(persist=prefix, max_entries=2)
    def square(n):
        return n * n

    assert [square(n) for n in range(5)] == [0, 1, 4, 9, 16]
    assert len(entries(bucket, prefix)) == 2  # S3 dates objects to the second: the newest stays
    square._cache.memory.clear()
    assert square(4) == 16
    assert square.cache_info().store.hits == 1
    square.clear()
    assert entries(bucket, prefix) == []
