"""`pdf`: a PDF document in a viewer.

A document given as bytes, a file or a path is sent as an `application/pdf` output, which
JupyterLab's own PDF viewer draws (in the browser's PDF reader), as it draws a `.pdf` file
opened from its file browser; a URL is shown in a frame the browser loads it into. Streamlit
draws it with a component it installs apart (`streamlit[pdf]`); nothing else is needed here.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ..core.element import Element
from .core import html_escape
from .handles import drawn
from .layout import Placeholder
from .media import is_url

PDF_MIME = "application/pdf"


def _pdf_bytes(data: Any) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, (str, Path)):
        try:
            return Path(data).read_bytes()
        except OSError as error:
            raise FileNotFoundError(f"rk.pdf(): can't read {str(data)!r}: {error.strerror}. "
                                    "Pass a URL, a file path, a file or bytes.") from None
    for method in ("getvalue", "read"):
        if callable(getattr(data, method, None)):
            content = getattr(data, method)()
            if isinstance(content, (bytes, bytearray)):
                return bytes(content)
    raise TypeError(f"rk.pdf(): data must be a URL, a file path, a file or bytes, got "
                    f"{type(data).__name__}")


def pdf(data: Any, *, height: int | str = 500, key: str | None = None,
        alt: str | None = None) -> Placeholder:
    """A PDF document: a URL, a file path, a file (an upload, say) or its bytes."""
    if height != "stretch" and (isinstance(height, bool) or not isinstance(height, int)
                                or height < 1):
        raise ValueError(f"rk.pdf(height={height!r}): height must be a positive number of "
                         "pixels or 'stretch'")
    title = f' title="{html_escape(alt.strip())}"' if alt and alt.strip() else ""
    if isinstance(data, str) and is_url(data) and not data.startswith("data:"):
        tall = "100%" if height == "stretch" else f"{height}px"
        body = (f'<iframe src="{html_escape(data)}"{title} style="width:100%;height:{tall};'
                'border:1px solid var(--jp-border-color2, #ccc)"></iframe>')
        return drawn(Element(kind="pdf", data={"text/html": body,
                                               "text/plain": f"[PDF {data}]"}, value=data))
    content = _pdf_bytes(data)
    if not content.startswith(b"%PDF"):
        raise ValueError("rk.pdf(): the data is not a PDF document (it doesn't start with "
                         "%PDF)")
    text = f"[PDF document{': ' + alt.strip() if alt and alt.strip() else ''}, " \
           f"{len(content)} bytes]"
    return drawn(Element(kind="pdf", data={PDF_MIME: base64.b64encode(content).decode("ascii"),
                                           "text/plain": text}, value=content))
