"""A chat app with a few of Streamlit's newer elements, run unchanged by both AppTests."""
import asyncio

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx

"# Support chat"
"Ask anything; the bot repeats it."

if "messages" not in st.session_state:
    st.session_state.messages = []

for message in st.session_state.messages:
    with st.chat_message(message["role"]):
        st.markdown(message["content"])

prompt = st.chat_input("Your question")
if prompt:
    st.session_state.messages.append({"role": "user", "content": prompt})
    st.session_state.messages.append({"role": "assistant", "content": f"You asked: {prompt}"})
    with st.chat_message("user"):
        st.markdown(prompt)
    with st.chat_message("assistant"):
        st.markdown(f"You asked: {prompt}")


async def count_words() -> int:
    await asyncio.sleep(0)
    return sum(len(m["content"].split()) for m in st.session_state.messages)

st.caption(f"{asyncio.run(count_words())} words so far")

st.write(f"Running in a session: {get_script_run_ctx() is not None and st.runtime.exists()}")

tone = st.segmented_control("Tone", ["Friendly", "Formal"], default="Friendly", key="tone")
topics = st.pills("Topics", ["Billing", "Shipping", "Returns"], selection_mode="multi",
                  key="topics")
st.markdown(f"Tone **{tone}**, topics: {', '.join(topics) or 'none'}")

prices = pd.DataFrame({"item": ["tea", "cake"], "price": [2.5, 4.0], "internal": [1, 2]})
st.dataframe(prices, column_config={
    "price": st.column_config.NumberColumn("Price", format="$%.2f"),
    "internal": None,
})
edited = st.data_editor(prices, key="prices")
st.metric("Items", len(edited))

with st.popover("Settings"):
    st.markdown("Nothing to set yet.")

with st.echo():
    total = float(prices["price"].sum())

st.markdown(f"Total: {total:.2f}")

@st.fragment
def opening_hours() -> None:
    st.subheader("Opening hours")
    st.markdown("9 to 5, Monday to Friday")

opening_hours()
components.html("<p>Powered by a component</p>", height=40)

if st.button("Clear chat", key="reset"):
    st.session_state.messages = []
    st.rerun()
st.markdown(f"Clear pressed: {st.session_state.reset}")
