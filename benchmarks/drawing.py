"""Drawing a 2,000-node graph: Mermaid text (hamilton-viz-mermaid) and the graphviz object
(hamilton-viz-graphviz) against 1.90.0's ``display_all_functions()`` graphviz object.

Neither side runs ``dot``: 1.x's figure is building the ``graphviz.Digraph`` that
``display_all_functions()`` returns, ours is the same call returning the Digraph, and the same
call with ``renderer="mermaid"`` returning the Mermaid text. The plain-Python baseline joins a
prebuilt edge list into Mermaid text: the least any renderer can do.
"""

from __future__ import annotations

from pathlib import Path

import report
import snippets
from measure import on_random_2000
from venvs import Venv

_SNIPPET = (
    """
import json, logging, sys, time
logging.disable(logging.WARNING)
sys.path.insert(0, sys.argv[1])
repeats = int(sys.argv[2])
from hamilton import driver
import bench_random_2000 as flow

dr = driver.Builder().with_modules(flow).build()

"""
    + snippets.BEST
    + """
out = {"graphviz_object": best(warm_up=True, function=lambda: dr.display_all_functions())}
try:
    from hamilton import rendering  # only Hamilton 2 has renderers other than graphviz
except ImportError:
    pass
else:
    out["mermaid_text"] = best(warm_up=True, function=lambda: str(dr.display_all_functions(renderer="mermaid")))
    from hamilton import plugins
    from hamilton.graph_types import HamiltonGraph
    graph, mermaid = HamiltonGraph(dr.graph.public_nodes()), plugins.renderer("mermaid")
    out["mermaid_render"] = best(warm_up=True, function=lambda: mermaid.render(graph))
    edges = [(d, n.name) for n in dr.list_available_variables() for d in n.required_dependencies]
    out["plain_text"] = best(warm_up=True, function=lambda: "flowchart LR\\n" + "\\n".join(f"  {a} --> {b}" for a, b in edges))
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 10) -> dict[str, dict[str, float]]:
    """Per venv: best seconds to draw the 2,000-node random graph."""
    return on_random_2000(venvs, scratch, _SNIPPET, "render_modules", repeats)


def table(results: dict[str, dict[str, float]], current: str, reference: str) -> report.Table:
    reference_time = results[reference]["graphviz_object"]
    ours = results[current]
    rows = [
        [
            'display_all_functions(renderer="mermaid") -> Mermaid text',
            report.fmt_time(ours["mermaid_text"]),
            report.fmt_time(reference_time),
            report.fmt_ratio(reference_time, ours["mermaid_text"]),
        ],
        [
            "MermaidRenderer.render(graph) alone (no driver)",
            report.fmt_time(ours["mermaid_render"]),
            report.fmt_time(reference_time),
            report.fmt_ratio(reference_time, ours["mermaid_render"]),
        ],
        [
            "display_all_functions() -> graphviz.Digraph",
            report.fmt_time(ours["graphviz_object"]),
            report.fmt_time(reference_time),
            report.fmt_ratio(reference_time, ours["graphviz_object"]),
        ],
        ["plain Python (join a prebuilt edge list)", report.fmt_time(ours["plain_text"]), "", ""],
    ]
    return report.Table(
        "Drawing a 2,000-node random graph (best run; no dot)",
        ["drawing", current, f"{reference} graphviz object", "1.x / current"],
        rows,
        left=(0,),
    )
