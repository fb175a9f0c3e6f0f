"""The calls the corpus of Streamlit apps still failed on (`bench/streamlit_corpus.py`).

Each app runs unchanged (`import streamlit as st`) under Streamlit's AppTest and ours in the
same process; both must run clean and draw the same widgets, and ours must behave as
Streamlit's does where a user acts on them.
"""

from __future__ import annotations

import base64
import datetime
import textwrap

from side_by_side import STREAMLIT_TIMEOUT, both, both_refuse
from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.testing import AppTest

# --- text_input(type=...) ------------------------------------------------------------------


def test_text_input_types_bring_streamlits_placeholders():
    theirs, ours = both('''
        import streamlit as st

        st.text_input("Email", type="email")
        st.text_input("Site", type="url")
        st.text_input("Phone", type="phone")
        st.text_input("Search products", type="search")
        st.text_input("Own", type="search", placeholder="Find a cat")
    ''')
    assert [w.label for w in theirs.text_input] == [w.label for w in ours.text_input]
    assert [w.placeholder for w in theirs.text_input] == [
        w.widget.placeholder for w in ours.text_input] == [
        "you@example.com", "https://example.com", "+1 234 567 8900", "Search", "Find a cat"]


def test_an_email_that_fails_the_check_is_not_committed():
    ours = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        email = st.text_input("Email", type="email")
        code = st.text_input("Code", validate=(r"^\\d{3}$", "Three digits."), help="From the card")
        st.write(f"email={email!r} code={code!r}")
    ''')).run()
    assert ours.markdown[0].value == "email='' code=''"
    ours.text_input("Email").widget.value = "ada@example.com"
    ours.text_input("Code").widget.value = "12x"
    ours.run()
    assert ours.markdown[0].value == "email='ada@example.com' code=''"
    code = ours.text_input("Code").widget
    assert "rk-invalid" in code._dom_classes
    assert code.tooltip == "Three digits. From the card"
    ours.text_input("Email").widget.value = "not an address"
    code.value = "123"
    ours.run()
    assert ours.markdown[0].value == "email='ada@example.com' code='123'"
    assert "rk-invalid" not in code._dom_classes and code.tooltip == "From the card"
    assert ours.text_input("Email").widget.tooltip == "Enter a valid email address."
    # an empty box skips the check, as Streamlit's
    ours.text_input("Email").widget.value = ""
    ours.run()
    assert ours.markdown[0].value == "email='' code='123'"


def test_an_unknown_text_input_type_lists_streamlits():
    at = AppTest.from_string('import streamlit as st\nst.text_input("Q", type="date")').run()
    assert "type must be one of 'default', 'password', 'email', 'url', 'phone', 'search'" in (
        at.exception[0].text)


# --- space ---------------------------------------------------------------------------------


def test_a_stretching_space_grows_its_slot_in_a_row():
    theirs, ours = both('''
        import streamlit as st

        with st.container(horizontal=True):
            st.button("Left")
            st.space("stretch")
            st.button("Right")
    ''')
    assert [b.label for b in theirs.button] == [b.label for b in ours.button]
    assert [e.value for e in ours.get("space")] == ["stretch"]
    row = ours.get("container")[0].value
    assert [out.layout.flex for out in row.children] == [None, "1 1 auto", None]


# --- the app's frame: st.bottom, st._main, a skeleton --------------------------------------


def test_bottom_is_a_box_of_its_own_and_its_old_name_too():
    theirs, ours = both('''
        import streamlit as st

        st.write("main")
        with st.bottom:
            st.write("pinned")
            st.text_input("Message")
        st._bottom.button("Send")
    ''')
    assert [w.label for w in theirs.text_input] == [w.label for w in ours.text_input]
    assert [b.label for b in theirs.button] == [b.label for b in ours.button] == ["Send"]
    boxes = ours.get("bottom")
    assert len(boxes) == 1  # one box per cell, where first used
    assert [e.kind for e in ours.elements if e.kind != "bottom"] == [
        "markdown", "markdown", "text_input", "button", "warning"]
    # Streamlit's warning that `st._bottom` is now `st.bottom`
    assert [w.value for w in theirs.warning] == [ours.get("warning")[0].value] == [
        "Please replace `st._bottom` with `st.bottom`.\n\n`st._bottom` will be removed "
        "after 2026-07-01."]


def test_main_area_draws_outside_the_box_it_is_called_in_and_a_skeleton_fills():
    source = '''
        import streamlit as st

        with st.expander("Box"):
            st.write("inside")
            st._main.write("outside")
        bone = st._main._skeleton(height=120)
        if st.button("Fill"):
            bone.write("filled")
    '''
    theirs, ours = both(source)
    assert [e.type for e in theirs.main if e.type == "skeleton"] == ["skeleton"]
    assert [e.kind for e in ours.elements] == [
        "expander", "markdown", "markdown", "skeleton", "button"]
    assert ours.get("skeleton")[0].value == 120
    expander = ours.get("expander")[0].value
    page = [e.value for e in ours.markdown]
    assert page == ["inside", "outside"]
    assert "outside" not in repr(expander.children[0].children[0].outputs)
    theirs.button[0].click().run()
    ours.button("Fill").click().run()
    assert "filled" in [m.value for m in theirs.markdown]
    assert [m.value for m in ours.markdown][-1] == "filled"
    assert not ours.get("skeleton")


def test_source_util_opens_an_apps_source(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(textwrap.dedent('''\
        # a café's menu
        import streamlit as st
        from streamlit import source_util

        NAME = "café"
        with source_util.open_python_file(__file__) as source:
            st.code(source.readlines()[4])
    '''), encoding="utf-8")
    theirs = StreamlitAppTest.from_file(str(app), default_timeout=STREAMLIT_TIMEOUT).run()
    ours = AppTest.from_file(app).run()
    assert not theirs.exception and not ours.exception, ours.exception
    assert theirs.code[0].value == ours.get("code")[0].value.strip() == 'NAME = "café"'


# --- bind="query-params" -------------------------------------------------------------------

BOUND = '''
import streamlit as st

if "seeded" not in st.session_state:  # ours has no URL: the session's params stand for it
    st.session_state.seeded = True
    st.query_params["milk"] = "true"
milk = st.checkbox("Milk", key="milk", bind="query-params")
sugar = st.toggle("Sugar", key="sugar", bind="query-params")
note = st.text_input("Note", key="note", bind="query-params")
st.write(f"milk={milk} sugar={sugar} note={note!r} params={st.query_params.to_dict()}")
'''


def test_a_bound_widget_starts_from_its_query_parameter_and_keeps_it_up_to_date():
    theirs = StreamlitAppTest.from_string(BOUND, default_timeout=STREAMLIT_TIMEOUT)
    theirs.query_params["milk"] = "true"
    theirs.run()
    ours = AppTest.from_string(BOUND).run()
    assert not theirs.exception and not ours.exception, ours.exception
    first = "milk=True sugar=False note='' params={'milk': 'true'}"
    assert theirs.markdown[0].value == ours.markdown[0].value == first
    theirs.checkbox(key="milk").uncheck()
    theirs.toggle(key="sugar").set_value(True)
    theirs.text_input(key="note").input("no foam")
    theirs.run()
    ours.checkbox("Milk").set_value(False)
    ours.toggle("Sugar").set_value(True)
    ours.text_input("Note").set_value("no foam")
    ours.run()
    # Streamlit's browser writes the URL, and its next rerun request carries it; AppTest
    # has no browser, so only the values compare there
    values = "milk=False sugar=True note='no foam'"
    assert theirs.markdown[0].value.startswith(values)
    assert ours.markdown[0].value == values + " params={'sugar': 'true', 'note': 'no foam'}"


def test_binding_needs_a_key():
    at = AppTest.from_string('import streamlit as st\nst.checkbox("A", bind="query-params")')
    assert "bind='query-params' needs a key" in at.run().exception[0].text


# --- date_input(format=...) ----------------------------------------------------------------


def test_a_date_format_sets_the_readout_of_the_dates():
    source = '''
        from datetime import date
        import streamlit as st

        trip = st.date_input("Trip", (date(2027, 1, 1), date(2027, 1, 7)), format="MM.DD.YYYY")
        day = st.date_input("Day", date(2027, 3, 4), format="DD/MM/YYYY")
        plain = st.date_input("Plain", date(2027, 3, 4))
        st.write(trip, day)
    '''
    theirs, ours = both(source)
    assert [w.value for w in theirs.date_input] == [w.value for w in ours.date_input]
    headless = AppTest.from_string(textwrap.dedent(source))
    headless.session.script.cells[0].headless = True
    texts = [e.text for e in headless.run().get("date_input")]
    assert texts == ["Trip: 01.01.2027 – 01.07.2027", "Day: 04/03/2027", "Plain: 2027-03-04"]


# --- accept_new_options --------------------------------------------------------------------


def test_a_selectbox_that_accepts_new_options_returns_the_text_typed():
    theirs, ours = both('''
        import streamlit as st

        option = st.selectbox("Default email", ["foo@example.com", "bar@example.com"],
                              index=None, placeholder="Pick or type one",
                              accept_new_options=True)
        st.write(f"chose {option!r}")
    ''')
    assert theirs.markdown[0].value == ours.markdown[0].value == "chose None"
    box = ours.selectbox("Default email").widget
    assert (box.placeholder, box.options, box.ensure_option) == (
        "Pick or type one", ("foo@example.com", "bar@example.com"), False)
    theirs.selectbox[0].set_value("bar@example.com").run()
    box.value = "bar@example.com"  # picked from the list
    ours.run()
    assert theirs.markdown[0].value == ours.markdown[0].value == "chose 'bar@example.com'"
    box.value = "new@example.com"  # typed (Streamlit's AppTest sets options only)
    assert ours.run().markdown[0].value == "chose 'new@example.com'"
    ours.selectbox("Default email").set_value(None).run()
    assert ours.markdown[0].value == "chose None"


def test_a_multiselect_that_accepts_new_options_adds_the_text_typed():
    theirs, ours = both('''
        import streamlit as st

        names = st.multiselect("Cat names", ["Jellybeans", "Fish Biscuit", "Madam President"],
                               max_selections=5, accept_new_options=True)
        st.write(f"names={names!r}")
    ''')
    assert [w.label for w in theirs.multiselect] == [w.label for w in ours.multiselect]
    assert theirs.markdown[0].value == ours.markdown[0].value == "names=[]"
    theirs.multiselect[0].select("Fish Biscuit").run()
    box = ours.multiselect("Cat names").widget
    chosen, typed = box.children
    chosen.value = ("Fish Biscuit",)  # picked in the list
    ours.run()
    assert theirs.markdown[0].value == ours.markdown[0].value == "names=['Fish Biscuit']"
    typed.value = "Mittens"  # typed, then Enter
    ours.run()
    assert ours.markdown[0].value == "names=['Fish Biscuit', 'Mittens']"
    assert typed.value == "" and chosen.options[-1] == "Mittens"
    assert chosen.value == ("Fish Biscuit", "Mittens")
    ours.multiselect("Cat names").set_value(["Jellybeans", "Tom"]).run()
    assert ours.markdown[0].value == "names=['Jellybeans', 'Tom']"
    assert "Mittens" not in chosen.options  # a new option no longer chosen leaves the list


# --- data_editor(num_rows=...) -------------------------------------------------------------


def test_an_editor_with_dynamic_rows_shows_the_table_and_returns_the_data():
    theirs, ours = both('''
        import pandas as pd
        import streamlit as st

        df = pd.DataFrame([{"command": "st.selectbox", "rating": 4},
                           {"command": "st.balloons", "rating": 5}])
        edited = st.data_editor(df, num_rows="dynamic")
        st.data_editor(df, num_rows="delete", key="second")
        st.markdown(f"favourite: **{edited.loc[edited['rating'].idxmax()]['command']}**")
    ''')
    assert theirs.markdown[0].value == ours.markdown[0].value == "favourite: **st.balloons**"
    first, second = ours.dataframe
    assert "rows can't be added or deleted either" in first.data["text/html"]
    assert "rows can't be added or deleted either" in second.data["text/html"]
    at = AppTest.from_string('import streamlit as st\nst.data_editor([1], num_rows="many")')
    assert "must be one of 'fixed', 'dynamic', 'add', 'delete'" in at.run().exception[0].text


# --- chat_input(accept_file=...) -----------------------------------------------------------

CHAT_FILES = '''
import streamlit as st

prompt = st.chat_input("Say something and/or attach an image", accept_file=True,
                       file_type=["jpg", "jpeg", "png"])
if prompt and prompt.text:
    st.markdown(prompt.text)
if prompt and prompt["files"]:
    st.markdown(f"{prompt['files'][0].name}: {len(prompt['files'][0].getvalue())} bytes")
'''


def upload(name: str, content: bytes) -> dict:
    return {"name": name, "type": "image/png", "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.timezone.utc)}


def test_a_chat_box_that_takes_files_sends_them_with_the_text():
    theirs, ours = both(CHAT_FILES)
    theirs.chat_input[0].set_value("Hello").run()
    ours.chat_input[0].set_value("Hello").run()
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == ["Hello"]
    row = ours.chat_input[0].widget
    picker, box, send = row.children
    assert (picker.accept, picker.multiple, box.placeholder) == (
        ".jpg,.jpeg,.png", False, "Say something and/or attach an image")
    picker.value = (upload("cat.png", b"\x89PNG...."),)  # picked: nothing is sent yet
    box.value = "A cat"  # then Enter
    ours.run()
    assert [m.value for m in ours.markdown] == ["A cat", "cat.png: 8 bytes"]
    assert (box.value, picker.value) == ("", ())  # emptied for the next message
    assert [m.value for m in ours.run().markdown] == []  # sent once, as Streamlit's
    picker.value = (upload("dog.png", b"\x89PNG"),)
    send.click()  # a file alone goes with the send button
    assert [m.value for m in ours.run().markdown] == ["dog.png: 4 bytes"]


def test_a_chat_box_takes_a_folder_with_the_folder_picker():
    theirs, ours = both('''
        import streamlit as st

        sent = st.chat_input("Say", accept_file="directory")
        st.write(f"{sent.text}, {len(sent.files)} files" if sent else "nothing")
    ''')
    assert theirs.markdown[0].value == ours.markdown[0].value == "nothing"
    picker, box, send = ours.chat_input[0].widget.children
    assert type(picker).__name__ == "FolderUpload"
    picker.value = [upload("a.png", b"\x89PNG"), upload("b.png", b"\x89PNG")]
    box.value = "two pictures"
    ours.run()
    assert ours.markdown[0].value == "two pictures, 2 files" and picker.value == []


# --- add_rows ------------------------------------------------------------------------------


def test_add_rows_fails_as_in_streamlit_saying_what_to_do_instead():
    source = textwrap.dedent('''
        import numpy as np
        import streamlit as st

        chart = st.line_chart(np.zeros((2, 1)))
        st.write("drawn")
        chart.add_rows(np.ones((2, 1)))
    ''')
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    assert "`add_rows()` is not a valid Streamlit command" in theirs.exception[0].message
    ours = AppTest.from_string(source).run()
    assert [e.kind for e in ours.elements] == ["chart", "markdown", "exception"]
    assert "add_rows() is not part of Streamlit any more" in ours.exception[0].text
    assert "draw the chart or table again with all of them" in ours.exception[0].text


# --- skeleton and grid ---------------------------------------------------------------------


def test_a_skeleton_holds_a_place_until_filled_or_while_a_block_runs():
    theirs, ours = both('''
        import streamlit as st

        slot = st.skeleton(height=200)
        with st.skeleton():
            st.write("computed")
        st.write("after")
        slot.dataframe({"a": [1, 2]})
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "computed", "after"]
    assert len(theirs.dataframe) == len(ours.dataframe) == 1
    assert not [e for e in theirs.main if e.type == "skeleton"]
    assert [e.kind for e in ours.elements] == ["dataframe", "markdown", "markdown"]
    at = AppTest.from_string('import streamlit as st\nst.skeleton(height=0)').run()
    assert "height must be a positive number of pixels, 'stretch' or None" in (
        at.exception[0].text)


GRID = '''
import streamlit as st

metrics = [("Revenue", "$1.2M", "+8%"), ("Pipeline", "$4.8M", "+12%"),
           ("Conversion", "12.4%", "+1.1%")]
grid = st.grid(4, border=True)
for label, value, delta in metrics:
    grid.metric(label, value, delta)
with grid.cell(column_span="all"):
    st.write("wide")
    st.caption("cell")
with st.grid("auto", min_column_width=220, gap=("small", 20)):
    st.write("one")
    st.write("two")
'''


def test_a_grid_puts_each_element_in_a_cell_and_a_cell_spans_tracks():
    theirs, ours = both(GRID)
    assert [m.label for m in theirs.metric] == [m.label for m in ours.get("metric")]
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "wide", "one", "two"]
    first, second = [e.value for e in ours.elements if e.kind == "container"
                     and type(e.value).__name__ == "GridBox"]
    assert first.layout.grid_template_columns == (
        "repeat(auto-fill, minmax(max(200px, calc((100% - 3 * 1rem) / 4)), 1fr))")
    assert second.layout.grid_template_columns == "repeat(auto-fill, minmax(220px, 1fr))"
    assert second.layout.grid_gap == "1rem 20px"
    cells = first.children
    assert len(cells) == 4 and all("1px solid" in c.layout.border for c in cells)
    assert (cells[3].layout.grid_column, cells[3].layout.grid_row) == ("1 / -1", "span 1")
    assert cells[0].layout.grid_column is None


def test_a_grid_refuses_what_streamlit_refuses():
    for call, message in [("st.grid('auto', wrap=False)", "wrap=False needs a number"),
                          ("st.grid(25)", "columns must be 'auto' or an int from 1 to 24"),
                          ("st.grid(2).cell(column_span=3)", "column_span=3 is more than")]:
        both_refuse(f"import streamlit as st\n{call}", message)


# --- menu_button and pagination ------------------------------------------------------------


def test_a_menu_button_returns_the_option_picked_in_that_run_only():
    theirs, ours = both('''
        import streamlit as st

        action = st.menu_button("Export", ["CSV", "JSON", "PDF"], icon="📤")
        st.write(f"action={action!r}")
        st.button("Other")
    ''')
    assert theirs.markdown[0].value == ours.markdown[0].value == "action=None"
    menu = ours.get("menu_button")[0].value
    assert [text for text, _ in menu.options] == ["📤 Export ▾", "CSV", "JSON", "PDF"]
    menu.value = 1  # picked JSON
    assert ours.run().markdown[0].value == "action='JSON'"
    assert menu.value is None  # the label again, so picking JSON again is a change
    ours.button("Other").click().run()
    assert ours.markdown[0].value == "action=None"


def test_pagination_returns_the_page_and_shows_the_pages_around_it():
    theirs, ours = both('''
        import streamlit as st

        page = st.pagination(20, default=4, key="page")
        st.write(f"page {page}")
    ''')
    assert theirs.markdown[0].value == ours.markdown[0].value == "page 4"
    row = ours.get("pagination")[0].value
    assert [b.description for b in row.children] == [
        "‹", "1", "2", "3", "4", "5", "6", "…", "20", "›"]
    assert [b.button_style for b in row.children].index("primary") == 4
    row.children[-1].click()  # next
    assert ours.run().markdown[0].value == "page 5"
    row.children[-2].click()  # the last page
    assert ours.run().markdown[0].value == "page 20"
    assert [b.description for b in row.children] == [
        "‹", "1", "…", "15", "16", "17", "18", "19", "20", "›"]
    assert row.children[-1].disabled  # no next page after the last


# --- pdf -----------------------------------------------------------------------------------

PDF_APP = '''
import io
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import streamlit as st

buffer = io.BytesIO()
plt.figure(figsize=(2, 1)).savefig(buffer, format="pdf")
st.pdf(buffer, alt="A blank page")
st.pdf(buffer.getvalue(), height=300)
st.pdf("https://example.com/sample.pdf", height="stretch")
'''


def test_a_pdf_is_jupyterlabs_pdf_output_where_streamlit_needs_an_extra_component():
    theirs = StreamlitAppTest.from_string(PDF_APP, default_timeout=STREAMLIT_TIMEOUT).run()
    assert "requires the `streamlit-pdf` component" in theirs.exception[0].message
    ours = AppTest.from_string(PDF_APP).run()
    assert not ours.exception, ours.exception
    first, second, linked = ours.get("pdf")
    document = base64.b64decode(first.data["application/pdf"])
    assert document.startswith(b"%PDF") and first.data == second.data | {
        "text/plain": first.text}
    assert first.text == f"[PDF document: A blank page, {len(document)} bytes]"
    assert 'src="https://example.com/sample.pdf"' in linked.data["text/html"]
    at = AppTest.from_string('import streamlit as st\nst.pdf(b"<html></html>")').run()
    assert "the data is not a PDF document" in at.exception[0].text


# --- file_uploader(accept_multiple_files="directory") --------------------------------------


def test_a_folder_upload_returns_the_folders_files_of_the_accepted_types():
    theirs, ours = both('''
        import streamlit as st

        files = st.file_uploader("Upload images", accept_multiple_files="directory",
                                 type=["jpg", "png"])
        st.write(f"files: {[f.name for f in files]}")
    ''')
    assert [w.label for w in theirs.get("file_uploader")] == [
        w.label for w in ours.get("file_uploader")] == ["Upload images"]
    assert theirs.markdown[0].value == ours.markdown[0].value == "files: []"
    picker = ours.get("file_uploader")[0].value
    assert (type(picker).__name__, picker.accept) == ("FolderUpload", ".jpg,.png")
    picker.value = [upload("cat.png", b"\x89PNG"), upload("notes.txt", b"text"),
                    upload("dog.png", b"\x89PNG..")]  # what the browser sends for a folder
    assert ours.run().markdown[0].value == "files: ['cat.png', 'dog.png']"


# --- camera_input and audio_input ----------------------------------------------------------


def test_a_photo_or_a_recording_reaches_the_script_as_an_upload():
    theirs, ours = both('''
        import streamlit as st

        enable = st.checkbox("Enable camera", True)
        picture = st.camera_input("Take a picture", disabled=not enable, resolution="720p")
        voice = st.audio_input("Record a voice message", sample_rate=None)
        st.write(f"picture={picture and (picture.name, picture.type, picture.size)}")
        st.write(f"voice={voice and (voice.name, voice.type)}")
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "picture=None", "voice=None"]
    camera = ours.get("camera_input")[0].value
    microphone = ours.get("audio_input")[0].value
    assert (camera.height, camera.description, camera.disabled) == (720, "Take a picture",
                                                                    False)
    assert microphone.sample_rate == 0  # the browser's own rate
    photo = dict(upload("image.jpg", b"\xff\xd8\xff jpeg"), type="image/jpeg")
    camera.value = [photo]  # what the page sends once a photo is taken
    microphone.value = [dict(upload("audio.wav", b"RIFF....WAVE"), type="audio/wav")]
    ours.run()
    assert [m.value for m in ours.markdown] == [
        "picture=('image.jpg', 'image/jpeg', 8)", "voice=('audio.wav', 'audio/wav')"]
    camera.value = []  # cleared
    assert ours.run().markdown[0].value == "picture=None"


def test_device_inputs_check_what_streamlit_checks():
    for call, message in [
            ("st.camera_input('C', resolution='4k')", "resolution must be '480p', '720p'"),
            ("st.audio_input('A', sample_rate=1000)", "sample_rate must be one of 8000")]:
        both_refuse(f"import streamlit as st\n{call}", message)


def test_a_chat_box_that_takes_audio_sends_the_recording_with_the_text():
    theirs, ours = both('''
        import streamlit as st

        prompt = st.chat_input("Say or record something", accept_audio=True)
        if prompt and prompt.text:
            st.write("Text:", prompt.text)
        if prompt and prompt.audio:
            st.write("Audio file:", prompt.audio.name)
        st.write(f"keys: {sorted(prompt) if prompt else None}")
    ''')
    theirs.chat_input[0].set_value("Hi").run()
    ours.chat_input[0].set_value("Hi").run()
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "Text: Hi", "keys: ['audio', 'text']"]
    box, recorder, send = ours.chat_input[0].widget.children
    assert (type(recorder).__name__, recorder.sample_rate) == ("AudioInput", 16000)
    recorder.value = [dict(upload("audio.wav", b"RIFF....WAVE"), type="audio/wav")]
    send.click()  # a recording alone goes with the send button
    assert [m.value for m in ours.run().markdown] == [
        "Audio file: audio.wav", "keys: ['audio', 'text']"]
    assert recorder.value == []


BOUND_ALL = '''
import datetime as dt
import streamlit as st

values = {
    "slider": st.slider("Slider", 0, 10, 3, key="s", bind="query-params"),
    "range": st.slider("Range", 0, 10, (2, 5), key="r", bind="query-params"),
    "number": st.number_input("Number", 0, 100, 5, key="n", bind="query-params"),
    "select": st.selectbox("Select", ["a", "b", "c"], key="sb", bind="query-params"),
    "radio": st.radio("Radio", ["x", "y"], key="ra", bind="query-params"),
    "multi": st.multiselect("Multi", ["p", "q", "r"], key="m", bind="query-params"),
    "area": st.text_area("Area", key="ta", bind="query-params"),
    "colour": st.color_picker("Colour", key="c", bind="query-params"),
    "day": st.date_input("Day", dt.date(2026, 1, 1), key="d", bind="query-params"),
    "when": st.time_input("When", dt.time(9, 0), key="t", bind="query-params"),
    "pills": st.pills("Pills", ["u", "v"], key="p", bind="query-params"),
}
st.write(repr(values))
'''


def test_every_widget_streamlit_binds_starts_from_its_query_parameter():
    params = {"s": "7", "r": ["1", "9"], "n": "42", "sb": "c", "ra": "y", "m": ["p", "r"],
              "ta": "hello", "c": "#ff0000", "d": "2026-05-04", "t": "17:30", "p": "v"}
    theirs = StreamlitAppTest.from_string(BOUND_ALL, default_timeout=STREAMLIT_TIMEOUT)
    for name, value in params.items():
        theirs.query_params[name] = value
    theirs.run()
    seeded = "import streamlit as st\nst.query_params.from_dict(" + repr(params) + ")\n"
    ours = AppTest.from_string(seeded + BOUND_ALL).run()
    assert not theirs.exception and not ours.exception, ours.exception
    assert theirs.markdown[0].value == ours.markdown[0].value
    assert "'slider': 7" in ours.markdown[0].value and "'range': (1, 9)" in ours.markdown[0].value


# --- persist_state -------------------------------------------------------------------------

PERSISTED = '''
import streamlit as st

def home():
    show = st.checkbox("Show", True)
    if show:
        kept = st.slider("Kept", 0, 10, 0, key="kept", persist_state="session")
        paged = st.slider("Paged", 0, 10, 0, key="paged", persist_state="page")
        lost = st.slider("Lost", 0, 10, 0, key="lost")
        st.write(f"kept={kept} paged={paged} lost={lost}")

def other():
    st.write("other page")

st.navigation([st.Page(home, title="Home"), st.Page(other, title="Other")]).run()
'''


def test_a_persisted_value_outlives_the_widget_for_the_session_or_the_page():
    theirs, ours = both(PERSISTED)
    for label, value in (("Kept", 3), ("Paged", 4), ("Lost", 5)):
        theirs.slider(key=label.lower()).set_value(value)
        ours.slider(label).set_value(value)
    for at in (theirs, ours):
        at.run()
        at.checkbox[0].set_value(False).run()  # the sliders are not drawn
        at.checkbox[0].set_value(True).run()
    assert theirs.markdown[0].value == ours.markdown[0].value == "kept=3 paged=4 lost=0"
    # to the other page and back: what was kept for the page is gone
    ours.radio[0].widget.value = 1
    assert ours.run().markdown[0].value == "other page"
    ours.radio[0].widget.value = 0
    assert ours.run().markdown[0].value == "kept=3 paged=0 lost=0"


def test_persisting_needs_a_key_and_a_scope_streamlit_knows():
    for call, message in [("st.slider('S', persist_state='session')", "needs a key"),
                          ("st.slider('S', key='s', persist_state='app')",
                           "persist_state must be 'page', 'session' or None")]:
        both_refuse(f"import streamlit as st\n{call}", message)


# --- newer parameters: width, icon, required -----------------------------------------------


def test_boxes_take_a_width_and_an_icon_and_a_required_text_keeps_its_value():
    theirs, ours = both('''
        import streamlit as st

        name = st.text_input("Name", "Ada", required=True, icon="🧑", width=300)
        age = st.number_input("Age", 0, 120, 36, icon=":material/cake:", width="stretch")
        city = st.selectbox("City", ["Lisbon", "Oslo"], icon="🏙️", width=250,
                            filter_mode=None)
        level = st.slider("Level", 0, 10, 5, width=400)
        st.write(f"{name} {age} {city} {level}")
    ''')
    assert [w.label for w in theirs.text_input] == [w.label for w in ours.text_input]
    assert theirs.markdown[0].value == ours.markdown[0].value == "Ada 36 Lisbon 5"
    name = ours.text_input("Name").widget
    assert (name.description, name.layout.width) == ("🧑 Name", "300px")
    assert ours.selectbox("City").widget.layout.width == "250px"
    assert ours.slider("Level").widget.layout.width == "400px"
    assert ours.number_input("Age").widget.description.endswith(" Age")
    name.value = "   "  # emptied: a required box keeps the value it had, as Streamlit's
    assert ours.run().markdown[0].value == "Ada 36 Lisbon 5"
    name.value = "Grace"
    assert ours.run().markdown[0].value == "Grace 36 Lisbon 5"


def test_switch_page_takes_query_parameters_and_write_stream_a_cursor():
    source = '''
        import streamlit as st

        def home():
            st.write(f"home {st.query_params.to_dict()}")
            if st.button("Go"):
                st.switch_page(shop, query_params=[("item", "cone"), ("size", "L")])

        def shop_page():
            st.write(f"shop {st.query_params.to_dict()}")
            st.write_stream(iter(["one ", "two"]), cursor="▌")

        shop = st.Page(shop_page, title="Shop")
        st.navigation([st.Page(home, title="Home"), shop]).run()
    '''
    theirs, ours = both(source)
    theirs.query_params["old"] = "1"
    theirs.run()
    theirs.button[0].click().run()
    ours.button("Go").click().run()
    expected = ["shop {'item': 'cone', 'size': 'L'}", "one two"]
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == expected


def test_a_label_asked_to_wrap_or_a_required_choice_says_what_is_taken():
    for call in ("st.checkbox('A', wrap=True)", "st.popover('A', wrap=True)",
                 "st.pills('A', ['x'], wrap=True)", "st.segmented_control('A', ['x'], wrap=True)",
                 "st.pills('A', ['x'], required=True)"):
        source = f"import streamlit as st\n{call}"
        assert not StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT
                                                ).run().exception, call
        error = AppTest.from_string(source).run().exception[0].text
        assert "is not supported" in error and ("wrap" in error or "required" in error), error
