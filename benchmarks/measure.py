"""Launch measured subprocesses in a venv and collect their raw numbers.

Every measurement runs in a fresh interpreter of the venv under test, with a scrubbed
environment (see :func:`venvs.clean_env`) and a scratch working directory, so neither this
repository's sources nor a previous measurement can leak into it.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from venvs import BENCH_DIR, Venv, clean_env

WORKLOAD = BENCH_DIR / "workload.py"

# One launch prints: seconds spent importing, and how many modules the import added.
_IMPORT_SNIPPET = (
    "import sys, time\n"
    "before = len(sys.modules)\n"
    "start = time.perf_counter()\n"
    "import hamilton.driver\n"
    "print(time.perf_counter() - start, len(sys.modules) - before)\n"
)
_IMPORTTIME_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def _launch(venv: Venv, args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall-clock seconds of one interpreter launch, and its completed process."""
    start = time.perf_counter()
    done = subprocess.run([str(venv.python), *args], capture_output=True, text=True, env=clean_env(), cwd=cwd)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{venv.label}: {' '.join(args)!r} failed:\n{done.stderr[-2000:]}")
    return elapsed, done


def cold_import(venv: Venv, launches: int, scratch: Path, top: int = 8) -> dict[str, Any]:
    """``import hamilton.driver`` in ``launches`` fresh interpreters, each paired with a bare one.

    Bare (``-c pass``) and importing launches alternate so that machine noise hits both
    alike. A warm-up launch of each comes first so ``.pyc`` files exist in both venvs.
    """
    for args in (["-c", "pass"], ["-c", _IMPORT_SNIPPET]):
        _launch(venv, args, scratch)
    bare, launch, in_process = [], [], []
    modules = 0
    for _ in range(launches):
        bare.append(_launch(venv, ["-c", "pass"], scratch)[0])
        elapsed, done = _launch(venv, ["-c", _IMPORT_SNIPPET], scratch)
        seconds, modules_text = done.stdout.split()
        launch.append(elapsed)
        in_process.append(float(seconds))
        modules = int(modules_text)
    return {
        "bare_s": bare,
        "launch_s": launch,
        "in_process_s": in_process,
        "modules_imported": modules,
        "importtime_top": importtime_top(venv, scratch, top),
    }


def importtime_top(venv: Venv, scratch: Path, top: int) -> list[dict[str, Any]]:
    """The modules with the largest self time under ``python -X importtime``."""
    _, done = _launch(venv, ["-X", "importtime", "-c", "import hamilton.driver"], scratch)
    entries = []
    for line in done.stderr.splitlines():
        match = _IMPORTTIME_LINE.match(line)
        if match:
            self_us, cumulative_us, _, name = match.groups()
            entries.append({"module": name, "self_s": int(self_us) / 1e6, "cumulative_s": int(cumulative_us) / 1e6})
    entries.sort(key=lambda entry: entry["self_s"], reverse=True)
    return entries[:top]


def run_workload(venv: Venv, module: Path, repeats: int, build_repeats: int, budget: float) -> dict[str, Any]:
    """Run ``workload.py`` on a generated module; its JSON report, or ``{"error": ...}``."""
    args = [str(WORKLOAD), str(module), "--repeats", str(repeats)]
    args += ["--build-repeats", str(build_repeats), "--budget", str(budget)]
    done = subprocess.run([str(venv.python), *args], capture_output=True, text=True, env=clean_env(), cwd=module.parent)
    reports = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not reports:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return {"error": tail[0]}
    return json.loads(reports[-1])


def on_random_2000(venvs: list[Venv], scratch: Path, snippet: str, folder: str, repeats: int) -> dict[str, Any]:
    """Per venv: the JSON ``snippet`` prints, run with the folder holding ``bench_random_2000.py``
    (the 2,000-node random DAG, written once into ``scratch/folder``) and ``repeats``."""
    from dag_gen import write_module

    modules = scratch / folder
    modules.mkdir(exist_ok=True)
    write_module(modules, "random", 2000)
    return {
        venv.label: json.loads(_launch(venv, ["-c", snippet, str(modules), str(repeats)], scratch)[1].stdout)
        for venv in venvs
    }


def launch_json(venv: Venv, args: list[str], scratch: Path) -> dict[str, Any]:
    """The JSON object a snippet prints last, or ``{"error": <last stderr line>}`` if it crashed
    (so that one broken measurement does not abort a whole benchmark run)."""
    done = subprocess.run([str(venv.python), *args], capture_output=True, text=True, env=clean_env(), cwd=scratch)
    reports = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not reports:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return {"error": tail[0][:300]}
    return json.loads(reports[-1])
