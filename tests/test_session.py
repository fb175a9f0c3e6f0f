"""Session: how runs serve requests."""

from __future__ import annotations

from rerunkernel.core.runner import run_sync
from rerunkernel.core.script import Cell
from rerunkernel.core.triggers import Trigger
from rerunkernel.testing import AppTest


def test_a_continuation_with_a_widget_change_pending_becomes_a_full_run():
    at = AppTest.from_string("import rerunkernel as rk\nv = rk.slider('v')\nrk.write('v', v)").run()
    session = at.session
    at.slider("v").set_value(3)  # requested, not yet served
    extra = session.script.append(Cell("extra", "rk.write('extra', v)"))
    result = run_sync(session.run(Trigger("execute"), cells=[extra], fresh=False))
    assert result.whole
    assert [c.id for c in result.ran] == ["<script>", "extra"]
    assert at.markdown.values == ["v 3", "extra 3"]


def test_a_continuation_alone_runs_only_the_new_cell():
    at = AppTest.from_string("import rerunkernel as rk\nv = rk.slider('v')").run()
    extra = at.session.script.append(Cell("extra", "rk.write('extra', v)"))
    result = run_sync(at.session.run(Trigger("execute"), cells=[extra], fresh=False))
    assert not result.whole
    assert [c.id for c in result.ran] == ["extra"]
