"""Element functions: each draws one slot in the current cell (see `page.py`)."""

from .charts import line_chart
from .data import dataframe, json, table
from .inputs import button, checkbox, number_input, selectbox, slider, text_input
from .status import exception
from .text import markdown, text, write

__all__ = [
    "button", "checkbox", "dataframe", "exception", "json", "line_chart", "markdown",
    "number_input", "selectbox", "slider", "table", "text", "text_input", "write",
]
