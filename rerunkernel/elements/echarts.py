"""`echarts_chart`: an Apache ECharts chart, drawn by ECharts itself in the page.

The chart is a widget whose front-end is an ES module carried by anywidget (echarts.js), as
the v2 components are, so it draws in JupyterLab, Notebook 7, Voila and VS Code with or
without our extension. The module calls ECharts' `setOption` with the option the script
gave, turned into JSON here, where what can't be drawn is refused with its reason (as
Streamlit refuses it): JavaScript callbacks, `custom` series, maps and geo charts, and the
series of extensions that aren't bundled.

ECharts itself (about 1 MB) comes from npm's `echarts`, copied into the package by the
build (pyproject.toml), never from a CDN: JupyterLab may be offline. It travels to the page
once per kernel, in one model-only widget every chart names (`library`), rather than in each
chart's module (docs/ARCHITECTURE.md, "Elements").

Each chart is a registry widget, found again by key or call order, so a rerun with a new
option updates the drawn chart (ECharts animates the change) instead of drawing a new one.
With `on_select`, the page sends the chart's selection (points of series with
`selectedMode`, brushed areas) as the widget's value, which reruns the script; the call
returns it shaped as Streamlit's EChartsState.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import numbers
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..core import runtime
from ..core.element import Element
from ..core.widgets import WidgetSpec
from . import page_library
from .selection import Selection, selecting
from .widget_call import WIDGET_VIEW_MIME, CachedWidgetError

KIND = "echarts_chart"
ECHARTS = page_library.PageLibrary(
    name="ECharts",
    # written by `jlpm build:echarts` in jupyterlab-ext/ (part of its build and of `pip install`)
    file=Path(__file__).with_name("echarts.esm.min.js"),
    needed_by="rk.echarts_chart()",
    how="It comes from npm's `echarts` through the JupyterLab extension's build: in a checkout "
        "run `make setup` (or `cd jupyterlab-ext && jlpm install && jlpm build:echarts`); "
        "installed packages carry it",
    version=re.compile(r'\bversion:"([\w.\-]+)"'),
)
# an option has no size of its own: Streamlit's sizes for "content"
CONTENT_WIDTH, CONTENT_HEIGHT = 700, 350
# pyecharts sets these when the author chose no size; they don't count as a choice
_PYECHARTS_SIZES = {"width": "900px", "height": "500px"}

# the ECharts GL extension's series and components: not bundled, they would draw nothing
GL_SERIES = frozenset({"bar3D", "flowGL", "globe", "graphGL", "line3D", "lines3D", "linesGL",
                       "map3D", "polygons3D", "scatter3D", "scatterGL", "surface"})
GL_COMPONENTS = frozenset({"geo3D", "globe", "grid3D", "mapbox3D", "maptalks3D"})
EXTENSION_SERIES = {"liquidFill": "echarts-liquidfill", "wordCloud": "echarts-wordcloud"}
_JS_FUNCTION = re.compile(r"\bfunction\s*\(")
_JSCODE = "--x_x--"  # how pyecharts' JsCode wraps JavaScript in a string

EMPTY: dict[str, Any] = {"selection": {"selected": [], "areas": []}}


class EChartsSpecError(ValueError):
    """An option ECharts can't draw from Python, with the reason."""


def _fail(message: str) -> EChartsSpecError:
    return EChartsSpecError(f"rk.echarts_chart(): {message}")


def echarts_chart(spec: Any, *, width: Any = "stretch", height: Any = "content",
                  theme: str | None = "streamlit", key: str | int | None = None,
                  on_select: Any = "ignore", renderer: str = "canvas",
                  alt: str | None = None) -> Selection | None:
    """An Apache ECharts chart of `spec`: an option dict, its JSON text, or a pyecharts chart.

    A dataframe as `dataset.source` goes as rows under a header of its column names. With
    `on_select` ('rerun' or a callback) it returns the selection, as Streamlit's
    EChartsState (`event.selection.selected`, `event.selection.areas`)."""
    __tracebackhide__ = True
    selects = selecting(KIND, on_select)
    if theme not in ("streamlit", None):
        raise ValueError(f"rk.echarts_chart(theme={theme!r}): must be 'streamlit' or None")
    if renderer not in ("canvas", "svg"):
        raise ValueError(f"rk.echarts_chart(renderer={renderer!r}): must be 'canvas' or "
                         "'svg'")
    if key is not None and (not isinstance(key, (str, int)) or isinstance(key, bool)):
        raise ValueError(f"rk.echarts_chart(key={key!r}): must be a str or an int")
    width = _size("width", width, ("stretch", "content"))
    height = _size("height", height, ("content", "stretch"))
    width = _content_size(spec, "width", width, "content", CONTENT_WIDTH)
    height = _content_size(spec, "height", height, "content", CONTENT_HEIGHT)
    if alt is not None and not isinstance(alt, str):
        raise ValueError(f"rk.echarts_chart(alt={alt!r}): must be a str or None")
    alt = alt.strip() if alt and alt.strip() else None
    option = normalize(spec)
    _accessible(option, alt, selects)
    fast_defaults(option, selects)
    text = serialize(option)

    ctx = runtime.active()
    if ctx is None:
        return _state(EMPTY) if selects else None
    ctx.checkpoint()
    if ctx.in_cached_call:
        raise CachedWidgetError(
            "rk.echarts_chart() was called inside a cached function. Charts are widgets "
            "here and can't be cached: cache the option's data instead and draw the chart "
            "outside the function.")
    params = {"option": text, "theme": theme or "", "renderer": renderer, "width": width,
              "height": height, "alt": alt or "", "selection_activated": selects}
    # Streamlit's identity: a chart without a key that selects is a new chart (a cleared
    # selection) when anything about it changes; a keyed one keeps its selection
    label = None
    if selects and key is None:
        label = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    spec_ = WidgetSpec(
        kind=f"{KIND}:select" if selects else KIND, label=label,  # type: ignore[arg-type]
        key=None if key is None else str(key),
        make=lambda: chart_widget()(library=ECHARTS.widget().model_id, value=dict(EMPTY),
                                    **params),
        params=params, default=EMPTY, read=lambda widget, ctx: _state(widget.value),
        value_trait="value" if selects else "",
        encode=lambda state: json.loads(json.dumps(state)), parse=json.loads,
    )
    registry = ctx.session.widgets
    widget = registry.bind(ctx, spec_)
    if selects:
        registry.set_callback(widget.model_id, (on_select, (), {}) if callable(on_select)
                              else None)
    ctx.draw(Element(kind=KIND, data={"text/plain": describe(option, alt), WIDGET_VIEW_MIME: {
        "version_major": 2, "version_minor": 0, "model_id": widget.model_id}},
        value=widget, identity=("widget", widget.model_id), label=label, key=spec_.key,
        spec=spec_))
    return registry.read(widget, ctx) if selects else None


def _state(value: Any) -> Selection:
    """The widget's value as Streamlit's EChartsState: `event.selection.selected`."""
    chosen = (value or {}).get("selection") or {}
    return Selection(selection=Selection(selected=list(chosen.get("selected") or []),
                                         areas=list(chosen.get("areas") or [])))


def _size(parameter: str, value: Any, words: tuple[str, ...]) -> Any:
    if isinstance(value, str) and value in words:
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0:
        return int(value)
    raise ValueError(f"rk.echarts_chart({parameter}={value!r}): must be "
                     f"{' or '.join(map(repr, words))} or a positive number of pixels")


def _content_size(spec: Any, parameter: str, value: Any, content: str, default: int) -> Any:
    """'content': a pyecharts chart's own size (`InitOpts`) if its author chose one, else
    Streamlit's default; '100%' is 'stretch'."""
    if value != content:
        return value
    own = getattr(spec, parameter, None) if callable(getattr(spec, "dump_options", None)) \
        else None
    if isinstance(own, numbers.Real) and not isinstance(own, bool) and own > 0:
        return int(own)
    if isinstance(own, str) and own.strip() != _PYECHARTS_SIZES[parameter]:
        own = own.strip()
        if own == "100%":
            return "stretch"
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*px", own)
        if match and float(match.group(1)) >= 1:
            return int(float(match.group(1)))
    return default


# --- the option ------------------------------------------------------------------------------

def normalize(spec: Any) -> dict[str, Any]:
    """The option as a dict of JSON values (the caller's own objects left untouched): from a
    dict, JSON text or a pyecharts chart; refused with its reason if ECharts can't draw it."""
    if isinstance(spec, str):
        option = _loads(spec)
    elif isinstance(spec, Mapping):
        option = _copy(dict(spec))
    elif callable(getattr(spec, "dump_options", None)):
        option = _loads(spec.dump_options())
    else:
        raise TypeError(f"rk.echarts_chart(spec=...): expected an ECharts option (a dict), its "
                        f"JSON text or a pyecharts chart, got {type(spec).__name__}")
    if not isinstance(option, dict):
        raise TypeError(f"rk.echarts_chart(spec=...): an ECharts option is a JSON object (a "
                        f"dict), got {type(option).__name__}")
    check_supported(option)
    for variant in variants(option):
        datasets = variant.get("dataset")
        for dataset in [datasets] if isinstance(datasets, dict) else _list(datasets, "dataset"):
            if isinstance(dataset, dict) and _is_frame(dataset.get("source")):
                dataset["source"] = rows(dataset["source"])
                dataset.setdefault("sourceHeader", True)
    return option


def _callbacks_error() -> EChartsSpecError:
    return _fail("the option holds JavaScript callbacks (`function` values or pyecharts' "
                 "JsCode), which can't come from Python: only JSON values can. Use ECharts' "
                 "string templates instead (\"formatter\": \"{b}: {c}\")")


def _loads(text: str) -> Any:
    try:
        option = json.loads(text)
    except ValueError as error:
        rest = text[getattr(error, "pos", 0):]
        if _JS_FUNCTION.search(rest) or "=>" in rest:
            raise _callbacks_error() from None
        raise _fail(f"the option is not valid JSON ({error}); only JSON option objects "
                    "can be drawn") from None
    if _has_jscode(option):
        raise _callbacks_error()
    return option


def _has_jscode(value: Any) -> bool:
    if isinstance(value, str):
        value = value.strip()
        return value.startswith(_JSCODE) and value.endswith(_JSCODE) and \
            len(value) > 2 * len(_JSCODE)
    if isinstance(value, dict):
        return any(_has_jscode(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_jscode(item) for item in value)
    return False


def _copy(value: Any) -> Any:
    """Dicts and lists copied (we add to them), frames and plain lists of values shared."""
    if isinstance(value, Mapping) and not _is_frame(value):
        return {k: v if k == "source" and _is_frame(v) else _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and any(isinstance(v, Mapping) for v in value):
        return [_copy(v) for v in value]
    return value


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise _fail(f"`{name}` must be a list, got {type(value).__name__}")
    return list(value)


def variants(option: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The option and the options inside it: a timeline's `baseOption` and `options`, and
    each `media[].option`."""
    yield from _with_media(option)
    base = option.get("baseOption")
    if isinstance(base, dict):
        yield from _with_media(base)
    for tick in _list(option.get("options"), "options"):
        if isinstance(tick, dict):
            yield from _with_media(tick)


def _with_media(option: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield option
    for entry in _list(option.get("media"), "media"):
        if isinstance(entry, dict) and isinstance(entry.get("option"), dict):
            yield entry["option"]


def _entries(value: Any) -> list[dict[str, Any]]:
    items = [value] if isinstance(value, dict) else value if isinstance(value, (list, tuple)) \
        else []
    return [item for item in items if isinstance(item, dict)]


def series(option: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for variant in variants(option):
        yield from _entries(variant.get("series"))


def check_supported(option: dict[str, Any]) -> None:
    """Refuse, naming why, what ECharts would draw empty or fail on in the page."""
    for variant in variants(option):
        gl = sorted(GL_COMPONENTS & variant.keys())
        if gl:
            raise _fail(f"the `{gl[0]}` component needs the ECharts GL extension, which isn't "
                        "bundled: 3D and WebGL charts can't be drawn")
    geo = any("geo" in variant for variant in variants(option))
    for one in series(option):
        kind = one.get("type")
        if kind in GL_SERIES:
            raise _fail(f"the `{kind}` series needs the ECharts GL extension, which isn't "
                        "bundled: 3D and WebGL charts can't be drawn")
        if isinstance(kind, str) and kind in EXTENSION_SERIES:
            raise _fail(f"the `{kind}` series needs the `{EXTENSION_SERIES[kind]}` extension; "
                        "only core ECharts is bundled, so the chart would be empty")
        if kind == "custom":
            raise _fail("a `custom` series needs a JavaScript `renderItem` callback, which "
                        "can't come from Python: only JSON option objects can be drawn")
        geo = geo or kind == "map" or one.get("coordinateSystem") == "geo"
    if geo:
        raise _fail("map and geo charts need GeoJSON map data registered in the page, which "
                    "can't be done from an option: they aren't supported")


def _accessible(option: dict[str, Any], alt: str | None, selects: bool) -> None:
    """Streamlit's defaults: ECharts' screen-reader description on (`alt`, if given, is its
    name), and a chart that selects nothing doesn't look clickable."""
    aria = option.get("aria")
    if alt is not None:
        aria = dict(aria) if isinstance(aria, dict) else {}
        label = aria.get("label")
        aria["label"] = dict(label if isinstance(label, dict) else {}, description=alt)
        aria["enabled"] = True
        option["aria"] = aria
    elif aria is None:
        option["aria"] = {"enabled": True}
    if not selects:
        for one in _entries(option.get("series")):
            one.setdefault("cursor", "default")


# more items than this draw as a few batched paths (`large`) or a line without symbols
LARGE = {"scatter": 20_000, "bar": 2_000}
MANY_POINTS = 2_000


def fast_defaults(option: dict[str, Any], selects: bool) -> None:
    """Streamlit's defaults that keep big charts fast, where the option doesn't set them:
    `large` on a scatter or bar series with many items (not with a `visualMap` or
    `colorBy: 'data'`), `showSymbol: False` on a long line on a value or time axis (not with
    an item tooltip or missing values). Never on a chart that selects, nor on a series
    whose items are objects with settings of their own."""
    if selects or enables_selection(option):
        return
    for variant in variants(option):
        sources = [d.get("source") for d in _entries(variant.get("dataset"))]
        for one in _entries(variant.get("series")):
            count, objects, gaps = _items(one, sources)
            kind = one.get("type")
            if objects:
                continue
            if kind in LARGE and count > LARGE[kind] and "visualMap" not in variant \
                    and one.get("colorBy") != "data":
                one.setdefault("large", True)
            if kind == "line" and count > MANY_POINTS and not gaps and _on_value_axis(
                    variant) and not _item_tooltip(variant, one):
                one.setdefault("showSymbol", False)


def enables_selection(option: dict[str, Any]) -> bool:
    """A series with `selectedMode`, a `brush`, or the toolbox's brush."""
    for variant in variants(option):
        if "brush" in variant or any(isinstance(t.get("feature"), dict) and "brush" in
                                     t["feature"] for t in _entries(variant.get("toolbox"))):
            return True
    return any(one.get("selectedMode") for one in series(option))


def _items(one: dict[str, Any], sources: list[Any]) -> tuple[int, bool, bool]:
    """How many items a series draws, whether any is an object, whether any is missing."""
    data = one.get("data")
    if not isinstance(data, list):
        index = one.get("datasetIndex", 0)
        source = sources[index] if isinstance(index, int) and 0 <= index < len(sources) \
            else None
        data = source[1:] if isinstance(source, list) and source and all(
            isinstance(v, str) for v in source[0]) else source
    if not isinstance(data, list):
        return 0, False, False
    objects = any(isinstance(item, dict) for item in data)
    gaps = any(item is None or (isinstance(item, list) and None in item) for item in data)
    return len(data), objects, gaps


def _on_value_axis(variant: dict[str, Any]) -> bool:
    """Points along a value or time axis (a category axis spaces them by itself)."""
    return any(axis.get("type") in ("value", "time") for axis in _entries(variant.get("xAxis")))


def _item_tooltip(variant: dict[str, Any], one: dict[str, Any]) -> bool:
    """ECharts' tooltip triggers on items unless it says `axis`."""
    tooltips = _entries(one.get("tooltip")) or _entries(variant.get("tooltip"))
    return any(t.get("trigger", "item") == "item" and t.get("show", True)
               for t in tooltips)


def serialize(option: dict[str, Any]) -> str:
    """JSON text, strictly: a value JSON can't carry is an error naming where it is."""
    try:
        return json.dumps(option, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        where = _unserializable(option, "")
        said = f" `{where[0]}` is {_what(where[1])}." if where else ""
        raise _fail(f"the option is not JSON.{said} Only `dataset.source` takes a dataframe "
                    "(whose datetimes, NumPy values and missing values are converted); values "
                    "elsewhere, such as `series.data`, must be plain Python values (int, "
                    "float, str, bool, None, lists and dicts)") from None


def _unserializable(value: Any, path: str) -> tuple[str, Any] | None:
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, value)
    if value is None or isinstance(value, (str, int)):
        return None
    if isinstance(value, dict):
        for name, item in value.items():
            found = _unserializable(item, f"{path}.{name}" if path else str(name))
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _unserializable(item, f"{path}[{index}]")
            if found:
                return found
        return None
    return path, value


def _what(value: Any) -> str:
    if isinstance(value, float):
        return f"`{value!r}`: use None for a missing or infinite number"
    kind = type(value)
    module = kind.__module__.split(".")[0]
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    if module == "numpy" and hasattr(value, "item"):
        return f"a `{name}`: convert it with int(), float() or bool()"
    if hasattr(value, "isoformat"):
        return f"a `{name}`: convert it with .isoformat()"
    if _is_frame(value):
        return f"a `{name}`: only `dataset.source` takes data, so pass it there"
    if callable(value):
        return (f"a `{name}`: a callback can't run in the page; use a string template such "
                "as \"{b}: {c}\"")
    return f"a `{name}`: convert it to a plain Python value"


def describe(option: dict[str, Any], alt: str | None) -> str:
    """The text a viewer without widgets shows: the alt text, or the chart's title and
    series."""
    if alt:
        return alt
    titles = [t.get("text") for t in _entries(option.get("title")) if t.get("text")]
    kinds = [str(one.get("type", "?")) for one in _entries(option.get("series"))]
    name = f" {titles[0]!r}" if titles else ""
    return f"ECharts chart{name}: {', '.join(kinds) or 'no'} series"


# --- dataframes ------------------------------------------------------------------------------

def _is_frame(value: Any) -> bool:
    module = type(value).__module__.split(".")[0]
    return module in ("pandas", "polars", "pyarrow", "numpy") and not isinstance(
        value, (numbers.Number, str, bytes)) and getattr(value, "ndim", 2) != 0


def rows(data: Any) -> list[list[Any]]:
    """A dataframe as ECharts' rows: a header of column names, then one row each, in JSON
    values as Streamlit gives them (datetimes as ISO text, in UTC when they have a time
    zone; durations in milliseconds; missing values as None; other objects as text). The
    index is left out, as in Streamlit: `df.reset_index()` plots it."""
    from .data import to_frame

    frame = to_frame(data)
    columns = [_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    header: list[Any] = [str(name) for name in frame.columns]
    return [header, *(list(row) for row in zip(*columns))] if columns else [header]


def _column(values: Any) -> list[Any]:
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return [None if pd.isna(v) else v.isoformat() for v in values]
    if pd.api.types.is_timedelta64_dtype(dtype):
        return [None if pd.isna(v) else v.total_seconds() * 1000 for v in values]
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return [None if _missing(v) else v for v in values.astype(object).tolist()]
    return [_value(v) for v in values.tolist()]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _value(value: Any) -> Any:
    if _missing(value):
        return None
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(float(value)) else None
    if hasattr(value, "isoformat"):
        import pandas as pd

        if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
            value = value.tz_convert("UTC")
        return value.isoformat()
    if hasattr(value, "total_seconds"):
        return value.total_seconds() * 1000
    return str(value)


# --- the widgets -----------------------------------------------------------------------------

@functools.cache
def chart_widget() -> type:
    """The chart's widget class, made at the first chart: anywidget is imported only then."""
    import anywidget
    import traitlets

    class EChartsChart(anywidget.AnyWidget):  # type: ignore[misc]
        _esm = page_library.esm(Path(__file__).with_name("echarts.js"))
        library = traitlets.Unicode("").tag(sync=True)
        option = traitlets.Unicode("{}").tag(sync=True)
        theme = traitlets.Unicode("streamlit").tag(sync=True)
        renderer = traitlets.Unicode("canvas").tag(sync=True)
        width = traitlets.Any("stretch").tag(sync=True)
        height = traitlets.Any(CONTENT_HEIGHT).tag(sync=True)
        alt = traitlets.Unicode("").tag(sync=True)
        selection_activated = traitlets.Bool(False).tag(sync=True)
        value = traitlets.Dict(dict(EMPTY)).tag(sync=True)

    return EChartsChart
