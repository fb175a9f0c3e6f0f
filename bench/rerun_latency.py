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
import queue
import statistics
import time

from jupyter_client.manager import start_new_kernel

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


class Client:
    def __init__(self, kernel_name: str, subshell: bool = False) -> None:
        self.km, self.kc = start_new_kernel(kernel_name=kernel_name)
        self.slider: str | None = None
        self.messages = 0  # IOPub messages the last change brought
        self.subshell: str | None = self._create_subshell() if subshell else None

    def _create_subshell(self) -> str:
        msg = self.kc.session.msg("create_subshell_request", {})
        self.kc.control_channel.send(msg)
        while True:
            reply = self.kc.control_channel.get_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]["subshell_id"]

    def setup(self, code: str) -> None:
        msg = self.kc.session.msg(
            "execute_request",
            {"code": code, "silent": False, "store_history": True, "user_expressions": {},
             "allow_stdin": False, "stop_on_error": True},
            metadata={"cellId": "bench"},
        )
        self.kc.shell_channel.send(msg)
        while True:
            m = self.kc.get_iopub_msg(timeout=30)
            if m["msg_type"] == "comm_open":
                state = m["content"]["data"]["state"]
                if state.get("_model_name") == "IntSliderModel":
                    self.slider = m["content"]["comm_id"]
            if (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                    and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]):
                break
        self.kc.get_shell_msg(timeout=30)
        assert self.slider is not None, "no slider was created"

    def change(self, value: int, needle: str) -> float:
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.slider, "data": data})
        if self.subshell is not None:
            msg["header"]["subshell_id"] = self.subshell
        start = time.perf_counter()
        self.kc.shell_channel.send(msg)
        self.messages = 0
        while True:
            m = self.kc.get_iopub_msg(timeout=30)
            self.messages += 1
            content = m["content"]
            text = content.get("text") or content.get("data", {}).get("text/plain", "")
            if needle in str(text):
                elapsed = time.perf_counter() - start
                break
        self.settle()
        return elapsed

    def settle(self) -> None:
        """Consume the tail of the round trip (idle) so it does not leak into the next one."""
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                return
            self.messages += 1

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def measure(changes: int, ours_code: str, interact_code: str,
            needle, subshell: bool = False) -> tuple[list, list, int, int]:
    ours, theirs = Client("rerun", subshell), Client("python3", subshell)
    try:
        ours.setup(ours_code)
        theirs.setup(interact_code)
        for warm in (1, 2, 3):
            ours.change(warm, needle(warm))
            theirs.change(warm, needle(warm))
        a, b = [], []
        for i in range(changes):
            value = 10 + (i % 80)
            a.append(ours.change(value, needle(value)))
            b.append(theirs.change(value, needle(value)))
        return a, b, ours.messages, theirs.messages
    finally:
        ours.close()
        theirs.close()


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
        m_ours = statistics.median(ours) * 1e3
        m_theirs = statistics.median(theirs) * 1e3
        print(f"{name:<14}{m_ours:>13.2f}{m_theirs:>11.2f}{m_ours / m_theirs:>7.2f}x"
              f"{n_ours:>17} vs {n_theirs}")


if __name__ == "__main__":
    main()
