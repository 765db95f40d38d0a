"""1.x's FunctionGraph API on the immutable Graph: module-level graph-building helpers that work on
node dicts they are given, traversal with 1.x's rules, low-level execution and drawing."""

import pytest

from hamilton import ad_hoc_utils, driver, graph
from hamilton.errors import TypeMismatchError
from hamilton.lifecycle import base as lifecycle_base
from hamilton.node import Node, NodeType


def a(x: int) -> int:
    return x + 1


def b(a: int, y: int = 2) -> int:
    return a * y


def c(b: int) -> int:
    return b - 1


def wants_text(x: str) -> str:
    return x


def loose(x: object) -> object:
    return x


@pytest.fixture
def fg():
    return driver.Builder().with_functions(a, b, c).build().graph


def names(nodes):
    return sorted(n.name for n in nodes)


def test_add_dependency_creates_the_missing_input_and_links_both_ways():
    nodes = {"a": Node.from_fn(a)}
    graph.add_dependency(nodes["a"], "a", nodes, "x", int, lifecycle_base.LifecycleAdapterSet())
    assert nodes["x"].node_role is NodeType.EXTERNAL
    assert nodes["a"].dependencies == [nodes["x"]]
    assert nodes["x"].depended_on_by == [nodes["a"]]


def test_add_dependency_narrows_a_shared_input_and_refuses_incompatible_producers():
    nodes = {"loose": Node.from_fn(loose), "wants_text": Node.from_fn(wants_text)}
    adapter = lifecycle_base.LifecycleAdapterSet()
    graph.add_dependency(nodes["loose"], "loose", nodes, "x", object, adapter)
    graph.add_dependency(nodes["wants_text"], "wants_text", nodes, "x", str, adapter)
    assert nodes["x"].type is str  # the narrower annotation wins
    consumer = Node.from_fn(c)
    with pytest.raises(TypeMismatchError):  # a ValueError, as 1.x raises
        graph.add_dependency(consumer, "c", {"b": Node.from_fn(wants_text, name="b")}, "b", int, adapter)


def test_update_dependencies_wires_copies_and_leaves_the_given_nodes_alone():
    given = {"a": Node.from_fn(a), "b": Node.from_fn(b)}
    wired = graph.update_dependencies(given, lifecycle_base.LifecycleAdapterSet())
    assert names(wired["b"].dependencies) == ["a", "y"]
    assert sorted(wired) == ["a", "b", "x", "y"]
    assert given["b"].dependencies == []
    assert "x" not in given


def test_create_function_graph_adds_modules_to_a_graph_without_changing_it(fg):
    def d(c: int) -> int:
        return c * 10

    nodes = graph.create_function_graph(ad_hoc_utils.create_temporary_module(d), config={}, fg=fg)
    assert names(nodes["d"].dependencies) == ["c"]
    assert "d" not in fg
    assert fg["c"].depended_on_by == []
    with pytest.raises(ValueError, match="more than once"):
        graph.create_function_graph(ad_hoc_utils.create_temporary_module(c), config={}, fg=fg)


def test_a_module_override_keeps_the_position_of_the_node_it_replaces():
    def first() -> int:
        return 1

    def second() -> int:
        return 2

    def later_first() -> int:
        return 10

    later_first.__name__ = "first"
    early = ad_hoc_utils.create_temporary_module(first, second)
    late = ad_hoc_utils.create_temporary_module(later_first)
    nodes = graph.create_function_graph(early, late, config={}, allow_module_overrides=True)
    assert list(nodes) == ["first", "second"]
    assert nodes["first"].callable() == 10


def test_upstream_nodes_follow_1x_rules_for_runtime_inputs_and_overrides(fg):
    assert names(fg.get_upstream_nodes(["c"])[0]) == ["a", "b", "c", "x", "y"]
    # given runtime inputs (even none), an optional input nobody gives is left out
    nodes, user_nodes = fg.get_upstream_nodes(["c"], runtime_inputs={})
    assert names(nodes) == ["a", "b", "c", "x"]
    assert names(user_nodes) == ["x"]
    assert names(fg.get_upstream_nodes(["c"], runtime_inputs={"y": 3})[0]) == ["a", "b", "c", "x", "y"]
    # an overridden node is included, not what it depends on
    assert names(fg.get_upstream_nodes(["c"], runtime_overrides={"b": 1})[0]) == ["b", "c"]
    # a requested name that is only a runtime input is no error; an unknown one is
    assert names(fg.get_upstream_nodes(["c", "extra"], runtime_inputs={"extra": 1})[0]) == ["a", "b", "c", "x"]
    with pytest.raises(ValueError, match="nope"):
        fg.get_upstream_nodes(["nope"])


def test_directional_traversal_takes_any_direction(fg):
    nodes, user_nodes = fg.directional_dfs_traverse(lambda n: n.depended_on_by, ["x"])
    assert names(nodes) == ["a", "b", "c", "x"]
    assert names(user_nodes) == ["x"]


def test_get_impacted_nodes_is_deprecated(fg):
    with pytest.warns(DeprecationWarning, match="get_downstream_nodes"):
        assert names(fg.get_impacted_nodes(["b"])) == ["b", "c"]


def test_execute_raises_1x_error_for_a_missing_input(fg):
    with pytest.raises(NotImplementedError, match="x was expected to be passed in but was not"):
        fg.execute([fg["c"]])
    assert fg.execute([fg["c"]], inputs={"x": 1})["c"] == 3


def test_display_draws_the_given_nodes_with_their_direct_dependencies(fg, tmp_path):
    pytest.importorskip("graphviz")
    marks = {"c": {graph.VisualizationNodeModifiers.IS_OUTPUT}}
    dot = graph.Graph.display({fg["c"]}, node_modifiers=marks, config={"y": 3})
    source = dot.source
    assert "\tc [" in source
    assert "\tb [" in source
    assert "\ta [" not in source
    assert "#FFC857" in source  # the output colour
    assert "\ty [" in source  # config drawn
    strict = graph.Graph.display({fg["c"]}, strictly_display_only_passed_in_nodes=True, show_legend=False)
    assert "\tb [" not in strict.source
    assert "cluster__legend" not in strict.source
    fg.display(set(fg.get_nodes()), output_file_path=str(tmp_path / "dag.dot"), render_kwargs={"format": "dot"})
    assert (tmp_path / "dag.dot").read_text().startswith("digraph")


def test_create_graphviz_graph_puts_the_comment_on_top(fg):
    pytest.importorskip("graphviz")
    dot = graph.create_graphviz_graph(
        set(fg.get_nodes()), "My graph", {"graph_attr": {"ratio": "1"}}, {}, False, orient="TB"
    )
    assert dot.source.startswith("// My graph")
    assert "ratio=1" in dot.source
    assert "rankdir=TB" in dot.source


def test_create_networkx_graph(fg):
    pytest.importorskip("networkx")
    nodes, user_nodes = fg.get_upstream_nodes(["c"])
    digraph = graph.create_networkx_graph(nodes, user_nodes, "g")
    assert sorted(digraph.edges) == [("a", "b"), ("b", "c"), ("x", "a"), ("y", "b")]
