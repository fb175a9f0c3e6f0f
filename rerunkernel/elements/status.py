"""Exceptions shown as elements (`rk.exception(e)`, `rk.write(e)`)."""

from __future__ import annotations

import traceback

from ..page import Element
from .core import draw


def exception_element(error: BaseException) -> Element:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return Element(kind="exception", data={"text/plain": text.rstrip("\n")}, value=error)


def exception(exception: BaseException) -> None:
    """Show an exception with its traceback, without stopping the script."""
    if not isinstance(exception, BaseException):
        raise TypeError(f"rk.exception() needs an exception, got {type(exception).__name__}")
    draw(exception_element(exception))
