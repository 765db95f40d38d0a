"""Turn raw benchmark numbers into summaries and plain-text or markdown tables."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_RUN = "—"
NOISY_SPREAD = 0.25  # interquartile range / median above which a steady-state figure is flagged


# -- summaries ----------------------------------------------------------------------------------
def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def spread(values: Sequence[float]) -> float | None:
    """Interquartile range / median: how much the middle half of the samples disagrees."""
    if len(values) < 2:
        return None
    lower, middle, upper = statistics.quantiles(values, n=4)
    return (upper - lower) / middle if middle else None


def summarize_import(raw: dict[str, Any]) -> dict[str, Any]:
    """Medians of one venv's cold-import launches."""
    launch, bare = median(raw["launch_s"]), median(raw["bare_s"])
    return {
        "launch": launch,
        "bare": bare,
        "launch_minus_bare": launch - bare if launch is not None and bare is not None else None,
        "in_process": median(raw["in_process_s"]),
        "modules_imported": raw["modules_imported"],
    }


def summarize_workload(raw: dict[str, Any]) -> dict[str, Any]:
    """Medians, per-node figures and error markers of one venv's run of one generated DAG.

    A failed stage (``RecursionError``) puts its error string in place of its numbers and
    of every later stage's numbers.
    """
    if "error" in raw:
        return {"error": raw["error"]}
    nodes = raw["nodes"]
    summary: dict[str, Any] = {"nodes": nodes}
    build, execute = raw["build"], raw.get("execute", {})
    error = build.get("error") or execute.get("error")
    summary["build"] = build.get("error") or median([build["first"], *build["runs"]])
    if error:
        summary["execute_first"] = summary["execute"] = error
        return summary
    summary["execute_first"] = execute["first"]
    summary["execute"] = median(execute["runs"])
    summary["execute_first_per_node"] = execute["first"] / nodes
    summary["execute_per_node"] = summary["execute"] / nodes
    summary["execute_spread"] = spread(execute["runs"])
    summary["repeats"] = len(execute["runs"])
    summary["results_match"] = raw.get("results_match")
    return summary


def compare_to_plain(workload: dict[str, Any]) -> None:
    """Add the plain-Python baseline to ``workload`` and each version's overhead over it.

    Every venv times the same plain loop interleaved with its own executes; the baseline
    pools those samples (same code, same interpreter) so both versions face one reference.
    """
    runs = workload["runs"].values()
    raws = [run["raw"] for run in runs if "plain" in run["raw"]]
    nodes = workload["size"]
    steady = median([t for raw in raws for t in raw["plain"].get("runs", [])])
    first = median([raw["plain"]["first"] for raw in raws])
    plain = {"first": first, "steady": steady, "per_node": steady / nodes if steady is not None else None}
    workload["plain"] = plain
    for run in runs:
        summary = run["summary"]
        per_node = summary.get("execute_per_node")
        if per_node is not None and plain["per_node"]:
            summary["overhead_per_node"] = per_node - plain["per_node"]
            summary["overhead_ratio"] = summary["overhead_per_node"] / plain["per_node"]


# -- formatting ---------------------------------------------------------------------------------
def fmt_time(value: Any) -> str:
    """Seconds as a short human figure (``812 ns``, ``3.4 ms``, ``1.25 s``); errors pass through."""
    if value is None:
        return NOT_RUN
    if isinstance(value, str):
        return value
    magnitude = abs(value)
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if magnitude >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def fmt_cell(value: Any) -> str:
    """A time; for an error string (``"TypeError: ..."``) only the exception's name."""
    if isinstance(value, str) and ":" in value:
        return value.split(":", 1)[0]
    return fmt_time(value)


def fmt_number(value: float) -> str:
    """Three significant figures, without exponents for large values (``2,350``)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def fmt_ratio(numerator: Any, denominator: Any) -> str:
    """``numerator / denominator`` as ``12.3x`` when both are numbers, else empty."""
    if isinstance(numerator, float) and isinstance(denominator, float) and denominator > 0:
        return fmt_number(numerator / denominator) + "x"
    return ""


@dataclass
class Table:
    """A titled grid of already formatted cells; ``left`` columns are left-aligned, others right."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    left: tuple[int, ...] = (0, 1)
    note: str = ""


def render_text(table: Table) -> str:
    widths = [max(len(row[i]) for row in [table.headers, *table.rows]) for i in range(len(table.headers))]

    def line(cells: list[str]) -> str:
        aligned = [
            cell.ljust(width) if i in table.left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ]
        return "  ".join(aligned).rstrip()

    parts = [table.title, "=" * len(table.title), line(table.headers), line(["-" * w for w in widths])]
    parts += [line(row) for row in table.rows]
    if table.note:
        parts.append(table.note)
    return "\n".join(parts)


def render_markdown(table: Table) -> str:
    align = [":---" if i in table.left else "---:" for i in range(len(table.headers))]
    parts = [f"### {table.title}", "", "| " + " | ".join(table.headers) + " |", "| " + " | ".join(align) + " |"]
    parts += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table.rows]
    if table.note:
        parts += ["", table.note]
    return "\n".join(parts)


# -- tables -------------------------------------------------------------------------------------
def import_tables(imports: dict[str, dict[str, Any]], current: str, reference: str, launches: int) -> list[Table]:
    """The cold-import comparison and the ``-X importtime`` top offenders."""
    cur, ref = imports[current]["summary"], imports[reference]["summary"]
    table = Table(
        f"Cold `import hamilton.driver` (median of {launches} fresh interpreters)",
        ["measure", current, reference, "1.x / current"],
        left=(0,),
    )
    for label, key in (
        ("launch minus bare interpreter", "launch_minus_bare"),
        ("in-process perf_counter", "in_process"),
        ("whole launch", "launch"),
    ):
        table.rows.append([label, fmt_time(cur[key]), fmt_time(ref[key]), fmt_ratio(ref[key], cur[key])])
    table.rows.append(["bare interpreter (-c pass)", fmt_time(cur["bare"]), fmt_time(ref["bare"]), ""])
    table.rows.append(["modules imported", str(cur["modules_imported"]), str(ref["modules_imported"]), ""])

    offenders = Table(
        "Top imports by self time (python -X importtime, one launch)",
        ["#", f"{current}: module", "self", f"{reference}: module", "self"],
        left=(0, 1, 3),
    )
    cur_top, ref_top = imports[current]["raw"]["importtime_top"], imports[reference]["raw"]["importtime_top"]
    for rank in range(max(len(cur_top), len(ref_top))):
        cells = [str(rank + 1)]
        for top in (cur_top, ref_top):
            entry = top[rank] if rank < len(top) else None
            cells += [entry["module"], fmt_time(entry["self_s"])] if entry else ["", ""]
        offenders.rows.append(cells)
    return [table, offenders]


def _get(workload: dict[str, Any], label: str, key: str) -> Any:
    """A summary figure of one version; the error that prevented it; ``None`` if not run."""
    run = workload["runs"].get(label)
    if run is None:
        return None
    summary = run["summary"]
    value = summary.get(key)
    if value is None:
        errors = (summary.get(stage) for stage in ("error", "build", "execute"))
        value = next((error for error in errors if isinstance(error, str)), None)
    return value


def _number(value: Any) -> str:
    return fmt_number(value) if isinstance(value, float) else ""


def _time(value: Any) -> str:
    """A time, or blank for anything else (errors are shown in other columns already)."""
    return fmt_time(value) if isinstance(value, float) else ""


def workload_tables(workloads: list[dict[str, Any]], current: str, reference: str, repeats: int) -> list[Table]:
    """Build, first execute, steady execute and per-node tables over every generated DAG."""
    build = Table(
        "Graph build: Builder().with_modules(m).build() (median of the builds)",
        ["shape", "nodes", current, reference, "1.x / current"],
    )
    first = Table(
        "Execute all sinks, first run on a fresh driver",
        ["shape", "nodes", current, reference, "1.x / current", "plain Python", "current/node", "1.x/node"],
    )
    steady = Table(
        f"Execute all sinks, steady state (median of up to {repeats} samples)",
        ["shape", "nodes", current, reference, "1.x / current", "plain Python", "current / plain", "1.x / plain"],
    )
    per_node = Table(
        "Per node executed, steady state: overhead = Hamilton per node - plain Python per node",
        ["shape", "nodes", "plain", current, reference, "current overhead", "x plain", "1.x overhead", "x plain"],
        note="'x plain' = overhead per node / plain-Python time per node (one direct call + dict lookups).",
    )
    for workload in workloads:
        plain = workload["plain"]
        label = [workload["shape"], f"{workload['size']:,}"]

        def both(key: str, workload: dict[str, Any] = workload) -> tuple[Any, Any]:
            return _get(workload, current, key), _get(workload, reference, key)

        cur, ref = both("build")
        build.rows.append(label + [fmt_time(cur), fmt_time(ref), fmt_ratio(ref, cur)])
        cur, ref = both("execute_first")
        cur_node, ref_node = both("execute_first_per_node")
        first.rows.append(
            label
            + [fmt_time(cur), fmt_time(ref), fmt_ratio(ref, cur), fmt_time(plain["first"])]
            + [_time(cur_node), _time(ref_node)]
        )
        cur, ref = both("execute")
        steady.rows.append(
            label
            + [fmt_time(cur), fmt_time(ref), fmt_ratio(ref, cur), fmt_time(plain["steady"])]
            + [fmt_ratio(cur, plain["steady"]), fmt_ratio(ref, plain["steady"])]
        )
        cur, ref = both("execute_per_node")
        cur_over, ref_over = both("overhead_per_node")
        cur_ratio, ref_ratio = both("overhead_ratio")
        per_node.rows.append(
            label
            + [fmt_time(plain["per_node"]), fmt_time(cur), fmt_time(ref)]
            + [_time(cur_over), _number(cur_ratio), _time(ref_over), _number(ref_ratio)]
        )
    return [build, first, steady, per_node]


def notes(workloads: list[dict[str, Any]], repeats: int) -> list[str]:
    """Things worth a second look: failures, mismatches, shortened or noisy samples."""
    found = []
    for workload in workloads:
        where = f"{workload['shape']} {workload['size']:,}"
        for label, run in workload["runs"].items():
            summary = run["summary"]
            errors = [summary.get(key) for key in ("error", "build", "execute")]
            error = next((e for e in errors if isinstance(e, str)), None)
            if error:
                found.append(f"{where} [{label}]: {error}")
                continue
            if summary.get("results_match") is False:
                found.append(f"{where} [{label}]: results differ from plain Python!")
            if summary.get("repeats", repeats) < repeats:
                found.append(f"{where} [{label}]: only {summary['repeats']} steady runs (time budget)")
            noise = summary.get("execute_spread")
            if noise is not None and noise > NOISY_SPREAD:
                found.append(f"{where} [{label}]: noisy steady execute, IQR/median = {noise:.0%}")
    return found
