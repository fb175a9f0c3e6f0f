"""An app: a script, its widgets and its page, and what makes it run again.

A session never decides *when* it runs: its host does (the kernel's main thread, or the
testing API's `.run()`). It only records requests and, when asked, serves them until none is
pending, restarting at once when a newer trigger made the current run stale.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Awaitable, Callable, Protocol, Sequence, TypeVar

from . import fragments as fragment_runs
from . import runtime
from .fragments import Fragment
from .page import Page, Sink
from .reuse import Reuse
from .runner import Executor, Runner, RunResult, RunStatus
from .runtime import RunContext
from .script import Cell, Script
from .triggers import RerunRequests, Trigger
from .widgets import WidgetRegistry

T = TypeVar("T")


class Host(Protocol):
    """Decides when a session runs (see kernel glue in `kernel/host.py`, and `testing.py`)."""

    def schedule(self, session: Session) -> None: ...

    def current_parent(self) -> Any: ...

    async def settle(self, session: Session) -> None:
        """Between two runs when more requests are pending: let a flood drain first."""


class Session:
    def __init__(
        self,
        script: Script,
        executor: Executor,
        sink: Sink,
        host: Host,
        name: str = "notebook",
    ) -> None:
        self.name = name
        self.script = script
        self.executor = executor
        self.page = Page(sink)
        self.runner = Runner(executor, self.page)
        self.widgets = WidgetRegistry(self)
        self.requests = RerunRequests()
        self.host = host
        self.last_result: RunResult | None = None
        self.last_trigger: Trigger | None = None
        self.completed_runs = 0
        self.started_runs = 0
        self.cells_run = 0
        self.last_run_seconds = 0.0
        self.last_run_ended = 0.0
        self.generation_at_start = 0
        self.closed = False
        self.state: dict[str, Any] = {}
        self.on_run_start: list[Callable[[Session, Trigger], None]] = []
        self.on_run_end: list[Callable[[Session, RunResult], None]] = []
        self.reuse = Reuse(self)
        self.runner.reuse = self.reuse
        # the fragments the last runs called (core/fragments.py), and whether the page is as
        # a run left it, so that one of them may be drawn again alone
        self.fragments: dict[str, Fragment] = {}
        self.fragments_whole = False

    @property
    def namespace(self) -> dict[str, Any]:
        return self.executor.namespace

    def request_rerun(
        self, reason: str = "rerun", changed: set[str] | None = None,
        clicked: set[str] | None = None, parent: Any = None,
        fragments: Sequence[str] | None = None,
    ) -> None:
        """Ask for a rerun from any thread; the host runs it on the script's thread.
        `fragments` asks for those alone (core/fragments.py)."""
        if self.closed:
            return
        parent = parent if parent is not None else self.host.current_parent()
        trigger = Trigger(reason, parent, set(clicked or ()), set(changed or ()),
                          tuple(fragments) if fragments is not None else None)
        if self.requests.request(trigger):
            self.host.schedule(self)

    async def run_pending(self) -> RunResult | None:
        """Serve what is pending (called by the host once it holds the script's thread)."""
        return await self.serve(self.requests.begin())

    async def run(
        self, trigger: Trigger, cells: list[Cell] | None = None, fresh: bool = True,
        *, settle: bool = True,
    ) -> RunResult:
        """Run now, merging anything pending; `cells`/`fresh=False` continue the last run.

        A continuation can't serve a pending widget change (that needs every cell), so with
        one pending it becomes a full run. `settle=False` for a run driven synchronously
        (`runner.run_sync`, from inside a cell): it holds the thread that would hand over
        more messages, and it can't await, so the reruns it serves (`rk.rerun()`, a widget
        change from a subshell) start at once.
        """
        begun = self.requests.begin(trigger)
        if begun is not trigger:
            cells, fresh = None, True
        result = await self.serve(begun, cells, fresh, settle=settle)
        assert result is not None
        return result

    async def serve(
        self, trigger: Trigger | None, cells: list[Cell] | None = None, fresh: bool = True,
        *, settle: bool = True,
    ) -> RunResult | None:
        """Run for `trigger` (already taken with `requests.begin`), then for newer ones."""
        result = None
        try:
            while trigger is not None:
                result = await self._run_once(trigger, cells, fresh)
                if result.status == RunStatus.INTERRUPTED:
                    self.requests.abandon()
                    break
                cells, fresh = None, True
                if settle and self.requests.has_pending:
                    await self.host.settle(self)
                trigger = self.requests.next()
        except BaseException:
            self.requests.abandon()
            raise
        return result

    async def _run_once(self, trigger: Trigger, cells: list[Cell] | None, fresh: bool) -> RunResult:
        whole = cells is None
        if trigger.fragments is not None:
            chosen = fragment_runs.runnable(self, trigger.fragments) if whole and fresh else None
            if chosen:
                result = await self._run_fragments(trigger, chosen)
                if result is not None:
                    return result
            trigger = replace(trigger, fragments=None)
        whole_before, self.fragments_whole = self.fragments_whole, False
        ctx = self._context(trigger)
        # the script's cells are read once the listeners ran: one of them takes the cell list
        result = await self._timed(ctx, lambda: self.runner.run(
            self.script.cells if whole else cells, ctx, fresh=fresh))
        self.cells_run += len(result.ran)
        result.whole = whole and fresh
        if result.status in (RunStatus.OK, RunStatus.STOPPED):
            self.completed_runs += 1
            if whole and fresh:
                self.widgets.sweep(ctx.widget_seen)
            if trigger.clicked:
                self.widgets.clear_submitted_forms(trigger.clicked, ctx.extras.get("forms", {}))
        if result.status not in (RunStatus.SUPERSEDED, RunStatus.INTERRUPTED):
            self.fragments = self._fragments_after(result, ctx.fragments, whole and fresh)
            self.fragments_whole = True
            for fragment in ctx.timed:
                fragment_runs.refresh_later(self, fragment)
        elif not result.ran:
            # cut short before any cell ran (a callback's `rk.rerun(key)`): the page is as
            # the run before left it
            self.fragments_whole = whole_before
        self._ended(trigger, result)
        return result

    def _fragments_after(self, result: RunResult, called: dict[str, Fragment],
                         whole: bool) -> dict[str, Fragment]:
        """The fragments on the page after a run: those it called, and those of the cells it
        reused (`%rerun_mode changed`), whose boxes it kept; in the cells' order."""
        if not whole:
            return {**self.fragments, **called}
        reused = {id(cell) for cell in result.reused}
        kept = [f for f in self.fragments.values() if id(f.cell) in reused]
        if not kept:
            return called
        order = {id(cell): i for i, cell in enumerate(self.script.cells)}
        both = sorted([*kept, *called.values()], key=lambda f: order.get(id(f.cell), -1))
        return {f.id: f for f in both}

    def _ended(self, trigger: Trigger, result: RunResult) -> None:
        self.last_result = result
        self.last_trigger = trigger
        for done in self.on_run_end:
            done(self, result)

    def _context(self, trigger: Trigger) -> RunContext:
        """A run's context: a submit click's form counts from now, callbacks go first."""
        ctx = RunContext(self, trigger)
        if trigger.clicked:
            self.widgets.submit_forms(trigger.clicked)
        ctx.callbacks = self.widgets.callbacks_for(trigger.changed)
        return ctx

    async def _timed(self, ctx: RunContext, run: Callable[[], Awaitable[T]]) -> T:
        """Await one run as the active one, telling the listeners it started (before `run`
        is called) and timing it."""
        self.started_runs += 1
        for listener in self.on_run_start:
            listener(self, ctx.trigger)
        started = time.monotonic()
        self.generation_at_start = self.requests.generation
        with runtime.running(ctx):
            result = await run()
        self.last_run_ended = time.monotonic()
        self.last_run_seconds = self.last_run_ended - started
        return result

    async def _run_fragments(self, trigger: Trigger, chosen: list[Fragment]) -> RunResult | None:
        """Run these fragments alone; None when one drew outside its box before it ended
        (a full run must draw it, and draws everything it touched again)."""
        ctx = self._context(trigger)
        ctx.fragments = self.fragments  # the fragments inside them are called again
        result = await self._timed(ctx, lambda: self.runner.run_fragments(chosen, ctx))
        # their cells' stored results no longer show what is on the page (reuse.py)
        self.reuse.forget([fragment.cell.id for fragment in chosen])
        if result is None:
            return None
        for fragment in [*chosen, *ctx.timed]:
            if fragment.seconds is not None:
                fragment_runs.refresh_later(self, fragment)
        if result.status in (RunStatus.OK, RunStatus.STOPPED):
            self.completed_runs += 1
            for fragment in chosen:
                self.widgets.sweep(ctx.widget_seen, fragment=fragment.id)
            if trigger.clicked:
                self.widgets.clear_submitted_forms(trigger.clicked, ctx.extras.get("forms", {}))
        elif result.status == RunStatus.SUPERSEDED and result.ran:
            # a newer trigger cut it short with its boxes half drawn: they are drawn again
            # with whatever that trigger asks for
            self.requests.request(Trigger("fragment", trigger.parent,
                                          fragments=tuple(f.id for f in chosen)))
        elif result.status == RunStatus.INTERRUPTED:
            self.fragments_whole = False
        self._ended(trigger, result)
        return result

    def close(self) -> None:
        self.closed = True
        self.requests.abandon()
        self.widgets.close_all()
