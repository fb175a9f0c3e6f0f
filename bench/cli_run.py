"""`rerunkernel run app.py` end to end, next to `python app.py`, for a trivial app.

Each round runs, one after the other so machine noise hits them alike:
- `python app.py` (the floor: the same app outside any session, elements print plainly);
- `rerunkernel run app.py --set n=3` (in this process, no kernel);
- `rerunkernel run app.py --set n=3 --kernel rerun` (a kernel through nbclient, as before).
Times are wall clock from launch to exit, medians over the rounds; the goal for the
in-process run is at most 1 s. Bytecode goes to a private cache (`PYTHONPYCACHEPREFIX`)
filled by one unmeasured run of each, as an installed package has it.

    .venv/bin/python bench/cli_run.py [--rounds 7] [--no-kernel]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = """\
import rerunkernel as rk

n = rk.number_input("n", 1, 10, 2)
rk.write("n squared is", n * n)
"""


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-kernel", action="store_true", help="skip the kernel run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rk-bench-") as folder:
        where = Path(folder)
        (where / "app.py").write_text(APP)
        run = [sys.executable, "-m", "rerunkernel", "run", "app.py", "--set", "n=3"]
        commands = {
            "python app.py": [sys.executable, "app.py"],
            "rerunkernel run (in-process)": run,
        }
        if not args.no_kernel:
            commands["rerunkernel run --kernel rerun"] = [*run, "--kernel", "rerun"]
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(where / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            timed(command, where, env)  # bytecode and file cache; not counted
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(timed(command, where, env))
    floor = statistics.median(times["python app.py"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:32s} median {median:.3f} s  {median / floor:5.2f}x python app.py")
    print("goal: the in-process run <= 1 s end to end")


if __name__ == "__main__":
    main()
