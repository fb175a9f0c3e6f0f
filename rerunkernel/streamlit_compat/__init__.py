"""Streamlit apps unchanged: `import streamlit` inside a run gets rerunkernel (`shim.py`,
with the `streamlit.*` submodules apps import in `modules.py`), and the APIs that need
Streamlit's server say why they can't work here (`accounts.py`)."""
