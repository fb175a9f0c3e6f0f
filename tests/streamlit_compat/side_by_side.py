"""One app run under Streamlit's AppTest and under ours, in the same process: how the tests
of this folder compare the two."""

from __future__ import annotations

import textwrap
from pathlib import Path

from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.testing import AppTest

# Streamlit's AppTest gives a run 3 s by default: too little for a loaded machine
STREAMLIT_TIMEOUT = 60


def both(source: str) -> tuple[StreamlitAppTest, AppTest]:
    """Streamlit's run and ours of `source` (dedented), each checked to have run clean."""
    source = textwrap.dedent(source)
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    ours = AppTest.from_string(source).run()
    assert not theirs.exception, [e.message for e in theirs.exception]
    assert not ours.exception, ours.exception
    return theirs, ours


def both_files(app: Path) -> tuple[StreamlitAppTest, AppTest]:
    """As `both`, for an app in a file."""
    theirs = StreamlitAppTest.from_file(str(app), default_timeout=STREAMLIT_TIMEOUT).run()
    ours = AppTest.from_file(app).run()
    assert not theirs.exception, [e.message for e in theirs.exception]
    assert not ours.exception, ours.exception
    return theirs, ours


def both_refuse(source: str, message: str) -> AppTest:
    """Streamlit's run and ours of `source` each end in an error; ours says `message`."""
    theirs = StreamlitAppTest.from_string(source, default_timeout=STREAMLIT_TIMEOUT).run()
    assert theirs.exception, f"Streamlit ran it: {source}"
    ours = AppTest.from_string(source).run()
    assert ours.exception, f"we ran it: {source}"
    assert message in ours.exception[0].text, ours.exception[0].text
    return ours
