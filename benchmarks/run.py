"""Benchmark this repository's Hamilton against apache-hamilton 1.90.0.

    python3 benchmarks/run.py             # full run, about 13 minutes (plus venv setup)
    python3 benchmarks/run.py --quick     # fewer repeats and sizes, under a minute
    python3 benchmarks/run.py --reuse     # do not reinstall core into the 'current' venv
    python3 benchmarks/run.py --markdown  # print markdown tables instead of plain text
    python3 benchmarks/run.py --only async,hooks  # some sections only (see --help for the names)

Measures cold ``import hamilton.driver``, graph build and execution of generated DAGs
(chain / fan-in / random) against plain Python calls of the same functions, and long
chains. Every measurement runs in fresh subprocesses of each venv's interpreter. Raw
numbers go to ``benchmarks/results/latest.json``. This is a measuring tool, not a test:
nothing here asserts on timings. See README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import async_run
import caching
import dataframe_result
import decorated
import distributed
import drawing
import fingerprints
import hooks
import materialize
import parallel
import plugin_discovery
import report
import schedules
import tracking
from dag_gen import SHAPES, write_module
from measure import cold_import, run_workload
from venvs import BENCH_DIR, REPO_DIR, Venv, ensure_current, ensure_distributed, ensure_reference

RESULTS_FILE = BENCH_DIR / "results" / "latest.json"
COMPARED_CHAIN_SIZES = (500, 2_000)  # 1.90.0 still runs 500; 2,000 shows its RecursionError
# What --only selects, in the order of the run.
SECTIONS = (
    "import",
    "discovery",
    "decorated",
    "hooks",
    "cache",
    "fingerprints",
    "materialize",
    "parallel",
    "drawing",
    "dataframe",
    "async",
    "schedule",
    "tracking",
    "distributed",
    "workloads",
)


@dataclass(frozen=True)
class Settings:
    """How much to measure."""

    repeats: int  # steady-state executions per DAG (after the first)
    build_repeats: int  # graph builds per DAG after the first
    launches: int  # fresh interpreters for the cold-import figure
    sizes: tuple[int, ...]  # DAG sizes for every shape
    long_chain: int  # the chain only the current version can run
    budget: float  # seconds per measured stage after which repeats stop early
    cache_chains: tuple[int, ...]  # chain lengths of the cached re-run growth figure
    timed_repeats: int  # samples of the hooks / async / schedule figures


DEFAULT = Settings(
    repeats=7,
    build_repeats=3,
    launches=20,
    sizes=(100, 1_000, 5_000),
    long_chain=100_000,
    budget=15,
    cache_chains=(1_000, 10_000, 100_000),
    timed_repeats=9,
)
QUICK = Settings(
    repeats=3,
    build_repeats=1,
    launches=5,
    sizes=(100, 1_000),
    long_chain=20_000,
    budget=2,
    cache_chains=(1_000, 10_000),
    timed_repeats=3,
)


@dataclass(frozen=True)
class Workload:
    """One generated DAG and the venv labels that run it."""

    shape: str
    size: int
    labels: tuple[str, ...]


def plan_workloads(settings: Settings, current: Venv, reference: Venv) -> list[Workload]:
    """Every shape at every size on both versions, plus the long chains."""
    both = (current.label, reference.label)
    plan = {(shape, size): both for shape in SHAPES for size in settings.sizes}
    for size in COMPARED_CHAIN_SIZES:
        plan[("chain", size)] = both
    plan.setdefault(("chain", settings.long_chain), (current.label,))
    ordered = sorted(plan.items(), key=lambda item: (SHAPES.index(item[0][0]), item[0][1]))
    return [Workload(shape, size, labels) for (shape, size), labels in ordered]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def git_state() -> str:
    """``<commit>`` of the repository, with ``+dirty`` when core/ has uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO_DIR), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--", "core") else "")


def measure_imports(venvs: list[Venv], settings: Settings, scratch: Path) -> dict[str, dict[str, Any]]:
    imports = {}
    for venv in venvs:
        log(f"cold import: {settings.launches} launches of {venv.label}")
        raw = cold_import(venv, settings.launches, scratch)
        imports[venv.label] = {"raw": raw, "summary": report.summarize_import(raw)}
    return imports


def measure_workloads(
    plan: list[Workload], venvs: dict[str, Venv], settings: Settings, modules_dir: Path
) -> list[dict[str, Any]]:
    results = []
    total = sum(len(workload.labels) for workload in plan)
    done = 0
    for workload in plan:
        module = write_module(modules_dir, workload.shape, workload.size)
        runs = {}
        for label in workload.labels:
            done += 1
            start = time.perf_counter()
            raw = run_workload(venvs[label], module, settings.repeats, settings.build_repeats, settings.budget)
            runs[label] = {"raw": raw, "summary": report.summarize_workload(raw)}
            elapsed = time.perf_counter() - start
            log(f"[{done:2}/{total}] {workload.shape:6} {workload.size:>7,}  {label:16} {elapsed:6.1f} s")
        results.append({"shape": workload.shape, "size": workload.size, "runs": runs})
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, sizes 100/1,000 (under a minute)")
    parser.add_argument("--reuse", action="store_true", help="keep the installed core in the 'current' venv")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables instead of plain text")
    parser.add_argument("--repeats", type=int, help="steady-state executions per DAG")
    parser.add_argument("--launches", type=int, help="interpreter launches for the cold-import figure")
    parser.add_argument("--long-chain", type=int, help="size of the chain run by the current version only")
    parser.add_argument("--output", type=Path, help="where to write the raw JSON (default: results/latest.json)")
    parser.add_argument(
        "--only",
        type=_sections,
        default=SECTIONS,
        help=f"comma-separated sections to run, of: {', '.join(SECTIONS)} (default: all)",
    )
    return parser.parse_args()


def _sections(text: str) -> tuple[str, ...]:
    chosen = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    return chosen


def main() -> None:
    args = parse_args()
    settings = QUICK if args.quick else DEFAULT
    overrides = {"repeats": args.repeats, "launches": args.launches, "long_chain": args.long_chain}
    settings = replace(settings, **{key: value for key, value in overrides.items() if value is not None})
    only = set(args.only)
    everything = only == set(SECTIONS)
    output = args.output or (RESULTS_FILE if everything else RESULTS_FILE.with_name(f"only-{'-'.join(args.only)}.json"))
    started, load_before = time.perf_counter(), os.getloadavg()

    log("preparing venvs (pass --reuse to skip reinstalling core)")
    current, reference = ensure_current(args.reuse), ensure_reference()
    venvs = {venv.label: venv for venv in (current, reference)}
    both, cur, ref = [current, reference], current.label, reference.label
    raw: dict[str, Any] = {}  # JSON key -> raw numbers
    tables: list[report.Table] = []
    found: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hamilton-bench-") as tmp:
        scratch, modules_dir = Path(tmp, "scratch"), Path(tmp, "modules")
        scratch.mkdir()
        modules_dir.mkdir()
        if "import" in only:
            raw["imports"] = measure_imports(both, settings, scratch)
            tables += report.import_tables(raw["imports"], cur, ref, settings.launches)
        if "discovery" in only:
            log("plugin discovery (current only)")
            raw["plugin_discovery"] = plugin_discovery.measure(current, settings.launches, scratch)
            tables.append(plugin_discovery.table(raw["plugin_discovery"], cur, settings.launches))
        if "decorated" in only:
            log("500 decorated functions")
            raw["decorated"] = decorated.measure(both, scratch)
            tables.append(decorated.table(raw["decorated"], cur, ref))
        if "hooks" in only:
            log("hook overhead")
            raw["hooks"] = hooks.measure(both, scratch, settings.timed_repeats)
            tables += hooks.tables(raw["hooks"], cur, ref)
        if "cache" in only:
            log("result cache")
            raw["caching"] = caching.measure(both, scratch)
            tables.append(caching.table(raw["caching"], cur, ref))
            log("result cache on long chains (current only)")
            raw["caching_long_chains"] = caching.measure_long_chains(current, scratch, settings.cache_chains)
            tables.append(caching.long_chain_table(raw["caching_long_chains"], cur))
        if "fingerprints" in only:
            log("fingerprints of a 160 MB frame")
            raw["fingerprints"] = fingerprints.measure(both, scratch)
            tables += fingerprints.tables(raw["fingerprints"], cur, ref)
        if "materialize" in only:
            log("materialize")
            raw["materialize"] = materialize.measure(both, scratch)
            tables.append(materialize.table(raw["materialize"], cur, ref))
        if "parallel" in only:
            log("dynamic execution")
            raw["parallel"] = parallel.measure(both, scratch)
            tables.append(parallel.table(raw["parallel"], cur, ref))
        if "drawing" in only:
            log("drawing")
            raw["render"] = drawing.measure(both, scratch)
            tables.append(drawing.table(raw["render"], cur, ref))
        if "dataframe" in only:
            log("DataFrame result (200 x 1M)")
            raw["dataframe_result"] = dataframe_result.measure(both, scratch)
            tables.append(dataframe_result.table(raw["dataframe_result"], cur, ref))
        if "async" in only:
            log("async nodes: fan-out, chain, Parallelizable block")
            raw["async"] = async_run.measure(both, scratch, settings.timed_repeats)
            tables += async_run.tables(raw["async"], cur, ref)
            found += async_run.errors(raw["async"])
        if "schedule" in only:
            log("schedules: ready vs levels")
            raw["schedules"] = schedules.measure(both, scratch, max(3, settings.timed_repeats * 2 // 3))
            tables += schedules.tables(raw["schedules"], cur, ref)
            found += schedules.errors(raw["schedules"])
        if "tracking" in only:
            log("tracking (current only)")
            raw["tracking"] = tracking.measure(current, scratch)
            tables.append(tracking.table(raw["tracking"], cur))
        if "distributed" in only:
            log("distributed: dask and ray (installing them into both venvs the first time)")
            problems = ensure_distributed(both, current, args.reuse)
            raw["distributed"] = distributed.measure(both, scratch, min(5, settings.timed_repeats), problems=problems)
            tables += distributed.tables(raw["distributed"], cur, ref)
            found += distributed.errors(raw["distributed"])
        if "workloads" in only:
            workloads = measure_workloads(plan_workloads(settings, current, reference), venvs, settings, modules_dir)
            for workload in workloads:
                report.compare_to_plain(workload)
            raw["workloads"] = workloads
            tables += report.workload_tables(workloads, cur, ref, settings.repeats)
            found += report.notes(workloads, settings.repeats)

    elapsed = time.perf_counter() - started
    meta = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "repository": git_state(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": load_before[0],
        "load_average_after": os.getloadavg()[0],
        "settings": asdict(settings),
        "sections": list(args.only),
        "venvs": {label: str(venv.path) for label, venv in venvs.items()},
        "runtime_s": elapsed,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"meta": meta, **raw}, indent=1) + "\n")

    render = report.render_markdown if args.markdown else report.render_text
    print(
        f"Hamilton {cur} (core @ {meta['repository']}) vs {ref}; Python {meta['python']}, "
        f"{meta['cpus']} CPUs, load average {load_before[0]:.2f} -> {meta['load_average_after']:.2f}.\n"
        f"Times are medians; '{report.NOT_RUN}' = not run; RecursionError = that version failed.\n"
    )
    print("\n\n".join(render(table) for table in tables))
    if found:
        print("\nNotes:\n" + "\n".join(f"- {note}" for note in found))
    print(f"\nRaw numbers: {output}; total runtime {elapsed:.0f} s.")


if __name__ == "__main__":
    main()
