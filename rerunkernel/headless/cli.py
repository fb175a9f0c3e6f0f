"""`rerunkernel run PATH [--set NAME=VALUE ...]`: an app or notebook, once, headless.

A notebook runs in a kernel through nbclient. A .py app runs in this process (no kernel to
start, see `app_run.py`) unless it needs what only a kernel run makes: a saved notebook
(`--output`, `--html`) or a chosen kernelspec (`--kernel`, `RERUNKERNEL_KERNEL`).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from ..core.exits import Failure


def _preset(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: expected LABEL_OR_KEY=VALUE")
    return name.strip(), value


def _in_process(args: argparse.Namespace) -> bool:
    # the in-process deadline is a SIGALRM timer, which Windows lacks
    timer = not args.timeout or hasattr(signal, "setitimer")
    return (Path(args.path).suffix == ".py" and args.kernel is None and timer
            and not args.output and not args.html)


def _run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        problem = "not a file" if path.exists() else "no such file"
        print(f"rerunkernel run: {path}: {problem}", file=sys.stderr)
        return 2
    presets = dict(args.set or [])
    if _in_process(args):
        from .app_run import run_app

        done = run_app(path, presets, args.timeout)
        return _report(args.path, done.screen, done.failure)
    from . import notebook_run as headless

    try:
        nb = headless.load(path)
    except ValueError as error:
        print(f"rerunkernel run: {error}", file=sys.stderr)
        return 2
    failure = headless.execute(nb, presets, cwd=str(path.resolve().parent),
                               kernel_name=args.kernel or "rerun", timeout=args.timeout,
                               progress=headless.terminal_progress, mode=args.mode)
    if args.output:
        import nbformat

        nbformat.write(nb, args.output)
    if args.html:
        headless.write_html(nb, args.html)
    return _report(args.path, headless.render_text(nb), failure)


def _report(path: str, screen: str, failure: Failure | None) -> int:
    """Print the screen, then why the run failed; a bad `--set` gets its error alone."""
    shown = bool(screen) and (failure is None or not failure.bad_preset)
    if shown:
        print(screen)
    if failure is None:
        return 0
    gap = "\n" if shown else ""
    print(f"{gap}rerunkernel run: {path} failed: {failure.ename}: {failure.evalue}",
          file=sys.stderr)
    return failure.exit_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rerunkernel", description=(
        "Run a Rerun Script notebook or .py app headless, or register the kernel."))
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="execute a notebook or app once and print its screen")
    run.add_argument("path", help="a notebook (.ipynb) or an app (.py)")
    run.add_argument("--set", action="append", type=_preset, metavar="LABEL_OR_KEY=VALUE",
                     help="a widget value for this run (repeatable)")
    run.add_argument("--output", metavar="OUT.ipynb", help="save the executed notebook")
    run.add_argument("--html", metavar="OUT.html", help="save a static HTML page")
    run.add_argument("--kernel", default=os.environ.get("RERUNKERNEL_KERNEL"),
                     help="kernelspec to run with (default: rerun; a .py app runs in this "
                          "process unless a kernel is named)")
    run.add_argument("--timeout", type=int, default=None,
                     help="seconds a cell (or a .py app) may run before the run fails")
    run.add_argument("--mode", choices=("all", "changed"), default=None,
                     help="rerun mode (default: the notebook's own, else all)")

    install = commands.add_parser("install", help="register the Rerun Script kernelspec")
    where = install.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true")
    where.add_argument("--sys-prefix", action="store_true")
    where.add_argument("--prefix", metavar="DIR")

    args = parser.parse_args(argv)
    if args.command == "install":
        from ..kernel.kernelspec import install as do_install

        path = do_install(user=args.user, prefix=args.prefix, sys_prefix=args.sys_prefix)
        print(f"Installed kernelspec 'rerun' (Rerun Script) in {path}")
        return 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
