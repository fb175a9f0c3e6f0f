"""`python -m rerunkernel`: start the kernel (`-f CONNECTION_FILE`), or `install` its spec."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["install"], ["run"]):
        from .headless.cli import main as cli

        return cli(argv)
    # Start-up makes some 200,000 objects that live as long as the kernel: collecting while
    # they are made scans them again and again (a tenth of the start), and frozen they are
    # never scanned by a rerun's collections either.
    gc.disable()
    from ipykernel.kernelapp import IPKernelApp

    from .kernel.rerun_kernel import RerunKernel

    app = IPKernelApp.instance(kernel_class=RerunKernel)
    app.initialize(argv)
    gc.freeze()
    gc.enable()
    app.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
