"""`%rerun_mode changed`: run only the cells whose inputs changed; reuse the others exactly.

A reused cell is not executed. The names it bound and the objects it changed in place come
back as that cell left them, its outputs stay on screen as they are (no message), its
widgets stay alive. A cell is reused only when everything it depends on is as it was when
its stored result was made (see docs/ARCHITECTURE.md, "Reusing cells"):

- its code, compared as compiled code (a comment or a blank line doesn't count);
- every name it reads from the namespace, also through the user functions it calls, by
  content (the cache's exact hasher); an object it changed or passed on must also be the
  very object it had, so an in-place change is never applied twice nor lost;
- the files it read or wrote, the folders it listed, the files it didn't find
  (reuse_files.py);
- the values of the widgets it read.

Digests are expensive for big values, so each known digest remembers the "epoch" it was
taken in; the epoch moves whenever user code may have run. Until then a digest stays true,
so a chain of reused cells costs dictionary lookups, not rehashing their data.
"""

from __future__ import annotations

import ast
import copy
import dis
import gc
import itertools
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..fingerprint.deps import code_key, code_names, is_user_function
from ..fingerprint.hashing import Hasher, UnhashableTypeError, digest, is_immutable
from . import reuse_files
from .script import Cell

if TYPE_CHECKING:
    from .element import Element
    from .page import CellWriter
    from .runner import CellOutcome, Executor
    from .runtime import RunContext
    from .session import Session

MODES = ("all", "changed")
CACHE, ALWAYS = "cache", "rerun_always"
ABSENT = b"<absent>"
DELETED = object()
DEFAULT_ENTRIES_PER_CELL = 1
DEFAULT_MAX_BYTES = 2 * 1024**3
DEFAULT_COPY_LIMIT = 16 * 1024**2
MAX_BACKOFF = 16
_NOT_OUTPUTS = frozenset({"_", "__", "___", "__builtins__", "__builtin__", "__name__",
                          "__doc__", "__loader__", "__spec__", "__package__"})


class ModeError(ValueError):
    pass


def check_mode(mode: object) -> str:
    if mode not in MODES:
        raise ModeError(f"unknown rerun mode {mode!r}: use one of {', '.join(MODES)}")
    return str(mode)


# --- cell markers: %%cache and %%rerun_always ---------------------------------------------


def marker(source: str) -> str | None:
    """`%%cache` or `%%rerun_always` as the cell's first line."""
    first = source.lstrip("\n").split("\n", 1)[0].strip()
    if first == "%%" + CACHE:
        return CACHE
    if first == "%%" + ALWAYS:
        return ALWAYS
    return None


def unmarked(source: str) -> str:
    """The source with its marker line turned into a comment (same line numbers)."""
    if marker(source) is None:
        return source
    head, _, rest = source.partition("%%")
    return f"{head}#%%{rest}"


def executable(cell: Cell) -> Cell:
    """The cell as the executor runs it: without its marker line."""
    if marker(cell.source) is None:
        return cell
    return Cell(cell.id, unmarked(cell.source), filename=cell.filename, origin=cell.origin,
                execution_count=cell.execution_count, headless=cell.headless, extra=cell.extra)


# --- what a cell's code reads -------------------------------------------------------------


@dataclass(frozen=True)
class CodeInfo:
    key: bytes
    loads: tuple[str, ...]
    attributes: frozenset[str]
    why_not: str | None
    # only `%rerun_mode` lines: runs every time, but changes no value
    mode_switch: bool = False


_code_info: dict[str, CodeInfo] = {}
_MAX_CODE_INFO = 2048


def _transform(source: str) -> str:
    try:
        ast.parse(source)
        return source
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return source
    return TransformerManager().transform_cell(source)


def _only_mode_switch(source: str) -> bool:
    lines = [line.strip() for line in source.splitlines()]
    code = [line for line in lines if line and not line.startswith("#")]
    return bool(code) and all(line.split()[0] == "%rerun_mode" for line in code)


def code_info(source: str) -> CodeInfo:
    """The code's identity (as rk.cache compares code) and the globals it loads."""
    found = _code_info.get(source)
    if found is not None:
        return found
    body = unmarked(source)
    try:
        code = compile(_transform(body), "<cell>", "exec")
    except (SyntaxError, ValueError) as error:
        found = CodeInfo(digest(source), (), frozenset(), f"does not compile ({error})")
    else:
        loads, attributes = code_names(code)
        why = None
        switch = _only_mode_switch(body)
        if switch:
            why = "sets the rerun mode"
        elif "get_ipython" in loads:
            why = "runs an IPython magic or shell command"
        elif _uses_session_state(code):
            why = "uses rk.session_state, which lives outside the namespace"
        found = CodeInfo(code_key(code), loads, attributes, why, switch)
    if len(_code_info) >= _MAX_CODE_INFO:
        _code_info.clear()
    _code_info[source] = found
    return found


def _uses_session_state(code: types.CodeType) -> bool:
    """The cell's own code reads rk.session_state. A function it only defines does not
    count (the cells calling it do, see `_session_state_through`); a comprehension, a
    lambda, or a function or class the cell uses by name does."""
    used: set[str] = set()
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_NAME", "LOAD_GLOBAL", "LOAD_ATTR", "LOAD_METHOD"):
            used.add(ins.argval)
    if "session_state" in used:
        return True
    return any(
        isinstance(const, types.CodeType) and "session_state" in code_names(const)[1]
        and (const.co_name.startswith("<") or const.co_name in used)
        for const in code.co_consts
    )


def global_reads(loads: tuple[str, ...], ns: dict[str, Any]) -> list[str]:
    """Names of `ns` the code reads, also through the user functions and classes it uses."""
    found: dict[str, None] = {}
    seen: set[int] = set()
    stack = list(reversed(loads))
    while stack:
        name = stack.pop()
        if name in found or name not in ns:
            continue
        found[name] = None
        value = ns[name]
        for fn in _functions_in(value):
            if id(fn) in seen or fn.__globals__ is not ns:
                continue
            seen.add(id(fn))
            stack.extend(code_names(fn.__code__)[0])
    return list(found)


def _session_state_through(names: list[str], ns: dict[str, Any]) -> str | None:
    """A function the cell calls reads rk.session_state, which a widget callback may change
    while every value in the namespace stays the same."""
    for name in names:
        for fn in _functions_in(ns[name]):
            if fn.__globals__ is ns and "session_state" in code_names(fn.__code__)[1]:
                return f"uses rk.session_state through {name!r}, and it lives outside the namespace"
    return None


def _functions_in(value: Any) -> list[types.FunctionType]:
    if isinstance(value, types.FunctionType):
        return [value] if is_user_function(value) else []
    if isinstance(value, type) and value.__module__ == "__main__":
        members = []
        for member in vars(value).values():
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property):
                members.extend(f for f in (member.fget, member.fset, member.fdel) if f)
            elif isinstance(member, types.FunctionType):
                members.append(member)
        return members
    wrapped = getattr(value, "__wrapped__", None) if not isinstance(value, type) else None
    return _functions_in(wrapped) if isinstance(wrapped, types.FunctionType) else []


_REACHES_EVERYTHING = frozenset({"globals", "vars", "locals", "eval", "exec", "__import__",
                                 "getattr", "setattr", "delattr"})


def contained(info: CodeInfo, values: list[Any]) -> bool:
    """The cell can change nothing but the values it reads (see docs/ARCHITECTURE.md).

    True when every value it reads is immutable, a module, code, or a numpy array that owns
    plain memory: none of those leads to another namespace value the cell could change.
    """
    if info.mode_switch:
        return True
    if _REACHES_EVERYTHING.intersection(info.loads):
        return False
    numpy = sys.modules.get("numpy")
    for value in values:
        if is_immutable(value) or isinstance(value, (types.ModuleType, types.FunctionType,
                                                     type, types.BuiltinFunctionType)):
            continue
        if (numpy is not None and type(value) is numpy.ndarray and value.base is None
                and not value.dtype.hasobject):
            continue
        return False
    return True


# --- objects shared between names --------------------------------------------------------

REACH_BUDGET = 10_000
_SCALARS = (int, float, complex, str, bytes, bool, type(None))
_NOT_DATA = (type, types.ModuleType, types.CodeType, types.BuiltinFunctionType)
_SKIPPED = _SCALARS + _NOT_DATA
_UNSET = object()


def _referents(value: Any) -> list[Any]:
    """What a value holds as data: a function's defaults and closure (not its globals, which
    are names of their own), an array's base, anything else's references."""
    if isinstance(value, types.FunctionType):
        cells = [c.cell_contents for c in value.__closure__ or () if _filled(c)]
        return [value.__defaults__, value.__kwdefaults__, *cells]
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray):
        return [value.base] if value.base is not None else []
    return gc.get_referents(value)


def _filled(cell: types.CellType) -> bool:
    try:
        return cell.cell_contents is not _UNSET
    except ValueError:
        return False


def reached(value: Any, targets: dict[int, Any]) -> set[int] | None:
    """The ids of `targets` that `value` holds, directly or through what it holds; None when
    that is more than REACH_BUDGET objects to walk (then assume it holds any of them)."""
    found: set[int] = set()
    seen = {id(value)}
    stack = [value]
    budget = REACH_BUDGET
    while stack:
        refs = _referents(stack.pop())
        budget -= len(refs)
        if budget < 0:
            return None
        for ref in refs:
            key = id(ref)
            if key in seen or isinstance(ref, _SKIPPED):
                continue
            seen.add(key)
            if key in targets:
                found.add(key)
            else:
                stack.append(ref)
    return found


def _sharing(outputs: dict[str, Binding | object],
             inputs: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Which inputs a cell's outputs hold, and which outputs hold no other name's object.

    A reused `box = {'df': df}` must hold the `df` of this run, not an equal one an earlier
    cell made in a run before (a later in-place change would reach one and not the other),
    so the cell is reused only while `df` is the very object it read. And a private copy
    of an output that holds another name's object would hold a copy of it instead.
    """
    objects = {name: b.value for name, b in outputs.items() if isinstance(b, Binding)}
    owners: dict[int, set[str]] = {}
    for name, value in [*inputs.items(), *objects.items()]:
        if not (is_immutable(value) or isinstance(value, _NOT_DATA + (types.FunctionType,))):
            owners.setdefault(id(value), set()).add(name)
    held: set[str] = set()
    alone: set[str] = set()
    for name, value in objects.items():
        if is_immutable(value):
            alone.add(name)
            continue
        others = {k: v for k, v in owners.items() if k != id(value)}
        found = reached(value, others) if others else set()
        if found is None:
            held.update(n for n in inputs if id(inputs[n]) in owners)
        elif found:
            held.update(n for key in found for n in owners[key] if n in inputs)
        else:
            alone.add(name)
    return held, alone


def _any_array(values: Iterable[Any]) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and any(type(v) is numpy.ndarray for v in values)


# --- digests that are kept while no user code runs ----------------------------------------


class Digests:
    """Content digests by object, valid within the epoch they were taken in."""

    def __init__(self) -> None:
        self.epoch = 0
        self._known: dict[int, tuple[Any, bytes, int]] = {}
        self.hashed_bytes = 0

    def user_code_ran(self) -> None:
        """Every digest of a value that can change is void now; dropping them also lets
        go of the objects (a big frame from the last run must be freed before its cell
        builds the next one, or the allocation pays for fresh pages)."""
        self.epoch += 1
        self._known = {k: v for k, v in self._known.items() if is_immutable(v[0])}

    def forget(self, values: list[Any]) -> None:
        for value in values:
            self._known.pop(id(value), None)

    def known(self, value: Any, found: bytes) -> None:
        self._known[id(value)] = (value, found, self.epoch)

    def of(self, value: Any) -> bytes:
        """The digest of a value now; raises UnhashableTypeError."""
        entry = self._known.get(id(value))
        if entry is not None and entry[0] is value and (
            entry[2] == self.epoch or is_immutable(value)
        ):
            return entry[1]
        found = self._compute(value)
        self._known[id(value)] = (value, found, self.epoch)
        return found

    def _compute(self, value: Any) -> bytes:
        if isinstance(value, types.FunctionType) and is_user_function(value):
            # its globals are tracked as names of their own (global_reads)
            hasher = Hasher()
            hasher.update(code_key(value.__code__))
            hasher.add(value.__qualname__)
            hasher.add(value.__defaults__)
            hasher.add(value.__kwdefaults__)
            for cell in value.__closure__ or ():
                try:
                    hasher.add(cell.cell_contents)
                except ValueError:
                    hasher.update(b"<empty cell>")
            return hasher.digest()
        from .state import SessionState

        if isinstance(value, SessionState):
            raise UnhashableTypeError(value, "rk.session_state lives outside the namespace")
        return digest(value)


# --- stored results -----------------------------------------------------------------------


@dataclass
class Binding:
    """A name as a reused cell leaves it: the object, its digest, and a private copy."""

    value: Any
    digest: bytes
    copy: Any = DELETED
    producer: int = -1


@dataclass
class Entry:
    """One stored result of one cell: what it read, what it left, what it drew."""

    code: bytes
    inputs: tuple[tuple[str, bytes], ...]
    same_objects: tuple[tuple[str, Any], ...]
    outputs: dict[str, Binding | object]
    outside: reuse_files.Outside
    widgets: tuple[tuple[str, Any], ...]
    seen: frozenset[str]
    keys: dict[str, str]
    elements: list[Element | None]
    size: int
    sizes: dict[int, int]
    used: int = 0


@dataclass
class CellRecord:
    entries: list[Entry] = field(default_factory=list)
    why_not: str | None = None
    copy_names: set[str] = field(default_factory=set)
    # a cell whose inputs change on every run is not recorded for a while (backing off)
    misses: int = 0
    paused: int = 0
    backoff: int = 1


def estimate_size(value: Any) -> int:
    """Bytes an object holds, roughly and cheaply (buffers exactly, containers one level)."""
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series)):
        try:
            return int(value.memory_usage(index=True, deep=False).sum())
        except Exception:
            return sys.getsizeof(value)
    size = sys.getsizeof(value, 64)
    if isinstance(value, (list, tuple, set, frozenset)):
        size += sum(sys.getsizeof(item, 64) for item in itertools.islice(value, 10_000))
    elif isinstance(value, dict):
        size += sum(sys.getsizeof(item, 64) for item in itertools.islice(value.values(), 10_000))
    return size


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:
        return False


class Reuse:
    """A session's reuse: its mode, stored cell results and their memory bound."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.mode = "all"
        self.records: dict[str, CellRecord] = {}
        self.digests = Digests()
        self.entries_per_cell = DEFAULT_ENTRIES_PER_CELL
        self.max_bytes = DEFAULT_MAX_BYTES
        self.copy_limit = DEFAULT_COPY_LIMIT
        self.bytes_held = 0
        self.last_summary = ""
        self._clock = itertools.count(1)
        session.on_run_end.append(self._ran)

    def _ran(self, session: Session, result: Any) -> None:
        if result.fragments is not None:
            return  # fragments alone: no cell ran or was reused
        # a `%rerun_mode` cell runs every time but computes nothing: not counted as ran
        reused = {id(c) for c in result.reused}
        ran = [c for c in result.ran
               if id(c) not in reused and not code_info(c.source).mode_switch]
        self.last_summary = self.summary(len(ran), len(reused), session.last_run_seconds)

    def set_mode(self, mode: str) -> None:
        self.mode = check_mode(mode)

    def user_code_ran(self) -> None:
        """Code outside a run (a silent request, a user expression) may have changed values."""
        self.digests.user_code_ran()

    def why(self, cell_id: str) -> str | None:
        """Why a cell was not reusable at its last run (None when it was, or is unknown)."""
        record = self.records.get(cell_id)
        return record.why_not if record is not None else None

    def forget(self, cell_ids: list[str]) -> None:
        """Cells were deleted: their stored results are released now, not at the next run
        (a front-end may delete a cell holding a big frame and run nothing for a while)."""
        dropped = [self.records.pop(i, None) for i in cell_ids]
        if any(r is not None for r in dropped):
            self._account()

    def keep_only(self, cell_ids: list[str]) -> None:
        """The notebook's cells are exactly these: release the results of any other cell."""
        keep = set(cell_ids)
        self.forget([i for i in list(self.records) if i not in keep])

    def for_run(self, ctx: RunContext, cells: list[Cell]) -> RunReuse | None:
        """This run's planner, or None when no cell of it can be reused."""
        self.keep_only([c.id for c in self.session.script])
        if self.mode != "changed" and not any(marker(c.source) == CACHE for c in cells):
            return None
        return RunReuse(self, ctx)

    def reset_namespace(self, executor: Executor) -> dict[str, Any]:
        """A fresh namespace in the same dict: functions a reused cell defined look their
        globals up in this run's namespace, not in the one they were made in."""
        return executor.fresh_namespace(into=executor.namespace)

    # --- memory ---------------------------------------------------------------------------

    def store(self, cell_id: str, entry: Entry) -> None:
        record = self.records.setdefault(cell_id, CellRecord())
        record.entries = [e for e in record.entries if e.code == entry.code]
        record.entries.insert(0, entry)
        entry.used = next(self._clock)
        del record.entries[self.entries_per_cell:]
        self._account()
        while self.bytes_held > self.max_bytes:
            oldest = min(
                ((r, e) for r in self.records.values() for e in r.entries),
                key=lambda pair: pair[1].used, default=None,
            )
            if oldest is None:
                break
            oldest[0].entries.remove(oldest[1])
            self._account()

    def _account(self) -> None:
        sizes: dict[int, int] = {}
        for record in list(self.records.values()):
            for entry in record.entries:
                sizes.update(entry.sizes)
        self.bytes_held = sum(sizes.values())

    def entry_count(self) -> int:
        return sum(len(r.entries) for r in list(self.records.values()))

    def summary(self, ran: int, reused: int, seconds: float) -> str:
        cells = "cell" if ran == 1 else "cells"
        return f"{ran} {cells} ran, {reused} reused, {seconds * 1000:.0f} ms"

    def report(self) -> dict[str, Any]:
        """What the front-end shows: the mode, the last run, cells that couldn't be reused."""
        return {
            "mode": self.mode,
            "summary": self.last_summary,
            "notReusable": {i: r.why_not for i, r in list(self.records.items()) if r.why_not},
            "bytesHeld": self.bytes_held,
            "entries": self.entry_count(),
        }


class RunReuse:
    """One run's decisions: which cells are reused, and recording the ones that run."""

    def __init__(self, reuse: Reuse, ctx: RunContext) -> None:
        self.reuse = reuse
        self.ctx = ctx
        self.session = ctx.session
        self.digests = reuse.digests
        self.reused: list[Cell] = []
        # object id -> (cell id, name) of the cell that bound it in this run
        self._bound_by: dict[int, tuple[str, str]] = {}
        self._current: dict[str, Any] | None = None
        # the cell whose first slots hold what this run's widget callbacks drew
        self._drawn_by_callbacks: Cell | None = None
        self._callback_slots = 0

    def callbacks_ran(self, first: Cell, slots: int) -> None:
        """Widget callbacks ran before the first cell: any value may have changed. If they
        drew, the first cell runs (its outputs follow theirs), and what it stores leaves
        their slots out: they belong to this run only."""
        self.digests.user_code_ran()
        self._drawn_by_callbacks = first if slots else None
        self._callback_slots = slots

    # --- deciding ---------------------------------------------------------------------------

    def wanted(self, cell: Cell) -> bool:
        kind = marker(cell.source)
        if kind == CACHE:
            return True
        return self.reuse.mode == "changed" and kind != ALWAYS

    def take(self, cells: list[Cell], start: int, ns: dict[str, Any]) -> int:
        """Reuse as many cells from `start` as can be, put their results in `ns`; how many."""
        if cells[start] is self._drawn_by_callbacks:
            return 0
        chosen: list[tuple[Cell, Entry]] = []
        overlay: dict[str, Binding | object] = {}
        for cell in cells[start:]:
            entry = self._match(cell, ns, overlay)
            if entry is None:
                break
            self._apply(overlay, entry, len(chosen))
            chosen.append((cell, entry))
        while chosen:
            cut = self._first_unrestorable(overlay)
            if cut is None:
                break
            chosen = chosen[:cut]
            overlay = {}
            for position, (_, entry) in enumerate(chosen):
                self._apply(overlay, entry, position)
        self._commit(chosen, overlay, ns)
        return len(chosen)

    @staticmethod
    def _apply(overlay: dict[str, Binding | object], entry: Entry, position: int) -> None:
        for name, binding in entry.outputs.items():
            if isinstance(binding, Binding):
                overlay[name] = Binding(binding.value, binding.digest, binding.copy, position)
            else:
                overlay[name] = DELETED

    def _current_digest(self, name: str, ns: dict[str, Any],
                        overlay: dict[str, Binding | object]) -> bytes:
        if name in overlay:
            binding = overlay[name]
            return binding.digest if isinstance(binding, Binding) else ABSENT
        if name not in ns:
            return ABSENT
        return self.digests.of(ns[name])

    def _current_object(self, name: str, ns: dict[str, Any],
                        overlay: dict[str, Binding | object]) -> Any:
        binding = overlay.get(name, DELETED)
        if isinstance(binding, Binding):
            return binding.value
        return ns.get(name, DELETED) if name not in overlay else DELETED

    def _match(self, cell: Cell, ns: dict[str, Any],
               overlay: dict[str, Binding | object]) -> Entry | None:
        if not self.wanted(cell):
            return None
        info = code_info(cell.source)
        record = self.reuse.records.get(cell.id)
        if record is None:
            return None
        if info.why_not is not None:
            record.why_not = info.why_not
            return None
        if any(e.code != info.key for e in record.entries):
            record.entries = [e for e in record.entries if e.code == info.key]
            self.reuse._account()
        for entry in record.entries:
            if self._holds(entry, ns, overlay):
                entry.used = next(self.reuse._clock)
                return entry
        return None

    def _holds(self, entry: Entry, ns: dict[str, Any],
               overlay: dict[str, Binding | object]) -> bool:
        for name, value in entry.same_objects:
            if self._current_object(name, ns, overlay) is not value:
                return False
        for name, expected in entry.inputs:
            try:
                if self._current_digest(name, ns, overlay) != expected:
                    return False
            except UnhashableTypeError:
                return False
        registry = self.session.widgets
        for model_id, value in entry.widgets:
            widget = registry.find(model_id)
            if widget is None:
                return False
            try:
                now = registry.read(widget, self.ctx)
            except LookupError:
                return False
            if not _same(now, value):
                return False
        return entry.outside.changed() is None

    def _first_unrestorable(self, overlay: dict[str, Binding | object]) -> int | None:
        """The first chosen cell whose result is no longer in its objects nor in a copy."""
        worst: int | None = None
        for binding in overlay.values():
            if not isinstance(binding, Binding) or binding.copy is not DELETED:
                continue
            try:
                intact = self.digests.of(binding.value) == binding.digest
            except UnhashableTypeError:
                intact = False
            if not intact and (worst is None or binding.producer < worst):
                worst = binding.producer
        return worst

    def _commit(self, chosen: list[tuple[Cell, Entry]], overlay: dict[str, Binding | object],
                ns: dict[str, Any]) -> None:
        for name, binding in overlay.items():
            if not isinstance(binding, Binding):
                ns.pop(name, None)
                continue
            value = binding.value
            try:
                intact = self.digests.of(value) == binding.digest
            except UnhashableTypeError:
                intact = False
            if not intact:
                # the live object moved on; the private copy stays pristine for next time
                value = copy.deepcopy(binding.copy)
                self.digests.known(value, binding.digest)
            ns[name] = value
        ctx = self.ctx
        page = self.session.page
        for cell, entry in chosen:
            ctx.widget_seen.update(entry.seen)
            for key, where in entry.keys.items():
                ctx.keys_used.setdefault(key, where)
            for position, element in enumerate(entry.elements):
                if page.get(cell, position) is not element:
                    page.set(cell, position, element)
            page.truncate(cell, len(entry.elements))
            for name, binding in entry.outputs.items():
                if isinstance(binding, Binding):
                    self._bound_by[id(ns.get(name))] = (cell.id, name)
            self.reused.append(cell)
            record = self.reuse.records.get(cell.id)
            if record is not None:
                record.why_not = None
                record.misses, record.backoff = 0, 1

    # --- recording a cell that runs -------------------------------------------------------

    def before(self, cell: Cell, ns: dict[str, Any]) -> None:
        info = code_info(cell.source)
        reads = global_reads(info.loads, ns)
        # a contained cell can change only what it reads: other digests outlive it
        epoch = self.digests.epoch if contained(info, [ns[n] for n in reads]) else -1
        record = self.reuse.records.setdefault(cell.id, CellRecord())
        if record.entries:
            record.misses += 1
            # make room before the cell runs, so what it replaces is freed first
            del record.entries[max(0, self.reuse.entries_per_cell - 1):]
            self.reuse._account()
        if record.misses >= (2 if record.backoff == 1 else 1):
            record.backoff = min(record.backoff * 2, MAX_BACKOFF)
            record.paused, record.misses = record.backoff, 0
            record.entries = []
        if record.paused:
            # its inputs changed on every recent run: recording would cost without paying
            record.paused -= 1
            if epoch < 0 or _any_array(ns[name] for name in reads):
                # nobody checks afterwards whether it changed an array it read in place
                self.digests.user_code_ran()
            else:
                self.digests.forget([ns[name] for name in reads])
            return
        digests: dict[str, bytes] = {}
        why = info.why_not or _session_state_through(reads, ns)
        for name in reads:
            try:
                digests[name] = self.digests.of(ns[name])
            except UnhashableTypeError as error:
                why = why or f"reads {name!r}, which can't be hashed ({error})"
        for name in info.loads:
            if name not in ns:
                digests[name] = ABSENT
        if marker(cell.source) == ALWAYS:
            why = "is marked %%rerun_always"
        self._current = {
            "info": info, "before": dict(ns), "digests": digests, "why": why,
            "contained": epoch >= 0,
            "seen": set(self.ctx.widget_seen), "keys": dict(self.ctx.keys_used),
        }
        if epoch < 0:
            self.digests.user_code_ran()
        else:
            self.digests.forget([ns[name] for name in reads])
        reuse_files.start()

    def after(self, cell: Cell, ns: dict[str, Any], writer: CellWriter,
              outcome: CellOutcome) -> None:
        activity = reuse_files.stop()
        state, self._current = self._current, None
        if state is None:
            return
        record = self.reuse.records.setdefault(cell.id, CellRecord())
        before: dict[str, Any] = state["before"]
        why: str | None = state["why"]
        if outcome.error is not None:
            error = outcome.error
            if isinstance(error, KeyboardInterrupt):
                why = "was interrupted"
            elif type(error).__name__ == "StopRun":
                why = why or "stopped the run (rk.stop)"
            else:
                why = f"raised {type(error).__name__}"
        if activity is not None and activity.not_repeatable:
            why = why or activity.not_repeatable
        if type(outcome.error).__name__ == "RerunRequested":
            if state["contained"]:
                self.digests.user_code_ran()
            return
        outputs, mutated_ids = self._outputs(cell, ns, before, state["digests"])
        if state["contained"] and mutated_ids:
            # an array it read changed in place, and so did every view of it and every
            # container holding it: their digests are void too
            self.digests.user_code_ran()
        if isinstance(outputs, str):
            why = why or outputs
        self._learn_copies(mutated_ids)
        if why is not None:
            record.why_not = why
            record.entries = []
            return
        if not self.wanted(cell) or self.session.requests.stale:
            # not reusable in this mode; or a widget moved during this cell, so the values
            # it read may be gone already
            return
        assert isinstance(outputs, dict)
        inputs = tuple(state["digests"].items())
        made = {id(b.value) for b in outputs.values() if isinstance(b, Binding)}
        held, alone = _sharing(outputs, {n: before[n] for n in state["digests"] if n in before})
        same_objects = tuple((name, before[name]) for name in state["digests"]
                             if name in before and (id(before[name]) in made or name in held))
        self._keep_copies(record, outputs, alone)
        seen = frozenset(self.ctx.widget_seen - state["seen"])
        registry = self.session.widgets
        widgets = []
        for model_id in sorted(seen):
            widget = registry.find(model_id)
            if widget is not None:
                try:
                    widgets.append((model_id, registry.read(widget, self.ctx)))
                except LookupError:
                    continue
        keys = {k: v for k, v in self.ctx.keys_used.items() if k not in state["keys"]}
        writer.close_stream()  # a print's last flush makes its final element
        first = self._callback_slots if cell is self._drawn_by_callbacks else 0
        elements = [self.session.page.get(cell, i) for i in range(first, writer.position)]
        sizes: dict[int, int] = {}
        for binding in outputs.values():
            if isinstance(binding, Binding):
                sizes[id(binding.value)] = estimate_size(binding.value)
                if binding.copy is not DELETED:
                    sizes[id(binding.copy)] = estimate_size(binding.copy)
        outside = reuse_files.Outside.of(activity) if activity else reuse_files.Outside()
        entry = Entry(state["info"].key, inputs, same_objects, outputs, outside,
                      tuple(widgets), seen, keys, elements, sum(sizes.values()), sizes)
        record.why_not = None
        self.reuse.store(cell.id, entry)

    def _outputs(self, cell: Cell, ns: dict[str, Any], before: dict[str, Any],
                 reads: dict[str, bytes]) -> tuple[dict[str, Binding | object] | str, set[int]]:
        """Names the cell bound, deleted or changed in place, with their digests now."""
        hidden = self._hidden()
        outputs: dict[str, Binding | object] = {}
        mutated: set[int] = set()
        problem: str | None = None
        for name, value in ns.items():
            if name in _NOT_OUTPUTS or name in hidden:
                continue
            was = before.get(name, DELETED)
            changed = was is not value
            if not changed and name in reads and reads[name] != ABSENT:
                try:
                    changed = self.digests.of(value) != reads[name]
                except UnhashableTypeError:
                    changed = True
                if changed:
                    mutated.add(id(value))
            if not changed:
                continue
            try:
                found = self.digests.of(value)
            except UnhashableTypeError as error:
                problem = problem or f"binds {name!r}, which can't be hashed ({error})"
                continue
            outputs[name] = Binding(value, found)
            if id(value) not in mutated:
                self._bound_by[id(value)] = (cell.id, name)
        for name in before:
            if name not in ns and name not in hidden and name not in _NOT_OUTPUTS:
                outputs[name] = DELETED
        return (problem if problem is not None else outputs), mutated

    def _hidden(self) -> set[str]:
        shell = getattr(self.session.executor, "shell", None)
        return set(getattr(shell, "user_ns_hidden", ()) or ())

    def _learn_copies(self, mutated_ids: set[int]) -> None:
        """A later cell changed an object in place: its maker keeps a copy from now on."""
        for object_id in mutated_ids:
            maker = self._bound_by.get(object_id)
            if maker is not None:
                record = self.reuse.records.get(maker[0])
                if record is not None:
                    record.copy_names.add(maker[1])

    def _keep_copies(self, record: CellRecord, outputs: dict[str, Binding | object],
                     alone: set[str]) -> None:
        for name in record.copy_names & alone:
            binding = outputs.get(name)
            if not isinstance(binding, Binding) or is_immutable(binding.value):
                continue
            if estimate_size(binding.value) > self.reuse.copy_limit:
                continue
            try:
                kept = copy.deepcopy(binding.value)
            except Exception:
                continue
            binding.copy = kept
