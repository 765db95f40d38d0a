"""The renderer as a plugin: discovery, the contract, graphs built directly, and scale."""

from __future__ import annotations

import pytest
from mermaid_flows import random_dag
from mermaid_text import decode, parse

from hamilton import plugins
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.plugins import viz_mermaid
from hamilton.plugins.testing import RendererContract
from hamilton.rendering import GraphView, render
from hamilton.rendering.model import SCHEMA_TAG


class TestMermaidRendererContract(RendererContract):
    def make_renderer(self) -> viz_mermaid.MermaidRenderer:
        return viz_mermaid.MermaidRenderer()

    def node_appears(self, output: str, name: str) -> bool:
        """Labels are Mermaid-coded: look for a decoded label line naming the node (a box's
        title, or an ``input: type`` row of an input table)."""
        lines = (line for _, label in parse(output).nodes.values() for line in decode(label).split("\n"))
        return any(line == name or line.startswith(f"{name}: ") for line in lines)


def test_found_through_the_entry_point() -> None:
    renderer = plugins.renderer("mermaid")
    assert isinstance(renderer, viz_mermaid.MermaidRenderer)
    assert renderer.media_type == "text/vnd.mermaid"
    assert viz_mermaid.HAMILTON_CORE_VERSIONS == ">=2.0,<3"
    assert [type(r) for r in viz_mermaid.hamilton_renderers()] == [viz_mermaid.MermaidRenderer]


def test_schema_fields_are_drawn_in_a_cluster_around_the_node() -> None:
    frame = HamiltonNode(name="frame", type=dict, tags={SCHEMA_TAG: "week=int,spend=float"})
    graph = HamiltonGraph(nodes=[frame])
    parsed = parse(str(render(graph, "mermaid")))
    node = parsed.id_of("frame")
    cluster = parsed.parents[node]
    assert parsed.classes[cluster] == ["cluster"]
    fields = [parsed.text_of(i) for i, parent in parsed.parents.items() if parent == cluster and i != node]
    assert fields == ["week: int", "spend: float"]
    assert all(
        parsed.classes[i] == ["field"] for i, parent in parsed.parents.items() if parent == cluster and i != node
    )
    assert "#c8dae0" in parsed.class_defs["field"]
    assert "#649fb3" in parsed.class_defs["cluster"]
    without = parse(str(render(graph, "mermaid", show_schema=False)))
    assert without.parents[without.id_of("frame")] is None


def test_namespaces_and_blocks_nest_by_size() -> None:
    """A subdag holding a whole parallel block, and a block holding a whole subdag."""

    def node(name: str, *deps: str, role: str = "standard") -> HamiltonNode:
        return HamiltonNode(name=name, type=int, required_dependencies=set(deps), role=role)

    graph = HamiltonGraph(
        nodes=[
            node("ns.items", role="expand"),
            node("ns.each", "ns.items"),
            node("ns.gather", "ns.each", role="collect"),
            node("items", "ns.gather", role="expand"),
            node("sub.a", "items"),
            node("sub.b", "sub.a"),
            node("beside", "items"),
            node("gather", "sub.b", "beside", role="collect"),
        ]
    )
    parsed = parse(str(render(graph, "mermaid")))
    assert parsed.ancestors(parsed.id_of("ns.items")) == ["ns"]
    assert parsed.ancestors(parsed.id_of("ns.each")) == ["ns", "parallel: ns.items"]
    assert parsed.ancestors(parsed.id_of("sub.b")) == ["parallel: items", "sub"]
    assert len(parsed.subgraphs) == 4 + 1  # and the legend


def test_empty_namespace_segments_get_a_blank_title() -> None:
    graph = HamiltonGraph(nodes=[HamiltonNode(name=".x", type=int), HamiltonNode(name="a..b", type=int)])
    parsed = parse(str(render(graph, "mermaid")))
    assert parsed.ancestors(parsed.id_of(".x")) == [" "]
    assert parsed.ancestors(parsed.id_of("a..b")) == ["a", " "]


def test_view_and_run_state_given_directly() -> None:
    from hamilton.plugins.interfaces import NodeRunState

    graph = random_dag(5)
    names = [n.name for n in graph.nodes[1:]]
    view = GraphView(outputs=frozenset(names[-1:]), config={"key": "x" * 80})
    state = {names[0]: NodeRunState("cached"), names[1]: NodeRunState("ran", duration=75.0, instances=2)}
    parsed = parse(str(render(graph, "mermaid", view=view, run_state=state)))
    assert parsed.classes[parsed.id_of(names[0])] == ["function", "status-cached"]
    assert parsed.text_of(parsed.id_of(names[1])).endswith("ran \u00d72 · 1 min 15 s")
    assert parsed.classes[parsed.id_of(names[-1])] == ["function", "output"]
    assert parsed.text_of(parsed.id_of("key")) == "key\n" + "x" * 47 + "..."


def test_long_types_are_cut_as_in_1x() -> None:
    long_type = type("Wide" * 30, (), {})
    graph = HamiltonGraph(nodes=[HamiltonNode(name="wide", type=long_type)])
    type_line = parse(str(render(graph, "mermaid"))).text_of("n0").split("\n")[1]
    assert len(type_line) == 80 + len("[...]")
    assert type_line.endswith("[...]")


def test_unknown_options_are_refused() -> None:
    with pytest.raises(TypeError):
        viz_mermaid.MermaidRenderer().render(random_dag(2), custom_style_function=lambda **kw: None)


def test_a_large_graph_renders_completely() -> None:
    """2,000 nodes: one line per node and per edge (speed is measured in benchmarks, not here)."""
    graph = random_dag(2000, max_parents=3)
    text = viz_mermaid.MermaidRenderer().render(graph)
    parsed = parse(text)
    edges = sum(len(n.required_dependencies) for n in graph.nodes[1:] if "seed value" not in n.required_dependencies)
    assert len([i for i in parsed.nodes if i[0] == "n"]) == 2000
    assert len(parsed.links) == edges + sum("seed value" in n.required_dependencies for n in graph.nodes)
