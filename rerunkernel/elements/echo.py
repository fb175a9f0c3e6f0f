"""`echo`: show the code of a block, then run it (Streamlit's way to teach with an app)."""

from __future__ import annotations

import inspect
import linecache
import textwrap
from contextlib import contextmanager
from typing import Iterator

from .text import code


def _block(filename: str, first: int) -> str:
    """The lines indented under the `with` statement on line `first`."""
    lines = linecache.getlines(filename)
    if not lines or first > len(lines):
        return ""
    header = lines[first - 1]
    indent = len(header) - len(header.lstrip())
    body: list[str] = []
    for line in lines[first:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        body.append(line)
    return textwrap.dedent("".join(body)).strip("\n")


@contextmanager
def echo(code_location: str = "above") -> Iterator[None]:
    """`with rk.echo():` draws the block's code (above or below what it draws)."""
    if code_location not in ("above", "below"):
        raise ValueError(f"rk.echo(code_location={code_location!r}): must be 'above' or "
                         "'below'")
    caller = inspect.currentframe().f_back.f_back  # contextmanager's frame, then the app's
    source = _block(caller.f_code.co_filename, caller.f_lineno) if caller else ""
    if code_location == "above":
        code(source, language="python")
    yield
    if code_location == "below":
        code(source, language="python")
