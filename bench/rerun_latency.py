"""Widget change → updated output, over real kernels, next to `ipywidgets.interact`.

For each case the client sends the comm_msg JupyterLab sends when a slider moves, and stops
the clock when the IOPub message carrying the new text arrives. Both kernels run side by
side in this one process run, alternating, so machine noise hits both alike. The IOPub
messages one change brings (until the kernel goes quiet) are counted too: every message
costs the client about as much as the kernel, which is why the twenty changed lines of the
second case are one output, updated once (docs/ARCHITECTURE.md, "A run of lines is one
output"), and why the rerun runs inside the widget message's own busy/idle ("A widget
message's rerun runs inside its handling"): busy, the widget's echo, the update, idle.

With `--subshell` the widget messages go over a kernel subshell, as JupyterLab 4.6 sends
them by default (`commsOverSubshells`); the rerun then runs on the main thread after the
subshell's handling, and `interact` runs on the subshell's thread.

    .venv/bin/python bench/rerun_latency.py [--changes 60] [--subshell]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from _kernel_client import KernelClient, alternate, median_ms, started

SEED = """import rerunkernel as rk
x = rk.slider('x')
rk.write(x, 'squared is', x * x)
"""

TWENTY_TWO = """import rerunkernel as rk
rk.markdown('# Twenty-two elements')
x = rk.slider('x')
for i in range(20):
    rk.write(f'row {i}:', x * i)
"""

INTERACT_SEED = """from ipywidgets import interact
def show(x):
    print(x, 'squared is', x * x)
interact(show, x=(0, 100));
"""

INTERACT_TWENTY_TWO = """from ipywidgets import interact
print('# Twenty-two elements')
def show(x):
    for i in range(20):
        print(f'row {i}:', x * i)
interact(show, x=(0, 100));
"""


def measure(changes: int, ours_code: str, interact_code: str, needle: Callable[[int], str],
            subshell: bool = False) -> tuple[list[float], list[float], int, int]:
    options = {"timeout": 30, "quiet": 0.05, "subshell": subshell}
    clients: list[KernelClient] = []
    try:
        clients.append(started("rerun", [ours_code], **options))
        clients.append(started("python3", [interact_code], **options))
        a, b = alternate(clients, changes, needle)
        return a, b, clients[0].messages, clients[1].messages
    finally:
        for client in clients:
            client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--subshell", action="store_true",
                        help="send the widget messages over a kernel subshell")
    args = parser.parse_args()
    cases = [
        ("seed example", SEED, INTERACT_SEED, lambda v: f"{v} squared is {v * v}"),
        ("22 elements", TWENTY_TWO, INTERACT_TWENTY_TWO, lambda v: f"row 19: {19 * v}"),
    ]
    over = "a subshell" if args.subshell else "the main shell"
    print(f"widget change over {over} -> updated output, median of {args.changes} changes (ms)")
    print(f"{'case':<14}{'rerunkernel':>13}{'interact':>11}{'ratio':>8}"
          f"{'IOPub messages per change':>29}")
    for name, ours_code, interact_code, needle in cases:
        ours, theirs, n_ours, n_theirs = measure(args.changes, ours_code, interact_code, needle,
                                                 args.subshell)
        m_ours, m_theirs = median_ms(ours), median_ms(theirs)
        print(f"{name:<14}{m_ours:>13.2f}{m_theirs:>11.2f}{m_ours / m_theirs:>7.2f}x"
              f"{n_ours:>17} vs {n_theirs}")


if __name__ == "__main__":
    main()
