"""Files in and out: `file_uploader` (a widget) and `download_button` (a link).

`file_uploader` is ipywidgets' FileUpload: the browser sends the chosen files' bytes in the
widget message, and each run gets fresh `UploadedFile` objects (BytesIO with `.name`,
`.type`, `.size`), so a file read to its end in one run reads again in the next.

`download_button` can't be a widget: nothing a kernel sends can make the browser save a
file, and a widget click would reach the kernel only after the chance to download is gone.
So it is a link styled as a button, carrying its data as a `data:` URI with the `download`
attribute: the browser saves the file itself, with no round trip, and a stored notebook
keeps a working button. The kernel never hears of the click, so it returns False, as
Streamlit's does in every run but the click's. `on_click` is accepted in all its forms,
but a callback is never called and a click starts no rerun.
"""

from __future__ import annotations

import base64
import datetime
import io
import mimetypes
from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.element import Element
from ..core.widgets import WidgetSpec
from .core import draw, html_escape
from .link_buttons import BUTTON_STYLES, button_link_style
from .params import css_width, icon_prefix
from .widget_call import WidgetCall

MEGABYTE = 1024 * 1024


class UploadedFile(io.BytesIO):
    """One uploaded file: a BytesIO (`.read()`, `.getvalue()`) with `.name`, `.type`, `.size`."""

    def __init__(self, name: str, type: str, content: bytes) -> None:
        super().__init__(content)
        self.name = name
        self.type = type
        self.size = len(content)
        self.file_id = f"{name}:{self.size}"

    def __repr__(self) -> str:
        return f"UploadedFile(name={self.name!r}, type={self.type!r}, size={self.size})"


def accepted_types(call: WidgetCall, type: str | Sequence[str] | None) -> list[str]:
    if type is None:
        return []
    kinds = [type] if isinstance(type, str) else list(type)
    accepted = []
    for kind in kinds:
        if not isinstance(kind, str) or not kind.strip(".").strip():
            raise call.fail(f"type must hold file extensions like 'csv', "
                            f"got {kind!r}")
        accepted.append(kind.lower() if "/" in kind else "." + kind.lower().lstrip("."))
    return accepted


def _allowed(name: str, mime: str, accepted: list[str]) -> bool:
    if not accepted:
        return True
    lower = name.lower()
    return any(lower.endswith(kind) if kind.startswith(".") else
               (mime.startswith(kind[:-1]) if kind.endswith("/*") else mime == kind)
               for kind in accepted)


def as_upload(call: WidgetCall, item: Any) -> dict[str, Any]:
    """One file as FileUpload holds it, from what a test or a preset gives."""
    if isinstance(item, (str, Path)):
        path = Path(item)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise call.fail(f"can't read {str(path)!r}: "
                            f"{error.strerror}") from None
        name = path.name
    elif isinstance(item, UploadedFile):
        name, content = item.name, item.getvalue()
    elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], (bytes, str)):
        name, content = str(item[0]), item[1]
        content = content.encode("utf-8") if isinstance(content, str) else content
    else:
        raise call.fail(f"set a file path, a (name, bytes) pair or an "
                        f"UploadedFile, got {type(item).__name__}")
    return {"name": name, "type": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "size": len(content), "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.timezone.utc)}


def uploaded_file(call: WidgetCall, upload: Any, accepted: list[str],
              max_upload_size: int | None) -> UploadedFile:
    """One file as FileUpload holds it, checked against the types and size allowed."""
    name, mime = str(upload["name"]), str(upload.get("type") or "")
    if not _allowed(name, mime, accepted):
        raise call.fail(f"{name!r} is not one of the accepted "
                        f"file types ({', '.join(accepted)})")
    content = bytes(upload["content"])
    if max_upload_size is not None and len(content) > max_upload_size * MEGABYTE:
        raise call.fail(f"{name!r} is {len(content) / MEGABYTE:.1f}"
                        f" MB, more than max_upload_size={max_upload_size} MB")
    return UploadedFile(name, mime or "application/octet-stream", content)


def file_uploader(
    label: str,
    type: str | Sequence[str] | None = None,
    accept_multiple_files: bool | str = False,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    max_upload_size: int | None = None,
    disabled: bool = False,
    label_visibility: str = "visible",
    width: Any = "stretch",
) -> UploadedFile | list[UploadedFile] | None:
    """An upload button; returns the file (a list with `accept_multiple_files`), or None.
    `accept_multiple_files="directory"` picks a folder: its files, of the accepted types."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("file_uploader", label).checked()
    if accept_multiple_files not in (True, False, "directory"):
        raise call.fail(f"accept_multiple_files must be True, False or 'directory', got "
                        f"{accept_multiple_files!r}")
    folder = accept_multiple_files == "directory"  # the folder picker (folder_upload.py)
    if max_upload_size is not None and (
        isinstance(max_upload_size, bool) or not isinstance(max_upload_size, int)
        or max_upload_size <= 0
    ):
        raise call.fail(f"max_upload_size must be a positive number of "
                        f"megabytes, got {max_upload_size!r}")
    if width not in ("stretch", "content"):
        css_width("file_uploader", width)
        raise call.unsupported("width", width, "an upload button has its own size")
    accepted = accepted_types(call, type)
    common = call.layout(label_visibility, help, disabled)
    if not common["description"]:
        common["description"] = "Upload"
    params = dict(accept=",".join(accepted), **common)
    if not folder:
        params["multiple"] = bool(accept_multiple_files)

    def read(widget: Any, ctx: Any) -> Any:
        uploads = widget.value
        if folder:  # a folder's files of other types are left out, as Streamlit leaves them
            uploads = [u for u in uploads
                       if _allowed(str(u["name"]), str(u.get("type") or ""), accepted)]
        files = [uploaded_file(call, upload, accepted, max_upload_size) for upload in uploads]
        if accept_multiple_files:
            return files
        return files[-1] if files else None

    def encode(new: Any) -> tuple[dict[str, Any], ...]:
        if new is None:
            return ()
        items = list(new) if isinstance(new, list) else [new]
        if len(items) > 1 and not accept_multiple_files:
            raise call.fail("takes one file unless accept_multiple_files="
                            "True")
        uploads = tuple(as_upload(call, item) for item in items)
        for upload in uploads:
            if not _allowed(upload["name"], upload["type"], accepted):
                raise call.fail(f"{upload['name']!r} is not one of the "
                                f"accepted file types ({', '.join(accepted)})")
        return uploads

    def make() -> Any:
        if folder:
            from .folder_upload import folder_upload

            return folder_upload()(**params)
        return ipywidgets.FileUpload(**params)

    spec = WidgetSpec(
        kind="file_uploader:folder" if folder else "file_uploader", label=label,
        key=call.key(key), make=make, params=params, default=[] if folder else (),
        read=read,
        snapshot=lambda w: ", ".join(str(f["name"]) for f in w.value) or "(no file)",
        encode=encode,
    )
    return call.use(spec, on_change, args, kwargs)


# --- download_button ---------------------------------------------------------------------


def _download_bytes(data: Any) -> tuple[bytes, str]:
    """The bytes to download and the mime type they suggest."""
    if callable(data) and not hasattr(data, "read"):
        data = data()
    if isinstance(data, str):
        return data.encode("utf-8"), "text/plain"
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data), "application/octet-stream"
    if hasattr(data, "getvalue"):
        value = data.getvalue()
    elif hasattr(data, "read"):
        value = data.read()
    else:
        raise TypeError(f"rk.download_button(data=...) takes str, bytes, a file object or a "
                        f"function returning one of them; got {type(data).__name__}. "
                        "For a DataFrame, pass df.to_csv(index=False).")
    if isinstance(value, str):
        return value.encode("utf-8"), "text/plain"
    return bytes(value), "application/octet-stream"


def download_button(
    label: str,
    data: Any,
    file_name: str | None = None,
    mime: str | None = None,
    key: str | int | None = None,
    help: str | None = None,
    on_click: Callable | str | None = "rerun",
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    type: str = "secondary",
    icon: str | None = None,
    icon_position: str = "left",
    disabled: bool = False,
    use_container_width: bool | None = None,
    width: Any = "content",
    shortcut: str | None = None,
    wrap: bool | None = None,
) -> bool:
    """A button that downloads `data` as `file_name`; always False (see the module docstring)."""
    call = WidgetCall("download_button", label).checked()
    call.key(key)
    if not callable(on_click) and on_click not in ("rerun", "ignore", None):
        raise call.fail(f"on_click must be 'rerun', 'ignore', a "
                        f"callable or None, got {on_click!r}")
    if type not in BUTTON_STYLES:
        raise call.fail(f"type must be 'primary', 'secondary' or "
                        f"'tertiary', got {type!r}")
    if icon_position not in ("left", "right"):
        raise call.fail(f"icon_position must be 'left' or 'right', got "
                        f"{icon_position!r}")
    if shortcut is not None:
        raise call.unsupported("shortcut", shortcut,
                               "keyboard shortcuts belong to the notebook")
    if wrap is not None:
        raise call.unsupported("wrap", wrap, "leave it out")
    content, guessed = _download_bytes(data)
    mime = mime or guessed
    name = file_name or "download" + (mimetypes.guess_extension(mime) or "")
    text = html_escape(label)
    if icon:
        text = (html_escape(icon_prefix("download_button", icon)) + text if icon_position ==
                "left" else text + " " + html_escape(icon_prefix("download_button", icon)))
    css = css_width("download_button", width, use_container_width)
    style = button_link_style(type, css)
    tooltip = f' title="{html_escape(help)}"' if help else ""
    if disabled:
        html = f'<span style="{style};opacity:0.5;cursor:not-allowed"{tooltip}>{text}</span>'
    else:
        uri = f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
        html = (f'<a download="{html_escape(name)}" href="{html_escape(uri)}" style="{style}"'
                f"{tooltip}>{text}</a>")
    plain = f"[{label}] download {name} ({len(content):,} bytes)"
    draw(Element(kind="download_button", data={"text/html": html, "text/plain": plain},
                 value=content, label=label, key=None if key is None else str(key)))
    return False
