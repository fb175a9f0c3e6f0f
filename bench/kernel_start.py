"""Kernel start: launch to kernel_info_reply, Rerun Script next to ipykernel's python3.

Starts alternate between the two kernelspecs, so machine noise hits them alike; each start
launches the kernel with jupyter_client (ipc sockets, as `rerunkernel run` does), sends one
kernel_info_request and stops the clock at the reply. `JPY_SESSION_NAME` names the demo
notebook, as jupyter_server does, so the kernel also reads its notebook at start.
Bytecode goes to a private cache (`PYTHONPYCACHEPREFIX`) filled by one unmeasured start of
each kernel: an installed package starts from compiled bytecode, while an editable checkout
under `PYTHONDONTWRITEBYTECODE` would recompile our modules at every start.

Then the five modules that cost most (self time) in `python -X importtime -c "import
rerunkernel.kernel.rerun_kernel"`: a new heavy import at kernel start shows up here first.

    .venv/bin/python bench/kernel_start.py [--starts 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

DEMO = Path(__file__).resolve().parents[1] / "notebooks" / "demo.ipynb"
TIMEOUT = 60.0


def start_once(kernel_name: str, folder: Path) -> float:
    km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=str(folder / kernel_name))
    env = dict(os.environ, JPY_SESSION_NAME=str(DEMO), PYTHONPYCACHEPREFIX=str(folder / "pyc"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    began = time.perf_counter()
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        # the request waits in the client's socket until the kernel binds
        msg_id = kc.kernel_info()
        while True:
            reply = kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return time.perf_counter() - began
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def import_top(count: int, env: dict[str, str]) -> tuple[float, list[tuple[float, str]]]:
    """Total import time of rerunkernel.kernel.rerun_kernel and its `count` costliest modules (self)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import rerunkernel.kernel.rerun_kernel"],
                          capture_output=True, text=True, check=True, env=env)
    rows: list[tuple[float, str]] = []
    total = 0.0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(own) / 1e6, name.strip()))
        if name.strip() == "rerunkernel.kernel.rerun_kernel":
            total = int(cumulative) / 1e6
    rows.sort(reverse=True)
    return total, rows[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"python3": [], "rerun": []}
    with tempfile.TemporaryDirectory(prefix="rk-bench-") as folder:
        for name in times:
            start_once(name, Path(folder))
        for _ in range(args.starts):
            for name in times:
                times[name].append(start_once(name, Path(folder)))
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(folder) / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        total, top = import_top(5, env)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        shown = " ".join(f"{v:.2f}" for v in values)
        print(f"{name:8s} median {medians[name]:.3f} s  ({shown})")
    print(f"ratio rerun/python3: {medians['rerun'] / medians['python3']:.2f}x (goal <= 1.15x)")
    print(f"import rerunkernel.kernel.rerun_kernel: {total:.3f} s; costliest modules (self time):")
    for seconds, name in top:
        print(f"  {seconds * 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
