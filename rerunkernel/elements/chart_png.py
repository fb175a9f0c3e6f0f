"""A PNG of a simple chart, for viewers that can't render Vega-Lite (see charts.py).

Drawn with matplotlib's object API (no pyplot), so it touches no global figure state and
works under any backend; without matplotlib there is no PNG and the text summary remains.
"""

from __future__ import annotations

import io
from typing import Any, Protocol


class LongData(Protocol):
    """What a chart's data in long form (one row per point, charts.py) offers a drawing."""

    frame: Any
    x: str
    y: str
    ys: list[str]
    series: str | None
    colour_column: str | None
    size_column: str | None
    stacked: bool
    horizontal: bool


def render(mark: str, long: LongData, height: Any) -> bytes | None:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    pixels = height if isinstance(height, int) else 300
    figure = Figure(figsize=(7.0, max(pixels, 100) / 100), dpi=100)
    axes = figure.subplots()
    frame = long.frame
    groups = list(frame.groupby(long.series, sort=False)) if long.series is not None \
        else [(None, frame)]
    if mark == "bar":
        _bars(axes, frame, long)
    else:
        for name, part in groups:
            xs, ys = part[long.x], part[long.y]
            if mark == "line":
                axes.plot(xs, ys, label=name)
            elif mark == "area":
                axes.fill_between(xs, ys, alpha=0.4, label=name)
            else:
                sizes = _areas(part[long.size_column], frame[long.size_column]) \
                    if long.size_column is not None else None
                axes.scatter(xs, ys, s=sizes, label=name)
    category, value = long.x, long.y if len(long.ys) == 1 else ""
    if long.horizontal:
        category, value = value, category
    axes.set_xlabel(category)
    axes.set_ylabel(value)
    if long.series is not None:
        axes.legend(title=long.colour_column or None, fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _areas(values: Any, every: Any) -> Any:
    """Marker areas for a size column, scaled over the whole column as Vega-Lite's size
    scale does: matplotlib takes sizes as areas as given, and a zero or negative value
    (a column of random numbers) makes a marker it can't draw, or a legend it can't lay
    out."""
    import numpy as np

    low, high = np.nanmin(every), np.nanmax(every)
    if not np.isfinite(low) or not np.isfinite(high) or high == low:
        return np.full(len(values), 36.0)
    return np.nan_to_num(10.0 + (np.asarray(values, dtype=float) - low) / (high - low) * 190.0)


def _bars(axes: Any, frame: Any, long: LongData) -> None:
    if long.series is None:
        wide = frame.groupby(long.x, sort=True)[long.y].sum().to_frame()
    else:
        wide = frame.pivot_table(index=long.x, columns=long.series, values=long.y,
                                 aggfunc="sum", sort=True).fillna(0)
    positions = list(range(len(wide.index)))
    draw = axes.barh if long.horizontal else axes.bar
    base = [0.0] * len(positions)
    count = len(wide.columns)
    for i, column in enumerate(wide.columns):
        values = list(wide[column])
        if long.stacked:
            draw(positions, values, 0.8, base, label=column if long.series else None)
            base = [b + v for b, v in zip(base, values, strict=True)]
        else:
            shifted = [p - 0.4 + (i + 0.5) * 0.8 / count for p in positions]
            draw(shifted, values, 0.8 / count, label=column if long.series else None)
    labels = [str(v) for v in wide.index]
    if long.horizontal:
        axes.set_yticks(positions, labels)
    else:
        axes.set_xticks(positions, labels, rotation=90 if len(labels) > 12 else 0)
