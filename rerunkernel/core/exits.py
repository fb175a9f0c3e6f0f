"""How a headless run ends: the failure `rerunkernel run` reports and the status it exits with.

Shared by the in-process app run, the nbclient run and the kernel's `--once` apps, so a
`sys.exit(n)` in an app means exit status n whichever path ran it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRESET_ERRORS = ("UnknownWidgetError", "PresetError")


@dataclass
class Failure:
    """Why a headless run failed: the exception's name, what the user can act on, and the
    exit status of `rerunkernel run`."""

    ename: str
    evalue: str
    exit_code: int = 1

    @property
    def bad_preset(self) -> bool:
        """A `--set` named no widget or held a bad value: the screen is not the news."""
        return self.ename in PRESET_ERRORS


def app_exit(app: str, code: object) -> Failure | None:
    """`sys.exit(code)` ended the app: None when `python app.py` would exit 0, else the
    failure carrying the status it would exit with (an int as is, any other object 1)."""
    if code is None or code == 0:
        return None
    status = code if isinstance(code, int) else 1
    return Failure("SystemExit", f"{app} called sys.exit({code!r})", status)


def exit_code_of(message: str) -> int:
    """The exit status in an `app_exit` message that came back from a kernel as text."""
    found = re.search(r"called sys\.exit\((-?\d+)\)$", message)
    return int(found.group(1)) if found else 1
