"""Time to the correct screen when a widget changes during a slow run.

The script loops for about 2 s drawing an element every 0.1 s. A first change starts a run;
0.5 s later a second change arrives. With early stop (JupyterLab's default: widget messages
on a kernel subshell) the stale run ends at its next element call and the new one starts at
once; without it (messages on the main shell) the stale run must finish first.

    .venv/bin/python bench/stale_run.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from frontend import KernelDriver  # noqa: E402

SCRIPT = """import time, rerunkernel as rk
v = rk.slider('v', 0, 1000)
for step in range(20):
    time.sleep(0.1)
    rk.text(f'step {step} for {v}')
rk.write('done with', v)
"""


def one(kernel: KernelDriver, comm_id: str, subshell: str | None, base: int) -> float:
    kernel.set_widget(comm_id, value=base, subshell_id=subshell)
    kernel.wait_text("slow", f"step 4 for {base}", timeout=60)
    start = time.perf_counter()
    kernel.set_widget(comm_id, value=base + 1, subshell_id=subshell)
    kernel.wait_text("slow", f"done with {base + 1}", timeout=60)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kernel = KernelDriver("rerun")
    try:
        kernel.execute(SCRIPT, cell="slow", timeout=60)
        comm_id = kernel.page.find_widget(description="v").comm_id
        subshell = kernel.create_subshell()
        with_stop, without = [], []
        for i in range(args.repeat):
            with_stop.append(one(kernel, comm_id, subshell, 10 + 4 * i))
            without.append(one(kernel, comm_id, None, 500 + 4 * i))
    finally:
        kernel.shutdown()
    a, b = statistics.median(with_stop), statistics.median(without)
    print(f"time from the second change to its final screen, median of {args.repeat} (s)")
    print(f"  early stop (subshell)     {a:6.2f}")
    print(f"  no early stop (main shell){b:6.2f}")
    print(f"  ratio                     {a / b:6.2f}x")


if __name__ == "__main__":
    main()
