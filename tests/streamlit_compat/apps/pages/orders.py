import streamlit as st

st.header("Orders")
st.write(f"Showing orders for {st.query_params.get('region', 'everywhere')}")
