"""Durations written as text ('1d', '2h30m', '90s'), as Streamlit accepts them.

A neutral module: both the cache (`ttl="1h"`) and elements (media start and end times) read
these, and neither package should import the other for it.
"""

from __future__ import annotations

import re

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|us|w|d|h|m|s)?", re.IGNORECASE)
_UNITS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3,
          "us": 1e-6}
_UNIT_WORDS = {"weeks": "w", "week": "w", "days": "d", "day": "d", "hours": "h", "hour": "h",
               "hr": "h", "minutes": "m", "minute": "m", "min": "m", "mins": "m",
               "seconds": "s", "second": "s", "sec": "s", "secs": "s"}


def parse_duration(text: str) -> float:
    """Seconds in a text such as '1d', '2h30m', '90s' or '1.5 hours' (Streamlit's ttl texts)."""
    words = re.sub(r"[a-zA-Z]+", lambda m: _UNIT_WORDS.get(m.group().lower(), m.group()),
                   text.strip())
    compact = words.replace(" ", "")
    total, end = 0.0, 0
    for match in _DURATION.finditer(compact):
        if match.start() != end or not match.group(0):
            break
        total += float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
        end = match.end()
    if end != len(compact) or not compact:
        raise ValueError(f"{text!r} is not a duration like '1d', '2h30m' or '90s'")
    return total
