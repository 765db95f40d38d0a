"""Check that core is light: run with only apache-hamilton (and pluggy) installed.

* the environment holds no distribution but apache-hamilton, pluggy and the installer's own;
* ``import hamilton.driver`` imports nothing outside the standard library (not even pluggy),
  scans no entry points (``importlib.metadata`` stays unimported), opens no file for writing,
  creates no directory and opens no socket — observed with an audit hook, not assumed.

Exit status 0 when all hold; otherwise the violations are printed and the status is 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

ALLOWED_DISTRIBUTIONS = {"apache-hamilton", "pluggy", "pip", "setuptools", "wheel"}

PROBE = r"""
import json, os, sys
baseline = set(sys.modules)
events = []
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

def audit(event, args):
    if event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE_FLAGS):
            events.append(f"open for writing: {path}")
    elif event.startswith("socket.") or event in ("os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink"):
        events.append(f"{event}: {args!r}")

sys.addaudithook(audit)
__import__(sys.argv[1])
imported = sorted(set(sys.modules) - baseline)
print(json.dumps({"imported": imported, "events": events}))
"""


def distribution_problems() -> list[str]:
    installed = {(dist.metadata["Name"] or "").lower().replace("_", "-") for dist in metadata.distributions()}
    extra = sorted(installed - ALLOWED_DISTRIBUTIONS)
    return [f"unexpected distribution installed next to core: {name}" for name in extra]


def import_problems(module: str = "hamilton.driver", extra_path: str | None = None) -> list[str]:
    """What importing ``module`` in a fresh interpreter does beyond importing the stdlib."""
    env = None
    if extra_path:
        import os

        env = {**os.environ, "PYTHONPATH": extra_path}
    completed = subprocess.run(
        [sys.executable, "-B", "-c", PROBE, module], capture_output=True, text=True, check=True, env=env
    )
    report = json.loads(completed.stdout)
    problems = list(report["events"])
    for name in report["imported"]:
        top = name.split(".")[0]
        if top == "hamilton" or name == module:
            continue
        if top not in sys.stdlib_module_names:
            problems.append(f"import {module} imported the third-party module {name}")
        elif name == "importlib.metadata" or name.startswith("importlib.metadata."):
            problems.append(f"import {module} imported importlib.metadata (entry-point scanning)")
    return problems


def main() -> int:
    problems = distribution_problems() + import_problems()
    for problem in problems:
        print(f"FOOTPRINT: {problem}")
    if not problems:
        print("footprint ok: core alone, import hamilton.driver imports only the standard library and writes nothing")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
