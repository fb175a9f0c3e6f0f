"""The kernel client of the benches that time a slider move over a real kernel.

A move is timed as JupyterLab would see it: from the comm_msg JupyterLab sends when a slider
moves to the IOPub message carrying the new text. The kernels a bench compares run side by
side in one process run and take turns (`alternate`), so machine noise hits them alike.
Used by fragment_rerun.py, rerun_changed.py and rerun_latency.py.
"""

from __future__ import annotations

import queue
import statistics
import time
from collections.abc import Callable, Iterable, Sequence

from jupyter_client.manager import start_new_kernel


class KernelClient:
    """One kernel started for the bench; `slider` is the comm id of the IntSlider its cells
    made, the one `change` moves."""

    def __init__(self, kernel_name: str, *, timeout: float = 60.0, quiet: float = 0.1,
                 subshell: bool = False) -> None:
        self.km, self.kc = start_new_kernel(kernel_name=kernel_name)
        self.timeout = timeout  # the longest wait for any one message
        self.quiet = quiet  # a move is over once the kernel sends nothing for this long
        self.slider: str | None = None
        self.messages = 0  # IOPub messages the last change brought
        # JupyterLab 4.6 sends widget messages over a subshell by default
        self.subshell: str | None = self._create_subshell() if subshell else None

    def _create_subshell(self) -> str:
        msg = self.kc.session.msg("create_subshell_request", {})
        self.kc.control_channel.send(msg)
        while True:
            reply = self.kc.control_channel.get_msg(timeout=self.timeout)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]["subshell_id"]

    def execute(self, code: str, cell: str, mode: str | None = None) -> None:
        """Run a cell as JupyterLab sends it; a rerun `mode` rides on the request as the
        extension sends it (notebook metadata), so the notebook holds no `%rerun_mode`."""
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
            m = self.kc.get_iopub_msg(timeout=self.timeout)
            if m["msg_type"] == "comm_open":
                state = m["content"]["data"]["state"]
                if state.get("_model_name") == "IntSliderModel":
                    self.slider = m["content"]["comm_id"]
            if m["msg_type"] == "error":
                raise RuntimeError("\n".join(m["content"]["traceback"]))
            if (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                    and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]):
                break
        reply = self.kc.get_shell_msg(timeout=self.timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"cell {cell} failed: {reply['content'].get('evalue')}")

    def change(self, value: int, needle: str) -> float:
        """Move the slider to `value`; the seconds until an IOPub message shows `needle`."""
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.slider, "data": data})
        if self.subshell is not None:
            msg["header"]["subshell_id"] = self.subshell
        start = time.perf_counter()
        self.kc.shell_channel.send(msg)
        self.messages = 0
        while True:
            m = self.kc.get_iopub_msg(timeout=self.timeout)
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
                self.kc.get_iopub_msg(timeout=self.quiet)
            except queue.Empty:
                return
            self.messages += 1

    def inspect(self, expression: str, code: str = "") -> str:
        """`expression`'s repr in the kernel, after `code`, asked silently (no run, no
        history, no output)."""
        msg = self.kc.session.msg(
            "execute_request",
            {"code": code, "silent": True, "store_history": False,
             "user_expressions": {"v": expression}, "allow_stdin": False})
        self.kc.shell_channel.send(msg)
        while True:
            reply = self.kc.get_shell_msg(timeout=self.timeout)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]["user_expressions"]["v"]["data"]["text/plain"]

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def started(kernel_name: str, cells: Iterable[str], mode: str | None = None,
            **options) -> KernelClient:
    """A kernel that ran `cells` (ids c0, c1, ...) and made the slider to move."""
    client = KernelClient(kernel_name, **options)
    try:
        for i, code in enumerate(cells):
            client.execute(code, f"c{i}", mode)
        assert client.slider is not None, "no slider was created"
    except BaseException:
        client.close()
        raise
    return client


def move_values(changes: int) -> list[int]:
    """The slider values of `changes` timed moves: never one of the warm-up moves' (1-3)."""
    return [10 + (i % 80) for i in range(changes)]


def alternate(clients: Sequence[KernelClient], changes: int,
              needle: Callable[[int], str]) -> list[list[float]]:
    """Three warm-up moves, then `changes` timed ones, the clients taking turns on each;
    each client's times in seconds. `needle(value)` is the text that shows a move done."""
    for warm in (1, 2, 3):
        for client in clients:
            client.change(warm, needle(warm))
    times: list[list[float]] = [[] for _ in clients]
    for value in move_values(changes):
        for client, out in zip(clients, times, strict=True):
            out.append(client.change(value, needle(value)))
    return times


def median_ms(times: Sequence[float]) -> float:
    return statistics.median(times) * 1e3
