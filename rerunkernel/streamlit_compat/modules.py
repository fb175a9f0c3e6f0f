"""`streamlit.*` modules that Streamlit's own demos and newer apps import, beyond the core.

`streamlit hello` ships its demos as apps that import `streamlit.hello.utils.show_code`, so a
user who copies one gets an app that fails on its first line unless that module exists here
too. `streamlit.components.v2` is Streamlit's second way to write custom components, drawn
here by `elements/bidi_component.py`.

Libraries built on Streamlit (streamlit-extras, say) import more of its helpers: the
usage counter `runtime.metrics_util.gather_metrics`, which counts nothing here,
`deprecation_util.show_deprecation_warning`, and `source_util.open_python_file`; to hand
images to their components, `elements.lib.image_utils.image_to_url` (a `data:` URL here)
with `elements.lib.layout_utils.LayoutConfig`.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from ..elements.bidi_component import component


def show_code(demo: Callable[..., Any]) -> None:
    """What `streamlit.hello.utils.show_code` draws: a sidebar checkbox (on at first) and,
    while it is on, the demo function's body as code under a "Code" heading."""
    import rerunkernel as rk

    if rk.sidebar.checkbox("Show code", True):
        rk.markdown("## Code")
        lines, _ = inspect.getsourcelines(demo)
        rk.code(textwrap.dedent("".join(lines[1:])))


def image_to_url(image: Any, layout_config: Any = None, clamp: bool = False,
                 channels: str = "RGB", output_format: str = "auto", image_id: str = "") -> str:
    """`streamlit.elements.lib.image_utils.image_to_url`: Streamlit serves the image from
    its media server and returns that address; an output has no server, so the image comes
    back as a `data:` URL (a URL given is returned as it is, as Streamlit does)."""
    import base64

    from ..elements.media import image_bytes

    fmt = str(output_format).upper()
    fmt = {"AUTO": "auto", "JPG": "JPEG"}.get(fmt, fmt)
    mime, content = image_bytes(image, clamp, channels, fmt)
    if mime == "url":
        return str(content)
    data = content.encode("utf-8") if isinstance(content, str) else content
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass
class LayoutConfig:
    """`streamlit.elements.lib.layout_utils.LayoutConfig`: the width and height an element
    asked for, which libraries pass to `image_to_url`."""

    width: Any = None
    height: Any = None
    text_alignment: Any = None


def gather_metrics(name: str, func: Callable[..., Any] | None = None) -> Any:
    """`streamlit.runtime.metrics_util.gather_metrics`: Streamlit counts which of its calls an
    app makes, for its usage statistics; libraries built on Streamlit wrap their functions in
    it. Nothing is counted here, so the function comes back as it was."""
    if func is None:
        return lambda fn: fn
    return func


_warned: set[str] = set()


def show_deprecation_warning(message: str, show_in_browser: bool = True,
                             show_once: bool = False) -> None:
    """`streamlit.deprecation_util.show_deprecation_warning`, which libraries call to say one
    of their functions is going away: logged, and drawn as a warning, as Streamlit does;
    `show_once` shows a message once per process, as Streamlit does."""
    import logging

    import rerunkernel as rk

    if show_once:
        if message in _warned:
            return
        _warned.add(message)
    if show_in_browser:
        rk.warning(message)
    logging.getLogger("streamlit").warning(message)


def open_python_file(filename: str) -> Any:
    """`streamlit.source_util.open_python_file`: a Python source file opened as text in the
    encoding its coding line names (UTF-8 without one), as Python reads it; streamlit-extras'
    echo_expander reads the calling app's source through it."""
    import tokenize

    return tokenize.open(filename)


def extra_modules() -> dict[str, ModuleType]:
    """The modules above, by their `streamlit.*` names."""
    hello = ModuleType("streamlit.hello", "Streamlit's demos")
    hello.__path__ = []
    utils = ModuleType("streamlit.hello.utils", "what Streamlit's demos import")
    utils.show_code = show_code  # type: ignore[attr-defined]
    v2 = ModuleType("streamlit.components.v2", "custom components, second version")
    v2.component = component  # type: ignore[attr-defined]
    elements = ModuleType("streamlit.elements", "Streamlit's elements")
    elements.__path__ = []
    lib = ModuleType("streamlit.elements.lib", "helpers of Streamlit's elements")
    lib.__path__ = []
    image_utils = ModuleType("streamlit.elements.lib.image_utils", "images as URLs")
    image_utils.image_to_url = image_to_url  # type: ignore[attr-defined]
    image_utils.AtomicImage = Any  # type: ignore[attr-defined]
    layout_utils = ModuleType("streamlit.elements.lib.layout_utils", "element sizes")
    layout_utils.LayoutConfig = LayoutConfig  # type: ignore[attr-defined]
    metrics = ModuleType("streamlit.runtime.metrics_util", "usage statistics (none here)")
    metrics.gather_metrics = gather_metrics  # type: ignore[attr-defined]
    deprecation = ModuleType("streamlit.deprecation_util", "deprecation warnings")
    deprecation.show_deprecation_warning = show_deprecation_warning  # type: ignore[attr-defined]
    source = ModuleType("streamlit.source_util", "reading an app's source")
    source.open_python_file = open_python_file  # type: ignore[attr-defined]
    return {"streamlit.hello": hello, "streamlit.hello.utils": utils,
            "streamlit.components.v2": v2, "streamlit.runtime.metrics_util": metrics,
            "streamlit.deprecation_util": deprecation, "streamlit.source_util": source,
            "streamlit.elements": elements, "streamlit.elements.lib": lib,
            "streamlit.elements.lib.image_utils": image_utils,
            "streamlit.elements.lib.layout_utils": layout_utils}
