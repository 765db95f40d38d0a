"""What lifecycle hooks cost: a 500-node chain run with 0, 1 and 10 no-op hooks.

Hooks are 1.x's ``lifecycle.NodeExecutionHook`` subclasses whose methods do nothing, so the
figures are the price of the hook machinery itself, in both versions:

* per node executed, as overhead over calling the same functions directly (best of N);
* the engine's own cost around ten hooks: (run with 10 hooks - run without hooks) / (a plain
  loop calling the same ten hooks' ``run_before_node_execution`` and
  ``run_after_node_execution`` for the 500 nodes, with the keyword arguments the engine passed
  them, recorded from a run of that version). 1.0 means the engine adds nothing beyond the
  calls themselves. Target: <= 1.25.

Samples of the ways of running the chain are interleaved (``snippets.ROUNDS``); best of N.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
    + snippets.ROUNDS
    + """

class Recorder(lifecycle.NodeExecutionHook):
    def __init__(self):
        self.before, self.after = [], []

    def run_before_node_execution(self, **kwargs):
        self.before.append(dict(kwargs))

    def run_after_node_execution(self, **kwargs):
        self.after.append(dict(kwargs))


recorder = Recorder()
driver.Builder().with_modules(module).with_adapters(recorder).build().execute([f"n{n - 1}"], inputs={"x": 1})
calls = list(zip(recorder.before, recorder.after))
ten = [Noop() for _ in range(10)]
befores = [hook.run_before_node_execution for hook in ten]
afters = [hook.run_after_node_execution for hook in ten]


def direct(count):
    before_methods, after_methods = befores[:count], afters[:count]

    def loop():
        for before, after in calls:
            for method in before_methods:
                method(**before)
            for method in after_methods:
                method(**after)
        return n

    return loop


def plain_chain():
    plain()
    return n


def run_with(hooks):
    dr = driver.Builder().with_modules(module).with_adapters(*hooks).build()
    return lambda: timed_sync(lambda: dr.execute([f"n{n - 1}"], inputs={"x": 1})[f"n{n - 1}"])


variants = {"plain": lambda: timed_sync(plain_chain)}
for count in (0, 1, 10):
    variants[str(count)] = run_with(ten[:count])
for count in (1, 10):
    variants[f"direct_{count}"] = lambda loop=direct(count): timed_sync(loop)
samples = rounds(variants, n, repeats, budget=20.0)
out = {key: min(value) / n if isinstance(value, list) else value for key, value in samples.items()}
out["recorded_calls"] = len(calls)
out["kwargs_before"] = sorted(recorder.before[0]) if recorder.before else []
out["kwargs_after"] = sorted(recorder.after[0]) if recorder.after else []
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 9) -> dict[str, dict[str, Any]]:
    """Per venv: seconds per node (best run) for plain calls, runs with 0, 1 and 10 hooks, and
    the ten hooks' methods called directly."""
    args = ["-c", _SNIPPET, str(repeats * 2)]
    return {venv.label: json.loads(_launch(venv, args, scratch)[1].stdout) for venv in venvs}


def tables(results: dict[str, dict[str, Any]], current: str, reference: str) -> list[report.Table]:
    rows = []
    for hooks in ("0", "1", "10"):
        overheads = {label: results[label][hooks] - results[label]["plain"] for label in (current, reference)}
        rows.append(
            [
                f"{hooks} no-op hook{'' if hooks == '1' else 's'}",
                report.fmt_time(overheads[current]),
                report.fmt_time(overheads[reference]),
                report.fmt_ratio(overheads[reference], overheads[current]),
                report.fmt_ratio(overheads[current], results[current]["0"] - results[current]["plain"]),
            ]
        )
    per_node = report.Table(
        "Hook overhead per node (500-node chain, steady state, best run)",
        ["hooks", current, reference, "1.x / current", "current vs 0 hooks"],
        rows,
        left=(0,),
    )
    cost = report.Table(
        "Engine cost around no-op hooks, per node (500-node chain, best run)",
        ["measure", current, reference],
        left=(0,),
        note=(
            "Ratio = (run with N hooks - run without hooks) / a loop calling the same N hooks' run_before/"
            "run_after_node_execution with the keyword arguments that version's engine passed (recorded). "
            "1.0 = the engine adds nothing beyond the calls. Target: current <= 1.25 with 10 hooks."
        ),
    )
    for count in ("10", "1"):
        hooks = f"{count} hook{'' if count == '1' else 's'}"
        added = {label: results[label][count] - results[label]["0"] for label in (current, reference)}
        direct = {label: results[label][f"direct_{count}"] for label in (current, reference)}
        cost.rows += [
            [f"added by {hooks} to a run", report.fmt_time(added[current]), report.fmt_time(added[reference])],
            [
                f"their {2 * int(count)} methods called directly",
                report.fmt_time(direct[current]),
                report.fmt_time(direct[reference]),
            ],
            [
                f"ratio, {hooks} (engine cost around hooks)",
                report.fmt_ratio(added[current], direct[current]),
                report.fmt_ratio(added[reference], direct[reference]),
            ],
        ]

    def kwargs(label: str) -> str:
        return f"{len(results[label].get('kwargs_before', []))} / {len(results[label].get('kwargs_after', []))}"

    cost.rows.append(["keyword arguments passed, before / after", kwargs(current), kwargs(reference)])
    return [per_node, cost]
