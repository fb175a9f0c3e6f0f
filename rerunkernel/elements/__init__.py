"""Element functions: each draws one slot in the current cell (see `core/page.py`)."""

from .alerts import error, exception, info, success, warning
from .charts import altair_chart, area_chart, bar_chart, line_chart, scatter_chart, vega_lite_chart
from .choice import multiselect, radio, select_slider
from .data import dataframe, json, table
from .extras import balloons, help, html, link_button, set_page_config, snow, write_stream
from .feedback import progress, spinner, toast
from .figures import plotly_chart, pyplot
from .files import UploadedFile, download_button, file_uploader
from .inputs import (
    button,
    checkbox,
    color_picker,
    number_input,
    selectbox,
    slider,
    text_area,
    text_input,
    toggle,
)
from .grid import grid
from .layout import (
    bottom,
    columns,
    container,
    empty,
    expander,
    form,
    form_submit_button,
    sidebar,
    skeleton,
    status,
    tabs,
)
from .media import audio, image, video
from .menu_button import menu_button
from .metric import metric
from .pagination import pagination
from .pdf import pdf
from .temporal import date_input, datetime_input, time_input
from .text import caption, code, divider, header, latex, markdown, subheader, text, title, write

__all__ = [
    "UploadedFile", "altair_chart", "area_chart", "audio", "balloons", "bar_chart", "button",
    "bottom", "caption", "help", "html", "link_button", "set_page_config", "snow",
    "write_stream",
    "checkbox", "code", "color_picker", "columns", "container", "dataframe", "date_input",
    "datetime_input", "divider", "download_button", "empty", "error", "exception", "expander",
    "file_uploader", "form", "form_submit_button", "header", "image", "info", "json", "latex", "line_chart",
    "markdown", "metric", "multiselect", "number_input", "plotly_chart", "progress", "pyplot",
    "radio", "scatter_chart", "select_slider", "selectbox", "sidebar", "skeleton", "slider",
    "spinner", "grid", "menu_button", "pagination", "pdf",
    "status", "subheader", "success", "table", "tabs", "text", "text_area", "text_input",
    "time_input", "title", "toast", "toggle", "vega_lite_chart", "video", "warning", "write",
]
