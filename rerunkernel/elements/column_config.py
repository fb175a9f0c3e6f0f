"""`rk.column_config`: how `dataframe` and `data_editor` show each column.

Each function returns a plain dict, as Streamlit's do, so configs can be built, stored and
compared like data. What a static table can show is honoured when the table is drawn
(`apply`): a column's label, hiding it (`None` or `hidden=True`), number and progress
formats (printf-style, or Streamlit's names such as "dollar" and "percent") and date
formats. Interactive parts (editing, widths, help tooltips, pinning) belong to Streamlit's
data grid; they are kept in the dict and do not change the static table.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Iterable

__all__ = [
    "AreaChartColumn", "AudioColumn", "BarChartColumn", "ButtonColumn", "CheckboxColumn",
    "Column", "DateColumn", "DatetimeColumn", "ImageColumn", "JSONColumn", "JsonColumn",
    "LineChartColumn", "LinkColumn", "ListColumn", "MarkdownColumn", "MultiselectColumn",
    "NumberColumn", "ProgressColumn", "SelectboxColumn", "TextColumn", "TimeColumn",
    "VideoColumn",
]


def _config(kind: str | None, label: str | None, params: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {"label": label, **{k: v for k, v in params.items()
                                                 if v is not None}}
    if kind is not None:
        config["type_config"] = {"type": kind}
    return config


def Column(label: str | None = None, **params: Any) -> dict[str, Any]:  # noqa: N802
    return _config(None, label, params)


def _maker(kind: str):
    def column(label: str | None = None, **params: Any) -> dict[str, Any]:
        return _config(kind, label, params)

    column.__name__ = column.__qualname__ = "".join(p.title() for p in kind.split("_")) + \
        "Column"
    column.__doc__ = f"A {kind} column: its label and options, as a dict."
    return column


TextColumn = _maker("text")
NumberColumn = _maker("number")
CheckboxColumn = _maker("checkbox")
SelectboxColumn = _maker("selectbox")
DatetimeColumn = _maker("datetime")
DateColumn = _maker("date")
TimeColumn = _maker("time")
ListColumn = _maker("list")
LinkColumn = _maker("link")
ImageColumn = _maker("image")
LineChartColumn = _maker("line_chart")
BarChartColumn = _maker("bar_chart")
AreaChartColumn = _maker("area_chart")
ProgressColumn = _maker("progress")
MultiselectColumn = _maker("multiselect")
JSONColumn = _maker("json")
JsonColumn = JSONColumn  # Streamlit's newer spelling
MarkdownColumn = _maker("markdown")
AudioColumn = _maker("audio")
VideoColumn = _maker("video")
# a button in each row: its text shows; a click in a static table never reaches the kernel
# (as a selection doesn't, see selection.py), so `on_click` is not called
ButtonColumn = _maker("button")

NAMED_FORMATS = {
    "plain": "{:g}", "localized": "{:,}", "dollar": "${:,.2f}", "euro": "€{:,.2f}",
    "yen": "¥{:,.0f}", "percent": "{:.2%}", "scientific": "{:.2e}", "engineering": "{:.3e}",
    "accounting": "{:,.2f}", "compact": "{:,.3g}",
}
_PRINTF = re.compile(r"%([-+ 0#,]*)(\d*)(?:\.(\d+))?([dieEfFgGs%])")


def format_number(value: Any, fmt: str) -> str:
    """One value in Streamlit's number format (printf-style or a named format)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt in NAMED_FORMATS:
        return NAMED_FORMATS[fmt].format(value)

    def one(match: re.Match) -> str:
        flags, width, precision, conv = match.groups()
        if conv == "%":
            return "%"
        spec = flags.replace("#", "") + width + (f".{precision}" if precision else "")
        if conv == "i":
            conv = "d"
        number = int(round(value)) if conv == "d" else value
        return format(number, spec + ("" if conv == "s" else conv))

    return _PRINTF.sub(one, fmt)


def _date_format(value: Any, fmt: str) -> str:
    """Streamlit's moment.js date formats, for the common tokens."""
    if not isinstance(value, (dt.date, dt.time)):
        return "" if value is None else str(value)
    tokens = {"YYYY": "%Y", "YY": "%y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "DD": "%d",
              "dddd": "%A", "ddd": "%a", "HH": "%H", "hh": "%I", "mm": "%M", "ss": "%S",
              "A": "%p"}
    pattern = re.compile("|".join(sorted(map(re.escape, tokens), key=len, reverse=True)))
    return value.strftime(pattern.sub(lambda m: tokens[m.group()], fmt))


def _check(config: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(config, dict):
        raise TypeError(f"column_config must be a dict of column name to a label, None or a "
                        f"rk.column_config.*Column(...), got {type(config).__name__}")
    checked = {}
    for name, value in config.items():
        if value is None:
            value = {"hidden": True}
        elif isinstance(value, str):
            value = {"label": value}
        elif not isinstance(value, dict):
            raise TypeError(f"column_config[{name!r}]: expected a label, None or a "
                            f"rk.column_config.*Column(...), got {type(value).__name__}")
        checked[str(name)] = value
    return checked


def apply(frame: Any, config: Any, order: Iterable[str] | None = None) -> Any:
    """The frame as the table shows it: columns in `order`, hidden, relabelled and formatted.

    `order` (Streamlit's `column_order`) names columns as the data does, so it is applied
    before a column gets its label."""
    configs = _check(config)
    shown = frame[list(order)] if order is not None else frame.copy()
    renames = {}
    for column in list(shown.columns):
        settings = configs.get(str(column))
        if settings is None:
            continue
        if settings.get("hidden"):
            shown = shown.drop(columns=[column])
            continue
        kind = (settings.get("type_config") or {}).get("type")
        fmt = settings.get("format")
        if fmt and kind in ("number", "progress"):
            shown[column] = [format_number(v, fmt) for v in shown[column]]
        elif fmt and kind in ("date", "datetime", "time"):
            shown[column] = [_date_format(getattr(v, "to_pydatetime", lambda v=v: v)(), fmt)
                             for v in shown[column]]
        elif kind == "checkbox":
            shown[column] = ["✔" if v else "" for v in shown[column]]
        if settings.get("label"):
            renames[column] = settings["label"]
    index = configs.get("_index")
    if index is not None and index.get("label"):
        shown.index = shown.index.rename(index["label"])
    return shown.rename(columns=renames)
