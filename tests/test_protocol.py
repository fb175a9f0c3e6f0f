"""The comm protocol is spelled twice, in the extension (protocol.ts) and the kernel
(kernel/labcomm.py): a front-end and a kernel built from the same tree must agree on it."""

from __future__ import annotations

import re
from pathlib import Path

from rerunkernel.kernel import labcomm

PROTOCOL_TS = Path(__file__).resolve().parents[1] / "jupyterlab-ext" / "src" / "protocol.ts"


def _constant(name: str) -> str:
    found = re.findall(rf"^export const {name} = (.+);$", PROTOCOL_TS.read_text(), re.MULTILINE)
    assert len(found) == 1, f"{PROTOCOL_TS} should define {name} once, found {found}"
    return found[0]


def test_the_extension_and_the_kernel_speak_the_same_protocol_version():
    assert int(_constant("PROTOCOL_VERSION")) == labcomm.VERSION


def test_the_extension_opens_the_comm_target_the_kernel_registers():
    assert _constant("COMM_TARGET").strip("'\"") == labcomm.TARGET
