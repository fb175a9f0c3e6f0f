"""Streamlit's `icon=` values as text: emoji as they are, Material Symbols as a look-alike.

Streamlit draws `:material/name:` with Google's Material Symbols font, which a notebook
doesn't load (and an output can't load a font without running code in the page). Text can
carry an icon anywhere a label goes (a button's description, an expander's title, a plain
text fallback), so each icon becomes text: the Unicode symbol or emoji that looks like it
for the icons apps use most, otherwise its name, so that a label never loses its meaning.
"""

from __future__ import annotations

import re
from typing import Any

MATERIAL = re.compile(r":material/([a-z0-9_]+):")
_SHORTCODE = re.compile(r":[\w+\-]+:")

# the icons real apps pass most, drawn as the symbol closest in look and meaning
MATERIAL_SYMBOLS = {
    "account_circle": "👤", "add": "➕", "add_circle": "➕", "analytics": "📊",
    "arrow_back": "←", "arrow_downward": "↓", "arrow_forward": "→", "arrow_upward": "↑",
    "article": "📄", "attach_file": "📎", "attach_money": "💲", "auto_awesome": "✨",
    "bar_chart": "📊", "block": "🚫", "bolt": "⚡", "bookmark": "🔖", "bug_report": "🐞",
    "build": "🔧", "calendar_month": "📅", "calendar_today": "📅", "call": "📞",
    "cancel": "✖", "celebration": "🎉", "chat": "💬", "check": "✔", "check_circle": "✅",
    "chevron_left": "‹", "chevron_right": "›", "close": "✖", "cloud": "☁",
    "cloud_download": "⬇", "cloud_upload": "⬆", "code": "⌨", "content_copy": "📋",
    "dark_mode": "🌙", "dashboard": "▦", "database": "🗄", "delete": "🗑", "description": "📄",
    "done": "✔", "done_all": "✔", "download": "⬇", "edit": "✏", "email": "✉",
    "error": "⛔", "expand_less": "▴", "expand_more": "▾", "explore": "🧭", "face": "🙂",
    "favorite": "♥", "feedback": "💬", "filter_alt": "⏷", "filter_list": "☰", "flag": "⚑",
    "folder": "📁", "folder_open": "📂", "forum": "💬", "fullscreen": "⛶", "group": "👥",
    "help": "❓", "history": "🕘", "home": "🏠", "hourglass_empty": "⏳", "image": "🖼",
    "info": "ℹ", "insights": "📈", "key": "🔑", "language": "🌐", "lightbulb": "💡",
    "light_mode": "☀", "link": "🔗", "location_on": "📍", "lock": "🔒", "login": "⇥",
    "logout": "⇤", "mail": "✉", "map": "🗺", "menu": "☰", "mic": "🎤", "monitoring": "📈",
    "mood": "🙂", "more_vert": "⋮", "music_note": "🎵", "notifications": "🔔",
    "open_in_new": "↗", "palette": "🎨", "pause": "⏸", "payments": "💳", "person": "👤",
    "pets": "🐾", "photo_camera": "📷", "pie_chart": "◔", "play_arrow": "▶", "print": "🖨",
    "psychology": "🧠", "public": "🌐", "query_stats": "📈", "question_answer": "💬",
    "refresh": "⟳", "remove": "➖", "restart_alt": "⟲", "rocket_launch": "🚀", "save": "💾",
    "schedule": "🕒", "school": "🎓", "science": "🔬", "search": "🔍", "send": "➤",
    "settings": "⚙", "share": "⤴", "shopping_cart": "🛒", "show_chart": "📈",
    "smart_toy": "🤖", "sort": "⇅", "star": "★", "stop": "⏹", "storage": "🗄",
    "summarize": "📝", "sunny": "☀", "support_agent": "🎧", "sync": "⟳", "table": "▦",
    "table_chart": "▦", "terminal": "⌨", "thumb_down": "👎", "thumb_up": "👍", "timer": "⏱",
    "travel_explore": "🌐", "trending_down": "📉", "trending_up": "📈", "tune": "🎚",
    "update": "⟳", "upload": "⬆", "upload_file": "⬆", "videocam": "🎥", "visibility": "👁",
    "warning": "⚠", "water_drop": "💧", "work": "💼", "zoom_in": "🔍", "zoom_out": "🔍",
}

_HINT = "give one emoji such as '✅' or a Material icon such as ':material/thumb_up:'"


def icon_text(call: str, icon: Any, name: str = "icon") -> str:
    """The text an icon is drawn as ("" for none), or a ValueError Streamlit would raise too."""
    if icon is None:
        return ""
    if not isinstance(icon, str):
        raise ValueError(f"rk.{call}({name}={icon!r}): {name} must be a str; {_HINT}")
    icon = icon.strip()
    if not icon:
        return ""
    if icon == "spinner":
        return "⏳"
    material = MATERIAL.fullmatch(icon)
    if material is not None:
        return material_text(material.group(1))
    if icon.lower().startswith(":material"):
        raise ValueError(f"rk.{call}({name}={icon!r}) is not a Material icon; write it as "
                         "':material/icon_name:' with the name in lower case, such as "
                         "':material/thumb_up:'")
    if _SHORTCODE.fullmatch(icon):
        raise ValueError(f"rk.{call}({name}={icon!r}): emoji shortcodes are not icons (nor in "
                         f"Streamlit); {_HINT}")
    if icon.isascii() or len(icon) > 16:
        raise ValueError(f"rk.{call}({name}={icon!r}) is not an icon; {_HINT}")
    return icon


def material_text(name: str) -> str:
    """A Material Symbol as text: its look-alike, else its name (never nothing)."""
    return MATERIAL_SYMBOLS.get(name) or f"[{name}]"


def with_icon(call: str, icon: Any, label: str) -> str:
    """`label` after its icon, as Streamlit places it."""
    text = icon_text(call, icon)
    return f"{text} {label}" if text else label


def material_in_text(text: str) -> str:
    """Material icons written inside a label or markdown (`":material/home: Home"`) as text."""
    if ":material/" not in text:
        return text
    return MATERIAL.sub(lambda m: material_text(m.group(1)), text)
