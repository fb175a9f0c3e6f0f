"""One run: cells in order, each drawn into its own slots, stopping at the first error.

How a cell is executed is the executor's business (through IPython in a kernel, plain
`exec` for a .py app or an in-process test); what a run means is decided here: which cells
run, what a cell shows when it raised or was never reached, and why the run ended.
"""

from __future__ import annotations

import ast
import functools
import linecache
import traceback
from dataclasses import dataclass, field
from enum import Enum
from html import escape
from typing import Any, Callable, Protocol

from . import hooks
from .capture import capture_streams
from .element import Element
from .fragments import Fragment, OutsideFragment
from .loopless import no_running_loop
from .magic import add_magic, bind_magic, magic_enabled
from .page import CellWriter, Page
from .reuse import Reuse, executable, unmarked
from .runtime import RerunRequested, RunContext, StopRun
from .script import Cell


class RunStatus(str, Enum):
    """How a run ended. str-valued, so logs and JSON read "ok", "error", ... as before."""

    OK = "ok"
    ERROR = "error"
    STOPPED = "stopped"
    SUPERSEDED = "superseded"
    INTERRUPTED = "interrupted"

    def __str__(self) -> str:
        return self.value

    @property
    def failed(self) -> bool:
        """The run ended on an exception that its cell shows (not a stop or a newer run)."""
        return self in (RunStatus.ERROR, RunStatus.INTERRUPTED)


@dataclass
class CellOutcome:
    error: BaseException | None = None
    traceback: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    status: RunStatus = RunStatus.OK
    error: BaseException | None = None
    error_cell: Cell | None = None
    traceback: list[str] = field(default_factory=list)
    ran: list[Cell] = field(default_factory=list)
    reused: list[Cell] = field(default_factory=list)
    whole: bool = False
    # a run of fragments alone: their ids (core/fragments.py)
    fragments: list[str] | None = None

    @property
    def ename(self) -> str:
        return type(self.error).__name__ if self.error is not None else ""

    @property
    def evalue(self) -> str:
        return str(self.error) if self.error is not None else ""


class Executor(Protocol):
    """Runs cell sources in a namespace it owns."""

    namespace: dict[str, Any]

    def fresh_namespace(self, into: dict[str, Any] | None = None) -> dict[str, Any]:
        """A fresh namespace for a run; `into` refills that dict instead of making one
        (reused cells' functions keep looking their globals up in it)."""

    def capture(self, ctx: RunContext) -> Any: ...

    async def execute(self, cell: Cell, ctx: RunContext) -> CellOutcome: ...

    async def call(self, cell: Cell, function: Callable[..., Any], args: tuple,
                   kwargs: dict[str, Any], ctx: RunContext) -> CellOutcome:
        """Call a function the script defined in `cell` (a fragment run alone), as the
        cell's own code runs: what it shows and raises goes where the cell's would."""


class Runner:
    def __init__(self, executor: Executor, page: Page) -> None:
        self.executor = executor
        self.page = page
        self.reuse: Reuse | None = None

    async def run(self, cells: list[Cell], ctx: RunContext, *, fresh: bool) -> RunResult:
        hooks.ready()  # the elements, which draw a last expression, load with the first run
        # in `changed` mode a cell may be reused instead of run (reuse.py)
        reuse = self.reuse.for_run(ctx, cells) if self.reuse is not None else None
        result = RunResult()
        writer: CellWriter | None = None
        try:
            with self.executor.capture(ctx), hooks.streamlit_imports():
                outcome = CellOutcome()
                if ctx.callbacks and cells:
                    # before the namespace is reset: a callback reads the last run's globals
                    # (the same dict is refilled in `changed` mode); what it draws goes to
                    # the first cell, above that cell's own outputs
                    writer = CellWriter(self.page, cells[0])
                    ctx.begin_cell(writer)
                    outcome = self._call_callbacks(ctx)
                    writer.close_stream()
                    if reuse is not None:
                        reuse.callbacks_ran(cells[0], writer.position)
                if fresh and reuse is not None:
                    self.reuse.reset_namespace(self.executor)
                elif fresh:
                    self.executor.fresh_namespace()
                if outcome.error is not None:
                    if not isinstance(outcome.error, RerunRequested):
                        result.ran.append(cells[0])
                    ctx.writer = writer
                    self._end(result, cells[1:], cells[0], writer, outcome)
                    return result
                index = 0
                while index < len(cells):
                    taken = reuse.take(cells, index, self.executor.namespace) if reuse else 0
                    if taken:
                        result.ran.extend(cells[index : index + taken])
                        result.reused.extend(cells[index : index + taken])
                        index += taken
                        continue
                    cell = cells[index]
                    if index > 0 or writer is None:
                        writer = CellWriter(self.page, cell)
                        ctx.begin_cell(writer)
                    result.ran.append(cell)
                    index += 1
                    if reuse is not None:
                        reuse.before(cell, self.executor.namespace)
                    try:
                        outcome = await self.executor.execute(executable(cell), ctx)
                    except BaseException as exc:
                        if reuse is not None:
                            reuse.after(cell, self.executor.namespace, writer, CellOutcome(exc))
                        raise
                    if reuse is not None:
                        reuse.after(cell, self.executor.namespace, writer, outcome)
                    ctx.writer = writer
                    if outcome.error is None:
                        writer.finish()
                        continue
                    self._end(result, cells[index:], cell, writer, outcome)
                    return result
        except KeyboardInterrupt as exc:
            cell = writer.cell if writer is not None else None
            rest = cells[cells.index(cell) + 1 :] if cell is not None else []
            outcome = CellOutcome(exc, ["KeyboardInterrupt: the run was interrupted"])
            self._end(result, rest, cell, writer, outcome)
        finally:
            ctx.writer = None
        return result

    async def run_fragments(self, chosen: list[Fragment], ctx: RunContext) -> RunResult | None:
        """Call these fragments again, each drawing into its own box (core/fragments.py);
        None when one drew outside its box (only a full run can draw that)."""
        result = RunResult(fragments=[f.id for f in chosen])
        writer: CellWriter | None = None
        try:
            with self.executor.capture(ctx), hooks.streamlit_imports():
                for index, fragment in enumerate(chosen):
                    writer = CellWriter(fragment.surface, fragment.cell, form=fragment.form)
                    ctx.begin_cell(writer)
                    ctx.fragment = ctx.rerunning = fragment
                    outcome = CellOutcome()
                    if index == 0 and ctx.callbacks:
                        outcome = self._call_callbacks(ctx)
                    if outcome.error is None:
                        result.ran.append(fragment.cell)
                        outcome = await self.executor.call(
                            fragment.cell, fragment.function, fragment.args, fragment.kwargs,
                            ctx)
                        fragment.runs += 1
                    ctx.writer = writer
                    if isinstance(outcome.error, OutsideFragment):
                        return None
                    if outcome.error is None:
                        writer.finish()
                        continue
                    self._end(result, [], fragment.cell, writer, outcome)
                    return result
        finally:
            ctx.writer = None
            ctx.fragment = ctx.rerunning = None
        return result

    @staticmethod
    def _call_callbacks(ctx: RunContext) -> CellOutcome:
        """Widget `on_change`/`on_click` callbacks run before the script, as in Streamlit.

        Whatever a callback raises ends the run the way it would in a cell: `sys.exit()`
        stops the script, any other BaseException is shown in the first cell. Nothing may
        leave the run: a SystemExit would end the kernel.
        """
        ctx.in_callback = True
        try:
            for fn, args, kwargs in ctx.callbacks:
                try:
                    fn(*args, **kwargs)
                except (RerunRequested, StopRun) as exc:
                    return CellOutcome(exc)
                except BaseException as exc:  # noqa: BLE001 - shown in the cell, like a cell's
                    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
                    return CellOutcome(exc, "".join(lines).rstrip("\n").split("\n"))
        finally:
            ctx.in_callback = False
        return CellOutcome()

    def _end(
        self,
        result: RunResult,
        rest: list[Cell],
        cell: Cell | None,
        writer: CellWriter | None,
        outcome: CellOutcome,
    ) -> None:
        error = outcome.error
        result.error_cell = cell
        if isinstance(error, RerunRequested):
            result.status = RunStatus.SUPERSEDED
            if writer is not None:
                writer.close_stream()
            return
        if isinstance(error, (StopRun, SystemExit)):
            result.status = RunStatus.STOPPED
            if isinstance(error, SystemExit):
                result.error = error  # its code is a headless run's exit status (headless/app_run.py)
            if isinstance(error, SystemExit) and writer is not None:
                writer.add(notice_element(f"SystemExit({error.code!r}): the script stopped here."))
            if writer is not None:
                writer.finish()
            for later in rest:
                self.page.truncate(later, 0)
            return
        result.status = (RunStatus.INTERRUPTED if isinstance(error, KeyboardInterrupt)
                         else RunStatus.ERROR)
        result.error = error
        result.traceback = outcome.traceback
        if writer is not None:
            writer.add(error_element(error, outcome.traceback))
            writer.finish()
        label = cell_label(cell) if cell is not None else "a cell above"
        reason = "was interrupted" if result.status == RunStatus.INTERRUPTED else (
            f"raised {type(error).__name__}"
        )
        for later in rest:
            if later.extra.get("app"):
                continue  # its output area shows a live `%rerun_watch` app, which still runs
            self.page.set(later, 0, not_run_element(f"Not run: {label} {reason}."))
            self.page.truncate(later, 1)


def cell_label(cell: Cell) -> str:
    if cell.filename and not cell.filename.startswith("<"):
        return cell.filename
    if cell.execution_count is not None:
        return f"cell In[{cell.execution_count}]"
    return "a cell above"


UNCAUGHT = "uncaught"


def error_element(error: BaseException, lines: list[str]) -> Element:
    """What a cell shows when it raised (labelled apart from a caught one shown with
    `rk.exception`: only a raised one fails a headless run)."""
    text = "\n".join(lines) if lines else f"{type(error).__name__}: {error}"
    return Element(kind="exception", data={"text/plain": text}, value=error, label=UNCAUGHT)


def not_run_element(message: str) -> Element:
    """The message names an exception class and a file, which may carry any text."""
    html = f'<div style="opacity:0.6;font-style:italic">{escape(message)}</div>'
    return Element(kind="notrun", data={"text/plain": message, "text/html": html}, value=message)


def notice_element(message: str) -> Element:
    return Element(kind="notice", data={"text/plain": message}, value=message)


class PlainExecutor:
    """Plain Python: a .py app, or notebook cells run in-process by the testing API.

    Notebook cells keep one IPython habit: a bare expression on the last line is displayed.
    """

    def __init__(self, filename: str | None = None, display_last_expression: bool = False):
        self.filename = filename
        self.display_last_expression = display_last_expression
        self.namespace: dict[str, Any] = {}
        self.fresh_namespace()

    def fresh_namespace(self, into: dict[str, Any] | None = None) -> dict[str, Any]:
        namespace = {} if into is None else into
        namespace.clear()
        namespace.update({"__name__": "__main__", "__builtins__": __builtins__})
        if self.filename:
            namespace["__file__"] = self.filename
        self.namespace = namespace
        return namespace

    def capture(self, ctx: RunContext) -> Any:
        """Prints go to slots. IPython's display hooks are left alone: a plain run owns no
        shell, even when one exists (an app in a kernel routes them: kernel/apps.py)."""
        return capture_streams()

    async def execute(self, cell: Cell, ctx: RunContext) -> CellOutcome:
        filename = cell.filename or f"<cell {cell.id}>"
        if filename.startswith("<"):
            register_source(filename, cell.source)
        try:
            magic = not self.display_last_expression and magic_enabled()
            if magic:  # a .py app: Streamlit's magic
                bind_magic(self.namespace)
            code, last = _compiled(cell.source, filename, magic, self.display_last_expression)
            with no_running_loop():
                exec(code, self.namespace)
            if last is not None:
                value = eval(last, self.namespace)
                shown = not ends_with_element_call(cell.source, self.namespace)
                if value is not None and shown:
                    ctx.draw(hooks.display(value))
        except (RerunRequested, StopRun) as exc:
            return CellOutcome(exc)
        except BaseException as exc:  # noqa: BLE001 - every failure is shown in its cell
            return CellOutcome(exc, format_user_traceback(exc, filename))
        return CellOutcome()

    async def call(self, cell: Cell, function: Callable[..., Any], args: tuple,
                   kwargs: dict[str, Any], ctx: RunContext) -> CellOutcome:
        try:
            with no_running_loop():
                function(*args, **kwargs)
        except (RerunRequested, StopRun, OutsideFragment) as exc:
            return CellOutcome(exc)
        except BaseException as exc:  # noqa: BLE001 - shown in the fragment, as in a cell
            return CellOutcome(exc, format_user_traceback(exc, cell.filename
                                                          or f"<cell {cell.id}>"))
        return CellOutcome()


@functools.lru_cache(maxsize=256)
def _compiled(source: str, filename: str, magic: bool, split_last: bool
              ) -> tuple[Any, Any | None]:
    """A cell's code objects, compiled once per source: every rerun executes the same cell
    text, and parsing, the magic rewrite and compiling cost more than a small app's run."""
    tree = ast.parse(source, filename=filename)
    if magic:
        add_magic(tree)
    last = None
    if split_last and tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


@functools.lru_cache(maxsize=512)
def _last_call(source: str) -> ast.Expression | None:
    """The function expression of a cell's last line, when that line is a plain call."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    call = tree.body[-1].value
    if not isinstance(call, ast.Call):
        return None
    node = call.func
    while isinstance(node, ast.Attribute):
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ast.Expression(call.func)


def ends_with_element_call(source: str, namespace: dict[str, Any]) -> bool:
    """The cell ends with `rk.button(...)` or the like, whose value is not for display.

    Streamlit never writes what an element call returns; a notebook would show the last
    expression, so a cell ending in a widget call would also show "False".
    """
    expression = _last_call(unmarked(source))
    if expression is None:
        return False
    try:
        function = eval(compile(expression, "<last call>", "eval"), namespace)
    except Exception:
        return False
    return str(getattr(function, "__module__", "") or "").startswith("rerunkernel")


def run_sync(coro: Any) -> Any:
    """Run a coroutine that never waits on anything external, without an event loop.

    Plain-Python runs never await, so they can be driven from inside a running cell (a
    magic) or a test without nesting event loops.
    """
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("the script awaited something; top-level await needs the kernel's "
                       "notebook cells, not a plain-Python app")


def format_user_traceback(error: BaseException, filename: str) -> list[str]:
    """The traceback from the first frame of the user's code down, as text lines."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    if isinstance(error, SyntaxError) or tb is None:
        tb = None
    text = "".join(traceback.format_exception(type(error), error, tb))
    return text.rstrip("\n").split("\n")


def register_source(filename: str, source: str) -> None:
    """Let tracebacks show the lines of code that has no file on disk."""
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)


