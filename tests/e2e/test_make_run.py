"""`make run` lands on the demo: the URL JupyterLab prints opens `notebooks/demo.ipynb`.

The test takes the JupyterLab command from `make -n run` (which prints the recipe without
running it; the setup it would do is only printed too), starts it with a private runtime and
config, reads the URL the server prints and fetches it as the browser would.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
PRINTED_URL = re.compile(r"http://127\.0\.0\.1:\d+/\S*\?token=\w+")


def lab_command() -> str:
    printed = subprocess.run(["make", "-n", "run", "PORT=0"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, check=True).stdout
    commands = printed.replace("\\\n", " ").splitlines()
    found = [line for line in commands if line.startswith(".venv/bin/jupyter lab")]
    assert len(found) == 1, printed
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


def test_the_url_make_run_prints_opens_the_demo(environment: dict[str, str]) -> None:
    command = lab_command()
    process = subprocess.Popen(["sh", "-c", f"exec {command}"], cwd=ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        url = first_url(process)
        assert "/lab/tree/notebooks/demo.ipynb?token=" in url, (url, shlex.split(command))
        page, landed = fetch_when_listening(process, url)
        assert landed == url  # logged in by the token, not sent to the login page
        config = re.search(r'<script id="jupyter-config-data" type="application/json">'
                           r"(.*?)</script>", page, re.DOTALL)
        assert config is not None, page[:500]
        # the page JupyterLab builds for this address opens the demo notebook
        assert json.loads(config.group(1))["treePath"] == "notebooks/demo.ipynb"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def test_make_run_says_what_the_first_setup_does(tmp_path: Path) -> None:
    # a venv that is not there yet: what a first `make run` goes through (-n: nothing runs)
    printed = subprocess.run(["make", "-n", "run", f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Setting up" in printed and "building the JupyterLab extension" in printed, printed
    assert "about a minute" in printed
    assert not (tmp_path / "venv").exists()
