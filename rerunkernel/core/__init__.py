"""The rerun model, free of any kernel: a script of cells, run top to bottom into a page.

`session.py` ties a script, its widgets and its page together and serves rerun requests
(`triggers.py`); `runner.py` runs the cells in order, each into its own slots (`page.py`),
and asks `reuse.py` which cells it may take from their last run instead; `runtime.py` is the
run that element calls draw into. The kernel, the headless runner and `AppTest` all drive
this same core (docs/ARCHITECTURE.md, "Packages").
"""
