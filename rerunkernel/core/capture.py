"""Plain `print()` during a run lands in the cell's slots, not in a stream message.

Left alone, a rerun's prints would reach the old cell a moment later as stream messages and
pile up there on every rerun. Writes from threads the user started are not part of the
drawing: they go to the stream that was there before, unchanged.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import IO, Callable, Iterator

from . import runtime


class SlotStream(io.TextIOBase):
    """A text stream that writes into the current cell of the active run."""

    def __init__(self, name: str, fallback: IO[str], writer: Callable[[str, str], bool]) -> None:
        self.name = name
        self._fallback = fallback
        self._writer = writer

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._fallback, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fallback.fileno()

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not self._writer(self.name, text):
            return self._fallback.write(text)
        return len(text)

    def flush(self) -> None:
        if not runtime.is_script_thread():
            self._fallback.flush()

    def __getattr__(self, name: str):
        return getattr(self._fallback, name)


def _write_to_active(name: str, text: str) -> bool:
    if not runtime.is_script_thread():
        return False
    ctx = runtime.active()
    if ctx is None or ctx.writer is None:
        return False
    ctx.writer.write_stream(name, text)
    return True


@contextmanager
def capture_streams() -> Iterator[None]:
    """Route sys.stdout/sys.stderr of the script's thread into slots for the duration."""
    saved = sys.stdout, sys.stderr
    sys.stdout = SlotStream("stdout", saved[0], _write_to_active)
    sys.stderr = SlotStream("stderr", saved[1], _write_to_active)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
