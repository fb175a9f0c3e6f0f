"""When the kernel collects the namespaces reruns drop (kernel/namespace_gc.py), in-process."""

from __future__ import annotations

from rerunkernel.kernel import namespace_gc
from rerunkernel.kernel.namespace_gc import Collector


class Loop:
    """Callbacks asked for later, run when the test says."""

    def __init__(self) -> None:
        self.waiting: list[tuple[float, object]] = []

    def call_later(self, delay: float, then) -> None:
        self.waiting.append((delay, then))

    def run_due(self) -> None:
        waiting, self.waiting = self.waiting, []
        for _, then in waiting:
            then()


def collector(loop: Loop, busy: list[bool] | None = None) -> Collector:
    flag = busy if busy is not None else [False]
    made = Collector(loop.call_later, busy=lambda: flag[0])
    made.cost = 0.03
    return made


def test_a_namespace_nothing_else_holds_needs_no_collection():
    loop = Loop()
    gc = collector(loop)
    namespace = {"a": 1}
    gc.dropped(namespace)
    gc.run_ended(0.001)
    assert not gc.pending and loop.waiting == []


def test_a_namespace_its_function_keeps_is_collected_after_enough_run_time():
    loop = Loop()
    gc = collector(loop)
    namespace: dict = {}
    exec("def f():\n    return 1", namespace)  # f's globals are the namespace: a cycle
    gc.dropped(namespace)
    assert gc.pending
    # a short run: collecting now would cost more than a fifth of it; wait for a pause
    gc.run_ended(0.01)
    assert gc.collections == 0 and len(loop.waiting) == 1
    # short runs add up until a collection is a fifth of their time
    for _ in range(14):
        gc.run_ended(0.01)
    assert gc.collections == 1 and not gc.pending


def test_after_short_runs_it_collects_once_idle_and_not_while_a_run_goes_on(monkeypatch):
    loop = Loop()
    busy = [True]
    gc = collector(loop, busy)
    namespace: dict = {}
    exec("def f():\n    return 1", namespace)
    gc.dropped(namespace)
    gc.run_ended(0.004)
    monkeypatch.setattr(namespace_gc, "IDLE_SECONDS", 0.0)
    gc._due = 0.0  # the pause has lasted long enough
    loop.run_due()
    assert gc.collections == 0 and len(loop.waiting) == 1  # a run is going: later
    busy[0] = False
    loop.run_due()
    assert gc.collections == 1 and not gc.pending and loop.waiting == []
