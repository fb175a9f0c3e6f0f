"""What `@rk.fragment` saves: a slider under a slow cell, at top level, in a fragment, and
next to `ipywidgets.interact`.

The notebook: a first cell does about 50 ms of real work (numpy draws and sorts an array,
sized for this machine before the kernels start), then a cell with a slider and a line of
text that uses the first cell's result. A slider move is timed from the comm_msg JupyterLab
sends to the IOPub message carrying the new text, on:

- full: the Rerun Script kernel with the slider at top level, so a move reruns the whole
  notebook, the slow cell too;
- fragment: the same kernel with the slider and the text inside an `@rk.fragment`, so a
  move runs the fragment's function alone (docs/ARCHITECTURE.md, "Fragments rerun alone");
- interact: a python3 kernel that ran the slow cell once and shows the text with
  `interact`, which calls its function alone.

The three kernels run side by side in this one process run, alternating, so machine noise
hits them alike. The IOPub messages one move brings (until the kernel goes quiet) are
counted too, and each kernel's peak memory after the moves: a full run makes the slow
cell's array again each time.

    .venv/bin/python bench/fragment_rerun.py [--changes 40] [--work-ms 50]
"""

from __future__ import annotations

import argparse
import time

from _kernel_client import KernelClient, alternate, median_ms, started

SLOW = """import numpy as np
values = np.sort(np.random.default_rng(0).random(SIZE))
middle = float(values[len(values) // 2])
"""
FULL = """import rerunkernel as rk
x = rk.slider('x', 0, 100)
rk.write(f'at x={x}: {middle * x:.6f}')
"""
FRAGMENT = """import rerunkernel as rk

@rk.fragment
def part():
    x = rk.slider('x', 0, 100)
    rk.write(f'at x={x}: {middle * x:.6f}')

part()
"""
INTERACT = """from ipywidgets import interact
def show(x):
    print(f'at x={x}: {middle * x:.6f}')
interact(show, x=(0, 100));
"""


def slow_cell(size: int) -> str:
    return SLOW.replace("SIZE", str(size))


def work_seconds(size: int, repeats: int = 7) -> float:
    """The slow cell's fastest time in this process: the least the machine's other load
    adds to it."""
    code = compile(slow_cell(size), "<slow>", "exec")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        exec(code, {})
        times.append(time.perf_counter() - start)
    return min(times)


def sized_for(seconds: float) -> int:
    """An array size whose draw and sort take about `seconds` here (close to linear at
    these sizes; each pass corrects the last guess)."""
    size = 1_000_000
    for _ in range(3):
        size = max(1_000, int(size * seconds / work_seconds(size)))
    return size


def peak_memory_mb(client: KernelClient) -> float:
    """The kernel's peak resident memory (ru_maxrss, kB on Linux), asked silently."""
    expression = ("__import__('resource').getrusage("
                  "__import__('resource').RUSAGE_SELF).ru_maxrss")
    return int(client.inspect(expression)) / 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--work-ms", type=float, default=50.0,
                        help="how long the first cell's work takes in this process")
    args = parser.parse_args()
    size = sized_for(args.work_ms / 1e3)
    slow = slow_cell(size)
    work = work_seconds(size) * 1e3

    names = ["full", "fragment", "interact"]
    clients: list[KernelClient] = []
    try:
        clients.append(started("rerun", [slow, FULL]))
        clients.append(started("rerun", [slow, FRAGMENT]))
        clients.append(started("python3", [slow, INTERACT]))
        times = alternate(clients, args.changes, lambda value: f"at x={value}:")
        messages = [client.messages for client in clients]
        memory = [peak_memory_mb(client) for client in clients]
    finally:
        for client in clients:
            client.close()

    medians = [median_ms(t) for t in times]
    print(f"slider under a first cell of {work:.1f} ms of work here ({size:,} floats drawn "
          f"and sorted, fastest of 7), "
          f"median of {args.changes} moves (ms)")
    print(f"{'case':<10}{'median':>9}{'vs interact':>13}{'vs full':>9}"
          f"{'IOPub messages per move':>25}{'kernel peak MB':>16}")
    for name, median, count, peak in zip(names, medians, messages, memory, strict=True):
        print(f"{name:<10}{median:>9.2f}{median / medians[2]:>12.2f}x"
              f"{median / medians[0]:>8.2f}x{count:>25}{peak:>16.0f}")


if __name__ == "__main__":
    main()
