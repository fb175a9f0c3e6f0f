"""`st.context`: what Streamlit learns from the viewer's browser, which a kernel never hears.

A Streamlit app is served to the browser over HTTP, so its context holds that request's
headers, cookies and address, and what the browser reports: locale, time zone, theme, URL.
A notebook's code reaches the kernel as Jupyter messages relayed by the Jupyter server, with
none of that, so here every field is empty or None: the values Streamlit itself gives when no
browser is attached (its AppTest). Apps written for Streamlit already handle them, since a
first run there can see None too.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping


def _header_name(name: str) -> str:
    """Header names are case-insensitive; Streamlit keys them `Like-This`."""
    return "-".join(word.capitalize() for word in name.split("-"))


class Headers(Mapping[str, str]):
    """Read-only headers; `get_all` gives every value of a repeated header."""

    def __init__(self, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._headers: dict[str, list[str]] = {}
        for name, value in headers:
            self._headers.setdefault(_header_name(name), []).append(value)

    def get_all(self, key: str) -> list[str]:
        return list(self._headers.get(_header_name(key), []))

    def __getitem__(self, key: str) -> str:
        try:
            return self._headers[_header_name(key)][0]
        except KeyError:
            raise KeyError(key) from None

    def __len__(self) -> int:
        return len(self._headers)

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers)

    def to_dict(self) -> dict[str, str]:
        return {key: self[key] for key in self}


class Cookies(Mapping[str, str]):
    def __init__(self, cookies: Mapping[str, str] | None = None) -> None:
        self._cookies = dict(cookies or {})

    def __getitem__(self, key: str) -> str:
        return self._cookies[key]

    def __len__(self) -> int:
        return len(self._cookies)

    def __iter__(self) -> Iterator[str]:
        return iter(self._cookies)

    def to_dict(self) -> dict[str, str]:
        return dict(self._cookies)


class Theme(dict):
    """`{"type": "light" | "dark" | None}`, readable as `theme.type` too."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Context:
    """`st.context`: each field as Streamlit names it (see the module docstring for why they
    are empty here)."""

    FIELDS = ("cookies", "headers", "ip_address", "is_embedded", "locale", "theme", "timezone",
              "timezone_offset", "url")

    @property
    def headers(self) -> Headers:
        return Headers()

    @property
    def cookies(self) -> Cookies:
        return Cookies()

    @property
    def theme(self) -> Theme:
        return Theme(type=None)

    @property
    def ip_address(self) -> str | None:
        return None

    @property
    def is_embedded(self) -> bool | None:
        return None

    @property
    def locale(self) -> str | None:
        return None

    @property
    def timezone(self) -> str | None:
        return None

    @property
    def timezone_offset(self) -> int | None:
        return None

    @property
    def url(self) -> str | None:
        return None

    def __getitem__(self, key: str) -> Any:
        if key not in self.FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __repr__(self) -> str:
        return "st.context (no browser request reaches a kernel: every field is empty)"


context = Context()
