"""`file_uploader(accept_multiple_files="directory")`: the browser's folder picker.

ipywidgets' FileUpload opens the file picker only; the folder picker is the same input with
`webkitdirectory` set, which an ES module carried by anywidget (already how Streamlit's v2
components are drawn) makes. The module sends the folder's files, those of the accepted
types, as FileUpload sends files (a list of name, type, size and content), so the script
reads them as any upload.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

_CLASS: list[type] = []


def folder_upload() -> type:
    """The widget class, made at the first folder upload (anywidget is imported then)."""
    if _CLASS:
        return _CLASS[0]
    import anywidget
    import traitlets

    def from_json(files: Any, widget: Any) -> list[dict[str, Any]]:
        return [dict(file, content=memoryview(file["content"]),
                     last_modified=datetime.datetime.fromtimestamp(
                         file.get("last_modified", 0) / 1000, datetime.timezone.utc))
                for file in files or []]

    def to_json(files: Any, widget: Any) -> list[dict[str, Any]]:
        return [dict(file, last_modified=int(file["last_modified"].timestamp() * 1000)
                     if isinstance(file.get("last_modified"), datetime.datetime) else 0)
                for file in files]

    class FolderUpload(anywidget.AnyWidget):  # type: ignore[misc]
        _esm = Path(__file__).with_name("folder_upload.js").read_text(encoding="utf-8")
        value = traitlets.List().tag(sync=True, from_json=from_json, to_json=to_json)
        accept = traitlets.Unicode("").tag(sync=True)
        description = traitlets.Unicode("").tag(sync=True)
        disabled = traitlets.Bool(False).tag(sync=True)
        tooltip = traitlets.Unicode(None, allow_none=True).tag(sync=True)

    _CLASS.append(FolderUpload)
    return FolderUpload
