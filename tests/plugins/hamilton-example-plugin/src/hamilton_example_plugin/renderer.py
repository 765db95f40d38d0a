"""``renderer("outline")``: a graph as an indented plain-text outline, optionally with a run."""

from __future__ import annotations

import heapq

from hamilton import htypes
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.plugins.interfaces import NodeRunState, Renderer, RunState


def _marker(state: NodeRunState) -> str:
    """``[ran 0.012s]``, ``[failed: boom]``, ``[cached, block b x3]``..."""
    parts = [state.status]
    if state.duration is not None:
        parts[0] += f" {state.duration:.3f}s"
    if state.error:
        parts[0] += f": {state.error}"
    if state.block:
        parts.append(f"block {state.block}" + (f" x{state.instances}" if state.instances != 1 else ""))
    return "[" + ", ".join(parts) + "]"


def _topological(nodes: list[HamiltonNode]) -> list[HamiltonNode]:
    """Dependencies first; ties (and anything cyclic) in name order, so the output is stable."""
    by_name = {node.name: node for node in nodes}
    waiting = {
        node.name: {d for d in node.required_dependencies | node.optional_dependencies if d in by_name}
        for node in nodes
    }
    dependents: dict[str, list[str]] = {name: [] for name in by_name}
    for name, dependencies in waiting.items():
        for dependency in dependencies:
            dependents[dependency].append(name)
    ready = [name for name, dependencies in waiting.items() if not dependencies]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(name)
        for dependent in dependents[name]:
            waiting[dependent].discard(name)
            if not waiting[dependent]:
                heapq.heappush(ready, dependent)
    ordered += sorted(set(by_name) - set(ordered))  # cycles cannot happen in Hamilton; be safe anyway
    return [by_name[name] for name in ordered]


class OutlineRenderer(Renderer):
    """Inputs, then nodes in dependency order, each with its dependencies indented below it::

    inputs
      value: int
    nodes
      source: int  [ran 0.010s]
        <- value
    """

    name = "outline"
    media_type = "text/plain"

    # Keyword-only options with no **kwargs: Python itself raises TypeError naming an unknown one.
    def render(
        self,
        graph: HamiltonGraph,
        *,
        run_state: RunState | None = None,
        view: object = None,  # a hamilton.rendering.GraphView; an outline has nothing to emphasise
        show_types: bool = True,
        show_docs: bool = False,
        indent: int = 2,
    ) -> str:
        if not isinstance(indent, int) or isinstance(indent, bool) or indent < 1:
            raise ValueError(f"indent must be a positive int, got {indent!r}.")
        pad = " " * indent
        state = run_state or {}

        def line(node: HamiltonNode) -> str:
            text = node.name
            if show_types:
                text += f": {htypes.get_type_as_string(node.type)}"
            if node.role != "standard":
                text += f" ({node.role})"
            if node.name in state:
                text += f"  {_marker(state[node.name])}"
            return text

        ordered = _topological(list(graph.nodes))
        inputs = sorted((n for n in ordered if n.is_external_input), key=lambda n: n.name)
        lines = []
        if inputs:
            lines.append("inputs")
            lines += [pad + line(node) for node in inputs]
        lines.append("nodes")
        for node in (n for n in ordered if not n.is_external_input):
            lines.append(pad + line(node))
            if show_docs and node.documentation:
                lines += [pad * 2 + "# " + doc_line for doc_line in node.documentation.strip().splitlines()]
            lines += [pad * 2 + "<- " + name for name in sorted(node.required_dependencies)]
            lines += [pad * 2 + "<- " + name + " (optional)" for name in sorted(node.optional_dependencies)]
        return "\n".join(lines) + "\n"
