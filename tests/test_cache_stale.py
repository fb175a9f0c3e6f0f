"""`rk.cache` never returns a stale result: each case here once did."""

from __future__ import annotations

import functools
import glob
import json
import os
import pathlib
import sys
import textwrap
import threading
import types

import pandas as pd
import pytest

from rerunkernel.cache import cache
from rerunkernel.cache.errors import UnhashableGlobalError
from rerunkernel.fingerprint import deps

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def run_main(monkeypatch):
    """Run cells the way the kernel does: each run a fresh module installed as `__main__`.

    Pickle then finds `__main__.name`, so an object pickled by reference really is found by
    its name, as in a notebook.
    """

    def run(source: str, **names) -> dict:
        module = types.ModuleType("__main__")
        module.__dict__.update(cache=cache, functools=functools, **names)
        monkeypatch.setitem(sys.modules, "__main__", module)
        exec(compile(textwrap.dedent(source), "<cell>", "exec"), module.__dict__)
        return module.__dict__

    return run


@pytest.fixture
def installed(monkeypatch):
    """A module that looks installed (its file under sys.prefix), made from source."""

    def make(name: str, source: str) -> types.ModuleType:
        module = types.ModuleType(name)
        module.__file__ = os.path.join(sys.prefix, "lib", f"{name}.py")
        module.__version__ = "1.0"
        exec(compile(textwrap.dedent(source), module.__file__, "exec"), module.__dict__)
        monkeypatch.setitem(sys.modules, name, module)
        deps.module_version.cache_clear()
        return module

    yield make
    deps.module_version.cache_clear()


# --- code -------------------------------------------------------------------------------


def test_a_function_wrapped_by_an_installed_decorator_recomputes_after_an_edit(run_main,
                                                                               installed):
    # the library's wrapper keeps its own module: only `__wrapped__` leads to the user's code
    lib = installed("decolib", """
        import functools

        def logged(f):
            @functools.wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            wrapper.__module__ = __name__
            return wrapper
    """)
    source = """
        @cache
        @decolib.logged
        def price(x):
            return x + 1
    """
    assert run_main(source, decolib=lib)["price"](1) == 2
    assert run_main(source.replace("x + 1", "x + 2"), decolib=lib)["price"](1) == 3


@pytest.mark.parametrize("decorator", ["functools.lru_cache", "functools.cache",
                                       "functools.lru_cache(maxsize=8)"])
def test_an_edited_helper_behind_lru_cache_recomputes(run_main, decorator):
    source = f"""
        @{decorator}
        def helper(x):
            return x + 1

        @cache
        def total(x):
            return helper(x) * 10
    """
    assert run_main(source)["total"](1) == 20
    assert run_main(source.replace("x + 1", "x + 2"))["total"](1) == 30


def test_lambdas_sharing_code_but_not_defaults_get_their_own_results(run_main, installed):
    lib = installed("scorelib", """
        def scorers(n):
            return [lambda x, i=i: x + i for i in range(n)]

        def offset(k):
            def add(x):
                return x + k
            return add
    """)
    ns = run_main("""
        @cache
        def apply(f, x):
            return f(x)

        mine = [lambda x, i=i: x * i for i in range(1, 3)]
    """)
    apply = ns["apply"]
    assert [apply(f, 10) for f in lib.scorers(2)] == [10, 11]
    assert [apply(lib.offset(k), 10) for k in (1, 2)] == [11, 12]
    assert [apply(f, 10) for f in ns["mine"]] == [10, 20]


def test_an_attribute_added_to_a_subclass_later_shadows_the_base(run_main):
    ns = run_main("""
        class Base:
            rate = 1

        class Special(Base):
            pass

        @cache
        def cost(n):
            return n * Special.rate
    """)
    assert ns["cost"](10) == 10
    ns["Special"].rate = 3
    assert ns["cost"](10) == 30


def test_an_attribute_added_to_a_project_module_later_is_seen(run_main, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = types.ModuleType("projsettings")
    settings.__file__ = str(tmp_path / "projsettings.py")
    monkeypatch.setitem(sys.modules, "projsettings", settings)
    ns = run_main("""
        @cache
        def label():
            try:
                return projsettings.UNIT
            except AttributeError:
                return "none"
    """, projsettings=settings)
    assert ns["label"]() == "none"
    settings.UNIT = "km"
    assert ns["label"]() == "km"


# --- values -----------------------------------------------------------------------------


@pytest.mark.parametrize("use", [list, json.dumps, lambda d: list(pd.DataFrame(d).columns)])
def test_dict_key_order_is_part_of_the_key(use):
    @cache
    def shape(d):
        return use(d)

    first, second = {"a": [1], "b": [2]}, {"b": [2], "a": [1]}
    assert shape(first) == use(first)
    assert shape(second) == use(second)


def test_a_partly_hashable_global_is_hashed_by_its_data(run_main):
    ns = run_main("""
        STATE = {"lock": threading.Lock(), "rows": [1, 2]}

        class Client:
            def __init__(self):
                self.conn = threading.Lock()  # stands for a connection: no readable state
                self.table = "a"

        CLIENT = Client()

        @cache
        def total():
            with STATE["lock"]:
                return sum(STATE["rows"]), CLIENT.table
    """, threading=threading)
    assert ns["total"]() == (3, "a")
    ns["STATE"]["rows"].append(3)
    assert ns["total"]() == (6, "a")
    ns["CLIENT"].table = "b"
    assert ns["total"]() == (6, "b")
    assert ns["total"]() == (6, "b")
    assert ns["total"].cache_info()[:2] == (1, 3)


def test_a_global_that_cannot_be_hashed_at_all_is_an_error_naming_it(run_main):
    ns = run_main("""
        ROWS = (n for n in range(3))

        @cache
        def first():
            return next(ROWS)
    """)
    with pytest.raises(UnhashableGlobalError) as caught:
        ns["first"]()
    text = str(caught.value)
    assert "Cannot hash 'ROWS' (of type generator), which first() reads" in text
    assert "_ROWS" in text and "hash_funcs={generator:" in text


# --- files ------------------------------------------------------------------------------


def test_a_file_that_did_not_exist_yet_recomputes_once_created(tmp_path):
    path = tmp_path / "later.txt"

    @cache
    def read(p):
        try:
            with open(p) as f:
                return f.read()
        except FileNotFoundError:
            return None

    assert read(str(path)) is None
    assert read(str(path)) is None
    path.write_text("here")
    assert read(str(path)) == "here"


@pytest.mark.parametrize("listing", [
    lambda d: sorted(os.path.basename(p) for p in glob.glob(os.path.join(d, "*.csv"))),
    lambda d: sorted(n for n in os.listdir(d) if n.endswith(".csv")),
    lambda d: sorted(e.name for e in os.scandir(d) if e.name.endswith(".csv")),
    lambda d: sorted(p.name for p in pathlib.Path(d).iterdir() if p.suffix == ".csv"),
    lambda d: sorted(p.name for p in pathlib.Path(d).glob("*.csv")),
], ids=["glob", "listdir", "scandir", "iterdir", "path_glob"])
def test_a_new_file_in_a_listed_folder_recomputes(tmp_path, monkeypatch, listing):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text("1")

    @cache
    def names():
        return listing("data")  # a constant in the code: only the listing itself is seen

    assert names() == ["a.csv"]
    assert names() == ["a.csv"]
    (folder / "b.csv").write_text("2")
    assert names() == ["a.csv", "b.csv"]


def test_a_file_read_by_native_code_is_checked_through_its_path_argument(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(path)

    @cache
    def load(p):
        return pd.read_parquet(p, engine="pyarrow")["a"].tolist()

    assert load(str(path)) == [1]
    pd.DataFrame({"a": [2]}).to_parquet(path)
    assert load(str(path)) == [2]
    assert load(path) == [2]
    pd.DataFrame({"a": [3]}).to_parquet(path)
    assert load(path) == [3]


def test_a_folder_read_by_native_code_through_a_global_path(tmp_path, run_main):
    pytest.importorskip("pyarrow")
    folder = tmp_path / "dataset"
    folder.mkdir()
    pd.DataFrame({"a": [1]}).to_parquet(folder / "part-0.parquet")
    ns = run_main(f"""
        DATA = {str(folder)!r}

        @cache
        def rows():
            return len(pd.read_parquet(DATA, engine="pyarrow"))
    """, pd=pd)
    assert ns["rows"]() == 1
    pd.DataFrame({"a": [2, 3]}).to_parquet(folder / "part-1.parquet")
    assert ns["rows"]() == 3


@pytest.mark.parametrize("named", [".", "..", "~", "/"])
def test_the_working_directory_home_and_root_are_not_data(tmp_path, monkeypatch, named):
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(project)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    calls = []

    @cache
    def where(folder, _calls):
        _calls.append(folder)
        return folder

    folder = os.path.expanduser(named)
    where(folder, calls)
    assert where.cache_info().entries[0].files == ()
    (project / "notebook.ipynb").write_text("{}")  # an autosave, next to the data
    where(folder, calls)
    assert calls == [folder]


def test_a_named_data_folder_is_one_record_that_sees_files_rewritten_anywhere_in_it(tmp_path):
    data = tmp_path / "data"
    for part in range(3):
        (data / f"year={part}").mkdir(parents=True)
        for n in range(40):
            (data / f"year={part}" / f"{n}.csv").write_text("1")

    @cache
    def rows(folder, _calls):
        _calls.append(folder)
        return len(folder)

    calls: list = []
    rows(str(data), calls)
    assert rows.cache_info().entries[0].files == (str(data),)
    rows(str(data), calls)
    assert len(calls) == 1
    (data / "year=1" / "7.csv").write_text("12")  # in place: no folder's mtime moves
    rows(str(data), calls)
    assert len(calls) == 2
    (data / "year=2" / "new.csv").write_text("3")
    rows(str(data), calls)
    assert len(calls) == 3


def test_a_file_in_a_named_folder_counts_by_content_only_if_opened(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("1")
    (data / "b.csv").write_text("2")

    @cache
    def first(folder):
        with open(os.path.join(folder, "a.csv")) as f:
            return f.read()

    assert first(str(data)) == "1"
    assert first.cache_info().entries[0].files == (str(data), str(data / "a.csv"))


def test_a_named_folder_costs_at_most_its_limit_of_stats(tmp_path, monkeypatch):
    from rerunkernel.fingerprint import file_records

    monkeypatch.setattr(file_records, "FOLDER_LIMIT", 5)
    data = tmp_path / "data"
    data.mkdir()
    for n in range(8):
        (data / f"{n}.csv").write_text("x")

    @cache
    def count(folder, _calls):
        _calls.append(folder)
        return len(os.listdir(folder))

    calls: list = []
    assert count(str(data), calls) == 8
    (data / "7.csv").write_text("rewritten past the limit: not seen")
    assert count(str(data), calls) == 8 and len(calls) == 1
    (data / "8.csv").write_text("a new name is seen at any count")
    assert count(str(data), calls) == 9 and len(calls) == 2
