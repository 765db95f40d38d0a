"""Schedules: ``schedule="ready"`` (the default) against ``schedule="levels"``, current only.

Sync nodes that ``time.sleep`` a fixed, varied 1-10 ms each (the same pseudo-random draw every
run), offloaded to threads with ``with_execution_mode(sync_nodes="threads", schedule=...)``:

* wide: 64 independent nodes summed by one node (one level: both schedules should tie);
* deep: 8 independent chains of 16 nodes, joined by one node. ``ready`` starts a node as soon
  as its input exists, so the run takes the slowest chain's total; ``levels`` waits at every
  depth for the slowest of the 8 nodes there, so it takes the sum over depths of those maxima.

The ideals (unbounded threads, zero overhead) are printed beside the times. Also with
``max_concurrency=64`` (the default thread pool has ``min(32, CPUs + 4)`` threads), and with the
dynamic executor (``enable_dynamic_execution`` with a 64-thread ``MultiThreadingExecutor`` as the
local executor), with each schedule. 1.90.0 has no schedules; its dynamic executor on the same
graphs is shown for context.
Samples of the ways of running one graph are interleaved (``snippets.ROUNDS``); medians.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import report
import snippets
from measure import launch_json
from venvs import Venv

WIDE = 64
CHAINS, DEPTH = 8, 16
SEED = 15

_SNIPPET = (
    """
import json, random, sys, time, types
from concurrent.futures import ThreadPoolExecutor
from hamilton import driver
from hamilton.execution import executors
from hamilton.version import VERSION

ENGINES = ("threads", "threads64", "dynamic")
repeats, wide, chains, depth, seed = map(int, sys.argv[1:6])
"""
    + snippets.ROUNDS
    + """
FLIGHT = '''"""
    + snippets.FLIGHT
    + """'''
draw = random.Random(seed)


def node(name, params, sleep_ms, value):
    return (f"def {name}({', '.join(f'{p}: int' for p in params)}) -> int:\\n"
            f"    _enter()\\n    time.sleep({sleep_ms / 1000})\\n    _leave()\\n    return {value}\\n")


def module(name, source):
    mod = types.ModuleType(name)
    exec("import time\\n" + FLIGHT + source, mod.__dict__)
    sys.modules[name] = mod
    return mod


def joiner(name, params):
    return f"def {name}({', '.join(f'{p}: int' for p in params)}) -> int:\\n    return {' + '.join(params)}\\n"


graphs = {}
sleeps = [draw.randint(1, 10) for _ in range(wide)]
source = "".join(node(f"w{i}", ["x"], sleeps[i], f"x + {i}") for i in range(wide))
graphs["wide"] = {
    "module": module("wide", source + joiner("total", [f"w{i}" for i in range(wide)])),
    "output": "total",
    "expected": wide * 1 + wide * (wide - 1) // 2,
    "ideal_ready": max(sleeps) / 1000,
    "ideal_levels": max(sleeps) / 1000,
    "sequential": sum(sleeps) / 1000,
}
grid = [[draw.randint(1, 10) for _ in range(depth)] for _ in range(chains)]
source = "".join(
    node(f"d{c}_{k}", ["x"] if k == 0 else [f"d{c}_{k - 1}"], grid[c][k], f"x + {c}" if k == 0 else f"d{c}_{k - 1} + 1")
    for c in range(chains) for k in range(depth)
)
graphs["deep"] = {
    "module": module("deep", source + joiner("total", [f"d{c}_{depth - 1}" for c in range(chains)])),
    "output": "total",
    "expected": sum(1 + c + depth - 1 for c in range(chains)),
    "ideal_ready": max(sum(row) for row in grid) / 1000,
    "ideal_levels": sum(max(grid[c][k] for c in range(chains)) for k in range(depth)) / 1000,
    "sequential": sum(map(sum, grid)) / 1000,
}


pool = ThreadPoolExecutor(64)


def plain_wide(mod, schedule):
    nodes = [getattr(mod, f"w{i}") for i in range(wide)]
    return mod.total(*pool.map(lambda function: function(1), nodes))


def plain_deep(mod, schedule):
    rows = [[getattr(mod, f"d{c}_{k}") for k in range(depth)] for c in range(chains)]
    if schedule == "ready":  # each chain on its own thread

        def chain(row):
            value = 1
            for function in row:
                value = function(value)
            return value

        return mod.total(*pool.map(chain, rows))
    values = [1] * chains  # level by level
    for k in range(depth):
        values = list(pool.map(lambda row, value: row[k](value), rows, values))
    return mod.total(*values)


PLAIN = {"wide": plain_wide, "deep": plain_deep}


def builder(mod, engine, schedule):
    b = driver.Builder().with_modules(mod)
    if engine == "threads":
        return b.with_execution_mode(sync_nodes="threads", schedule=schedule)
    if engine == "threads64":
        return b.with_execution_mode(sync_nodes="threads", schedule=schedule, max_concurrency=64)
    b = b.enable_dynamic_execution(allow_experimental_mode=True)
    b = b.with_local_executor(executors.MultiThreadingExecutor(max_tasks=64))
    return b if schedule is None else b.with_execution_mode(schedule=schedule)


if VERSION[0] >= 2:
    configurations = [(engine, schedule) for engine in ENGINES for schedule in ("ready", "levels")]
else:  # 1.x: no schedules, no async engine for sync nodes; its dynamic executor for context
    configurations = [("dynamic", None)]
out = {}
for name, graph in graphs.items():
    mod, output = graph.pop("module"), graph["output"]
    variants, peaks = {}, {}
    for engine, schedule in configurations:
        key = f"{engine}/{schedule or '-'}"
        try:
            dr = builder(mod, engine, schedule).build()
        except Exception as error:
            variants[key] = failing(describe(error))
            continue

        def sample(dr=dr, key=key):
            mod._flight[1] = 0
            result = timed_sync(lambda: dr.execute([output], inputs={"x": 1})[output])
            peaks[key] = max(peaks.get(key, 0), mod._flight[1])
            return result

        variants[key] = sample
    if VERSION[0] >= 2:  # the same functions called on a warm pool of 64 threads: the physical limit
        for schedule in ("ready",) if name == "wide" else ("ready", "levels"):  # wide: one level, one way
            key = f"plain/{schedule}"

            def sample(mod=mod, name=name, schedule=schedule, key=key):
                mod._flight[1] = 0
                result = timed_sync(lambda: PLAIN[name](mod, schedule))
                peaks[key] = max(peaks.get(key, 0), mod._flight[1])
                return result

            variants[key] = sample
    graph["samples"] = rounds(variants, graph["expected"], repeats)
    graph["peak"] = peaks
    out[name] = graph
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 6) -> dict[str, dict[str, Any]]:
    """Per venv: samples (or error strings) per graph and engine/schedule, with ideals and peaks."""
    args = ["-c", _SNIPPET, *(str(value) for value in (repeats, WIDE, CHAINS, DEPTH, SEED))]
    return {venv.label: launch_json(venv, args, scratch) for venv in venvs}


def _median(samples: Any) -> Any:
    return report.median(samples) if isinstance(samples, list) else samples


_ENGINES = (
    ("plain", "plain: warm ThreadPoolExecutor(64)"),
    ("threads", "threads, default pool"),
    ("threads64", "threads, max_concurrency=64"),
    ("dynamic", "dynamic, 64 local threads"),
)


def tables(results: dict[str, dict[str, Any]], current: str, reference: str) -> list[report.Table]:
    now, then = results[current], results[reference]
    table = report.Table(
        "Schedules: ready vs levels, sync nodes sleeping 1-10 ms (median)",
        ["graph", "engine", "ready", "levels", "levels / ready", "ideal ready", "ideal levels", "peak in flight"]
        + ["faster", reference, "peak"],
        left=(0, 1),
        note=(
            f"Wall time of Driver.execute. wide = {WIDE} independent nodes summed; deep = {CHAINS} chains of {DEPTH} "
            f"nodes joined. plain = the same functions on a warm pool of 64 threads (each chain on a thread, or level by level; the physical limit). threads = with_execution_mode(sync_nodes='threads', schedule=...), its default thread "
            f"pool or max_concurrency=64; dynamic = enable_dynamic_execution with MultiThreadingExecutor(max_tasks=64) "
            f"as the local executor (1.90.0: the same, it has no schedules). Ideals assume unbounded threads: ready = "
            f"the slowest chain's total, levels = the sum over depths of the slowest node there. Peak in flight = most "
            f"nodes sleeping at once (ready / levels). No target: which schedule wins, and how close each gets to "
            f"its ideal."
        ),
    )
    if "error" in now:
        table.rows.append(["all", "", "crashed", "", "", "", "", "", "", "", ""])
        return [table]
    labels = {"wide": f"wide ({WIDE})", "deep": f"deep ({CHAINS} x {DEPTH})"}
    for name, graph in now.items():
        for engine, engine_label in _ENGINES:
            ready = _median(graph["samples"].get(f"{engine}/ready"))
            levels = _median(graph["samples"].get(f"{engine}/levels"))
            peaks = [str(graph["peak"].get(f"{engine}/{schedule}", "")) for schedule in ("ready", "levels")]
            faster = ""
            if engine == "plain" and levels is None:  # one level: the same code either way
                levels, faster, peaks[1] = ready, "(same run)", peaks[0]
            elif isinstance(ready, float) and isinstance(levels, float):
                faster = "ready" if ready < levels * 0.95 else "levels" if levels < ready * 0.95 else "tie (5%)"
            old, old_peak = "", ""
            if engine == "dynamic" and "error" not in then:
                old = report.fmt_cell(_median(then[name]["samples"].get("dynamic/-")))
                old_peak = str(then[name]["peak"].get("dynamic/-", ""))
            table.rows.append(
                [
                    labels.get(name, name),
                    engine_label,
                    report.fmt_cell(ready),
                    report.fmt_cell(levels),
                    "" if engine == "plain" and name == "wide" else report.fmt_ratio(levels, ready),
                    report.fmt_time(graph["ideal_ready"]),
                    report.fmt_time(graph["ideal_levels"]),
                    " / ".join(peaks),
                    faster,
                    old,
                    old_peak,
                ]
            )
    sums = ", ".join(f"{name} {report.fmt_time(graph['sequential'])}" for name, graph in now.items())
    table.note += f" Sleeps one after another: {sums}."
    return [table]


def errors(results: dict[str, dict[str, Any]]) -> list[str]:
    """Full messages of the runs that failed (the table shows only the exception type)."""
    found = []
    for label, result in results.items():
        if "error" in result:
            found.append(f"schedule [{label}]: the measuring process crashed: {result['error']}")
            continue
        for name, graph in result.items():
            found += [
                f"schedule {name} {key} [{label}]: {value}"
                for key, value in graph["samples"].items()
                if isinstance(value, str)
            ]
    return found
