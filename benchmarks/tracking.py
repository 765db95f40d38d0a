"""What local tracking costs per node: a 500-node chain run with and without ``LocalTracker``.

Current version only (1.x tracking needed a separate server, so there is nothing to compare
against). Reported per node executed, as overhead over calling the same functions directly
(steady state, best of N). The tracked figures include the run's two SQLite transactions (the
run row at the start; node rows and status at the end), spread over the chain's 500 nodes.
Needs hamilton-tracking installed in the venv (``packages/hamilton-tracking``).

Standalone: ``python benchmarks/tracking.py`` measures the interpreter running it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import report
import snippets
from measure import _launch
from venvs import Venv

_SNIPPET = (
    """
import json, sys, tempfile, time, types
from hamilton import driver, lifecycle
from hamilton.plugins.tracking import LocalTracker

n = 500
repeats = int(sys.argv[1])
MODULE_NAME = "tracking_chain"
"""
    + snippets.CHAIN_MODULE
    + snippets.NOOP_HOOK
    + snippets.BEST_PER_NODE
    + """
def timed(*adapters):
    dr = driver.Builder().with_modules(module).with_adapters(*adapters).build()
    return best(lambda: dr.execute([f"n{n - 1}"], inputs={"x": 1}), warm_up=True)  # plans, snapshots, the db


with tempfile.TemporaryDirectory() as directory:
    out = {
        "plain": best(plain),
        "none": timed(),
        "noop_hook": timed(Noop()),
        "tracker": timed(LocalTracker(path=directory, project="bench")),
        "tracker_no_results": timed(LocalTracker(path=directory, project="bench", capture_results=False)),
    }
print(json.dumps(out))
"""
)

_ROWS = (
    ("no adapter", "none"),
    ("one no-op NodeExecutionHook", "noop_hook"),
    ("LocalTracker()", "tracker"),
    ("LocalTracker(capture_results=False)", "tracker_no_results"),
)


def measure(venv: Venv, scratch: Path, repeats: int = 9) -> dict[str, float]:
    """Seconds per node: plain calls, and runs without adapters, with a no-op hook, tracked."""
    return json.loads(_launch(venv, ["-c", _SNIPPET, str(repeats)], scratch)[1].stdout)


def table(results: dict[str, float], current: str) -> report.Table:
    base = results["none"] - results["plain"]
    rows = []
    for label, key in _ROWS:
        overhead = results[key] - results["plain"]
        rows.append([label, report.fmt_time(overhead), report.fmt_time(results[key] - results["none"])])
    return report.Table(
        f"Tracking overhead per node ({current}, 500-node chain, steady state, best run)",
        ["adapters", "over plain calls", "over no adapter"],
        rows,
        left=(0,),
        note=f"no adapter costs {report.fmt_time(base)} per node over plain calls; tracked runs include two "
        "SQLite transactions per run (about 1/500 of them per node)",
    )


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = measure(Venv("current", Path(sys.executable).parent.parent), Path(tmp))
    print(report.render_text(table(results, "current")))
