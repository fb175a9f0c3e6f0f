"""`pagination`: page numbers to move through pages of content; returns the page (from 1).

A row of Jupyter's toggle buttons: the previous and next arrows, and the pages around the
current one (at most `max_visible_pages`, the first and last always there, a gap as "…").
Which pages show depends on the page, so the row is rebuilt by the kernel after each move;
its value is the page itself, kept on the row (kernel side only), as the date range picker's
is (temporal.py).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .widget_call import WidgetCall, apply_settings

_CLASS: list[type] = []
PREVIOUS, NEXT, GAP = "‹", "›", "…"


def visible_pages(page: int, count: int, most: int | None) -> list[int | None]:
    """The page numbers to show around `page` (None: a gap), first and last included."""
    if most is None or count <= most:
        return list(range(1, count + 1))
    if most == 0:
        return []
    half = max((most - 2) // 2, 0)
    low, high = max(2, page - half), min(count - 1, page + half)
    while high - low + 3 < most and (low > 2 or high < count - 1):
        low, high = (low - 1, high) if low > 2 else (low, high + 1)
    shown: list[int | None] = [1]
    if low > 2:
        shown.append(None)
    shown += list(range(low, high + 1))
    if high < count - 1:
        shown.append(None)
    return shown + [count] if count > 1 else shown


def page_row() -> type:
    """The widget class, made once (ipywidgets is imported only when a widget is drawn)."""
    if _CLASS:
        return _CLASS[0]
    import ipywidgets
    import traitlets

    class PageRow(ipywidgets.HBox):
        value = traitlets.Int(1)
        count = traitlets.Int(1)
        most = traitlets.Any(7)
        disabled = traitlets.Bool(False)

        def __init__(self, **kwargs: Any) -> None:
            super().__init__()
            self.observe(self._rebuild, names=["value", "count", "most", "disabled"])
            apply_settings(self, kwargs)
            self._rebuild()

        def _rebuild(self, change: Any = None) -> None:
            parts = [(PREVIOUS, self.value - 1, self.value > 1)]
            parts += [(GAP, None, False) if page is None else (str(page), page, True)
                      for page in visible_pages(self.value, self.count, self.most)]
            parts.append((NEXT, self.value + 1, self.value < self.count))
            buttons = []
            for text, page, usable in parts:
                button = ipywidgets.Button(
                    description=text, disabled=self.disabled or not usable,
                    button_style="primary" if page == self.value and text.isdigit() else "",
                    layout=ipywidgets.Layout(width="auto", min_width="2.2em"))
                if page is not None and usable:
                    button.on_click(lambda _, page=page: self._go(page))
                buttons.append(button)
            for old in self.children:
                old.close()
            self.children = buttons

        def _go(self, page: int) -> None:
            if 1 <= page <= self.count and page != self.value:
                self.value = page

    _CLASS.append(PageRow)
    return PageRow


def pagination(num_pages: int, *, default: int = 1, max_visible_pages: int | None = 7,
               width: Any = "content", key: str | int | None = None,
               on_change: Callable | str | None = "rerun", args: Sequence | None = None,
               kwargs: dict | None = None, disabled: bool = False, bind: str | None = None,
               persist_state: str | None = None) -> int:
    """Page buttons with previous and next arrows; returns the page chosen (from 1)."""
    __tracebackhide__ = True
    from ..core.widgets import WidgetSpec

    call = WidgetCall("pagination", key if key is not None else num_pages)
    if isinstance(num_pages, bool) or not isinstance(num_pages, int) or num_pages < 1:
        raise call.fail(f"num_pages must be an int of at least 1, got {num_pages!r}")
    if isinstance(default, bool) or not isinstance(default, int) or not (
            1 <= default <= num_pages):
        raise call.fail(f"default must be a page from 1 to {num_pages}, got {default!r}")
    if max_visible_pages is not None and (
            isinstance(max_visible_pages, bool) or not isinstance(max_visible_pages, int)
            or max_visible_pages < 0):
        raise call.fail(f"max_visible_pages must be None or an int of at least 0, got "
                        f"{max_visible_pages!r}")
    suffix, layout = call.width(width, "content")
    params: dict[str, Any] = dict(count=num_pages, most=max_visible_pages,
                                  disabled=bool(disabled))

    def encode(page: Any) -> int:
        if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= num_pages:
            raise call.fail(f"set a page from 1 to {num_pages}, got {page!r}")
        return page

    spec = WidgetSpec(
        kind="pagination" + suffix, label="", key=call.key(key),
        make=lambda: page_row()(value=default, **params, **layout), params=params,
        default=default, read=lambda w, ctx: int(w.value),
        fix=lambda page: min(max(page, 1), num_pages), snapshot=lambda w: f"page {w.value} "
        f"of {num_pages}", encode=encode, parse=int,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)
