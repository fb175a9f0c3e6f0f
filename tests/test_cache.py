"""`rk.cache` in a plain Python process: what makes a hit, what makes a miss."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
import threading
import time
import types
import warnings

import numpy as np
import pandas as pd
import pytest

from rerunkernel.cache import CachedObjectMutationWarning, UnhashableParamError, api, cache
from rerunkernel.fingerprint import deps, file_records

pytestmark = pytest.mark.usefixtures("fresh_cache")


class Calls:
    """Counts real calls; passed as `_calls`, so it is not part of the key."""

    def __init__(self) -> None:
        self.args: list = []

    def __call__(self, *args) -> None:
        self.args.append(args)

    @property
    def count(self) -> int:
        return len(self.args)


def run_cell(source: str, **names) -> dict:
    """One run of a notebook cell: a fresh __main__ namespace, as every rerun gets."""
    namespace = {"__name__": "__main__", "cache": cache, **names}
    exec(compile(textwrap.dedent(source), "<cell>", "exec"), namespace)
    return namespace


LOAD = """
    def helper(x):
        return x + 1

    @cache
    def load(n, _calls):
        _calls(n)
        return helper(n) * SCALE  # a comment

    SCALE = 2
"""


def calls_after_rerun(source: str, calls: Calls, n: int = 3) -> int:
    run_cell(source)["load"](n, calls)
    return calls.count


# --- basics -----------------------------------------------------------------------------


def test_hit_returns_the_stored_object_without_calling():
    calls = Calls()

    @cache
    def make(n, _calls):
        _calls(n)
        return [n]

    first = make(1, calls)
    assert make(1, calls) is first
    assert calls.count == 1
    make(2, calls)
    assert calls.count == 2
    info = make.cache_info()
    assert (info.hits, info.misses, info.size) == (1, 2, 2)
    assert [e.call for e in info.entries] == ["make(1, <test_cache.Calls>)",
                                            "make(2, <test_cache.Calls>)"]


def test_decorator_with_options_and_metadata():
    @cache(max_entries=3, show_spinner=False)
    def documented(x):
        """Doc."""
        return x

    assert documented(4) == 4
    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Doc."


def test_clear_one_function_and_all():
    calls = Calls()

    @cache
    def a(_calls):
        _calls()
        return 1

    @cache
    def b(_calls):
        _calls()
        return 2

    a(calls), b(calls)
    a.clear()
    a(calls), b(calls)
    assert calls.count == 3
    cache.clear()
    a(calls), b(calls)
    assert calls.count == 5
    assert a.cache_info().hits == 0


def test_an_exception_is_not_cached():
    attempts = Calls()

    @cache
    def flaky(_attempts):
        _attempts()
        if _attempts.count == 1:
            raise ValueError("first time")
        return "ok"

    with pytest.raises(ValueError):
        flaky(attempts)
    assert flaky(attempts) == "ok"
    assert flaky(attempts) == "ok"
    assert attempts.count == 2


def test_bad_decorations_say_what_to_do():
    with pytest.raises(TypeError, match="decorates a function"):
        cache(print)
    with pytest.raises(TypeError, match="below @staticmethod"):
        cache(staticmethod(lambda: 1))
    with pytest.raises(TypeError, match="generator"):
        cache(lambda: (yield 1))
    with pytest.raises(ValueError, match="ttl"):
        cache(ttl=-1)
    with pytest.raises(ValueError, match="max_entries"):
        cache(max_entries=0)
    with pytest.raises(TypeError, match="show_spinner"):
        cache(show_spinner=None)
    with pytest.raises(TypeError, match="hash_funcs"):
        cache(hash_funcs={3: id})


def test_methods_are_cached_per_instance_content():
    class Scaler:
        def __init__(self, k):
            self.k = k

        @cache
        def scale(self, x):
            return self.k * x

    assert Scaler(2).scale(3) == 6
    assert Scaler(3).scale(3) == 9
    assert Scaler(2).scale(3) == 6
    assert Scaler.scale.cache_info().hits == 1


# --- reruns and code --------------------------------------------------------------------


def test_a_redefinition_with_the_same_code_keeps_its_entries():
    calls = Calls()
    for _ in range(3):
        assert run_cell(LOAD)["load"](3, calls) == 8
    assert calls.count == 1


def test_code_is_analysed_once_per_function_object(monkeypatch):
    analysed = []
    real = deps.snapshot
    monkeypatch.setattr(deps, "snapshot", lambda fn, funcs: analysed.append(fn) or real(fn, funcs))
    load = run_cell(LOAD)["load"]
    calls = Calls()
    for n in (1, 2, 1, 2):
        load(n, calls)
    assert len(analysed) == 1
    run_cell(LOAD)["load"](1, calls)
    assert len(analysed) == 2 and calls.count == 2


def test_an_old_run_can_be_freed():
    import gc
    import weakref

    ns = run_cell("""
        class Model:
            def __init__(self, k):
                self.k = k

        @cache
        def fit(model):
            return model.k * 2

        assert fit(Model(2)) == 4
    """)
    old_class = weakref.ref(ns["Model"])
    del ns
    gc.collect()
    assert old_class() is None


def test_formatting_comments_and_line_numbers_do_not_matter():
    calls = Calls()
    calls_after_rerun(LOAD, calls)
    edited = "\n\n\n" + LOAD.replace("# a comment", "# another comment\n\n    # more")
    edited = edited.replace("return x + 1", "return (x\n                + 1)")
    assert calls_after_rerun(edited, calls) == 1


@pytest.mark.parametrize("edit", [
    ("* SCALE  #", "* SCALE * 1  #"),  # a constant in the body
    ("return x + 1", "return x + 2"),  # the helper's body
    ("SCALE = 2", "SCALE = 3"),  # a global the function reads
    ("def load(n, _calls):", "def load(n, _calls, extra=1):"),  # the signature
])
def test_code_helpers_and_globals_are_part_of_the_key(edit):
    calls = Calls()
    calls_after_rerun(LOAD, calls)
    assert calls_after_rerun(LOAD.replace(*edit), calls) == 2


@pytest.mark.parametrize("edit", [
    ("lambda v: v + 1", "lambda v: v + 2"),
    ("[i * 2 for", "[i * 3 for"),
    ("def inner(): return 'a'", "def inner(): return 'b'"),
    ("limit=10", "limit=11"),
    ("scale=2", "scale=3"),
])
def test_nested_code_and_defaults_are_part_of_the_key(edit):
    source = """
        @cache
        def build(n, _calls, limit=10, *, scale=2):
            _calls()
            def inner(): return 'a'
            f = lambda v: v + 1
            return [i * 2 for i in range(n)], f(n), inner(), limit, scale
    """
    calls = Calls()
    run_cell(source)["build"](3, calls)
    run_cell(source)["build"](3, calls)
    assert calls.count == 1
    run_cell(source.replace(*edit))["build"](3, calls)
    assert calls.count == 2


def test_two_functions_differing_only_in_a_constant_do_not_share_entries():
    first = run_cell("@cache\ndef f(x):\n    return x + 1\n")["f"]
    second = run_cell("@cache\ndef f(x):\n    return x + 2\n")["f"]
    assert first(1) == 2
    assert second(1) == 3
    assert first(1) == 2


def test_closure_values_are_dependencies():
    def make(offset):
        @cache
        def add(x):
            return x + offset

        return add

    assert make(1)(1) == 2
    assert make(5)(1) == 6

    def rebinding():
        value = 1

        @cache
        def get():
            return value

        first = get()
        value = 2
        return first, get()

    assert rebinding() == (1, 2)


def test_a_helper_of_a_helper_and_cycles():
    source = """
        def even(n):
            return True if n == 0 else odd(n - 1)

        def odd(n):
            return False if n == 0 else even(n - 1)

        @cache
        def parity(n, _calls):
            _calls()
            return even(n)
    """
    calls = Calls()
    assert run_cell(source)["parity"](4, calls) is True
    assert run_cell(source)["parity"](4, calls) is True
    assert calls.count == 1
    run_cell(source.replace("else even(n - 1)", "else even(n - 1) and True"))["parity"](4, calls)
    assert calls.count == 2


def test_recursive_cached_function():
    source = """
        @cache
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
    """
    assert run_cell(source)["fib"](30) == 832040
    fib = run_cell(source)["fib"]
    assert fib(30) == 832040
    assert fib.cache_info().misses == 31


def test_a_cached_helper_is_a_dependency_too():
    source = """
        @cache
        def base(n):
            return n * 10

        @cache
        def total(n, _calls):
            _calls()
            return base(n) + 1
    """
    calls = Calls()
    assert run_cell(source)["total"](1, calls) == 11
    assert run_cell(source.replace("n * 10", "n * 20"))["total"](1, calls) == 21
    assert calls.count == 2


def test_a_mutable_global_mutated_in_place_recomputes():
    ns = run_cell("""
        WEIGHTS = [1, 2, 3]
        TABLE = np.arange(10)

        @cache
        def score(x):
            return sum(WEIGHTS) * x + int(TABLE.sum())
    """, np=np)
    score = ns["score"]
    assert score(1) == 51
    ns["WEIGHTS"].append(4)
    assert score(1) == 55
    ns["TABLE"][0] = 100
    assert score(1) == 155
    assert score(1) == 155
    assert score.cache_info().misses == 3


def test_a_global_defined_later_or_shadowing_a_builtin():
    ns = run_cell("""
        @cache
        def f():
            return len("abc") + EXTRA
    """)
    with pytest.raises(NameError):
        ns["f"]()
    ns["EXTRA"] = 1
    assert ns["f"]() == 4
    ns["len"] = lambda s: 100
    assert ns["f"]() == 101


def test_an_unhashable_global_is_tracked_by_identity():
    ns = run_cell("""
        CONN = threading.Lock()

        @cache
        def query(q, _calls):
            _calls()
            with CONN:
                return q.upper()
    """, threading=threading)
    calls = Calls()
    ns["query"]("a", calls)
    ns["query"]("a", calls)
    assert calls.count == 1


def test_third_party_modules_by_name_and_version(monkeypatch):
    fake = types.ModuleType("fakelib")
    fake.__file__ = os.path.join(sys.prefix, "lib", "fakelib.py")
    fake.__version__ = "1.0"
    fake.value = lambda: 1
    monkeypatch.setitem(sys.modules, "fakelib", fake)
    deps.module_version.cache_clear()
    ns = run_cell("@cache\ndef f():\n    return fakelib.value()\n", fakelib=fake)
    before = deps.snapshot(ns["f"].__wrapped__).digest
    fake.__version__ = "2.0"
    deps.module_version.cache_clear()
    assert deps.snapshot(ns["f"].__wrapped__).digest != before
    deps.module_version.cache_clear()


def test_project_modules_are_followed_into(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = tmp_path / "projhelpers.py"
    module.write_text("def double(x):\n    return 2 * x\n")
    helpers = importlib.import_module("projhelpers")
    try:
        ns = run_cell("""
            @cache
            def f(x, _calls):
                _calls()
                return projhelpers.double(x)
        """, projhelpers=helpers)
        calls = Calls()
        assert ns["f"](2, calls) == 4
        assert ns["f"](2, calls) == 4
        module.write_text("def double(x):\n    return 3 * x\n")
        importlib.invalidate_caches()
        os.utime(module, ns=(0, 10**9))  # the pyc check is by mtime: make it differ
        reloaded = importlib.reload(helpers)
        assert ns["f"](2, calls) == 6 and reloaded is helpers
        assert calls.count == 2
    finally:
        sys.modules.pop("projhelpers", None)


# --- arguments --------------------------------------------------------------------------


def test_arguments_are_type_tagged():
    @cache
    def kind(x):
        return type(x).__name__

    assert [kind(v) for v in (1, 1.0, True, "1", b"1", None)] == [
        "int", "float", "bool", "str", "bytes", "NoneType"]
    assert kind.cache_info().misses == 6


def test_positional_keyword_and_default_calls_share_one_entry():
    @cache
    def f(a, b=2, *args, c=3, **kw):
        return (a, b, args, c, kw)

    assert f(1) == f(1, 2) == f(a=1, b=2) == f(1, c=3) == (1, 2, (), 3, {})
    assert f.cache_info().misses == 1
    f(1, 2, 3)
    f(1, d=4)
    assert f.cache_info().misses == 3
    with pytest.raises(TypeError, match="f\\(\\): missing a required argument: 'a'"):
        f()


def test_underscore_parameters_are_not_part_of_the_key():
    @cache
    def fetch(url, _session):
        return url + _session

    assert fetch("a", "1") == "a1"
    assert fetch("a", "2") == "a1"
    assert fetch.cache_info().misses == 1


def test_containers_arrays_and_frames_as_arguments():
    @cache
    def size(x):
        return len(x)

    size({"a": 1, "b": 2})
    size({"a": 1, "b": 2})
    size(np.arange(3))
    size(np.arange(3))
    size(pd.DataFrame({"a": [1, 2]}))
    size(pd.DataFrame({"a": [1, 2]}))
    assert size.cache_info().misses == 3


def test_a_cyclic_argument_does_not_hang():
    @cache
    def count(x):
        return len(x)

    a: list = [1]
    a.append(a)
    assert count(a) == 2
    assert count(a) == 2
    assert count.cache_info().hits == 1


def test_one_element_of_a_50_million_element_array_recomputes():
    @cache
    def peak(a):
        return float(a.max())

    a = np.random.default_rng(0).random(50_000_000)  # 400 MB, every page real
    first = peak(a)
    assert peak(a) == first
    a[31_415_926] = 2.0
    assert peak(a) == 2.0
    assert peak.cache_info()[:2] == (1, 2)


def test_one_cell_of_a_million_by_ten_frame_recomputes():
    @cache
    def peak(df):
        return float(df.to_numpy().max())

    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.random((1_000_000, 10)), columns=list("abcdefghij"))
    first = peak(df)
    assert peak(df) == first
    df.iat[999_999, 9] = 2.0
    assert peak(df) == 2.0
    assert peak.cache_info()[:2] == (1, 2)


def test_unhashable_argument_error_names_function_parameter_type_and_fixes():
    @cache
    def query(sql, conn):
        return sql

    with pytest.raises(UnhashableParamError) as caught:
        query("select 1", conn=threading.Lock())
    error = caught.value
    assert (error.function, error.parameter, error.type) == ("query", "conn", type(
        threading.Lock()))
    text = str(error)
    assert "Cannot hash argument 'conn' (of type _thread.lock) in query()" in text
    assert "_conn" in text
    assert "hash_funcs={_thread.lock:" in text


def test_hash_funcs_make_an_argument_hashable():
    lock_type = type(threading.Lock())

    @cache(hash_funcs={lock_type: lambda lock: "one lock"})
    def query(sql, conn):
        return sql.upper()

    assert query("a", threading.Lock()) == "A"
    assert query("a", threading.Lock()) == "A"
    assert query.cache_info().hits == 1


# --- files ------------------------------------------------------------------------------


def test_a_file_read_by_the_call_is_checked_on_every_hit(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a\n1\n")

    @cache
    def load(p):
        return pd.read_csv(p)

    assert load(str(path))["a"].tolist() == [1]
    assert load(str(path))["a"].tolist() == [1]
    assert load.cache_info().entries[0].files == (str(path),)
    path.write_text("a\n2\n")  # same size, probably the same mtime tick
    assert load(str(path))["a"].tolist() == [2]
    assert load.cache_info()[:2] == (1, 2)


def test_an_unchanged_old_file_is_trusted_by_size_and_mtime(tmp_path, monkeypatch):
    path = tmp_path / "old.txt"
    path.write_text("x")
    os.utime(path, ns=(10**18, 10**18))

    @cache
    def read(p):
        with open(p) as f:
            return f.read()

    read(str(path))
    hashed = []
    monkeypatch.setattr(file_records, "hash_file", lambda p: hashed.append(p))
    assert read(str(path)) == "x"
    assert hashed == []


def test_a_touched_but_identical_file_is_still_a_hit(tmp_path):
    path = tmp_path / "same.txt"
    path.write_text("same")

    @cache
    def read(p):
        with open(p) as f:
            return f.read()

    read(str(path))
    os.utime(path, ns=(10**18, 10**18 + 5))
    read(str(path))
    assert read.cache_info()[:2] == (1, 1)


def test_a_deleted_file_recomputes(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text("1")

    @cache
    def read(p):
        try:
            with open(p) as f:
                return f.read()
        except FileNotFoundError:
            return None

    assert read(str(path)) == "1"
    path.unlink()
    assert read(str(path)) is None


def test_only_reads_during_the_call_and_outside_the_interpreter_are_recorded(tmp_path):
    data = tmp_path / "d.txt"
    data.write_text("d")
    written = tmp_path / "w.txt"

    @cache
    def work(p, out):
        import json  # noqa: F401 - importing reads files under sys.prefix
        with open(out, "w") as f:
            f.write("w")
        with open(p) as f:
            return f.read()

    work(str(data), str(written))
    with open(data) as f:
        f.read()
    assert work.cache_info().entries[0].files == (str(data),)


def test_an_outer_call_depends_on_files_read_by_an_inner_hit(tmp_path):
    path = tmp_path / "inner.txt"
    path.write_text("1")
    ns = run_cell("""
        @cache
        def inner(p):
            with open(p) as f:
                return f.read()

        @cache
        def outer(p):
            return inner(p) + "!"

        @cache
        def other(p):
            return inner(p) + "?"
    """)
    assert ns["outer"](str(path)) == "1!"
    assert ns["other"](str(path)) == "1?"  # inner is a hit here
    assert ns["other"].cache_info().entries[0].files == (str(path),)
    path.write_text("2")
    assert ns["other"](str(path)) == "2?"


# --- mutation ---------------------------------------------------------------------------


def test_mutating_a_cached_value_warns_on_every_hit():
    @cache
    def table(n):
        return pd.DataFrame({"a": range(n)})

    df = table(3)
    df.loc[0, "a"] = 100
    for _ in range(2):
        with pytest.warns(CachedObjectMutationWarning) as caught:
            assert table(3) is df
        message = str(caught[0].message)
        assert message.startswith("table() returned its cached result, but that object was "
                                  "changed after it was cached")
        assert "Copy the result before changing it" in message
        assert "@rk.cache(allow_output_mutation=True)" in message
        assert caught[0].filename == __file__


def test_unchanged_and_immutable_values_do_not_warn():
    @cache
    def pair(n):
        return (n, "x"), [n]

    pair(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pair(1)


def test_allow_output_mutation_skips_the_check():
    @cache(allow_output_mutation=True)
    def shared(n):
        return [n]

    shared(1).append(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert shared(1) == [1, 2]


# --- limits and threads -----------------------------------------------------------------


def test_ttl_expires_entries(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(api.time, "time", lambda: now[0])
    calls = Calls()

    @cache(ttl=60)
    def fetch(_calls):
        _calls()
        return 1

    fetch(calls)
    now[0] += 59
    fetch(calls)
    now[0] += 2
    fetch(calls)
    assert calls.count == 2


def test_max_entries_evicts_the_least_recently_used():
    calls = Calls()

    @cache(max_entries=2)
    def square(n, _calls):
        _calls(n)
        return n * n

    square(1, calls), square(2, calls), square(1, calls), square(3, calls)
    assert [e.call.split(",")[0] for e in square.cache_info().entries] == ["square(1", "square(3"]
    square(2, calls)
    assert [a[0] for a in calls.args] == [1, 2, 3, 2]


def test_concurrent_calls_with_the_same_key_compute_once():
    calls = Calls()
    release = threading.Event()

    @cache
    def slow(n, _calls):
        _calls(n)
        assert release.wait(30)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(slow(1, calls)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    locks = slow._cache.locks
    deadline = time.monotonic() + 30
    while not any(slot[1] == 2 for slot in locks._locks.values()):
        assert time.monotonic() < deadline, "the second call never reached the key's lock"
        time.sleep(0.001)
    release.set()
    for thread in threads:
        thread.join(30)
    assert calls.count == 1
    assert results[0] is results[1]
