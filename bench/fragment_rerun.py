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
import queue
import statistics
import time

from jupyter_client.manager import start_new_kernel

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


class Client:
    def __init__(self, kernel_name: str) -> None:
        self.km, self.kc = start_new_kernel(kernel_name=kernel_name)
        self.slider: str | None = None
        self.messages = 0  # IOPub messages the last change brought

    def execute(self, code: str, cell: str) -> None:
        msg = self.kc.session.msg(
            "execute_request",
            {"code": code, "silent": False, "store_history": True, "user_expressions": {},
             "allow_stdin": False, "stop_on_error": True},
            metadata={"cellId": cell},
        )
        self.kc.shell_channel.send(msg)
        while True:
            m = self.kc.get_iopub_msg(timeout=60)
            if m["msg_type"] == "comm_open":
                state = m["content"]["data"]["state"]
                if state.get("_model_name") == "IntSliderModel":
                    self.slider = m["content"]["comm_id"]
            if m["msg_type"] == "error":
                raise RuntimeError("\n".join(m["content"]["traceback"]))
            if (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                    and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]):
                break
        reply = self.kc.get_shell_msg(timeout=60)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"cell {cell} failed: {reply['content'].get('evalue')}")

    def change(self, value: int) -> float:
        needle = f"at x={value}:"
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.slider, "data": data})
        start = time.perf_counter()
        self.kc.shell_channel.send(msg)
        self.messages = 0
        while True:
            m = self.kc.get_iopub_msg(timeout=60)
            self.messages += 1
            content = m["content"]
            text = content.get("text") or content.get("data", {}).get("text/plain", "")
            if not text and m["msg_type"] == "comm_msg":
                # a fragment's text: the outputs of an Output widget in its box
                text = str(content.get("data", {}).get("state", {}).get("outputs", ""))
            if needle in str(text):
                elapsed = time.perf_counter() - start
                break
        self.settle()
        return elapsed

    def settle(self) -> None:
        """Consume the tail of the round trip (idle) so it does not leak into the next one."""
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                return
            self.messages += 1

    def peak_memory_mb(self) -> float:
        """The kernel's peak resident memory (ru_maxrss, kB on Linux), asked silently."""
        expression = ("__import__('resource').getrusage("
                      "__import__('resource').RUSAGE_SELF).ru_maxrss")
        msg = self.kc.session.msg(
            "execute_request",
            {"code": "", "silent": True, "store_history": False,
             "user_expressions": {"v": expression}, "allow_stdin": False})
        self.kc.shell_channel.send(msg)
        while True:
            reply = self.kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return int(reply["content"]["user_expressions"]["v"]["data"]["text/plain"]) / 1e3

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def started(kernel_name: str, cells: list[str]) -> Client:
    client = Client(kernel_name)
    for i, code in enumerate(cells):
        client.execute(code, f"c{i}")
    assert client.slider is not None, "no slider was created"
    return client


def alternate(clients: list[Client], changes: int) -> list[list[float]]:
    for warm in (1, 2, 3):
        for client in clients:
            client.change(warm)
    times: list[list[float]] = [[] for _ in clients]
    for i in range(changes):
        value = 10 + (i % 80)
        for client, out in zip(clients, times, strict=True):
            out.append(client.change(value))
    return times


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
    clients: list[Client] = []
    try:
        clients.append(started("rerun", [slow, FULL]))
        clients.append(started("rerun", [slow, FRAGMENT]))
        clients.append(started("python3", [slow, INTERACT]))
        times = alternate(clients, args.changes)
        messages = [client.messages for client in clients]
        memory = [client.peak_memory_mb() for client in clients]
    finally:
        for client in clients:
            client.close()

    medians = [statistics.median(t) * 1e3 for t in times]
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
