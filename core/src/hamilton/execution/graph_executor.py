"""Graph executors: what a Driver hands a request to (1.x's ``hamilton.driver`` classes).

* :class:`DefaultGraphExecutor` runs in the driver's process: the sequential loops for plain
  runs, the event-loop runner (:mod:`.async_runner`) for runs with ``async def`` nodes, async
  node hooks, or sync nodes offloaded to threads;
* :class:`TaskBasedGraphExecutor` runs ``Parallelizable``/``Collect`` graphs as tasks on
  executors (:mod:`.dynamic`).

Both honour the driver's :class:`~hamilton.execution.modes.ExecutionMode` (``self.mode``) and
raise :class:`hamilton.errors.PartialExecutionError` when a keep-going run had failures.
"""

from __future__ import annotations

import abc

from hamilton.execution.modes import DEFAULT_MODE
from hamilton.execution.outcome import policy_for, raise_for_outcome
from hamilton.execution.runner import adapter_is_async_per_node, run_plan, run_steps
from hamilton.node import NodeType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from hamilton.execution.modes import ExecutionMode
    from hamilton.execution.plan import ExecutionPlan
    from hamilton.graph import Graph
    from hamilton.lifecycle.base import LifecycleAdapterSet
    from hamilton.node import Node


class InvalidExecutorException(Exception):
    """The executor cannot run the requested nodes (e.g. Parallelizable/Collect without
    dynamic execution)."""


class GraphExecutor(abc.ABC):
    """Runs the nodes needed for ``final_vars`` and returns their values."""

    mode: ExecutionMode = DEFAULT_MODE

    @abc.abstractmethod
    def execute(
        self,
        fg: Graph,
        final_vars: list[str],
        overrides: dict[str, Any],
        inputs: dict[str, Any],
        run_id: str,
    ) -> dict[str, Any]:
        """Return ``{final_var: value}`` for every requested output."""

    @abc.abstractmethod
    def validate(self, nodes_to_execute: list[Node]) -> None:
        """Raise :class:`InvalidExecutorException` if this executor cannot run these nodes."""

    def needs_event_loop(self, plan: ExecutionPlan) -> bool:
        """Whether running ``plan`` takes an event loop (the driver then awaits :meth:`aexecute`)."""
        return False

    async def aexecute(
        self,
        fg: Graph,
        final_vars: list[str],
        overrides: dict[str, Any],
        inputs: dict[str, Any],
        run_id: str,
    ) -> dict[str, Any]:
        """:meth:`execute` from a coroutine: on a worker thread, so the event loop keeps running."""
        import asyncio

        return await asyncio.to_thread(self.execute, fg, final_vars, overrides, inputs, run_id)


class DefaultGraphExecutor(GraphExecutor):
    """The in-process executor (no Parallelizable/Collect): sync nodes in order, async nodes on a loop."""

    DEFAULT_TASK_NAME = "root"

    def __init__(self, adapter: LifecycleAdapterSet | None = None, mode: ExecutionMode = DEFAULT_MODE):
        self.adapter = adapter
        self.mode = mode
        self._async_adapter: tuple[Any, bool] | None = None

    def validate(self, nodes_to_execute: Iterable[Node]) -> None:
        for node_ in nodes_to_execute:
            if node_.node_role in (NodeType.EXPAND, NodeType.COLLECT):
                functions = [fn.__name__ for fn in node_.originating_functions or ()]
                raise InvalidExecutorException(
                    "Default graph executor cannot handle parallelizable[]/collect[] nodes. "
                    f"Node {node_.name} defined by functions: {functions}. Build the driver with "
                    "Builder().enable_dynamic_execution(allow_experimental_mode=True) to run them."
                )

    def needs_event_loop(self, plan: ExecutionPlan) -> bool:
        if plan.has_async_nodes or self.mode.concurrent:
            return True
        adapter = self.adapter
        known = self._async_adapter
        if known is None or known[0] is not adapter:  # adapters are fixed per driver: asked once
            known = self._async_adapter = (adapter, adapter_is_async_per_node(adapter))
        return known[1]

    def execute(
        self,
        fg: Graph,
        final_vars: list[str],
        overrides: dict[str, Any],
        inputs: dict[str, Any],
        run_id: str,
    ) -> dict[str, Any]:
        given = {**fg.config, **inputs}
        plan = fg.plan(final_vars, given, overrides)
        if self.needs_event_loop(plan):
            from hamilton.execution.bridge import run_sync

            return run_sync(lambda: self.aexecute(fg, final_vars, overrides, inputs, run_id))
        policy = policy_for(plan, self.mode.keep_going)
        values = {**given, **overrides}
        if self.mode.schedule == "levels":  # in a sequential run only the order changes
            run_steps(_ordered_by_level(plan), values, self.adapter, run_id=run_id, policy=policy, is_async=False)
        else:
            run_plan(plan, values, self.adapter, run_id=run_id, policy=policy)
        raise_for_outcome(policy, values, final_vars)
        return {name: values[name] for name in final_vars}

    async def aexecute(
        self,
        fg: Graph,
        final_vars: list[str],
        overrides: dict[str, Any],
        inputs: dict[str, Any],
        run_id: str,
    ) -> dict[str, Any]:
        from hamilton.execution.async_runner import run_plan_async

        given = {**fg.config, **inputs}
        plan = fg.plan(final_vars, given, overrides)
        policy = policy_for(plan, self.mode.keep_going)
        values = await run_plan_async(plan, {**given, **overrides}, self.adapter, run_id, mode=self.mode, policy=policy)
        raise_for_outcome(policy, values, final_vars)
        return {name: values[name] for name in final_vars}


def _ordered_by_level(plan: ExecutionPlan) -> tuple:
    """The plan's steps by depth (stable): the ``levels`` schedule of a sequential run."""
    found = plan.derived.get("by_level")
    if found is None:
        from hamilton.execution.shape import shape_of

        levels = shape_of(plan).levels
        order = sorted(range(len(plan.steps)), key=lambda index: levels[index])
        found = plan.derived["by_level"] = tuple(plan.steps[index] for index in order)
    return found


class TaskBasedGraphExecutor(GraphExecutor):
    """Runs graphs with ``Parallelizable``/``Collect`` nodes as tasks (see :mod:`hamilton.execution.dynamic`).

    ``execution_manager`` picks an executor per task; ``grouping_strategy`` groups the nodes
    outside parallel blocks into tasks (one task per node by default). Tasks with ``async def``
    nodes await them on an event loop where the task runs.
    """

    def __init__(
        self,
        execution_manager: Any,
        grouping_strategy: Any,
        adapter: LifecycleAdapterSet | None,
        mode: ExecutionMode = DEFAULT_MODE,
    ):
        self.execution_manager = execution_manager
        self.grouping_strategy = grouping_strategy
        self.adapter = adapter
        self.mode = mode

    def validate(self, nodes_to_execute: Iterable[Node]) -> None:
        """Every shape of node is allowed here; :meth:`structure` checks the blocks of a plan."""

    def structure(self, plan: ExecutionPlan) -> Any:
        """The parallel blocks of ``plan`` (memoized on it); raises for shapes that cannot run."""
        key = ("blocks", type(self.grouping_strategy))
        found = plan.derived.get(key)
        if found is None:
            from hamilton.execution.blocks import build_structure

            group = getattr(self.grouping_strategy, "group_nodes", None)
            found = plan.derived[key] = build_structure(plan, group)
        return found

    def execute(
        self,
        fg: Graph,
        final_vars: list[str],
        overrides: dict[str, Any],
        inputs: dict[str, Any],
        run_id: str,
    ) -> dict[str, Any]:
        return self._prepare(fg, final_vars, overrides, inputs, run_id).run_to_completion()

    async def aexecute(
        self,
        fg: Graph,
        final_vars: list[str],
        overrides: dict[str, Any],
        inputs: dict[str, Any],
        run_id: str,
    ) -> dict[str, Any]:
        """The run on a worker thread; cancelling the awaiting task stops it between tasks."""
        import asyncio

        from hamilton.execution.bridge import in_thread

        run = self._prepare(fg, final_vars, overrides, inputs, run_id)
        future, thread = in_thread(run.run_to_completion)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            run.cancel()
            await asyncio.gather(future, return_exceptions=True)
            raise
        finally:
            thread.join()  # it has handed over its result: no thread outlives the call

    def _prepare(
        self, fg: Graph, final_vars: list[str], overrides: dict[str, Any], inputs: dict[str, Any], run_id: str
    ) -> Any:
        from hamilton.execution.dynamic import DynamicRun

        given = {**fg.config, **inputs}
        plan = fg.plan(final_vars, given, overrides)
        structure = self.structure(plan)
        policy = policy_for(plan, self.mode.keep_going)
        run = DynamicRun(
            structure,
            self.adapter,
            self.execution_manager,
            run_id,
            overrides,
            frozenset(final_vars),
            policy=policy,
            by_levels=self.mode.schedule == "levels",
        )
        run.prepare({**given, **overrides}, final_vars)
        return run
