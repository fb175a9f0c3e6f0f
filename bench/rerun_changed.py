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

from _kernel_client import KernelClient, alternate, median_ms, move_values, started

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


def build(rows: int) -> str:
    return BUILD.replace("ROWS", str(rows)).replace("SEED", "0")


def setup_rerun(mode: str, cells: list[str]) -> KernelClient:
    return started("rerun", cells, mode, timeout=600)


def setup_interact(rows: int) -> KernelClient:
    return started("python3", [build(rows), ADJUST, AGGREGATE, INTERACT], timeout=600)


def at_x(value: int) -> str:
    return f"at x={value}:"


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


def profiled(client: KernelClient, changes: int) -> str:
    """cProfile on the kernel's main thread (where reruns run) around `changes` moves."""
    client.inspect("None", PROFILE_START)
    for value in move_values(changes):
        client.change(value, at_x(value))
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
        a, b = alternate([ours, theirs], args.changes, at_x)
        held = ours.inspect("get_ipython().kernel.notebook_session.reuse.bytes_held")
        summary = ours.inspect("get_ipython().kernel.notebook_session.reuse.last_summary")
        profile = profiled(ours, args.changes) if args.profile else ""
    finally:
        ours.close()
        theirs.close()
    m_ours, m_theirs = median_ms(a), median_ms(b)
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
        c, e = alternate([changed, everything], max(5, args.changes // 3), at_x)
    finally:
        changed.close()
        everything.close()
    m_c, m_e = median_ms(c), median_ms(e)
    print(f"  worst case (every input changed): changed {m_c:9.2f}   all {m_e:9.2f}   "
          f"ratio {m_c / m_e:5.2f}x")


if __name__ == "__main__":
    main()
