"""Date and time widgets: `date_input` and `time_input` (the browser's own pickers).

Their defaults, "today" and "now", are moments that move. The registry resets a widget
whose default changed since the last run (the script asked for another value), so a
default compared by value would throw away the user's choice every minute. "now" and
"today" are therefore values that compare equal to any other "now" or "today": the
registry sees the same default, the widget keeps the user's value, and what the script
reads back is a plain `datetime.time` or `datetime.date`.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Sequence

from ..widgets import WidgetSpec
from .inputs import (
    LABEL_STYLE,
    _callback,
    _check_key,
    _check_label,
    _fail,
    _layout_kwargs,
    _refuse_required,
    _use,
    _width_layout,
)
from .params import unsupported


class _Today(datetime.date):
    """Today's date as a default that stays "the same default" across midnight."""

    def __eq__(self, other: object) -> bool:
        return type(other) is _Today or datetime.date.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = datetime.date.__hash__


class _Now(datetime.time):
    """The current time as a default that stays "the same default" as the clock moves."""

    def __eq__(self, other: object) -> bool:
        return type(other) is _Now or datetime.time.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = datetime.time.__hash__


def _plain_date(value: datetime.date) -> datetime.date:
    return datetime.date(value.year, value.month, value.day)


def _to_date(widget: str, label: str, name: str, value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, str) and value == "today":
        today = datetime.date.today()
        return _Today(today.year, today.month, today.day)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return _plain_date(value)
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise _fail(widget, label, f"{name} must be a date, a datetime, 'today', None or an ISO "
                f"text like '2024-01-31'; got {value!r}")


def _shift_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return _plain_date(day).replace(year=day.year + years)
    except ValueError:  # 29 February
        return _plain_date(day).replace(year=day.year + years, day=28)


def date_input(
    label: str,
    value: Any = "today",
    min_value: Any = None,
    max_value: Any = None,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    format: str = "YYYY/MM/DD",
    disabled: bool = False,
    required: bool = False,
    label_visibility: str = "visible",
    width: Any = "stretch",
) -> datetime.date | None:
    """A date picker; returns a `datetime.date` (None when `value=None` and nothing is set)."""
    __tracebackhide__ = True
    import ipywidgets

    label = _check_label("date_input", label)
    _refuse_required("date_input", required)
    if isinstance(value, (list, tuple)):
        raise unsupported("date_input", "value", value, "date ranges need two date_input "
                          "calls, one for each end")
    if format != "YYYY/MM/DD":
        raise unsupported("date_input", "format", format,
                          "the browser's date picker shows dates in the browser's locale")
    default = _to_date("date_input", label, "value", value)
    centre = default or datetime.date.today()
    low = _to_date("date_input", label, "min_value", min_value) or _shift_years(centre, -10)
    high = _to_date("date_input", label, "max_value", max_value) or _shift_years(centre, 10)
    low, high = _plain_date(low), _plain_date(high)
    if low > high:
        raise _fail("date_input", label, f"min_value ({low}) is after max_value ({high})")
    if default is not None and not low <= default <= high:
        raise _fail("date_input", label, f"value {_plain_date(default)} is outside [min_value, "
                    f"max_value] = [{low}, {high}]")
    common = _layout_kwargs(label, label_visibility, help, disabled, "date_input")
    params = dict(min=low, max=high, **common)
    suffix, layout = _width_layout("date_input", width, "content")

    def fix(current: Any) -> Any:
        return current if current is None else min(max(current, low), high)

    def read(widget: Any, ctx: Any) -> datetime.date | None:
        return None if widget.value is None else _plain_date(widget.value)

    def encode(new: Any) -> datetime.date | None:
        day = _to_date("date_input", label, "the value", new)
        if day is not None and not low <= day <= high:
            raise _fail("date_input", label, f"{_plain_date(day)} is outside [{low}, {high}]")
        return None if day is None else _plain_date(day)

    spec = WidgetSpec(
        kind="date_input" + suffix, label=label, key=_check_key("date_input", label, key),
        make=lambda: ipywidgets.DatePicker(value=default, style=LABEL_STYLE,
                                           **params, **layout),
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: "(none)" if w.value is None else _plain_date(w.value).isoformat(),
        order=("min", "max"), encode=encode,
    )
    return _use(spec, _callback("date_input", label, on_change, args, kwargs))


def _plain_time(value: datetime.time) -> datetime.time:
    return datetime.time(value.hour, value.minute, value.second, value.microsecond)


def _to_time(label: str, value: Any) -> datetime.time | None:
    if value is None:
        return None
    if isinstance(value, str) and value == "now":
        now = datetime.datetime.now()
        return _Now(now.hour, now.minute)
    if isinstance(value, datetime.datetime):
        return value.time().replace(tzinfo=None)
    if isinstance(value, datetime.time):
        return _plain_time(value)
    if isinstance(value, str):
        try:
            return datetime.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail("time_input", label, f"value must be a time, a datetime, 'now', None or a "
                f"text like '14:30'; got {value!r}")


def _step_seconds(label: str, step: Any) -> int:
    seconds = step.total_seconds() if isinstance(step, datetime.timedelta) else step
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not (
        60 <= seconds <= 23 * 3600
    ):
        raise _fail("time_input", label, f"step must be from 60 seconds to 23 hours (an int "
                    f"of seconds or a timedelta), got {step!r}")
    return int(seconds)


def time_input(
    label: str,
    value: Any = "now",
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    *,
    disabled: bool = False,
    required: bool = False,
    label_visibility: str = "visible",
    step: int | datetime.timedelta = datetime.timedelta(minutes=15),
    format: str = "24h",
    width: Any = "stretch",
) -> datetime.time | None:
    """A time picker; returns a `datetime.time` (None when `value=None` and nothing is set)."""
    __tracebackhide__ = True
    import ipywidgets

    label = _check_label("time_input", label)
    _refuse_required("time_input", required)
    if format != "24h":
        raise unsupported("time_input", "format", format,
                          "the browser's time picker shows times in the browser's locale")
    default = _to_time(label, value)
    common = _layout_kwargs(label, label_visibility, help, disabled, "time_input")
    params = dict(step=_step_seconds(label, step), **common)
    suffix, layout = _width_layout("time_input", width, "content")

    def read(widget: Any, ctx: Any) -> datetime.time | None:
        return None if widget.value is None else _plain_time(widget.value)

    def encode(new: Any) -> datetime.time | None:
        moment = _to_time(label, new)
        return None if moment is None else _plain_time(moment)

    spec = WidgetSpec(
        kind="time_input" + suffix, label=label, key=_check_key("time_input", label, key),
        make=lambda: ipywidgets.TimePicker(value=default, style=LABEL_STYLE,
                                           **params, **layout),
        params=params, default=default, read=read,
        snapshot=lambda w: "(none)" if w.value is None else w.value.strftime("%H:%M"),
        encode=encode,
    )
    return _use(spec, _callback("time_input", label, on_change, args, kwargs))
