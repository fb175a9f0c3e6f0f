"""`%rerun_mode changed` on a notebook written the usual way, next to `ipywidgets.interact`.

The notebook: one cell builds an N-row DataFrame, one adjusts a column in place, one
aggregates (groupby + polyfit), the last holds a slider and a line of text. A slider move is
timed from the comm_msg JupyterLab sends to the IOPub message carrying the new text, on:

- the Rerun Script kernel in `changed` mode (the first three cells are reused),
- a python3 kernel running the same first three cells once and `interact` on the last,
- worst case, where the slider sits in the first cell so every cell's input changes: the
  Rerun Script kernel in `changed` mode against `all` mode.

Kernels run side by side in this one process run, alternating, so machine noise hits them
alike. Also printed: the memory the stored cell results hold.

    .venv/bin/python bench/rerun_changed.py [--rows 3000000] [--changes 30]
"""

from __future__ import annotations

import argparse
import queue
import statistics
import time

from jupyter_client.manager import start_new_kernel

BUILD = """import numpy as np, pandas as pd
rng = np.random.default_rng(SEED)
n = ROWS
df = pd.DataFrame({"g": rng.integers(0, 100, n), "x": rng.random(n), "c": rng.random(n)})
"""
ADJUST = "df['c'] = df['c'] + 0.5\n"
AGGREGATE = """means = df.groupby('g')['c'].mean()
slope, intercept = np.polyfit(means.index.to_numpy(), means.to_numpy(), 1)
"""
LAST = """import rerunkernel as rk
x = rk.slider('x', 0, 100)
rk.write(f'at x={x}: {slope * x + intercept:.6f}')
"""
INTERACT = """from ipywidgets import interact
def show(x):
    print(f'at x={x}: {slope * x + intercept:.6f}')
interact(show, x=(0, 100));
"""


class Client:
    def __init__(self, kernel_name: str) -> None:
        self.km, self.kc = start_new_kernel(kernel_name=kernel_name)
        self.slider: str | None = None

    def execute(self, code: str, cell: str, mode: str | None = None) -> None:
        # the rerun mode comes as the JupyterLab extension sends it: notebook metadata
        # riding on each request, so the notebook holds no `%rerun_mode` cell
        metadata: dict = {"cellId": cell}
        if mode is not None:
            metadata["rerunkernel"] = {"mode": mode}
        msg = self.kc.session.msg(
            "execute_request",
            {"code": code, "silent": False, "store_history": True, "user_expressions": {},
             "allow_stdin": False, "stop_on_error": True},
            metadata=metadata,
        )
        self.kc.shell_channel.send(msg)
        while True:
            m = self.kc.get_iopub_msg(timeout=600)
            if m["msg_type"] == "comm_open":
                state = m["content"]["data"]["state"]
                if state.get("_model_name") == "IntSliderModel":
                    self.slider = m["content"]["comm_id"]
            if m["msg_type"] == "error":
                raise RuntimeError("\n".join(m["content"]["traceback"]))
            if (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                    and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]):
                break
        reply = self.kc.get_shell_msg(timeout=600)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"cell {cell} failed: {reply['content'].get('evalue')}")

    def change(self, value: int, needle: str) -> float:
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.slider, "data": data})
        start = time.perf_counter()
        self.kc.shell_channel.send(msg)
        while True:
            m = self.kc.get_iopub_msg(timeout=600)
            content = m["content"]
            text = content.get("text") or content.get("data", {}).get("text/plain", "")
            if not text and m["msg_type"] == "comm_msg":
                text = str(content.get("data", {}).get("state", {}).get("outputs", ""))
            if needle in str(text):
                elapsed = time.perf_counter() - start
                break
        self.settle()
        return elapsed

    def settle(self) -> None:
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                return

    def inspect(self, expression: str, code: str = "") -> str:
        msg = self.kc.session.msg(
            "execute_request",
            {"code": code, "silent": True, "store_history": False,
             "user_expressions": {"v": expression}, "allow_stdin": False})
        self.kc.shell_channel.send(msg)
        while True:
            reply = self.kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]["user_expressions"]["v"]["data"]["text/plain"]

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def build(rows: int) -> str:
    return BUILD.replace("ROWS", str(rows)).replace("SEED", "0")


def setup_rerun(mode: str, cells: list[str]) -> Client:
    client = Client("rerun")
    for i, code in enumerate(cells):
        client.execute(code, f"c{i}", mode)
    return client


def setup_interact(rows: int) -> Client:
    client = Client("python3")
    for i, code in enumerate([build(rows), ADJUST, AGGREGATE, INTERACT]):
        client.execute(code, f"c{i}")
    return client


def alternate(clients: list[Client], changes: int) -> list[list[float]]:
    needle = "at x={}:"
    for warm in (1, 2, 3):
        for client in clients:
            client.change(warm, needle.format(warm))
    times: list[list[float]] = [[] for _ in clients]
    for i in range(changes):
        value = 10 + (i % 80)
        for client, out in zip(clients, times, strict=True):
            out.append(client.change(value, needle.format(value)))
    return times


# kept on builtins: a rerun starts the notebook's namespace over
PROFILE_START = """import builtins, cProfile
builtins.rk_profile = cProfile.Profile()
builtins.rk_profile.enable()"""
PROFILE_STOP = """import builtins, io, pstats
builtins.rk_profile.disable()
builtins.rk_profile_text = io.StringIO()
pstats.Stats(builtins.rk_profile, stream=builtins.rk_profile_text).sort_stats(
    'tottime').print_stats(25)
"""


def profiled(client: Client, changes: int) -> str:
    """cProfile on the kernel's main thread (where reruns run) around `changes` moves."""
    client.inspect("None", PROFILE_START)
    for i in range(changes):
        value = 10 + (i % 80)
        client.change(value, f"at x={value}:")
    text = client.inspect("__import__('builtins').rk_profile_text.getvalue()", PROFILE_STOP)
    return text.strip("'").replace("\\n", "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--profile", action="store_true",
                        help="also print where a changed-mode move spends its time "
                             "(cProfile on the kernel's main thread, after the timed moves)")
    args = parser.parse_args()
    rows = args.rows

    ours = setup_rerun("changed", [build(rows), ADJUST, AGGREGATE, LAST])
    theirs = setup_interact(rows)
    try:
        a, b = alternate([ours, theirs], args.changes)
        held = ours.inspect("get_ipython().kernel.notebook_session.reuse.bytes_held")
        summary = ours.inspect("get_ipython().kernel.notebook_session.reuse.last_summary")
        profile = profiled(ours, args.changes) if args.profile else ""
    finally:
        ours.close()
        theirs.close()
    m_ours, m_theirs = statistics.median(a) * 1e3, statistics.median(b) * 1e3
    print(f"{rows:,} rows, median of {args.changes} slider moves (ms)")
    print(f"  changed mode {m_ours:9.2f}   interact {m_theirs:9.2f}   "
          f"ratio {m_ours / m_theirs:5.2f}x   ({summary.strip(chr(39))})")
    print(f"  stored cell results hold about {int(held) / 1e6:.1f} MB")
    if profile:
        print(profile)

    # worst case: the slider is read by the first cell, so every cell's input changes
    first = "import rerunkernel as rk\nx = rk.slider('x', 0, 100)\n" + build(rows).replace(
        "default_rng(0)", "default_rng(x)")
    last = "rk.write(f'at x={x}: {slope * x + intercept:.6f}')\n"
    worst = [first, ADJUST, AGGREGATE, last]
    changed, everything = setup_rerun("changed", worst), setup_rerun("all", worst)
    try:
        c, e = alternate([changed, everything], max(5, args.changes // 3))
    finally:
        changed.close()
        everything.close()
    m_c, m_e = statistics.median(c) * 1e3, statistics.median(e) * 1e3
    print(f"  worst case (every input changed): changed {m_c:9.2f}   all {m_e:9.2f}   "
          f"ratio {m_c / m_e:5.2f}x")


if __name__ == "__main__":
    main()
