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
import re
from typing import Any, Callable, Sequence

from ..core.widgets import INVALID, WidgetSpec
from .widget_call import LABEL_STYLE, WidgetCall, apply_settings


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


def _to_date(call: WidgetCall, name: str, value: Any) -> datetime.date | None:
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
    raise call.fail(f"{name} must be a date, a datetime, 'today', None or an ISO text like "
                    f"'2024-01-31'; got {value!r}")


def _shift_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return _plain_date(day).replace(year=day.year + years)
    except ValueError:  # 29 February
        return _plain_date(day).replace(year=day.year + years, day=28)


# Streamlit's date formats: year, month and day in one of three orders, with one of three
# separators
DATE_FORMATS = tuple(sep.join(order) for order in (("YYYY", "MM", "DD"), ("DD", "MM", "YYYY"),
                                                   ("MM", "DD", "YYYY"))
                     for sep in "/.-")


def _date_format(call: WidgetCall, format: Any) -> str:
    """`format=`: the readout of a date (the text a stored notebook or a headless run shows)
    follows a format the app chose; left at the default, it is the ISO date, as before. The
    live picker is the browser's, which shows dates in the browser's locale."""
    if format not in DATE_FORMATS:
        raise call.fail(f"format must be one of {', '.join(DATE_FORMATS)}, got {format!r}")
    if format == DATE_FORMATS[0]:
        return "%Y-%m-%d"
    return "".join(_STRFTIME.get(part, part) for part in re.split(r"(YYYY|MM|DD)", format))


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
    bind: str | None = None,
    persist_state: str | None = None,
) -> datetime.date | None:
    """A date picker; returns a `datetime.date` (None when `value=None` and nothing is set)."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("date_input", label).checked()
    call.refuse_required(required)
    is_range = isinstance(value, (list, tuple))
    if is_range and len(value) > 2:
        raise call.fail(f"a date range has at most two dates, got {value!r}")
    shown = _date_format(call, format)
    if is_range:
        ends = tuple(_to_date(call, "value", v) for v in value)
        if None in ends:
            raise call.fail(f"a date range holds dates, got {value!r}")
        default: Any = tuple(_plain_date(end) for end in ends)
        if len(default) == 2 and default[0] > default[1]:
            raise call.fail(f"the range {value!r} ends before it starts")
    else:
        default = _to_date(call, "value", value)
    centre = (default[0] if default else None) if is_range else default
    centre = centre or datetime.date.today()
    low = _to_date(call, "min_value", min_value) or _shift_years(centre, -10)
    high = _to_date(call, "max_value", max_value) or _shift_years(centre, 10)
    low, high = _plain_date(low), _plain_date(high)
    if low > high:
        raise call.fail(f"min_value ({low}) is after max_value ({high})")
    for day in (default if is_range else () if default is None else (default,)):
        if not low <= day <= high:
            raise call.fail(f"value {_plain_date(day)} is outside [min_value, "
                            f"max_value] = [{low}, {high}]")
    common = call.layout(label_visibility, help, disabled)
    params = dict(min=low, max=high, **common)
    suffix, layout = call.width(width, "content")

    def fix(current: Any) -> Any:
        return current if current is None else min(max(current, low), high)

    def read(widget: Any, ctx: Any) -> datetime.date | None:
        return None if widget.value is None else _plain_date(widget.value)

    def encode(new: Any) -> datetime.date | None:
        day = _to_date(call, "the value", new)
        if day is not None and not low <= day <= high:
            raise call.fail(f"{_plain_date(day)} is outside [{low}, {high}]")
        return None if day is None else _plain_date(day)

    if is_range:
        return _date_range(call, default, params, layout, suffix, key,
                           call.callback(on_change, args, kwargs), shown, bind,
                           persist_state)
    spec = WidgetSpec(
        kind="date_input" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.DatePicker(value=default, style=LABEL_STYLE,
                                           **params, **layout),
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: "(none)" if w.value is None else _plain_date(w.value).strftime(shown),
        order=("min", "max"), encode=encode,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


def _date_range(call: WidgetCall, default: tuple, params: dict[str, Any], layout: dict[str, Any],
                suffix: str, key: Any, callback: tuple | None, shown: str = "%Y/%m/%d",
                bind: str | None = None, persist: str | None = None) -> tuple:
    """`date_input(value=(start, end))`: a tuple of up to two dates, as Streamlit returns
    while the user has picked none, one or both ends."""
    __tracebackhide__ = True
    low, high = params["min"], params["max"]

    def read(widget: Any, ctx: Any) -> tuple:
        return tuple(_plain_date(day) for day in widget.value)

    def fix(current: Any) -> Any:
        return tuple(min(max(day, low), high) for day in current)

    def encode(new: Any) -> tuple:
        if not isinstance(new, (list, tuple)) or len(new) > 2:
            raise call.fail(f"set a tuple of up to two dates, got {new!r}")
        days = tuple(_to_date(call, "the value", day) for day in new)
        for day in days:
            if day is None or not low <= day <= high:
                raise call.fail(f"{day} is not a date in [{low}, {high}]")
        if len(days) == 2 and days[0] > days[1]:
            raise call.fail(f"the range {new!r} ends before it starts")
        return tuple(_plain_date(day) for day in days)

    def parse(text: str) -> tuple:
        return tuple(datetime.date.fromisoformat(p.strip()) for p in text.split(",") if p.strip())

    spec = WidgetSpec(
        kind="date_input:range" + suffix, label=call.label, key=call.key(key),
        make=lambda: _range_picker_class()(value=default, **params, **layout),
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: " – ".join(day.strftime(shown) for day in read(w, None)) or "(none)",
        order=("min", "max"), encode=encode, parse=parse,
    )
    return call.draw(spec, callback, bind, persist)


_RANGE_PICKER: list[type] = []


def _range_picker_class() -> type:
    """Two date pickers acting as one widget whose `value` is the tuple of the dates set.

    ipywidgets has no range picker; the registry needs one widget with one value, so the
    tuple lives on the box (kernel side only) and follows the pickers both ways."""
    if _RANGE_PICKER:
        return _RANGE_PICKER[0]
    import ipywidgets
    import traitlets

    class DateRangePicker(ipywidgets.HBox):
        value = traitlets.Tuple()
        description = traitlets.Unicode("")
        disabled = traitlets.Bool(False)
        tooltip = traitlets.Unicode(None, allow_none=True)
        min = traitlets.Any(None)
        max = traitlets.Any(None)

        def __init__(self, **kwargs: Any) -> None:
            self._start = ipywidgets.DatePicker(style=LABEL_STYLE)
            self._end = ipywidgets.DatePicker(description="to", style=LABEL_STYLE)
            self._pushing = False
            super().__init__(children=[self._start, self._end])
            self.observe(self._push_options, names=["description", "disabled", "tooltip",
                                                    "min", "max"])
            self.observe(self._push_value, names="value")
            for picker in (self._start, self._end):
                picker.observe(self._pull_value, names="value")
            apply_settings(self, kwargs)
            self._push_value()

        def _push_options(self, change: Any = None) -> None:
            self._start.description = self.description
            self._start.tooltip = self.tooltip
            for picker in (self._start, self._end):
                picker.disabled = self.disabled
                picker.min, picker.max = self.min, self.max

        def _push_value(self, change: Any = None) -> None:
            ends = list(self.value) + [None, None]
            self._pushing = True
            try:
                self._start.value, self._end.value = ends[0], ends[1]
            finally:
                self._pushing = False

        def _pull_value(self, change: Any) -> None:
            if not self._pushing:
                self.value = tuple(day for day in (self._start.value, self._end.value)
                                   if day is not None)

    _RANGE_PICKER.append(DateRangePicker)
    return DateRangePicker


def _plain_time(value: datetime.time) -> datetime.time:
    return datetime.time(value.hour, value.minute, value.second, value.microsecond)


def _to_time(call: WidgetCall, value: Any) -> datetime.time | None:
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
    raise call.fail(f"value must be a time, a datetime, 'now', None or a "
                    f"text like '14:30'; got {value!r}")


def _step_seconds(call: WidgetCall, step: Any) -> int:
    seconds = step.total_seconds() if isinstance(step, datetime.timedelta) else step
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not (
        60 <= seconds <= 23 * 3600
    ):
        raise call.fail(f"step must be from 60 seconds to 23 hours (an int "
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
    bind: str | None = None,
    persist_state: str | None = None,
) -> datetime.time | None:
    """A time picker; returns a `datetime.time` (None when `value=None` and nothing is set)."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("time_input", label).checked()
    call.refuse_required(required)
    if format != "24h":
        raise call.unsupported("format", format,
                               "the browser's time picker shows times in the browser's locale")
    default = _to_time(call, value)
    common = call.layout(label_visibility, help, disabled)
    params = dict(step=_step_seconds(call, step), **common)
    suffix, layout = call.width(width, "content")

    def read(widget: Any, ctx: Any) -> datetime.time | None:
        return None if widget.value is None else _plain_time(widget.value)

    def encode(new: Any) -> datetime.time | None:
        moment = _to_time(call, new)
        return None if moment is None else _plain_time(moment)

    spec = WidgetSpec(
        kind="time_input" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.TimePicker(value=default, style=LABEL_STYLE,
                                           **params, **layout),
        params=params, default=default, read=read,
        snapshot=lambda w: "(none)" if w.value is None else w.value.strftime("%H:%M"),
        encode=encode,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


# --- date and time in one ------------------------------------------------------------------


class _NowMoment(datetime.datetime):
    """The current minute as a default that stays "the same default" as the clock moves."""

    def __eq__(self, other: object) -> bool:
        return type(other) is _NowMoment or datetime.datetime.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = datetime.datetime.__hash__


def _plain_moment(value: datetime.datetime) -> datetime.datetime:
    return datetime.datetime(value.year, value.month, value.day, value.hour, value.minute,
                             value.second, value.microsecond)


def _to_moment(call: WidgetCall, name: str, value: Any) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str) and value == "now":
        now = datetime.datetime.now()
        return _NowMoment(now.year, now.month, now.day, now.hour, now.minute)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise call.fail(f"{name} must be a naive datetime (the browser's picker has no "
                            f"time zone), got {value!r}")
        return _plain_moment(value)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, datetime.time):
        return datetime.datetime.combine(datetime.date.today(), _plain_time(value))
    if isinstance(value, str):
        try:
            return _plain_moment(datetime.datetime.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise call.fail(f"{name} must be a datetime, a date, a time, 'now', None or an ISO text "
                    f"like '2024-01-31 14:30'; got {value!r}")


def datetime_input(
    label: str,
    value: Any = "now",
    min_value: Any = None,
    max_value: Any = None,
    *,
    key: str | int | None = None,
    help: str | None = None,
    on_change: Callable | str | None = None,
    args: Sequence | None = None,
    kwargs: dict | None = None,
    format: str = "YYYY/MM/DD",
    step: int | datetime.timedelta = datetime.timedelta(minutes=15),
    disabled: bool = False,
    required: bool = False,
    label_visibility: str = "visible",
    width: Any = "stretch",
    bind: str | None = None,
    persist_state: str | None = None,
) -> datetime.datetime | None:
    """A date and time picker; returns a naive `datetime.datetime` (None when `value=None`
    and nothing is set)."""
    __tracebackhide__ = True
    import ipywidgets

    call = WidgetCall("datetime_input", label).checked()
    call.refuse_required(required)
    shown = _date_format(call, format) + " %H:%M"
    if _step_seconds(call, step) != 900:
        raise call.unsupported("step", step, "the browser's picker sets any minute")
    default = _to_moment(call, "value", value)
    centre = default or datetime.datetime.now()
    low = _to_moment(call, "min_value", min_value) or datetime.datetime.combine(
        _shift_years(centre.date(), -10), datetime.time())
    high = _to_moment(call, "max_value", max_value) or datetime.datetime.combine(
        _shift_years(centre.date(), 10), datetime.time(23, 59))
    low, high = _plain_moment(low), _plain_moment(high)
    if low > high:
        raise call.fail(f"min_value ({low}) is after max_value ({high})")
    if default is not None and not low <= default <= high:
        raise call.fail(f"value {_plain_moment(default)} is outside [min_value, max_value] = "
                        f"[{low}, {high}]")
    common = call.layout(label_visibility, help, disabled)
    params = dict(min=low, max=high, **common)
    suffix, layout = call.width(width, "content")

    def fix(current: Any) -> Any:
        return current if current is None else min(max(current, low), high)

    def read(widget: Any, ctx: Any) -> datetime.datetime | None:
        return None if widget.value is None else _plain_moment(widget.value)

    def encode(new: Any) -> datetime.datetime | None:
        moment = _to_moment(call, "the value", new)
        if moment is not None and not low <= moment <= high:
            raise call.fail(f"{_plain_moment(moment)} is outside [{low}, {high}]")
        return None if moment is None else _plain_moment(moment)

    spec = WidgetSpec(
        kind="datetime_input" + suffix, label=label, key=call.key(key),
        make=lambda: ipywidgets.NaiveDatetimePicker(value=default, style=LABEL_STYLE,
                                                    **params, **layout),
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: "(none)" if w.value is None else w.value.strftime(shown),
        order=("min", "max"), encode=encode,
    )
    return call.use(spec, on_change, args, kwargs, bind=bind, persist=persist_state)


# --- sliders over dates and times ----------------------------------------------------------

MAX_SLIDER_STEPS = 10_000
_MOMENT = re.compile(r"YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|ss|A|a|\[[^\]]*\]")
_STRFTIME = {"YYYY": "%Y", "YY": "%y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m",
             "DD": "%d", "D": "%-d", "dddd": "%A", "ddd": "%a", "HH": "%H", "H": "%-H",
             "hh": "%I", "h": "%-I", "mm": "%M", "ss": "%S", "A": "%p", "a": "%p"}
_SLIDER_FORMATS = {"date": "YYYY-MM-DD", "datetime": "YYYY-MM-DD", "time": "HH:mm"}
_ANY_DAY = datetime.date(2000, 1, 1)


def is_temporal(*values: Any) -> bool:
    """Whether a slider's arguments are dates or times rather than numbers."""
    flat = [v for value in values
            for v in (value if isinstance(value, (list, tuple)) else (value,))]
    return any(isinstance(v, (datetime.date, datetime.time)) for v in flat)


def _moment_to_strftime(fmt: str) -> str:
    """Streamlit's slider formats are moment.js patterns ("MM/DD/YY - hh:mm")."""
    def token(match: re.Match) -> str:
        text = match.group(0)
        return text[1:-1].replace("%", "%%") if text.startswith("[") else _STRFTIME[text]

    pieces, last = [], 0
    for match in _MOMENT.finditer(fmt):
        pieces.append(fmt[last:match.start()].replace("%", "%%"))
        pieces.append(token(match))
        last = match.end()
    pieces.append(fmt[last:].replace("%", "%%"))
    return "".join(pieces)


def _slider_kind(call: WidgetCall, values: dict[str, Any]) -> str:
    kinds = set()
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime.datetime):
            kinds.add("datetime")
        elif isinstance(value, datetime.date):
            kinds.add("date")
        elif isinstance(value, datetime.time):
            kinds.add("time")
        else:
            raise call.fail(f"{name} must be a {' or '.join(sorted(kinds)) or 'date'}"
                            f" like the other arguments, got {type(value).__name__} ({value!r})")
    if len(kinds) > 1:
        raise call.fail("all arguments must be of one type (date, time or datetime); got "
                        + ", ".join(f"{k}={v!r}" for k, v in values.items() if v is not None))
    return kinds.pop()


def temporal_slider(call: WidgetCall, min_value: Any, max_value: Any, value: Any, step: Any,
                    format: str | None, key: Any, help: str | None, on_change: Any, args: Any,
                    kwargs: Any, *, disabled: bool, label_visibility: str) -> Any:
    """`rk.slider` over dates, times or datetimes, with Streamlit's defaults (a window of
    14 days either side of the value; the whole day for times; steps of a day or 15
    minutes). A selection slider over the steps: the browser shows each step formatted,
    the script gets the value in its own type."""
    __tracebackhide__ = True
    import ipywidgets

    is_range = isinstance(value, (list, tuple))
    ends = list(value) if is_range else [value]
    if len(ends) > 2:
        raise call.fail(f"a range value must have up to two items, got {value!r}")
    names = {"min_value": min_value, "max_value": max_value}
    names.update({f"value[{i}]" if is_range else "value": v for i, v in enumerate(ends)})
    kind = _slider_kind(call, names)
    as_moment = (lambda t: datetime.datetime.combine(_ANY_DAY, t)) if kind == "time" else (
        lambda d: d if kind == "datetime" else datetime.datetime.combine(d, datetime.time()))
    back = (lambda m: m.time()) if kind == "time" else (
        lambda m: m if kind == "datetime" else m.date())
    given = [as_moment(v) for v in ends if v is not None]
    anchor = given[0] if given else as_moment(min_value if min_value is not None else max_value)
    if kind == "time":
        lo, hi = datetime.datetime.combine(_ANY_DAY, datetime.time.min), \
            datetime.datetime.combine(_ANY_DAY, datetime.time(23, 59))
    else:
        lo, hi = anchor - datetime.timedelta(days=14), anchor + datetime.timedelta(days=14)
    lo = as_moment(min_value) if min_value is not None else lo
    hi = as_moment(max_value) if max_value is not None else hi
    if lo > hi:
        lo, hi = hi, lo
    if step is None:
        step = datetime.timedelta(minutes=15) if kind == "time" or hi - lo < \
            datetime.timedelta(days=1) else datetime.timedelta(days=1)
    if not isinstance(step, datetime.timedelta) or step <= datetime.timedelta(0):
        raise call.fail(f"step must be a positive timedelta, got {step!r}")
    if is_range and len(given) == 2 and given[0] > given[1]:
        given.reverse()
    lo, hi = min([lo, *given]), max([hi, *given])
    count = (hi - lo) // step + 1
    if count > MAX_SLIDER_STEPS:
        raise call.fail(f"{count:,} steps of {step} from {back(lo)} to {back(hi)} "
                        f"are too many for a slider (at most {MAX_SLIDER_STEPS:,}): give a larger "
                        "step or a narrower range")
    moments = sorted({lo + i * step for i in range(count)} | {hi, *given})
    strftime = _moment_to_strftime(format or _SLIDER_FORMATS[kind])
    labels = [m.strftime(strftime) for m in moments]
    position = {m: i for i, m in enumerate(moments)}
    if is_range:
        default: Any = tuple(position[m] for m in given) if len(given) == 2 else (
            (position[given[0]], len(moments) - 1) if given else (0, len(moments) - 1))
    else:
        default = position[given[0]] if given else 0
    common = call.layout(label_visibility, help, disabled)
    params = dict(options=tuple(zip(labels, range(len(moments)), strict=True)), **common)
    cls = ipywidgets.SelectionRangeSlider if is_range else ipywidgets.SelectionSlider

    def read(widget: Any, ctx: Any) -> Any:
        if is_range:
            return tuple(back(moments[i]) for i in widget.value)
        return back(moments[widget.value])

    def fix(current: Any) -> Any:
        inside = all(0 <= i < len(moments) for i in (current if is_range else (current,)))
        return current if inside else INVALID

    def encode(new: Any) -> Any:
        wanted = list(new) if is_range and isinstance(new, (list, tuple)) else [new]
        if len(wanted) != (2 if is_range else 1):
            raise call.fail(f"set {'a pair of' if is_range else 'a'} {kind}, "
                            f"got {new!r}")
        found = []
        for one in wanted:
            if isinstance(one, str):
                one = _parse_moment(kind, one)
            try:
                found.append(position[as_moment(one)])
            except (KeyError, TypeError, AttributeError):
                raise call.fail(f"{one!r} is not one of the slider's steps, "
                                f"from {back(lo)} to {back(hi)} by {step}") from None
        return tuple(found) if is_range else found[0]

    def parse(text: str) -> Any:
        parts = [p.strip() for p in text.split(",")] if is_range else [text.strip()]
        moments_given = [_parse_moment(kind, p) for p in parts]
        return tuple(moments_given) if is_range else moments_given[0]

    spec = WidgetSpec(
        kind=f"slider:{kind}{':range' if is_range else ''}", label=call.label,
        key=call.key(key),
        make=lambda: cls(value=default, continuous_update=True, style=LABEL_STYLE, **params),
        params=params, default=default, read=read, fix=fix,
        snapshot=lambda w: str(read(w, None)), encode=encode, parse=parse,
    )
    return call.use(spec, on_change, args, kwargs)


def _parse_moment(kind: str, text: str) -> Any:
    parser = {"date": datetime.date, "datetime": datetime.datetime,
              "time": datetime.time}[kind].fromisoformat
    try:
        return parser(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO {kind}") from None
