"""The `apache-arrow` JavaScript library, for v2 components whose data holds tables.

Streamlit hands a component's JavaScript each dataframe inside its `data` dict as an
`apache-arrow` Table, so the page needs that library. It comes from npm: the build of
jupyterlab-ext/ copies its single-file UMD bundle (Apache-2.0, licence header kept) into
this package, and it is never committed. It reaches the page as one widget model that every
component with tables refers to (page_library.py). See docs/ARCHITECTURE.md, "Custom
components (v2)".
"""

from __future__ import annotations

from pathlib import Path

from .page_library import PageLibrary

APACHE_ARROW = PageLibrary(
    name="apache-arrow",
    # written by `jlpm build:arrow` in jupyterlab-ext/ (part of its build and of `pip install`)
    file=Path(__file__).with_name("apache-arrow.min.js"),
    needed_by="dataframes can't be sent to a component",
    how="It is copied from npm when rerunkernel is built (pip install -e . or make setup in "
        "a checkout)",
    format="umd",
)
