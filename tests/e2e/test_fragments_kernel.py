"""`@rk.fragment` in the Rerun Script kernel, over real jupyter_client connections: a widget
inside a fragment reruns that function alone, and the rest of the notebook hears nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_kernel

LOAD = """import time, rerunkernel as rk
loaded = time.perf_counter_ns()
rk.write('loaded', loaded)
"""

FRAGMENT = """@rk.fragment
def part():
    n = rk.slider('n', 0, 10, 1)
    rk.write(f'n={n} loaded={loaded}')

part()
rk.write('after the fragment')
"""


def box_texts(kernel) -> list[str]:
    """The texts the front-end shows in the Output widgets of layout boxes."""
    texts = []
    for widget in kernel.page.open_widgets():
        if widget.state.get("_model_name") != "OutputModel":
            continue
        for output in widget.state.get("outputs", []):
            data = output.get("data", {})
            texts.append(str(data.get("text/markdown", data.get("text/plain", ""))))
    return texts


def runs(kernel) -> int:
    return int(kernel.inspect("get_ipython().kernel.notebook_session.started_runs"))


def test_a_widget_in_a_fragment_reruns_it_alone_and_no_cell_output_changes(kernel):
    kernel.execute(LOAD, cell="load")
    kernel.execute(FRAGMENT, cell="frag")
    loaded = kernel.page.text("load")
    stamp = loaded.split()[-1]
    assert f"n=1 loaded={stamp}" in box_texts(kernel)
    before = runs(kernel)
    cell_outputs = {cell: list(outputs) for cell, outputs in kernel.page.outputs.items()}

    msg = kernel.set_widget(kernel.page.find_widget(description="n").comm_id, value=6)
    kernel.pump(kernel.idle_after(msg["header"]["msg_id"]), what="idle after the change")
    kernel.pump(lambda: f"n=6 loaded={stamp}" in box_texts(kernel), what="the fragment redrawn")

    # one run, of the fragment: the loading cell did not run again (same stamp), and no
    # cell's own output area got a message
    assert runs(kernel) == before + 1
    assert kernel.page.text("load") == loaded
    assert kernel.page.outputs == cell_outputs
    parented = [m["msg_type"] for m in kernel.page.log
                if m["parent_header"].get("msg_id") == msg["header"]["msg_id"]
                and m["msg_type"] in ("display_data", "update_display_data", "stream",
                                      "clear_output")]
    assert parented == []
    assert "after the fragment" in kernel.page.text("frag")


def test_an_error_in_a_fragment_run_shows_its_traceback_in_the_fragment(kernel):
    kernel.execute("import rerunkernel as rk", cell="imports")
    kernel.execute("@rk.fragment\n"
                   "def part():\n"
                   "    d = rk.number_input('d', value=1)\n"
                   "    rk.write(f'ten over d is {10 // d}')\n"
                   "part()\n", cell="frag")
    widget = kernel.page.find_widget(description="d")
    kernel.set_widget(widget.comm_id, value=0)
    kernel.pump(lambda: any("ZeroDivisionError" in t for t in box_texts(kernel)),
                what="the fragment's error")
    traceback = next(t for t in box_texts(kernel) if "ZeroDivisionError" in t)
    # from the fragment's own line, as a cell's traceback starts at its code
    assert "10 // d" in traceback and "fragments.py" not in traceback
    kernel.set_widget(widget.comm_id, value=5)
    kernel.pump(lambda: "ten over d is 2" in box_texts(kernel), what="the fixed fragment")
    assert not any("ZeroDivisionError" in t for t in box_texts(kernel))


def test_a_figure_made_in_a_fragment_run_is_shown_in_the_fragment(kernel):
    kernel.execute("%matplotlib inline\nimport matplotlib.pyplot as plt\n"
                   "import rerunkernel as rk", cell="imports")
    kernel.execute("@rk.fragment\n"
                   "def plot():\n"
                   "    k = rk.slider('k', 1, 5, 1)\n"
                   "    rk.write(f'k={k}')\n"
                   "    if k > 1:\n"
                   "        plt.plot([0, k])\n"
                   "plot()\n", cell="frag")
    assert "k=1" in box_texts(kernel)

    def images() -> int:
        return sum(1 for w in kernel.page.open_widgets()
                   if w.state.get("_model_name") == "OutputModel"
                   for o in w.state.get("outputs", []) if "image/png" in o.get("data", {}))

    assert images() == 0
    kernel.set_widget(kernel.page.find_widget(description="k").comm_id, value=3)
    # `%matplotlib inline` shows a figure when the code that made it ends: the fragment's
    # function ended, so its figure is in the fragment
    kernel.pump(lambda: images() == 1, what="the figure in the fragment")
    assert "k=3" in box_texts(kernel)


def test_a_fragment_in_a_watched_app_reruns_alone(kernel, tmp_path):
    app = tmp_path / "frag_app.py"
    app.write_text("import time\n"
                   "import streamlit as st\n"
                   "st.write(f'app stamp {time.perf_counter_ns()}')\n"
                   "@st.fragment\n"
                   "def part():\n"
                   "    n = st.slider('n', 0, 10, 1)\n"
                   "    st.write(f'n={n}')\n"
                   "part()\n")
    kernel.execute(f"%rerun_watch {app}", cell="w")
    stamp = kernel.page.text("w")
    assert "app stamp" in stamp and "n=1" in box_texts(kernel)
    kernel.set_widget(kernel.page.find_widget(description="n").comm_id, value=4)
    kernel.pump(lambda: "n=4" in box_texts(kernel), what="the app's fragment redrawn")
    # the app's own line was not drawn again: it still shows the first run's stamp
    assert kernel.page.text("w") == stamp
