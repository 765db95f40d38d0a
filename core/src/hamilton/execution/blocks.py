"""The shape of a dynamic run: which nodes form the parallel block of each ``Parallelizable``.

Every computed node gets a *block path*: the ``Parallelizable`` nodes whose items it runs once
per (outermost first). A node's path is the longest of its parameters' paths, and each of
them must be a prefix of it; a parameter fed by a ``Parallelizable`` node opens that node's
block, and a ``Collect[...]`` parameter closes the innermost block of the node it gathers.
Nodes sharing a path form a :class:`Scope`; each ``Parallelizable`` node with its block is one
:class:`BlockUnit` of the enclosing scope, so blocks nest.

Everything here is derived from the plan (names, not values) and checked before a run starts:
shapes that cannot work raise :class:`ParallelShapeError` naming the nodes involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hamilton.execution.plan import ExecutionPlan, Step
from hamilton.node import Node, NodeType

_EXPAND = NodeType.EXPAND

Path = tuple[str, ...]


class ParallelShapeError(ValueError):
    """A graph whose Parallelizable/Collect nodes do not form valid blocks (the message says why)."""


class TaskUnit:
    """Nodes outside any block (or inside one block instance) that run together as one task.

    ``given`` are inputs and config values the task hands on (1.x makes a task of each): they
    have nodes but nothing to compute.
    """

    __slots__ = ("base_id", "given", "index", "nodes", "steps")

    def __init__(self, base_id: str, steps: list[Step], index: int, given: Sequence[Node] = ()):
        self.base_id = base_id
        self.steps = tuple(steps)
        self.given = tuple(node_.name for node_ in given)
        self.nodes = [*given, *(step.node for step in steps)]
        self.index = index  # position of the first step in the plan: ties in ordering follow it

    def names(self) -> list[str]:
        return [*self.given, *(step.name for step in self.steps)]

    def __repr__(self) -> str:
        return f"TaskUnit({self.base_id!r}, {self.names()})"


class BlockUnit:
    """A ``Parallelizable`` node, its block (a nested :class:`Scope`) and what leaves the block."""

    __slots__ = ("block_id", "collected", "expand_id", "expander", "expander_step", "index", "needs", "scope")

    def __init__(self, expander: str, expander_step: Step | None, scope: Scope, index: int):
        self.expander = expander
        self.expander_step = expander_step  # None when the Parallelizable node is overridden
        self.scope = scope
        self.index = index
        self.expand_id = f"expand-{expander}"
        self.block_id = f"block-{expander}"
        self.collected: tuple[str, ...] = ()  # block values gathered by Collect parameters
        self.needs: tuple[str, ...] = ()  # values from outside the block its nodes read

    def __repr__(self) -> str:
        return f"BlockUnit({self.expander!r}, collected={self.collected})"


class Scope:
    """The nodes with one block path, grouped into units in a runnable order."""

    __slots__ = ("drops", "path", "units")

    def __init__(self, path: Path):
        self.path = path
        self.units: list[TaskUnit | BlockUnit] = []
        self.drops: list[tuple[str, ...]] = []  # per unit: values no later unit of this scope needs

    def block_units(self) -> list[BlockUnit]:
        return [unit for unit in self.units if isinstance(unit, BlockUnit)]


class Structure:
    """A plan cut into scopes: ``root`` holds the units outside every block."""

    __slots__ = ("blocks", "collector_ids", "readers", "root", "root_dependencies", "task_ids")

    def __init__(self, root: Scope, blocks: dict[str, BlockUnit], task_ids: list[str], collector_ids: dict[str, str]):
        self.root = root
        self.blocks = blocks
        self.task_ids = task_ids  # every base task id, for post_task_group
        self.collector_ids = collector_ids  # collector node -> its task's base id
        # Per root unit: the earlier root units whose values it reads (what it waits for when
        # units run concurrently), and the values it reads (freed once every reader finished).
        self.root_dependencies, self.readers = _root_dependencies(root)


def _describe(node_: Node) -> str:
    return f"'{node_.name}' ({node_.location()})"


def block_paths(plan: ExecutionPlan) -> dict[str, Path]:
    """Each computed node's block path; raises :class:`ParallelShapeError` for invalid shapes."""
    nodes = plan.nodes
    paths: dict[str, Path] = {}
    overridden = set(plan.overridden)

    def opened(name: str) -> Path:
        """The path a consumer of ``name`` sees: ``name``'s own, plus its block if it expands."""
        base = paths.get(name, ())
        node_ = nodes.get(name)
        if node_ is not None and node_._node_source is _EXPAND and (name in paths or name in overridden):
            return (*base, name)
        return base

    for step in plan.steps:
        node_ = step.node
        collected = node_.collect_dependency if node_._node_source is NodeType.COLLECT else None
        candidates: list[tuple[str, Path]] = []
        for argument in step.args:
            path = opened(argument)
            if argument == collected:
                if not path:
                    hint = (
                        f" Overrides ({sorted(overridden)}) replace a node with one value, cutting it off from "
                        "what is upstream: overriding a node inside a block leaves nothing to fan out."
                        if overridden
                        else ""
                    )
                    raise ParallelShapeError(
                        f"Node {_describe(node_)} gathers '{argument}' with a Collect[...] parameter, but "
                        f"'{argument}' is not inside the block of any Parallelizable node: it has a single value. "
                        "Annotate the parameter with its plain type, or make an upstream node Parallelizable[...]."
                        + hint
                    )
                path = path[:-1]
            candidates.append((argument, path))
        longest: Path = max((path for _, path in candidates), key=len, default=())
        for argument, path in candidates:
            if longest[: len(path)] != path:
                raise ParallelShapeError(_crossing_message(node_, argument, path, candidates, longest))
        if collected is not None:
            inside = [argument for argument, path in candidates if argument != collected and path == longest]
            closing = opened(collected)[:-1] if collected in step.args else ()
            if len(longest) > len(closing):
                raise ParallelShapeError(
                    f"Node {_describe(node_)} gathers the block of '{opened(collected)[-1]}' with its Collect[...] "
                    f"parameter '{collected}', but also takes {inside} from inside that block (one value per "
                    "item). Collect those too, in a node of the block, or take them from outside the block."
                )
        paths[step.name] = longest
    for name in plan.final_vars:
        if paths.get(name):
            expander = paths[name][-1]
            raise ParallelShapeError(
                f"Node {_describe(nodes[name])} is inside the parallel block of Parallelizable node '{expander}': "
                f"it has one value per item. Request a node that gathers it with a Collect[...] parameter instead "
                f"(e.g. def all_{name}({name}: Collect[...]) -> list)."
            )
    return paths


def _crossing_message(node_: Node, argument: str, path: Path, candidates: list, longest: Path) -> str:
    other = next(arg for arg, p in candidates if p == longest)

    def where(arg: str, p: Path) -> str:
        return f"'{arg}' (in the block of '{p[-1]}')" if p else f"'{arg}' (outside every block)"

    return (
        f"Node {_describe(node_)} combines values of different parallel blocks: {where(argument, path)} and "
        f"{where(other, longest)}. A node can combine values of one block with values from outside it, not "
        "values of two blocks: gather one of them with a Collect[...] parameter first."
    )


def build_structure(plan: ExecutionPlan, group_nodes: Any = None) -> Structure:
    """Cut ``plan`` into scopes and units (``group_nodes``: a grouping strategy's method, for the
    nodes outside blocks; one task per node when ``None``)."""
    paths = block_paths(plan)
    by_path: dict[Path, list[Step]] = {}
    for step in plan.steps:
        by_path.setdefault(paths[step.name], []).append(step)
    order = {step.name: index for index, step in enumerate(plan.steps)}
    blocks: dict[str, BlockUnit] = {}
    collector_ids: dict[str, str] = {}
    used_ids = set(plan.nodes)  # single tasks are named after their node
    root = _build_scope((), by_path, paths, order, plan, blocks, collector_ids, group_nodes, used_ids)
    task_ids = [unit_id for unit in root.units for unit_id in _base_ids(unit)]
    return Structure(root, blocks, task_ids, collector_ids)


def _base_ids(unit: TaskUnit | BlockUnit) -> list[str]:
    if isinstance(unit, TaskUnit):
        return [unit.base_id]
    return [unit.expand_id, unit.block_id]


def _unique(base_id: str, used: set[str]) -> str:
    """``base_id``, or ``base_id~2``... if a node or another task already has that name."""
    candidate, suffix = base_id, 1
    while candidate in used:
        suffix += 1
        candidate = f"{base_id}~{suffix}"
    used.add(candidate)
    return candidate


def _build_scope(
    path: Path,
    by_path: dict[Path, list[Step]],
    paths: dict[str, Path],
    order: dict[str, int],
    plan: ExecutionPlan,
    blocks: dict[str, BlockUnit],
    collector_ids: dict[str, str],
    group_nodes: Any,
    used_ids: set[str],
) -> Scope:
    scope = Scope(path)
    members = by_path.get(path, [])
    depth = len(path)
    units: list[TaskUnit | BlockUnit] = []
    owner: dict[str, TaskUnit | BlockUnit] = {}  # node name (here or deeper) -> the unit of this scope holding it

    # Parallelizable nodes of this scope head blocks; so do overridden ones that something opens.
    expanders = [step.name for step in members if step.node._node_source is _EXPAND]
    expanders += [
        name
        for name in plan.overridden
        if plan.nodes[name]._node_source is _EXPAND and any(p[: depth + 1] == (*path, name) for p in paths.values())
    ]
    steps_by_name = {step.name: step for step in members}
    for expander in expanders:
        inner = (*path, expander)
        child = _build_scope(inner, by_path, paths, order, plan, blocks, collector_ids, group_nodes, used_ids)
        step = steps_by_name.get(expander)
        unit = BlockUnit(expander, step, child, order.get(expander, -1))
        unit.expand_id = _unique(unit.expand_id, used_ids)
        unit.block_id = _unique(unit.block_id, used_ids)
        blocks[expander] = unit
        owner[expander] = unit
        for name, node_path in paths.items():
            if len(node_path) > depth and node_path[: depth + 1] == inner:
                owner[name] = unit
        units.append(unit)

    plain = [step for step in members if step.node._node_source is not _EXPAND]
    collectors = [step for step in plain if step.node._node_source is NodeType.COLLECT]
    others = [step for step in plain if step.node._node_source is not NodeType.COLLECT]
    for step in collectors:
        gathered = step.node.collect_dependency
        source_path = paths.get(gathered, ()) + ((gathered,) if gathered in blocks or gathered in expanders else ())
        block = blocks[source_path[depth]] if len(source_path) > depth else None
        base = block.expand_id.replace("expand-", "collect-", 1) if block is not None else f"collect-{step.name}"
        unit = TaskUnit(_unique(base, used_ids) if depth == 0 else base, [step], order[step.name])
        collector_ids[step.name] = unit.base_id
        owner[step.name] = unit
        units.append(unit)
    given = [plan.nodes[name] for name in plan.used_inputs] if depth == 0 else []
    if depth == 0 and group_nodes is not None:
        grouped = group_nodes([*given, *(step.node for step in others)])
        by_name = {step.name: step for step in others}
        for group in grouped:
            group_steps = sorted(
                (by_name[n.name] for n in group.nodes if n.name in by_name), key=lambda s: order[s.name]
            )
            group_given = [n for n in group.nodes if n.name not in by_name]
            first = order[group_steps[0].name] if group_steps else -1
            unit = TaskUnit(group.base_id, group_steps, first, group_given)
            for name in unit.names():
                owner[name] = unit
            units.append(unit)
    else:
        for node_ in given:
            unit = TaskUnit(node_.name, [], -1, [node_])
            owner[node_.name] = unit
            units.append(unit)
        for step in others:
            unit = TaskUnit(step.name, [step], order[step.name])
            owner[step.name] = unit
            units.append(unit)

    scope.units = _runnable_order(units, owner, plan, path)
    for unit in scope.units:
        if isinstance(unit, BlockUnit):
            unit.needs = _needs(unit, paths, path)
    _set_collected(scope, blocks)
    scope.drops = _drops(scope, plan) if depth == 0 else [() for _ in scope.units]
    return scope


def _root_dependencies(root: Scope) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[str, ...], ...]]:
    producer: dict[str, int] = {}
    dependencies = []
    readers = []
    for position, unit in enumerate(root.units):
        own = _unit_names(unit)
        reads = tuple(dict.fromkeys(name for name in _unit_reads(unit) if name not in own))
        dependencies.append(tuple(sorted({producer[name] for name in reads if name in producer})))
        readers.append(reads)
        for name in own:
            producer[name] = position
    return tuple(dependencies), tuple(readers)


def _unit_reads(unit: TaskUnit | BlockUnit) -> list[str]:
    """Every value name the unit's nodes (and nested blocks') read."""
    if isinstance(unit, TaskUnit):
        return [argument for step in unit.steps for argument in step.args]
    reads = list(unit.expander_step.args) if unit.expander_step is not None else []
    for inner in unit.scope.units:
        reads.extend(_unit_reads(inner))
    return reads


def _unit_names(unit: TaskUnit | BlockUnit) -> set[str]:
    """The names a unit computes (a block: its Parallelizable node and every node inside)."""
    if isinstance(unit, TaskUnit):
        return set(unit.names())
    names = {unit.expander}
    for inner in unit.scope.units:
        names |= _unit_names(inner)
    return names


def _runnable_order(
    units: list[TaskUnit | BlockUnit], owner: dict[str, TaskUnit | BlockUnit], plan: ExecutionPlan, path: Path
) -> list[TaskUnit | BlockUnit]:
    """The units in an order where each runs after the units it reads from (plan order on ties)."""
    import heapq

    position_of = {id(unit): position for position, unit in enumerate(units)}
    dependents: dict[int, list[int]] = {position: [] for position in range(len(units))}
    remaining: dict[int, int] = {}
    for position, unit in enumerate(units):
        own = _unit_names(unit)
        needed = {position_of[id(owner[name])] for name in _unit_reads(unit) if name in owner and name not in own}
        remaining[position] = len(needed)
        for other in needed:
            dependents[other].append(position)
    ready = [(units[p].index, p) for p, count in remaining.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[TaskUnit | BlockUnit] = []
    while ready:
        _, position = heapq.heappop(ready)
        ordered.append(units[position])
        for dependent in dependents[position]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                heapq.heappush(ready, (units[dependent].index, dependent))
    if len(ordered) != len(units):
        stuck = [units[p] for p, count in remaining.items() if count > 0]
        described = ", ".join(
            f"the block of '{u.expander}'" if isinstance(u, BlockUnit) else f"task {u.base_id!r}" for u in stuck
        )
        raise ParallelShapeError(
            f"These parts of the run wait on each other: {described}. A parallel block cannot need a value that "
            "itself needs the block's collected values, and a grouping of nodes into tasks must not split a chain "
            "of dependencies across a block. Restructure the nodes, or use the default grouping."
        )
    return ordered


def _needs(unit: BlockUnit, paths: dict[str, Path], path: Path) -> tuple[str, ...]:
    """Values a block instance receives from outside the block (inputs, overrides, outer nodes)."""
    inside = _unit_names(unit)
    reads = [name for inner in unit.scope.units for name in _unit_reads(inner)]  # not the expander's own
    return tuple(dict.fromkeys(name for name in reads if name not in inside))


def _set_collected(scope: Scope, blocks: dict[str, BlockUnit]) -> None:
    """Tell each block of ``scope`` which of its values the scope's collectors gather."""
    for unit in scope.units:
        if not isinstance(unit, TaskUnit):
            continue
        for step in unit.steps:
            node_ = step.node
            if node_._node_source is not NodeType.COLLECT:
                continue
            gathered = node_.collect_dependency
            for block in scope.block_units():
                inside = gathered == block.expander or gathered in _unit_names(block)
                if inside and gathered not in block.collected:
                    block.collected = (*block.collected, gathered)


def _drops(scope: Scope, plan: ExecutionPlan) -> list[tuple[str, ...]]:
    """Per unit of the root scope: values no later unit needs (requested outputs are kept)."""
    last: dict[str, int] = {}
    for position, unit in enumerate(scope.units):
        for name in _unit_reads(unit):
            last[name] = position
    keep = set(plan.final_vars) | set(plan.overridden)
    drops: list[list[str]] = [[] for _ in scope.units]
    for name, position in last.items():
        if name not in keep:
            drops[position].append(name)
    return [tuple(names) for names in drops]


def nodes_of(unit: TaskUnit | BlockUnit) -> list[Node]:
    """The nodes a unit runs (a block: the nodes of its scope, nested blocks included)."""
    if isinstance(unit, TaskUnit):
        return list(unit.nodes)
    found: list[Node] = []
    for inner in unit.scope.units:
        if isinstance(inner, BlockUnit) and inner.expander_step is not None:
            found.append(inner.expander_step.node)
        found.extend(nodes_of(inner))
    return found


__all__: Sequence[str] = ["BlockUnit", "ParallelShapeError", "Scope", "Structure", "TaskUnit", "build_structure"]
