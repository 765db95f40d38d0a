"""The async driver: dataflows with ``async def`` nodes, run on the caller's event loop.

``dr = await async_driver.Builder().with_modules(m).build()`` then
``await dr.execute(["output"], inputs={...})``. Nodes may be ``async def`` or plain functions;
every node of a run is an asyncio task that starts once its arguments are computed, so
independent branches (e.g. two HTTP calls) overlap. It runs the same execution plan as the
synchronous driver (see :mod:`hamilton.execution.async_runner`).

It is the ordinary :class:`hamilton.driver.Driver` with coroutine methods: the same engine
runs both (``driver.Driver.aexecute`` is the same run), so caching, materializers,
Parallelizable/Collect (``enable_dynamic_execution``) and execution modes work here too. As in
1.x: inputs are not type-checked up front and a missing input raises ``NotImplementedError``;
sync and async variants of the graph and node hooks are all called (sync first).
"""

from __future__ import annotations

import inspect

from hamilton import base, driver
from hamilton.execution.runner import note_hook_failure
from hamilton.lifecycle import api as lifecycle_api
from hamilton.lifecycle import base as lifecycle_base

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    import types
    from collections.abc import Awaitable, Callable, Sequence
    from typing import Any

    from hamilton.execution.plan import ExecutionPlan
    from hamilton.graph import Graph
    from hamilton.node import Node

__all__ = [
    "AsyncDriver",
    "AsyncGraphAdapter",
    "Builder",
    "await_dict_of_tasks",
    "process_value",
    "separate_sync_from_async",
]


async def process_value(val: Any) -> Any:
    """``val``, awaited if it is awaitable."""
    return await val if inspect.isawaitable(val) else val


async def await_dict_of_tasks(task_dict: dict[str, Awaitable]) -> dict[str, Any]:
    """The same keys, with every awaitable value awaited (concurrently)."""
    import asyncio

    keys = list(task_dict)
    values = await asyncio.gather(*(process_value(task_dict[key]) for key in keys))
    return dict(zip(keys, values))


def separate_sync_from_async(adapters: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Split adapters into those implementing only sync lifecycle points and those with an async one."""
    sync_adapters, async_adapters = [], []
    for adapter in adapters:
        is_async = any(point.is_async for point in lifecycle_base._points_of(adapter))
        (async_adapters if is_async else sync_adapters).append(adapter)
    return sync_adapters, async_adapters


def _builds_results(adapter: Any) -> bool:
    return lifecycle_base.LifecycleAdapterSet(adapter).does_method("do_build_result", is_async=False)


class AsyncGraphAdapter(lifecycle_base.BaseDoNodeExecute, lifecycle_api.ResultBuilder):
    """1.x's adapter for async execution: calls nodes (their coroutines are awaited by the
    runner) and builds the result with ``result_builder``.

    The async driver does not need it; it is kept for code that constructs it.
    """

    def __init__(
        self,
        result_builder: base.ResultMixin | None = None,
        async_lifecycle_adapters: lifecycle_base.LifecycleAdapterSet | None = None,
    ):
        self.result_builder = result_builder if result_builder is not None else driver._legacy_default_result_builder()
        self.async_lifecycle_adapters = async_lifecycle_adapters or lifecycle_base.LifecycleAdapterSet()

    def do_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> Any:
        return node_.callable(**kwargs)

    def build_result(self, **outputs: Any) -> Any:
        return self.result_builder.build_result(**outputs)


class AsyncDriver(driver.Driver):
    """Runs a dataflow whose nodes may be ``async def``; ``execute`` is a coroutine.

    Constructed directly, it returns what 1.x's did: a pandas DataFrame when pandas support
    (``apache-hamilton[pandas]``) is installed, otherwise a dict. :class:`Builder` returns a dict.
    """

    def __init__(
        self,
        config: dict[str, Any],
        *modules: types.ModuleType,
        result_builder: base.ResultMixin | None = None,
        adapters: list[Any] | None = None,
        allow_module_overrides: bool = False,
        _graph: Graph | None = None,
        _functions: Sequence[Callable] = (),
        _materializers: Sequence[Any] = (),
        _graph_executor: driver.GraphExecutor | None = None,
        _execution_mode: Any = None,
    ):
        """Build the graph of ``modules`` under ``config``.

        :param result_builder: shapes ``execute``'s result (at most one, here or among ``adapters``).
        :param adapters: lifecycle adapters; sync and async hooks may be mixed.
        :param allow_module_overrides: let later modules redefine earlier modules' nodes.
        """
        adapters = list(adapters or [])
        builders = [adapter for adapter in adapters if _builds_results(adapter)]
        if result_builder is not None:
            builders.append(result_builder)
            adapters.append(result_builder)
        if len(builders) > 1:
            raise ValueError(
                "You cannot pass more than one result builder to the async driver. Please pass in a single "
                f"result builder (got {[type(b).__name__ for b in builders]})."
            )
        if not builders:
            adapters.append(driver._legacy_default_result_builder())
        self._initialized = False
        super().__init__(
            config,
            *modules,
            adapter=adapters,
            allow_module_overrides=allow_module_overrides,
            _use_legacy_adapter=False,
            _graph=_graph,
            _functions=_functions,
            _materializers=_materializers,
            _graph_executor=_graph_executor,
            _execution_mode=_execution_mode,
        )

    async def ainit(self) -> AsyncDriver:
        """Run the async ``post_graph_construct`` hooks and each adapter's ``ainit()``, once.

        :meth:`Builder.build` calls it; a driver constructed directly runs it before its first
        execution if nobody did.
        """
        if self._initialized:
            return self
        self._initialized = True
        hook = None
        try:
            for hook in self.adapter.hooks_for("post_graph_construct", is_async=True):
                await hook(graph=self.graph, modules=list(self.graph_modules), config=self.config)
        except Exception as error:
            note_hook_failure(error, hook, "post_graph_construct")
            raise
        await self.adapter.ainit()
        return self

    async def execute(
        self,
        final_vars: list[str | Callable | Any],
        overrides: dict[str, Any] | None = None,
        display_graph: bool = False,
        inputs: dict[str, Any] | None = None,
    ) -> Any:
        """Compute ``final_vars`` and return them shaped by the result builder, in sorted order
        of names (as 1.x's async driver did; the sync driver keeps the requested order).

        :param final_vars: outputs to compute, as names, nodes or functions.
        :param overrides: values that replace computed nodes (their upstream is skipped).
        :param display_graph: not supported (raises); use :meth:`visualize_execution`.
        :param inputs: values for the graph's inputs (awaitables are awaited before use).
        """
        _refuse_display_graph(display_graph)
        return await self._run_async(self._sorted_names(final_vars), inputs, overrides, build_result=True)

    async def raw_execute(
        self,
        final_vars: list[str],
        overrides: dict[str, Any] | None = None,
        display_graph: bool = False,
        inputs: dict[str, Any] | None = None,
        _fn_graph: Graph | None = None,
    ) -> dict[str, Any]:
        """Like :meth:`execute`, without the result builder: a dict of the outputs."""
        _refuse_display_graph(display_graph)
        return await self._run_async(self._sorted_names(final_vars), inputs, overrides, build_result=False)

    def _sorted_names(self, final_vars: Any) -> list[str]:
        """The requested outputs in sorted order of names: 1.x's async driver returned (and handed
        its result builder) the outputs sorted, and code reading ``list(result.values())[0]``
        relies on it. The sync driver keeps the requested order."""
        return sorted(self._final_var_names(final_vars))

    async def materialize(  # type: ignore[override]
        self,
        *materializers: Any,
        additional_vars: list[str | Callable | Any] | None = None,
        overrides: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> tuple[Any, dict[str, Any]]:
        """``await dr.materialize(to.json(...), ...)``: :meth:`Driver.materialize`, as a coroutine."""
        await self.ainit()
        return await self.amaterialize(
            *materializers, additional_vars=additional_vars, overrides=overrides, inputs=inputs
        )

    async def _run_async(
        self, names: list[str], inputs: dict[str, Any] | None, overrides: dict[str, Any] | None, build_result: bool
    ) -> Any:
        await self.ainit()
        return await self._arun(names, inputs, overrides, build_result, check=self._check_async_request)

    def _check_async_request(self, plan: ExecutionPlan, given: Any) -> None:
        """What the async driver checks before running: inputs are present (not their types, as in 1.x)."""
        if plan.missing:
            first, *others = plan.missing
            also = f" Also missing: {', '.join(others)}." if others else ""
            consumers = sorted(n.name for n in plan.nodes[first].depended_on_by)
            raise NotImplementedError(
                f"{first} was expected to be passed in but was not.{also} Pass it in inputs= "
                f"(it is needed by {', '.join(consumers)})."
            )
        if plan.has_parallel_nodes or not isinstance(self.graph_executor, driver.DefaultGraphExecutor):
            self.graph_executor.validate([step.node for step in plan.steps])
        if isinstance(self.graph_executor, driver.TaskBasedGraphExecutor):
            self.graph_executor.structure(plan)


def _refuse_display_graph(display_graph: bool) -> None:
    if display_graph:
        raise ValueError(
            "display_graph=True is not supported for the async graph adapter. "
            "Instead you should be using visualize_execution."
        )


class Builder(driver.Builder):
    """Assembles an :class:`AsyncDriver`; ``await builder.build()`` (or ``build_without_init()``).

    Its drivers return a dict unless a result builder is added.
    """

    def with_adapter(self, adapter: Any) -> Builder:
        raise ValueError(
            "Builder().with_adapter() is not supported for the async driver. "
            "Use with_adapters instead to pass in the tracker (or other async hooks/methods)"
        )

    def copy(self) -> Builder:
        other = Builder()
        other.__dict__.update(super().copy().__dict__)
        return other

    def build_without_init(self) -> AsyncDriver:
        """The driver, without running async initialisation (call ``await dr.ainit()`` later)."""
        adapters = list(self.adapters)
        if not any(_builds_results(adapter) for adapter in adapters):
            adapters.append(base.DictResult())
        options = dict(
            _materializers=self.materializers,
            _graph_executor=self._graph_executor(),
            _execution_mode=self.execution_mode,
        )
        if self.graph is not None:
            self._check_graph_alone()
            return AsyncDriver(dict(self.graph.config), adapters=adapters, _graph=self.graph, **options)
        return AsyncDriver(
            self.config,
            *self.modules,
            adapters=adapters,
            allow_module_overrides=self._allow_module_overrides,
            _functions=self.functions,
            **options,
        )

    async def build(self) -> AsyncDriver:  # type: ignore[override]
        """The driver, initialised: ``dr = await Builder()...build()``."""
        return await self.build_without_init().ainit()
