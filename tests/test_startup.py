"""What the kernel does at start: no heavy imports, its notebook read without nbformat."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
from nbformat.v3 import new_code_cell as v3_code_cell
from nbformat.v3 import new_notebook as v3_notebook
from nbformat.v3 import new_worksheet, writes_json
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from rerunkernel.files.notebook_file import code_cells

HEAVY = ("nbformat", "nbclient", "jsonschema", "rfc3987_syntax", "pandas", "numpy")
# the public API: loaded by the first run, or the first use of a name (rerunkernel/api.py)
API = ("rerunkernel.api", "rerunkernel.elements", "rerunkernel.streamlit_compat")
# needed only by what an app or cell may do later: a URL app, a secrets file, audio samples
DEFERRED = ("urllib.request", "tomllib", "tomli", "wave")


def fresh_python(code: str) -> str:
    """What `code` prints in a new interpreter, where nothing is imported yet."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_importing_the_kernel_loads_no_heavy_modules():
    assert fresh_python(
        "import sys, rerunkernel.kernel.rerun_kernel, rerunkernel.__main__\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}\n"
        f"             or m in {DEFERRED!r} or m in {API!r}))") == "[]"


def test_the_first_run_loads_the_api_and_draws_a_last_expression():
    assert fresh_python(
        "import sys\n"
        "from rerunkernel.testing import AppTest\n"
        "print('rerunkernel.api' in sys.modules)\n"
        "at = AppTest.from_cells('x = 6 * 7\\nx').run()\n"
        "print('rerunkernel.api' in sys.modules, len(at.exception), at.get('display')[0].value)"
    ).splitlines() == ["False", "True 0 42"]


def test_the_api_loads_on_the_first_name_and_rk_cache_is_the_decorator():
    """`rk.cache` stays the decorator although a kernel imports the `cache` subpackage."""
    assert fresh_python(
        "import rerunkernel.cache.remote, rerunkernel as rk\n"
        "print(callable(rk.cache), rk.cache.__module__)\n"
        "print(rk.slider.__module__, 'slider' in dir(rk), 'markdown' in rk.__all__)\n"
        "ns = {}\n"
        "exec('from rerunkernel import *', ns)\n"
        "print(ns['write'] is rk.write, ns['cache'] is rk.cache, 'map' in ns)\n"
        "try:\n"
        "    rk.no_such_element\n"
        "except AttributeError as error:\n"
        "    print(error)"
    ).splitlines() == [
        "True rerunkernel.cache.api",
        "rerunkernel.elements.inputs True True",
        "True True False",
        "module 'rerunkernel' has no attribute 'no_such_element'",
    ]


def test_code_cells_of_a_current_notebook(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# title"), new_code_cell("x = 1\ny = 2"),
                             new_code_cell("print(x)")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    ids = [c.id for c in nb.cells]
    assert code_cells(path) == [(ids[1], "x = 1\ny = 2"), (ids[2], "print(x)")]


def test_code_cells_without_ids_and_with_list_sources(tmp_path):
    """nbformat 4.4 and older have no cell ids; files store sources as lists of lines."""
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 2, "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": ["x = 1\n", "y = 2"]},
        ],
    }))
    assert code_cells(path) == [("saved-1", "x = 1\ny = 2")]


def test_code_cells_of_a_format_3_notebook(tmp_path):
    nb = v3_notebook(worksheets=[new_worksheet(cells=[v3_code_cell(input="a = 3")])])
    path = tmp_path / "v3.ipynb"
    path.write_text(writes_json(nb))
    assert [source for _, source in code_cells(path)] == ["a = 3"]


def test_code_cells_of_a_half_written_file_is_none(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text('{"nbformat": 4, "cells": [')
    assert code_cells(path) is None
