"""`chat_input(accept_file=..., accept_audio=...)`: a message box with a file (or folder)
picker, a recorder, or both, beside it, and a send button.

Streamlit's chat box takes files dropped or picked, or a recording made, beside the text and
returns them all as one `ChatInputValue`. Here the picker is ipywidgets' upload button (or
the folder picker) and the recorder `audio_input`'s: what they hold goes with the next
message (Enter in the box, or the send button when there is no text), and all are emptied
for the message after. The registry needs one widget with one value: the message sent,
`(text, files, recordings)`, lives on the row (kernel side only), as the date range
picker's value does (temporal.py).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_CLASS: list[type] = []


class ChatInputValue(MutableMapping):
    """What `chat_input(accept_file=..., accept_audio=...)` returns: `.text`, `.files` (a list
    of UploadedFile) with `accept_file`, `.audio` (an UploadedFile or None) with
    `accept_audio`, also as `value["text"]` and so on, as Streamlit's."""

    def __init__(self, text: str, **items: Any) -> None:
        self.__dict__["_items"] = {"text": text, **items}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._items[name] = value

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._items[key] = value

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._items)

    def __repr__(self) -> str:
        return "ChatInputValue(" + ", ".join(f"{k}={v!r}" for k, v in self._items.items()) + ")"


def chat_row() -> type:
    """The widget class, made once (ipywidgets is imported only when a widget is drawn)."""
    if _CLASS:
        return _CLASS[0]
    import ipywidgets
    import traitlets

    from .widget_call import apply_settings

    class ChatRow(ipywidgets.HBox):
        # (text, files, recordings) of the message sent, () once read
        value = traitlets.Tuple()
        placeholder = traitlets.Unicode("")
        disabled = traitlets.Bool(False)
        accept = traitlets.Unicode("")
        multiple = traitlets.Bool(False)
        sample_rate = traitlets.Int(0)

        def __init__(self, files: str = "files", audio: bool = False, **kwargs: Any) -> None:
            """`files`: "files", "folder" (the folder picker, folder_upload.py) or "" (none);
            `audio`: a recorder (device_inputs.py) beside the box too."""
            from .folder_upload import file_widget, folder_upload

            parts = []
            self._files: Any = None
            if files == "folder":
                self._files = folder_upload()(description="")
            elif files:
                self._files = ipywidgets.FileUpload(description="", icon="paperclip",
                                                    layout=ipywidgets.Layout(width="auto"))
            self._audio: Any = None
            if audio:
                self._audio = file_widget("AudioInput", "audio_input.js",
                                          sample_rate=traitlets.Int(0))(description="")
            self._text = ipywidgets.Text(continuous_update=False,
                                         layout=ipywidgets.Layout(flex="1 1 auto"))
            self._send_button = ipywidgets.Button(description="➤", tooltip="Send",
                                                  layout=ipywidgets.Layout(width="auto"))
            parts = [p for p in (self._files, self._text, self._audio, self._send_button) if p]
            super().__init__(children=parts)
            self.observe(self._push, names=["placeholder", "disabled", "accept", "multiple",
                                            "sample_rate"])
            self._text.observe(self._typed, names="value")
            self._send_button.on_click(self._clicked)
            apply_settings(self, kwargs)
            self._push()

        def _push(self, change: Any = None) -> None:
            self._text.placeholder = self.placeholder
            if self._files is not None:
                self._files.accept = self.accept
                if self._files.has_trait("multiple"):
                    self._files.multiple = self.multiple
            if self._audio is not None:
                self._audio.sample_rate = self.sample_rate
            for part in self.children:
                part.disabled = self.disabled

        def _typed(self, change: Any) -> None:
            if str(change["new"]).strip():
                self._sent(str(change["new"]))

        def _clicked(self, button: Any) -> None:
            if self._text.value.strip() or any(part.value for part in (self._files, self._audio)
                                               if part is not None):
                self._sent(self._text.value)

        def _sent(self, text: str) -> None:
            held = []
            for part in (self._files, self._audio):
                held.append(tuple(part.value) if part is not None else ())
                if part is not None:
                    part.value = type(part.value)()
            self._text.value = ""  # empty: no message of its own
            self.value = (text, *held)

    _CLASS.append(ChatRow)
    return ChatRow
