"""Dynamic execution: the cost per item of a fan-out, and what processes buy on CPU-bound items.

* Per-item overhead: a ``Parallelizable`` node yielding N items, a one-node block (``x * 2``) and
  a ``Collect`` summing them, run with the synchronous executor; overhead per item = (time for
  N items - time for 0 items) / N. Both versions, N = 2,000.
* Processes: the same shape with a CPU-bound block (a pure-Python loop of ~20 ms per item, 16
  items), run with the synchronous executor and with ``MultiProcessingExecutor(max_tasks=2)``
  (current version only; 1.90.0's process executor is reported beside it when it runs).
"""

from __future__ import annotations

import json
from pathlib import Path

import report
from measure import _launch
from venvs import Venv

_MODULE = """
from hamilton.htypes import Collect, Parallelizable


def items(count: int) -> Parallelizable[int]:
    for index in range(count):
        yield index


def doubled(items: int) -> int:
    return items * 2


def total(doubled: Collect[int]) -> int:
    return sum(doubled)


def work_items(work_count: int) -> Parallelizable[int]:
    for index in range(work_count):
        yield index


def burned(work_items: int, loops: int) -> int:
    value = work_items
    for step in range(loops):
        value = (value * 31 + step) % 1_000_003
    return value


def burned_total(burned: Collect[int]) -> int:
    return sum(burned)
"""

_SNIPPET = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
items, repeats = int(sys.argv[2]), int(sys.argv[3])
import fan_out
from hamilton import driver
from hamilton.execution import executors

def build(executor):
    return (driver.Builder().with_modules(fan_out).enable_dynamic_execution(allow_experimental_mode=True)
            .with_remote_executor(executor).build())

def best(function, times):
    function()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples)

out = {}
dr = build(executors.SynchronousLocalTaskExecutor())
out["empty"] = best(lambda: dr.execute(["total"], inputs={"count": 0}), repeats)
out["items"] = best(lambda: dr.execute(["total"], inputs={"count": items}), max(1, repeats // 3))
out["count"] = items
cpu = {"work_count": 16, "loops": int(sys.argv[4])}
out["cpu_synchronous"] = best(lambda: dr.execute(["burned_total"], inputs=cpu), 1)
try:
    processes = build(executors.MultiProcessingExecutor(max_tasks=2))
    out["cpu_processes"] = best(lambda: processes.execute(["burned_total"], inputs=cpu), 1)
except Exception as error:
    out["cpu_processes"] = f"{type(error).__name__}"
out["cpus"] = os.cpu_count()
print(json.dumps(out))
"""


def measure(venvs: list[Venv], scratch: Path, items: int = 2000, repeats: int = 9, loops: int = 400_000) -> dict:
    """Per venv: best times for 0 and ``items`` items, and the CPU-bound fan-out both ways."""
    folder = scratch / "parallel_module"
    folder.mkdir(exist_ok=True)
    (folder / "fan_out.py").write_text(_MODULE)
    results = {}
    for venv in venvs:
        args = ["-c", _SNIPPET, str(folder), str(items), str(repeats), str(loops)]
        results[venv.label] = json.loads(_launch(venv, args, scratch)[1].stdout)
    return results


def _per_item(result: dict) -> float:
    return (result["items"] - result["empty"]) / result["count"]


def table(results: dict, current: str, reference: str) -> report.Table:
    now, then = results[current], results[reference]
    rows = [
        [
            f"overhead per item, {now['count']:,} items, synchronous executor",
            report.fmt_time(_per_item(now)),
            report.fmt_time(_per_item(then)),
            report.fmt_ratio(_per_item(then), _per_item(now)),
        ]
    ]
    for label, key in (("CPU-bound fan-out, synchronous", "cpu_synchronous"), ("same, 2 processes", "cpu_processes")):
        rows.append([label, report.fmt_time(now[key]), report.fmt_time(then[key]), ""])
    if isinstance(now["cpu_processes"], float):
        rows.append(
            [
                f"speed-up of 2 processes over synchronous ({now['cpus']} CPUs)",
                report.fmt_ratio(now["cpu_synchronous"], now["cpu_processes"]),
                report.fmt_ratio(then["cpu_synchronous"], then["cpu_processes"]),
                "",
            ]
        )
    return report.Table(
        "Dynamic execution (Parallelizable/Collect)", ["measure", current, reference, "1.x / current"], rows, left=(0,)
    )
