"""How the cache treats each node: 1.x's ``CachingBehavior`` and how a node gets one."""

from __future__ import annotations

import enum
from collections.abc import Collection
from typing import TYPE_CHECKING, Literal

from hamilton.function_modifiers.metadata import cache as cache_decorator
from hamilton.node import NodeType

if TYPE_CHECKING:
    from hamilton.graph import Graph
    from hamilton.node import Node

CACHING_BEHAVIORS = Literal["default", "recompute", "disable", "ignore"]
LOADER_TAG = "hamilton.data_loader"
LOADER_NODE_TAG = "hamilton.data_loader.node"
SAVER_TAG = "hamilton.data_saver"


class CachingBehavior(enum.Enum):
    """How the cache treats a node.

    DEFAULT: read the result when its cache key is known, else compute and store it.
    RECOMPUTE: always compute, then store (dependents can still hit the cache).
    DISABLE: compute as if there were no cache; dependents miss, so they recompute too.
    IGNORE: compute without caching, and leave the node out of its dependents' keys.
    """

    DEFAULT = 1
    RECOMPUTE = 2
    DISABLE = 3
    IGNORE = 4

    @classmethod
    def from_string(cls, string: str) -> CachingBehavior:
        """``"recompute"`` (any case) -> ``CachingBehavior.RECOMPUTE``."""
        try:
            return cls[string.upper()]
        except (KeyError, AttributeError) as error:
            raise KeyError(f"{string} is an invalid `CachingBehavior` value") from error


class NodeRoleInTaskExecution(enum.Enum):
    """Where a node sits in a task-based run (``Parallelizable``/``Collect``).

    STANDARD: no tasks. EXPAND: the ``Parallelizable`` node. COLLECT: the ``Collect`` node.
    OUTSIDE: in a task of its own, outside a parallel block. INSIDE: in a parallel block, so it
    runs once per item and is keyed by ``(node_name, task_id)``.
    """

    STANDARD = 1
    EXPAND = 2
    COLLECT = 3
    OUTSIDE = 4
    INSIDE = 5


Selection = Literal[True] | Collection[str] | None


def node_set(selection: Selection, graph: Graph) -> Collection[str]:
    """The node names a driver-level list selects (``True``: every node)."""
    if selection is None:
        return ()
    if selection is True:
        return set(graph.nodes)
    if isinstance(selection, str):
        return {selection}
    return set(selection)


def check_driver_lists(**selections: Selection) -> None:
    """A node named in two lists (or in one while another is ``True``) gets no clear behaviour."""
    everything = any(selection is True for selection in selections.values())
    seen: set[str] = set()
    for selection in selections.values():
        if selection is None or selection is True:
            continue
        for name in [selection] if isinstance(selection, str) else selection:
            if everything or name in seen:
                raise ValueError(f"Multiple caching behaviors specified by Driver for node: {name}")
            seen.add(name)


def check_behavior_names(**behaviors: str | None) -> None:
    """``with_cache(default_behavior="sometimes")`` fails at once, naming the argument."""
    for name, behavior in behaviors.items():
        if behavior is None:
            continue
        try:
            CachingBehavior.from_string(behavior)
        except KeyError as error:
            raise ValueError(
                f"with_cache({name}={behavior!r}): use one of 'default', 'recompute', 'disable', 'ignore'."
            ) from error


def resolve_node_behavior(
    node_: Node,
    driver_lists: dict[CachingBehavior, Collection[str]],
    default_behavior: str,
    default_loader_behavior: str,
    default_saver_behavior: str,
) -> CachingBehavior:
    """First match: Parallelizable -> RECOMPUTE; the driver's lists; ``@cache``; loader/saver default; default."""
    if node_.node_role is NodeType.EXPAND:
        return CachingBehavior.RECOMPUTE
    from_driver = [behavior for behavior, names in driver_lists.items() if node_.name in names]
    if len(from_driver) > 1:
        raise ValueError(f"Multiple caching behaviors specified by Driver for node: {node_.name}")
    if from_driver:
        return from_driver[0]
    tag = node_.tags.get(cache_decorator.BEHAVIOR_KEY)
    if tag is not None:
        return CachingBehavior.from_string(tag)
    if node_.tags.get(LOADER_TAG):
        return CachingBehavior.from_string(default_loader_behavior)
    if node_.tags.get(SAVER_TAG):
        return CachingBehavior.from_string(default_saver_behavior)
    return CachingBehavior.from_string(default_behavior)
