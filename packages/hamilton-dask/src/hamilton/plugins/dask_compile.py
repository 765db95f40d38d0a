"""Compile a Hamilton request into a plain dask graph ("lift and shift").

:func:`compile_graph` turns ``dr.execute(final_vars, inputs=..., overrides=...)`` into a dask task
graph that runs on dask alone: workers need dask and the modules defining the user's functions,
but not Hamilton. Each node becomes one ``dask.task_spec.Task`` keyed by the node's name, calling
the user's function with keyword arguments (``TaskRef`` to the nodes it depends on); inputs and
overrides become ``DataNode`` literals. The request is planned and validated by Hamilton's own
machinery first, so the graph computes exactly the nodes ``dr.execute`` would, with the same
arguments (optional inputs nobody gave are left out so the function's default applies).

Only what runs the same without Hamilton compiles: plain functions (``@config.when``, ``@tag``,
``@schema``, ``@cache``, ``@resolve`` make those) and the callables core's expanders describe
(``@parameterize`` and its variants, ``@inject``, ``@extract_fields``, ``@unpack_fields``,
``@extract_columns`` on pandas/polars/pyarrow frames; see ``CALL_DESCRIPTION`` in
``hamilton.function_modifiers.expanders``). Anything whose behaviour lives in Hamilton (validators,
pipes, ``@does``, subdags, fan-outs, async nodes, ``fill_with=``, adapters' hooks...) is refused with
a :class:`CompileError` naming each node: run those with the ``DaskGraphAdapter`` or the dask task
executor instead.

Functions pickle by reference, as usual with dask: the workers import the modules defining them.
A module that imports Hamilton's decorators needs Hamilton installed there just to be imported
(no Hamilton code runs); keep worker-side functions in modules without Hamilton imports and
decorate them elsewhere to need none at all.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dask.task_spec import DataNode, GraphNode, List, Task, TaskRef

from hamilton._introspect import describe_function, is_coroutine_function
from hamilton.execution.outcome import FALLBACK_TAG
from hamilton.execution.plan import CALL_KEYWORDS
from hamilton.function_modifiers.base import MODIFIERS_ATTRIBUTE
from hamilton.function_modifiers.dependencies import GroupedListDependency, UpstreamDependency
from hamilton.function_modifiers.expanders import CALL_DESCRIPTION
from hamilton.node import Node, NodeType

__all__ = ["CompileError", "CompiledGraph", "compile_graph"]

_WHAT_TO_DO = (
    "Run this request with the DaskGraphAdapter or the dask task executor instead (they run Hamilton on the "
    "workers), or change the listed nodes."
)
# Lifecycle points that only make sense while Hamilton runs the request (they would silently not run).
_RUNTIME_HOOKS = (
    "pre_graph_execute",
    "post_graph_execute",
    "pre_node_execute",
    "post_node_execute",
    "pre_task_submission",
    "pre_task_execute",
    "post_task_execute",
    "post_task_return",
    "post_task_group",
    "post_task_expand",
)
_RUNTIME_METHODS = ("do_node_execute", "do_remote_execute")
# Dataframe backends whose get_column(frame, name) is frame[name] (a polars LazyFrame's is not).
_GETITEM_BACKENDS = frozenset({"pandas", "polars", "pyarrow"})


class CompileError(ValueError):
    """A request cannot become a plain dask graph; the message names each reason and node."""

    def __init__(self, message: str, nodes: Sequence[str] = ()):
        super().__init__(message)
        self.nodes = list(nodes)


@dataclass(frozen=True)
class CompiledGraph:
    """A dask graph computing ``keys`` (the requested outputs), runnable without Hamilton.

    ``graph`` maps each key (a node or input name) to a ``dask.task_spec`` ``Task`` or ``DataNode``:
    pass it to ``dask.get(graph, keys)``, ``client.get(graph, keys)``, or use :meth:`compute` /
    :meth:`to_delayed`. Workers must be able to import the modules defining the functions.
    """

    graph: dict[str, GraphNode]
    keys: tuple[str, ...]

    def to_delayed(self) -> dict[str, Any]:
        """``{output: dask.delayed.Delayed}``, to compose with other dask work."""
        from dask.delayed import Delayed

        return {key: Delayed(key, self.graph) for key in self.keys}

    def compute(self, scheduler: Any = None, client: Any = None, **kwargs: Any) -> dict[str, Any]:
        """``{output: value}``, like ``dr.execute`` without a result builder.

        :param scheduler: any ``dask.compute`` scheduler (``"sync"``, ``"threads"``...).
        :param client: a ``distributed.Client`` to run on (instead of ``scheduler``).
        """
        if client is not None:
            values = client.get(self.graph, list(self.keys), **kwargs)
        else:
            import dask

            (values,) = dask.compute(list(self.to_delayed().values()), scheduler=scheduler, **kwargs)
        return dict(zip(self.keys, values))


def compile_graph(
    dr: Any,
    final_vars: Iterable[Any],
    inputs: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> CompiledGraph:
    """The plain dask graph of ``dr.execute(final_vars, inputs=inputs, overrides=overrides)``.

    The Driver's result builder is not applied: :meth:`CompiledGraph.compute` returns the dict of
    outputs. Raises :class:`CompileError` for what needs Hamilton at run time, and the same errors
    as ``dr.execute`` for unknown outputs or missing/mistyped inputs.
    """
    inputs, overrides = dict(inputs or {}), dict(overrides or {})
    names = dr._final_var_names(final_vars)
    given = {**dr.graph.config, **inputs}
    plan = dr.graph.plan(names, given, overrides)  # unknown outputs and cycles raise here
    problems = _driver_problems(dr)
    refused = [(step.node, reason) for step in plan.steps if (reason := _node_problem(step.node)) is not None]
    if problems or refused:
        raise _compile_error(problems, refused)
    dr.validate_execution(names, overrides=overrides, inputs=inputs)  # missing/mistyped inputs: dr.execute's error
    values = {**given, **overrides}
    graph: dict[str, GraphNode] = {}
    for step in plan.steps:
        graph[step.name] = _task(step.node, step.args, positional=step.mode != CALL_KEYWORDS)
    for step in plan.steps:
        for arg in step.args:
            if arg not in graph:
                graph[arg] = DataNode(arg, values[arg])
    for name in names:
        if name not in graph:
            graph[name] = DataNode(name, values[name])
    return CompiledGraph(graph, tuple(names))


# -- what cannot compile ------------------------------------------------------------------------


def _driver_problems(dr: Any) -> list[str]:
    """Reasons the driver itself cannot be compiled: adapters acting while it runs, keep-going."""
    from hamilton.lifecycle.api import GraphAdapter
    from hamilton.lifecycle.base import LifecycleAdapterSet

    problems = []
    for adapter in dr.adapter.adapters:
        name = type(adapter).__qualname__
        if isinstance(adapter, GraphAdapter):
            problems.append(
                f"the driver has the legacy graph adapter {name} (it executes every node itself); build the "
                "driver without it"
            )
            continue
        alone = LifecycleAdapterSet(adapter)
        owned = [point for point in _RUNTIME_HOOKS if alone.does_hook(point)]
        owned += [point for point in _RUNTIME_METHODS if alone.does_method(point)]
        if owned:
            problems.append(
                f"the driver's adapter {name} ({type(adapter).__module__}) implements {', '.join(owned)}, which "
                "would not run in a plain dask graph; build the driver without it"
            )
    if getattr(getattr(dr, "execution_mode", None), "keep_going", False):
        problems.append('the driver runs with on_error="keep_going", which a plain dask graph cannot do')
    return problems


def _node_problem(node_: Node) -> str | None:
    """Why ``node_`` cannot run without Hamilton, or ``None`` when it can."""
    if node_.node_role in (NodeType.EXPAND, NodeType.COLLECT):
        return "Parallelizable/Collect fan-outs are run by Hamilton's task executors"
    if FALLBACK_TAG in node_.tags:
        return "@fallback substitutes values while Hamilton runs the node"
    function = node_.callable
    if is_coroutine_function(function):
        return "async def nodes are awaited by Hamilton's event loop"
    description = getattr(function, CALL_DESCRIPTION, None)
    if description is not None:
        return _description_problem(description)
    return _plain_problem(function)


def _plain_problem(function: Callable) -> str | None:
    """Why ``function`` is not a callable a worker without Hamilton can run, or ``None``."""
    home = _home_module(function)
    if home.split(".")[0] != "hamilton":
        return None
    name = getattr(function, "__qualname__", None) or type(function).__qualname__
    return f"it is computed by Hamilton's own code ({home}.{name}), which the workers do not have"


def _description_problem(description: tuple) -> str | None:
    kind = description[0]
    if kind == "call":
        original = description[1]
        if is_coroutine_function(original):
            return "async def nodes are awaited by Hamilton's event loop"
        if getattr(original, CALL_DESCRIPTION, None) is not None:
            return f"its function {describe_function(original)} is itself rebound by a decorator"
        return _plain_problem(original)
    if kind == "column":
        backend = description[1]
        if getattr(backend, "name", None) not in _GETITEM_BACKENDS:
            return (
                f"@extract_columns on the dataframe backend {backend!r} (only pandas, polars and pyarrow frames "
                "compile, as frame[column])"
            )
        return None
    if kind == "item":
        return None
    return f"its function is described as {kind!r}, which this version of dask_compile does not know"


def _home_module(function: Any) -> str:
    """The module a callable comes from (a partial's function's; an instance's class's)."""
    while hasattr(function, "func") and type(function).__module__ == "functools":
        function = function.func
    module = getattr(function, "__module__", None)
    return module if isinstance(module, str) else type(function).__module__


def _origin(node_: Node) -> str:
    """Where ``node_`` comes from: its function, its location and the decorators on it."""
    decorators = [
        f"@{type(decorator).__name__}"
        for function in node_.originating_functions or ()
        for applied in getattr(function, "__dict__", {}).get(MODIFIERS_ATTRIBUTE, {}).values()
        for decorator in applied
    ]
    shown = ", decorated with " + " ".join(dict.fromkeys(decorators)) if decorators else ""
    return node_.location() + shown


def _compile_error(problems: list[str], refused: list[tuple[Node, str]]) -> CompileError:
    lines = ["This request cannot be compiled into a plain dask graph (one that runs without Hamilton):"]
    lines += [f"  - {problem}" for problem in problems]
    lines += [f"  - node '{node_.name}' (from {_origin(node_)}): {reason}" for node_, reason in refused]
    lines.append(_WHAT_TO_DO)
    return CompileError("\n".join(lines), [node_.name for node_, _ in refused])


# -- building tasks -------------------------------------------------------------------------------


def _task(node_: Node, args: Sequence[str], positional: bool) -> Task:
    """The task computing ``node_`` from the values named ``args``, called as Hamilton's plan calls it
    (``positional``: ``args`` are the function's first parameters, in order)."""
    function = node_.callable
    description = getattr(function, CALL_DESCRIPTION, None)
    if description is None:
        if positional:
            return Task(node_.name, function, *[TaskRef(arg) for arg in args])
        return Task(node_.name, function, **{arg: TaskRef(arg) for arg in args})
    kind = description[0]
    if kind == "call":
        _, original, literals, renamed, grouped = description
        present = set(args)
        kwargs: dict[str, Any] = dict(literals)
        kwargs.update({param: TaskRef(source) for param, source in renamed if source in present})
        kwargs.update({param: _group(group) for param, group in grouped})
        return Task(node_.name, original, **kwargs)
    # "item" (dict field / tuple element) and "column" (frame[column] on a getitem backend)
    source, key = description[-2], description[-1]
    return Task(node_.name, operator.getitem, TaskRef(source), key)


def _group(group: Any) -> GraphNode:
    """A ``group(...)`` argument: a list, or a dict, of node values and literals."""

    def member(item: Any) -> Any:
        return TaskRef(item.source) if isinstance(item, UpstreamDependency) else item.value

    if isinstance(group, GroupedListDependency):
        return List(*[member(item) for item in group.sources])
    pairs = [List(key, member(item)) for key, item in group.sources.items()]
    return Task(None, dict, List(*pairs))
