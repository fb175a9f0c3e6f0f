"""Content digests: exact, type-tagged, ordered where code can see the order, cycle-safe."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import functools
import math
import pathlib
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rerunkernel.fingerprint.hashing import UnhashableTypeError, digest, is_immutable


def in_main(source: str) -> dict:
    """Run source the way a notebook cell runs: in a fresh, non-importable __main__."""
    namespace = {"__name__": "__main__"}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


def test_equal_looking_values_of_different_types_differ():
    values = [1, 1.0, True, "1", b"1", [1], (1,), {1}, frozenset({1}), np.int64(1),
              np.float64(1.0), 1 + 0j]
    digests = [digest(v) for v in values]
    assert len(set(digests)) == len(values)


def test_containers_are_hashed_by_content_and_type():
    assert digest([1, [2, 3]]) == digest([1, [2, 3]])
    assert digest([1, [2, 3]]) != digest([1, [3, 2]])
    assert digest([1, 2]) != digest((1, 2))
    assert digest(["ab", "c"]) != digest(["a", "bc"])


def test_set_order_does_not_matter_dict_order_does():
    assert digest({3, 1, 2}) == digest({2, 3, 1})
    # list(d), json.dumps(d) and pd.DataFrame(d) see a dict's order: two orders, two values
    assert digest({"a": 1, "b": 2}) != digest({"b": 2, "a": 1})
    assert digest({"a": 1, "b": 2}) != digest({"a": 2, "b": 1})
    assert digest(OrderedDict(a=1, b=2)) != digest(OrderedDict(b=2, a=1))


def test_floats_are_exact():
    assert digest(0.0) != digest(-0.0)
    assert digest(math.nan) == digest(math.nan)
    assert digest(0.1 + 0.2) != digest(0.3)


def test_cycles_do_not_hang_and_hash_by_shape():
    a: list = [1]
    a.append(a)
    b: list = [1]
    b.append(b)
    assert digest(a) == digest(b)
    c: list = [2]
    c.append(c)
    assert digest(a) != digest(c)
    d: dict = {"k": 1}
    d["self"] = d
    assert digest(d) == digest(d)


def test_shared_references_hash_like_copies():
    inner = [1, 2]
    assert digest([inner, inner]) == digest([[1, 2], [1, 2]])


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
))
def test_equal_values_have_equal_digests(value):
    import copy

    assert digest(value) == digest(copy.deepcopy(value))


def test_numpy_arrays_by_dtype_shape_and_every_byte():
    a = np.arange(12, dtype=np.int64)
    assert digest(a) == digest(a.copy())
    assert digest(a) != digest(a.astype(np.int32))
    assert digest(a) != digest(a.reshape(3, 4))
    assert digest(a.view(np.float64)) != digest(a)
    b = a.copy()
    b[7] += 1
    assert digest(a) != digest(b)


def test_numpy_views_fortran_and_special_dtypes():
    a = np.arange(20.0).reshape(4, 5)
    assert digest(a[:, ::2]) == digest(np.ascontiguousarray(a[:, ::2]))
    assert digest(np.asfortranarray(a)) == digest(np.asfortranarray(a.copy()))
    dates = np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[D]")
    assert digest(dates) != digest(dates + 1)
    objects = np.array([1, "1", None], dtype=object)
    assert digest(objects) == digest(objects.copy())
    assert digest(objects) != digest(np.array([1, 1, None], dtype=object))
    masked = np.ma.masked_array([1, 2, 3], mask=[0, 1, 0])
    assert digest(masked) != digest(np.ma.masked_array([1, 2, 3], mask=[0, 0, 0]))


def test_pandas_frames_by_labels_dtypes_and_values():
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}, index=[10, 20, 30])
    assert digest(df) == digest(df.copy())
    changed = df.copy()
    changed.loc[20, "b"] = "Y"
    assert digest(df) != digest(changed)
    assert digest(df) != digest(df.rename(columns={"a": "A"}))
    assert digest(df) != digest(df.set_axis([10, 20, 31]))
    assert digest(df) != digest(df.astype({"a": "float64"}))
    assert digest(df["a"]) != digest(df["a"].rename("other"))
    assert digest(pd.RangeIndex(3)) != digest(pd.RangeIndex(4))
    multi = pd.MultiIndex.from_product([["a", "b"], [1, 2]])
    assert digest(multi) != digest(multi.swaplevel())
    nullable = pd.Series([1, None, 3], dtype="Int64")
    assert digest(nullable) != digest(pd.Series([1, 2, 3], dtype="Int64"))
    categorical = pd.Series(["a", "b", "a"], dtype="category")
    assert digest(categorical) != digest(pd.Series(["a", "b", "b"], dtype="category"))


def test_one_cell_of_a_million_row_frame_changes_the_digest():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.random((1_000_000, 10)), columns=[f"c{i}" for i in range(10)])
    before = digest(df)
    df.iloc[654_321, 7] += 1e-9
    assert digest(df) != before


def test_pickle_fallback_for_library_and_user_types():
    @dataclasses.dataclass
    class Point:
        x: int
        y: list

    class Color(enum.Enum):
        RED = 1
        BLUE = 2

    assert digest(Point(1, [2])) == digest(Point(1, [2]))
    assert digest(Point(1, [2])) != digest(Point(1, [3]))
    assert digest(Color.RED) != digest(Color.BLUE)
    assert digest(datetime.datetime(2024, 1, 1)) != digest(datetime.datetime(2024, 1, 2))
    assert digest(pathlib.Path("a/b")) != digest(pathlib.Path("a/c"))


def test_classes_defined_in_a_notebook_cell_can_be_hashed():
    # not importable as __main__.Model, so pickling by reference would fail
    ns = in_main(
        "class Model:\n"
        "    def __init__(self, weights):\n"
        "        self.weights = weights\n"
    )
    model = ns["Model"]
    assert digest(model([1, 2])) == digest(model([1, 2]))
    assert digest(model([1, 2])) != digest(model([1, 3]))


def test_pydantic_style_model_by_its_fields():
    ns = in_main(
        "class Settings:\n"
        "    model_fields = ('url', 'retries')\n"
        "    def __init__(self, **kw):\n"
        "        self.__dict__.update(kw)\n"
    )
    settings = ns["Settings"]
    assert digest(settings(url="a", retries=3)) == digest(settings(url="a", retries=3))
    assert digest(settings(url="a", retries=3)) != digest(settings(url="a", retries=4))


def test_functions_by_code_not_by_name():
    one = in_main("def f(x):\n    return x + 1\n")["f"]
    same = in_main("def f(x):\n    # reformatted\n\n    return x + 1\n")["f"]
    other = in_main("def f(x):\n    return x + 2\n")["f"]
    assert digest(one) == digest(same)
    assert digest(one) != digest(other)
    assert digest(lambda x: x + 1) != digest(lambda x: x + 2)
    assert digest(functools.partial(one, 1)) != digest(functools.partial(one, 2))


def test_hash_funcs_replace_a_type_digest():
    lock = threading.Lock()
    with pytest.raises(UnhashableTypeError):
        digest(lock)
    funcs = {type(lock): lambda value: "the lock"}
    assert digest(lock, funcs) == digest(threading.Lock(), funcs)
    assert digest([lock], funcs) == digest([threading.Lock()], funcs)


def test_unhashable_values_raise():
    with pytest.raises(UnhashableTypeError, match="_thread.lock"):
        digest({"k": [threading.Lock()]})


def test_immutability():
    assert is_immutable((1, "a", (2.0, None), frozenset({b"x"})))
    assert is_immutable(np.float32(1))
    assert not is_immutable((1, []))
    assert not is_immutable([1])
    assert not is_immutable(np.zeros(2))


@pytest.mark.parametrize("module", ["rerunkernel.core.runner", "rerunkernel.elements.text",
                                    "rerunkernel.fingerprint.project"])
def test_our_own_modules_are_never_the_users_project(module):
    """A checkout of rerunkernel may sit under the user's folder (an editable install): its
    modules, in every package, are still installed code, never hashed as the user's."""
    import importlib

    from rerunkernel.fingerprint.project import is_project_file, real_path

    path = importlib.import_module(module).__file__
    checkout = real_path(str(pathlib.Path(path).parents[2]))
    assert not is_project_file(path, (checkout,))
