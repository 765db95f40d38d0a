"""Running a plan on an event loop: every step is an asyncio task awaiting its arguments' tasks.

The same :class:`~hamilton.execution.plan.ExecutionPlan` the synchronous runner walks is
scheduled here, so independent branches of ``async def`` nodes overlap while a node still
starts only once all its arguments are computed. Plain ``def`` nodes run inline in their task.
"""

from __future__ import annotations

import asyncio
import inspect

from hamilton.execution.runner import NodeLifecycle, has_node_hooks, note_hook_failure, report_node_failure

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

    from hamilton.execution.plan import ExecutionPlan, Step
    from hamilton.lifecycle.base import LifecycleAdapterSet
    from hamilton.node import Node


def has_async_node_hooks(adapter: LifecycleAdapterSet | None) -> bool:
    """Whether ``adapter`` wants to see individual nodes, through sync or async hooks."""
    if not adapter:
        return False
    return (
        has_node_hooks(adapter)
        or adapter.does_hook("pre_node_execute", is_async=True)
        or adapter.does_hook("post_node_execute", is_async=True)
        or adapter.does_method("do_node_execute", is_async=True)
    )


async def run_plan_async(
    plan: ExecutionPlan, values: dict[str, Any], adapter: LifecycleAdapterSet | None, run_id: str
) -> dict[str, Any]:
    """Compute every step of ``plan``; returns ``values`` (seeded with inputs) with the results.

    When a node fails, the steps still running are cancelled before the error propagates, so
    no task outlives the run.
    """
    lifecycle = AsyncNodeLifecycle(adapter, run_id) if has_async_node_hooks(adapter) else None
    tasks: dict[str, asyncio.Future] = {}
    for step in plan.steps:
        tasks[step.name] = asyncio.ensure_future(_run_step(step, values, tasks, lifecycle))
    try:
        await asyncio.gather(*tasks.values())
    except BaseException:
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        raise
    for name, task in tasks.items():
        values[name] = task.result()
    for name, value in values.items():
        if isinstance(value, asyncio.Future) and value.done():  # an awaitable input, awaited by a step
            values[name] = value.result()
    return values


async def _run_step(
    step: Step, values: dict[str, Any], tasks: dict[str, asyncio.Future], lifecycle: AsyncNodeLifecycle | None
) -> Any:
    kwargs = {}
    for arg in step.args:
        task = tasks.get(arg)
        if task is not None:
            kwargs[arg] = await task
            continue
        value = values[arg]
        if inspect.isawaitable(value):  # an awaitable input: awaited once, however many nodes use it
            if not isinstance(value, asyncio.Future):
                value = values[arg] = asyncio.ensure_future(value)
            value = await value
        kwargs[arg] = value
    node_ = step.node
    try:
        if lifecycle is not None:
            return await lifecycle.run(node_, kwargs)
        result = node_.callable(**kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result
    except Exception as error:
        report_node_failure(error, node_, kwargs)
        raise


class AsyncNodeLifecycle:
    """One node's lifecycle on the event loop.

    Sync ``pre_node_execute`` hooks, then async ones; the node (through an async or sync
    ``do_node_execute`` if an adapter has one); then sync and async ``post_node_execute`` hooks,
    which see the awaited result.
    """

    def __init__(self, adapter: LifecycleAdapterSet, run_id: str):
        self.run_id = run_id
        self.sync = NodeLifecycle(adapter, run_id, None)
        self.pre_hooks = adapter.hooks_for("pre_node_execute", is_async=True)
        self.post_hooks = adapter.hooks_for("post_node_execute", is_async=True)
        self.execute_method = adapter.method_for("do_node_execute", is_async=True) or self.sync.execute_method

    async def run(self, node_: Node, kwargs: dict[str, Any]) -> Any:
        run_id = self.run_id
        described = self.sync.pre(node_, kwargs)
        hook = None
        try:
            for hook in self.pre_hooks:
                await hook(run_id=run_id, node_=node_, kwargs=kwargs, task_id=None)
        except Exception as error:
            note_hook_failure(error, hook, "pre_node_execute", node_.name)
            raise
        try:
            if self.execute_method is not None:
                result = self.execute_method(run_id=run_id, node_=node_, kwargs=kwargs, task_id=None)
            else:
                result = node_.callable(**kwargs)
            if inspect.isawaitable(result):
                result = await result
        except Exception as error:
            await self.post(node_, kwargs, described, False, error, None)
            raise
        await self.post(node_, kwargs, described, True, None, result)
        return result

    async def post(
        self,
        node_: Node,
        kwargs: dict[str, Any],
        described: dict[str, Any] | None,
        success: bool,
        error: Exception | None,
        result: Any,
    ) -> None:
        self.sync.post(node_, kwargs, described, success, error, result)
        hook = None
        try:
            for hook in self.post_hooks:
                await hook(
                    run_id=self.run_id,
                    node_=node_,
                    kwargs=kwargs,
                    success=success,
                    error=error,
                    result=result,
                    task_id=None,
                )
        except Exception as hook_error:
            note_hook_failure(hook_error, hook, "post_node_execute", node_.name)
            raise
