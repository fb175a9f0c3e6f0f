"""How fast is a hit of `rk.cache`, next to the caches people use today?

Run with `.venv/bin/python bench/cache.py` (Streamlit is a benchmark-only dependency:
`pip install -e '.[bench]'`). Everything runs in this one process, one after the other, and
every figure is a median over repeats. Three measurements:

1. A hit for `f(3, 'abc')`: rk.cache next to functools.lru_cache (which checks nothing but
   the arguments) and streamlit.cache_data.
2. A hit whose argument is a 400 MB float64 array, next to xxh3-128 over the same buffer
   (the cost of looking at every byte once, which an exact key can't avoid).
3. Why Streamlit's array hit is faster than reading the array: it hashes a sample. After a
   single-element change it returns the stale result; rk.cache recomputes.
4. A hit from a shared store (`persist="s3://..."`, a fresh kernel: nothing in memory) for a
   100 MB value, next to reading the same object from the same store with fsspec directly.
   The store is moto's S3 server on 127.0.0.1, in its own process (the test extra has it).
5. A path argument: a miss and a hit for `f(".")` (the working directory, which is not data)
   and for `f(folder)` with a data folder of 500 files in 5 subfolders, next to one
   `os.stat` per entry of that folder (the least a check that sees a file rewritten in
   place can cost).
"""

from __future__ import annotations

import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import warnings
from functools import lru_cache

import numpy as np
import xxhash

from rerunkernel.cache import cache

SMALL_CALLS = 20_000
SMALL_REPEATS = 15
BIG_REPEATS = 15
BIG_ELEMENTS = 50_000_000  # float64: 400 MB
CHANGES = 7
REMOTE_ELEMENTS = 12_500_000  # float64: 100 MB
REMOTE_REPEATS = 5
FOLDER_REPEATS = 15
S3_SERVER = """
import logging, sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
"""


def streamlit_cache_data():
    logging.disable(logging.WARNING)  # "No runtime found": expected outside `streamlit run`
    warnings.filterwarnings("ignore", module="streamlit")
    import streamlit

    return streamlit.cache_data, streamlit.__version__


def per_call(call, number: int, repeats: int) -> float:
    """Median seconds per call."""
    call()
    runs = timeit.repeat(call, number=number, repeat=repeats)
    return statistics.median(runs) / number


def row(name: str, seconds: float, unit: str, scale: float, base: float | None = None,
        base_name: str = "") -> None:
    ratio = f"  ({seconds / base:8.2f}x {base_name})" if base else ""
    print(f"  {name:<34} {seconds * scale:10.3f} {unit}{ratio}")


def small_hit(st_cache) -> None:
    def f(a, b):
        return a * len(b)

    ours = cache(f)
    functools_cached = lru_cache(maxsize=None)(f)
    streamlit_cached = st_cache(f)
    results = {
        "functools.lru_cache": per_call(lambda: functools_cached(3, "abc"), SMALL_CALLS,
                                        SMALL_REPEATS),
        "rk.cache": per_call(lambda: ours(3, "abc"), SMALL_CALLS, SMALL_REPEATS),
        "streamlit.cache_data": per_call(lambda: streamlit_cached(3, "abc"), SMALL_CALLS // 10,
                                         SMALL_REPEATS),
    }
    print(f"\n1. hit for f(3, 'abc'), median of {SMALL_REPEATS} x {SMALL_CALLS} calls")
    for name, seconds in results.items():
        row(name, seconds, "us", 1e6)
    ours_s = results["rk.cache"]
    print(f"  rk.cache is {results['streamlit.cache_data'] / ours_s:.1f}x faster than "
          f"streamlit.cache_data (goal: <= 5 us, over 25x); "
          f"{ours_s / results['functools.lru_cache']:.1f}x the time of lru_cache, which "
          "checks neither code, globals nor files")


def big_hit(st_cache, array: np.ndarray) -> None:
    def raw() -> bytes:
        h = xxhash.xxh3_128()
        h.update(array)
        return h.digest()

    def peak(a):
        return float(a.max())

    ours = cache(peak)
    streamlit_cached = st_cache(peak)
    raw_s = per_call(raw, 1, BIG_REPEATS)
    ours_s = per_call(lambda: ours(array), 1, BIG_REPEATS)
    streamlit_s = per_call(lambda: streamlit_cached(array), 1, BIG_REPEATS)
    print(f"\n2. hit for peak(a), a = {array.nbytes / 1e6:.0f} MB float64, "
          f"median of {BIG_REPEATS}")
    row("xxh3-128 over the buffer (raw)", raw_s, "ms", 1e3)
    row("rk.cache (exact)", ours_s, "ms", 1e3, raw_s, "raw; goal <= 1.3x")
    row("streamlit.cache_data (sampled)", streamlit_s, "ms", 1e3, raw_s, "raw")


def staleness(st_cache, array: np.ndarray) -> None:
    def peak(a):
        return float(a.max())

    ours = cache(peak)
    streamlit_cached = st_cache(peak)
    ours(array), streamlit_cached(array)
    rng = np.random.default_rng(7)
    stale = {"rk.cache": 0, "streamlit.cache_data": 0}
    for i in range(CHANGES):
        array[rng.integers(array.size)] = 2.0 + i  # a new maximum, one element
        truth = float(array.max())
        stale["rk.cache"] += ours(array) != truth
        stale["streamlit.cache_data"] += streamlit_cached(array) != truth
    print(f"\n3. stale results after {CHANGES} single-element changes of the 400 MB array")
    for name, count in stale.items():
        print(f"  {name:<34} {count} of {CHANGES} stale")


def remote_hit() -> None:
    server = subprocess.Popen([sys.executable, "-c", S3_SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        endpoint = f"http://127.0.0.1:{int(server.stdout.readline())}"
        os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                          AWS_DEFAULT_REGION="us-east-1", RERUNKERNEL_CACHE_KEY="bench-" * 4,
                          RERUNKERNEL_CACHE_DIR=tempfile.mkdtemp(prefix="rk-bench-"))
        import fsspec.config
        import s3fs

        fsspec.config.conf["s3"] = {"endpoint_url": endpoint}
        fs = s3fs.S3FileSystem()
        fs.mkdir("bench")
        array = np.random.default_rng(1).random(REMOTE_ELEMENTS)

        @cache(persist="s3://bench/cache", show_spinner=False)
        def load(n):
            return array

        load(0)  # the miss that stores it
        [path] = fs.find("bench/cache")
        raw, ours = [], []
        for _ in range(REMOTE_REPEATS):  # side by side, so both see the same machine
            start = time.perf_counter()
            fs.cat_file(path)
            raw.append(time.perf_counter() - start)
            load._cache.memory.clear()  # what a new kernel has: nothing in memory
            start = time.perf_counter()
            load(0)
            ours.append(time.perf_counter() - start)
        assert load.cache_info().store.hits == REMOTE_REPEATS
        raw_s, ours_s = statistics.median(raw), statistics.median(ours)
        size = fs.size(path)
        print(f"\n4. shared store hit, a {array.nbytes / 1e6:.0f} MB array "
              f"({size / 1e6:.0f} MB object in moto's S3 server), median of {REMOTE_REPEATS}")
        row("fsspec cat_file of the object (raw)", raw_s, "ms", 1e3)
        row("rk.cache remote hit (verify, load)", ours_s, "ms", 1e3, raw_s, "raw")
    finally:
        server.stdin.close()
        server.wait(timeout=60)


def path_argument() -> None:
    def size(path, _n):
        return len(path)

    ours = cache(size, show_spinner=False)

    def miss_and_hit(path: str) -> tuple[float, float]:
        misses = []
        for n in range(FOLDER_REPEATS):
            start = time.perf_counter()
            ours(path, n)  # `_n` is left out of the key: clear, then a miss each time
            misses.append(time.perf_counter() - start)
            ours.clear()
        ours(path, 0)
        return statistics.median(misses), per_call(lambda: ours(path, 0), 20, FOLDER_REPEATS)

    with tempfile.TemporaryDirectory(prefix="rk-bench-data-") as data:
        for part in range(5):
            os.mkdir(os.path.join(data, f"part={part}"))
            for n in range(100):
                with open(os.path.join(data, f"part={part}", f"{n}.csv"), "w") as f:
                    f.write(f"{n}\n")
        entries = [os.path.join(root, name) for root, dirs, names in os.walk(data)
                   for name in dirs + names]

        def stat_all() -> None:
            for entry in entries:
                os.stat(entry)

        raw_s = per_call(stat_all, 20, FOLDER_REPEATS)
        here_miss, here_hit = miss_and_hit(".")
        data_miss, data_hit = miss_and_hit(data)
    print(f"\n5. a path argument, median of {FOLDER_REPEATS} (working directory "
          f"{os.getcwd()})")
    row('rk.cache miss, f(".")', here_miss, "ms", 1e3)
    row('rk.cache hit, f(".")', here_hit, "us", 1e6)
    row(f"os.stat of {len(entries)} entries (raw)", raw_s, "ms", 1e3)
    row("rk.cache miss, f(data folder)", data_miss, "ms", 1e3, raw_s, "raw")
    row("rk.cache hit, f(data folder)", data_hit, "ms", 1e3, raw_s, "raw")


def main() -> None:
    st_cache, st_version = streamlit_cache_data()
    print(f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"streamlit {st_version}, {os.cpu_count()} CPUs")
    small_hit(st_cache)
    array = np.random.default_rng(0).random(BIG_ELEMENTS)
    big_hit(st_cache, array)
    staleness(st_cache, array)
    del array
    remote_hit()
    path_argument()


if __name__ == "__main__":
    main()
