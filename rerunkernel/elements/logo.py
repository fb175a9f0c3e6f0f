"""`logo`: the app's logo. Jupyter has no app header, so it is drawn where it is called,
small, as Streamlit draws it above the sidebar."""

from __future__ import annotations

from typing import Any

from .media import image as draw_image

SIZES = {"small": 20, "medium": 24, "large": 32}


def logo(image: Any, *, size: str = "medium", link: str | None = None,
         icon_image: Any = None) -> None:
    """The logo image (a path, URL, bytes or array), `size` 'small', 'medium' or 'large'."""
    if size not in SIZES:
        raise ValueError(f"rk.logo(size={size!r}): must be 'small', 'medium' or 'large'")
    draw_image(image, width=SIZES[size] * 4, link=link)
