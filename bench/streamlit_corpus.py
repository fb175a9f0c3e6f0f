"""How many real Streamlit apps run unchanged under `rerunkernel run`.

Takes a folder of Streamlit apps written by others (kept outside this repository: their code
is theirs) and, for each `.py` app in it:

1. runs it under Streamlit's own `streamlit.testing.v1.AppTest`, and keeps it only if it runs
   clean there (an app that needs the network, a secret or a missing file is no test of us);
2. runs the same file, unchanged, with `rerunkernel run app.py` in its own process, and counts
   it if the run reaches the end.

It prints the share that ran, the share per subfolder (say, Streamlit's element scripts
apart from community apps), and the failures grouped by their error message, most frequent
first. Streamlit's verdicts are kept in `FOLDER/.streamlit_verdicts.json` by the app's
content and Streamlit's version, so a second run only times rerunkernel.

A `.py` file that a sibling imports (`from utils import ...`) is a helper, not an app, and
so is a file that never mentions streamlit. Each run gets `--timeout` seconds.

    .venv/bin/python bench/streamlit_corpus.py /tmp/st_corpus [--jobs 2] [--timeout 60]

To measure another checkout of the package, put it first on the path:
`PYTHONPATH=/path/to/checkout .venv/bin/python bench/streamlit_corpus.py FOLDER`.
"""

from __future__ import annotations

import argparse
import ast
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

VERDICTS = ".streamlit_verdicts.json"
VERDICT_RULES = 2  # bumped when what counts as clean changes, so old verdicts are not reused
UNCAUGHT = "Uncaught app execution"  # what Streamlit logs when an app raises
FAILED_LINE = re.compile(r"^rerunkernel run: .* failed: (?P<error>.*)$", re.MULTILINE)


@dataclass
class Outcome:
    app: Path
    ok: bool
    error: str = ""


def is_app(path: Path, helpers: set[Path]) -> bool:
    if path.name == "__init__.py" or path in helpers:
        return False
    return "streamlit" in path.read_text(encoding="utf-8", errors="replace")


def imported_siblings(path: Path) -> set[Path]:
    """Local modules an app imports: helpers that aren't apps of their own."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return {path.parent / f"{name}.py" for name in names} - {path}


def find_apps(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.rglob("*.py") if ".streamlit" not in p.parts)
    helpers = set().union(*(imported_siblings(p) for p in files)) if files else set()
    return [p for p in files if is_app(p, helpers)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def streamlit_worker(path: str, timeout: float) -> None:
    """Run one app under Streamlit's AppTest (in a process of its own) and print a verdict."""
    from streamlit.testing.v1 import AppTest

    os.chdir(Path(path).parent)
    try:
        at = AppTest.from_file(path, default_timeout=timeout)
        at.run()
        # an app may show an exception on purpose (`st.exception(e)`); only an uncaught one,
        # which Streamlit logs, fails the app, and it is the last with a traceback
        errors = [one_line(e.message) for e in at.exception if e.stack_trace]
        verdict = {"ok": True, "error": errors[-1] if errors else ""}
    except Exception as error:  # noqa: BLE001 - any failure means "not a clean app"
        verdict = {"ok": False, "error": one_line(f"{type(error).__name__}: {error}")}
    print(json.dumps(verdict))


def run_streamlit(app: Path, timeout: float) -> Outcome:
    command = [sys.executable, __file__, "--streamlit-worker", str(app),
               "--timeout", str(timeout)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout * 2,
                              cwd=app.parent)
    except subprocess.TimeoutExpired:
        return Outcome(app, False, "timed out under Streamlit")
    lines = done.stdout.strip().splitlines()
    try:
        verdict = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return Outcome(app, False, one_line(done.stderr[-300:] or "no verdict"))
    if UNCAUGHT in done.stderr:
        return Outcome(app, False, verdict["error"] or one_line(done.stderr.splitlines()[-1]))
    return Outcome(app, verdict["ok"], verdict["error"])


def run_rerunkernel(app: Path, timeout: float) -> Outcome:
    command = [sys.executable, "-m", "rerunkernel", "run", str(app),
               "--timeout", str(int(timeout))]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout * 2,
                              cwd=app.parent, env=env)
    except subprocess.TimeoutExpired:
        return Outcome(app, False, "CellTimeoutError: the process did not end")
    if done.returncode == 0:
        return Outcome(app, True)
    found = FAILED_LINE.search(done.stderr)
    if found:
        return Outcome(app, False, one_line(found.group("error")))
    tail = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
    return Outcome(app, False, one_line(f"crash: {tail[0]}"))


def group_key(error: str, app: Path) -> str:
    """Failures alike whatever app they came from: the app's own path and numbers cut."""
    error = error.replace(str(app), "APP").replace(app.name, "APP")
    return re.sub(r"\b\d+(\.\d+)?\b", "N", error)


def clean_under_streamlit(apps: list[Path], folder: Path, timeout: float,
                          jobs: int) -> list[Path]:
    import streamlit

    store = folder / VERDICTS
    known = json.loads(store.read_text()) if store.exists() else {}
    version = streamlit.__version__
    keys = {app: f"{VERDICT_RULES}:{version}:{digest(app)}" for app in apps}
    todo = [app for app in apps if keys[app] not in known]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for outcome in pool.map(lambda a: run_streamlit(a, timeout), todo):
            known[keys[outcome.app]] = {"ok": outcome.ok, "error": outcome.error}
    store.write_text(json.dumps(known, indent=1, sort_keys=True))
    skipped = [(app, known[keys[app]]["error"]) for app in apps if not known[keys[app]]["ok"]]
    if skipped:
        print(f"left out, failing under Streamlit {version} itself: {len(skipped)}")
        for app, error in skipped:
            print(f"  {app.relative_to(folder)}: {error}")
    return [app for app in apps if known[keys[app]]["ok"]]


def report(outcomes: list[Outcome], folder: Path, top: int) -> None:
    ran = [o for o in outcomes if o.ok]
    total = len(outcomes)
    share = 100 * len(ran) / total if total else 0.0
    print(f"\nran to the end under rerunkernel: {len(ran)} of {total} ({share:.0f}%)")
    by_part: dict[str, list[Outcome]] = collections.defaultdict(list)
    for outcome in outcomes:
        parts = outcome.app.relative_to(folder).parts
        by_part[parts[0] if len(parts) > 1 else "."].append(outcome)
    for part, group in sorted(by_part.items()):
        good = sum(o.ok for o in group)
        print(f"  {part}: {good} of {len(group)} ({100 * good / len(group):.0f}%)")
    groups: dict[str, list[Outcome]] = collections.defaultdict(list)
    for outcome in outcomes:
        if not outcome.ok:
            groups[group_key(outcome.error, outcome.app)].append(outcome)
    if not groups:
        return
    print(f"\nfailures by error (top {top}):")
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    for key, group in ranked[:top]:
        names = ", ".join(str(o.app.relative_to(folder)) for o in group[:4])
        more = f" +{len(group) - 4}" if len(group) > 4 else ""
        print(f"{len(group):3d}  {key}\n       {names}{more}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--jobs", type=int, default=2, help="apps run side by side")
    parser.add_argument("--top", type=int, default=15, help="failure groups shown")
    parser.add_argument("--only", help="run only apps whose path contains this text")
    parser.add_argument("--streamlit-worker", metavar="APP", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.streamlit_worker:
        streamlit_worker(args.streamlit_worker, args.timeout)
        return
    if args.folder is None:
        # `make bench` runs every script with no arguments; the corpus is not in the repo
        print("streamlit_corpus: no folder of apps given, nothing measured "
              "(usage: bench/streamlit_corpus.py FOLDER)")
        return
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder of Streamlit apps")
    folder = args.folder.resolve()
    apps = find_apps(folder)
    if args.only:
        apps = [app for app in apps if args.only in str(app.relative_to(folder))]
    print(f"{len(apps)} apps in {folder}")
    apps = clean_under_streamlit(apps, folder, args.timeout, args.jobs)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda a: run_rerunkernel(a, args.timeout), apps))
    report(outcomes, folder, args.top)


if __name__ == "__main__":
    main()
