"""How many real Streamlit apps run unchanged under `rerunkernel run`.

Takes a folder of Streamlit apps written by others (kept outside this repository: their code
is theirs) and, for each `.py` app in it:

1. runs it under Streamlit's own `streamlit.testing.v1.AppTest`, and keeps it only if it runs
   clean there (an app that needs the network, a secret or a missing file is no test of us);
   an uncaught exception is what fails it, not one the app shows on purpose;
2. runs the same file, unchanged, with `rerunkernel run app.py` in its own process, and counts
   it if the run reaches the end;
3. runs it under our `rerunkernel.testing.AppTest` and compares what is on screen with what
   Streamlit's AppTest drew: the kinds of the elements in reading order, and each widget's
   label.

It prints the share that ran, the share per subfolder (say, Streamlit's element scripts
apart from community apps), and the failures grouped by their error message, most frequent
first; then the share that drew the same elements, and the differences grouped by kind.
Streamlit's verdicts and elements are kept in `FOLDER/.streamlit_verdicts.json` by the app's
content and Streamlit's version, so a second run only runs rerunkernel.

The comparison. Each side is flattened to one list of names: the main area in reading order,
then the sidebar's elements (`sidebar:` before them), then toasts (`event:`), which
Streamlit keeps apart from the page and we draw in place, then what Streamlit pins to the
page's bottom (`bottom:`: `st.bottom`, and a chat input of the main area). Layout boxes
(columns, tabs, expanders, forms, containers, chat messages, popovers, dialogs) are walked,
not named: their structure differs (Streamlit nests a block per column), what they hold does
not. Widgets are named `kind:label` (a chat input and feedback by kind alone: Streamlit
gives them no label). Names are mapped to one vocabulary where the two differ:

    Streamlit's AppTest                         ours                          compared as
    vega_lite_chart, plotly_chart,              chart, plotly_chart,          chart
      deck_gl_json_chart, graphviz_chart          pydeck_chart, graphviz_chart
    imgs (st.image, st.pyplot)                  image, pyplot                 image
    button (form submit buttons too)            button, form_submit_button    button
    button_group (pills, segmented_control)     pills, segmented_control      button_group
    markdown (st.badge is markdown)             badge                         markdown
    help_info                                   help                          help
    date_time_input                             datetime_input                datetime_input

Not compared: empty slots, spinners (shown only while running), print output (Streamlit
sends it to the terminal), the page menu of `navigation` (Streamlit's AppTest lists no
element for it), warnings that an API is deprecated or removed (Streamlit's own or a
library's), and
`st.html` of only styles (nothing to see).

Packages the apps import that aren't installed (a community library whose examples are the
apps) can be put in `FOLDER/.site`: it goes first on both runs' `PYTHONPATH`. Folders whose
name starts with a dot hold no apps.

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
from typing import Any

VERDICTS = ".streamlit_verdicts.json"
VERDICT_RULES = 6  # bumped when what counts as clean changes, so old verdicts are not reused
BATCH = 8  # apps per Streamlit process: its import takes longer than a short app's run
FAILED_LINE = re.compile(r"^rerunkernel run: .* failed: (?P<error>.*)$", re.MULTILINE)


@dataclass
class Outcome:
    app: Path
    ok: bool
    error: str = ""
    elements: list[str] | None = None


# --- what is on screen, named alike on both sides --------------------------------------------

# Streamlit's AppTest names an element by its protobuf field (charts and images it has no
# class for) or its test class; ours by the element function. Both are mapped to one name.
STREAMLIT_NAMES = {
    "vega_lite_chart": "chart", "arrow_vega_lite_chart": "chart", "plotly_chart": "chart",
    "deck_gl_json_chart": "chart", "graphviz_chart": "chart", "bokeh_chart": "chart",
    "imgs": "image", "help_info": "help", "arrow_data_frame": "dataframe",
    "arrow_table": "table", "date_time_input": "datetime_input",
}
OURS_NAMES = {
    "plotly_chart": "chart", "pydeck_chart": "chart", "graphviz_chart": "chart", "map": "chart",
    "pyplot": "image", "form_submit_button": "button", "pills": "button_group",
    "segmented_control": "button_group", "badge": "markdown",
}
# Drawn only while the script runs (a spinner), nothing at all (an empty slot), or only by
# us (print output, which Streamlit sends to the terminal): not compared.
NOT_COMPARED = frozenset({"empty", "spinner", "stdout", "stderr", "notice", "notrun", "style"})
# Shown apart from the page: Streamlit keeps them in a list of their own, so both sides do.
EVENTS = frozenset({"toast"})


# widgets Streamlit's AppTest gives no label (a chat input has a placeholder only)
UNLABELLED = frozenset({"chat_input", "feedback"})


def named(kind: str, label: str | None, widget: bool) -> str:
    return f"{kind}:{label}" if widget and label is not None and kind not in UNLABELLED \
        else kind


def invisible_html(html: str) -> bool:
    """`st.html` of only styles draws nothing: Streamlit sends it apart from the page (its
    event area), we draw it in place; not compared."""
    return not re.sub(r"(?is)<style\b.*?</style\s*>", "", html).strip()


def is_deprecation(text: str) -> bool:
    """A warning that the app calls a deprecated or removed API (Streamlit's own, or a
    library's): not the app's content, and left out on both sides."""
    text = text.lower()
    return "deprecat" in text or "was removed" in text or "will be removed" in text


def streamlit_elements(at: Any) -> list[str]:
    """Streamlit's AppTest tree as `[main...] sidebar:[...] event:[...]` leaf names."""
    from streamlit.testing.v1.element_tree import Block, Widget

    def leaves(node: Any, prefix: str) -> list[str]:
        found = []
        for child in node.children.values():
            if isinstance(child, Block):
                found += leaves(child, prefix)
                continue
            kind = STREAMLIT_NAMES.get(child.type, child.type)
            if kind in NOT_COMPARED or (kind == "warning" and is_deprecation(str(child.value))):
                continue
            area = "event:" if kind in EVENTS else prefix
            found.append(area + named(kind, getattr(child, "label", None),
                                      isinstance(child, Widget)))
        return found

    roots = at._tree.children  # main, sidebar, event, bottom: Blocks of their own
    names = {0: "", 1: "sidebar:", 2: "event:"}
    return [name for index, root in sorted(roots.items())
            for name in leaves(root, names.get(index, "bottom:"))]


def our_elements(at: Any) -> list[str]:
    """Our AppTest's page in the same names: layout boxes are walked, not named."""
    from rerunkernel import testing
    from rerunkernel.elements.pages import NAV_KEY

    areas: dict[str, list[str]] = {"": [], "sidebar:": [], "event:": [], "bottom:": []}

    def walk(elements: list[Any], prefix: str, boxed: bool = False) -> None:
        for element in elements:
            if element.kind in testing.LAYOUT_KINDS:
                # `_inside` lists nested boxes and then their contents: keep the leaves
                inner = [e for e in testing._inside(element.value)
                         if e.kind not in testing.LAYOUT_KINDS]
                area = {"sidebar": "sidebar:", "bottom": "bottom:"}.get(element.kind, prefix)
                walk(inner, area, boxed=True)
                continue
            kind = OURS_NAMES.get(element.kind, element.kind)
            # the page menu: Streamlit draws one too, but its AppTest lists no element for it
            if kind in NOT_COMPARED or element.key == NAV_KEY or (
                    kind == "warning" and is_deprecation(str(element.value))) or (
                    kind == "html" and invisible_html(str(element.value))):
                continue
            widget = element.spec is not None or element.kind in testing.WIDGET_KINDS or (
                kind == "download_button")
            area = "event:" if kind in EVENTS else prefix
            if kind == "chat_input" and not prefix and not boxed:
                area = "bottom:"  # pinned to the page's bottom by Streamlit, in place here
            areas[area].append(named(kind, element.label, widget))

    walk([e for cell in at.session.script for e in at.session.page.elements(cell)], "")
    return [prefix + name for prefix, names in areas.items() for name in names]


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
    files = sorted(p for p in folder.rglob("*.py")
                   if not any(part.startswith(".") for part in p.relative_to(folder).parts))
    helpers = set().union(*(imported_siblings(p) for p in files)) if files else set()
    return [p for p in files if is_app(p, helpers)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def streamlit_worker(paths: list[str], timeout: float) -> None:
    """Run apps under Streamlit's AppTest, one after another in this process (importing
    Streamlit is most of a short app's time), and print a verdict line for each."""
    from streamlit import error_util
    from streamlit.testing.v1 import AppTest

    # an app may show an exception on purpose (`st.exception(e)`); only an uncaught one fails
    # it, and Streamlit logs each of those through this function (as rich text or a log line)
    uncaught: list[BaseException] = []
    log = error_util._log_uncaught_app_exception
    error_util._log_uncaught_app_exception = lambda ex: (uncaught.append(ex), log(ex))

    for path in paths:
        uncaught.clear()
        os.chdir(Path(path).parent)
        try:
            # Streamlit draws a script that doesn't compile as an exception, logging nothing
            compile(Path(path).read_bytes(), path, "exec")
            at = AppTest.from_file(path, default_timeout=timeout)
            at.run()
            errors = [one_line(f"{type(ex).__name__}: {ex}") for ex in uncaught]
            verdict = {"ok": not errors, "error": errors[-1] if errors else "",
                       "elements": streamlit_elements(at)}
        except Exception as error:  # noqa: BLE001 - any failure means "not a clean app"
            verdict = {"ok": False, "error": one_line(f"{type(error).__name__}: {error}")}
        print(json.dumps({"app": path, **verdict}), flush=True)


def run_streamlit(apps: list[Path], timeout: float) -> list[Outcome]:
    """Verdicts for a batch of apps of one folder; an app that hangs or kills the process
    has its own verdict, and the rest of the batch is run again without it."""
    command = [sys.executable, __file__, "--timeout", str(timeout), "--streamlit-worker",
               *map(str, apps)]
    timed_out = False
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=timeout * (len(apps) + 1), cwd=apps[0].parent)
        stdout, stderr = done.stdout, done.stderr
    except subprocess.TimeoutExpired as stopped:
        timed_out = True
        stdout = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (
            stopped.stdout or "")
        stderr = ""
    outcomes = []
    for line in stdout.splitlines():
        try:
            verdict = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(verdict, dict) and "app" in verdict:
            outcomes.append(Outcome(Path(verdict["app"]), verdict["ok"], verdict["error"],
                                    verdict.get("elements")))
    if len(outcomes) < len(apps):
        stuck = apps[len(outcomes)]
        why = "timed out under Streamlit" if timed_out else one_line(
            stderr[-300:] or "no verdict")
        outcomes.append(Outcome(stuck, False, why))
        rest = apps[len(outcomes):]
        if rest:
            outcomes += run_streamlit(rest, timeout)
    return outcomes


def ours_worker(paths: list[str]) -> None:
    """Run apps under our AppTest, one after another in this process, and print what each
    drew (a line each)."""
    from rerunkernel.testing import AppTest

    for path in paths:
        os.chdir(Path(path).parent)
        try:
            elements = our_elements(AppTest.from_file(path).run())
            print(json.dumps({"app": path, "elements": elements}), flush=True)
        except Exception as error:  # noqa: BLE001 - reported as this app's failure
            print(json.dumps({"app": path, "error": one_line(f"{type(error).__name__}: "
                                                              f"{error}")}), flush=True)


def run_ours(apps: list[Path], timeout: float) -> list[Outcome]:
    """What our AppTest drew for a batch of apps of one folder (as `run_streamlit`)."""
    command = [sys.executable, __file__, "--ours-worker", *map(str, apps)]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    timed_out = False
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=timeout * (len(apps) + 1), cwd=apps[0].parent, env=env)
        stdout, stderr = done.stdout, done.stderr
    except subprocess.TimeoutExpired as stopped:
        timed_out = True
        stdout = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (
            stopped.stdout or "")
        stderr = ""
    outcomes = []
    for line in stdout.splitlines():
        try:
            said = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(said, dict) and "app" in said:
            outcomes.append(Outcome(Path(said["app"]), "error" not in said,
                                    said.get("error", ""), said.get("elements")))
    if len(outcomes) < len(apps):
        why = "timed out under our AppTest" if timed_out else one_line(
            f"crash: {stderr.strip()[-300:]}")
        outcomes.append(Outcome(apps[len(outcomes)], False, why))
        rest = apps[len(outcomes):]
        if rest:
            outcomes += run_ours(rest, timeout)
    return outcomes


def batches_by_folder(apps: list[Path]) -> list[list[Path]]:
    """Batches that share one process: only apps of one folder (the same helper modules)."""
    by_folder: dict[Path, list[Path]] = collections.defaultdict(list)
    for app in apps:
        by_folder[app.parent].append(app)
    return [group[i:i + BATCH] for group in by_folder.values()
            for i in range(0, len(group), BATCH)]


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
                          jobs: int) -> dict[Path, list[str]]:
    """The apps that run clean under Streamlit, with the elements it drew for each."""
    import streamlit

    store = folder / VERDICTS
    known = json.loads(store.read_text()) if store.exists() else {}
    version = streamlit.__version__
    keys = {app: f"{VERDICT_RULES}:{version}:{digest(app)}" for app in apps}
    todo = [app for app in apps if keys[app] not in known]
    batches = batches_by_folder(todo)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for outcomes in pool.map(lambda batch: run_streamlit(batch, timeout), batches):
            for outcome in outcomes:
                known[keys[outcome.app]] = {"ok": outcome.ok, "error": outcome.error,
                                            "elements": outcome.elements}
            # kept as they come: a long first measurement stopped halfway isn't lost
            store.write_text(json.dumps(known, indent=1, sort_keys=True))
    skipped = [(app, known[keys[app]]["error"]) for app in apps if not known[keys[app]]["ok"]]
    if skipped:
        print(f"left out, failing under Streamlit {version} itself: {len(skipped)}")
        for app, error in skipped:
            print(f"  {app.relative_to(folder)}: {error}")
    return {app: known[keys[app]]["elements"] for app in apps if known[keys[app]]["ok"]}


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


def differences(theirs: list[str], ours: list[str]) -> list[str]:
    """What a reader would notice, by kind: elements missing or extra, labels, order."""
    if theirs == ours:
        return []
    kind = lambda name: name.split(":")[0] if not name.startswith(("sidebar:", "event:")) \
        else ":".join(name.split(":")[:2])  # noqa: E731
    missing = collections.Counter(map(kind, theirs)) - collections.Counter(map(kind, ours))
    extra = collections.Counter(map(kind, ours)) - collections.Counter(map(kind, theirs))
    found = [f"missing {k}" for k in sorted(missing)] + [f"extra {k}" for k in sorted(extra)]
    if found:
        return found
    if collections.Counter(theirs) != collections.Counter(ours):
        labels = {kind(n) for n in set(theirs) ^ set(ours)}
        return [f"other label: {k}" for k in sorted(labels)]
    return ["other order"]


def report_elements(theirs: dict[Path, list[str]], ours: list[Outcome], folder: Path,
                    top: int) -> None:
    # Streamlit sends `st.html` of only styles to its event area: nothing to see
    theirs = {app: [n for n in names if n != "event:html"] for app, names in theirs.items()}
    same = 0
    groups: dict[str, list[tuple[Path, str]]] = collections.defaultdict(list)
    for outcome in ours:
        if not outcome.ok:
            groups[f"our AppTest failed: {group_key(outcome.error, outcome.app)}"].append(
                (outcome.app, ""))
            continue
        found = differences(theirs[outcome.app], outcome.elements or [])
        same += not found
        detail = f"streamlit {theirs[outcome.app]}\n         ours {outcome.elements}"
        for key in found:
            groups[key].append((outcome.app, detail))
    total = len(ours)
    share = 100 * same / total if total else 0.0
    print(f"\nsame elements as Streamlit draws: {same} of {total} ({share:.0f}%)")
    by_part: dict[str, list[bool]] = collections.defaultdict(list)
    mismatched = {app for group in groups.values() for app, _ in group}
    for outcome in ours:
        parts = outcome.app.relative_to(folder).parts
        by_part[parts[0] if len(parts) > 1 else "."].append(outcome.app not in mismatched)
    for part, flags in sorted(by_part.items()):
        print(f"  {part}: {sum(flags)} of {len(flags)} ({100 * sum(flags) / len(flags):.0f}%)")
    if not groups:
        return
    print(f"\nmismatches by kind (top {top}; an app can be in several):")
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    for key, group in ranked[:top]:
        names = ", ".join(str(app.relative_to(folder)) for app, _ in group[:4])
        more = f" +{len(group) - 4}" if len(group) > 4 else ""
        print(f"{len(group):3d}  {key}\n       {names}{more}")
        if VERBOSE and group[0][1]:
            print(f"       e.g. {group[0][0].name}: {group[0][1]}")


VERBOSE = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--jobs", type=int, default=2, help="apps run side by side")
    parser.add_argument("--top", type=int, default=15, help="failure groups shown")
    parser.add_argument("--only", help="run only apps whose path contains this text")
    parser.add_argument("--verbose", action="store_true",
                        help="show both element lists of one app per mismatch")
    parser.add_argument("--streamlit-worker", metavar="APP", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--ours-worker", metavar="APP", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.streamlit_worker:
        streamlit_worker(args.streamlit_worker, args.timeout)
        return
    if args.ours_worker:
        ours_worker(args.ours_worker)
        return
    global VERBOSE
    VERBOSE = args.verbose
    if args.folder is None:
        # `make bench` runs every script with no arguments; the corpus is not in the repo
        print("streamlit_corpus: no folder of apps given, nothing measured "
              "(usage: bench/streamlit_corpus.py FOLDER)")
        return
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder of Streamlit apps")
    folder = args.folder.resolve()
    if (folder / ".site").is_dir():
        paths = [str(folder / ".site"), os.environ.get("PYTHONPATH", "")]
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    apps = find_apps(folder)
    if args.only:
        apps = [app for app in apps if args.only in str(app.relative_to(folder))]
    print(f"{len(apps)} apps in {folder}")
    theirs = clean_under_streamlit(apps, folder, args.timeout, args.jobs)
    apps = list(theirs)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda a: run_rerunkernel(a, args.timeout), apps))
        ours = [outcome for batch in pool.map(lambda b: run_ours(b, args.timeout),
                                              batches_by_folder(apps)) for outcome in batch]
    report(outcomes, folder, args.top)
    report_elements(theirs, ours, folder, args.top)


if __name__ == "__main__":
    main()
