"""What the installed package puts where Jupyter looks for it."""

from __future__ import annotations

import json
import re
import subprocess
import sys


def test_the_labextension_is_installed_and_enabled():
    done = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                          capture_output=True, text=True, timeout=120)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    line = next((row for row in listing.splitlines() if "rerunkernel-jupyterlab" in row), "")
    assert "enabled" in line and "OK" in line, listing


def test_the_kernelspec_is_found_by_jupyter():
    done = subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
                          capture_output=True, text=True, timeout=120, check=True)
    specs = json.loads(done.stdout)["kernelspecs"]
    assert specs["rerun"]["spec"]["display_name"] == "Rerun Script"
    assert specs["rerun"]["spec"]["argv"][1:3] == ["-m", "rerunkernel"]
