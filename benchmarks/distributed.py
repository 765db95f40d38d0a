"""Dask and Ray: what Hamilton adds on top of the engine, against the engine driven by hand.

Each engine runs in a fresh interpreter of each venv, on a small local cluster started by that
interpreter (dask: ``distributed.LocalCluster`` of 2 worker processes with 1 thread each; Ray:
``ray.init(num_cpus=2)``), and times two workloads, each against the same functions sent to the
same cluster by hand (the physical limit):

* fan-out: a ``Parallelizable`` of 1,000 items through a one-node block (``x * 2``) into a
  ``Collect`` sum, with ``h_dask.DaskExecutor(client=client)`` / ``h_ray.RayTaskExecutor(skip_init=True)``
  as the remote executor, against ``client.map(doubled, range(1000))`` + ``client.gather`` /
  ``ray.get([doubled.remote(i) ...])``. Goal for current: within 1.5x of the limit.
* graph: the 500-node random DAG of ``dag_gen.py`` through ``h_dask.DaskGraphAdapter(client,
  base.DictResult())`` / ``h_ray.RayGraphAdapter(base.DictResult())``, against the same functions
  wrapped by hand in ``dask.delayed`` (computed on the client) / ``ray.remote``.

The modules are files on the workers' ``PYTHONPATH``, so functions travel by reference in every
variant. Samples of a workload's variants are interleaved after one warm-up call of each (see
``snippets.ROUNDS``); a variant that fails is reported with its error, not hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import report
import snippets
from dag_gen import write_module
from measure import launch_json
from venvs import Venv

ITEMS = 1_000
GRAPH_SHAPE, GRAPH_SIZE = "random", 500
GOAL = 1.5  # current's fan-out through Hamilton / the engine by hand
ENGINES = ("dask", "ray")

_FAN_OUT_MODULE = """
from hamilton.htypes import Collect, Parallelizable


def items(count: int) -> Parallelizable[int]:
    for index in range(count):
        yield index


def doubled(items: int) -> int:
    return items * 2


def total(doubled: Collect[int]) -> int:
    return sum(doubled)
"""

# Shared by both engines' snippets: arguments, the modules, the expected values, the rounds.
_COMMON = (
    """
import importlib, inspect, json, os, sys, time
folder, graph_name, items_count, repeats, budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
sys.path.insert(0, folder)
os.environ["PYTHONPATH"] = folder  # the workers import the modules by name, as a user's would
import dist_fan_out
graph = importlib.import_module(graph_name)
from hamilton import base, driver
from hamilton.version import VERSION
"""
    + snippets.ROUNDS
    + """
functions = {name: f for name, f in vars(graph).items() if inspect.isfunction(f) and f.__module__ == graph_name}
order = sorted(functions, key=lambda name: int(name[1:]))  # definition order = topological order
deps = {name: list(inspect.signature(functions[name]).parameters) for name in order}
used = {dep for names in deps.values() for dep in names}
sinks = [name for name in order if name not in used]
plain = {}
for name in order:
    plain[name] = functions[name](*[7 if dep == "x" else plain[dep] for dep in deps[name]])
expected_graph = {name: plain[name] for name in sinks}
expected_total = sum(2 * index for index in range(items_count))
out = {"version": ".".join(map(str, VERSION)), "items": items_count, "nodes": len(order), "repeats": repeats}


def hamilton_fan_out(make_executor):
    try:
        dr = (driver.Builder().enable_dynamic_execution(allow_experimental_mode=True).with_modules(dist_fan_out)
              .with_remote_executor(make_executor()).build())
    except Exception as error:
        return failing(describe(error))
    return lambda: timed_sync(lambda: dr.execute(["total"], inputs={"count": items_count})["total"])


def hamilton_graph(make_adapter):
    try:
        dr = driver.Builder().with_modules(graph).with_adapters(make_adapter()).build()
    except Exception as error:
        return failing(describe(error))
    return lambda: timed_sync(lambda: dict(dr.execute(sinks, inputs={"x": 7})))
"""
)

_DASK_SNIPPET = (
    _COMMON
    + """
import dask, distributed
out["engine"] = "dask " + dask.__version__
cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
client = distributed.Client(cluster)  # the default client: dask.compute runs on it
try:
    try:
        from hamilton.plugins import h_dask
    except Exception as error:
        h_dask, missing = None, failing(describe(error))

    def by_map():
        futures = client.map(dist_fan_out.doubled, range(items_count), pure=False)
        return sum(client.gather(futures))

    out["fan_out"] = rounds(
        {
            "limit": lambda: timed_sync(by_map),
            "hamilton": hamilton_fan_out(lambda: h_dask.DaskExecutor(client=client)) if h_dask else missing,
        },
        expected_total, repeats, budget,
    )
    delayed_functions = {name: dask.delayed(functions[name]) for name in order}

    def by_delayed():
        lazy = {}
        for name in order:
            lazy[name] = delayed_functions[name](*[7 if dep == "x" else lazy[dep] for dep in deps[name]])
        return dict(zip(sinks, dask.compute(*[lazy[name] for name in sinks])))

    out["graph"] = rounds(
        {
            "limit": lambda: timed_sync(by_delayed),
            "hamilton": hamilton_graph(lambda: h_dask.DaskGraphAdapter(client, base.DictResult())) if h_dask else missing,
        },
        expected_graph, repeats, budget,
    )
finally:
    client.close()
    cluster.close()
print(json.dumps(out))
"""
)

_RAY_SNIPPET = (
    _COMMON
    + """
import ray
out["engine"] = "ray " + ray.__version__
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
try:
    try:
        from hamilton.plugins import h_ray
    except Exception as error:
        h_ray, missing = None, failing(describe(error))
    remote_doubled = ray.remote(dist_fan_out.doubled)

    def by_remote():
        return sum(ray.get([remote_doubled.remote(index) for index in range(items_count)]))

    out["fan_out"] = rounds(
        {
            "limit": lambda: timed_sync(by_remote),
            "hamilton": hamilton_fan_out(lambda: h_ray.RayTaskExecutor(skip_init=True)) if h_ray else missing,
        },
        expected_total, repeats, budget,
    )
    remote_functions = {name: ray.remote(functions[name]) for name in order}

    def by_refs():
        refs = {}
        for name in order:
            refs[name] = remote_functions[name].remote(*[7 if dep == "x" else refs[dep] for dep in deps[name]])
        return dict(zip(sinks, ray.get([refs[name] for name in sinks])))

    out["graph"] = rounds(
        {
            "limit": lambda: timed_sync(by_refs),
            "hamilton": hamilton_graph(lambda: h_ray.RayGraphAdapter(base.DictResult())) if h_ray else missing,
        },
        expected_graph, repeats, budget,
    )
finally:
    ray.shutdown()
print(json.dumps(out))
"""
)

_SNIPPETS = {"dask": _DASK_SNIPPET, "ray": _RAY_SNIPPET}


def measure(
    venvs: list[Venv], scratch: Path, repeats: int = 5, budget: float = 15.0, problems: dict[str, str] | None = None
) -> dict[str, Any]:
    """``{engine: {venv label: the snippet's JSON}}``: samples per workload and variant, or errors.

    ``problems`` (from :func:`venvs.ensure_distributed`) are kept beside the figures: a plugin that
    did not install shows up as an import error of its variants.
    """
    folder = scratch / "distributed_modules"
    folder.mkdir(exist_ok=True)
    (folder / "dist_fan_out.py").write_text(_FAN_OUT_MODULE)
    graph = write_module(folder, GRAPH_SHAPE, GRAPH_SIZE).stem
    results: dict[str, Any] = {"problems": dict(problems or {})}
    for engine in ENGINES:
        results[engine] = {}
        for venv in venvs:
            args = ["-c", _SNIPPETS[engine], str(folder), graph, str(ITEMS), str(repeats), str(budget)]
            results[engine][venv.label] = launch_json(venv, args, scratch)
    return results


# -- the tables ------------------------------------------------------------------------------------
# Per engine, the rows' wording: fan-out limit, fan-out through Hamilton, graph limit, graph through
# Hamilton, the cluster.
_LABELS = {
    "dask": (
        "client.map + gather (limit)",
        "DaskExecutor(client=client)",
        "dask.delayed by hand (limit)",
        "DaskGraphAdapter(client, DictResult())",
        "2 worker processes x 1 thread",
    ),
    "ray": (
        "ray.get([f.remote(i) ...]) (limit)",
        "RayTaskExecutor(skip_init=True)",
        "ray.remote by hand (limit)",
        "RayGraphAdapter(DictResult())",
        "ray.init(num_cpus=2)",
    ),
}


def _median(result: dict[str, Any], workload: str, variant: str) -> float | str | None:
    """The median seconds of a variant, its error (``"TypeError: ..."``), or ``None`` if the run crashed."""
    if "error" in result:
        return None
    samples = result[workload][variant]
    return samples if isinstance(samples, str) else report.median(samples)


def _fmt(value: float | str | None) -> str:
    """A time, or ``fails: <exception name>`` (the whole message goes under *Notes*)."""
    return f"fails: {report.fmt_cell(value)}" if isinstance(value, str) else report.fmt_time(value)


def _ratio(result: dict[str, Any], workload: str) -> str:
    return report.fmt_ratio(_median(result, workload, "hamilton"), _median(result, workload, "limit"))


def _overhead(result: dict[str, Any], workload: str, count: int) -> str:
    hamilton, limit = _median(result, workload, "hamilton"), _median(result, workload, "limit")
    if isinstance(hamilton, float) and isinstance(limit, float):
        return report.fmt_time((hamilton - limit) / count)
    return ""


def table(results: dict[str, Any], engine: str, current: str, reference: str) -> report.Table:
    """One engine's figures, both versions side by side."""
    runs = results[engine]
    labels = (current, reference)
    fan_limit, fan_hamilton, graph_limit, graph_hamilton, cluster = _LABELS[engine]
    versions = sorted({run["engine"] for run in runs.values() if "engine" in run})
    title = f"{engine.capitalize()} ({', '.join(versions) or 'not available'}; {cluster}; medians)"
    rows: list[list[str]] = []
    crashed = {label: runs[label]["error"] for label in labels if "error" in runs[label]}
    if len(crashed) == len(labels):
        rows.append(["not available", *(crashed[label] for label in labels)])
        return report.Table(title, ["measure", current, reference], rows, left=(0, 1, 2))

    def cells(function: Any, *args: Any) -> list[str]:
        return [function(runs[label], *args) if label not in crashed else report.NOT_RUN for label in labels]

    def times(workload: str, variant: str) -> list[str]:
        return cells(lambda run: _fmt(_median(run, workload, variant)))

    rows.append([f"{ITEMS:,}-item Parallelizable: {fan_limit}", *times("fan_out", "limit")])
    rows.append([f"  through Hamilton, {fan_hamilton}", *times("fan_out", "hamilton")])
    rows.append([f"  Hamilton / limit (goal for current: <= {GOAL}x)", *cells(_ratio, "fan_out")])
    rows.append([f"  overhead per item: (Hamilton - limit) / {ITEMS:,}", *cells(_overhead, "fan_out", ITEMS)])
    rows.append([f"{GRAPH_SIZE}-node {GRAPH_SHAPE} graph: {graph_limit}", *times("graph", "limit")])
    rows.append([f"  through Hamilton, {graph_hamilton}", *times("graph", "hamilton")])
    rows.append(["  Hamilton / limit", *cells(_ratio, "graph")])
    rows.append([f"  overhead per node: (Hamilton - limit) / {GRAPH_SIZE}", *cells(_overhead, "graph", GRAPH_SIZE)])
    samples = sorted(
        {
            len(run[w][v])
            for run in runs.values()
            for w in ("fan_out", "graph")
            for v in ("limit", "hamilton")
            if "error" not in run and isinstance(run[w][v], list)
        }
    )
    counts = f"{samples[0]}-{samples[-1]}" if len(samples) > 1 else "".join(map(str, samples)) or "none"
    note = f"Samples per figure: {counts}, after a warm-up, interleaved."
    if crashed:
        note += " " + "; ".join(f"{label}: not available ({error})" for label, error in crashed.items())
    return report.Table(title, ["measure", current, reference], rows, left=(0,), note=note)


def tables(results: dict[str, Any], current: str, reference: str) -> list[report.Table]:
    return [table(results, engine, current, reference) for engine in ENGINES]


def errors(results: dict[str, Any]) -> list[str]:
    """Failures worth a line under *Notes*: installs, crashed runs, failing variants."""
    found = [f"distributed: {where} not installed ({problem})" for where, problem in results["problems"].items()]
    for engine in ENGINES:
        for label, run in results[engine].items():
            if "error" in run:
                found.append(f"distributed {engine} [{label}]: {run['error']}")
                continue
            for workload in ("fan_out", "graph"):
                for variant, samples in run[workload].items():
                    if isinstance(samples, str):
                        found.append(f"distributed {engine} {workload} {variant} [{label}]: {samples}")
    return found
