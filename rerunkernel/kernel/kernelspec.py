"""Register the Rerun Script kernel with Jupyter (`python -m rerunkernel install`)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "rerun"
DISPLAY_NAME = "Rerun Script"
_LOGOS = Path(__file__).parents[1] / "resources" / "kernelspec"


def kernel_json(python: str | None = None) -> dict:
    return {
        "argv": [python or sys.executable, "-m", "rerunkernel", "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def install(user: bool = False, prefix: str | None = None, sys_prefix: bool = False) -> str:
    """Write the kernelspec and hand it to jupyter_client; return where it went."""
    from jupyter_client.kernelspec import KernelSpecManager

    if sys_prefix:
        prefix = sys.prefix
    with tempfile.TemporaryDirectory() as tmp:
        spec_dir = Path(tmp) / KERNEL_NAME
        spec_dir.mkdir()
        (spec_dir / "kernel.json").write_text(json.dumps(kernel_json(), indent=2) + "\n")
        if _LOGOS.is_dir():
            for logo in _LOGOS.glob("logo-*"):
                shutil.copy(logo, spec_dir / logo.name)
        os.chmod(spec_dir, 0o755)
        return KernelSpecManager().install_kernel_spec(
            str(spec_dir), KERNEL_NAME, user=user, prefix=prefix
        )
