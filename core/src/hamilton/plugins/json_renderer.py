"""A renderer with no dependency at all: the graph as JSON nodes and edges.

The schema (``"schema": "hamilton-graph/1"``) uses the ``id``/``source``/``target`` shape that
React Flow and d3 consume directly; see ``docs/plugins.md`` for every field. The output is safe
to embed in an HTML ``<script>`` element (``<``, ``>`` and ``&`` are escaped).
"""

from __future__ import annotations

import json
from typing import Any

from hamilton import htypes
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.plugins.interfaces import Renderer, RunState
from hamilton.rendering.model import GraphView, kind_of, namespace_of, parallel_blocks

SCHEMA = "hamilton-graph/1"


def _kind(node: HamiltonNode) -> str:
    if not node.is_external_input:
        kind = kind_of(node)
        return kind if kind in ("loader", "saver") else "function"
    return "input" if node.originating_functions else "config"


def _function(node: HamiltonNode) -> str | None:
    if node.is_external_input or not node.originating_functions:
        return None
    fn = node.originating_functions[0]
    return f"{fn.__module__}.{fn.__qualname__}"


def _json_safe(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return repr(value)


class JsonGraphRenderer(Renderer):
    """``renderer("json")``: the graph (and optionally a run) as a JSON document."""

    name = "json"
    media_type = "application/json"

    def render(
        self,
        graph: HamiltonGraph,
        *,
        run_state: RunState | None = None,
        view: GraphView | None = None,
        indent: int | None = 2,
    ) -> str:
        view = view or GraphView()
        blocks = parallel_blocks(graph)
        nodes = []
        edges = []
        for node in graph.nodes:
            entry: dict[str, Any] = {
                "id": node.name,
                "name": node.name,
                "type": htypes.get_type_as_string(node.type),
                "kind": _kind(node),
                "role": node.role,
                "tags": _json_safe(node.tags),
                "documentation": node.documentation or "",
                "function": _function(node),
                "required_dependencies": sorted(node.required_dependencies),
                "optional_dependencies": sorted(node.optional_dependencies),
                "namespace": list(namespace_of(node, kind_of(node))),
                "blocks": list(blocks.get(node.name, ())),
                "emphasis": [
                    name
                    for name, names in (("output", view.outputs), ("path", view.path), ("override", view.overrides))
                    if node.name in names
                ],
            }
            state = run_state.get(node.name) if run_state else None
            if state is not None:
                entry["run"] = {
                    "status": state.status,
                    "duration": state.duration,
                    "error": state.error,
                    "block": state.block,
                    "instances": state.instances,
                }
            nodes.append(entry)
            for dependency, optional in [(d, False) for d in sorted(node.required_dependencies)] + [
                (d, True) for d in sorted(node.optional_dependencies)
            ]:
                edges.append(
                    {
                        "id": f"{dependency}->{node.name}",
                        "source": dependency,
                        "target": node.name,
                        "optional": optional,
                    }
                )
        document = {"schema": SCHEMA, "config": _json_safe(dict(view.config)), "nodes": nodes, "edges": edges}
        text = json.dumps(document, indent=indent, ensure_ascii=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
