"""A to-do list kept in session state, driven by widget callbacks."""

import streamlit as st

st.title("To-do")

if "todos" not in st.session_state:
    st.session_state.todos = []
    st.session_state.next_id = 0


def add_todo():
    text = st.session_state.new_todo.strip()
    if text:
        st.session_state.todos.append({"id": st.session_state.next_id, "text": text})
        st.session_state.next_id += 1
    st.session_state.new_todo = ""


def remove_done():
    st.session_state.todos = [todo for todo in st.session_state.todos
                              if not st.session_state.get(f"done-{todo['id']}")]


st.text_input("New task", key="new_todo", on_change=add_todo,
              placeholder="What needs doing?")
st.button("Add", on_click=add_todo)

todos = st.session_state.todos
if not todos:
    st.info("Nothing to do. Add a task above.")
else:
    for todo in todos:
        st.checkbox(todo["text"], key=f"done-{todo['id']}")
    done = sum(bool(st.session_state.get(f"done-{todo['id']}")) for todo in todos)
    st.progress(done / len(todos), text=f"{done} of {len(todos)} done")
    st.button("Clear completed", on_click=remove_done, disabled=done == 0)
    if done == len(todos):
        st.success("All done!")
