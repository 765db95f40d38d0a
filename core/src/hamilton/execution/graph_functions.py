"""1.x's helpers for running sets of nodes outside a driver (custom executors and adapters use them).

* :func:`execute_subdag` computes a list of nodes from given values, with lifecycle hooks;
* :func:`execute_lifecycle_for_node` runs one node's hooks and function;
* :func:`topologically_sort_nodes`, :func:`get_node_levels`, :func:`nodes_between`,
  :func:`node_is_required_by_anything` answer questions about a set of nodes;
* :func:`combine_config_and_inputs`, :func:`create_error_message`, :func:`create_input_string`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from hamilton.execution.runner import NodeLifecycle, run_steps
from hamilton.node import DependencyType, Node, NodeType


def topologically_sort_nodes(nodes: list[Node]) -> list[Node]:
    """``nodes`` ordered so that each comes after those of them it depends on (stable otherwise)."""
    by_name = {node_.name: node_ for node_ in nodes}
    ordered: list[Node] = []
    state: dict[str, int] = {}
    for root in nodes:
        if root.name in state:
            continue
        stack = [(root, iter(root.input_types))]
        state[root.name] = 1
        while stack:
            current, pending = stack[-1]
            for dependency in pending:
                if dependency in by_name and dependency not in state:
                    state[dependency] = 1
                    stack.append((by_name[dependency], iter(by_name[dependency].input_types)))
                    break
            else:
                stack.pop()
                state[current.name] = 2
                ordered.append(current)
    return ordered


def get_node_levels(topologically_sorted_nodes: list[Node]) -> dict[str, int]:
    """Node name -> length of the longest dependency path reaching it within the given nodes."""
    levels: dict[str, int] = {}
    for node_ in topologically_sorted_nodes:
        parents = [levels[name] for name in node_.input_types if name in levels]
        levels[node_.name] = max(parents) + 1 if parents else 0
    return levels


def combine_config_and_inputs(config: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """Config and inputs as one dict of given values; a key in both is an error."""
    shared = sorted(set(config) & set(inputs))
    if shared:
        raise ValueError(
            f"The following inputs are present in both config and inputs. They must be mutually disjoint. {shared} "
        )
    return {**config, **inputs}


_VALUE_CHARS = 50  # a longer repr is cut here (and "..." appended)
_INPUTS_CHARS = 1000  # so is the whole description


def create_input_string(kwargs: dict[str, Any]) -> str:
    """A node's inputs as a readable dict for error messages: a value whose ``repr`` is longer
    than 50 characters shows the first 50 and ``...``; the whole is cut at 1,000 (1.x's format)."""
    import pprint

    shown = {}
    for name, value in kwargs.items():
        text = repr(value)
        shown[name] = text[:_VALUE_CHARS] + "..." if len(text) > _VALUE_CHARS else value
    description = pprint.pformat(shown)
    return description[:_INPUTS_CHARS] + "..." if len(description) > _INPUTS_CHARS else description


def create_error_message(kwargs: dict[str, Any], node_: Node, step: str) -> str:
    """1.x's banner for a node failure: the step, the node, its function and its (shortened) inputs."""
    functions = ", ".join(f"{fn.__module__}.{fn.__name__}()" for fn in node_.originating_functions or ())
    headline = f"{step} {node_.name} [{functions or 'unknown_module.unknown()'}] encountered an error"
    rule = "*" * 80
    return f"\n{rule}\n>{headline:<78}<\n> Node inputs:\n{create_input_string(kwargs)}\n{rule}"


def nodes_between(end_node: Node, search_condition: Callable[[Node], bool]) -> tuple[Node | None, list[Node]]:
    """Walking up from ``end_node``: the first ancestor meeting ``search_condition``, and the nodes
    between the two (excluding both). ``(None, [])`` if no ancestor meets it."""
    visited: dict[str, Node] = {}
    parents_of: dict[str, list[Node]] = {}
    frontier = [end_node]
    found: Node | None = None
    while frontier and found is None:
        current = frontier.pop()
        for dependency in current.dependencies:
            parents_of.setdefault(current.name, []).append(dependency)
            if search_condition(dependency):
                found = dependency
                break
            if dependency.name not in visited:
                visited[dependency.name] = dependency
                frontier.append(dependency)
    if found is None:
        return None, []
    between = [
        node_
        for node_ in visited.values()
        if any(ancestor.name == found.name for ancestor in _ancestors(node_)) and node_.name != found.name
    ]
    return found, between


def _ancestors(node_: Node) -> list[Node]:
    seen: dict[str, Node] = {}
    stack = list(node_.dependencies)
    while stack:
        current = stack.pop()
        if current.name not in seen:
            seen[current.name] = current
            stack.extend(current.dependencies)
    return list(seen.values())


def node_is_required_by_anything(node_: Node, node_set: Collection[Node]) -> bool:
    """Whether some node of ``node_set`` requires ``node_`` (an optional dependency does not count)."""
    names = {member.name for member in node_set}
    return any(
        consumer.name in names and consumer.input_types[node_.name][1] is DependencyType.REQUIRED
        for consumer in node_.depended_on_by
    )


def execute_lifecycle_for_node(
    __node_: Node,
    __adapter: Any,
    __run_id: str,
    __task_id: str | None,
    **__kwargs: Any,
) -> Any:
    """Run one node with its lifecycle hooks (``pre_node_execute``, the node, ``post_node_execute``)."""
    return NodeLifecycle(__adapter, __run_id, __task_id).run(__node_, __kwargs)


def execute_subdag(
    nodes: Collection[Node],
    inputs: dict[str, Any],
    adapter: Any = None,
    computed: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    run_id: str | None = None,
    task_id: str | None = None,
) -> dict[str, Any]:
    """Compute ``nodes`` and whatever they need upstream, from ``inputs``, already ``computed``
    values and ``overrides``, with lifecycle hooks; as in 1.x, a missing required input raises
    ``NotImplementedError``.

    Returns ``computed`` (updated in place, as 1.x does; a new dict if ``None``) with the values
    of ``nodes`` and of their direct dependencies; other intermediate values are not kept.
    """
    from hamilton.execution.plan import make_plan

    results = {} if computed is None else computed
    values: dict[str, Any] = {**inputs, **results, **(overrides or {})}
    given = frozenset(values)
    plan = make_plan(_with_upstream(nodes), [node_.name for node_ in nodes], given, given)
    if plan.missing:
        names = list(plan.missing)
        verb = "was" if len(names) == 1 else "were"
        raise NotImplementedError(f"{', '.join(names)} {verb} expected to be passed in but {verb} not.")
    run_steps(plan.steps, values, adapter, run_id=run_id or "", task_id=task_id)
    kept = {node_.name for node_ in nodes}
    for node_ in nodes:
        kept.update(node_.input_types)
    results.update((name, value) for name, value in values.items() if name in kept)
    return results


def _with_upstream(nodes: Collection[Node]) -> dict[str, Node]:
    """Name -> node for ``nodes`` and everything upstream (a dependency a node does not link to,
    as in hand-built nodes, stands as an input of its annotated type)."""
    by_name = {node_.name: node_ for node_ in nodes}
    stack = list(nodes)
    while stack:
        current = stack.pop()
        linked = {dependency.name: dependency for dependency in current.dependencies}
        for name, (type_, _) in current.input_types.items():
            if name in by_name:
                continue
            dependency = linked.get(name) or Node(name, type_, node_source=NodeType.EXTERNAL)
            by_name[name] = dependency
            stack.append(dependency)
    return by_name
