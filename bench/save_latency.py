"""File save → updated output on the client, for `%rerun_watch`, next to `streamlit run`.

Each save rewrites the app so that it shows a new word; the clock starts just before the
write and stops when the client receives the message carrying that word:
- rerunkernel: a Rerun Script kernel with `%rerun_watch app.py` in a cell, read over
  jupyter_client as JupyterLab would (the IOPub update of the cell's output);
- Streamlit: `streamlit run --server.runOnSave true` (watchdog file watcher), read over its
  websocket as the browser would (the ForwardMsg delta with the new text);
- the floor: a bare watchdog observer's first event for the same kind of write.
The three are interleaved save by save, so machine noise hits them alike. Our watcher runs
on the first event that says the save is complete (the file closed after writing, or renamed
into place) and folds what follows within DEBOUNCE_SECONDS into one more check, so the gap
to the floor is the rerun itself; Streamlit reruns on the first event.

    .venv/bin/python bench/save_latency.py [--saves 30] [--no-streamlit]
"""

from __future__ import annotations

import argparse
import asyncio
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from rerunkernel.files.watch import DEBOUNCE_SECONDS

TIMEOUT = 30.0
GOAL_MS = 30


def word(i: int) -> str:
    return f"tick-{i:03d}-end"


class RerunKernelApp:
    """`%rerun_watch app.py` in a Rerun Script kernel."""

    name = "rerunkernel %rerun_watch"

    def __init__(self, folder: Path) -> None:
        self.app = folder / "app.py"
        self.write(0)
        self.km = KernelManager(kernel_name="rerun")
        self.km.start_kernel(cwd=str(folder))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        msg = self.kc.session.msg(
            "execute_request",
            {"code": "%rerun_watch app.py", "silent": False, "store_history": True,
             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            metadata={"cellId": "bench"},
        )
        self.kc.shell_channel.send(msg)
        self.cell_request = msg["header"]["msg_id"]
        self._until_idle()
        self.kc.get_shell_msg(timeout=TIMEOUT)

    def write(self, i: int) -> None:
        self.app.write_text(f"import rerunkernel as rk\nrk.write('{word(i)}')\n")

    def save(self, i: int) -> float:
        needle = word(i)
        start = time.perf_counter()
        self.write(i)
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            data = msg["content"].get("data") or {}
            if needle in str(data.get("text/plain", "")):
                elapsed = time.perf_counter() - start
                break
        self._until_idle()  # the rerun's idle: nothing of this save leaks into the next
        return elapsed

    def _until_idle(self) -> None:
        """Reruns that no request started publish busy/idle parented to the cell's request."""
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
                    and msg["parent_header"].get("msg_id") == self.cell_request):
                return

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class StreamlitApp:
    """`streamlit run app.py` with run-on-save, driven over its websocket like a browser."""

    name = "streamlit run (runOnSave)"

    def __init__(self, folder: Path) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.ForwardMsg = ForwardMsg
        self.app = folder / "app.py"
        self.write(0)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.runOnSave", "true", "--server.fileWatcherType", "watchdog",
             "--browser.gatherUsageStats", "false"],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.loop = asyncio.new_event_loop()
        try:
            self.ws = self.loop.run_until_complete(self._connect(port))
            hello = BackMsg()  # what the browser sends first: run the script
            hello.rerun_script.query_string = ""
            self.loop.run_until_complete(self._send(hello.SerializeToString()))
            self.loop.run_until_complete(self._until(word(0)))
            self.loop.run_until_complete(self._until_finished())
        except BaseException:
            self.loop.close()
            self.proc.terminate()
            self.proc.wait(timeout=TIMEOUT)
            raise

    async def _connect(self, port: int):
        from tornado.websocket import websocket_connect

        deadline = time.monotonic() + TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("streamlit exited before it served the app")
            try:
                return await websocket_connect(f"ws://127.0.0.1:{port}/_stcore/stream")
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)  # the server is still starting

    async def _send(self, data: bytes) -> None:
        await self.ws.write_message(data, binary=True)

    def write(self, i: int) -> None:
        self.app.write_text(f"import streamlit as st\nst.write('{word(i)}')\n")

    def save(self, i: int) -> float:
        start = time.perf_counter()
        self.write(i)
        self.loop.run_until_complete(self._until(word(i)))
        elapsed = time.perf_counter() - start
        self.loop.run_until_complete(self._until_finished())
        return elapsed

    async def _read(self):
        message = await asyncio.wait_for(self.ws.read_message(), TIMEOUT)
        if message is None:
            raise RuntimeError("streamlit closed the websocket")
        return message

    async def _until(self, needle: str) -> None:
        while needle.encode() not in await self._read():
            pass

    async def _until_finished(self) -> None:
        while True:
            msg = self.ForwardMsg()
            msg.ParseFromString(await self._read())
            if msg.WhichOneof("type") == "script_finished":
                return

    def close(self) -> None:
        self.ws.close()
        self.loop.close()
        self.proc.terminate()
        self.proc.wait(timeout=TIMEOUT)


class WatchdogFloor:
    """The first watchdog event for a plain write: what any watchdog-based rerun waits for."""

    name = "watchdog event (floor)"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "app.py"
        self.path.write_text("0\n")
        self.events: queue.Queue[float] = queue.Queue()
        target = str(self.path)
        events = self.events

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.src_path == target and event.event_type == "modified":
                    events.put(time.perf_counter())

        self.observer = Observer()
        self.observer.schedule(Handler(), str(folder))
        self.observer.start()

    def save(self, i: int) -> float:
        start = time.perf_counter()
        self.path.write_text(f"{word(i)}\n")
        elapsed = self.events.get(timeout=TIMEOUT) - start
        while True:  # the same write's later events (a write can raise more than one)
            try:
                self.events.get(timeout=0.05)
            except queue.Empty:
                return elapsed

    def close(self) -> None:
        self.observer.stop()
        self.observer.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--no-streamlit", action="store_true",
                        help="skip Streamlit (the floor is still measured)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        systems: list = []
        try:
            for cls, folder in ((RerunKernelApp, "rerun"), (StreamlitApp, "streamlit"),
                                (WatchdogFloor, "floor")):
                if cls is StreamlitApp and args.no_streamlit:
                    continue
                (root / folder).mkdir()
                try:
                    systems.append(cls(root / folder))
                except (ImportError, RuntimeError, OSError) as error:
                    print(f"{cls.name}: not measured ({error})")
            times: dict[str, list[float]] = {s.name: [] for s in systems}
            for warm in range(1, 4):
                for system in systems:
                    system.save(warm)
            for i in range(4, 4 + args.saves):
                for system in systems:
                    times[system.name].append(system.save(i))
        finally:
            for system in systems:
                system.close()

    medians = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    ours = medians[RerunKernelApp.name]
    print(f"file save -> updated output on the client, median of {args.saves} saves (ms)")
    for name, median in medians.items():
        spread = sorted(times[name])
        p90 = spread[int(0.9 * (len(spread) - 1))] * 1e3
        print(f"  {name:<28}{median:>8.1f}   (p90 {p90:.1f})")
    print(f"  {'our debounce':<28}{DEBOUNCE_SECONDS * 1e3:>8.1f}")
    if StreamlitApp.name in medians:
        print(f"rerunkernel / streamlit: {ours / medians[StreamlitApp.name]:.2f}x")
    floor = medians[WatchdogFloor.name]
    print(f"rerunkernel - floor: {ours - floor:.1f} ms")
    print(f"goal (median under {GOAL_MS} ms): {'met' if ours < GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
