"""Widgets whose value is files the browser gives: ES modules carried by anywidget (already how
Streamlit's v2 components are drawn), each sending its files as ipywidgets' FileUpload sends
them (a list of name, type, size and content), so the script reads them as any upload.

- `file_uploader(accept_multiple_files="directory")`: ipywidgets' FileUpload opens the file
  picker only; the folder picker is the same input with `webkitdirectory` set
  (folder_upload.js). It sends the folder's files of the accepted types.
- `camera_input` and `audio_input` (device_inputs.py): the page asks the browser for the
  camera or the microphone when the user turns it on (camera_input.js, audio_input.js).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

_CLASSES: dict[str, type] = {}


def _from_json(files: Any, widget: Any) -> list[dict[str, Any]]:
    return [dict(file, content=memoryview(file["content"]),
                 last_modified=datetime.datetime.fromtimestamp(
                     file.get("last_modified", 0) / 1000, datetime.timezone.utc))
            for file in files or []]


def _to_json(files: Any, widget: Any) -> list[dict[str, Any]]:
    return [dict(file, last_modified=int(file["last_modified"].timestamp() * 1000)
                 if isinstance(file.get("last_modified"), datetime.datetime) else 0)
            for file in files]


def file_widget(name: str, module: str, **traits: Any) -> type:
    """The widget class `name`, drawn by the ES module `module` beside this file, with the
    traits every one has (value, description, disabled, tooltip) and `traits` (made once;
    anywidget is imported then)."""
    if name in _CLASSES:
        return _CLASSES[name]
    import anywidget
    import traitlets

    body = {
        "_esm": Path(__file__).with_name(module).read_text(encoding="utf-8"),
        "value": traitlets.List().tag(sync=True, from_json=_from_json, to_json=_to_json),
        "description": traitlets.Unicode("").tag(sync=True),
        "disabled": traitlets.Bool(False).tag(sync=True),
        "tooltip": traitlets.Unicode(None, allow_none=True).tag(sync=True),
        **{key: trait.tag(sync=True) for key, trait in traits.items()},
    }
    _CLASSES[name] = type(name, (anywidget.AnyWidget,), body)
    return _CLASSES[name]


def folder_upload() -> type:
    """`file_uploader(accept_multiple_files="directory")`'s widget class."""
    import traitlets

    return file_widget("FolderUpload", "folder_upload.js", accept=traitlets.Unicode(""))
