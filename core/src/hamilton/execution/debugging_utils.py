"""Printing node groups and tasks as a tree: 1.x's ``hamilton.execution.debugging_utils``.

For looking at how dynamic execution splits a graph (``grouping.group_nodes`` and the tasks made
from its groups) in a notebook or a debugger; nothing in Hamilton calls these.
"""

from __future__ import annotations

from collections.abc import Iterable

from hamilton.execution.grouping import NodeGroup, NodeGroupPurpose, TaskSpec

# One mark per purpose, as printed at the head of each group or task.
group_purpose_icons = {
    NodeGroupPurpose.EXPAND_UNORDERED: "⫳",
    NodeGroupPurpose.GATHER: "\u22c3",  # N-ARY UNION
    NodeGroupPurpose.EXECUTE_BLOCK: "᠅",
    NodeGroupPurpose.EXECUTE_SINGLE: "•",
}


def print_node_groups(node_groups: Iterable[NodeGroup]) -> None:
    """Print each group (its purpose mark and id), then its nodes with their dependencies."""
    for group in node_groups:
        print(f"{group_purpose_icons[group.purpose]} {group.base_id}")
        for member in group.nodes:
            needs = ",".join(dependency.name for dependency in member.dependencies)
            print(f"   • {member.name} [ƒ({needs})]")


def print_tasks(tasks: Iterable[TaskSpec]) -> None:
    """Print each task (its purpose mark, id and the tasks it depends on), then its nodes."""
    print()
    for task in tasks:
        print(f"{group_purpose_icons[task.purpose]} {task.base_id} [ƒ({', '.join(task.base_dependencies)})]")
        for member in task.nodes:
            print(f"   • {member.name}")
