"""`make run` lands on the demo, in a working copy: notebooks/ stays as committed.

The tests take the JupyterLab command from `make -n run` (which prints the recipe without
running it; the setup it would do is only printed too) in a checkout of their own (the
repository's Makefile and notebooks, its venv linked in), make the working copies as `make run`
does, start the server with a private runtime and config, read the URL it prints and use it as
the browser would: the real notebooks/ is never touched.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
PRINTED_URL = re.compile(r"http://127\.0\.0\.1:\d+/\S*\?token=\w+")


def git(checkout: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           *args], cwd=checkout, capture_output=True, text=True, timeout=60,
                          check=True).stdout


def make(checkout: Path, *args: str) -> str:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=checkout,
                          capture_output=True, text=True, timeout=60, check=True).stdout


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git checkout holding the repository's Makefile and notebooks, its venv linked in."""
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ("Makefile", "pyproject.toml", ".gitignore"):
        shutil.copy2(ROOT / name, root / name)
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / ".venv").symlink_to(ROOT / ".venv")
    git(root, "init", "-q")
    git(root, "add", "Makefile", "pyproject.toml", ".gitignore", "notebooks")
    git(root, "commit", "-q", "-m", "notebooks")
    return root


def lab_command(checkout: Path) -> str:
    commands = make(checkout, "-n", "run", "PORT=0").replace("\\\n", " ").splitlines()
    found = [line for line in commands if line.startswith(".venv/bin/jupyter lab")]
    assert len(found) == 1, commands
    return found[0]


def first_url(process: subprocess.Popen[str]) -> str:
    """The first URL with a token the server prints, read until it comes or the server ends."""
    seen: list[str] = []
    found: list[str] = []
    done = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            match = PRINTED_URL.search(line)
            if match:
                found.append(match.group())
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    if not done.wait(START_TIMEOUT) or not found:
        raise AssertionError("JupyterLab printed no URL with a token:\n" + "".join(seen[-40:]))
    return found[0]


def fetch_when_listening(process: subprocess.Popen[str], url: str) -> tuple[str, str]:
    """The page at `url` and where it landed. The server prints its URL before it listens,
    so a refused connection is tried again until the server answers, ends or the time is up."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.read().decode(), response.url
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError) or \
                    time.monotonic() > deadline:
                raise
        try:
            code = process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"JupyterLab exited with status {code} before it answered")


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                 "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"):
        env[name] = tempfile.mkdtemp(dir=tmp_path)
    env.pop("JUPYTER_TOKEN", None)
    return env


def api(url: str, path: str, method: str = "GET", body: dict | None = None) -> dict:
    """A call to the Jupyter server's REST API, with the token of the printed `url`."""
    parts = urllib.parse.urlsplit(url)
    token = urllib.parse.parse_qs(parts.query)["token"][0]
    request = urllib.request.Request(
        f"{parts.scheme}://{parts.netloc}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_make_run_opens_the_demo_copy_and_saving_leaves_notebooks_clean(
        checkout: Path, environment: dict[str, str]) -> None:
    make(checkout, "notebook-copies")  # what `make run` does before the server starts
    command = lab_command(checkout)
    process = subprocess.Popen(["sh", "-c", f"exec {command}"], cwd=checkout, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        url = first_url(process)
        assert "/lab/tree/build/notebooks/demo.ipynb?token=" in url, (url, shlex.split(command))
        page, landed = fetch_when_listening(process, url)
        assert landed == url  # logged in by the token, not sent to the login page
        config = re.search(r'<script id="jupyter-config-data" type="application/json">'
                           r"(.*?)</script>", page, re.DOTALL)
        assert config is not None, page[:500]
        # the page JupyterLab builds for this address opens the demo's working copy
        tree_path = json.loads(config.group(1))["treePath"]
        assert tree_path == "build/notebooks/demo.ipynb"

        # a run's outputs, saved as JupyterLab's autosave does, land in the copy
        model = api(url, f"/api/contents/{tree_path}?content=1")
        notebook = model["content"]
        cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
        cell["execution_count"] = 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ran\n"}]
        api(url, f"/api/contents/{tree_path}", "PUT",
            {"type": "notebook", "format": "json", "content": notebook})
        saved = json.loads((checkout / tree_path).read_text())
        assert any(c.get("outputs") for c in saved["cells"])
        assert git(checkout, "status", "--porcelain", "notebooks/") == ""
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def test_copies_follow_the_notebooks_but_never_overwrite_an_edit(checkout: Path) -> None:
    source, copy = checkout / "notebooks" / "demo.ipynb", checkout / "build/notebooks/demo.ipynb"
    make(checkout, "notebook-copies")
    assert copy.read_bytes() == source.read_bytes()

    source.write_text(source.read_text().replace('"cells"', '"cells" ', 1))  # a pull changed it
    make(checkout, "notebook-copies")
    assert copy.read_bytes() == source.read_bytes()  # untouched copy: brought up to date

    copy.write_text("the user's edits")
    source.write_text(source.read_text().replace('"cells"', '"cells"  ', 1))
    printed = make(checkout, "notebook-copies")
    assert copy.read_text() == "the user's edits"
    assert "Keeping build/notebooks/demo.ipynb" in printed, printed

    copy.unlink()  # what the message says to do for the new version
    make(checkout, "notebook-copies")
    assert copy.read_bytes() == source.read_bytes()


def test_make_run_says_what_the_first_setup_does(tmp_path: Path) -> None:
    # a venv that is not there yet: what a first `make run` goes through (-n: nothing runs)
    printed = subprocess.run(["make", "-n", "run", f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Setting up" in printed and "building the JupyterLab extension" in printed, printed
    assert "about a minute" in printed
    assert not (tmp_path / "venv").exists()
