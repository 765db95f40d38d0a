"""What finding plugins costs, in fresh interpreters of the current venv.

* ``discover()``: listing the ``hamilton.plugins`` entry points (Hamilton's own scanner);
* ``importlib.metadata``: the standard way (import + ``entry_points(group=...)``), for scale;
* first ``renderer("json")``: discovery + pluggy + loading and registering core's own plugin.

Each launch first imports ``hamilton.driver`` (not timed), as a program would have.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import report
from measure import _launch
from venvs import Venv

_SNIPPET = """
import json, sys, time
import hamilton.driver
what = sys.argv[1]
start = time.perf_counter()
if what == "discover":
    from hamilton.plugins import _entry_points
    found = len(_entry_points.discover())
elif what == "importlib.metadata":
    import importlib.metadata
    found = len(importlib.metadata.entry_points(group="hamilton.plugins"))
else:
    from hamilton import plugins
    found = len([plugins.renderer("json")])
print(json.dumps([time.perf_counter() - start, found]))
"""
MEASURES = ("discover", "importlib.metadata", "first lookup")


def measure(venv: Venv, launches: int, scratch: Path) -> dict[str, list[float]]:
    """Seconds per measure, one sample per fresh interpreter (measures alternate)."""
    samples: dict[str, list[float]] = {name: [] for name in MEASURES}
    for _ in range(launches):
        for name in MEASURES:
            seconds, _ = json.loads(_launch(venv, ["-c", _SNIPPET, name], scratch)[1].stdout)
            samples[name].append(seconds)
    return samples


def table(samples: dict[str, list[float]], label: str, launches: int) -> report.Table:
    labels = {
        "discover": "entry-point discovery (hamilton's scanner)",
        "importlib.metadata": "importlib.metadata import + entry_points(group)",
        "first lookup": 'first plugins.renderer("json") (discovery + pluggy + load)',
    }
    rows = [[labels[name], report.fmt_time(report.median(values))] for name, values in samples.items()]
    return report.Table(
        f"Plugin discovery, once per process ({label}; median of {launches} fresh interpreters)",
        ["measure", label],
        rows,
        left=(0,),
    )


def summary(samples: dict[str, list[float]]) -> dict[str, Any]:
    return {name: report.median(values) for name, values in samples.items()}
