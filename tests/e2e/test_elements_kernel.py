"""The element vocabulary over a real kernel: widget values set exactly as JupyterLab sends
them, a progress bar moving during a run, and one widget change touching one element only."""

from __future__ import annotations

import datetime

import pytest

pytestmark = pytest.mark.shared_kernel


WIDGETS = """import datetime, rerunkernel as rk
pick = rk.radio('pick', ['cat', 'dog', 'eel'])
many = rk.multiselect('many', ['x', 'y', 'z'], default=['x'])
size = rk.select_slider('size', ['S', 'M', 'L', 'XL'], value='M')
span = rk.select_slider('span', ['S', 'M', 'L', 'XL'], value=('S', 'L'))
notes = rk.text_area('notes', 'first')
day = rk.date_input('day', datetime.date(2024, 1, 31))
when = rk.time_input('when', datetime.time(9, 30))
colour = rk.color_picker('colour', '#ff0000')
on = rk.toggle('on')
upload = rk.file_uploader('upload', type='csv')
rk.text(repr((pick, many, size, span, notes, day, when, colour, on,
              upload and (upload.name, upload.read()))))
"""


def upload_file(kernel, comm_id: str, name: str, content: bytes) -> None:
    """A FileUpload change as the widget manager sends it: the bytes in a binary buffer."""
    state = {"value": [{"name": name, "type": "text/csv", "size": len(content),
                        "last_modified": 1700000000000}]}
    data = {"method": "update", "state": state, "buffer_paths": [["value", 0, "content"]]}
    msg = kernel.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
    kernel.kc.session.send(kernel.kc.shell_channel.socket, msg, buffers=[content])


def test_each_new_widget_round_trips_a_front_end_change(kernel):
    assert kernel.execute(WIDGETS, cell="w")["status"] == "ok"
    first = ("('cat', ['x'], 'M', ('S', 'L'), 'first', datetime.date(2024, 1, 31), "
             "datetime.time(9, 30), '#ff0000', False, None)")
    assert kernel.page.text("w").endswith(first)
    w = kernel.page.find_widget
    assert w(description="pick").state["_model_name"] == "RadioButtonsModel"
    assert w(description="many").state["_options_labels"] == ["x", "y", "z"]
    assert w(description="upload").state["accept"] == ".csv"

    kernel.set_widget(w(description="pick").comm_id, index=2)
    kernel.wait_text("w", "('eel', ")
    kernel.set_widget(w(description="many").comm_id, index=[0, 2])
    kernel.wait_text("w", "['x', 'z']")
    kernel.set_widget(w(description="size").comm_id, index=3)
    kernel.wait_text("w", "'XL', ('S', 'L')")
    kernel.set_widget(w(description="span").comm_id, index=[1, 3])
    kernel.wait_text("w", "('M', 'XL')")
    kernel.set_widget(w(description="notes").comm_id, value="line one\nline two")
    kernel.wait_text("w", "'line one\\nline two'")
    kernel.set_widget(w(description="day").comm_id,
                      value={"year": 2025, "month": 1, "date": 14})  # months count from 0
    kernel.wait_text("w", repr(datetime.date(2025, 2, 14)))
    kernel.set_widget(w(description="when").comm_id,
                      value={"hours": 17, "minutes": 45, "seconds": 0, "milliseconds": 0})
    kernel.wait_text("w", repr(datetime.time(17, 45)))
    kernel.set_widget(w(description="colour").comm_id, value="#00ff00")
    kernel.wait_text("w", "'#00ff00'")
    kernel.set_widget(w(description="on").comm_id, value=True)
    kernel.wait_text("w", "'#00ff00', True, None)")
    upload_file(kernel, w(description="upload").comm_id, "data.csv", b"a,b\n1,2\n")
    kernel.wait_text("w", "('data.csv', b'a,b\\n1,2\\n'))")


PROGRESS = """import time, rerunkernel as rk
bar = rk.progress(0, text='working')
for step in range(1, 6):
    time.sleep(0.1)
    bar.progress(step * 20, text=f'step {step}')
rk.write('done')
"""


def test_a_progress_bar_moves_while_the_run_is_going(kernel):
    reply = kernel.execute(PROGRESS, cell="p")
    assert reply["status"] == "ok"
    assert kernel.page.text("p").startswith("[####################] 100% step 5")
    first = next(m for m in kernel.page.log if m["msg_type"] == "display_data"
                 and "working" in m["content"]["data"]["text/plain"])
    display_id = first["content"]["transient"]["display_id"]
    updates = [m["content"]["data"]["text/plain"] for m in kernel.page.log
               if m["msg_type"] == "update_display_data"
               and m["content"]["transient"]["display_id"] == display_id]
    # the steps were sent as they happened, before the run ended with "done" (a step that
    # the next one overtook before the IOPub thread ran is dropped: iopub.py)
    steps = [text.split("] ")[1] for text in updates]
    assert len(steps) >= 2 and steps[-1] == "100% step 5"
    assert steps == sorted(steps, key=lambda step: int(step.split("%")[0]))
    assert set(steps) <= {f"{n * 20}% step {n}" for n in range(1, 6)}
    done = next(i for i, m in enumerate(kernel.page.log) if m["msg_type"] == "display_data"
                and m["content"]["data"].get("text/markdown") == "done")
    last_update = max(i for i, m in enumerate(kernel.page.log)
                      if m["msg_type"] == "update_display_data")
    assert last_update < done


FIFTY = """import datetime, pandas as pd, rerunkernel as rk
frame = pd.DataFrame({'a': [1, 2, 3], 'b': [4, 5, 6]})
n = rk.slider('n', 0, 10, 1)
rk.title('Report'); rk.header('Part'); rk.subheader('Sub'); rk.caption('note')
rk.code('x = 1'); rk.latex('x^2'); rk.divider(); rk.json({'k': [1, 2]})
rk.metric('m', 1, 2); rk.info('i'); rk.success('s'); rk.warning('w'); rk.error('e')
rk.dataframe(frame); rk.table(frame); rk.line_chart(frame); rk.area_chart(frame)
rk.bar_chart(frame); rk.scatter_chart(frame, x='a', y='b')
rk.image(b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'.decode())
rk.audio(b'RIFF'); rk.video(b'\\x00'); rk.progress(40, 'forty')
rk.download_button('get', 'data', file_name='d.txt'); rk.text('plain'); rk.markdown('*md*')
rk.radio('r', ['a', 'b']); rk.multiselect('ms', ['a', 'b']); rk.select_slider('ss', [1, 2])
rk.text_area('ta'); rk.date_input('d', datetime.date(2024, 1, 1))
rk.time_input('t', datetime.time(8)); rk.color_picker('c'); rk.toggle('tg')
rk.file_uploader('f'); rk.checkbox('cb'); rk.selectbox('sb', [1, 2]); rk.text_input('ti')
rk.number_input('ni'); rk.button('b'); rk.slider('other')
for i in range(7):
    rk.write('static line', i)
rk.write('n is', n)
"""


def test_changing_one_widget_of_a_fifty_element_app_updates_that_element_only(kernel):
    assert kernel.execute(FIFTY, cell="app")["status"] == "ok"
    drawn = [m for m in kernel.page.log if m["msg_type"] == "display_data"]
    assert len(drawn) == 43  # the eight lines written last share one output (page.py)
    slider = kernel.page.find_widget(description="n")
    start = len(kernel.page.log)
    msg = kernel.set_widget(slider.comm_id, value=7)
    kernel.wait_text("app", "n is 7")
    kernel.pump(kernel.idle_after(msg["header"]["msg_id"]), what="the rerun's idle")
    kernel.sync()
    sent = [m for m in kernel.page.log[start:]
            if m["msg_type"] in ("display_data", "update_display_data", "stream", "error",
                                 "clear_output")]
    lines = [f"static line {i}" for i in range(7)] + ["n is 7"]
    assert [(m["msg_type"], m["content"]["data"].get("text/plain")) for m in sent] == [
        ("update_display_data", "\n".join(lines))]
    views = [m for m in kernel.page.log[start:] if m["msg_type"] == "comm_open"]
    assert views == []  # every widget kept its model
