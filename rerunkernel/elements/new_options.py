"""`multiselect(accept_new_options=True)`: a list box with a text box under it for options
the list doesn't have.

Streamlit's multiselect is a tags box the user types into, picking an option or adding the
text as a new one. ipywidgets' list box can only choose among the options the kernel gave it,
so a typed option (Enter, or focus leaving the box) is added to the list by the kernel, as
chosen, and the text box is emptied. The registry needs one widget with one value: the tuple
of the chosen labels and new texts lives on the box (kernel side only) and follows the two
parts both ways, as the date range picker's does (temporal.py).
"""

from __future__ import annotations

from typing import Any

_CLASS: list[type] = []

ADD_PLACEHOLDER = "Add an option"


def new_options_select() -> type:
    """The widget class, made once (ipywidgets is imported only when a widget is drawn)."""
    if _CLASS:
        return _CLASS[0]
    import ipywidgets
    import traitlets

    from .widget_call import LABEL_STYLE, apply_settings

    class NewOptionsSelect(ipywidgets.VBox):
        value = traitlets.Tuple()
        options = traitlets.Tuple()
        description = traitlets.Unicode("")
        disabled = traitlets.Bool(False)
        tooltip = traitlets.Unicode(None, allow_none=True)
        rows = traitlets.Int(5)
        placeholder = traitlets.Unicode(ADD_PLACEHOLDER)

        def __init__(self, **kwargs: Any) -> None:
            self._list = ipywidgets.SelectMultiple(style=LABEL_STYLE)
            self._add = ipywidgets.Text(continuous_update=False)
            self._pushing = False
            super().__init__(children=[self._list, self._add])
            self.observe(self._push, names=["options", "description", "disabled", "tooltip",
                                            "rows", "placeholder", "value"])
            self._list.observe(self._pull, names="value")
            self._add.observe(self._added, names="value")
            apply_settings(self, kwargs)
            self._push()

        def _push(self, change: Any = None) -> None:
            """The box's options, settings and value, shown by its two parts; a chosen new
            text stays in the list after the options it was typed beside."""
            self._list.description = self.description
            self._list.tooltip = self.tooltip
            self._list.rows = self.rows
            self._list.disabled = self._add.disabled = self.disabled
            self._add.placeholder = self.placeholder
            shown = list(self.options) + [t for t in self.value if t not in self.options]
            self._pushing = True
            try:
                if tuple(self._list.options) != tuple(shown):
                    self._list.options = shown
                self._list.value = tuple(t for t in shown if t in self.value)
            finally:
                self._pushing = False

        def _pull(self, change: Any) -> None:
            if not self._pushing:
                self.value = tuple(self._list.value)

        def _added(self, change: Any) -> None:
            text = str(change["new"]).strip()
            if not text:
                return
            if text not in self.value:
                self.value = tuple(self.value) + (text,)
            self._add.value = ""

    _CLASS.append(NewOptionsSelect)
    return NewOptionsSelect
