"""What the result cache costs per node: a 1,000-node chain run with ``Builder().with_cache()``.

The chain's module is written to a file (code versions need the functions' source). For each
version, in one fresh interpreter:

* **no cache**: the chain without a cache (steady state, best of N) — the baseline;
* **first run**: a fresh cache directory, every node computed and stored (best of N, each on a
  new directory);
* **cached re-run**: the same driver executing again, every node read back from the cache
  (best of N);
* **new driver, cached**: a new driver on the filled directory, executing once (what a new
  process pays, code versions included; best of N).

Reported per node. The current version needs hamilton-cache in its venv; 1.90.0 has the cache
built in. 1.90.0 recurses once per node of a chain, so both versions run the chain in a thread
with a 512 MB stack and a raised recursion limit.

**Long chains** (current only: 1.90.0 cannot run them): cached re-runs of chains of 1,000,
10,000 and 100,000 nodes (cache in ``/dev/shm`` when it exists), per node over the uncached run,
to show that the cost per node does not grow with the graph.
"""

from __future__ import annotations

import json
from pathlib import Path

import report
import snippets
from measure import _launch
from venvs import Venv

NODES = 1_000
LONG_CHAINS = (1_000, 10_000, 100_000)

_SNIPPET = (
    """
import json, os, pathlib, shutil, sys, tempfile, threading, time
n, repeats = int(sys.argv[1]), int(sys.argv[2])
work = pathlib.Path(tempfile.mkdtemp(prefix="hamilton-cache-bench-"))
sys.setrecursionlimit(200_000)
threading.stack_size(512 * 1024 * 1024)
"""
    + snippets.CHAIN_SOURCE
    + snippets.BEST_PER_NODE
    + """
(work / "cache_chain.py").write_text(source)
sys.path.insert(0, str(work))
import cache_chain
from hamilton import driver

final = [f"n{n - 1}"]
counter = iter(range(10**6))
out = {}

def cached_driver(path):
    return driver.Builder().with_modules(cache_chain).with_cache(path=str(path)).build()

def main():
    plain = driver.Builder().with_modules(cache_chain).build()
    out["plain"] = best(lambda: plain.execute(final, inputs={"x": 1}))
    out["first"] = best(lambda: cached_driver(work / f"first-{next(counter)}").execute(final, inputs={"x": 1}))
    filled = work / "filled"
    dr = cached_driver(filled)
    dr.execute(final, inputs={"x": 1})
    out["cached"] = best(lambda: dr.execute(final, inputs={"x": 1}))
    out["new_driver"] = best(lambda: cached_driver(filled).execute(final, inputs={"x": 1}))
    events = dr.cache.logs(dr.cache.last_run_id)
    out["all_read_back"] = all(
        [e.event_type.value for e in events[f"n{i}"]] == ["get_result"] for i in range(n)
    )

thread = threading.Thread(target=main)
thread.start()
thread.join()
shutil.rmtree(work, ignore_errors=True)
print(json.dumps(out))
"""
)

_LONG_SNIPPET = (
    """
import json, os, pathlib, shutil, sys, tempfile, time
n, repeats = int(sys.argv[1]), int(sys.argv[2])
work = pathlib.Path(tempfile.mkdtemp(prefix="hamilton-cache-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
"""
    + snippets.CHAIN_SOURCE
    + snippets.BEST_PER_NODE
    + """
(work / "long_cache_chain.py").write_text(source)
sys.path.insert(0, str(work))
import long_cache_chain
from hamilton import driver

final = [f"n{n - 1}"]
plain = driver.Builder().with_modules(long_cache_chain).build()
dr = driver.Builder().with_modules(long_cache_chain).with_cache(path=str(work / "cache")).build()
start = time.perf_counter()
dr.execute(final, inputs={"x": 1})
out = {"first": (time.perf_counter() - start) / n}
out["plain"] = best(lambda: plain.execute(final, inputs={"x": 1}))
out["cached"] = best(lambda: dr.execute(final, inputs={"x": 1}))
shutil.rmtree(work, ignore_errors=True)
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 5) -> dict[str, dict[str, float]]:
    """Per venv: seconds per node without cache, first cached run, cached re-run, new driver."""
    results = {}
    for venv in venvs:
        _, done = _launch(venv, ["-c", _SNIPPET, str(NODES), str(repeats)], scratch)
        results[venv.label] = json.loads(done.stdout)
    return results


def measure_long_chains(venv: Venv, scratch: Path, sizes: tuple[int, ...] = LONG_CHAINS) -> dict[str, dict[str, float]]:
    """Per chain length: seconds per node of the first cached run, the plain run, a cached re-run."""
    return {
        str(size): json.loads(_launch(venv, ["-c", _LONG_SNIPPET, str(size), "3"], scratch)[1].stdout) for size in sizes
    }


def long_chain_table(results: dict[str, dict[str, float]], current: str) -> report.Table:
    rows = [
        [
            f"{int(size):,}",
            report.fmt_time(figures["first"]),
            report.fmt_time(figures["cached"]),
            report.fmt_time(figures["cached"] - figures["plain"]),
        ]
        for size, figures in results.items()
    ]
    return report.Table(
        f"Result cache on long chains, {current} only (per node, cache in /dev/shm)",
        ["nodes", "first run", "cached re-run", "re-run overhead"],
        rows,
        left=(0,),
    )


def table(results: dict[str, dict[str, float]], current: str, reference: str) -> report.Table:
    rows = []
    for key, label in (
        ("plain", "no cache"),
        ("first", "first run (compute + store)"),
        ("cached", "cached re-run, same driver"),
        ("new_driver", "cached run, new driver"),
    ):
        values = {name: results[name][key] for name in (current, reference)}
        rows.append(
            [
                label,
                report.fmt_time(values[current]),
                report.fmt_time(values[reference]),
                report.fmt_ratio(values[reference], values[current]),
            ]
        )
    rows.append(
        [
            "re-run overhead over no cache",
            *[report.fmt_time(results[name]["cached"] - results[name]["plain"]) for name in (current, reference)],
            report.fmt_ratio(
                results[reference]["cached"] - results[reference]["plain"],
                results[current]["cached"] - results[current]["plain"],
            ),
        ]
    )
    notes = [name for name in (current, reference) if not results[name].get("all_read_back")]
    title = f"Result cache per node ({NODES}-node chain, best run)"
    if notes:
        title += f" - NOT all nodes read back in: {', '.join(notes)}"
    return report.Table(title, ["run", current, reference, "1.x / current"], rows, left=(0,))
