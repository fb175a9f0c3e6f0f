"""`%rerun_mode`, and the `%%cache` / `%%rerun_always` cell markers.

The markers are read by the runner (core/reuse.py) from a cell's first line and never reach
IPython there; the cell magics below exist so the same cell also runs where no runner reads
them (a console, a plain IPython kernel), as an ordinary cell.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from ..core.reuse import ModeError, Reuse


def _reuse(shell: Any) -> Reuse:
    session = getattr(getattr(shell, "kernel", None), "notebook_session", None)
    reuse = getattr(session, "reuse", None)
    if reuse is None:
        raise UsageError("%rerun_mode works in the Rerun Script kernel")
    return reuse


def describe(reuse: Reuse) -> str:
    lines = [f"rerun mode: {reuse.mode}"]
    if reuse.last_summary:
        lines.append(f"last run: {reuse.last_summary}")
    lines.append(f"stored cell results: {reuse.entry_count()}, "
                 f"about {reuse.bytes_held / 1e6:.1f} MB (cap {reuse.max_bytes / 1e6:.0f} MB)")
    script = reuse.session.script
    for cell_id, why in reuse.report()["notReusable"].items():
        cell = script.get(cell_id)
        where = f"In[{cell.execution_count}]" if cell and cell.execution_count else cell_id
        lines.append(f"  not reusable: {where} {why}")
    return "\n".join(lines)


@magics_class
class ReuseMagics(Magics):
    @line_magic
    def rerun_mode(self, line: str) -> None:
        """`%rerun_mode changed`: reruns execute only cells whose inputs changed.

        `%rerun_mode all` (the default) reruns every cell; with no argument, show the mode,
        the last run and the cells that could not be reused, with the reason.
        """
        reuse = _reuse(self.shell)
        word = line.strip().lower()
        if word:
            try:
                reuse.set_mode(word)
            except ModeError as error:
                raise UsageError(f"%rerun_mode {word}: {error}") from None
        print(describe(reuse) if not word else f"rerun mode: {reuse.mode} "
              f"({'every cell reruns' if reuse.mode == 'all' else 'only changed cells rerun'})")

    @cell_magic
    def cache(self, line: str, cell: str) -> None:
        """`%%cache`: reuse this cell while nothing it depends on changed, in any mode."""
        self.shell.run_cell(cell, store_history=False)

    @cell_magic
    def rerun_always(self, line: str, cell: str) -> None:
        """`%%rerun_always`: run this cell on every rerun, even in `changed` mode."""
        self.shell.run_cell(cell, store_history=False)

