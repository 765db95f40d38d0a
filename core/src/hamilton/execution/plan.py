"""Planning: which nodes a run computes, in which order, with which arguments.

A plan is derived from the graph and the *names* of the requested outputs, the given inputs and
the overrides — never from values — so a graph memoizes its plans (see ``Graph.plan``) and
repeated runs go straight to execution. Every runner (synchronous today; async and task-based
ones build on the same plan) consumes :class:`ExecutionPlan`.

Order is 1.x's: a depth-first walk from each requested output in turn, dependencies in
parameter order, each node after its dependencies. The walk is iterative, so graph depth is
bounded by memory, not by the interpreter's recursion limit.
"""

from __future__ import annotations

from operator import itemgetter
from types import FunctionType

from hamilton._introspect import is_coroutine_function
from hamilton.errors import GraphCycleError, InvalidInputsError, UnknownNodesError
from hamilton.node import DependencyType, Node, NodeType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

_REQUIRED = DependencyType.REQUIRED
_EXTERNAL = NodeType.EXTERNAL
_PARALLEL = (NodeType.EXPAND, NodeType.COLLECT)
_VISITING, _DONE = 1, 2


# How a step calls its function (decided once, at planning time):
CALL_NO_ARGS = 0  # function()
CALL_ONE_ARG = 1  # function(values[getter])
CALL_POSITIONAL = 2  # function(*getter(values)), getter an operator.itemgetter
CALL_KEYWORDS = 3  # function(**{a: values[a] for a in args})


class Step(tuple):
    """One node to compute: ``(name, function, mode, getter, drops, args, node)``.

    ``values[name]`` is computed from the values named by ``args``; ``drops`` are intermediate
    values no later step needs, freed after this one. Plain functions whose parameters are
    exactly ``args`` (in order) are called positionally through an ``itemgetter`` — several
    times cheaper than building a kwargs dict per call. A plain tuple subclass (built with
    ``Step((...))``) so that runners unpack it at C speed.
    """

    __slots__ = ()
    name: str = property(itemgetter(0))  # type: ignore[assignment]
    function: Callable = property(itemgetter(1))  # type: ignore[assignment]
    mode: int = property(itemgetter(2))  # type: ignore[assignment]
    getter: Any = property(itemgetter(3))  # type: ignore[assignment]
    drops: tuple[str, ...] = property(itemgetter(4))  # type: ignore[assignment]
    args: tuple[str, ...] = property(itemgetter(5))  # type: ignore[assignment]
    node: Node = property(itemgetter(6))  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Step({self[0]!r}, args={self[5]!r})"


def _call_mode(function: Callable, args: tuple[str, ...]) -> tuple[int, Any]:
    """How to call ``function`` with ``args``: positionally when they are its first parameters."""
    if type(function) is not FunctionType:
        return CALL_KEYWORDS, args
    code = function.__code__
    count = len(args)
    if count > code.co_argcount or code.co_varnames[:count] != args:
        return CALL_KEYWORDS, args
    if count == 1:
        return CALL_ONE_ARG, args[0]
    if count:
        return CALL_POSITIONAL, itemgetter(*args)
    return CALL_NO_ARGS, None


class ExecutionPlan:
    """What one run does. Built by :func:`make_plan`; immutable once built."""

    __slots__ = (
        "derived",
        "final_vars",
        "has_async_nodes",
        "has_parallel_nodes",
        "missing",
        "nodes",
        "overridden",
        "steps",
        "used_inputs",
    )

    def __init__(
        self,
        final_vars: tuple[str, ...],
        steps: tuple[Step, ...],
        used_inputs: tuple[str, ...],
        missing: dict[str, None],
        overridden: tuple[str, ...],
        nodes: Mapping[str, Node],
        has_parallel_nodes: bool,
    ):
        self.final_vars = final_vars
        self.steps = steps
        self.used_inputs = used_inputs
        self.missing = missing
        self.overridden = overridden
        self.nodes = nodes
        self.has_parallel_nodes = has_parallel_nodes  # Parallelizable/Collect steps need a task-based executor
        self.has_async_nodes = any(is_coroutine_function(step[1]) for step in steps)  # runs on an event loop
        self.derived: dict[Any, Any] = {}  # what runners compute from the plan once (e.g. its parallel blocks)

    def mistyped_inputs(self, values: Mapping[str, Any], validate: Callable[[Any, Any], bool]) -> dict[str, str]:
        """Given inputs whose value ``validate(type, value)`` rejects: name -> 1.x message."""
        mistyped = {}
        for name in self.used_inputs:
            value = values[name]
            node_type = self.nodes[name].type
            if value is not None and not validate(node_type, value):
                shown = str(value)
                shown = shown if len(shown) <= 80 else shown[:77] + "..."
                mistyped[name] = (
                    f"Error: Type requirement mismatch. Expected {name}:{node_type!r} "
                    f"got {shown}:{type(value)} instead."
                )
        return mistyped

    def check_inputs(self, values: Mapping[str, Any], validate: Callable[[Any, Any], bool] | None) -> None:
        """Raise :class:`InvalidInputsError` listing every missing (and, given ``validate``,
        mistyped) input, in 1.x's format."""
        mistyped = self.mistyped_inputs(values, validate) if validate is not None else {}
        if not self.missing and not mistyped:
            return
        # Like 1.x, name every node of the graph that consumes a missing input.
        missing = {name: sorted(n.name for n in self.nodes[name].depended_on_by) for name in self.missing}
        errors = sorted(
            [
                f"Error: Required input {name} not provided for nodes: {consumers}."
                for name, consumers in missing.items()
            ]
            + list(mistyped.values())
        )
        message = (
            f"{len(errors)} errors encountered: \n  " + "\n  ".join(errors) + _spelling_hints(missing, values, self)
        )
        raise InvalidInputsError(message, missing, mistyped)

    def raise_for_missing_inputs(self) -> None:
        self.check_inputs({}, None)

    def __repr__(self) -> str:
        return f"ExecutionPlan(final_vars={list(self.final_vars)}, steps={[s.name for s in self.steps]})"


def _spelling_hints(missing: Mapping[str, Any], values: Mapping[str, Any], plan: ExecutionPlan) -> str:
    """``Did you mean ...`` lines: given inputs nothing uses that resemble a missing one (typos)."""
    if not missing:
        return ""
    from hamilton.errors import closest_names

    unused = [name for name in values if name not in plan.nodes and name not in plan.used_inputs]
    hints = [
        f"\n  Did you mean {', '.join(map(repr, close))} (given, unused) for {name!r}?"
        for name in missing
        if (close := closest_names(name, unused))
    ]
    return "".join(hints)


def make_plan(
    nodes: Mapping[str, Node],
    final_vars: Sequence[str],
    input_names: frozenset[str],
    override_names: frozenset[str],
) -> ExecutionPlan:
    """Plan the computation of ``final_vars`` given which inputs and overrides exist.

    One iterative depth-first pass orders the nodes, collects each step's arguments (optional
    inputs nobody gave are left out, so the function's default applies), records which inputs
    are used or missing, and notes where each intermediate value is last needed.
    """
    unknown = [name for name in final_vars if name not in nodes and name not in input_names]
    if unknown:
        raise UnknownNodesError.for_names(unknown, nodes)

    state: dict[str, int] = {}
    overridden: list[str] = []
    used_inputs: dict[str, None] = {}
    missing: dict[str, None] = {}  # an ordered set of required inputs nobody gave
    ordered: list[tuple[str, Node, tuple[str, ...]]] = []
    last_use: dict[str, int] = {}
    has_parallel_nodes = False

    for root_name in final_vars:
        root = nodes.get(root_name)
        if root is None or root_name in state:
            continue  # an echoed input, or already planned
        if root._node_source is _EXTERNAL:
            if root_name in input_names:
                used_inputs[root_name] = None
            else:
                missing[root_name] = None
            continue
        if root_name in override_names:
            state[root_name] = _DONE
            overridden.append(root_name)
            continue
        state[root_name] = _VISITING
        stack = [(root_name, root, iter(root._input_types.items()))]
        while stack:
            name, current, pending = stack[-1]
            for dependency_name, (_, dependency_type) in pending:
                dependency = nodes[dependency_name]
                if dependency._node_source is _EXTERNAL:
                    if dependency_name in input_names:
                        used_inputs[dependency_name] = None
                    elif dependency_type is _REQUIRED:
                        missing[dependency_name] = None
                    continue
                status = state.get(dependency_name)
                if status == _DONE:
                    continue
                if status == _VISITING:
                    path = [entry[0] for entry in stack]
                    raise _cycle_error(path[path.index(dependency_name) :] + [dependency_name], nodes)
                if dependency_name in override_names:
                    state[dependency_name] = _DONE
                    overridden.append(dependency_name)
                    continue
                state[dependency_name] = _VISITING
                stack.append((dependency_name, dependency, iter(dependency._input_types.items())))
                break
            else:
                stack.pop()
                state[name] = _DONE
                index = len(ordered)
                args = []
                for argument in current._input_types:
                    if argument in state:  # computed or overridden, both planned already
                        last_use[argument] = index
                    elif argument not in input_names:
                        continue  # an optional input nobody gave: the function's default applies
                    args.append(argument)
                ordered.append((name, current, tuple(args)))
                if current._node_source in _PARALLEL:
                    has_parallel_nodes = True

    drops: dict[int, list[str]] = {}
    keep = set(final_vars)
    for name, index in last_use.items():
        if name not in keep and name not in override_names:
            drops.setdefault(index, []).append(name)
    steps = tuple(
        Step((name, node_._callable, *_call_mode(node_._callable, args), tuple(drops.get(index, ())), args, node_))
        for index, (name, node_, args) in enumerate(ordered)
    )
    return ExecutionPlan(
        tuple(final_vars), steps, tuple(used_inputs), missing, tuple(overridden), nodes, has_parallel_nodes
    )


_CYCLE_SHOWN = 5  # nodes shown at each end of a long cycle; the full cycle is on ``.cycle``


def _cycle_error(cycle: list[str], nodes: Mapping[str, Node]) -> GraphCycleError:
    """The error for ``cycle`` (``[a, ..., a]``); a long cycle is clipped in the message only."""
    members = list(dict.fromkeys(cycle))
    if len(cycle) > 4 * _CYCLE_SHOWN:
        hidden = len(cycle) - 2 * _CYCLE_SHOWN
        path = (
            f"{' -> '.join(cycle[:_CYCLE_SHOWN])} -> ... ({hidden} more nodes) ... -> "
            f"{' -> '.join(cycle[-_CYCLE_SHOWN:])}"
        )
        shown = members[: 2 * _CYCLE_SHOWN]
        more = f"\n  ... and {len(members) - len(shown)} more (the full cycle is the exception's .cycle)"
    else:
        path, shown, more = " -> ".join(cycle), members, ""
    locations = "\n".join(f"  {name}: {nodes[name].location()}" for name in shown)
    return GraphCycleError(
        f"The graph has a cycle: {path} (each depends on the next). Its {len(members)} node(s):\n"
        f"{locations}{more}\nBreak the cycle by renaming a parameter or a function, or supply one of "
        "these nodes through overrides.",
        cycle,
    )


def find_cycle(roots: Iterable[Node]) -> list[str] | None:
    """A dependency cycle reachable from ``roots`` as ``[a, b, ..., a]``, or ``None``."""
    state: dict[str, int] = {}
    for root in roots:
        if root.name in state:
            continue
        state[root.name] = _VISITING
        stack = [(root, iter(root.dependencies))]
        while stack:
            current, pending = stack[-1]
            for dependency in pending:
                status = state.get(dependency.name)
                if status == _DONE:
                    continue
                if status == _VISITING:
                    path = [n.name for n, _ in stack]
                    return path[path.index(dependency.name) :] + [dependency.name]
                state[dependency.name] = _VISITING
                stack.append((dependency, iter(dependency.dependencies)))
                break
            else:
                stack.pop()
                state[current.name] = _DONE
    return None
