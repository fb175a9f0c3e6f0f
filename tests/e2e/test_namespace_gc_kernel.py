"""The namespaces full reruns drop are freed (kernel/namespace_gc.py), over a real kernel."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_kernel

MARKED = """import argparse, builtins, weakref, rerunkernel as rk
marker = argparse.Namespace()  # what a run's namespace alone holds
builtins.__dict__.setdefault('_rk_markers', []).append(weakref.ref(marker))
"""


def alive(kernel) -> list[bool]:
    text = kernel.inspect("[r() is not None for r in __import__('builtins')._rk_markers]")
    return [part.strip() == "True" for part in text.strip("[]").split(",")]


def move(kernel, times: int) -> None:
    slider = kernel.page.find_widget(description="x")
    for value in range(1, times + 1):
        kernel.set_widget(slider.comm_id, value=value)
        kernel.wait_text("s", f"x={value}")


def test_a_rerun_frees_the_namespace_it_replaced(kernel):
    kernel.execute(MARKED, cell="mark")
    kernel.execute("x = rk.slider('x', 0, 9, 0)\nrk.write(f'x={x}')", cell="s")
    move(kernel, 3)
    # freed as the new namespace replaced it: nothing but that namespace held the marker
    assert alive(kernel)[-4:] == [False, False, False, True]


def test_a_namespace_its_own_functions_keep_is_collected_once_the_kernel_is_idle(kernel):
    kernel.execute(MARKED + "def keep():\n    return marker\n", cell="mark")
    kernel.execute("x = rk.slider('x', 0, 9, 0)\nrk.write(f'x={x}')", cell="s")
    move(kernel, 3)
    # a function and its globals are a cycle that only a collection frees: it comes at the
    # latest once no run has started for a second
    kernel.pump(lambda: alive(kernel)[-4:] == [False, False, False, True],
                what="the dropped namespaces collected")


def test_completion_sees_the_names_of_the_current_run(kernel):
    kernel.execute("import rerunkernel as rk\nx = rk.slider('x', 0, 9, 0)\nrk.write(f'x={x}')",
                   cell="s")
    move(kernel, 1)
    kernel.execute("zebra_late = 1", cell="late")
    msg_id = kernel.kc.complete("zebra_", 6)
    while True:
        reply = kernel.kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert "zebra_late" in reply["content"]["matches"]
