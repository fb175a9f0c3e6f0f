"""A real kernel, driven the way JupyterLab drives it, with the page JupyterLab would show.

`KernelDriver` starts a kernel with jupyter_client, sends execute_requests carrying a
`cellId` (as JupyterLab, Notebook 7 and VS Code do) and comm messages exactly as the widget
manager sends them. `Page` applies every IOPub message the way JupyterLab's output areas do
(display ids are updated wherever they were displayed), so a test asserts on what a user
would see. Waiting is always on messages, with a timeout; never on sleeps.
"""

from __future__ import annotations

import queue
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from jupyter_client.manager import KernelManager

DEFAULT_TIMEOUT = 30.0
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Output:
    output_type: str
    data: dict[str, Any]
    display_id: str | None = None

    @property
    def text(self) -> str:
        if "text/markdown" in self.data:
            return str(self.data["text/markdown"])
        return ANSI.sub("", str(self.data.get("text/plain", "")))


@dataclass
class Widget:
    comm_id: str
    state: dict[str, Any]
    closed: bool = False


@dataclass
class Page:
    """Cells' outputs and widget models as the front-end holds them."""

    outputs: dict[str, list[Output]] = field(default_factory=dict)
    request_cell: dict[str, str] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)

    def apply(self, msg: dict) -> None:
        self.log.append(msg)
        kind = msg["msg_type"]
        content = msg["content"]
        cell = self.request_cell.get(msg["parent_header"].get("msg_id", ""))
        if kind in ("display_data", "update_display_data", "execute_result"):
            display_id = (content.get("transient") or {}).get("display_id")
            if display_id:
                for outputs in self.outputs.values():
                    for out in outputs:
                        if out.display_id == display_id:
                            out.data = dict(content["data"])
            if kind == "update_display_data" or cell is None:
                return
            self.outputs.setdefault(cell, []).append(
                Output(kind, dict(content["data"]), display_id))
        elif kind == "stream" and cell is not None:
            self.outputs.setdefault(cell, []).append(
                Output("stream", {"text/plain": content["text"]}))
        elif kind == "error" and cell is not None:
            self.outputs.setdefault(cell, []).append(
                Output("error", {"text/plain": "\n".join(content["traceback"])}))
        elif kind == "clear_output" and cell is not None:
            self.outputs[cell] = []
        elif kind == "comm_open":
            state = dict(content["data"].get("state", {}))
            self.widgets[content["comm_id"]] = Widget(content["comm_id"], state)
        elif kind == "comm_msg":
            data = content["data"]
            widget = self.widgets.get(content["comm_id"])
            if widget is not None and data.get("method") in ("update", "echo_update"):
                widget.state.update(data.get("state", {}))
        elif kind == "comm_close":
            widget = self.widgets.get(content["comm_id"])
            if widget is not None:
                widget.closed = True

    def visible(self, cell: str) -> list[Output]:
        return [o for o in self.outputs.get(cell, []) if o.data]

    def text(self, cell: str) -> str:
        return "\n".join(o.text for o in self.visible(cell))

    def find_widget(self, description: str | None = None, model: str | None = None) -> Widget:
        found = [
            w for w in self.widgets.values()
            if not w.closed
            and (description is None or w.state.get("description") == description)
            and (model is None or w.state.get("_model_name") == model)
        ]
        if len(found) != 1:
            raise LookupError(f"{len(found)} open widgets match description={description!r} "
                              f"model={model!r}")
        return found[0]

    def open_widgets(self) -> list[Widget]:
        return [w for w in self.widgets.values() if not w.closed]


class KernelDriver:
    def __init__(self, kernel_name: str = "rerun", env: dict[str, str] | None = None,
                 cwd: str | None = None) -> None:
        # TCP, as JupyterLab's kernels: an IPC socket buffers far fewer messages, and the
        # kernel's IOPub socket drops what a busy reader leaves past its high-water mark
        # (the flood tests send a thousand widget messages under load)
        self.km = KernelManager(kernel_name=kernel_name)
        kwargs: dict[str, Any] = {}
        if env is not None:
            kwargs["env"] = env
        if cwd is not None:
            kwargs["cwd"] = cwd
        self.km.start_kernel(**kwargs)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.page = Page()
        self.session_id = self.kc.session.session
        self._opened: list[str] = []

    # --- messages ------------------------------------------------------------------------

    def _send_shell(self, msg_type: str, content: dict, metadata: dict | None = None,
                    subshell_id: str | None = None) -> dict:
        msg = self.kc.session.msg(msg_type, content, metadata=metadata or {})
        if subshell_id is not None:
            msg["header"]["subshell_id"] = subshell_id
        self.kc.shell_channel.send(msg)
        return msg

    def pump(self, until: Callable[[], bool], timeout: float = DEFAULT_TIMEOUT,
             what: str = "condition") -> None:
        """Apply IOPub messages to the page until `until()` holds."""
        deadline = time.monotonic() + timeout
        while not until():
            left = deadline - time.monotonic()
            if left <= 0:
                recent = [(m["msg_type"], str(m["content"])[:120]) for m in self.page.log[-8:]]
                raise TimeoutError(f"timed out waiting for {what}; last messages: {recent}")
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            self.page.apply(msg)

    def read_arrived(self) -> int:
        """Apply the IOPub messages already here, waiting for none, as a front-end reads
        while it sends: the kernel's IOPub socket drops what a reader leaves queued past its
        high-water mark. How many there were."""
        count = 0
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return count
            self.page.apply(msg)
            count += 1

    def drain(self, quiet: float = 0.3) -> list[dict]:
        """Apply messages until none arrives for `quiet` seconds (only after a known idle)."""
        got = []
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=quiet)
            except queue.Empty:
                return got
            self.page.apply(msg)
            got.append(msg)

    def sync(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Apply every IOPub message the kernel sent before now, and no more waiting: the
        idle of a kernel_info request follows them on the one ordered IOPub stream. This is
        how a test checks that nothing more came, where a quiet period would wait for
        nothing on an idle machine and could end too early on a loaded one."""
        msg_id = self.kc.kernel_info()
        self.pump(self.idle_after(msg_id), timeout, "the idle of a kernel_info request")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return

    def idle_after(self, msg_id: str, count: int = 1) -> Callable[[], bool]:
        def check() -> bool:
            idles = [m for m in self.page.log
                     if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                     and m["parent_header"].get("msg_id") == msg_id]
            return len(idles) >= count
        return check

    def send_execute(self, code: str, cell: str | None = "cell",
                     metadata: dict | None = None) -> str:
        """Send an execute_request like JupyterLab (clearing the cell's outputs); don't wait."""
        meta = dict(metadata or {})
        if cell is not None:
            meta["cellId"] = cell
        content = {"code": code, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        msg = self._send_shell("execute_request", content, meta)
        msg_id = msg["header"]["msg_id"]
        key = cell if cell is not None else msg_id
        self.page.request_cell[msg_id] = key
        self.page.outputs[key] = []
        return msg_id

    def execute(self, code: str, cell: str | None = "cell", timeout: float = DEFAULT_TIMEOUT,
                metadata: dict | None = None) -> dict:
        """Execute like JupyterLab: a fresh output area for `cell`; returns the reply."""
        msg_id = self.send_execute(code, cell, metadata)
        key = cell if cell is not None else msg_id
        self.pump(self.idle_after(msg_id), timeout, f"idle after executing {key}")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def set_widget(self, comm_id: str, subshell_id: str | None = None, **state: Any) -> dict:
        data = {"method": "update", "state": state, "buffer_paths": []}
        return self._send_shell("comm_msg", {"comm_id": comm_id, "data": data},
                                subshell_id=subshell_id)

    def click(self, comm_id: str, subshell_id: str | None = None) -> dict:
        data = {"method": "custom", "content": {"event": "click"}}
        return self._send_shell("comm_msg", {"comm_id": comm_id, "data": data},
                                subshell_id=subshell_id)

    def send_raw_comm(self, content: dict, subshell_id: str | None = None) -> dict:
        return self._send_shell("comm_msg", content, subshell_id=subshell_id)

    def open_comm(self, target: str, data: dict) -> str:
        comm_id = uuid.uuid4().hex
        self._send_shell("comm_open", {"comm_id": comm_id, "target_name": target, "data": data})
        self._opened.append(comm_id)
        return comm_id

    def close_comm(self, comm_id: str) -> dict:
        return self._send_shell("comm_close", {"comm_id": comm_id, "data": {}})

    def comm_send(self, comm_id: str, data: dict, subshell_id: str | None = None) -> dict:
        return self._send_shell("comm_msg", {"comm_id": comm_id, "data": data},
                                subshell_id=subshell_id)

    def comm_received(self, comm_id: str) -> list[dict]:
        return [m["content"]["data"] for m in self.page.log
                if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]

    def create_subshell(self) -> str:
        msg = self.kc.session.msg("create_subshell_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.control_channel.get_msg(timeout=DEFAULT_TIMEOUT)
        return reply["content"]["subshell_id"]

    def kernel_info(self, timeout: float = DEFAULT_TIMEOUT) -> dict:
        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def wait_text(self, cell: str, needle: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        self.pump(lambda: needle in self.page.text(cell), timeout,
                  f"{needle!r} in cell {cell!r} (now {self.page.text(cell)!r})")
        return self.page.text(cell)

    def run_silent(self, code: str, timeout: float = DEFAULT_TIMEOUT) -> dict:
        """Execute code in the kernel's current namespace without a rerun (silent)."""
        content = {"code": code, "silent": True, "store_history": False,
                   "user_expressions": {}, "allow_stdin": False}
        msg = self._send_shell("execute_request", content)
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]

    def inspect(self, expression: str) -> Any:
        """Evaluate an expression in the kernel without a rerun (silent, user_expressions)."""
        content = {"code": "", "silent": True, "store_history": False,
                   "user_expressions": {"value": expression}, "allow_stdin": False}
        msg = self._send_shell("execute_request", content)
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                value = reply["content"]["user_expressions"]["value"]
                if value["status"] != "ok":
                    raise RuntimeError(f"{expression}: {value.get('ename')}: {value.get('evalue')}")
                return value["data"]["text/plain"]

    def stats(self) -> dict[str, int]:
        """What the kernel holds: widget models (and those no session owns), comms, slots..."""
        self.run_silent(STATS_CODE)
        import json

        return json.loads(self.inspect("__import__('builtins')._rerunkernel_stats").strip("'"))

    def reset(self) -> None:
        """Make a used kernel look new to the next test, for a fraction of a kernel start.

        Through the front-end's own messages: the comms this driver opened are closed, then
        a request whose cell list holds one empty cell runs the script as a whole (the last
        test's cells leave it with their slots, reused results and linked `%rerun_watch`
        apps; its widgets are swept; the namespace is fresh; the rerun mode is "all"), then a
        snippet that stops removes that cell, leaving an empty script. `rk.session_state` and
        `rk.cache`'s functions, which no message clears, are emptied from inside, as a new
        process has them (the disk store stays, as it does for a new kernel). A fresh page
        follows, so a test sees only its own messages.
        """
        for comm_id in self._opened:
            self.close_comm(comm_id)
        self._opened.clear()
        # after an error reply ipykernel aborts requests already queued; a round trip first
        assert self.kernel_info()["status"] == "ok"
        cells = [{"id": RESET_CELL, "source": ""}]
        # twice: an app whose linking cell went is stopped by the second whole run after
        # (the first still counts the app as linked by the runs before it)
        for _ in range(2):
            reply = self.execute("", cell=RESET_CELL,
                                 metadata={"rerunkernel": {"cells": cells, "mode": "all"}})
            assert reply["status"] == "ok", reply
        reply = self.execute("__import__('rerunkernel').stop()", cell=None,
                             metadata={"deletedCells": [RESET_CELL]})
        assert reply["status"] == "ok", reply
        reply = self.run_silent(RESET_CODE)
        assert reply["status"] == "ok", reply
        self.page = Page()

    def interrupt(self) -> None:
        self.km.interrupt_kernel()

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def assert_no_leaks(driver: KernelDriver) -> None:
    """Like reacton's cleanup_guard: every widget model belongs to a live session widget,
    and every comm to a widget model or the extension."""
    stats = driver.stats()
    assert stats["orphans"] == 0, f"widget models no session owns: {stats}"
    assert stats["comms"] == stats["widgets"] + stats["extension_comms"], stats


STATS_CODE = """
def _rerunkernel_stats():
    import builtins, json, threading
    import psutil
    from ipywidgets.widgets import widget as _w
    from rerunkernel.core.widgets import owned_models
    k = get_ipython().kernel
    sessions = [k.notebook_session] + [a.session for a in getattr(k, 'rerun_apps').apps.values()]
    owned = set()
    for s in sessions:
        owned |= owned_models(s.widgets)
    live = set(_w._instances)
    process = psutil.Process()
    builtins._rerunkernel_stats = json.dumps({
        'widgets': len(live),
        'orphans': len(live - owned),
        'comms': len(k.comm_manager.comms),
        'extension_comms': len(k.extension.comms),
        'slots': sum(s.page.slot_count() for s in sessions),
        'threads': threading.active_count(),
        'fds': process.num_fds(),
        'rss': process.memory_info().rss,
    })
_rerunkernel_stats()
"""


RESET_CELL = "frontend-reset"
RESET_CODE = """
get_ipython().kernel.notebook_session.state.clear()
_api = __import__('rerunkernel.cache.api', fromlist=['api'])
with _api._caches_lock:
    _api._caches.clear()
del _api
assert [c.id for c in get_ipython().kernel.notebook_session.script] == [], 'the script is not empty'
"""


def new_cell_id() -> str:
    return uuid.uuid4().hex[:8]
