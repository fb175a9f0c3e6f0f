"""Camera and microphone inputs: `camera_input` takes a photo, `audio_input` records sound.

An output area's content can't reach the camera or the microphone by itself; an ES module can
(carried by anywidget, see folder_upload.py): it asks the browser for the device when the
user turns it on, which the browser allows on a secure page (JupyterLab on localhost or
https), and sends the photo (JPEG) or the recording (WAV) to the kernel as an upload. The
script gets an UploadedFile, or None until the user takes one, and None again once cleared,
as from Streamlit's.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.widgets import WidgetSpec
from .files import UploadedFile, as_upload, uploaded_file
from .folder_upload import file_widget
from .widget_call import WidgetCall

RESOLUTIONS = {None: 0, "480p": 480, "720p": 720, "1080p": 1080}
SAMPLE_RATES = (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, None)


def _device_input(call: WidgetCall, make: Callable[..., Any], extra: dict[str, Any],
                  key: Any, help: str | None, on_change: Any, args: Any, kwargs: Any,
                  disabled: bool, label_visibility: str, width: Any) -> UploadedFile | None:
    __tracebackhide__ = True
    common = call.layout(label_visibility, help, disabled)
    suffix, layout = call.width(width, "stretch")
    params = dict(common, **extra)

    def read(widget: Any, ctx: Any) -> UploadedFile | None:
        files = [uploaded_file(call, upload, [], None) for upload in widget.value]
        return files[-1] if files else None

    def encode(new: Any) -> list[dict[str, Any]]:
        return [] if new is None else [as_upload(call, new)]

    spec = WidgetSpec(
        kind=call.name + suffix, label=call.label, key=call.key(key),
        make=lambda: make()(value=[], **params, **layout), params=params, default=[],
        read=read, snapshot=lambda w: str(w.value[0]["name"]) if w.value else "(none)",
        encode=encode,
    )
    return call.use(spec, on_change, args, kwargs)


def camera_input(label: str, key: str | int | None = None, help: str | None = None,
                 on_change: Callable | str | None = None, args: Sequence | None = None,
                 kwargs: dict | None = None, *, disabled: bool = False,
                 label_visibility: str = "visible", resolution: str | None = None,
                 width: Any = "stretch") -> UploadedFile | None:
    """The camera: returns the photo taken (a JPEG UploadedFile), or None."""
    __tracebackhide__ = True
    import traitlets

    call = WidgetCall("camera_input", label).checked()
    if resolution not in RESOLUTIONS:
        raise call.fail(f"resolution must be '480p', '720p', '1080p' or None, got "
                        f"{resolution!r}")
    return _device_input(
        call, lambda: file_widget("CameraInput", "camera_input.js", height=traitlets.Int(0)),
        {"height": RESOLUTIONS[resolution]}, key, help, on_change, args, kwargs, disabled,
        label_visibility, width)


def audio_input(label: str, *, sample_rate: int | None = 16000, key: str | int | None = None,
                help: str | None = None, on_change: Callable | str | None = None,
                args: Sequence | None = None, kwargs: dict | None = None,
                disabled: bool = False, label_visibility: str = "visible",
                width: Any = "stretch") -> UploadedFile | None:
    """The microphone: returns the recording (a WAV UploadedFile at `sample_rate`), or None."""
    __tracebackhide__ = True
    import traitlets

    call = WidgetCall("audio_input", label).checked()
    if sample_rate not in SAMPLE_RATES or isinstance(sample_rate, bool):
        raise call.fail(f"sample_rate must be one of {', '.join(map(str, SAMPLE_RATES))}, "
                        f"got {sample_rate!r}")
    return _device_input(
        call, lambda: file_widget("AudioInput", "audio_input.js",
                                  sample_rate=traitlets.Int(0)),
        {"sample_rate": sample_rate or 0}, key, help, on_change, args, kwargs, disabled,
        label_visibility, width)
