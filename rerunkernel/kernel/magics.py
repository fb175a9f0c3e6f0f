"""`%rerun_watch`, `%rerun_stop`, `%rerun_on_save`; `%load_ext rerunkernel` in any kernel."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .apps import Apps


def _apps(shell: Any) -> Apps:
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        raise UsageError("%rerun_watch needs a Jupyter kernel (it draws into a notebook cell)")
    apps = getattr(kernel, "rerun_apps", None)
    if apps is None:
        apps = kernel.rerun_apps = Apps(kernel)
    return apps


@magics_class
class RerunMagics(Magics):
    @magic_arguments()
    @argument("target", help="a .py file, or an http(s) URL, whose app is drawn in this cell")
    @argument("--once", action="store_true",
              help="draw the app once and do not watch the file (headless runs)")
    @argument("--reload", action="store_true", help="fetch a URL app again")
    @line_magic
    def rerun_watch(self, line: str) -> None:
        """Draw an app from a file in this cell; rerun it on every save and widget change."""
        args = parse_argstring(self.rerun_watch, line)
        target = args.target.strip("'\"")
        try:
            _apps(self.shell).start(target, once=args.once, reload=args.reload)
        except ValueError as error:
            raise UsageError(str(error)) from None

    @magic_arguments()
    @argument("target", nargs="?", default=None, help="the file or URL to stop (default: all)")
    @line_magic
    def rerun_stop(self, line: str) -> None:
        """Stop watching one app, or all of them."""
        args = parse_argstring(self.rerun_stop, line)
        target = args.target.strip("'\"") if args.target else None
        stopped = _apps(self.shell).stop(target)
        if target is not None and not stopped:
            raise UsageError(f"{target} is not being watched")
        print(f"stopped {stopped} app{'s' if stopped != 1 else ''}")

    @line_magic
    def rerun_on_save(self, line: str) -> None:
        """`%rerun_on_save off|on`: whether saving the notebook reruns it (default on)."""
        kernel = getattr(self.shell, "kernel", None)
        watcher = getattr(kernel, "notebook_file", None)
        if watcher is None:
            raise UsageError("%rerun_on_save works in the Rerun Script kernel")
        word = line.strip().lower()
        if word not in ("on", "off", ""):
            raise UsageError("usage: %rerun_on_save on|off")
        if word:
            watcher.enabled = word == "on"
        print(f"rerun on save is {'on' if watcher.enabled else 'off'}"
              + (f" for {watcher.path}" if watcher.path else " (notebook path not known)"))


def load_ipython_extension(shell: Any) -> None:
    shell.register_magics(RerunMagics)


def unload_ipython_extension(shell: Any) -> None:
    kernel = getattr(shell, "kernel", None)
    apps = getattr(kernel, "rerun_apps", None)
    if apps is not None:
        apps.stop_all()
