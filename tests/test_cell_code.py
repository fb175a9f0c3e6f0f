"""A cell's parse and compiles through IPython, reused while its source is unchanged."""

from __future__ import annotations

import ast
import asyncio
import linecache
import re
import traceback

import pytest
from IPython.core.interactiveshell import InteractiveShell

from rerunkernel.kernel.cell_code import ReusingCompiler, reusable, reusing


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    shell.compile.reset_compiler_flags()
    yield shell
    shell.compile.reset_compiler_flags()
    InteractiveShell.clear_instance()  # a shell left behind changes how elements format


def run(shell, compiler, source: str, reuse: bool = True):
    transformed = shell.transform_cell(source)

    async def go():
        if not reuse:
            return await shell.run_cell_async(source, transformed_cell=transformed)
        with reusing(shell, compiler, transformed):
            return await shell.run_cell_async(source, transformed_cell=transformed)

    return asyncio.run(go())


def test_a_cell_run_again_is_parsed_and_compiled_once(shell):
    compiler = ReusingCompiler(shell.compile)
    source = "def f():\n    return 1\nvalue = f()\nvalue + 1\n"
    first = run(shell, compiler, source)
    code = shell.user_ns["f"].__code__
    again = run(shell, compiler, source)
    assert shell.user_ns["f"].__code__ is code  # the same code object: not compiled again
    assert first.result == again.result == 2  # the last expression still goes to the displayhook
    assert shell.compile is compiler.real
    assert "run_code" not in vars(shell)
    # without the stand-in, IPython compiles anew
    run(shell, compiler, source, reuse=False)
    assert shell.user_ns["f"].__code__ is not code


def test_a_cells_file_name_is_hashed_once_per_source(shell):
    """ipykernel names a cell by a pure-Python hash of its text, every run: once is enough."""
    named = []
    get_code_name = shell.compile.get_code_name

    def counted(raw_code, code, number):
        named.append(code)
        return get_code_name(raw_code, code, number)

    shell.compile.get_code_name = counted
    compiler = ReusingCompiler(shell.compile)
    source = "1 / 0\n"
    first = run(shell, compiler, source)
    again = run(shell, compiler, source)
    run(shell, compiler, "2 / 0\n")
    assert named == ["1 / 0\n", "2 / 0\n"]
    # the name still finds the cell's lines, for its traceback
    cell_file = files_of(again)[-1]
    assert cell_file == files_of(first)[-1] and linecache.getline(cell_file, 1) == source


def files_of(result):
    return [f.f_code.co_filename for f, _ in traceback.walk_tb(result.error_in_exec.__traceback__)]


def test_a_changed_source_is_compiled_anew(shell):
    compiler = ReusingCompiler(shell.compile)
    run(shell, compiler, "def f():\n    return 1\n")
    code = shell.user_ns["f"].__code__
    run(shell, compiler, "def f():\n    return 2\n")
    assert shell.user_ns["f"]() == 2 and shell.user_ns["f"].__code__ is not code


def test_the_cells_own_code_sees_the_shells_compiler(shell):
    compiler = ReusingCompiler(shell.compile)
    run(shell, compiler, "seen = get_ipython().compile\n%time timed = 1 + 1\n")
    assert shell.user_ns["seen"] is compiler.real
    assert shell.user_ns["timed"] == 2


def test_a_cell_that_runs_a_cell_still_sees_the_shells_compiler_after_it(shell):
    compiler = ReusingCompiler(shell.compile)
    run(shell, compiler, "get_ipython().run_cell('inner = 1')\nafter = get_ipython().compile\n")
    assert shell.user_ns["inner"] == 1
    assert shell.user_ns["after"] is compiler.real


def test_tracebacks_name_the_cell_and_line_on_every_run(shell, capsys):
    compiler = ReusingCompiler(shell.compile)
    source = "x = 1\nraise ValueError('bad')\n"
    shown = []
    for _ in range(2):
        result = run(shell, compiler, source)
        assert isinstance(result.error_in_exec, ValueError)
        shown.append(capsys.readouterr())
    assert shown[0] == shown[1]
    text = re.sub(r"\x1b\[[0-9;]*m", "", shown[0].out + shown[0].err)
    assert "----> 2 raise ValueError('bad')" in text and "ValueError: bad" in text


def test_a_future_import_stays_in_force_when_its_code_is_reused(shell):
    compiler = ReusingCompiler(shell.compile)
    source = "from __future__ import annotations\ndef f(a: Undefined): pass\n"
    run(shell, compiler, source)
    shell.compile.reset_compiler_flags()
    run(shell, compiler, source)
    assert shell.user_ns["f"].__annotations__ == {"a": "Undefined"}
    run(shell, compiler, "def g(b: AlsoUndefined): pass\n")  # a later cell has it in force
    assert shell.user_ns["g"].__annotations__ == {"b": "AlsoUndefined"}


def test_top_level_await_runs_again(shell):
    compiler = ReusingCompiler(shell.compile)
    source = "import asyncio\nawait asyncio.sleep(0)\nwaited = True\n"
    for _ in range(2):
        shell.user_ns.pop("waited", None)
        result = run(shell, compiler, source)
        assert result.success and shell.user_ns["waited"] is True


class Doubler(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, int):
            return ast.copy_location(ast.Constant(node.value * 2), node)
        return node


def test_trees_something_rewrites_are_not_reused(shell):
    compiler = ReusingCompiler(shell.compile)
    shell.ast_transformers.append(Doubler())
    try:
        assert not reusable(shell)
    finally:
        shell.ast_transformers.clear()
    shell.ast_node_interactivity = "last_expr_or_assign"
    try:
        assert not reusable(shell)
    finally:
        shell.ast_node_interactivity = "last_expr"
    assert reusable(shell)
    assert compiler.real is shell.compile
