"""Camera and microphone inputs, which Jupyter can't honour.

A kernel draws into output areas whose content it can't ask for camera or microphone access;
that takes a front-end extension. Failing with the reason beats a widget that never returns.
"""

from __future__ import annotations

from typing import Any, NoReturn


def _refuse(call: str, device: str, label: Any) -> NoReturn:
    raise NotImplementedError(
        f"rk.{call}({label!r}): Jupyter output areas can't use the {device}. Let the user "
        f"pick a recorded file with rk.file_uploader({label!r}) instead."
    )


def camera_input(label: str, *args: Any, **kwargs: Any) -> NoReturn:
    """Refused: the camera is out of a kernel's reach in Jupyter."""
    _refuse("camera_input", "camera", label)


def audio_input(label: str, *args: Any, **kwargs: Any) -> NoReturn:
    """Refused: the microphone is out of a kernel's reach in Jupyter."""
    _refuse("audio_input", "microphone", label)
