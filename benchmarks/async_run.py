"""The async driver: per-node overhead on an ``async def`` chain, and concurrency of a fan-out.

* chain: 500 ``async def`` nodes, each awaiting nothing and adding one; reported per node as
  overhead over awaiting the same coroutines by hand (steady state, best of N);
* fan-out: 100 independent ``async def`` nodes that each sleep 20 ms, summed by one node. Run
  concurrently this takes about 20 ms; run one after another, 2 s.
"""

from __future__ import annotations

import json
from pathlib import Path

import report
from measure import _launch
from venvs import Venv

_SNIPPET = """
import asyncio, json, sys, time, types
from hamilton import async_driver

def module(name, source):
    mod = types.ModuleType(name)
    exec("import asyncio\\n" + source, mod.__dict__)
    sys.modules[name] = mod
    return mod

n = 500
chain = module("async_chain", "async def n0(x: int) -> int:\\n    return x\\n" + "".join(
    f"async def n{i}(n{i - 1}: int) -> int:\\n    return n{i - 1} + 1\\n" for i in range(1, n)))
width = 100
fan = module("async_fan", "".join(
    f"async def f{i}(x: int) -> int:\\n    await asyncio.sleep(0.02)\\n    return x + {i}\\n" for i in range(width))
    + f"def total({', '.join(f'f{i}: int' for i in range(width))}) -> int:\\n    return {' + '.join(f'f{i}' for i in range(width))}\\n")

async def best(coroutine_function, repeats):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        await coroutine_function()
        samples.append(time.perf_counter() - start)
    return min(samples)

async def main(repeats):
    functions = [getattr(chain, f"n{i}") for i in range(n)]

    async def plain():
        value = 1
        for function in functions:
            value = await function(value)

    chain_driver = await async_driver.Builder().with_modules(chain).build()
    fan_driver = await async_driver.Builder().with_modules(fan).build()
    assert (await chain_driver.execute([f"n{n - 1}"], inputs={"x": 1}))[f"n{n - 1}"] == n
    return {
        "plain": await best(plain, repeats) / n,
        "chain": await best(lambda: chain_driver.execute([f"n{n - 1}"], inputs={"x": 1}), repeats) / n,
        "fan_out": await best(lambda: fan_driver.execute(["total"], inputs={"x": 1}), max(3, repeats // 3)),
    }

print(json.dumps(asyncio.run(main(int(sys.argv[1])))))
"""


def measure(venvs: list[Venv], scratch: Path, repeats: int = 9) -> dict[str, dict[str, float]]:
    """Per venv: seconds per node for hand-awaited and driver-run chains, and the fan-out's seconds."""
    return {venv.label: json.loads(_launch(venv, ["-c", _SNIPPET, str(repeats)], scratch)[1].stdout) for venv in venvs}


def table(results: dict[str, dict[str, float]], current: str, reference: str) -> report.Table:
    overhead = {label: results[label]["chain"] - results[label]["plain"] for label in (current, reference)}
    fan = {label: results[label]["fan_out"] for label in (current, reference)}
    rows = [
        [
            "500-node async chain, overhead per node",
            report.fmt_time(overhead[current]),
            report.fmt_time(overhead[reference]),
            report.fmt_ratio(overhead[reference], overhead[current]),
        ],
        [
            "100 x 20 ms sleeps fanned out (ideal 20 ms)",
            report.fmt_time(fan[current]),
            report.fmt_time(fan[reference]),
            report.fmt_ratio(fan[reference], fan[current]),
        ],
    ]
    return report.Table("Async driver (best run)", ["workload", current, reference, "1.x / current"], rows, left=(0,))
