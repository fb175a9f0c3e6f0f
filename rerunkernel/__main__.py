"""`python -m rerunkernel`: start the kernel (`-f CONNECTION_FILE`), or `install` its spec."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["install"], ["run"]):
        from .headless.cli import main as cli

        return cli(argv)
    from ipykernel.kernelapp import IPKernelApp

    from .kernel.rerun_kernel import RerunKernel

    IPKernelApp.launch_instance(argv=argv, kernel_class=RerunKernel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
