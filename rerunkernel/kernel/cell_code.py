"""A notebook cell's parse and compile through IPython, done once per source.

Every rerun runs the same cells through IPython's `run_cell_async` (events, parse, AST
transformers, one compile per top-level statement, the displayhook), and its parse and
compiles were most of what IPython itself cost a small rerun. While the executor runs a
cell, the shell's compiler is stood in for by a `ReusingCompiler`: it hands back the tree it
parsed for this same cell source, file name and flags, and the code object it compiled for
each of that tree's statements. The file name `cache` gives a cell is remembered too:
ipykernel's is a murmur2 hash of the cell's text in pure Python (36 us for a 134-character
cell, 0.5 ms for 2,000), and a name depends on nothing but the text and the cell's number.
Everything else is the shell's own compiler: `cache` (the cell's lines for tracebacks, its
In[n] number), `__future__` flags, top-level await; and
the cell's own code, and what it calls (`%time`, `%%timeit`), sees the shell's compiler
itself, as the stand-in is put back only around IPython's own steps.

Only when nothing rewrites a parsed tree: no AST transformers (they may change it in place)
and an `ast_node_interactivity` other than "last_expr_or_assign" (which appends to it).
"""

from __future__ import annotations

import __future__
import ast
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType
from typing import Any

# trees kept; a notebook whose cells keep changing starts over past this
TREES_KEPT = 256
_FUTURE_FLAGS = [getattr(__future__, name).compiler_flag for name in __future__.all_feature_names]


class ReusingCompiler:
    """The shell's compiler, reusing its parse and compiles of the cell now running."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.cell_name: str | None = None
        self.cell_source: str | None = None
        self._trees: dict[tuple[str, str, int], ast.Module] = {}
        self._statements: dict[int, ast.stmt] = {}  # id -> a statement of a kept tree
        self._codes: dict[tuple[int, str, int], tuple[ast.stmt, CodeType]] = {}
        self._names: dict[tuple[str, str, int], str] = {}
        named = real.get_code_name

        def remembered_name(raw_code: str, code: str, number: int) -> str:
            key = (raw_code, code, number)
            name = self._names.get(key)
            if name is None:
                if len(self._names) >= TREES_KEPT:
                    self._names.clear()
                name = self._names[key] = named(raw_code, code, number)
            return name

        # every `cache` call, ours or a cell's own run_cell, names the cell through this
        real.get_code_name = remembered_name

    @property
    def flags(self) -> int:
        return self.real.flags

    @flags.setter
    def flags(self, value: int) -> None:
        self.real.flags = value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "real":
            raise AttributeError(name)
        return getattr(self.real, name)

    def cache(self, transformed_code: str, *args: Any, **kwargs: Any) -> str:
        """The real one's; the name it gives the cell is what its parse is looked up by."""
        name = self.real.cache(transformed_code, *args, **kwargs)
        if transformed_code == self.cell_source:
            self.cell_name = name
        return name

    def extra_flags(self, flags: int) -> Any:
        return self.real.extra_flags(flags)

    def ast_parse(self, source: str, filename: str = "<unknown>", symbol: str = "exec") -> Any:
        if symbol != "exec" or filename != self.cell_name or source != self.cell_source:
            return self.real.ast_parse(source, filename, symbol)
        key = (source, filename, self.real.flags)
        tree = self._trees.get(key)
        if tree is None:
            tree = self.real.ast_parse(source, filename, symbol)
            if len(self._trees) >= TREES_KEPT:
                self._trees.clear()
                self._statements.clear()
                self._codes.clear()
            self._trees[key] = tree
            for statement in tree.body:
                self._statements[id(statement)] = statement
        return tree

    def __call__(self, source: Any, filename: str, symbol: str, **kwargs: Any) -> Any:
        body = getattr(source, "body", None)
        if (kwargs or filename != self.cell_name or not isinstance(body, list)
                or len(body) != 1 or self._statements.get(id(body[0])) is not body[0]):
            return self.real(source, filename, symbol, **kwargs)
        statement = body[0]
        key = (id(statement), symbol, self.real.flags)
        found = self._codes.get(key)
        if found is None or found[0] is not statement:
            code = self.real(source, filename, symbol)
            self._codes[key] = (statement, code)
            return code
        code = found[1]
        # as the real compiler does after compiling: a __future__ import stays in force
        for flag in _FUTURE_FLAGS:
            if code.co_flags & flag:
                self.real.flags |= flag
        return code


def reusable(shell: Any) -> bool:
    """Nothing will rewrite the trees IPython parses for this shell."""
    return not shell.ast_transformers and shell.ast_node_interactivity != "last_expr_or_assign"


@contextmanager
def reusing(shell: Any, compiler: ReusingCompiler, source: str) -> Iterator[None]:
    """While inside, IPython parses and compiles the cell `source` (transformed) through
    `compiler`; the code it runs sees the shell's own compiler."""
    real = shell.compile
    compiler.cell_name, compiler.cell_source = None, source
    own = vars(shell).get("run_code")
    run_code = shell.run_code

    async def run_with_own_compiler(*args: Any, **kwargs: Any) -> Any:
        around = shell.compile  # ours, or the real one for a run_cell inside the cell
        shell.compile = real
        try:
            return await run_code(*args, **kwargs)
        finally:
            shell.compile = around

    shell.compile = compiler
    shell.run_code = run_with_own_compiler
    try:
        yield
    finally:
        shell.compile = real
        if own is None:
            del shell.run_code
        else:
            shell.run_code = own
        compiler.cell_name = compiler.cell_source = None
