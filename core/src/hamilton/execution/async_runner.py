"""The concurrent runner: the steps of a plan on an event loop, each released once its inputs exist.

Used when a run has ``async def`` nodes, async node hooks, or sync nodes offloaded to threads.
It walks the same :class:`~hamilton.execution.plan.ExecutionPlan` as the sequential runner:

* a plain ``def`` node runs inline on the loop's thread as soon as it is ready (or on a thread
  pool with ``sync_nodes="threads"``);
* an ``async def`` node becomes a task, so independent ones wait at the same time; one that is
  the only work left is awaited directly (a chain pays no task per node);
* ``schedule="levels"`` holds a node back until every node of the shallower depths finished;
* a failure either cancels the work in flight and propagates (``fail_fast``), or is recorded by
  the run's :class:`~hamilton.execution.outcome.FailurePolicy` (``keep_going``, ``@fallback``).

When the runner returns or raises, no task it started is pending and no thread it started runs.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from heapq import heappop, heappush

from hamilton._introspect import is_coroutine_function
from hamilton.execution.modes import DEFAULT_MODE
from hamilton.execution.outcome import UNAVAILABLE
from hamilton.execution.runner import (
    NodeLifecycle,
    adapter_is_async_per_node,
    has_node_hooks,
    note_hook_failure,
    report_node_failure,
)
from hamilton.execution.shape import Shape, shape_of, shape_of_steps

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

    from hamilton.execution.modes import ExecutionMode
    from hamilton.execution.outcome import FailurePolicy
    from hamilton.execution.plan import ExecutionPlan, Step
    from hamilton.lifecycle.base import LifecycleAdapterSet
    from hamilton.node import Node


def has_async_node_hooks(adapter: LifecycleAdapterSet | None) -> bool:
    """Whether ``adapter`` wants to see individual nodes, through sync or async hooks."""
    if not adapter:
        return False
    return has_node_hooks(adapter) or adapter_is_async_per_node(adapter)


async def run_plan_async(
    plan: ExecutionPlan,
    values: dict[str, Any],
    adapter: LifecycleAdapterSet | None,
    run_id: str,
    *,
    mode: ExecutionMode = DEFAULT_MODE,
    policy: FailurePolicy | None = None,
) -> dict[str, Any]:
    """Compute every step of ``plan`` into ``values`` (seeded with inputs); returns ``values``."""
    await run_steps_async(plan.steps, values, adapter, run_id=run_id, mode=mode, policy=policy, shape=shape_of(plan))
    return values


async def run_steps_async(
    steps: tuple[Step, ...],
    values: dict[str, Any],
    adapter: LifecycleAdapterSet | None,
    *,
    run_id: str = "",
    task_id: str | None = None,
    mode: ExecutionMode = DEFAULT_MODE,
    policy: FailurePolicy | None = None,
    shape: Shape | None = None,
) -> None:
    """Compute ``steps`` into ``values`` on the running loop (see the module docstring)."""
    shape = shape or shape_of_steps(steps)
    await _resolve_awaitable_inputs(steps, values, shape)
    lifecycle = AsyncNodeLifecycle(adapter, run_id, task_id) if has_async_node_hooks(adapter) else None
    scheduler = _Scheduler(steps, shape, values, lifecycle, mode, policy)
    await scheduler.run()


async def _resolve_awaitable_inputs(steps: tuple[Step, ...], values: dict[str, Any], shape: Shape) -> None:
    """Await inputs given as awaitables (coroutines, tasks, futures), each once, concurrently."""
    names = [name for names in shape.external for name in names if inspect.isawaitable(values.get(name))]
    if not names:
        return
    names = list(dict.fromkeys(names))
    results = await asyncio.gather(*(values[name] for name in names))
    values.update(zip(names, results))


DEFAULT_OFFLOAD_THREADS = 32  # sync_nodes="threads" without max_concurrency


class _Scheduler:
    """One run of the steps: the ready queue, the tasks in flight, and what happens on failure."""

    def __init__(
        self,
        steps: tuple[Step, ...],
        shape: Shape,
        values: dict[str, Any],
        lifecycle: AsyncNodeLifecycle | None,
        mode: ExecutionMode,
        policy: FailurePolicy | None,
    ):
        self.steps = steps
        self.shape = shape
        self.values = values
        self.lifecycle = lifecycle
        self.policy = policy
        self.limit = mode.max_concurrency
        self.by_levels = mode.schedule == "levels"
        self.offload = mode.sync_nodes == "threads"
        self.pool: Any = None
        self.remaining = list(shape.indegree)
        self.running: dict[asyncio.Future, tuple[int, dict[str, Any]]] = {}  # task -> (step, its arguments)
        self.finished: deque[asyncio.Future] = deque()
        self.waiter: asyncio.Future | None = None
        self.ready: deque[int] = deque()
        self.held: list[tuple[int, int]] = []  # (level, index): the levels schedule's waiting room
        self.level = 0

    # -- the loop ------------------------------------------------------------------------------------
    async def run(self) -> None:
        for index, count in enumerate(self.remaining):
            if count == 0:
                self._make_ready(index)
        try:
            while self.ready or self.running or self.held:
                self._release_level()
                while self.ready and (self.limit is None or len(self.running) < self.limit):
                    await self._start(self.ready.popleft())
                if self.running:
                    await self._wait_for_one()
        except BaseException:
            await self._cancel_in_flight()
            raise
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    def _make_ready(self, index: int) -> None:
        if self.by_levels:
            heappush(self.held, (self.shape.levels[index], index))
        else:
            self.ready.append(index)

    def _release_level(self) -> None:
        """Levels schedule: move the nodes of the current depth to the ready queue; start the next
        depth only when nothing of this one is running or waiting."""
        if not self.held:
            return
        if not self.running and not self.ready and self.held[0][0] > self.level:
            self.level = self.held[0][0]
        while self.held and self.held[0][0] <= self.level:
            self.ready.append(heappop(self.held)[1])

    async def _start(self, index: int) -> None:
        step = self.steps[index]
        kwargs = {arg: self.values[arg] for arg in step.args}
        if self.policy is not None:
            kwargs = self.policy.arguments(step, kwargs, self.values)
            if kwargs is None:
                self._complete(index, UNAVAILABLE)
                return
        is_async = self.shape.is_async[index]
        lifecycle = self.lifecycle
        if not is_async and not self.offload and (lifecycle is None or not lifecycle.awaits):
            try:  # a plain node, inline
                result = step.function(**kwargs) if lifecycle is None else lifecycle.sync.run(step.node, kwargs)
            except Exception as error:
                self._failed(index, error, kwargs)
                return
            self._complete(index, result)
            return
        if not self.running and not self.ready and not self.held:  # the only work left: no task needed
            try:
                result = await self._call(index, kwargs)
            except Exception as error:
                self._failed(index, error, kwargs)
                return
            self._complete(index, result)
            return
        task = asyncio.ensure_future(self._call(index, kwargs))
        self.running[task] = (index, kwargs)
        task.add_done_callback(self._on_done)

    async def _call(self, index: int, kwargs: dict[str, Any]) -> Any:
        step = self.steps[index]
        is_async = self.shape.is_async[index]
        if self.lifecycle is not None:
            return await self.lifecycle.run(step.node, kwargs, is_async, self._pool() if self.offload else None)
        if is_async:
            return await step.function(**kwargs)
        if self.offload:
            return await _in_thread(self._pool(), step.function, kwargs)
        return step.function(**kwargs)

    def _pool(self) -> Any:
        if self.pool is None:
            from concurrent.futures import ThreadPoolExecutor

            # Offloaded nodes mostly wait (I/O, sleeps, GIL-releasing libraries): more threads than
            # the CPU-count default of ThreadPoolExecutor; threads start only as nodes need them.
            size = self.limit if self.limit is not None else DEFAULT_OFFLOAD_THREADS
            self.pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="hamilton-node")
        return self.pool

    def _on_done(self, task: asyncio.Future) -> None:
        self.finished.append(task)
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _wait_for_one(self) -> None:
        while not self.finished:
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
        self.waiter = None
        while self.finished:
            task = self.finished.popleft()
            index, kwargs = self.running.pop(task)
            if task.cancelled():
                raise asyncio.CancelledError()
            error = task.exception()
            if error is None:
                self._complete(index, task.result())
            elif isinstance(error, Exception):
                self._failed(index, error, kwargs)
            else:  # KeyboardInterrupt, SystemExit... in a node: the run stops
                raise error
                self._complete(index, task.result())

    # -- outcomes ------------------------------------------------------------------------------------
    def _complete(self, index: int, result: Any) -> None:
        self.values[self.steps[index].name] = result
        remaining = self.remaining
        for dependent in self.shape.dependents[index]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                self._make_ready(dependent)

    def _failed(self, index: int, error: Exception, kwargs: dict[str, Any]) -> None:
        step = self.steps[index]
        report_node_failure(error, step.node, kwargs)
        if self.policy is None:
            raise error
        self.policy.node_failed(step.name, error)  # raises unless the run goes on
        self._complete(index, UNAVAILABLE)

    async def _cancel_in_flight(self) -> None:
        tasks = list(self.running)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self.running.clear()


async def _in_thread(pool: Any, function: Any, kwargs: dict[str, Any]) -> Any:
    """``function(**kwargs)`` on ``pool``; the thread's result, awaited.

    The function runs in a copy of the caller's context, as ``asyncio.to_thread`` does: context
    variables that hooks set around a node (a logging adapter's node name, a tracker's run id)
    are visible to the node on its worker thread."""
    import contextvars
    import functools

    call = functools.partial(contextvars.copy_context().run, function, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool, call)


class AsyncNodeLifecycle:
    """One node's lifecycle on the event loop.

    Sync ``pre_node_execute`` hooks, then async ones; the node (through an async or sync
    ``do_node_execute`` if an adapter has one); then sync and async ``post_node_execute`` hooks,
    which see the awaited result. An adapter whose sync ``do_node_execute`` must see the awaited
    value of an ``async def`` node (a cache) also defines ``async def do_node_execute_async``
    with the same arguments; it is used for those nodes.
    """

    def __init__(self, adapter: LifecycleAdapterSet, run_id: str, task_id: str | None = None):
        self.run_id = run_id
        self.task_id = task_id
        self.sync = NodeLifecycle(adapter, run_id, task_id)
        self.pre_hooks = adapter.hooks_for("pre_node_execute", is_async=True)
        self.post_hooks = adapter.hooks_for("post_node_execute", is_async=True)
        async_method = adapter.method_for("do_node_execute", is_async=True)
        sync_method = self.sync.execute_method
        companion = getattr(getattr(sync_method, "__self__", None), "do_node_execute_async", None)
        self.async_nodes_method = async_method or companion or sync_method
        self.sync_nodes_method = async_method or sync_method
        self.awaits = bool(self.pre_hooks or self.post_hooks or async_method)  # sync nodes need the loop too

    async def run(self, node_: Node, kwargs: dict[str, Any], is_async: bool = True, pool: Any = None) -> Any:
        run_id, task_id = self.run_id, self.task_id
        self.sync.pre(node_, kwargs)
        hook = None
        try:
            for hook in self.pre_hooks:
                await hook(run_id=run_id, node_=node_, kwargs=kwargs, task_id=task_id)
        except Exception as error:
            note_hook_failure(error, hook, "pre_node_execute", node_.name)
            raise
        method = self.async_nodes_method if is_async else self.sync_nodes_method
        try:
            if method is not None:
                call_kwargs = dict(run_id=run_id, node_=node_, kwargs=kwargs, task_id=task_id)
                if pool is not None and not is_async and not is_coroutine_function(method):
                    result = await _in_thread(pool, method, call_kwargs)
                else:
                    result = method(**call_kwargs)
            elif pool is not None and not is_async:
                result = await _in_thread(pool, node_.callable, kwargs)
            else:
                result = node_.callable(**kwargs)
            if inspect.isawaitable(result):
                result = await result
        except Exception as error:
            await self.post(node_, kwargs, False, error, None)
            raise
        await self.post(node_, kwargs, True, None, result)
        return result

    async def post(
        self,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any,
    ) -> None:
        self.sync.post(node_, kwargs, success, error, result)
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
                    task_id=self.task_id,
                )
        except Exception as hook_error:
            note_hook_failure(hook_error, hook, "post_node_execute", node_.name)
            raise
