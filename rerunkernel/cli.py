"""`rerunkernel run PATH [--set NAME=VALUE ...]`: an app or notebook, once, headless."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _preset(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: expected LABEL_OR_KEY=VALUE")
    return name.strip(), value


def _run(args: argparse.Namespace) -> int:
    from . import headless

    try:
        nb = headless.load(args.path)
    except (FileNotFoundError, ValueError) as error:
        print(f"rerunkernel run: {error}", file=sys.stderr)
        return 2
    presets = dict(args.set or [])
    cwd = str(Path(args.path).resolve().parent)
    error = headless.execute(nb, presets, cwd=cwd, kernel_name=args.kernel,
                             timeout=args.timeout, progress=headless.terminal_progress,
                             mode=args.mode)
    screen = headless.render_text(nb)
    if screen:
        print(screen)
    if args.output:
        import nbformat

        nbformat.write(nb, args.output)
    if args.html:
        headless.write_html(nb, args.html)
    if error is not None:
        print(f"\nrerunkernel run: {args.path} failed: {error.ename}: {error.evalue}",
              file=sys.stderr)
        return 1
    return 0


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
    run.add_argument("--kernel", default=os.environ.get("RERUNKERNEL_KERNEL", "rerun"),
                     help="kernelspec to run with (default: rerun)")
    run.add_argument("--timeout", type=int, default=None,
                     help="seconds a cell may run before the run fails")
    run.add_argument("--mode", choices=("all", "changed"), default=None,
                     help="rerun mode (default: the notebook's own, else all)")

    install = commands.add_parser("install", help="register the Rerun Script kernelspec")
    where = install.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true")
    where.add_argument("--sys-prefix", action="store_true")
    where.add_argument("--prefix", metavar="DIR")

    args = parser.parse_args(argv)
    if args.command == "install":
        from .kernelspec import install as do_install

        path = do_install(user=args.user, prefix=args.prefix, sys_prefix=args.sys_prefix)
        print(f"Installed kernelspec 'rerun' (Rerun Script) in {path}")
        return 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
