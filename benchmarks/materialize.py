"""What ``Driver.materialize`` costs: saving one node with ``to.pickle`` from a small and a large graph.

Each run builds the extended graph (the saver node added), plans, runs the needed nodes and
writes the file, as ``materialize`` does on every call. Files go to a RAM-backed folder when
there is one (``/dev/shm``), so the figures are Hamilton's cost rather than the disk's; the
plain-Python baseline computes the same values and pickles them to the same folder.
"""

from __future__ import annotations

from pathlib import Path

import report
import snippets
from measure import on_random_2000
from venvs import Venv

_SNIPPET = (
    """
import json, os, pickle, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
repeats = int(sys.argv[2])
from hamilton import driver
from hamilton.io.materialization import to
import bench_random_2000 as large

folder = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)

def small_a(x: int) -> dict:
    return {"x": x, "values": list(range(10))}

def small_b(small_a: dict) -> dict:
    return {"y": small_a["x"] * 2}

import types
small = types.ModuleType("small_flow")
small.small_a, small.small_b = small_a, small_b
small_a.__module__ = small_b.__module__ = "small_flow"
sys.modules["small_flow"] = small

"""
    + snippets.BEST
    + """
out = {}
for label, module, target in (("small", small, "small_b"), ("large", large, "n50")):
    dr = driver.Builder().with_modules(module).build()
    path = os.path.join(folder, label + ".pkl")
    out[label] = best(warm_up=True, function=lambda: dr.materialize(to.pickle(id="saved", dependencies=[target], path=path), inputs={"x": 1}))

def plain_small():
    with open(os.path.join(folder, "plain.pkl"), "wb") as handle:
        pickle.dump(small_b(small_a(1)), handle)

out["plain_small"] = best(plain_small, warm_up=True)
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 30) -> dict[str, dict[str, float]]:
    """Per venv: best seconds per ``materialize`` call on a 2-node and a 2,000-node graph."""
    return on_random_2000(venvs, scratch, _SNIPPET, "materialize_modules", repeats)


def table(results: dict[str, dict[str, float]], current: str, reference: str) -> report.Table:
    rows = []
    for label, title in (("small", "2-node graph"), ("large", "2,000-node random graph, one node saved")):
        rows.append(
            [
                title,
                report.fmt_time(results[current][label]),
                report.fmt_time(results[reference][label]),
                report.fmt_ratio(results[reference][label], results[current][label]),
            ]
        )
    rows.append(["plain Python (compute + pickle.dump)", report.fmt_time(results[current]["plain_small"]), "", ""])
    return report.Table(
        "materialize(to.pickle(...)) per call (best run; files in RAM)",
        ["graph", current, reference, "1.x / current"],
        rows,
        left=(0,),
    )
