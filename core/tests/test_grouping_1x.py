"""1.x's task API: grouping a whole graph's nodes, task plans, task specs, error descriptions."""

import pytest

from hamilton import driver
from hamilton.execution import graph_functions, grouping
from hamilton.execution.grouping import NodeGroupPurpose
from hamilton.htypes import Collect, Parallelizable
from hamilton.lifecycle.base import LifecycleAdapterSet
from hamilton.node import Node, NodeType


def count() -> int:
    return 3


def offset() -> int:
    return 10


def items(count: int) -> Parallelizable[int]:
    yield from range(count)


def shifted(items: int, offset: int) -> int:
    return items + offset


def squared(shifted: int) -> int:
    return shifted**2


def gathered(squared: Collect[int]) -> int:
    return sum(squared)


def report(gathered: int) -> str:
    return str(gathered)


@pytest.fixture
def nodes():
    return driver.Builder().with_functions(count, offset, items, shifted, squared, gathered, report).build().graph


def test_repeatable_blocks_group_a_whole_graph_as_1x_does(nodes):
    groups = {g.base_id: g for g in grouping.GroupByRepeatableBlocks().group_nodes(nodes.get_nodes())}
    assert sorted(groups) == ["block-items", "collect-items", "count", "expand-items", "offset", "report"]
    assert sorted(n.name for n in groups["block-items"].nodes) == ["shifted", "squared"]
    assert groups["block-items"].purpose is NodeGroupPurpose.EXECUTE_BLOCK
    assert groups["block-items"].spawning_task_base_id == "expand-items"
    assert groups["collect-items"].purpose is NodeGroupPurpose.GATHER
    assert groups["expand-items"].purpose is NodeGroupPurpose.EXPAND_UNORDERED


def test_task_plan_links_each_task_to_the_tasks_it_reads(nodes):
    groups = grouping.GroupByRepeatableBlocks().group_nodes(nodes.get_nodes())
    plan = {t.base_id: t for t in grouping.create_task_plan(groups, ["report"], {}, LifecycleAdapterSet())}
    assert plan["block-items"].base_dependencies == ["expand-items", "offset"]
    assert plan["report"].base_dependencies == ["collect-items"]
    assert plan["block-items"].outputs_to_compute == ["squared"]  # shifted stays inside the block
    assert plan["report"].outputs_to_compute == ["report"]


def test_levels_do_not_depend_on_the_order_nodes_are_given(nodes):
    def level_of(order):
        return {n.name: g.base_id for g in grouping.GroupNodesByLevel().group_nodes(order) for n in g.nodes}

    plain = [n for n in nodes.get_nodes() if n.name in ("count", "offset", "report")]
    assert level_of(plain) == level_of(list(reversed(plain)))


def _uses(needed: int, extra: int = 1) -> int:
    return needed + extra


def test_task_spec_input_vars():
    node_ = Node.from_fn(_uses, name="uses")
    spec = grouping.TaskSpec("uses", [node_], NodeGroupPurpose.EXECUTE_SINGLE, ["uses"], {}, None, [], None)
    assert spec.get_input_vars() == (["needed"], ["extra"])
    given = Node("needed", int, node_source=NodeType.EXTERNAL)
    spec = grouping.TaskSpec("needed", [given], NodeGroupPurpose.EXECUTE_SINGLE, ["needed"], {}, None, [], None)
    assert spec.get_input_vars() == (["needed"], [])


def test_input_string_shortens_long_values_and_long_descriptions():
    assert graph_functions.create_input_string({"a": 1, "b": "x"}) == "{'a': 1, 'b': 'x'}"
    shown = graph_functions.create_input_string({"long": "y" * 60})
    assert shown == "{'long': \"'" + "y" * 49 + '..."}'
    assert graph_functions.create_input_string({f"k{i}": i for i in range(500)}).endswith("...")
    assert len(graph_functions.create_input_string({f"k{i}": i for i in range(500)})) == 1003


def test_error_message_is_a_banner_naming_the_node_and_its_function():
    message = graph_functions.create_error_message({"needed": 1}, Node.from_fn(_uses, name="uses"), "[execute]")
    lines = message.split("\n")
    assert lines[1] == lines[-1] == "*" * 80
    assert lines[2].startswith(">[execute] uses [test_grouping_1x._uses()] encountered an error ")
    assert lines[2].endswith(" <")
    assert len(lines[2]) == 80  # padded to the banner's width
    assert lines[4] == "{'needed': 1}"


def test_execute_subdag_computes_what_the_nodes_need_and_names_a_missing_input():
    def a(x: int) -> int:
        return x + 1

    def b(a: int) -> int:
        return a * 2

    graph = driver.Builder().with_functions(a, b).build().graph
    computed = {}
    assert graph_functions.execute_subdag([graph["b"]], {"x": 1}, computed=computed) == {"a": 2, "b": 4}
    assert computed == {"a": 2, "b": 4}  # filled in place, as in 1.x
    with pytest.raises(NotImplementedError, match="x was expected to be passed in"):
        graph_functions.execute_subdag([graph["b"]], {})


def test_debugging_utils_print_groups_and_tasks_as_a_tree(nodes, capsys):
    from hamilton.execution import debugging_utils

    groups = grouping.GroupByRepeatableBlocks().group_nodes(nodes.get_nodes())
    debugging_utils.print_node_groups(groups)
    printed = capsys.readouterr().out.splitlines()
    assert "᠅ block-items" in printed
    assert "   • shifted [ƒ(items,offset)]" in printed
    assert "⫳ expand-items" in printed

    plan = grouping.create_task_plan(groups, ["report"], {}, LifecycleAdapterSet())
    debugging_utils.print_tasks(plan)
    printed = capsys.readouterr().out.splitlines()
    assert "᠅ block-items [ƒ(expand-items, offset)]" in printed
    assert "\u22c3 collect-items [ƒ(block-items)]" in printed
    assert "   • gathered" in printed
