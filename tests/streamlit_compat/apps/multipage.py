"""A multipage app: pages from a file and from a function, switched by a button or a link."""
import streamlit as st


def home() -> None:
    st.header("Home")
    st.write(f"Signed in as {st.secrets['user']['name']}")
    if st.button("See orders"):
        st.query_params["region"] = "north"
        st.switch_page(orders)


orders = st.Page("pages/orders.py", title="Orders")
page = st.navigation([st.Page(home, title="Home", default=True), orders])
page.run()
