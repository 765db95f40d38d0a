"""Assembling a graph: functions -> nodes -> wired, type-checked node dictionary.

The rules are 1.x's: every function of a source yields its node(s); a name defined twice is an
error unless a later source may override an earlier one; config keys replace function nodes of
the same name and become inputs; every parameter no node produces becomes an external input,
typed by its (most specific) consumer; every edge is type-checked. All loops are iterative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from hamilton.errors import DuplicateNodeError, TypeMismatchError
from hamilton.execution.outcome import FALLBACK_TAG
from hamilton.node import Node, NodeType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

    from hamilton.lifecycle.base import LifecycleAdapterSet

# Decorators (hamilton.function_modifiers) record themselves on a function under this name;
# undecorated functions take the fast path straight to ``Node.from_fn``.
MODIFIERS_ATTRIBUTE = "__hamilton_modifiers__"
_NO_ATTRIBUTES: dict = {}


def nodes_from_function(fn: Callable, config: dict[str, Any]) -> list[Node]:
    """The nodes one function defines under ``config``."""
    # A dict lookup, not getattr: a missing attribute costs an exception internally.
    if getattr(fn, "__dict__", _NO_ATTRIBUTES).get(MODIFIERS_ATTRIBUTE) is None:
        return [Node.from_fn(fn)]
    return _decorator_resolver()(fn, config)


def _decorator_resolver() -> Callable[[Callable, dict[str, Any]], list[Node]]:
    """``function_modifiers.base.resolve_nodes``, imported once (only graphs with decorators need it)."""
    global _resolve_nodes
    if _resolve_nodes is None:
        from hamilton.function_modifiers.base import resolve_nodes

        _resolve_nodes = resolve_nodes
    return _resolve_nodes


_resolve_nodes: Callable[[Callable, dict[str, Any]], list[Node]] | None = None


def _origin(node_: Node) -> str:
    return f"node '{node_.name}' from {node_.location()}"


def collect_nodes(
    sources: Sequence[Iterable[Callable]],
    config: dict[str, Any],
    allow_overrides: bool = False,
) -> dict[str, Node]:
    """Nodes of every function of every source, in order; checks for duplicate names.

    ``sources`` are groups of functions (one per module); with ``allow_overrides`` a later group
    may redefine a name from an earlier one.
    """
    nodes: dict[str, Node] = {}
    group_of: dict[str, int] = {}
    seen_functions: set[int] = set()
    for group, functions in enumerate(sources):
        for fn in functions:
            if id(fn) in seen_functions:  # the same function listed twice (an alias) is one definition
                continue
            seen_functions.add(id(fn))
            for node_ in nodes_from_function(fn, config):
                name = node_.name
                existing = nodes.get(name)
                if existing is not None and not (allow_overrides and group_of[name] < group):
                    raise DuplicateNodeError(
                        f"Cannot define function {name} more than once. Already defined by "
                        f"{_origin(existing)}; defined again by {_origin(node_)}. Rename one of "
                        "them, or let later modules override earlier ones with "
                        "Builder().allow_module_overrides()."
                    )
                nodes[name] = node_  # an override keeps the overridden node's position (as in 1.x)
                group_of[name] = group
    return nodes


class EdgeTypeChecker:
    """Decides whether a producer type may feed a consumer annotation; memoizes type pairs."""

    def __init__(self, lenient_check: Callable[..., bool] | None = None):
        self._lenient_check = lenient_check
        self._cache: dict[tuple[Any, Any], bool] = {}

    def __call__(self, param_type: Any, producer_type: Any) -> bool:
        key = (param_type, producer_type)
        try:
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # unhashable annotation metadata
            return self._decide(param_type, producer_type)
        verdict = self._cache[key] = self._decide(param_type, producer_type)
        return verdict

    def _decide(self, param_type: Any, producer_type: Any) -> bool:
        from hamilton import htypes

        if htypes.types_match(param_type, producer_type):
            return True
        return bool(self._lenient_check and self._lenient_check(type_from=param_type, type_to=producer_type))


def wire(nodes: dict[str, Node], config: dict[str, Any], adapter: LifecycleAdapterSet | None) -> dict[str, Node]:
    """Apply config, create external inputs, wire and type-check every edge (in place).

    An adapter implementing ``do_check_edge_types_match`` may accept edges the default rules
    reject.
    """
    check_edge = EdgeTypeChecker(adapter.method_for("do_check_edge_types_match") if adapter else None)
    for key in config:
        existing = nodes.get(key)
        if existing is not None and not existing.user_defined:
            del nodes[key]  # config values replace function nodes of the same name (1.x rule)
    external = NodeType.EXTERNAL
    for consumer in list(nodes.values()):
        if consumer._node_source is external:
            continue
        dependencies = consumer._dependencies
        has_fallbacks = FALLBACK_TAG in consumer._tags
        for param, (param_type, _) in consumer._input_types.items():
            producer = nodes.get(param)
            if has_fallbacks and (producer is None or producer._node_source is external):
                from hamilton.function_modifiers.fallbacks import refuse_fallback_on_input

                refuse_fallback_on_input(consumer, param)
            if producer is None:
                producer = nodes[param] = Node(
                    param,
                    param_type,
                    node_source=NodeType.EXTERNAL,
                    originating_functions=consumer.originating_functions,
                )
            elif producer._node_source is external:
                _narrow_input_type(producer, param, param_type, consumer, check_edge)
            elif param_type is not producer._type and not check_edge(param_type, producer._type):
                raise _edge_mismatch(consumer, param, param_type, producer)
            dependencies.append(producer)
            producer._depended_on_by.append(consumer)
    unused_keys = [key for key in config if key not in nodes]
    if unused_keys:
        from typing import Any

        for key in unused_keys:  # a config value nobody consumes is still an input (and an output)
            nodes[key] = Node(key, Any, node_source=NodeType.EXTERNAL)
    return nodes


def add_edge(consumer: Node, nodes: dict[str, Node], param: str, param_type: Any, check_edge: EdgeTypeChecker) -> None:
    """Wire one parameter of ``consumer`` to its producer in ``nodes`` (in place): the producer is
    created as an external input if missing, narrowed if it is one, type-checked otherwise.
    (:func:`wire` inlines the same steps for speed.)"""
    producer = nodes.get(param)
    if producer is None:
        producer = nodes[param] = Node(
            param, param_type, node_source=NodeType.EXTERNAL, originating_functions=consumer.originating_functions
        )
    elif producer._node_source is NodeType.EXTERNAL:
        _narrow_input_type(producer, param, param_type, consumer, check_edge)
    elif param_type is not producer._type and not check_edge(param_type, producer._type):
        raise _edge_mismatch(consumer, param, param_type, producer)
    consumer._dependencies.append(producer)
    producer._depended_on_by.append(consumer)


def _narrow_input_type(
    input_node: Node, param: str, param_type: Any, consumer: Node, check_edge: EdgeTypeChecker
) -> None:
    """Two consumers of one input: keep the more specific type, or fail if they disagree."""
    current = input_node.type
    if param_type == current:
        return
    if check_edge(current, param_type):  # param_type fits where current is expected: narrower
        input_node.set_type(param_type)
        return
    if check_edge(param_type, current):
        return
    others = sorted(n.name for n in input_node.depended_on_by)
    raise TypeMismatchError(
        f"Error: Two or more functions are requesting {param}, but have incompatible types. "
        f"{consumer.name} requires {param} to be {param_type!r}, but found another "
        f"function(s) {others} that minimally require {param} as {current!r}. "
        f"{consumer.name} is defined at {consumer.location()}. Make every function requesting "
        f"{param} annotate it with compatible types."
    )


def _edge_mismatch(consumer: Node, param: str, param_type: Any, producer: Node) -> TypeMismatchError:
    return TypeMismatchError(
        f"Error: {consumer.name} is expecting {param}:{param_type!r}, but found "
        f"{param}:{producer.type!r}. \nHamilton does not consider these types to be "
        "equivalent.\n"
        f"  consumer: {_origin(consumer)}\n"
        f"  producer: {_origin(producer)}\n"
        "Change one of the annotations so they agree, or, if the types are equivalent for your "
        "purposes, add an adapter implementing do_check_edge_types_match (e.g. an "
        "EdgeConnectionHook) that accepts them."
    )


def copy_unwired(nodes: Iterable[Node]) -> dict[str, Node]:
    """Fresh copies of ``nodes`` without edges, keyed by name (for building a new graph)."""
    copies: dict[str, Node] = {}
    for node_ in nodes:
        if node_.name in copies:
            raise DuplicateNodeError(
                f"Node {node_.name} is given twice: {_origin(copies[node_.name])} and {_origin(node_)}."
            )
        copies[node_.name] = node_.copy(include_refs=False)
    return copies
