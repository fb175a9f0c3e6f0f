"""Showing that something is going on: progress bars, spinners and toasts.

- `progress` returns a handle; `bar.progress(n)` redraws the same slot at once, so the bar
  moves while the run is still going (see handles.py).
- `spinner` reuses the cache's spinner: shown only if the block takes longer than a moment
  (so a fast block sends nothing and nothing flickers), in the place where the block's own
  output will appear, and gone when the block ends or its first output replaces it.
- `toast`: Jupyter has no notification area a kernel can reach, so a toast is a small
  notice drawn in place that fades out and collapses after its duration (CSS, in the
  browser: the kernel sends nothing to remove it). Each run that calls it shows it again.
"""

from __future__ import annotations

import numbers
from contextlib import contextmanager
from typing import Any, Iterator

from ..cache.spinner import Spinner
from ..core import runtime
from ..core.element import Element
from .core import html_escape
from .handles import SlotHandle
from .params import css_width, icon_prefix, refuse

TOAST_SECONDS = {"short": 4, "long": 10}


def _percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"rk.progress({value!r}): the value must be an int from 0 to 100 or a "
                        "float from 0.0 to 1.0")
    if isinstance(value, numbers.Integral):
        if not 0 <= value <= 100:
            raise ValueError(f"rk.progress({value!r}): an int value must be from 0 to 100")
        return int(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"rk.progress({value!r}): a float value must be from 0.0 to 1.0")
    return int(value * 100)


def progress_element(value: Any, text: str | None = None, width: Any = "stretch") -> Element:
    percent = _percent(value)
    css = css_width("progress", width)
    label = "" if text is None else str(text)
    caption = f'<div style="font-size:0.875em">{html_escape(label)}</div>' if label else ""
    html = (f'<div class="rk-progress" role="progressbar" aria-valuenow="{percent}" '
            f'aria-valuemin="0" aria-valuemax="100" style="width:{css or "100%"}">{caption}'
            '<div style="height:0.5em;border-radius:0.25em;overflow:hidden;'
            'background:var(--jp-layout-color3, #e0e0e0)">'
            f'<div style="width:{percent}%;height:100%;'
            'background:var(--jp-brand-color1, #1976d2)"></div></div></div>')
    filled = percent // 5
    plain = f"[{'#' * filled}{'-' * (20 - filled)}] {percent}%" + (f" {label}" if label else "")
    return Element(kind="progress", data={"text/html": html, "text/plain": plain},
                   value=percent, label=label or None)


class Progress(SlotHandle):
    """What `rk.progress` returns: `.progress(value, text)` moves the same bar."""

    def __init__(self, value: Any, text: str | None, width: Any) -> None:
        self._width = width
        super().__init__(progress_element(value, text, width))

    def progress(self, value: Any, text: str | None = None) -> Progress:
        self._redraw(progress_element(value, text, self._width), "progress")
        return self

    def empty(self) -> None:
        """Remove the bar (its place stays, empty, for the rest of the run)."""
        self._redraw(None, "progress")


def progress(value: Any, text: str | None = None, width: Any = "stretch") -> Progress:
    """A progress bar at `value` (0 to 100, or 0.0 to 1.0); update it with `.progress()`."""
    return Progress(value, text, width)


@contextmanager
def spinner(text: str = "In progress...", *, show_time: bool = False,
            width: Any = "content") -> Iterator[None]:
    """`with rk.spinner('Loading...'):` shows the text while the block runs (`show_time`:
    and the seconds it has taken so far)."""
    refuse("spinner", width=(width, "content"))
    ctx = runtime.active()
    # a headless run (nbclient, `rerunkernel run`) has nobody watching it wait
    if ctx is None or ctx.writer is None or ctx.headless:
        yield
        return
    ctx.checkpoint()
    shown = Spinner(ctx.writer, str(text), show_time=bool(show_time))
    shown.start()
    try:
        yield
    finally:
        shown.stop()


class Toast(SlotHandle):
    """What `rk.toast` returns: `.toast(body)` replaces the message in place."""

    def toast(self, body: Any, *, icon: str | None = None,
              duration: str | int = "short") -> Toast:
        self._redraw(toast_element(body, icon, duration), "toast")
        return self


def toast_element(body: Any, icon: str | None = None, duration: str | int = "short") -> Element:
    if duration == "infinite":
        animation = ""
    else:
        seconds = TOAST_SECONDS.get(duration) if isinstance(duration, str) else duration
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds <= 0:
            raise ValueError(f"rk.toast(duration={duration!r}): must be 'short', 'long', "
                             "'infinite' or a positive number of seconds")
        animation = f"animation:rk-toast-fade {seconds}s ease-in forwards;"
    text = icon_prefix("toast", icon) + str(body)
    ctx = runtime.active()
    # a new run shows the toast again: a changed attribute makes its slot update
    run = ctx.session.started_runs if ctx is not None else 0
    html = ("<style>@keyframes rk-toast-fade {0%, 90% {opacity: 1; max-height: 20em} "
            "100% {opacity: 0; max-height: 0; padding: 0; margin: 0; border-width: 0}}</style>"
            f'<div class="rk-toast" data-run="{run}" style="{animation}overflow:hidden;'
            "display:inline-block;padding:0.5em 1em;border-radius:0.5em;"
            "box-shadow:0 1px 4px rgba(0,0,0,0.25);background:var(--jp-layout-color1, #fff)\">"
            f"{html_escape(text)}</div>")
    return Element(kind="toast", data={"text/html": html, "text/plain": f"Toast: {text}"},
                   value=str(body))


def toast(body: Any, *, icon: str | None = None, duration: str | int = "short") -> Toast:
    """A short notice that fades away after `duration` ('short' 4 s, 'long' 10 s, seconds)."""
    return Toast(toast_element(body, icon, duration))
