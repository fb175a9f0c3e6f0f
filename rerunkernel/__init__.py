"""rerunkernel: Streamlit's app model in Jupyter.

Pick the **Rerun Script** kernel and the whole notebook is one script, rerun top to bottom
whenever a cell is executed or a widget changes::

    import rerunkernel as rk

    x = rk.slider("x")
    rk.write(x, "squared is", x * x)
"""

from ._version import __version__
from .elements import (
    UploadedFile,
    altair_chart,
    area_chart,
    audio,
    bar_chart,
    button,
    caption,
    checkbox,
    code,
    color_picker,
    dataframe,
    date_input,
    divider,
    download_button,
    error,
    exception,
    file_uploader,
    header,
    image,
    info,
    json,
    latex,
    line_chart,
    markdown,
    metric,
    multiselect,
    number_input,
    plotly_chart,
    progress,
    pyplot,
    radio,
    scatter_chart,
    select_slider,
    selectbox,
    slider,
    spinner,
    subheader,
    success,
    table,
    text,
    text_area,
    text_input,
    time_input,
    title,
    toast,
    toggle,
    vega_lite_chart,
    video,
    warning,
    write,
)
from .cache import cache
from .cache.names import cache_data, cache_resource
from .control import rerun, stop

__all__ = [
    "__version__",
    "altair_chart",
    "area_chart",
    "audio",
    "bar_chart",
    "button",
    "cache",
    "cache_data",
    "cache_resource",
    "caption",
    "checkbox",
    "code",
    "color_picker",
    "dataframe",
    "date_input",
    "divider",
    "download_button",
    "error",
    "exception",
    "file_uploader",
    "header",
    "image",
    "info",
    "json",
    "latex",
    "line_chart",
    "markdown",
    "metric",
    "multiselect",
    "number_input",
    "plotly_chart",
    "progress",
    "pyplot",
    "radio",
    "rerun",
    "scatter_chart",
    "select_slider",
    "selectbox",
    "slider",
    "spinner",
    "stop",
    "subheader",
    "success",
    "table",
    "text",
    "text_area",
    "text_input",
    "time_input",
    "title",
    "toast",
    "toggle",
    "UploadedFile",
    "vega_lite_chart",
    "video",
    "warning",
    "write",
]


def load_ipython_extension(ipython):  # pragma: no cover - wired in magics.py
    from .magics import load_ipython_extension as load

    load(ipython)
