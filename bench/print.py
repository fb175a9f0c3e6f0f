"""What printing costs over IOPub: rerun kernel against the plain python3 kernel.

Two cells, each run in both kernels side by side (alternating, same machine, same run):

- slow logging: lines with a short sleep between them, as a training loop logs;
- a fast print of 20 MB: lines printed in a tight loop.

For each: the bytes that crossed IOPub for the request (every frame of every message,
counted on a socket of our own) and the wall time from the execute_request to its idle.
Prints the medians and the ratios rerun / python3.

    .venv/bin/python bench/print.py [--repeat 3] [--seconds 3] [--megabytes 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import zmq
from jupyter_client.manager import KernelManager

SLOW = """import time
line = 'x' * 99
for i in range({lines}):
    print(line)
    if i % 10 == 9:
        time.sleep({pause})
"""

FAST = """line = 'y' * 99
for _ in range({lines}):
    print(line)
"""


@dataclass
class Measure:
    bytes: int
    messages: int
    seconds: float


class CountingKernel:
    """A kernel with a SUB socket of our own on its IOPub, counting bytes per request."""

    def __init__(self, name: str, sockets: str) -> None:
        self.name = name
        # ipc sockets: no TCP ports, and no warning about unencrypted TCP
        self.km = KernelManager(kernel_name=name, transport="ipc",
                                ip=str(Path(sockets) / name))
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        info = self.km.get_connection_info()
        self.ctx = zmq.Context()
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"")
        self.sub.connect(f"ipc://{info['ip']}-{info['iopub_port']}")
        self._wait_subscribed()

    def _wait_subscribed(self) -> None:
        # a SUB socket sees nothing until its subscription reached the kernel: run no-ops
        # until one's idle arrives on it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            msg_id = self.execute("", silent=True)
            try:
                self._count(msg_id, timeout=1.0)
                return
            except TimeoutError:
                continue
        raise TimeoutError(f"{self.name}: IOPub subscription never answered")

    def _count(self, msg_id: str, timeout: float) -> Measure:
        total = messages = 0
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.sub.poll(int(left * 1000)):
                raise TimeoutError(f"{self.name}: no idle for {msg_id} in {timeout} s")
            frames = self.sub.recv_multipart(copy=False)
            total += sum(len(f.buffer) for f in frames)
            messages += 1
            delim = next(i for i, f in enumerate(frames) if f.bytes == b"<IDS|MSG>")
            header = json.loads(frames[delim + 2].bytes)
            if header["msg_type"] != "status":
                continue
            parent = json.loads(frames[delim + 3].bytes)
            content = json.loads(frames[delim + 5].bytes)
            if parent.get("msg_id") == msg_id and content["execution_state"] == "idle":
                return Measure(total, messages, 0.0)

    def execute(self, code: str, silent: bool = False) -> str:
        """An execute_request as JupyterLab sends it, for one cell (its id in the metadata)."""
        content = {"code": code, "silent": silent, "store_history": not silent,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        msg = self.kc.session.msg("execute_request", content, metadata={"cellId": "cell"})
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def run(self, code: str, timeout: float = 600) -> Measure:
        self._drain()
        start = time.perf_counter()
        msg_id = self.execute(code)
        measure = self._count(msg_id, timeout)
        measure.seconds = time.perf_counter() - start
        self._drain()
        return measure

    def _drain(self) -> None:
        while self.sub.poll(0):
            self.sub.recv_multipart()
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.05)
            except Exception:
                break
        while True:
            try:
                self.kc.get_shell_msg(timeout=0.01)
            except Exception:
                break

    def close(self) -> None:
        self.sub.close(linger=0)
        self.ctx.term()
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def report(title: str, printed: int, results: dict[str, list[Measure]]) -> None:
    base, ours = results["python3"], results["rerun"]
    print(f"{title} ({printed / 1e6:.1f} MB printed), median of {len(base)}")
    print(f"  {'kernel':8} {'IOPub MB':>10} {'messages':>9} {'seconds':>8}")
    for name, runs in results.items():
        mb = statistics.median(m.bytes for m in runs) / 1e6
        count = statistics.median(m.messages for m in runs)
        secs = statistics.median(m.seconds for m in runs)
        print(f"  {name:8} {mb:10.2f} {count:9.0f} {secs:8.2f}")
    byte_ratio = statistics.median(m.bytes for m in ours) / statistics.median(
        m.bytes for m in base)
    time_ratio = statistics.median(m.seconds for m in ours) / statistics.median(
        m.seconds for m in base)
    print(f"  ratio rerun/python3: bytes {byte_ratio:.2f}x, time {time_ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="how long the slow-logging cell logs (2,500 lines a second)")
    parser.add_argument("--megabytes", type=float, default=20.0,
                        help="size of the fast print")
    args = parser.parse_args()
    lines = int(args.seconds * 2500)
    # 10 lines per sleep; the pause makes about 2,500 lines (250 KB) a second
    slow = SLOW.format(lines=lines, pause=0.004)
    fast_lines = int(args.megabytes * 1e6 / 100)
    fast = FAST.format(lines=fast_lines)
    sockets = tempfile.mkdtemp(prefix="rerunkernel-bench-")
    kernels = {name: CountingKernel(name, sockets) for name in ("python3", "rerun")}
    try:
        slow_runs: dict[str, list[Measure]] = {name: [] for name in kernels}
        fast_runs: dict[str, list[Measure]] = {name: [] for name in kernels}
        for _ in range(args.repeat):
            for name, kernel in kernels.items():
                slow_runs[name].append(kernel.run(slow))
                fast_runs[name].append(kernel.run(fast))
    finally:
        for kernel in kernels.values():
            kernel.close()
        shutil.rmtree(sockets, ignore_errors=True)
    report("slow logging", lines * 100, slow_runs)
    report("fast print", fast_lines * 100, fast_runs)


if __name__ == "__main__":
    main()
