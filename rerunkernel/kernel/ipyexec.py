"""Notebook cells through IPython, with IPython's output machinery routed into slots.

Cells keep everything IPython gives them (magics, `!cmd`, top-level await, the displayed last
expression, `%matplotlib inline`), but during a run what they print, display and raise goes
to the cell's slots instead of straight to the front-end. The swaps are undone after each
run, so the shell is an ordinary shell between runs (a console or a debugger see no
difference).
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Iterator

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher

from ..core import hooks, runtime
from ..core.capture import capture_streams
from ..core.element import Element, bundle_element
from ..core.fragments import OutsideFragment
from ..core.runner import CellOutcome, ends_with_element_call
from ..core.runtime import RerunRequested, RunContext, StopRun
from ..core.script import Cell
from . import standard_output
from .cell_code import ReusingCompiler, reusable, reusing
from .host import interrupt_cancelled
from .namespace_gc import Collector

_CONTROL = (RerunRequested, StopRun, OutsideFragment)
# the number a cell's tracebacks name it by: its request's when the run ran it
RAN_AS = "ran_as"
# set by the front-end or the server, not by the script: they survive fresh namespaces
CARRIED_NAMES = ("__session__", "__vsc_ipynb_file__")
# what a new `__main__` module holds, for a namespace refilled in place
MODULE_NAMES = dict(vars(types.ModuleType("__main__")))


class SlotDisplayPublisher(DisplayPublisher):
    """`display(...)` from the script draws an element; from other threads it passes through."""

    def __init__(self, fallback: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fallback = fallback

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                **kwargs):
        ctx = runtime.active() if runtime.is_script_thread() else None
        if ctx is None or ctx.writer is None:
            return self._fallback.publish(data, metadata, transient=transient, update=update,
                                          **kwargs)
        name = (transient or {}).get("display_id")
        element = bundle_element(data, metadata)
        ctx.checkpoint()
        if update and name:
            ctx.writer.update_named(name, element)
        else:
            ctx.writer.add(element, name=name)

    def __getattr__(self, name: str) -> Any:
        # set_parent & co.: other threads (a subshell handling a widget message) still talk
        # to the kernel's own publisher while a run has ours installed
        if name.startswith("__") or name == "_fallback":
            raise AttributeError(name)
        return getattr(self._fallback, name)

    def clear_output(self, wait=False):
        ctx = runtime.active() if runtime.is_script_thread() else None
        if ctx is None or ctx.writer is None:
            return self._fallback.clear_output(wait)
        if ctx.writer is ctx.cell_writer and standard_output.is_standard(ctx):
            return standard_output.clear(ctx, self._fallback, wait)
        ctx.writer.clear()


class SlotDisplayHook:
    """The value of a cell's last expression becomes an element of that cell, and is
    `Out[n]` and `_` as in IPython; a cell that won't rerun gets a real `execute_result`
    (standard_output.py)."""

    def __init__(self, shell: Any, fallback: Any) -> None:
        self.shell = shell
        self._fallback = fallback

    def __call__(self, result: Any = None) -> None:
        ctx = runtime.active() if runtime.is_script_thread() else None
        if ctx is None or ctx.writer is None:
            return self._fallback(result)
        if result is None:
            return None
        source = ctx.writer.cell.source
        if DisplayHook.semicolon_at_end_of_expression(source):
            return None
        if ends_with_element_call(source, self.shell.user_ns):
            return None
        shell = self.shell
        count = shell.execution_count
        # IPython 9 numbers Out[] one below the count it holds while a cell runs (it counts
        # before running); ours is the cell's own number
        shell.execution_count += count - self._fallback.prompt_count
        try:
            if standard_output.is_standard(ctx):
                return self._fallback(result)
            self._fallback.update_user_ns(result)
            self._fallback.fill_exec_result(result)
        finally:
            shell.execution_count = count
        ctx.draw(hooks.display(result))
        return None


@contextmanager
def routed_output(
    shell: Any, on_traceback: Callable[[BaseException, list[str]], None] | None = None
) -> Iterator[None]:
    """While a run lasts, IPython's display, displayhook, tracebacks and streams feed slots."""
    saved_pub = shell.display_pub
    saved_trap_hook = shell.display_trap.hook
    saved_sys_hook = sys.displayhook
    had_own_showtb = "_showtraceback" in vars(shell)
    saved_showtb = shell._showtraceback
    hook = SlotDisplayHook(shell, saved_trap_hook)
    shell.display_pub = _slot_publisher(shell, saved_pub)
    shell.display_trap.hook = hook
    if sys.displayhook is saved_trap_hook:
        sys.displayhook = hook

    def record_traceback(etype: type, evalue: BaseException, stb: list[str]) -> None:
        if on_traceback is None or not runtime.is_script_thread():
            return saved_showtb(etype, evalue, stb)
        on_traceback(evalue, list(stb))
        return None

    def record_usage_error(error: BaseException) -> None:
        # a magic's UsageError: shown once, as the cell's error, not also on stderr
        if on_traceback is None or not runtime.is_script_thread():
            return saved_usage(error)
        on_traceback(error, [f"UsageError: {error}"])
        return None

    had_own_usage = "show_usage_error" in vars(shell)
    saved_usage = shell.show_usage_error
    shell._showtraceback = record_traceback
    shell.show_usage_error = record_usage_error
    try:
        with capture_streams():
            yield
    finally:
        shell.display_pub = saved_pub
        shell.display_trap.hook = saved_trap_hook
        sys.displayhook = saved_sys_hook
        if had_own_showtb:
            shell._showtraceback = saved_showtb
        else:
            del shell._showtraceback
        if had_own_usage:
            shell.show_usage_error = saved_usage
        else:
            del shell.show_usage_error


# (id(shell), id(fallback)) -> (shell, fallback, publisher); the entry keeps both ids valid
_publishers: dict[tuple[int, int], tuple[Any, Any, SlotDisplayPublisher]] = {}


def _slot_publisher(shell: Any, fallback: Any) -> SlotDisplayPublisher:
    """The shell's slot publisher over `fallback`, made once and installed by every run.

    IPython's DisplayPublisher registers itself for the shell's pre_execute and
    post_execute events when made, and never leaves: one made per run left the shell
    calling a callback more per event after every rerun (and kept each publisher alive).
    """
    key = (id(shell), id(fallback))
    found = _publishers.get(key)
    if found is not None and found[0] is shell and found[1] is fallback:
        return found[2]
    publisher = SlotDisplayPublisher(fallback, shell=shell)
    _publishers[key] = (shell, fallback, publisher)
    return publisher


def renumbered(element: Element, cell: Cell, error_cell: Cell | None) -> Element | None:
    """The element with the numbers a re-shown cell's prompt and the failed cell's now show,
    or None if it names neither.

    Run All and Shift+Enter walking down run every cell at the first request, each under the
    number of its previous request (what its prompt showed then); its own request comes
    next and only re-shows it, under a new number. Its traceback ("Cell In[2]") and the
    notices below ("Not run: cell In[2] raised ...") must name the number on screen.
    """
    text = element.data.get("text/plain")
    if not isinstance(text, str):
        return None
    if element.kind == "exception":
        old, new, pattern = cell.extra.get(RAN_AS), cell.execution_count, _cell_in
    elif element.kind == "notrun" and error_cell is not None:
        old, new, pattern = error_cell.extra.get(RAN_AS), error_cell.execution_count, _not_run
    else:
        return None
    if old is None or new is None or old == new:
        return None
    changed = pattern(old).sub(lambda m: f"{m.group(1)}In[{new}]", text)
    if changed == text:
        return None
    data = {**element.data, "text/plain": changed}
    if "text/html" in data:
        data["text/html"] = pattern(old).sub(lambda m: f"{m.group(1)}In[{new}]",
                                             data["text/html"])
    value = changed if element.kind == "notrun" else element.value
    return replace(element, data=data, value=value)


def renumbered_traceback(lines: list[str], cell: Cell) -> list[str]:
    """A re-shown cell's own traceback, as the reply to its request carries it: naming the
    number its prompt shows, as `renumbered` makes the traceback on screen do."""
    old, new = cell.extra.get(RAN_AS), cell.execution_count
    if old is None or new is None or old == new:
        return lines
    pattern = _cell_in(old)
    return [pattern.sub(lambda m: f"{m.group(1)}In[{new}]", line) for line in lines]


def _cell_in(number: int) -> re.Pattern[str]:
    # IPython colours "Cell" and "In[n]" apart: "\x1b[0;32mCell\x1b[0m \x1b[0;32mIn[2]"
    return re.compile(rf"(Cell(?:\x1b\[[0-9;]*m)*\s+(?:\x1b\[[0-9;]*m)*)In\[{number}\]")


def _not_run(number: int) -> re.Pattern[str]:
    return re.compile(rf"(Not run: cell )In\[{number}\]")


TRANSFORMS_KEPT = 512


class IPythonExecutor:
    def __init__(self, shell: Any, collector: Collector | None = None) -> None:
        self.shell = shell
        self.collector = collector
        self._traceback: tuple[BaseException, list[str]] | None = None
        self._transformed: dict[tuple[str, tuple[int, ...]], str] = {}
        self._compiler: ReusingCompiler | None = None

    def _transform(self, source: str) -> str:
        """IPython's transform of a cell (magics, `!`, `?` into Python), once per source.

        Every rerun executes the same cells, and tokenizing each one again was a tenth of a
        small rerun. The transform depends only on the source and the transformers installed,
        which are part of the key, so an extension that adds one is seen.
        """
        shell = self.shell
        manager = shell.input_transformer_manager
        transformers = (*shell.input_transformers_cleanup, *manager.line_transforms,
                        *manager.token_transformers, *shell.input_transformers_post)
        key = (source, tuple(map(id, transformers)))
        found = self._transformed.get(key)
        if found is None:
            found = shell.transform_cell(source)
            if len(self._transformed) >= TRANSFORMS_KEPT:
                self._transformed.clear()
            self._transformed[key] = found
        return found

    @contextmanager
    def _compiles_reused(self, transformed: str, parsed: bool) -> Iterator[None]:
        """IPython's parse and compiles of a cell, once per source (cell_code.py)."""
        shell = self.shell
        if not parsed or not reusable(shell):
            yield
            return
        if self._compiler is None or self._compiler.real is not shell.compile:
            self._compiler = ReusingCompiler(shell.compile)
        with reusing(shell, self._compiler, transformed):
            yield

    @property
    def namespace(self) -> dict[str, Any]:
        return self.shell.user_ns

    def fresh_namespace(self, into: dict[str, Any] | None = None) -> dict[str, Any]:
        """A new `__main__` for this run, installed as IPython's own (docs/ARCHITECTURE.md,
        "Fresh namespace per run"); `into` is refilled rather than replaced."""
        shell = self.shell
        old = shell.user_ns
        carried = {k: old[k] for k in CARRIED_NAMES if k in old}
        module: Any = shell.user_module
        if into is None or (into is vars(module) and type(module) is types.ModuleType):
            # a plain module, as IPython makes at start: its namespace is freed as soon as
            # nothing refers to it (the module type IPython makes for a given dict is a
            # class per namespace, whose methods keep it until a full collection)
            if into is None:
                module = types.ModuleType("__main__")
            else:
                into.clear()
                into.update(MODULE_NAMES)
            vars(module).update(carried)
            module, ns = shell.prepare_user_module(module, None)
        else:
            into.clear()
            into.update({"__name__": "__main__", **carried})
            module, ns = shell.prepare_user_module(None, into)
        shell.user_module = module
        shell.user_ns = ns
        shell.user_ns_hidden = {}
        shell.ns_table["user_global"] = module.__dict__
        shell.ns_table["user_local"] = ns
        shell.init_user_ns()
        sys.modules["__main__"] = module
        completer = vars(shell).get("Completer")
        if completer is not None:
            # made with the namespace of its time, it would complete the names of that run
            # (and keep its namespace alive)
            completer.namespace = completer.global_namespace = ns
        del module
        if into is None and self.collector is not None:
            self.collector.dropped(old)
        return ns

    def capture(self, ctx: RunContext) -> Any:
        return routed_output(self.shell, self._record_traceback)

    def _record_traceback(self, evalue: BaseException, stb: list[str]) -> None:
        self._traceback = (evalue, stb)

    def _as_keyboard_interrupt(self, cancelled: BaseException) -> KeyboardInterrupt:
        """An await stopped by "Interrupt kernel" reads as the interrupt it was, at the
        line that was waiting (the cancellation is how it got there, see host.py)."""
        interrupt = KeyboardInterrupt()
        tb = cancelled.__traceback__
        self.shell.showtraceback((KeyboardInterrupt, interrupt.with_traceback(tb), tb),
                                 running_compiled_code=True)
        return interrupt

    async def execute(self, cell: Cell, ctx: RunContext) -> CellOutcome:
        shell = self.shell
        saved_count = shell.execution_count
        if cell.execution_count is not None:
            # tracebacks then name the cell as its prompt does: "Cell In[3], line 2"
            shell.execution_count = cell.execution_count
        cell.extra[RAN_AS] = cell.execution_count
        self._traceback = None
        try:
            preprocessing_exc_tuple = None
            try:
                transformed = self._transform(cell.source)
            except Exception:
                transformed = cell.source
                preprocessing_exc_tuple = sys.exc_info()
            with standard_output.plain_streams(standard_output.is_standard(ctx)), \
                    self._compiles_reused(transformed, preprocessing_exc_tuple is None):
                result = await shell.run_cell_async(
                    cell.source,
                    store_history=False,
                    silent=False,
                    transformed_cell=transformed,
                    preprocessing_exc_tuple=preprocessing_exc_tuple,
                    cell_id=cell.id,
                )
            shell.events.trigger("post_execute")
            shell.events.trigger("post_run_cell", result)
        finally:
            shell.execution_count = saved_count
        error = result.error_before_exec or result.error_in_exec
        if error is None:
            return CellOutcome()
        if isinstance(error, _CONTROL):
            self._forget(error)
            return CellOutcome(error)
        if interrupt_cancelled(error):
            error = self._as_keyboard_interrupt(error)
        lines = []
        if self._traceback is not None and self._traceback[0] is error:
            lines = self._traceback[1]
        return CellOutcome(error, lines)

    def _forget(self, error: BaseException) -> None:
        """A stop or a newer trigger ends a run; it is not an error to debug. IPython keeps
        the last exception (`sys.last_value`, its traceback formatter's, the last result's),
        and the frames of its traceback would keep that run's namespace alive
        (namespace_gc.py): a control exception loses its traceback and is no last value."""
        if getattr(sys, "last_value", None) is error:
            for name in ("last_type", "last_value", "last_traceback", "last_exc"):
                if hasattr(sys, name):
                    delattr(sys, name)
            self.shell.InteractiveTB.tb = None
        error.__traceback__ = None

    async def call(self, cell: Cell, function: Callable[..., Any], args: tuple,
                   kwargs: dict[str, Any], ctx: RunContext) -> CellOutcome:
        """A fragment's function, called between IPython's execute events as a cell's code
        is: `%matplotlib inline` shows the figures it made when it ends."""
        shell = self.shell
        shell.events.trigger("pre_execute")
        try:
            function(*args, **kwargs)
        except _CONTROL as exc:
            return CellOutcome(exc)
        except BaseException as exc:  # noqa: BLE001 - shown in the fragment, as in a cell
            tb = exc.__traceback__
            # from the fragment's own frame down, as a cell's traceback starts at its code
            code = getattr(inspect.unwrap(function), "__code__", None)
            while tb is not None and tb.tb_frame.f_code is not code:
                tb = tb.tb_next
            lines = shell.InteractiveTB.structured_traceback(
                type(exc), exc, tb or exc.__traceback__, tb_offset=0)
            return CellOutcome(exc, lines)
        finally:
            shell.events.trigger("post_execute")
        return CellOutcome()
