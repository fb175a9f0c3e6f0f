"""Layout boxes over a real kernel: content in Output widgets, updated in place."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_kernel

LAYOUT = """import rerunkernel as rk
from rerunkernel.elements.layout import columns, expander, form, form_submit_button
left, right = columns(2)
with left:
    n = rk.slider('n', 0, 10, 1)
right.write('double', n * 2)
with expander('details'):
    rk.write('n is', n)
with form('f'):
    word = rk.text_input('word')
    sent = form_submit_button('Send')
rk.write('word', word, sent)
"""


def output_texts(kernel) -> list[str]:
    texts = []
    for widget in kernel.page.open_widgets():
        for out in widget.state.get("outputs") or []:
            data = out.get("data", {})
            texts.append(data.get("text/markdown") or data.get("text/plain", ""))
    return texts


def test_columns_update_in_place_and_keep_the_slider_view(kernel):
    assert kernel.execute(LAYOUT, cell="lay")["status"] == "ok"
    assert "double 2" in output_texts(kernel)
    slider = kernel.page.find_widget(description="n")
    holder = next(w for w in kernel.page.open_widgets()
                  if any(slider.comm_id in str(o) for o in w.state.get("outputs") or []))
    start = len(kernel.page.log)
    kernel.set_widget(slider.comm_id, value=4)
    kernel.pump(lambda: "double 8" in output_texts(kernel), what="the right column to update")
    kernel.pump(lambda: "n is 4" in output_texts(kernel), what="the expander to update")
    kernel.sync()
    touched = [m["content"]["comm_id"] for m in kernel.page.log[start:]
               if m["msg_type"] == "comm_msg"
               and "outputs" in m["content"]["data"].get("state", {})]
    assert holder.comm_id not in touched  # the slider's view was never re-sent
    assert len(touched) == 2


def test_form_widgets_wait_for_submit(kernel):
    kernel.execute(LAYOUT, cell="lay")
    runs = "get_ipython().kernel.notebook_session.completed_runs"
    before = int(kernel.inspect(runs))
    kernel.set_widget(kernel.page.find_widget(description="word").comm_id, value="hello")
    kernel.kernel_info()
    assert int(kernel.inspect(runs)) == before
    kernel.click(kernel.page.find_widget(description="Send").comm_id)
    kernel.wait_text("lay", "word hello True")
