"""The presentation model every renderer draws (hamilton.rendering.build_diagram)."""

import dataclasses

import flows
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver
from hamilton.graph import Graph
from hamilton.graph_types import HamiltonGraph
from hamilton.htypes import Collect, Parallelizable
from hamilton.node import DependencyType, Node
from hamilton.plugins.interfaces import NodeRunState
from hamilton.rendering import GraphView, build_diagram


@pytest.fixture(scope="module")
def graph() -> HamiltonGraph:
    dr = driver.Builder().with_modules(flows).with_config({"mode": "fast"}).build()
    return HamiltonGraph.from_graph(dr.graph)


def by_name(diagram):
    return {node.name: node for node in diagram.nodes}


def test_every_function_node_is_drawn_once_and_inputs_go_to_tables(graph):
    diagram = build_diagram(graph)
    names = [node.name for node in diagram.nodes]
    assert len(names) == len(set(names))
    assert set(names) == {n.name for n in graph.nodes if not n.is_external_input}
    assert "x" not in names
    tables = {group.id: group for group in diagram.input_groups}
    assert tables["_a_inputs"].fields == (("x", "int"), ("y", "int"))
    assert tables["_a_inputs"].consumers == ("a",)
    assert ("_a_inputs", "a") in diagram.input_edges


def test_kinds_labels_and_types(graph):
    nodes = by_name(build_diagram(graph))
    assert nodes["items"].kind == "expand"
    assert nodes["items"].type_name == "Parallelizable"
    assert nodes["total"].kind == "collect"
    assert nodes["sq"].label == "Square it"  # the display_name tag
    assert nodes["b"].config_keys == ("mode",)  # chosen by @config.when(mode=...)
    assert nodes["a"].kind == "function"


def test_schema_fields_from_schema_output_tags():
    # @schema.output needs a dataframe type (a plugin's); the tag it writes is what counts here.
    tags = {"hamilton.internal.schema_output": "col1=int,col2=float"}
    graph = HamiltonGraph.from_graph(
        Graph.from_nodes([Node("frame", dict, "", callabl=dict, input_types={}, tags=tags)])
    )
    assert by_name(build_diagram(graph))["frame"].schema == (("col1", "int"), ("col2", "float"))
    assert set(build_diagram(graph).legend) >= {"cluster", "field"}
    assert by_name(build_diagram(graph, show_schema=False))["frame"].schema == ()


def test_config_values_become_config_nodes_with_short_values():
    long_value = "v" * 200
    view = GraphView(config={"mode": "fast", "big": long_value})
    diagram = build_diagram(HamiltonGraph(nodes=[]), view)
    values = {node.name: node.type_name for node in diagram.config}
    assert values["mode"] == "fast"
    assert len(values["big"]) == 50
    assert values["big"].endswith("...")
    assert all(node.kind == "config" for node in diagram.config)


def test_parallel_blocks_and_fan_out_edges(graph):
    diagram = build_diagram(graph)
    nodes = by_name(diagram)
    assert nodes["sq"].blocks == ("items",)
    assert nodes["items"].blocks == ()  # on the boundary, outside its block
    assert nodes["total"].blocks == ()
    kinds = {(edge.source, edge.target): edge.kind for edge in diagram.edges}
    assert kinds[("items", "sq")] == "expand"
    assert kinds[("sq", "total")] == "collect"
    assert kinds[("a", "b")] == "plain"


def test_nested_parallel_blocks():
    def outer() -> Parallelizable[int]:
        yield 1

    def inner_items(outer: int) -> Parallelizable[int]:
        yield outer

    def work(inner_items: int) -> int:
        return inner_items

    def inner_total(work: Collect[int]) -> int:
        return 0

    def outer_total(inner_total: Collect[int]) -> int:
        return 0

    graph = HamiltonGraph.from_graph(Graph.from_functions(outer, inner_items, work, inner_total, outer_total))
    nodes = by_name(build_diagram(graph))
    assert nodes["inner_items"].blocks == ("outer",)
    assert nodes["work"].blocks == ("outer", "inner_items")
    assert nodes["inner_total"].blocks == ("outer",)
    assert nodes["outer_total"].blocks == ()


def test_subdag_namespaces(graph):
    nodes = by_name(build_diagram(graph))
    assert nodes["wrapped.inner"].namespace == ("wrapped",)
    assert nodes["wrapped"].namespace == ()


def test_deduplicated_inputs_share_one_table():
    def one(x: int, y: int) -> int:
        return x

    def two(x: int, y: int) -> int:
        return y

    def three(x: int) -> int:
        return x

    graph = HamiltonGraph.from_graph(Graph.from_functions(one, two, three))
    plain = build_diagram(graph)
    assert [group.id for group in plain.input_groups] == ["_one_inputs", "_two_inputs", "_three_inputs"]
    shared = build_diagram(graph, deduplicate_inputs=True)
    groups = {group.fields: group.consumers for group in shared.input_groups}
    assert groups[(("x", "int"), ("y", "int"))] == ("one", "two")
    assert groups[(("x", "int"),)] == ("three",)


def test_hide_inputs(graph):
    diagram = build_diagram(graph, hide_inputs=True)
    assert diagram.input_groups == ()
    assert diagram.input_edges == ()
    assert "input" not in diagram.legend


def test_view_emphasis_and_path_edges(graph):
    view = GraphView(outputs=frozenset({"total"}), path=frozenset({"a", "fields"}), overrides=frozenset({"b"}))
    diagram = build_diagram(graph, view)
    nodes = by_name(diagram)
    assert nodes["total"].classes == ("collect", "output")
    assert nodes["a"].classes == ("function", "path")
    assert nodes["b"].is_override
    on_path = [(e.source, e.target) for e in diagram.edges if e.on_path]
    assert on_path == [("a", "fields")]
    assert diagram.legend.index("function") < diagram.legend.index("output") < diagram.legend.index("collect")


def test_optional_dependency_edges_are_marked():
    def base() -> int:
        return 1

    def user(base: int = 0) -> int:
        return base

    diagram = build_diagram(HamiltonGraph.from_graph(Graph.from_functions(base, user)))
    assert [(e.source, e.target, e.optional) for e in diagram.edges] == [("base", "user", True)]


def test_run_state_adds_status_classes(graph):
    state = {"a": NodeRunState("ran", duration=0.5), "b": NodeRunState("failed", error="boom")}
    nodes = by_name(build_diagram(graph, run_state=state))
    assert nodes["a"].classes[-1] == "status-ran"
    assert nodes["a"].run.duration == 0.5
    assert nodes["b"].classes[-1] == "status-failed"
    assert nodes["f1"].run is None


@st.composite
def random_dags(draw):
    size = draw(st.integers(min_value=1, max_value=25))
    names = draw(st.lists(st.text(min_size=1, max_size=8), min_size=size, max_size=size, unique=True))
    nodes = []
    for index, name in enumerate(names):
        parents = draw(st.lists(st.sampled_from(names[:index]), unique=True)) if index else []
        externals = draw(st.lists(st.sampled_from(["in_a", "in_b"]), unique=True))
        inputs = dict.fromkeys(parents, int) | dict.fromkeys(externals, int)
        optional = draw(st.booleans())
        if optional and parents:
            inputs[parents[0]] = (int, DependencyType.OPTIONAL)
        nodes.append(Node(f"n_{name}", int, "", callabl=lambda **kw: 0, input_types=inputs))
    return HamiltonGraph.from_graph(Graph.from_nodes(nodes))


@settings(max_examples=60)
@given(random_dags(), st.booleans())
def test_diagram_invariants(graph, deduplicate):
    diagram = build_diagram(graph, deduplicate_inputs=deduplicate)
    drawn = {node.name for node in diagram.nodes}
    assert drawn == {n.name for n in graph.nodes if not n.is_external_input}
    for edge in diagram.edges:
        assert {edge.source, edge.target} <= drawn
    expected_edges = {
        (dep, n.name)
        for n in graph.nodes
        if not n.is_external_input
        for dep in (*n.required_dependencies, *n.optional_dependencies)
        if dep in drawn
    }
    assert {(e.source, e.target) for e in diagram.edges} == expected_edges
    # every consumer reads exactly its own inputs from the tables it is connected to
    tables = {group.id: group for group in diagram.input_groups}
    for n in graph.nodes:
        if n.is_external_input:
            continue
        wanted = {d for d in (*n.required_dependencies, *n.optional_dependencies) if d not in drawn}
        connected = [tables[gid] for gid, consumer in diagram.input_edges if consumer == n.name]
        assert {name for group in connected for name, _ in group.fields} == wanted
        assert len(connected) == (1 if wanted else 0)


def test_legend_is_the_same_whether_build_diagram_collected_the_classes_or_not(graph):
    view = GraphView(outputs=frozenset({"total"}), path=frozenset({"a"}), config={"mode": "fast"})
    built = build_diagram(graph, view, {"a": NodeRunState("ran")})
    by_hand = dataclasses.replace(built, classes_present=None)
    assert built.legend == by_hand.legend
    assert {"config", "input", "function", "expand", "collect", "output", "path"} <= set(built.legend)


def test_plain_edges_hint_is_true_only_when_every_edge_is_plain(graph):
    def one() -> int:
        return 1

    def two(one: int) -> int:
        return one

    def three(two: int, one: int = 0) -> int:
        return two

    assert build_diagram(HamiltonGraph.from_graph(Graph.from_functions(one, two))).plain_edges
    assert not build_diagram(HamiltonGraph.from_graph(Graph.from_functions(one, two, three))).plain_edges  # optional
    assert not build_diagram(graph).plain_edges  # a Parallelizable fans out
    on_path = build_diagram(
        HamiltonGraph.from_graph(Graph.from_functions(one, two)), GraphView(path=frozenset({"one"}))
    )
    assert not on_path.plain_edges


@settings(max_examples=60)
@given(random_dags())
def test_plain_edges_hint_never_hides_a_styled_edge(graph):
    diagram = build_diagram(graph)
    if diagram.plain_edges:
        assert all(e.kind == "plain" and not e.optional and not e.on_path for e in diagram.edges)
