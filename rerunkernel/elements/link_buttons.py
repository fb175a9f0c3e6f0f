"""Links drawn as buttons: `download_button` and `link_button`.

Neither can be a widget (the browser saves the file or opens the page itself, and a click
would reach the kernel too late to matter), so both are HTML links that look like
Streamlit's buttons of the same type and width.
"""

from __future__ import annotations

BUTTON_STYLES = {
    "primary": "background:var(--jp-brand-color1, #1976d2);color:#fff;border:1px solid "
               "var(--jp-brand-color1, #1976d2)",
    "secondary": "background:var(--jp-layout-color1, #fff);color:var(--jp-ui-font-color1, "
                 "#000);border:1px solid var(--jp-border-color1, #bbb)",
    "tertiary": "background:none;color:var(--jp-content-link-color, #1976d2);border:none",
}


def button_link_style(type: str, css_width: str | None) -> str:
    """The inline style of a link drawn as a button of Streamlit's `type` (a key of
    `BUTTON_STYLES`), `css_width` wide (None: as wide as its text)."""
    return (f"{BUTTON_STYLES[type]};display:inline-block;padding:0.3em 0.9em;"
            "border-radius:0.4em;text-decoration:none;font-size:var(--jp-ui-font-size1, 13px)"
            + (f";width:{css_width};box-sizing:border-box;text-align:center"
               if css_width else ""))
