"""`rk.cache_data` and `rk.cache_resource`: Streamlit's names on top of `rk.cache`."""

from __future__ import annotations

import datetime
import sys
import threading
import types
import warnings

import pytest

import rerunkernel as rk
from rerunkernel.cache import CachedObjectMutationWarning
from rerunkernel.testing import AppTest

pytestmark = pytest.mark.usefixtures("fresh_cache")


# Each test counts real calls in a list passed as `_calls`: a leading underscore keeps an
# argument out of the key (a list closed over would be part of it, and change as it grows).


def test_cache_data_returns_a_copy_on_every_call():
    calls: list = []

    @rk.cache_data
    def load(n, _calls):
        _calls.append(n)
        return {"rows": list(range(n))}

    first = load(3, calls)
    first["rows"].append("changed by the caller")
    second = load(3, calls)
    assert second == {"rows": [0, 1, 2]}
    assert second is not load(3, calls)
    assert calls == [3]


def test_cache_resource_returns_the_shared_object_without_mutation_warnings():
    @rk.cache_resource
    def connect(url):
        return {"url": url, "open": True}

    with warnings.catch_warnings():
        warnings.simplefilter("error", CachedObjectMutationWarning)
        first = connect("db://x")
        first["queries"] = 1
        assert connect("db://x") is first


def test_validate_replaces_a_stale_resource():
    made: list = []

    @rk.cache_resource(validate=lambda conn: conn["open"])
    def connect(_calls):
        _calls.append(1)
        return {"open": True}

    conn = connect(made)
    assert connect(made) is conn
    conn["open"] = False
    fresh = connect(made)
    assert fresh is not conn and fresh["open"]
    assert len(made) == 2


def test_clear_forgets_only_its_own_kind():
    data_calls: list = []
    resource_calls: list = []

    @rk.cache_data(ttl="1h")
    def data(_calls):
        _calls.append(1)
        return 1

    @rk.cache_resource(ttl=datetime.timedelta(minutes=5))
    def resource(_calls):
        _calls.append(1)
        return object()

    data(data_calls), resource(resource_calls)
    rk.cache_data.clear()
    data(data_calls), resource(resource_calls)
    assert (len(data_calls), len(resource_calls)) == (2, 1)
    rk.cache_resource.clear()
    resource(resource_calls)
    assert len(resource_calls) == 2
    assert data.cache_info().hits == 0 and data.cache_info().misses == 1


def test_persist_to_disk_outlives_the_memory_entry():
    calls: list = []

    @rk.cache_data(persist="disk")
    def square(x, _calls):
        _calls.append(x)
        return x * x

    assert square(4, calls) == 16
    square._cache.memory.clear()
    assert square(4, calls) == 16
    assert calls == [4]


@pytest.mark.parametrize("persist", [True, "disk"])
def test_persist_goes_to_the_shared_store_when_one_is_set(monkeypatch, persist):
    monkeypatch.setenv("RERUNKERNEL_CACHE_KEY", "a-signing-key-for-tests-0123456789")
    monkeypatch.setenv("RERUNKERNEL_CACHE_STORE", "memory://cache-data-persist")
    calls: list = []

    @rk.cache_data(persist=persist)
    def square(x, _calls):
        _calls.append(x)
        return x * x

    try:
        assert square(4, calls) == 16
        square._cache.memory.clear()
        assert square(4, calls) == 16
        store = square.cache_info().store
        assert store.location.startswith("memory://cache-data-persist/")
        assert (store.hits, calls) == (1, [4])
    finally:
        square.clear()


def test_a_result_that_cannot_be_copied_points_to_cache_resource():
    @rk.cache_data
    def lock():
        return threading.Lock()

    with pytest.raises(TypeError, match="use @rk.cache_resource instead"):
        lock()


def test_hits_across_reruns_of_an_app(monkeypatch):
    probe = types.ModuleType("cache_probe")
    probe.calls = 0
    monkeypatch.setitem(sys.modules, "cache_probe", probe)
    at = AppTest.from_string("""
        import rerunkernel as rk, cache_probe
        @rk.cache_data(show_spinner=False)
        def rows(n):
            cache_probe.calls += 1
            return list(range(n))
        n = rk.slider('n', 1, 5, 2)
        data = rows(n)
        data.append('mine')
        rk.write(len(rows(n)))
    """).run()
    assert at.markdown.values == ["2"]
    at.slider("n").set_value(3).run()
    at.slider("n").set_value(2).run()
    assert at.markdown.values == ["2"]
    assert probe.calls == 2


@pytest.mark.parametrize("decorate, message", [
    (lambda: rk.cache_data(max_size="1GB"), "rk.cache_data(max_size='1GB') is not supported"),
    (lambda: rk.cache_data(scope="session"), "rk.cache_data(scope='session') is not supported"),
    (lambda: rk.cache_data(show_time=True), "rk.cache_data(show_time=True) is not supported"),
    (lambda: rk.cache_resource(on_release=print), "rk.cache_resource(on_release="),
    (lambda: rk.cache_resource(refresh_mode="background"), "refresh_mode='background'"),
])
def test_unsupported_options_fail_naming_the_parameter(decorate, message):
    with pytest.raises(NotImplementedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decorate()


@pytest.mark.parametrize("decorate, message", [
    (lambda: rk.cache_data(ttl="soon"), "rk.cache_data(ttl='soon')"),
    (lambda: rk.cache_data(persist="cloud"), "persist='cloud'"),
    (lambda: rk.cache_resource(validate=3), "validate=...) must be a function"),
])
def test_bad_options_fail_clearly(decorate, message):
    with pytest.raises((TypeError, ValueError)) as raised:
        decorate()
    assert message in str(raised.value)
