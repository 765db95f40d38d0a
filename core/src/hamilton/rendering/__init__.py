"""Drawing graphs: the model renderers share, the objects drawings come back as, run recording.

* :func:`build_diagram` / :class:`Diagram` — what to draw (node kinds, input tables, fan-out and
  collect edges, parallel blocks, subdag namespaces), computed once for every renderer.
* :class:`GraphView` — what to emphasise: outputs, a path, overrides, config values.
* :class:`Rendering` — a text/bytes drawing with its media type; savable, notebook-friendly.
* :class:`RunRecorder` — a lifecycle adapter whose ``run_state`` lets a drawing show a run.
* :func:`render` — draw a graph with a renderer picked by name or passed as an object.

Renderers come from plugins (``hamilton-viz-graphviz``, ``hamilton-viz-mermaid``); core ships
``renderer("json")``. The driver's ``display_*``/``visualize_*`` methods use this module.
"""

from __future__ import annotations

from typing import Any

from hamilton.graph_types import HamiltonGraph
from hamilton.plugins.interfaces import NodeRunState, Renderer, RunState
from hamilton.rendering.display import Rendering
from hamilton.rendering.model import Diagram, DiagramEdge, DiagramNode, GraphView, InputGroup, build_diagram
from hamilton.rendering.recorder import RunRecorder

__all__ = [
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "GraphView",
    "InputGroup",
    "NodeRunState",
    "Renderer",
    "Rendering",
    "RunRecorder",
    "RunState",
    "build_diagram",
    "render",
]


def render(
    graph: HamiltonGraph,
    renderer: Any = "json",
    *,
    run_state: RunState | None = None,
    view: GraphView | None = None,
    **options: Any,
) -> Rendering:
    """Draw ``graph`` (e.g. ``HamiltonGraph.from_graph(dr.graph)``) with ``renderer`` (a name or
    an object) and return the :class:`Rendering`."""
    from hamilton.rendering.requests import resolve_renderer

    chosen = resolve_renderer(renderer)
    data = chosen.render(graph, run_state=run_state, view=view, **options)
    return Rendering(data, chosen.media_type, chosen.name)
