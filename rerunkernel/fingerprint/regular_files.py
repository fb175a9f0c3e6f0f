"""Reading a file that may be swapped for a pipe at any moment.

Checking `stat()` and then opening the path leaves a window: an editor, a test or an
attacker can put a named pipe there in between, and opening a pipe for reading blocks until
some writer comes (forever, holding whatever lock the reader holds). Opening without
blocking and checking the opened descriptor closes that window: what was checked is what is
read.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path holds a folder, a pipe, a socket or a device; `mode` says which."""

    def __init__(self, path: str | os.PathLike[str], mode: int) -> None:
        super().__init__(f"{os.fspath(path)} is not a regular file")
        self.mode = mode


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """The file at `path`, opened for binary reading, or NotRegularFile / the OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        os.set_blocking(fd, True)
        return open(fd, "rb", buffering=0, closefd=True)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str]) -> bytes:
    with open_regular(path) as f:
        return f.read()
