"""Streamlit's "magic" for `.py` apps: a bare expression or string is written to the page.

Streamlit rewrites an app's syntax tree so that a statement that is only a value (`df`,
`"# Title"`, `x, y`) calls `st.write` on it; the same rules here, taken from Streamlit's:
calls are left alone (their result is not for display), as are docstrings, `yield` and
`await`; the bodies of functions, classes' methods, `with`, `for`, `while`, `if`, `try` and
`match` are rewritten too. Notebook cells keep IPython's rule instead (the last expression
of a cell is shown). `rk.set_option("runner.magicEnabled", False)` turns it off.
"""

from __future__ import annotations

import ast
from typing import Any

from . import hooks

MAGIC_NAME = "__rerunkernel_magic__"


def transparent_write(*args: Any) -> Any:
    """`rk.write(*args)`, returning what it was given (an expression's value is unchanged)."""
    hooks.write(*args)
    return args[0] if len(args) == 1 else args


def _is_docstring(node: ast.Expr, index: int, parent: ast.AST) -> bool:
    return (index == 0 and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)))


def _write_call(node: ast.Expr) -> ast.Call:
    args = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
    return ast.Call(func=ast.Name(id=MAGIC_NAME, ctx=ast.Load()), args=args, keywords=[])


def _rewrite(parent: ast.AST, attr: str = "body") -> None:
    for index, node in enumerate(getattr(parent, attr)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.With, ast.AsyncWith)):
            _rewrite(node)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.If)):
            _rewrite(node)
            _rewrite(node, "orelse")
        elif isinstance(node, ast.ClassDef):
            for inner in node.body:
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    _rewrite(inner)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            for part in ("body", "finalbody", "orelse"):
                _rewrite(node, part)
            for handler in node.handlers:
                _rewrite(handler)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                _rewrite(case)
        elif isinstance(node, ast.Expr):
            if isinstance(node.value, (ast.Call, ast.Yield, ast.YieldFrom, ast.Await)):
                continue
            if _is_docstring(node, index, parent):
                continue
            node.value = _write_call(node)


def magic_enabled() -> bool:
    from .app_settings import get_option

    return bool(get_option("runner.magicEnabled"))


def add_magic(tree: ast.Module) -> ast.Module:
    """Rewrite `tree` in place; the rewritten code calls `bind_magic`'s name."""
    _rewrite(tree)
    ast.fix_missing_locations(tree)
    return tree


def bind_magic(namespace: dict[str, Any]) -> None:
    namespace[MAGIC_NAME] = transparent_write
