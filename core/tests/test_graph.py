"""The graph as a first-class value: built from modules, functions or nodes; immutable; shareable."""

import pickle

import pytest

from hamilton import ad_hoc_utils, driver
from hamilton.graph import FunctionGraph, Graph
from hamilton.graph_types import HamiltonGraph
from hamilton.node import DependencyType, Node, NodeType


def raw(x: int) -> int:
    """Doubles the input."""
    return x * 2


def cleaned(raw: int, offset: int = 1) -> int:
    return raw + offset


def report(cleaned: int, raw: int) -> str:
    return f"{raw}->{cleaned}"


def test_graph_from_functions_needs_no_module():
    graph = Graph.from_functions(raw, cleaned, report)
    assert list(graph) == ["raw", "cleaned", "report", "x", "offset"]
    assert graph["report"].type is str
    assert [n.name for n in graph["report"].dependencies] == ["cleaned", "raw"]
    assert graph["x"].node_role is NodeType.EXTERNAL
    assert graph.modules == ()
    dr = driver.Builder().with_graph(graph).build()
    assert dr.execute(["report"], inputs={"x": 2}) == {"report": "4->5"}


def test_graph_from_modules_records_them():
    module = ad_hoc_utils.create_temporary_module(raw, cleaned)
    graph = Graph.from_modules(module, config={"offset": 10})
    assert graph.modules == (module,)
    assert graph.config == {"offset": 10}
    dr = driver.Builder().with_graph(graph).build()
    assert dr.graph_modules == (module,)
    assert dr.execute(["cleaned"], inputs={"x": 1}) == {"cleaned": 12}


def test_graph_from_nodes_wires_copies_and_leaves_originals_alone():
    doubled = Node("doubled", int, callabl=lambda value: value * 2, input_types={"value": int})
    shown = Node(
        "shown",
        str,
        callabl=lambda doubled, suffix="!": f"{doubled}{suffix}",
        input_types={"doubled": int, "suffix": (str, DependencyType.OPTIONAL)},
        optional_values={"suffix": "!"},
    )
    graph = Graph.from_nodes([doubled, shown])
    assert doubled.depended_on_by == []  # the originals are not mutated
    assert [n.name for n in graph["doubled"].depended_on_by] == ["shown"]
    dr = driver.Builder().with_graph(graph).build()
    assert dr.execute(["shown"], inputs={"value": 21}) == {"shown": "42!"}
    assert dr.execute(["shown"], inputs={"value": 1, "suffix": "?"}) == {"shown": "2?"}


def test_graph_is_an_immutable_mapping():
    graph = Graph.from_functions(raw, cleaned)
    assert "raw" in graph
    assert "nope" not in graph
    assert len(graph) == 4
    with pytest.raises(TypeError):
        graph.nodes["raw"] = graph["cleaned"]  # type: ignore[index]
    with pytest.raises(TypeError):
        graph.config["k"] = 1  # type: ignore[index]
    with pytest.raises(KeyError, match="Did you mean raw"):
        graph["rwa"]


def test_with_nodes_returns_a_new_graph():
    graph = Graph.from_functions(raw, cleaned)
    extra = Node.from_fn(report)
    bigger = graph.with_nodes([extra])
    assert "report" in bigger
    assert "report" not in graph
    assert driver.Builder().with_graph(bigger).build().execute(["report"], inputs={"x": 1}) == {"report": "2->3"}


def test_one_graph_feeds_many_drivers_and_plans_are_shared():
    graph = Graph.from_functions(raw, cleaned)
    first = driver.Builder().with_graph(graph).build()
    second = driver.Builder().with_graph(graph).build()
    assert first.execute(["cleaned"], inputs={"x": 1}) == second.execute(["cleaned"], inputs={"x": 1})
    assert graph.plan(["cleaned"], {"x"}) is graph.plan(["cleaned"], {"x"})


def test_with_graph_rejects_other_sources():
    graph = Graph.from_functions(raw)
    module = ad_hoc_utils.create_temporary_module(cleaned)
    for builder in (
        driver.Builder().with_graph(graph).with_modules(module),
        driver.Builder().with_graph(graph).with_config({"a": 1}),
        driver.Builder().with_graph(graph).with_functions(cleaned),
    ):
        with pytest.raises(ValueError, match="with_graph"):
            builder.build()
    with pytest.raises(TypeError, match="Graph"):
        driver.Builder().with_graph({"raw": raw})  # type: ignore[arg-type]


def test_builder_with_functions_and_modules_together():
    module = ad_hoc_utils.create_temporary_module(raw)
    dr = driver.Builder().with_modules(module).with_functions(cleaned).build()
    assert dr.execute([cleaned], inputs={"x": 3}) == {"cleaned": 7}


def test_graph_pickles_and_keeps_computing():
    graph = Graph.from_functions(raw, cleaned)
    graph.plan(["cleaned"], {"x"})
    restored = pickle.loads(pickle.dumps(graph))
    assert restored == graph
    assert list(restored) == list(graph)
    assert driver.Builder().with_graph(restored).build().execute(["cleaned"], inputs={"x": 1}) == {"cleaned": 3}


def test_traversals():
    graph = Graph.from_functions(raw, cleaned, report)
    assert {n.name for n in graph.upstream_of("cleaned")} == {"cleaned", "raw", "x", "offset"}
    assert {n.name for n in graph.downstream_of("raw")} == {"raw", "cleaned", "report"}
    assert {n.name for n in graph.path_between("x", "report")} == {"x", "raw", "cleaned", "report"}
    assert graph.path_between("report", "x") == []
    with pytest.raises(ValueError, match="Upstream node nope not found"):
        graph.path_between("nope", "x")


def test_function_graph_is_the_same_class_with_1x_methods():
    assert FunctionGraph is Graph
    graph = FunctionGraph.from_modules(ad_hoc_utils.create_temporary_module(raw, cleaned), config={})
    nodes, user_nodes = graph.get_upstream_nodes(["cleaned"])
    assert {n.name for n in nodes} == {"cleaned", "raw", "x", "offset"}
    assert {n.name for n in user_nodes} == {"x", "offset"}
    nodes, user_nodes = graph.get_upstream_nodes(["cleaned"], runtime_overrides={"raw": 1})
    assert {n.name for n in user_nodes} == {"offset"}
    assert graph.execute([graph["cleaned"]], inputs={"x": 1})["cleaned"] == 3
    assert not graph.has_cycles()


def test_hamilton_graph_view():
    view = HamiltonGraph.from_graph(Graph.from_functions(raw, cleaned))
    assert [n.name for n in view.nodes] == ["raw", "cleaned", "x", "offset"]
    assert view["raw"].documentation == "Doubles the input."
    assert view["offset"].is_external_input


def test_lambdas_with_annotations_can_be_nodes():
    def make(name, fn):
        fn.__name__ = name
        return fn

    double = make("double", lambda x: x * 2)
    double.__annotations__ = {"x": int, "return": int}
    assert driver.Builder().with_functions(double).build().execute(["double"], inputs={"x": 4}) == {"double": 8}


def test_public_nodes_are_made_once_per_node_and_in_graph_order():
    graph = Graph.from_functions(raw, cleaned)
    views = graph.public_nodes()
    assert [view.name for view in views] == list(graph)
    assert all(again is first for again, first in zip(graph.public_nodes(), views))  # memoized
    (cleaned_view,) = graph.public_nodes([graph["cleaned"]])
    assert cleaned_view is views[list(graph).index("cleaned")]
    assert cleaned_view.required_dependencies == {"raw"}
    assert cleaned_view.optional_dependencies == {"offset"}


def test_public_nodes_of_a_foreign_node_are_not_memoized_under_its_name():
    graph = Graph.from_functions(raw, cleaned)
    graph.public_nodes()
    foreign_node = Node("cleaned", str, "", callabl=lambda: "x", input_types={})
    (foreign,) = graph.public_nodes([foreign_node])
    assert foreign.type is str
    assert graph.public_nodes([graph["cleaned"]])[0].type is int


def test_public_nodes_survive_pickling_and_are_rebuilt():
    graph = Graph.from_functions(raw, cleaned)
    graph.public_nodes()
    restored = pickle.loads(pickle.dumps(graph))
    assert [view.name for view in restored.public_nodes()] == list(graph)
