"""`python -m rerunkernel`: start the kernel, or `install` its kernelspec."""

from __future__ import annotations

import argparse
import sys


def _install(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m rerunkernel install",
                                     description="Register the Rerun Script kernel.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for the current user")
    where.add_argument("--sys-prefix", action="store_true",
                       help="install into this Python environment (sys.prefix)")
    where.add_argument("--prefix", metavar="DIR", help="install under DIR/share/jupyter")
    args = parser.parse_args(argv)
    from .kernelspec import install

    path = install(user=args.user, prefix=args.prefix, sys_prefix=args.sys_prefix)
    print(f"Installed kernelspec 'rerun' (Rerun Script) in {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["install"]:
        return _install(argv[1:])
    from ipykernel.kernelapp import IPKernelApp

    from .kernel import RerunKernel

    IPKernelApp.launch_instance(argv=argv, kernel_class=RerunKernel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
