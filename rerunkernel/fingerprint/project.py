"""Whose code a file is: the user's project, or something installed.

The cache follows the user's own functions into their code, and a watched app reloads the
user's own modules on save; both must leave alone the interpreter, site-packages and this
package itself, even when those live under the project folder (a `.venv` inside it).
"""

from __future__ import annotations

import functools
import os
import site
import sys
import sysconfig


@functools.lru_cache(maxsize=1)
def installed_prefixes() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             paths.get("purelib", ""), paths.get("platlib", ""), paths.get("stdlib", ""),
             *site.getsitepackages(), site.getusersitepackages(),
             os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}  # rerunkernel/
    return tuple(os.path.realpath(r) + os.sep for r in roots if r)


@functools.lru_cache(maxsize=4096)
def real_path(filename: str) -> str:
    return os.path.realpath(filename)


def is_project_file(filename: str, roots: tuple[str, ...]) -> bool:
    """Under one of `roots` (real paths) and not installed."""
    path = real_path(filename)
    return path.startswith(tuple(r + os.sep for r in roots)) and \
        not path.startswith(installed_prefixes())
