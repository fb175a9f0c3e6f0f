"""What `on_select=` returns: Streamlit's selection state, always empty here.

Streamlit lets a user pick rows of a table or points of a chart and reruns with the picks.
Our tables are HTML and our charts are drawn by JupyterLab's own renderers, which have no
channel back to the kernel, so nothing can ever be selected. Apps still read the result
(`event.selection.rows`), so a selecting call returns the object Streamlit returns before
any pick, shaped the same, and a callback is accepted and never called; docs/ARCHITECTURE.md
says so.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..core import runtime

TABLE_MODES = ("single-row", "multi-row", "single-column", "multi-column", "single-cell",
               "multi-cell")


class Selection(dict):
    """A dict that also reads by attribute (`event.selection.rows`), like Streamlit's."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"the selection has no {name!r}; it has {list(self)}") \
                from None


def selecting(call: str, on_select: Any) -> bool:
    """Whether the call returns a selection: 'rerun' or a callback; 'ignore' draws only."""
    if on_select == "ignore":
        return False
    if on_select == "rerun" or callable(on_select):
        return True
    raise ValueError(f"rk.{call}(on_select={on_select!r}): must be 'ignore', 'rerun' or a "
                     "callable")


def check_modes(call: str, mode: Any, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    modes = [mode] if isinstance(mode, str) else list(mode or ())
    wrong = [m for m in modes if m not in allowed]
    if wrong:
        raise ValueError(f"rk.{call}(selection_mode={mode!r}): {wrong[0]!r} is not one of "
                         f"{', '.join(map(repr, allowed))}")


def keep(key: str | int | None, selection: Selection) -> Selection:
    """Streamlit also keeps a selecting element's state in session_state under its key,
    where apps read it (`st.session_state.table.selection.rows`)."""
    ctx = runtime.active()
    if key is not None and ctx is not None:
        ctx.session.state[str(key)] = selection
    return selection


def table_selection() -> Selection:
    return Selection(selection=Selection(rows=[], columns=[], cells=[]))


def vega_selection(call: str, spec: dict[str, Any], selection_mode: Any) -> Selection:
    """One empty entry per activated selection parameter of the spec, as Streamlit gives
    (`selection_mode`: the parameter names to activate; None, all of them)."""
    names = sorted({p["name"] for p in _params(spec) if isinstance(p, dict) and "select" in p
                    and "name" in p})
    if not names:
        raise ValueError(f"rk.{call}(on_select=...): the chart has no selection parameter to "
                         "select with; add one (Altair: .add_params(alt.selection_point())) or "
                         "leave on_select out")
    if selection_mode is not None:
        check_modes(call, selection_mode, names)
        names = sorted([selection_mode] if isinstance(selection_mode, str)
                       else set(selection_mode))
    return Selection(selection=Selection({name: Selection() for name in names}))


def _params(spec: dict[str, Any]) -> list[Any]:
    found = list(spec.get("params", ()))
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, ()):
            if isinstance(part, dict):
                found.extend(_params(part))
    inner = spec.get("spec")
    if isinstance(inner, dict):
        found.extend(_params(inner))
    return found


def plotly_selection() -> Selection:
    return Selection(selection=Selection(points=[], point_indices=[], box=[], lasso=[]))


def deck_selection() -> Selection:
    return Selection(selection=Selection(indices={}, objects={}))
