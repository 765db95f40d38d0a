"""What lifecycle hooks cost per node: a 500-node chain run with 0, 1 and 10 no-op hooks.

Hooks are 1.x's ``lifecycle.NodeExecutionHook`` subclasses whose methods do nothing, so the
figures are the price of the hook machinery itself, in both versions. Reported per node
executed, as overhead over calling the same functions directly (steady state, best of N).
"""

from __future__ import annotations

import json
from pathlib import Path

import report
import snippets
from measure import _launch
from venvs import Venv

_SNIPPET = (
    """
import json, sys, time, types
from hamilton import driver, lifecycle
n = 500  # 1.90.0 overflows the stack on longer chains
repeats = int(sys.argv[1])
MODULE_NAME = "hook_chain"
"""
    + snippets.CHAIN_MODULE
    + snippets.NOOP_HOOK
    + snippets.BEST_PER_NODE
    + """
out = {"plain": best(plain)}
for hooks in (0, 1, 10):
    dr = driver.Builder().with_modules(module).with_adapters(*[Noop() for _ in range(hooks)]).build()
    out[str(hooks)] = best(lambda: dr.execute([f"n{n - 1}"], inputs={"x": 1}))
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 9) -> dict[str, dict[str, float]]:
    """Per venv: seconds per node for plain calls and for runs with 0, 1 and 10 hooks."""
    return {venv.label: json.loads(_launch(venv, ["-c", _SNIPPET, str(repeats)], scratch)[1].stdout) for venv in venvs}


def table(results: dict[str, dict[str, float]], current: str, reference: str) -> report.Table:
    rows = []
    for hooks in ("0", "1", "10"):
        overheads = {label: results[label][hooks] - results[label]["plain"] for label in (current, reference)}
        rows.append(
            [
                f"{hooks} no-op hooks",
                report.fmt_time(overheads[current]),
                report.fmt_time(overheads[reference]),
                report.fmt_ratio(overheads[reference], overheads[current]),
                report.fmt_ratio(overheads[current], results[current]["0"] - results[current]["plain"]),
            ]
        )
    return report.Table(
        "Hook overhead per node (500-node chain, steady state, best run)",
        ["hooks", current, reference, "1.x / current", "current vs 0 hooks"],
        rows,
        left=(0,),
    )
