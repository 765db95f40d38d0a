"""One benchmark workload, run in a fresh interpreter of the venv under test.

Usage (by run.py, not by hand)::

    <venv>/bin/python workload.py MODULE_PATH --repeats 7 --build-repeats 3 --budget 15

Imports the generated module at MODULE_PATH, then times, with ``time.perf_counter``:

* ``plain``    -- calling the module's functions directly in definition (= topological)
  order, positional arguments looked up in a dict of results (one ``dict[key]`` or a
  precomputed ``itemgetter`` per call): the physical limit.
* ``build``    -- ``driver.Builder().with_modules(module).build()``.
* ``execute``  -- ``driver.execute(sinks, inputs={"x": ...})`` on the first built driver.

Each is timed once cold ("first") and then up to ``repeats`` more times: plain and execute
interleaved, and a sample of a fast call averages a timeit-style batch of back-to-back
calls lasting at least ``MIN_SAMPLE_S``. The orchestrator takes medians. A
``RecursionError`` (Hamilton 1.x on long chains) is caught and reported as the stage's
error instead of numbers. Prints one JSON object on the last line of stdout.

Stdlib only, and only API that Hamilton 1.x and 2.0 share, so the same code runs in both.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import inspect
import json
import sys
import time
import types
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

INPUT_VALUE = 7
MIN_REPEATS = 3  # rounds run even when over the time budget
MIN_SAMPLE_S = 0.05  # a steady-state sample repeats fast calls until it lasts this long
SLOW_CALL_S = 1.0  # a first call this slow is never batched (and needs no calibration call)
MAX_BATCH = 10_000

Dependencies = list[tuple[str, Callable[..., int], tuple[str, ...]]]
# (name, function, the one argument's name or None, getter of several arguments or None)
PlainStep = tuple[str, Callable[..., int], str | None, Callable[[dict[str, Any]], tuple[Any, ...]] | None]


def load_module(path: Path) -> types.ModuleType:
    """Import the generated file the ordinary way: its directory on sys.path, then import."""
    sys.path.insert(0, str(path.parent))
    return importlib.import_module(path.stem)


def dependencies(module: types.ModuleType) -> Dependencies:
    """``(name, function, parameter names)`` for every function, in definition order."""
    found = []
    for name, value in vars(module).items():
        if inspect.isfunction(value) and value.__module__ == module.__name__:
            code = value.__code__
            found.append((name, value, code.co_varnames[: code.co_argcount]))
    return found


def sinks_of(deps: Dependencies) -> list[str]:
    """Nodes no other node depends on."""
    used = {param for _, _, params in deps for param in params}
    return [name for name, _, _ in deps if name not in used]


def plain_steps(deps: Dependencies) -> list[PlainStep]:
    """Precompute argument fetching the way a careful hand-written loop would."""
    return [
        (name, function, params[0], None) if len(params) == 1 else (name, function, None, itemgetter(*params))
        for name, function, params in deps
    ]


def run_plain(steps: list[PlainStep]) -> dict[str, Any]:
    """Call every function in order, arguments from a dict of results: the physical limit."""
    results: dict[str, Any] = {"x": INPUT_VALUE}
    for name, function, key, getter in steps:
        results[name] = function(results[key]) if getter is None else function(*getter(results))
    return results


def timed(function: Callable[[], Any], number: int = 1) -> tuple[float, Any]:
    """Mean seconds per call over ``number`` back-to-back calls, and the last result.

    A garbage collection first, so garbage left by earlier samples is not charged here.
    """
    gc.collect()
    result = None
    start = time.perf_counter()
    for _ in range(number):
        result = function()
    return (time.perf_counter() - start) / number, result


def batch_size(function: Callable[[], Any], first_call: float) -> int:
    """How many calls make one steady-state sample last about ``MIN_SAMPLE_S`` (timeit-style)."""
    if first_call >= SLOW_CALL_S:
        return 1
    warm = timed(function)[0]  # first calls can be much slower (e.g. planning on first execute)
    return max(1, min(MAX_BATCH, round(MIN_SAMPLE_S / max(warm, 1e-9))))


def sample(functions: list[tuple[Callable[[], Any], int]], repeats: int, budget: float) -> list[list[float]]:
    """Per-call seconds of each ``(function, batch size)``, ``repeats`` samples each.

    The functions take turns, so machine noise hits them alike. Sampling stops early once
    ``budget`` seconds are spent and at least ``MIN_REPEATS`` rounds ran, which keeps very
    slow cases (1.x on large fan-ins) from dominating the run.
    """
    samples: list[list[float]] = [[] for _ in functions]
    spent = 0.0
    for round_number in range(repeats):
        if spent > budget and round_number >= MIN_REPEATS:
            break
        for times, (function, number) in zip(samples, functions):
            per_call = timed(function, number)[0]
            times.append(per_call)
            spent += per_call * number
    return samples


def measure(module_path: Path, repeats: int, build_repeats: int, budget: float) -> dict[str, Any]:
    """Every measurement for one generated module, as a JSON-able dict."""
    from hamilton import driver
    from hamilton.version import VERSION

    module = load_module(module_path)
    deps = dependencies(module)
    sinks = sinks_of(deps)
    steps = plain_steps(deps)
    report: dict[str, Any] = {
        "hamilton_version": ".".join(str(part) for part in VERSION),
        "hamilton_file": driver.__file__,
        "python": sys.version.split()[0],
        "nodes": len(deps),
        "sinks": len(sinks),
    }

    def plain() -> dict[str, Any]:
        return run_plain(steps)

    def build() -> Any:
        return driver.Builder().with_modules(module).build()

    def execute() -> dict[str, Any]:
        return dr.execute(sinks, inputs={"x": INPUT_VALUE})

    plain_first, plain_results = timed(plain)
    plain_batch = batch_size(plain, plain_first)
    report["plain"] = {"first": plain_first, "batch": plain_batch}
    try:
        build_first, dr = timed(build)
        (build_runs,) = sample([(build, 1)], build_repeats, budget)
    except RecursionError:
        report["build"] = {"error": "RecursionError"}
        return report
    report["build"] = {"first": build_first, "runs": build_runs}

    try:
        execute_first, outputs = timed(execute)
        execute_batch = batch_size(execute, execute_first)
        plain_runs, execute_runs = sample([(plain, plain_batch), (execute, execute_batch)], repeats, budget)
    except RecursionError:
        report["execute"] = {"error": "RecursionError"}
        report["plain"]["runs"] = sample([(plain, plain_batch)], repeats, budget)[0]
        return report
    report["plain"]["runs"] = plain_runs
    report["execute"] = {"first": execute_first, "batch": execute_batch, "runs": execute_runs}
    report["results_match"] = all(outputs[name] == plain_results[name] for name in sinks)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("module", type=Path, help="path of a module generated by dag_gen.py")
    parser.add_argument("--repeats", type=int, default=7, help="timed calls after the first one")
    parser.add_argument("--build-repeats", type=int, default=3, help="timed builds after the first one")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds after which repeats stop early")
    args = parser.parse_args()
    print(json.dumps(measure(args.module, args.repeats, args.build_repeats, args.budget)))


if __name__ == "__main__":
    main()
