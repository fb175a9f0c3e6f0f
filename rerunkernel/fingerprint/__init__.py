"""Exact fingerprints of what a result depends on: values, code and the globals it reads,
files. Shared by `rk.cache` (its keys) and the rerun mode that reuses unchanged cells; it
imports nothing else of rerunkernel (docs/ARCHITECTURE.md, "Packages").
"""
