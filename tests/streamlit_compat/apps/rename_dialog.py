"""A dialog that renames: a widget inside it reruns the dialog alone; Save keeps the new
name and reruns the app, which closes the dialog."""

import streamlit as st

st.session_state.setdefault("app", 0)
st.session_state.app += 1


@st.dialog("Rename")
def rename(old):
    new = st.text_input("New name", old)
    st.write(f"preview {new}, app runs {st.session_state.app}")
    if st.button("Save"):
        st.session_state.name = new
        st.rerun()


st.session_state.setdefault("name", "a")
st.write(f"name={st.session_state.name}")
if st.button("Rename"):
    rename(st.session_state.name)
