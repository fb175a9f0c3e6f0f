"""Fragments: parts of the script that run again alone (`@rk.fragment`).

Streamlit reruns only a fragment's function when a widget inside it changes, when its
`run_every` comes due, or when the script asks (`rk.rerun(scope="fragment")` inside it,
`rk.rerun(key)` from a callback); the rest of the script is not run and its part of the page
stays as it is. The same here (docs/ARCHITECTURE.md, "Fragments rerun alone"):

- A run that calls a fragment draws it into a box of its own and records it here: the
  function, the arguments of that call, the box, the cell. Its widgets remember they belong
  to it, so a change of one asks for that fragment alone.
- A fragment run calls the recorded functions again, drawing into their boxes, with the
  namespace the last full run left. The cell's other outputs, and every other cell, are not
  touched.
- A partial run is only taken while the page is whole: after a run that was cut short by a
  newer trigger the page is half drawn, and the next run is a full one. A fragment that
  draws outside its box (into a column made before it was called, `st._main`) can't be
  redrawn alone either: it is drawn by full runs.
- A headless run (nbclient, `rerunkernel run`) is never run again, so fragments draw in
  place there, as plain function calls.
"""

from __future__ import annotations

import numbers
import threading
import weakref
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Callable

from .durations import parse_duration
from .script import Cell

if TYPE_CHECKING:
    from .page import Surface
    from .session import Session


class OutsideFragment(BaseException):
    """A fragment running alone drew outside its box: only a full run can draw that."""


@dataclass(eq=False)
class Fragment:
    """One call of a fragment function in the last run, as a later run calls it again."""

    id: str
    key: str | None
    function: Callable[..., Any]
    args: tuple
    kwargs: dict[str, Any]
    cell: Cell
    form: str | None
    box: Any  # the widget whose slots it draws in
    surface: Surface
    seconds: float | None = None
    parent: Fragment | None = None
    # it drew outside its box in its last run: it is drawn by full runs only
    outside: bool = False
    runs: int = 0
    # its box and the boxes made inside it
    inside: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.made(self.box)

    def made(self, widget: Any) -> None:
        """A widget was made (or found again) while this fragment was drawn: the boxes it
        is, or holds (a row's columns, a tab's pages), are inside this fragment and every
        fragment around it. Called at every widget a fragment draws, on every run: a value
        widget has no children and costs one lookup."""
        ids = _boxes(widget)
        fragment: Fragment | None = self
        while ids and fragment is not None:
            fragment.inside.update(ids)
            fragment = fragment.parent

    def holds(self, model_id: str) -> bool:
        return model_id in self.inside

    @property
    def alive(self) -> bool:
        return getattr(self.box, "comm", None) is not None

    def call(self) -> Any:
        return self.function(*self.args, **self.kwargs)


def _boxes(widget: Any) -> list[str]:
    """The model ids of `widget` and the boxes among its children, theirs too (not the
    Output widgets that hold a box's elements: nothing is drawn into those by a writer)."""
    found: list[str] = []
    stack = [widget]
    while stack:
        box = stack.pop()
        children = getattr(box, "children", None)
        if children is None:
            continue
        found.append(box.model_id)
        stack.extend(children)
    return found


def identity(scope: str, function: Callable, occurrences: dict[tuple, int]) -> str:
    """A fragment call's id: where it is called (its cell, or the fragment around it), the
    function, and how many times that function was called there before in this run; a run
    drawing the same page gives each call the same id."""
    # not repr(): a partial made again each run would be another fragment each run
    name = getattr(function, "__qualname__", None) or type(function).__qualname__
    base = (scope, "fragment", name)
    n = occurrences.get(base, 0)
    occurrences[base] = n + 1
    return f"{scope}/{name}#{n}"


def seconds(run_every: Any) -> float | None:
    """`run_every` as seconds: a number, a timedelta or a text such as '10s'."""
    if run_every is None:
        return None
    if isinstance(run_every, timedelta):
        value = run_every.total_seconds()
    elif isinstance(run_every, str):
        value = parse_duration(run_every)
    elif isinstance(run_every, numbers.Real) and not isinstance(run_every, bool):
        value = float(run_every)
    else:
        raise ValueError(f"rk.fragment(run_every={run_every!r}): give seconds, a timedelta or "
                         "a text such as '10s'")
    if not value > 0:
        raise ValueError(f"rk.fragment(run_every={run_every!r}): must be more than 0 seconds")
    return value


def refresh_later(session: Session, fragment: Fragment) -> None:
    """Ask for the fragment alone `fragment.seconds` after this run of it, unless it runs
    again before that or a full run replaced it."""
    if fragment.seconds is None or session.closed:
        return
    runs = fragment.runs

    def due() -> None:
        if session.fragments.get(fragment.id) is fragment and fragment.runs == runs:
            session.request_rerun("fragment", fragments=(fragment.id,))

    timer = threading.Timer(fragment.seconds, due)
    timer.daemon = True
    timer.start()


def runnable(session: Session, ids: tuple[str, ...]) -> list[Fragment] | None:
    """The fragments to run for a trigger naming `ids`, outermost first; None when only a
    full run can serve it."""
    if not session.fragments_whole:
        return None
    found = []
    for fragment_id in ids:
        fragment = session.fragments.get(fragment_id)
        if (fragment is None or fragment.outside or not fragment.alive
                or session.script.get(fragment.cell.id) is not fragment.cell):
            return None
        found.append(fragment)
    chosen = {f.id for f in found}
    # a fragment inside another that runs is drawn by that one
    outermost = [f for f in found if not _inside_any(session, f, chosen)]
    order = list(session.fragments)
    return sorted(outermost, key=lambda f: order.index(f.id))


def _inside_any(session: Session, fragment: Fragment, ids: set[str]) -> bool:
    parent = fragment.parent
    while parent is not None:
        if parent.id in ids:
            return True
        parent = parent.parent
    return False


def keyed(session: Session, keys_named: list[str]) -> tuple[str, ...]:
    """The ids of the last run's calls of the fragments with these keys, in call order."""
    return tuple(f.id for f in session.fragments.values() if f.key in keys_named)


def keys(session: Any) -> set[str]:
    """The `key=`s of the fragments the session's script has defined: the names
    `rk.rerun(scope=...)` takes."""
    return _keys.setdefault(session, set())


_keys: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
