"""Async nodes: concurrency of a fan-out, per-node overhead of a chain, an async Parallelizable block.

Every figure is compared with what plain ``asyncio`` does with the same coroutines:

* fan-out: 200 independent ``async def`` nodes that each ``await asyncio.sleep(0.01)``, summed
  by one node, run by the ordinary (sync) ``Driver.execute`` -- also by ``await aexecute`` and
  by ``AsyncDriver`` -- against ``asyncio.gather`` of the same 200 coroutines (about 10 ms).
  1.90.0 runs it with its ``async_driver.AsyncDriver``. Target: current / gather <= 1.3.
* chain: 1,000 ``async def`` nodes, each adding one to the previous; overhead per node over
  awaiting the same coroutines one after the other by hand (best of N). 1.90.0 falls back to a
  500-node chain if its recursive executor overflows the stack. Target: current's overhead at
  least 5x lower than 1.90.0's.
* Parallelizable: 1,000 items, each through an ``async def`` node awaiting ``asyncio.sleep(0.01)``,
  collected, with ``MultiThreadingExecutor(max_tasks=50)``: ideal ceil(1000 / 50) x 10 ms =
  200 ms. Target: <= 1.3x ideal. 1.90.0 cannot await async nodes in a block; for context both
  versions also run the sync equivalent (``time.sleep(0.01)`` on the same 50 threads).

Timed samples of the ways of running one workload are interleaved (see ``snippets.ROUNDS``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import report
import snippets
from measure import launch_json
from venvs import Venv

SLEEP = 0.01
WIDTH = 200
CHAIN = 1_000
REFERENCE_CHAIN = 500  # what 1.90.0 runs if 1,000 overflows its stack
ITEMS = 1_000
MAX_TASKS = 50

_SNIPPET = (
    """
import asyncio, json, sys, time, types
from hamilton import async_driver, driver
from hamilton.execution import executors
from hamilton.version import VERSION

repeats, width, chain_n, fallback_n, items, max_tasks = map(int, sys.argv[1:7])
SLEEP = float(sys.argv[7])
CURRENT = VERSION[0] >= 2  # 2.0 runs async nodes in the ordinary Driver
"""
    + snippets.ROUNDS
    + """
FLIGHT = '''"""
    + snippets.FLIGHT
    + """'''
loop = asyncio.new_event_loop()
run = loop.run_until_complete


def timed_async(make):
    async def go():
        start = time.perf_counter()
        value = await make()
        return time.perf_counter() - start, value

    return run(go())


def module(name, source):
    mod = types.ModuleType(name)
    exec("import asyncio, time\\nfrom hamilton.htypes import Collect, Parallelizable\\n" + FLIGHT + source, mod.__dict__)
    sys.modules[name] = mod
    return mod


def variants_of(mod, output, inputs):
    \"\"\"Ways to run ``output`` of ``mod``: the sync Driver and aexecute (current), AsyncDriver.\"\"\"
    out = {}
    if CURRENT:
        try:
            dr = driver.Builder().with_modules(mod).build()
        except Exception as error:
            out["execute"] = out["aexecute"] = failing(describe(error))
        else:

            async def aexecute():
                return (await dr.aexecute([output], inputs=inputs))[output]

            out["execute"] = lambda: timed_sync(lambda: dr.execute([output], inputs=inputs)[output])
            out["aexecute"] = lambda: timed_async(aexecute)
    try:
        adr = run(async_driver.Builder().with_modules(mod).build())
    except Exception as error:
        out["async_driver"] = failing(describe(error))
    else:

        async def via_async_driver():
            return (await adr.execute([output], inputs=inputs))[output]

        out["async_driver"] = lambda: timed_async(via_async_driver)
    return out


out = {"current": CURRENT}

# 1. fan-out: width sleeps summed by one node, against asyncio.gather of the same coroutines
fan = module("async_fan", "".join(
    f"async def f{i}(x: int) -> int:\\n    await asyncio.sleep({SLEEP})\\n    return x + {i}\\n" for i in range(width))
    + f"def total({', '.join(f'f{i}: int' for i in range(width))}) -> int:\\n"
    + f"    return {' + '.join(f'f{i}' for i in range(width))}\\n")
fan_functions = [getattr(fan, f"f{i}") for i in range(width)]


async def gather():
    return sum(await asyncio.gather(*(function(1) for function in fan_functions)))


fan_variants = {"gather": lambda: timed_async(gather), **variants_of(fan, "total", {"x": 1})}
out["fan_out"] = rounds(fan_variants, width + width * (width - 1) // 2, repeats)


# 2. chain: per node, over awaiting the same coroutines one after the other
def chain_module(n):
    return module(f"async_chain_{n}", "async def n0(x: int) -> int:\\n    return x\\n" + "".join(
        f"async def n{i}(n{i - 1}: int) -> int:\\n    return n{i - 1} + 1\\n" for i in range(1, n)))


def chain_rounds(n):
    chain = chain_module(n)
    functions = [getattr(chain, f"n{i}") for i in range(n)]

    async def plain():
        value = 1
        for function in functions:
            value = await function(value)
        return value

    variants = {"plain": lambda: timed_async(plain), **variants_of(chain, f"n{n - 1}", {"x": 1})}
    return rounds(variants, n, repeats)


chain = chain_rounds(chain_n)
if not CURRENT and "Recursion" in str(chain.get("async_driver")):
    out["chain_error"] = chain["async_driver"]
    chain_n = fallback_n
    chain = chain_rounds(chain_n)
out["chain"], out["chain_nodes"] = chain, chain_n

# 3. an async Parallelizable block, max_tasks items at once; and its sync (threads) equivalent
blocks = {
    "async": f'''
def item(count: int) -> Parallelizable[int]:
    yield from range(count)

async def slept(item: int) -> int:
    _enter()
    try:
        await asyncio.sleep({SLEEP})
    finally:
        _leave()
    return item

def total(slept: Collect[int]) -> int:
    return sum(slept)
''',
    "sync": f'''
def item(count: int) -> Parallelizable[int]:
    yield from range(count)

def slept(item: int) -> int:
    _enter()
    try:
        time.sleep({SLEEP})
    finally:
        _leave()
    return item

def total(slept: Collect[int]) -> int:
    return sum(slept)
''',
}
out["parallel"], out["parallel_peak"] = {}, {}
for kind, source in blocks.items():
    if kind == "async" and not CURRENT:
        out["parallel"][kind] = "not supported"
        continue
    mod = module(f"block_{kind}", source)
    try:
        dr_block = (driver.Builder().with_modules(mod).enable_dynamic_execution(allow_experimental_mode=True)
                    .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=max_tasks)).build())
    except Exception as error:
        out["parallel"][kind] = describe(error)
        continue

    def sample(dr_block=dr_block, mod=mod, kind=kind):
        mod._flight[1] = 0
        result = timed_sync(lambda: dr_block.execute(["total"], inputs={"count": items})["total"])
        out["parallel_peak"][kind] = max(out["parallel_peak"].get(kind, 0), mod._flight[1])
        return result

    out["parallel"][kind] = rounds({kind: sample}, items * (items - 1) // 2, max(3, repeats // 2), budget=8.0)[kind]
loop.close()
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 9) -> dict[str, dict[str, Any]]:
    """Per venv: the samples (or error strings) of every async workload, see the module docstring."""
    args = [str(value) for value in (repeats, WIDTH, CHAIN, REFERENCE_CHAIN, ITEMS, MAX_TASKS, SLEEP)]
    return {venv.label: launch_json(venv, ["-c", _SNIPPET, *args], scratch) for venv in venvs}


def _get(result: dict[str, Any], workload: str, key: str) -> Any:
    """Samples of one way of running ``workload``; ``"crashed: ..."`` if the snippet died."""
    if "error" in result:
        return f"crashed: {result['error']}"
    return result.get(workload, {}).get(key)


def _median(samples: Any) -> Any:
    """Median of a sample list; an error string passes through."""
    return report.median(samples) if isinstance(samples, list) else samples


def _best(samples: Any) -> Any:
    return min(samples) if isinstance(samples, list) and samples else samples


def _over(value: Any, base: Any, nodes: int) -> Any:
    """(value - base) / nodes when both are numbers; otherwise whichever is an error."""
    if isinstance(value, float) and isinstance(base, float):
        return (value - base) / nodes
    return value if not isinstance(value, float) else base


def tables(results: dict[str, dict[str, Any]], current: str, reference: str) -> list[report.Table]:
    now, then = results[current], results[reference]
    cell = report.fmt_cell

    gather = {label: _median(_get(results[label], "fan_out", "gather")) for label in (current, reference)}
    fan = report.Table(
        f"Async fan-out: {WIDTH} independent nodes each awaiting asyncio.sleep({SLEEP}), summed (median)",
        ["run by", current, reference, "current / gather", "1.x / gather"],
        left=(0,),
        note=(
            f"Wall time of one run of {WIDTH} concurrent 10 ms sleeps through the driver, against "
            f"asyncio.gather of the same coroutines in each venv. Target: sync Driver.execute / gather <= 1.3."
        ),
    )
    for label, key in (
        ("asyncio.gather of the coroutines (the limit)", "gather"),
        ("Driver.execute (sync call)", "execute"),
        ("await Driver.aexecute", "aexecute"),
        ("AsyncDriver.execute", "async_driver"),
    ):
        cur, ref = _median(_get(now, "fan_out", key)), _median(_get(then, "fan_out", key))
        fan.rows.append(
            [
                label,
                cell(cur),
                cell(ref),
                report.fmt_ratio(cur, gather[current]),
                report.fmt_ratio(ref, gather[reference]),
            ]
        )

    nodes = {current: now.get("chain_nodes", CHAIN), reference: then.get("chain_nodes", CHAIN)}
    plain = {label: _best(_get(results[label], "chain", "plain")) for label in (current, reference)}
    chain = report.Table(
        "Async chain: overhead per node over awaiting the coroutines by hand (best run)",
        ["run by", f"current ({nodes[current]:,} nodes)", f"{reference} ({nodes[reference]:,} nodes)", "1.x / current"],
        left=(0,),
        note=(
            "Each node `async def nI(nI-1) -> int: return nI-1 + 1`; per node, (driver run - the same coroutines awaited "
            "in a loop) / nodes. Target: current's overhead at least 5x lower than 1.90.0's AsyncDriver."
        ),
    )
    ref_async = _over(_best(_get(then, "chain", "async_driver")), plain[reference], nodes[reference])
    chain.rows.append(
        [
            "plain: the coroutines awaited in a loop, per node",
            cell(_over(plain[current], 0.0, nodes[current])),
            cell(_over(plain[reference], 0.0, nodes[reference])),
            "",
        ]
    )
    for label, key in (
        ("await Driver.aexecute", "aexecute"),
        ("Driver.execute (sync call)", "execute"),
        ("AsyncDriver.execute", "async_driver"),
    ):
        cur = _over(_best(_get(now, "chain", key)), plain[current], nodes[current])
        ref = _over(_best(_get(then, "chain", key)), plain[reference], nodes[reference])
        chain.rows.append([label, cell(cur), cell(ref), report.fmt_ratio(ref_async, cur)])
    if "chain_error" in then:
        chain.note += f" {reference} at {CHAIN:,} nodes: {then['chain_error'][:80]}."
    else:
        chain.note += " '1.x / current' divides 1.90.0's AsyncDriver overhead by each current row."

    ideal = math.ceil(ITEMS / MAX_TASKS) * SLEEP
    block = report.Table(
        f"Async Parallelizable block: {ITEMS:,} items x 10 ms sleep, MultiThreadingExecutor(max_tasks={MAX_TASKS}) (median)",
        ["items run as", current, "x ideal", "peak in flight", reference, "x ideal", "peak in flight"],
        left=(0,),
        note=(
            f"Wall time of Driver.execute over a Parallelizable of {ITEMS:,} items, each through one node sleeping 10 ms, "
            f"into a Collect; ideal = ceil({ITEMS:,} / {MAX_TASKS}) x 10 ms = {report.fmt_time(ideal)}. Target for "
            f"`async def` items: <= 1.3x ideal. The `time.sleep` rows (sync nodes on the executor's threads) are context: "
            f"1.90.0 cannot await async nodes in a block."
        ),
    )
    for label, key in (("`async def` + asyncio.sleep", "async"), ("`def` + time.sleep (context)", "sync")):
        row = [label]
        for result in (now, then):
            value = _median(_get(result, "parallel", key))
            peak = result.get("parallel_peak", {}).get(key)
            row += [cell(value), report.fmt_ratio(value, ideal), str(peak) if peak is not None else ""]
        block.rows.append(row)
    return [fan, chain, block]


def errors(results: dict[str, dict[str, Any]]) -> list[str]:
    """Full messages of the variants that failed (the tables show only the exception type)."""
    found = []
    for label, result in results.items():
        if "error" in result:
            found.append(f"async [{label}]: the measuring process crashed: {result['error']}")
        for workload in ("fan_out", "chain", "parallel"):
            for key, value in result.get(workload, {}).items():
                if isinstance(value, str) and value != "not supported":
                    found.append(f"async {workload} {key} [{label}]: {value}")
    return found
