"""Runs without a front-end: `rerunkernel run` for apps (in-process) and notebooks
(through nbclient), and the command line."""
