"""The notebook executor's routing of IPython's output machinery, in-process."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from rerunkernel.kernel.ipyexec import SlotDisplayPublisher, routed_output


@pytest.fixture
def shell():
    # cleared afterwards: elements format tracebacks as IPython does while a shell exists,
    # which tests of other modules run in this process must not see
    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()


def callbacks(shell) -> dict[str, int]:
    return {event: len(registered) for event, registered in shell.events.callbacks.items()}


def test_runs_leave_the_shells_event_callbacks_as_they_were(shell):
    kernel_pub = shell.display_pub
    with routed_output(shell):
        installed = shell.display_pub
    before = callbacks(shell)
    for _ in range(5):
        with routed_output(shell):
            assert shell.display_pub is installed
            assert isinstance(shell.display_pub, SlotDisplayPublisher)
    assert callbacks(shell) == before
    assert shell.display_pub is kernel_pub


def test_a_run_inside_a_run_routes_through_the_outer_ones_publisher(shell):
    with routed_output(shell):
        outer = shell.display_pub
        with routed_output(shell):
            assert shell.display_pub is not outer
            assert shell.display_pub._fallback is outer
        assert shell.display_pub is outer
