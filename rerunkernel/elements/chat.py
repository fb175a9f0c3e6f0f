"""Chat apps: `chat_message` containers and a `chat_input` box.

A message is a row: the author's avatar, then a box the app draws into (`with
rk.chat_message("user"): rk.write(...)`). `chat_input` returns what the user sent only in the
run that sending started, then None, as Streamlit does, so an app appends each message once;
the box is emptied for the next message.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.widgets import WidgetSpec, applying
from .chat_files import ChatInputValue, chat_row
from .device_inputs import SAMPLE_RATES
from .core import html_escape
from .files import accepted_types, as_upload, uploaded_file
from .icons import icon_text
from .layout import BoxSurface, Container, layout_box
from .media import image_bytes, img_src, is_url
from .widget_call import LABEL_STYLE, WidgetCall, draw_widget

AVATARS = {"user": "🧑", "human": "🧑", "assistant": "🤖", "ai": "🤖"}


def _avatar(name: str, avatar: Any) -> tuple[str, str]:
    """(text, HTML) of the author's badge: an emoji or icon, or a picture Streamlit accepts."""
    if avatar is None or (isinstance(avatar, str) and avatar.lower() in AVATARS):
        text = AVATARS.get(str(avatar or name).lower(), (name[:1] or "?").upper())
        return text, html_escape(text)
    if isinstance(avatar, str) and not (is_url(avatar) or Path(avatar).suffix):
        text = icon_text("chat_message", avatar, "avatar")
        return text, html_escape(text)
    try:
        mime, content = image_bytes(avatar, False, "RGB", "auto")
    except (TypeError, ValueError, OSError) as error:
        raise ValueError(f"rk.chat_message(avatar=...): {error}") from None
    return "🖼", (f'<img src="{html_escape(img_src(mime, content))}" alt="" '
                 'style="width:1.6em;height:1.6em;border-radius:50%;object-fit:cover">')


def chat_message(name: str, *, avatar: Any = None, width: Any = "stretch") -> Container:
    """A chat message by `name` ('user', 'assistant' or anyone): draw into it with `with`."""
    import ipywidgets

    if not isinstance(name, str) or not name:
        raise ValueError(f"rk.chat_message({name!r}): name must be a non-empty str, "
                         "e.g. 'user' or 'assistant'")
    icon, badge_html = _avatar(name, avatar)
    WidgetCall("chat_message", name).width(width, "stretch")

    def make() -> Any:
        badge = ipywidgets.HTML(f'<span title="{html_escape(name)}" style="font-size:1.4em">'
                                f"{badge_html}</span>",
                                layout=ipywidgets.Layout(width="2.2em", flex="0 0 auto"))
        body = ipywidgets.VBox(layout=ipywidgets.Layout(flex="1 1 0%", min_width="0"))
        return ipywidgets.HBox([badge, body], layout=ipywidgets.Layout(
            width="100%", padding="4px", margin="2px 0",
            border="1px solid var(--jp-border-color3, #eee)"))

    box = layout_box("chat_message", make, {"name": name, "avatar": badge_html},
                     lambda b: f"{icon} {name}: " + "\n".join(BoxSurface(b.children[1]).texts()))
    return Container(box.children[1])


def chat_input(
    placeholder: str = "Your message",
    *,
    key: str | int | None = None,
    max_chars: int | None = None,
    accept_file: bool | str = False,
    file_type: str | Sequence[str] | None = None,
    disabled: bool = False,
    on_submit: Callable | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    width: Any = "stretch",
    max_upload_size: int | None = None,
    accept_audio: bool = False,
    audio_sample_rate: int | None = 16000,
    submit_mode: str = "submit",
    height: Any = "content",
) -> str | None:
    """A message box; returns the text sent in the run that sending started, else None.

    With `accept_file` (True, 'multiple' or 'directory') a file (or folder) picker, with
    `accept_audio` a recorder, and a send button sit beside the box, and what is sent comes
    back as a ChatInputValue of `.text`, `.files` and `.audio`."""
    __tracebackhide__ = True
    import ipywidgets

    placeholder = str(placeholder)
    call = WidgetCall("chat_input", placeholder)
    if accept_file not in (False, True, "multiple", "directory"):
        raise call.fail(f"accept_file must be True, False, 'multiple' or 'directory', got "
                        f"{accept_file!r}")
    if audio_sample_rate is not None and audio_sample_rate not in SAMPLE_RATES:
        raise call.fail(f"audio_sample_rate must be one of "
                        f"{', '.join(map(str, SAMPLE_RATES))}, got {audio_sample_rate!r}")
    if submit_mode != "submit":
        raise call.unsupported("submit_mode", submit_mode, "a message is sent as the user "
                               "sends it, and the box stays usable; leave it out")
    if height != "content":
        raise call.unsupported("height", height, "the box is one line; leave it out")
    if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
        raise call.fail("max_chars must be a positive int")
    suffix, layout = call.width(width, "content")
    params: dict[str, Any] = dict(placeholder=placeholder, disabled=bool(disabled))
    if accept_file or accept_audio:
        return _chat_with_files(call, key, accept_file, bool(accept_audio),
                                audio_sample_rate, file_type, max_chars, max_upload_size,
                                params, suffix, layout, call.callback(on_submit, args, kwargs))

    def read(widget: Any, ctx: Any) -> str | None:
        # the box is emptied at the first read, so the run keeps what was sent
        if ctx is None or widget.model_id not in ctx.trigger.changed:
            return None
        sent = ctx.extras.setdefault("chat_input", {})
        if widget.model_id not in sent:
            text = widget.value[:max_chars] if max_chars else widget.value
            sent[widget.model_id] = text or None
            with applying():
                widget.value = ""
        return sent[widget.model_id]

    spec = WidgetSpec(
        kind="chat_input" + suffix, label=placeholder,
        key=call.key(key),
        make=lambda: ipywidgets.Text(value="", continuous_update=False, style=LABEL_STYLE,
                                     **params, **layout),
        params=params, default=None, read=read, snapshot=lambda w: w.value or "(empty)",
    )
    return call.use(spec, on_submit, args, kwargs)


def _chat_with_files(call: WidgetCall, key: Any, accept_file: Any, accept_audio: bool,
                     sample_rate: int | None, file_type: Any, max_chars: int | None,
                     max_upload_size: int | None, params: dict[str, Any], suffix: str,
                     layout: dict[str, Any], callback: tuple | None) -> Any:
    """`chat_input(accept_file=True | 'multiple' | 'directory', accept_audio=...)`
    (chat_files.py): returns a ChatInputValue of the text, files and recording sent, in the
    run that sending started, else None."""
    __tracebackhide__ = True
    accepted = accepted_types(call, file_type)
    params = dict(params, accept=",".join(accepted), multiple=accept_file == "multiple",
                  sample_rate=sample_rate or 0)
    files = "folder" if accept_file == "directory" else "files" if accept_file else ""

    def read(widget: Any, ctx: Any) -> ChatInputValue | None:
        # as the plain box: the row is emptied at the first read; the run keeps what was sent
        if ctx is None or widget.model_id not in ctx.trigger.changed:
            return None
        sent = ctx.extras.setdefault("chat_input", {})
        if widget.model_id not in sent:
            if not widget.value:
                return None
            text, uploads, recordings = (tuple(widget.value) + ((), ()))[:3]
            items: dict[str, Any] = {}
            if accept_file:
                items["files"] = [uploaded_file(call, upload, accepted, max_upload_size)
                                  for upload in uploads]
            if accept_audio:
                items["audio"] = uploaded_file(call, recordings[-1], [], None) \
                    if recordings else None
            sent[widget.model_id] = ChatInputValue(text[:max_chars] if max_chars else text,
                                                   **items)
            with applying():
                widget.value = ()
        return sent[widget.model_id]

    def encode(new: Any) -> tuple:
        if isinstance(new, str):
            return (new, (), ())
        if isinstance(new, Mapping) and isinstance(new.get("text", ""), str):
            uploads = tuple(as_upload(call, item) for item in new.get("files") or [])
            audio = new.get("audio")
            return (new.get("text", ""), uploads,
                    (as_upload(call, audio),) if audio is not None else ())
        raise call.fail(f"set the text sent, or {{'text': ..., 'files': [...], 'audio': ...}}, "
                        f"got {type(new).__name__}")

    spec = WidgetSpec(
        kind=f"chat_input:{files or 'text'}{':audio' if accept_audio else ''}" + suffix,
        label=call.label, key=call.key(key),
        make=lambda: chat_row()(files=files, audio=accept_audio, **params, **layout),
        params=params, default=None, read=read, snapshot=lambda w: "(empty)", encode=encode,
    )
    return draw_widget(spec, callback)
