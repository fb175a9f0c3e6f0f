"""`rk.cache` behaves like Streamlit's cache where apps rely on it."""

from __future__ import annotations

import functools
import gc
import sys
import types
import weakref

import pytest

import rerunkernel as rk
from rerunkernel.cache import cache
from rerunkernel.cache.errors import HashFuncError
from rerunkernel.testing import AppTest

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def probe(monkeypatch):
    """A module the app imports to count real calls (an argument would be part of the key)."""
    module = types.ModuleType("parity_probe")
    module.calls = 0
    monkeypatch.setitem(sys.modules, "parity_probe", module)
    return module


def shown(at: AppTest) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in at.elements]


# --- replay -----------------------------------------------------------------------------


def test_what_a_cached_call_draws_is_drawn_again_on_every_hit(probe):
    at = AppTest.from_string("""
        import rerunkernel as rk, parity_probe

        @rk.cache
        def report(n):
            parity_probe.calls += 1
            rk.write(f"computed {n}")
            left, right = rk.columns(2)
            left.write("left side")
            with right:
                rk.write("right side")
            with rk.expander("details"):
                rk.write("inside the expander")
            rk.sidebar.write("in the sidebar")
            return n * 2

        rk.write("before")
        rk.write("result", report(21))
        rk.write("after")
    """).run()
    first = shown(at)
    assert ("markdown", "inside the expander") in first
    assert ("markdown", "in the sidebar") in first
    for _ in range(2):
        at.run()
        assert at.result.status == "ok"
        assert shown(at) == first
    assert probe.calls == 1
    assert at.markdown.values[-2:] == ["result 42", "after"]


def test_a_hit_inside_a_column_draws_into_that_column(probe):
    at = AppTest.from_string("""
        import rerunkernel as rk, parity_probe

        @rk.cache
        def note(text):
            parity_probe.calls += 1
            rk.write(text)

        left, right = rk.columns(2)
        with right:
            note("in the right column")
    """).run()
    first = shown(at)
    at.run()
    assert shown(at) == first and probe.calls == 1
    columns = at.get("columns")[0].value
    assert [getattr(c, "_rk_element", None) for c in columns.children[1].children][0].text \
        == "in the right column"


def test_a_cached_call_that_draws_nothing_replays_nothing(probe):
    at = AppTest.from_string("""
        import rerunkernel as rk, parity_probe

        @rk.cache
        def quiet(n):
            parity_probe.calls += 1
            return n

        rk.write(quiet(1))
    """).run()
    at.run()
    assert at.markdown.values == ["1"] and probe.calls == 1


def forget_memory() -> None:
    """What a kernel restart leaves of every cache: its persisted entries, not its memory."""
    for found in sys.modules["rerunkernel.cache.api"]._caches.values():
        found.memory.clear()


@pytest.mark.parametrize("store", ["memory", "disk", "shared store"])
def test_a_hit_from_any_store_draws_what_the_miss_drew(probe, store, tmp_path, monkeypatch):
    monkeypatch.setenv("RERUNKERNEL_CACHE_KEY", "a-signing-key-for-tests-0123456789")
    persist = {"memory": False, "disk": True, "shared store": (tmp_path / "shared").as_uri()}
    at = AppTest.from_string(f"""
        import rerunkernel as rk, parity_probe

        @rk.cache(persist={persist[store]!r})
        def report(n):
            parity_probe.calls += 1
            rk.write(f"computed {{n}}")
            rk.line_chart({{"y": [1, 3, 2]}})
            print("printed inside")
            return n * 2

        rk.write("result", report(21))
    """).run()
    first = shown(at)
    assert ("markdown", "computed 21") in first
    if store != "memory":
        forget_memory()
    at.run()
    assert at.result.status == "ok"
    assert shown(at) == first
    assert probe.calls == 1


def test_a_call_that_draws_boxes_is_kept_in_memory_only_and_recomputed_after_a_restart(probe):
    at = AppTest.from_string("""
        import rerunkernel as rk, parity_probe

        @rk.cache(persist=True)
        def report(n):
            parity_probe.calls += 1
            left, right = rk.columns(2)
            left.write(f"computed {n}")
            return n

        report(1)
    """)
    with pytest.warns(RuntimeWarning, match=r"cached in memory only.*draws layout boxes"):
        at.run()
    first = shown(at)
    at.run()
    assert probe.calls == 1
    forget_memory()
    with pytest.warns(RuntimeWarning, match="cached in memory only"):
        at.run()
    assert shown(at) == first
    assert probe.calls == 2


def test_an_expired_entry_lets_go_of_what_its_call_drew(monkeypatch):
    from rerunkernel.cache import store
    from rerunkernel.cache.replay import Replay

    monkeypatch.setattr(store, "_sweeper", store._Sweeper())  # its thread serves this test only
    before = {id(o) for o in gc.get_objects() if isinstance(o, Replay)}
    at = AppTest.from_string("""
        import rerunkernel as rk

        @rk.cache(ttl=0.05)
        def report(n):
            rk.write(f"computed {n}")
            return n

        report(1)
    """).run()
    assert at.markdown.values == ["computed 1"]
    drawn = [weakref.ref(o) for o in gc.get_objects()
             if isinstance(o, Replay) and id(o) not in before]
    assert len(drawn) == 1
    thread = store._sweeper._thread  # None once every entry has expired
    if thread is not None:
        thread.join(timeout=60)
    assert store._sweeper.pending() == 0
    gc.collect()
    assert drawn[0]() is None


# --- recursion --------------------------------------------------------------------------


def deepest(make) -> int:
    """The largest n for which a fresh `down(n)` (recursing to 0) does not overflow."""
    low, high = 1, sys.getrecursionlimit()
    while low < high:
        middle = (low + high + 1) // 2
        down = make()
        try:
            down(middle)
            low = middle
        except RecursionError:
            high = middle - 1
    return low


def test_recursion_reaches_close_to_lru_cache_depth():
    def with_lru():
        @functools.cache
        def down(n):
            return 0 if n == 0 else down(n - 1) + 1
        return down

    def with_rk():
        cache.clear()

        @cache(show_spinner=False)
        def down(n):
            return 0 if n == 0 else down(n - 1) + 1
        return down

    lru, ours = deepest(with_lru), deepest(with_rk)
    assert ours >= 0.9 * lru, (ours, lru)


# --- hash_funcs ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [3, "abc", b"abc", None, True])
def test_hash_funcs_apply_to_plain_argument_types(value):
    seen = []

    def constant(v):
        seen.append(v)
        return "same"

    @cache(hash_funcs={type(value): constant})
    def echo(v):
        return v

    assert echo(value) == value
    assert seen == [value]


def test_hash_funcs_apply_to_nested_values_and_by_type_name():
    class Conn:
        def __init__(self, url):
            self.url = url
            self.socket = object()

    @cache(hash_funcs={Conn: lambda c: c.url})
    def query(conns, sql):
        return [c.url for c in conns["all"]], sql

    query({"all": [Conn("db://a")]}, "q")
    query({"all": [Conn("db://a")]}, "q")
    assert query.cache_info()[:2] == (1, 1)

    @cache(hash_funcs={"builtins.generator": lambda g: "any generator"})
    def drain(_g, gen):
        return "drained"

    drain(None, (i for i in range(2)))
    drain(None, (i for i in range(3)))
    assert drain.cache_info()[:2] == (1, 1)


def test_hash_funcs_see_values_not_the_names_of_globals():
    calls = []
    namespace = {"__name__": "__main__", "cache": cache, "json": __import__("json"),
                 "PREFIX": "p-", "calls": calls}
    exec("@cache(hash_funcs={str: lambda s: calls.append(s) or s})\n"
         "def tag(x):\n"
         "    return PREFIX + json.dumps(x)\n", namespace)
    assert namespace["tag"]("a") == 'p-"a"'
    assert "json" not in calls and "PREFIX" not in calls
    assert sorted(calls) == ["a", "p-"]


def test_a_hash_func_may_return_its_own_type():
    @cache(hash_funcs={str: str.lower})
    def greet(name):
        return f"hello {name.lower()}"

    assert greet("Ada") == greet("ADA") == "hello ada"
    assert greet.cache_info()[:2] == (1, 1)


def test_a_failing_hash_func_names_itself_the_function_and_the_type():
    def by_url(conn):
        return conn.url

    @cache(hash_funcs={dict: by_url})
    def fetch(conn):
        return 1

    with pytest.raises(HashFuncError) as caught:
        fetch({"host": "x"})
    text = str(caught.value)
    assert "by_url" in text and "fetch()" in text and "builtins.dict" in text
    assert "AttributeError" in text


# --- clear, keywords, spinner -------------------------------------------------------------


def test_clear_with_arguments_drops_only_that_call():
    @cache
    def square(n, *, scale=1):
        return n * n * scale

    square(2), square(3), square(4, scale=2)
    square.clear(2)
    square.clear(4, scale=2)
    assert [e.call for e in square.cache_info().entries] == ["square(3)"]
    square(2), square(3), square(4, scale=2)
    assert square.cache_info()[:2] == (1, 5)


def test_underscore_keywords_through_kwargs_are_not_part_of_the_key():
    @cache
    def fetch(url, **options):
        return url, sorted(options)

    assert fetch("u", timeout=1, _session="a") == ("u", ["_session", "timeout"])
    assert fetch("u", timeout=1, _session="b") == ("u", ["_session", "timeout"])
    assert fetch.cache_info()[:2] == (1, 1)
    fetch("u", timeout=2, _session="b")
    assert fetch.cache_info().misses == 2


def test_streamlit_decorators_accept_the_same_hash_funcs():
    @rk.cache_data(hash_funcs={"builtins.int": lambda n: n % 2})
    def parity(n):
        return n % 2

    assert parity(1) == parity(3) == 1
    assert parity.cache_info()[:2] == (1, 1)
