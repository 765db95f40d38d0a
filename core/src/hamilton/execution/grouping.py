"""Tasks: the units dynamic execution hands to executors, and how nodes are grouped into them.

With the default grouping (:class:`GroupByRepeatableBlocks`) a run of a graph with a
``Parallelizable`` node ``items`` has these tasks (1.x's names):

* ``expand-items`` (purpose ``EXPAND_UNORDERED``) runs ``items`` itself;
* ``block-items`` (``EXECUTE_BLOCK``): the nodes between ``items`` and its ``Collect``, run once
  per item as tasks ``expand-items.0.block-items``, ``expand-items.1.block-items``, ...;
* ``collect-items`` (``GATHER``) runs the node with the ``Collect[...]`` parameter;
* every other node is a task of its own named after the node (``EXECUTE_SINGLE``).

Other strategies group the nodes outside parallel blocks differently (one task per level, or all
in one); blocks always run as above.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Collection, Sequence
from typing import Any

from hamilton.execution.graph_functions import get_node_levels, nodes_between, topologically_sort_nodes
from hamilton.node import DependencyType, Node, NodeType


class NodeGroupPurpose(enum.Enum):
    """What a task does with its nodes."""

    EXPAND_UNORDERED = "expand_unordered"  # runs a Parallelizable node
    GATHER = "gather"  # runs a node with a Collect[...] parameter
    EXECUTE_BLOCK = "execute_block"  # runs one item through a parallel block
    EXECUTE_SINGLE = "execute_single"  # runs nodes outside any block

    def is_expander(self) -> bool:
        return self is NodeGroupPurpose.EXPAND_UNORDERED

    def is_gatherer(self) -> bool:
        return self is NodeGroupPurpose.GATHER


def convert_node_type_to_group_purpose(node_type: NodeType) -> NodeGroupPurpose:
    """The purpose of a task made of one node of ``node_type``."""
    if node_type is NodeType.EXPAND:
        return NodeGroupPurpose.EXPAND_UNORDERED
    if node_type is NodeType.COLLECT:
        return NodeGroupPurpose.GATHER
    return NodeGroupPurpose.EXECUTE_SINGLE


class NodeGroup:
    """Nodes that run together as one task (before the task is instantiated)."""

    def __init__(
        self,
        base_id: str,
        spawning_task_base_id: str | None,
        nodes: list[Node],
        purpose: NodeGroupPurpose,
        available_nodes: Collection[str] = (),
    ):
        self.base_id = base_id
        self.spawning_task_base_id = spawning_task_base_id
        self.nodes = nodes
        self.purpose = purpose
        self.available_nodes = set(available_nodes)

    def __repr__(self) -> str:
        return f"NodeGroup({self.base_id!r}, {[n.name for n in self.nodes]}, {self.purpose.name})"


class TaskSpec:
    """1.x's description of a task before it runs (what :func:`create_task_plan` returns), kept
    for 1.x compatibility; the engine plans tasks itself and submits :class:`TaskImplementation` objects.
    """

    __slots__ = (
        "adapter",
        "base_dependencies",
        "base_id",
        "nodes",
        "outputs_to_compute",
        "overrides",
        "purpose",
        "spawning_task_base_id",
    )

    def __init__(
        self,
        base_id: str,
        nodes: list[Node],
        purpose: NodeGroupPurpose,
        outputs_to_compute: Collection[str],
        overrides: dict[str, Any],
        adapter: Any,
        base_dependencies: list[str],
        spawning_task_base_id: str | None,
    ):
        self.base_id = base_id
        self.nodes = nodes
        self.purpose = purpose
        self.outputs_to_compute = outputs_to_compute
        self.overrides = overrides
        self.adapter = adapter
        self.base_dependencies = base_dependencies
        self.spawning_task_base_id = spawning_task_base_id

    def get_input_vars(self) -> tuple[list[str], list[str]]:
        """``(required, optional)``: names the task reads from outside itself (an input node in
        the task is read from outside too: its value is given)."""
        inside = {node_.name for node_ in self.nodes}
        required: dict[str, None] = {}
        optional: dict[str, None] = {}
        for node_ in self.nodes:
            if node_.user_defined:
                required[node_.name] = None
                continue
            for name, (_, dependency_type) in node_.input_types.items():
                if name not in inside:
                    (optional if dependency_type is DependencyType.OPTIONAL else required)[name] = None
        return list(required), [name for name in optional if name not in required]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TaskSpec):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TaskSpec({self.base_id!r}, {self.purpose.name}, nodes={[n.name for n in self.nodes]})"


def create_task_plan(
    node_groups: list[NodeGroup], outputs: Collection[str], overrides: dict[str, Any], adapter: Any
) -> list[TaskSpec]:
    """1.x's tasks of ``node_groups`` (kept for 1.x compatibility): each :class:`TaskSpec` lists
    the groups it reads from (``base_dependencies``) and computes the values of its nodes that
    are requested in ``outputs`` or read by another group (``outputs_to_compute``)."""
    group_of = {node_.name: group.base_id for group in node_groups for node_ in group.nodes}
    wanted = set(outputs)
    plan = []
    for group in node_groups:
        dependencies: dict[str, None] = {}
        computed = []
        for node_ in group.nodes:
            for dependency in node_.dependencies:
                owner = group_of.get(dependency.name)
                if owner is not None and owner != group.base_id:
                    dependencies[owner] = None
            readers = {group_of.get(consumer.name) for consumer in node_.depended_on_by}
            if node_.name in wanted or readers - {group.base_id, None}:
                computed.append(node_.name)
        plan.append(
            TaskSpec(
                base_id=group.base_id,
                nodes=group.nodes,
                purpose=group.purpose,
                outputs_to_compute=computed,
                overrides=overrides,
                adapter=adapter,
                base_dependencies=list(dependencies),
                spawning_task_base_id=group.spawning_task_base_id,
            )
        )
    return plan


class TaskImplementation:
    """One task as submitted to an executor: its nodes, the values it starts from, what it returns.

    ``task_id`` is ``<spawning_task_id>.<group_id>.<base_id>`` without the parts that are
    ``None`` (``expand-items.3.block-items`` is item 3 of the block of ``items``). Executors
    run it with :func:`hamilton.execution.executors.base_execute_task`; it pickles, for
    executors in other processes or machines.
    """

    __slots__ = (
        "adapter",
        "base_dependencies",
        "base_id",
        "dynamic_inputs",
        "group_id",
        "guarded",
        "keep_going",
        "nodes",
        "outputs_to_compute",
        "overrides",
        "purpose",
        "realized_dependencies",
        "run_id",
        "spawning_task_base_id",
        "spawning_task_id",
        "task_id",
        "work",
    )

    def __init__(
        self,
        base_id: str,
        spawning_task_base_id: str | None,
        nodes: list[Node],
        purpose: NodeGroupPurpose,
        outputs_to_compute: Sequence[str],
        overrides: dict[str, Any],
        adapter: Any,
        base_dependencies: list[str],
        group_id: str | None,
        realized_dependencies: dict[str, list[str]],
        spawning_task_id: str | None,
        dynamic_inputs: dict[str, Any],
        run_id: str = "",
        work: Any = None,
    ):
        self.base_id = base_id
        self.spawning_task_base_id = spawning_task_base_id
        self.nodes = nodes
        self.purpose = purpose
        self.outputs_to_compute = outputs_to_compute
        self.overrides = overrides
        self.adapter = adapter
        self.base_dependencies = base_dependencies
        self.group_id = group_id
        self.realized_dependencies = realized_dependencies
        self.spawning_task_id = spawning_task_id
        self.dynamic_inputs = dynamic_inputs
        self.run_id = run_id
        self.work = work  # what base_execute_task runs: the planned steps (and nested blocks)
        self.guarded = False  # failures go through a FailurePolicy (keep-going runs, fallbacks)
        self.keep_going = False  # a guarded task records its failures and raises TaskOutcome
        self.task_id = ".".join(part for part in (spawning_task_id, group_id, base_id) if part is not None)

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.guarded = self.keep_going = False  # pickled by an earlier version
        for name, value in state.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"TaskImplementation({self.task_id!r}, {self.purpose.name}, nodes={[n.name for n in self.nodes]})"


class GroupingStrategy(abc.ABC):
    """Decides which nodes outside parallel blocks run together in one task."""

    @abc.abstractmethod
    def group_nodes(self, nodes: list[Node]) -> list[NodeGroup]:
        """Groups covering ``nodes`` (given in a dependency-respecting order)."""


def _outside_blocks(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if n.node_role not in (NodeType.EXPAND, NodeType.COLLECT)]


class GroupByRepeatableBlocks(GroupingStrategy):
    """1.x's default: one task per node outside the blocks; each block is a repeatable task.

    Given a graph's nodes (as 1.x's API does), a ``Parallelizable`` node ``x`` gives the groups
    ``expand-x``, ``block-x`` (the nodes between it and its ``Collect``) and ``collect-x``. The
    engine only hands it the nodes outside blocks, which are one group each.
    """

    def group_nodes(self, nodes: list[Node]) -> list[NodeGroup]:
        groups = []
        in_blocks: set[str] = set()
        for collector in nodes:
            if collector.node_role is not NodeType.COLLECT:
                continue
            expander, between = nodes_between(collector, lambda n: n.node_role is NodeType.EXPAND)
            if expander is None:
                continue
            expand_id = f"expand-{expander.name}"
            groups.append(NodeGroup(expand_id, None, [expander], NodeGroupPurpose.EXPAND_UNORDERED))
            groups.append(NodeGroup(f"block-{expander.name}", expand_id, list(between), NodeGroupPurpose.EXECUTE_BLOCK))
            groups.append(NodeGroup(f"collect-{expander.name}", expand_id, [collector], NodeGroupPurpose.GATHER))
            in_blocks.update(n.name for n in (expander, collector, *between))
        groups.extend(
            NodeGroup(n.name, None, [n], convert_node_type_to_group_purpose(n.node_role))
            for n in nodes
            if n.name not in in_blocks
        )
        return groups


class GroupNodesIndividually(GroupingStrategy):
    """One task per node (outside blocks, the same as :class:`GroupByRepeatableBlocks`)."""

    def group_nodes(self, nodes: list[Node]) -> list[NodeGroup]:
        return [NodeGroup(n.name, None, [n], convert_node_type_to_group_purpose(n.node_role)) for n in nodes]


class GroupNodesAllAsOne(GroupingStrategy):
    """All nodes outside parallel blocks in one task, ``root``."""

    def group_nodes(self, nodes: list[Node]) -> list[NodeGroup]:
        plain = _outside_blocks(nodes)
        return [NodeGroup("root", None, plain, NodeGroupPurpose.EXECUTE_SINGLE, ())] if plain else []


class GroupNodesByLevel(GroupingStrategy):
    """One task per dependency level (``level_0``, ``level_1``...) of the nodes outside blocks."""

    def group_nodes(self, nodes: list[Node]) -> list[NodeGroup]:
        plain = topologically_sort_nodes(_outside_blocks(nodes))
        levels = get_node_levels(plain)
        by_level: dict[int, list[Node]] = {}
        for node_ in plain:
            by_level.setdefault(levels[node_.name], []).append(node_)
        return [
            NodeGroup(f"level_{level}", None, members, NodeGroupPurpose.EXECUTE_SINGLE, ())
            for level, members in sorted(by_level.items())
        ]
