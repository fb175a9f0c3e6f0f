"""Multipage apps: `Page`, `navigation`, `switch_page` and `page_link`.

`navigation` draws the page menu (a radio in the sidebar, as Streamlit puts it) and returns
the page to show; the app calls `.run()` on it. A page is a function or a `.py` file, run in
a namespace of its own as Streamlit runs it. `switch_page` and a page link choose the page
for the next run and rerun at once.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ..core import runtime
from ..core.control import rerun
from . import persist
from .choice import radio
from .extras import link_button
from .inputs import button
from .layout import sidebar
from .params import icon_prefix

NAV_KEY = "rk-navigation"
POSITIONS = ("sidebar", "hidden", "top")
# per session: the pages `navigation` offers, and the page a switch chose for the next run
_pages: weakref.WeakKeyDictionary[Any, list[Page]] = weakref.WeakKeyDictionary()
_chosen: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
# the page each session's last run showed: a different one is a move to another page
_shown: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _app_folder() -> Path:
    from ..core.app_settings import app_folder

    return app_folder()


class Page:
    """One page of a multipage app: a `.py` file (beside the app) or a function."""

    def __init__(self, page: str | Path | Callable[[], Any], *, title: str | None = None,
                 icon: str | None = None, url_path: str | None = None,
                 default: bool = False) -> None:
        if callable(page):
            self._source: Path | Callable = page
            name = page.__name__
        elif isinstance(page, (str, Path)):
            path = Path(page)
            self._source = path if path.is_absolute() else _app_folder() / path
            if not self._source.is_file():
                raise FileNotFoundError(f"rk.Page({str(page)!r}): {self._source} is not a "
                                        "file; give a .py file beside the app or a function")
            name = path.stem
        else:
            raise TypeError(f"rk.Page(): expected a .py path or a function, got "
                            f"{type(page).__name__}")
        pretty = name.lstrip("0123456789_").replace("_", " ").strip() or name
        self.title = str(title) if title is not None else pretty[:1].upper() + pretty[1:]
        self.icon = icon
        self.icon_prefix = icon_prefix("Page", icon)
        self.url_path = url_path if url_path is not None else name
        self.default = bool(default)

    @property
    def label(self) -> str:
        return self.icon_prefix + self.title

    def run(self) -> None:
        """Draw the page here: call the function, or run the file as a script."""
        if callable(self._source):
            self._source()
            return
        path = self._source
        code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
        exec(code, {"__name__": "__main__", "__file__": str(path),  # noqa: S102 - the app's page
                    "__builtins__": __builtins__})

    def _matches(self, target: Any) -> bool:
        if isinstance(target, Page):
            return target is self or target.url_path == self.url_path
        if isinstance(target, (str, Path)) and not callable(self._source):
            wanted = Path(target)
            wanted = wanted if wanted.is_absolute() else _app_folder() / wanted
            return wanted.resolve() == self._source.resolve()
        return target == self.title or target == self.url_path

    def __eq__(self, other: object) -> bool:
        """Pages are made again by every run; the same page is the same `url_path`."""
        return isinstance(other, Page) and other.url_path == self.url_path

    def __hash__(self) -> int:
        return hash(self.url_path)

    def __repr__(self) -> str:
        return f"Page({self.title!r}, url_path={self.url_path!r})"


StreamlitPage = Page
PageType = Page | str | Path | Callable[[], Any]


def _flatten(pages: Iterable[PageType] | Mapping[str, Iterable[PageType]]) -> list[Page]:
    """The pages listed, as Streamlit takes them: pages, or the `.py` paths and functions
    `rk.Page` would be given."""
    groups = pages.values() if isinstance(pages, Mapping) else [pages]
    found = [page for group in groups for page in group]
    for index, page in enumerate(found):
        if isinstance(page, (str, Path)) or (callable(page) and not isinstance(page, Page)):
            found[index] = Page(page)
        elif not isinstance(page, Page):
            raise TypeError(f"rk.navigation(): expected rk.Page objects, .py paths or "
                            f"functions, got {page!r}")
    if not found:
        raise ValueError("rk.navigation(): give at least one rk.Page")
    return found


def navigation(pages: Iterable[PageType] | Mapping[str, Iterable[PageType]], *,
               position: str = "sidebar", expanded: bool = False) -> Page:
    """The page menu; returns the page this run shows (call `.run()` on it)."""
    if position not in POSITIONS:
        raise ValueError(f"rk.navigation(position={position!r}): must be 'sidebar', "
                         "'hidden' or 'top'")
    found = _flatten(pages)
    start = next((i for i, page in enumerate(found) if page.default), 0)
    ctx = runtime.active()
    session = ctx.session if ctx is not None else None
    chosen = _chosen.pop(session, None) if session is not None else None
    if session is not None:
        _pages[session] = found
    if chosen is not None:
        start = next(i for i, page in enumerate(found) if page.url_path == chosen)
        from ..core.state import session_state

        if position != "hidden":
            session_state[NAV_KEY] = found[start]
    if position == "hidden":
        shown = found[start]
    elif position == "top":
        shown = radio("Page", found, index=start, format_func=lambda p: p.label, key=NAV_KEY,
                      horizontal=True, label_visibility="collapsed")
    else:
        with sidebar:
            shown = radio("Page", found, index=start, format_func=lambda p: p.label,
                          key=NAV_KEY, label_visibility="collapsed")
    if session is not None and _shown.get(session, shown.url_path) != shown.url_path:
        persist.page_changed()  # values kept for the page the user left go
    if session is not None:
        _shown[session] = shown.url_path
    return shown


def _find(call: str, target: Any) -> Page:
    ctx = runtime.active()
    pages = _pages.get(ctx.session, []) if ctx is not None else []
    if not pages:
        raise RuntimeError(f"rk.{call}({target!r}): list the app's pages first with "
                           "rk.navigation([rk.Page(...), ...])")
    for page in pages:
        if page._matches(target):
            return page
    raise ValueError(f"rk.{call}({target!r}): not one of the app's pages: "
                     f"{[page.title for page in pages]}")


def switch_page(page: Page | str | Path, *, query_params: Any = None) -> None:
    """Show `page` from now on: the run stops here and the app reruns on that page, with the
    query parameters given (a dict or key-value pairs) and no others."""
    from ..core.app_settings import query_params as params

    given: dict[str, Any] = {}
    for name, value in (query_params.items() if isinstance(query_params, dict) else
                        query_params or ()):
        if name in given:  # a name repeated in pairs: all its values, in order
            before = given[name] if isinstance(given[name], list) else [given[name]]
            given[name] = before + (list(value) if isinstance(value, (list, tuple))
                                    else [value])
        else:
            given[name] = value
    found = _find("switch_page", page)
    ctx = runtime.active()
    _chosen[ctx.session] = found.url_path
    params.from_dict(given)  # as in Streamlit: the old page's parameters go
    rerun()


def page_link(page: Page | str | Path | Callable, *, label: str | None = None,
              icon: str | None = None, help: str | None = None, disabled: bool = False,
              use_container_width: bool | None = None, width: Any = "content",
              query_params: Any = None) -> None:
    """A link to a page of this app (a button that switches to it) or to a web address."""
    if isinstance(page, str) and page.startswith(("http://", "https://", "mailto:")):
        link_button(label or page, page, help=help, icon=icon, disabled=disabled)
        return
    found = _find("page_link", page)
    text = label if label is not None else found.title
    if button(text, key=f"rk-page-link:{found.url_path}:{text}", help=help,
              icon=icon or found.icon, disabled=disabled,
              type="tertiary"):
        switch_page(found)
