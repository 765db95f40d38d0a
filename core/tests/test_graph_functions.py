"""hamilton.execution.graph_functions: 1.x's helpers for running node sets outside a driver."""

import pytest

from hamilton import driver, lifecycle
from hamilton.execution import graph_functions
from hamilton.lifecycle.base import LifecycleAdapterSet


def a(x: int) -> int:
    return x + 1


def b(a: int, y: int = 2) -> int:
    return a * y


def c(b: int) -> int:
    return b - 1


@pytest.fixture
def graph():
    return driver.Builder().with_functions(a, b, c).build().graph


def test_topological_sort_puts_dependencies_first(graph):
    """Whatever the given order, each node comes after the nodes it depends on."""
    ordered = [n.name for n in graph_functions.topologically_sort_nodes([graph["c"], graph["b"], graph["a"]])]
    assert ordered == ["a", "b", "c"]


def test_levels_count_the_longest_path(graph):
    """Inputs are level 0; each node is one more than its deepest dependency."""
    nodes = graph_functions.topologically_sort_nodes(graph.get_nodes())
    assert graph_functions.get_node_levels(nodes) == {"x": 0, "a": 1, "y": 0, "b": 2, "c": 3}


def test_execute_subdag_computes_the_nodes_from_inputs_and_computed_values(graph):
    """Missing optional inputs take their defaults; already computed values are reused; the
    values of the nodes and of their direct dependencies come back (as in 1.x)."""
    assert graph_functions.execute_subdag([graph["a"], graph["b"], graph["c"]], inputs={"x": 1}) == {
        "x": 1,
        "a": 2,
        "b": 4,
        "c": 3,
    }
    assert graph_functions.execute_subdag([graph["c"]], inputs={}, computed={"b": 10}) == {"b": 10, "c": 9}


def test_execute_subdag_fires_node_hooks(graph):
    """With an adapter, every node runs through its lifecycle hooks, with the task id given."""
    seen = []

    class Hook(lifecycle.NodeExecutionHook):
        def run_before_node_execution(self, *, node_name, task_id, **future):
            seen.append((node_name, task_id))

        def run_after_node_execution(self, **future):
            pass

    graph_functions.execute_subdag([graph["a"]], {"x": 1}, adapter=LifecycleAdapterSet(Hook()), task_id="t1")
    assert seen == [("a", "t1")]


def test_combining_config_and_inputs_refuses_shared_keys():
    """A key in both is ambiguous: an error names it."""
    assert graph_functions.combine_config_and_inputs({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    with pytest.raises(ValueError, match=r"mutually disjoint. \['a'\]"):
        graph_functions.combine_config_and_inputs({"a": 1}, {"a": 2})


def test_required_by_anything_ignores_optional_dependencies(graph):
    """y is optional for b; a is required by b."""
    assert not graph_functions.node_is_required_by_anything(graph["y"], [graph["b"]])
    assert graph_functions.node_is_required_by_anything(graph["a"], [graph["b"]])


def test_nodes_between_finds_the_ancestor_and_the_path(graph):
    """From c up to a: b lies between."""
    found, between = graph_functions.nodes_between(graph["c"], lambda n: n.name == "a")
    assert found.name == "a"
    assert [n.name for n in between] == ["b"]
    assert graph_functions.nodes_between(graph["c"], lambda n: n.name == "nope") == (None, [])
