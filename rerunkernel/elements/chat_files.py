"""`chat_input(accept_file=...)`: a message box with a file (or folder) picker beside it and a
send button.

Streamlit's chat box takes files dropped or picked beside the text and returns both as one
`ChatInputValue`. Here the picker is ipywidgets' upload button: the files it holds go with
the next message (Enter in the box, or the send button when there is no text), and the box
and the picker are emptied for the message after. The registry needs one widget with one
value: the message sent, `(text, files)`, lives on the row (kernel side only), as the date
range picker's value does (temporal.py).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_CLASS: list[type] = []


class ChatInputValue(MutableMapping):
    """What `chat_input(accept_file=...)` returns: `.text` and `.files` (a list of
    UploadedFile), also as `value["text"]` and `value["files"]`, as Streamlit's."""

    def __init__(self, text: str, files: list[Any]) -> None:
        self.__dict__["_items"] = {"text": text, "files": files}

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
        return f"ChatInputValue(text={self._items.get('text')!r}, " \
               f"files={self._items.get('files')!r})"


def chat_row() -> type:
    """The widget class, made once (ipywidgets is imported only when a widget is drawn)."""
    if _CLASS:
        return _CLASS[0]
    import ipywidgets
    import traitlets

    class ChatRow(ipywidgets.HBox):
        value = traitlets.Tuple()  # (text, uploads) of the message sent, () once read
        placeholder = traitlets.Unicode("")
        disabled = traitlets.Bool(False)
        accept = traitlets.Unicode("")
        multiple = traitlets.Bool(False)

        def __init__(self, folder: bool = False, **kwargs: Any) -> None:
            if folder:  # `accept_file="directory"`: the folder picker (folder_upload.py)
                from .folder_upload import folder_upload

                self._files = folder_upload()(description="")
            else:
                self._files = ipywidgets.FileUpload(description="", icon="paperclip",
                                                    layout=ipywidgets.Layout(width="auto"))
            self._text = ipywidgets.Text(continuous_update=False,
                                         layout=ipywidgets.Layout(flex="1 1 auto"))
            self._send_button = ipywidgets.Button(description="➤", tooltip="Send",
                                           layout=ipywidgets.Layout(width="auto"))
            super().__init__(children=[self._files, self._text, self._send_button])
            self.observe(self._push, names=["placeholder", "disabled", "accept", "multiple"])
            self._text.observe(self._typed, names="value")
            self._send_button.on_click(self._clicked)
            for name, given in kwargs.items():
                if name == "layout":
                    self.layout = ipywidgets.Layout(**given)
                else:
                    setattr(self, name, given)
            self._push()

        def _push(self, change: Any = None) -> None:
            self._text.placeholder = self.placeholder
            self._files.accept = self.accept
            if self._files.has_trait("multiple"):
                self._files.multiple = self.multiple
            for part in (self._files, self._text, self._send_button):
                part.disabled = self.disabled

        def _typed(self, change: Any) -> None:
            if str(change["new"]).strip():
                self._sent(str(change["new"]))

        def _clicked(self, button: Any) -> None:
            if self._text.value.strip() or self._files.value:
                self._sent(self._text.value)

        def _sent(self, text: str) -> None:
            uploads = tuple(self._files.value)
            self._text.value = ""  # empty: no message of its own
            self._files.value = type(self._files.value)()
            self.value = (text, uploads)

    _CLASS.append(ChatRow)
    return ChatRow
