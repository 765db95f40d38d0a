"""Running a plan as tasks: ``Parallelizable`` fan-outs, their blocks, ``Collect`` fan-ins.

The driver's thread walks the root scope of the :class:`~hamilton.execution.blocks.Structure`:
each unit outside the blocks is a task; each block unit runs its ``Parallelizable`` node, then
submits one task per item *while the node is still yielding* (at most as many in flight as the
executor accepts), and hands the per-item values, in yield order, to the ``Collect`` nodes.
Blocks nested in a block run inside the task of the outer item.

Task hooks fire as in 1.x: ``post_task_group`` once; per task ``pre_task_submission``,
``pre_task_execute`` (where it runs), the node hooks, ``post_task_execute``,
``post_task_expand`` (after a fan-out), ``post_task_return``.
"""

from __future__ import annotations

import contextlib
import heapq
from collections import deque
from collections.abc import Generator
from typing import Any

from hamilton._introspect import is_coroutine_function
from hamilton.execution.blocks import BlockUnit, Scope, Structure, TaskUnit, nodes_of
from hamilton.execution.grouping import NodeGroupPurpose, TaskImplementation
from hamilton.execution.outcome import (
    FAILED_NODE_ATTRIBUTE,
    UNAVAILABLE,
    FailurePolicy,
    TaskOutcome,
    failed_node_of,
    item_name,
)
from hamilton.execution.runner import has_node_hooks, note_hook_failure, run_steps
from hamilton.execution.state import TaskState
from hamilton.node import NodeType

_SINGLE = NodeGroupPurpose.EXECUTE_SINGLE
_GATHER = NodeGroupPurpose.GATHER
_EXPAND = NodeGroupPurpose.EXPAND_UNORDERED
_BLOCK = NodeGroupPurpose.EXECUTE_BLOCK
_NOTED_ITEM = "__hamilton_item_noted__"
_DONE = (TaskState.SUCCESSFUL, TaskState.FAILED)


class WorkerCrashedError(RuntimeError):
    """A worker process died while running a task (killed, out of memory, ``os._exit``...).

    ``task_id`` is the task that was running in the dead worker (``None`` when that cannot be
    told); ``in_flight`` lists every task that was running in a worker at the time.
    """

    task_id: str | None = None
    in_flight: list[str] = []  # set per instance


class RunCancelled(RuntimeError):
    """The run was cancelled (the coroutine awaiting it was); no further task was started."""


def _fire(adapter: Any, point: str, **kwargs: Any) -> None:
    hook = None
    try:
        for hook in adapter.hooks_for(point):
            hook(**kwargs)
    except Exception as error:
        note_hook_failure(error, hook, point)
        raise


def base_execute_task(task: TaskImplementation) -> dict[str, Any]:
    """Run ``task`` where it is (any process) and return the values of its ``outputs_to_compute``.

    Fires ``pre_task_execute``/``post_task_execute`` and the node hooks of its nodes; its
    ``async def`` nodes are awaited on this thread's event loop.
    """
    program = _task_program(task)
    try:
        batch = next(program)
        while True:
            steps, values, task_id, policy = batch
            try:
                run_steps(steps, values, task.adapter, run_id=task.run_id, task_id=task_id, policy=policy)
            except Exception as error:  # the program decides: hooks, item records, or re-raise
                batch = program.throw(error)
            else:
                batch = next(program)
    except StopIteration as done:
        return done.value


async def base_execute_task_async(task: TaskImplementation) -> dict[str, Any]:
    """:func:`base_execute_task` on the running event loop: the task's async nodes run as
    coroutines of that loop, so many tasks wait at once on one thread."""
    from hamilton.execution.async_runner import run_steps_async

    program = _task_program(task)
    try:
        batch = next(program)
        while True:
            steps, values, task_id, policy = batch
            try:
                await run_steps_async(steps, values, task.adapter, run_id=task.run_id, task_id=task_id, policy=policy)
            except Exception as error:
                batch = program.throw(error)
            else:
                batch = next(program)
    except StopIteration as done:
        return done.value


_async_work: dict[int, tuple[Any, bool]] = {}


def task_is_async(task: TaskImplementation) -> bool:
    """Whether a task has ``async def`` nodes (an executor may then run it on an event loop).

    Remembered per unit of work: every item of a parallel block asks about the same one.
    """
    work = task.work
    found = _async_work.get(id(work))
    if found is not None and found[0] is work:
        return found[1]
    if len(_async_work) > 512:
        _async_work.clear()
    answer = any(is_coroutine_function(step.function) for step in _steps_of(work))
    _async_work[id(work)] = (work, answer)
    return answer


Batch = tuple  # (steps, values, task_id, policy): what a task program asks its driver to run


def _task_program(task: TaskImplementation) -> Generator[Batch, None, dict[str, Any]]:
    """A task as a generator: it yields each batch of steps to run (the caller runs them, sync or
    awaited) and returns the task's results. One definition for both ways of running a task."""
    adapter = task.adapter
    hooked = bool(adapter) and (adapter.does_hook("pre_task_execute") or adapter.does_hook("post_task_execute"))
    about = (
        dict(
            run_id=task.run_id,
            task_id=task.task_id,
            nodes=task.nodes,
            spawning_task_id=task.spawning_task_id,
            purpose=task.purpose,
        )
        if hooked
        else None
    )
    if hooked:
        _fire(adapter, "pre_task_execute", inputs=task.dynamic_inputs, overrides=task.overrides, **about)
    values = dict(task.dynamic_inputs)
    policy = (
        FailurePolicy(_steps_of(task.work), task.keep_going, task.outputs_to_compute)
        if getattr(task, "guarded", False)
        else None
    )
    try:
        yield from _work_program(task.work, values, adapter, task.run_id, task.task_id, policy)
        if hooked and task.purpose is _EXPAND:  # hooks see the items, as in 1.x (a generator runs once)
            _list_iterators(values, task.outputs_to_compute)
        results = {name: values.get(name, UNAVAILABLE) for name in task.outputs_to_compute}
        if policy is not None and policy.keep_going and (policy.failures or policy.substituted):
            raise TaskOutcome(results, policy.failures, policy.skipped, policy.substituted)
    except Exception as error:
        if hooked:
            _fire(adapter, "post_task_execute", results=None, success=False, error=error, **about)
        raise
    if hooked:  # like 1.x, the task's inputs and everything it computed
        _fire(adapter, "post_task_execute", results=values, success=True, error=None, **about)
    return results


def _list_iterators(values: dict[str, Any], names: Any) -> None:
    for name in names:
        if hasattr(values[name], "__next__"):
            values[name] = list(values[name])


def _steps_of(work: TaskUnit | Scope) -> list:
    """Every step a task's work runs (nested blocks included)."""
    if isinstance(work, TaskUnit):
        return list(work.steps)
    found: list = []
    for unit in work.units:
        if isinstance(unit, TaskUnit):
            found.extend(unit.steps)
        else:
            if unit.expander_step is not None:
                found.append(unit.expander_step)
            found.extend(_steps_of(unit.scope))
    return found


def _work_program(
    work: TaskUnit | Scope,
    values: dict[str, Any],
    adapter: Any,
    run_id: str,
    task_id: str,
    policy: FailurePolicy | None,
) -> Generator[Batch, None, None]:
    if isinstance(work, TaskUnit):
        yield (work.steps, values, task_id, policy)
        return
    for unit in work.units:
        if isinstance(unit, TaskUnit):
            yield (unit.steps, values, task_id, policy)
        else:
            yield from _nested_block_program(unit, values, adapter, run_id, task_id, policy)


def _skip_block(unit: BlockUnit, values: dict[str, Any], policy: FailurePolicy, expander_ran: bool) -> None:
    """A block whose items cannot be produced: its nodes are skipped, its collected values unavailable."""
    names = [] if expander_ran else [unit.expander]
    names += [node_.name for node_ in nodes_of(unit)]
    policy.skipped.extend(name for name in names if name not in policy.failures)
    if not expander_ran:
        values[unit.expander] = UNAVAILABLE
    for name in unit.collected:
        values[name] = UNAVAILABLE


def _nested_block_program(
    unit: BlockUnit, values: dict[str, Any], adapter: Any, run_id: str, task_id: str, policy: FailurePolicy | None
) -> Generator[Batch, None, None]:
    """A block inside a block instance: its items run here, one after the other."""
    expand_task_id = f"{task_id}.{unit.expand_id}"
    if policy is not None and any(values.get(name) is UNAVAILABLE for name in unit.needs):
        _skip_block(unit, values, policy, expander_ran=False)
        return
    if unit.expander_step is not None:
        yield ((unit.expander_step,), values, expand_task_id, policy)
    items = values[unit.expander]
    if items is UNAVAILABLE:
        _skip_block(unit, values, policy, expander_ran=True)
        return
    results = []
    item_failed = False
    block_nodes = nodes_of(unit)
    for index, item in enumerate(items):
        inputs = {name: values[name] for name in unit.needs if name in values}
        inputs[unit.expander] = item
        instance = TaskImplementation(
            unit.block_id,
            unit.expand_id,
            block_nodes,
            _BLOCK,
            unit.collected,
            {},
            adapter,
            [],
            str(index),
            {},
            expand_task_id,
            inputs,
            run_id,
            unit.scope,
        )
        if policy is not None:
            instance.guarded, instance.keep_going = True, policy.keep_going
        try:
            results.append((yield from _task_program(instance)))
        except TaskOutcome as outcome:
            policy.merge(outcome, lambda name, index=index: item_name(name, index))
            results.append(outcome.results)
            item_failed = item_failed or not outcome.complete
        except Exception as error:
            _note_item(error, index, unit, instance.task_id)
            raise
    for name in unit.collected:
        values[name] = UNAVAILABLE if item_failed else [result[name] for result in results]


def _levels(dependencies: tuple[tuple[int, ...], ...]) -> list[int]:
    """Each root unit's depth: one more than the deepest unit it reads from."""
    levels: list[int] = []
    for needed in dependencies:
        levels.append(1 + max((levels[other] for other in needed), default=-1))
    return levels


def _wait_for_any(in_flight: dict[int, tuple[Any, Any]]) -> list[int]:
    """The positions of finished tasks among ``in_flight``, waiting until there is one."""
    futures = {position: future for position, (_, future) in in_flight.items()}
    python_futures = {getattr(future, "future", None): position for position, future in futures.items()}
    if None not in python_futures:  # all concurrent.futures: block on them, no polling
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(list(python_futures), return_when=FIRST_COMPLETED)
        return sorted(python_futures[future] for future in done)
    waited = 0.0
    while True:  # other TaskFutures only tell their state: poll, backing off
        done = [position for position, future in futures.items() if future.get_state() in _DONE]
        if done:
            return done
        waited = _back_off(waited)


def _back_off(waited: float) -> float:
    """Sleep a little longer each time an executor has no room (busy with others' work)."""
    import time

    delay = min(0.05, 0.001 + waited)
    time.sleep(delay)
    return waited + delay


def _yielded(unit: BlockUnit, items: Any) -> Any:
    """The items, one at a time; an error raised while producing one names the node and the item."""
    if hasattr(items, "__aiter__") and not hasattr(items, "__iter__"):
        node_ = unit.expander_step.node if unit.expander_step is not None else None
        where = f" ({node_.location()})" if node_ is not None else ""
        raise TypeError(
            f"Parallelizable node '{unit.expander}'{where} is an async generator, which Hamilton cannot fan out "
            "yet: make it an `async def` that returns a list of the items, or a plain generator."
        )
    iterator = iter(items)
    index = 0
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            with contextlib.suppress(AttributeError):  # keep-going runs record it as the node's failure
                setattr(error, FAILED_NODE_ATTRIBUTE, unit.expander)
            if hasattr(error, "add_note"):
                node_ = unit.expander_step.node if unit.expander_step is not None else None
                where = f" ({node_.location()})" if node_ is not None else ""
                error.add_note(
                    f"Hamilton: Parallelizable node '{unit.expander}'{where} raised while producing item {index}; "
                    f"{index} item(s) had been yielded."
                )
            raise
        yield item
        index += 1


def _note_item(error: BaseException, index: int, unit: BlockUnit, task_id: str) -> None:
    """Say which item of which fan-out failed (once, innermost first)."""
    if getattr(error, _NOTED_ITEM, False) or not hasattr(error, "add_note"):
        return
    error.add_note(
        f"Hamilton: item {index} of Parallelizable node '{unit.expander}' failed (task {task_id}). "
        "The other items were not collected; the run stops at the first failing item."
    )
    with contextlib.suppress(AttributeError):
        setattr(error, _NOTED_ITEM, True)


class DynamicRun:
    """One task-based run of a :class:`Structure`, in the driver's process."""

    def __init__(
        self,
        structure: Structure,
        adapter: Any,
        manager: Any,
        run_id: str,
        overrides: dict[str, Any],
        keep: frozenset[str] = frozenset(),
        policy: FailurePolicy | None = None,
        by_levels: bool = False,
    ):
        self.structure = structure
        self.by_levels = by_levels  # the "levels" schedule: root units released depth by depth
        self.policy = policy  # keep-going runs and fallbacks: failures recorded, downstream skipped
        self.cancelled = False
        self.values: dict[str, Any] = {}
        self.final_vars: list[str] = []
        self.keep = keep  # requested outputs: a requested Parallelizable node keeps its items as a list
        self.adapter = adapter
        self.manager = manager
        self.run_id = run_id
        self.overrides = overrides
        has = adapter.does_hook if adapter else (lambda name, is_async=None: False)
        self.submission_hooks = has("pre_task_submission")
        self.return_hooks = has("post_task_return")
        self.grouping_hooks = has("post_task_group") or has("post_task_expand")
        self.node_hooks = has_node_hooks(adapter)

    def prepare(self, values: dict[str, Any], final_vars: list[str]) -> None:
        """Seed the run (inputs, config, overrides) and say which values it returns."""
        self.values = values
        self.final_vars = list(final_vars)

    def cancel(self) -> None:
        """Start no further task (the tasks running finish; the run then raises :class:`RunCancelled`)."""
        self.cancelled = True

    def run_to_completion(self, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run every task, with the manager's executors initialised around the run; returns the
        requested outputs (raises :class:`hamilton.errors.PartialExecutionError` for a keep-going
        run with failures)."""
        from hamilton.execution.outcome import raise_for_outcome

        values = self.values if values is None else values
        self.manager.init()
        try:
            self.run(values)
        finally:
            self.manager.finalize()
        raise_for_outcome(self.policy, values, self.final_vars)
        return {name: values[name] for name in self.final_vars}

    def _check_cancelled(self) -> None:
        if self.cancelled:
            raise RunCancelled("The run was cancelled; no further task was started.")

    def run(self, values: dict[str, Any]) -> None:
        """Run the root units, each as soon as the units it reads from finished (``levels``: depth
        by depth). Tasks go to their executor and may run at the same time (a threaded local
        executor); a synchronous executor runs them one by one in plan order, as 1.x does.
        A block's fan-out runs in this thread while submitted tasks go on."""
        if self.grouping_hooks:
            _fire(self.adapter, "post_task_group", run_id=self.run_id, task_ids=list(self.structure.task_ids))
        structure = self.structure
        units = structure.root.units
        dependencies = structure.root_dependencies
        dependents: list[list[int]] = [[] for _ in units]
        for position, needed in enumerate(dependencies):
            for other in needed:
                dependents[other].append(position)
        remaining = [len(needed) for needed in dependencies]
        readers_left: dict[str, int] = {}
        for reads in structure.readers:
            for name in reads:
                readers_left[name] = readers_left.get(name, 0) + 1
        keep = self.keep | set(self.overrides)
        levels = _levels(dependencies) if self.by_levels else [0] * len(units)
        ready = [(levels[position], position) for position, count in enumerate(remaining) if count == 0]
        heapq.heapify(ready)  # by depth (levels schedule), then plan order
        in_flight: dict[int, tuple[TaskImplementation, Any]] = {}
        level = 0

        def finished(position: int) -> None:
            for name in structure.readers[position]:
                readers_left[name] -= 1
                if readers_left[name] == 0 and name not in keep:
                    values.pop(name, None)  # every reader is done with it
            for other in dependents[position]:
                remaining[other] -= 1
                if remaining[other] == 0:
                    heapq.heappush(ready, (levels[other], other))

        try:
            while ready or in_flight:
                self._check_cancelled()
                while ready and ready[0][0] <= level:
                    _, position = heapq.heappop(ready)
                    unit = units[position]
                    if isinstance(unit, BlockUnit):  # its fan-out runs here; submitted tasks go on meanwhile
                        self._run_block(unit, values)
                        finished(position)
                        continue
                    submitted = self._start_single(unit, values)
                    if submitted is None:  # skipped (keep-going)
                        finished(position)
                        continue
                    task, future = submitted
                    if future.get_state() in _DONE:  # a synchronous executor ran it already
                        self._finish_single(unit, task, future, values)
                        finished(position)
                    else:
                        in_flight[position] = (task, future)
                if in_flight:
                    for position in _wait_for_any(in_flight):
                        task, future = in_flight.pop(position)
                        self._finish_single(units[position], task, future, values)
                        finished(position)
                elif ready:  # levels: this depth is done, release the next
                    level = ready[0][0]
        except BaseException:
            for _, future in in_flight.values():
                cancel = getattr(future, "cancel", None)
                if cancel is not None:
                    cancel()
            raise

    # -- tasks -------------------------------------------------------------------------------
    def _task(
        self,
        base_id: str,
        nodes: list,
        purpose: NodeGroupPurpose,
        outputs: tuple[str, ...] | list[str],
        inputs: dict[str, Any],
        work: Any,
        group_id: str | None = None,
        spawning: tuple[str | None, str | None] = (None, None),
    ) -> TaskImplementation:
        spawning_base_id, spawning_task_id = spawning
        task = TaskImplementation(
            base_id,
            spawning_base_id,
            nodes,
            purpose,
            outputs,
            self.overrides,
            self.adapter,
            [],
            group_id,
            {},
            spawning_task_id,
            inputs,
            self.run_id,
            work,
        )
        if self.policy is not None:
            task.guarded, task.keep_going = True, self.policy.keep_going
        return task

    def _submit(self, task: TaskImplementation) -> Any:
        if self.submission_hooks:
            _fire(
                self.adapter,
                "pre_task_submission",
                run_id=self.run_id,
                task_id=task.task_id,
                nodes=task.nodes,
                inputs=task.dynamic_inputs,
                overrides=task.overrides,
                spawning_task_id=task.spawning_task_id,
                purpose=task.purpose,
            )
        return self.manager.get_executor_for_task(task).submit_task(task)

    def _result(self, task: TaskImplementation, future: Any, before_return: Any = None) -> dict[str, Any]:
        """The task's result; ``before_return(result)`` runs before ``post_task_return`` fires."""
        try:
            result = future.get_result()
            if before_return is not None:
                result = before_return(result)
        except Exception as error:
            if type(error).__name__ == "BrokenProcessPool":
                crashed = self._worker_crashed(task)
                self._returned(task, None, crashed)
                raise crashed from error
            self._returned(task, None, error)
            raise
        self._returned(task, result, None)
        return result

    def _worker_crashed(self, task: TaskImplementation) -> WorkerCrashedError:
        """The error for a task whose pool a dead worker broke. Every pending task of the pool fails
        alike, so ``task`` is only the one looked at first: the executor's record of what ran where
        names the culprit, or the error says it cannot be told and lists the tasks in flight."""
        executor = self.manager.get_executor_for_task(task)
        report = getattr(executor, "crash_report", None)
        report = report() if report is not None else None
        advice = (
            "It was killed or crashed (out of memory, os._exit, a segfault in an extension...); run with "
            "SynchronousLocalTaskExecutor to see the failure in-process."
        )
        in_flight = list(report.in_flight) if report is not None else []
        if report is not None and report.task_id is not None:
            others = [task_id for task_id in in_flight if task_id != report.task_id]
            message = (
                f"The worker process (pid {report.pid}) running task {report.task_id} died before returning "
                f"({report.exit_status}). {advice}"
            )
            if others:
                message += f" Stopped with it (not failed themselves): {', '.join(others)}."
            crashed = WorkerCrashedError(message)
        else:
            running = f"Tasks running at the time: {', '.join(in_flight)}." if in_flight else ""
            crashed = WorkerCrashedError(
                "A worker process died and the pool failed every pending task; which task it was running "
                f"cannot be told (the task looked at first was {task.task_id}, nodes "
                f"{[n.name for n in task.nodes]}). {running} {advice}".replace("  ", " ")
            )
        crashed.task_id = report.task_id if report is not None else None
        crashed.in_flight = in_flight
        return crashed

    def _returned(self, task: TaskImplementation, result: Any, error: BaseException | None) -> None:
        if self.return_hooks:
            _fire(
                self.adapter,
                "post_task_return",
                run_id=self.run_id,
                task_id=task.task_id,
                nodes=task.nodes,
                result=result,
                success=error is None,
                error=error,
                spawning_task_id=task.spawning_task_id,
                purpose=task.purpose,
            )

    def _start_single(self, unit: TaskUnit, values: dict[str, Any]) -> tuple[TaskImplementation, Any] | None:
        """Submit the unit's task; ``None`` when it is skipped (an input unavailable, no fallback)."""
        own = set(unit.names())
        inputs = {name: values[name] for name in unit.given}  # inputs and config the task hands on
        inputs.update((name, values[name]) for step in unit.steps for name in step.args if name not in own)
        gathers = any(node_._node_source is NodeType.COLLECT for node_ in unit.nodes)
        if self.policy is not None and not self._can_run(unit, inputs):
            self._skip(unit.names() if unit.steps else [], values)
            return None
        task = self._task(unit.base_id, unit.nodes, _GATHER if gathers else _SINGLE, unit.names(), inputs, unit)
        return task, self._submit(task)

    def _finish_single(self, unit: TaskUnit, task: TaskImplementation, future: Any, values: dict[str, Any]) -> None:
        """Take a finished task's values (or record its failure, in keep-going runs)."""
        if self.policy is None:
            values.update(self._result(task, future))
            return
        try:
            values.update(self._result(task, future))
        except TaskOutcome as outcome:
            self.policy.merge(outcome)
            values.update(outcome.results)
        except Exception as error:  # fail-fast with fallbacks: the run goes on when the failure is covered
            self.policy.node_failed(failed_node_of(error) or unit.base_id, error)
            values.update((name, UNAVAILABLE) for name in unit.names() if name not in unit.given)

    def _can_run(self, unit: TaskUnit, inputs: dict[str, Any]) -> bool:
        """Whether a task with unavailable inputs is worth starting: one of its nodes has a fallback
        for each of them."""
        missing = [name for name, value in inputs.items() if value is UNAVAILABLE]
        if not missing:
            return True
        fallbacks = self.policy.fallbacks
        return all(any(name in fallbacks.get(step.name, ()) for step in unit.steps) for name in missing)

    def _skip(self, names: Any, values: dict[str, Any]) -> None:
        if not self.policy.keep_going:  # fail-fast: an input is missing for good
            missing = next((name for name in self.policy.failures), None)
            raise self.policy.failures[missing] if missing else RuntimeError("Hamilton: an input was not computed.")
        for name in names:
            self.policy.skipped.append(name)
            values[name] = UNAVAILABLE

    # -- fan-outs ------------------------------------------------------------------------------
    def _run_block(self, unit: BlockUnit, values: dict[str, Any]) -> None:
        expander = unit.expander
        block_names = [node_.name for node_ in nodes_of(unit)]
        if self.policy is not None:
            reads = list(unit.expander_step.args) if unit.expander_step is not None else [expander]
            if any(values.get(name) is UNAVAILABLE for name in [*reads, *unit.needs]):
                self._skip([expander, *block_names] if unit.expander_step is not None else block_names, values)
                values.update((name, UNAVAILABLE) for name in unit.collected)
                return
        if unit.expander_step is not None:
            step = unit.expander_step
            inputs = {name: values[name] for name in step.args}
            expand = self._task(
                unit.expand_id, [step.node], _EXPAND, (expander,), inputs, TaskUnit(unit.expand_id, [step], 0)
            )
            expand_task_id = expand.task_id
            try:
                expanded = self._result(
                    expand, self._submit(expand), lambda got: self._expanded(got, unit, expand_task_id)
                )
            except Exception as error:
                if self.policy is None:
                    raise
                if isinstance(error, TaskOutcome):
                    self.policy.merge(error)
                else:
                    self.policy.node_failed(failed_node_of(error) or expander, error)
                values[expander] = UNAVAILABLE
                self._skip(block_names, values)
                values.update((name, UNAVAILABLE) for name in unit.collected)
                return
            items = expanded[expander]
        else:  # the Parallelizable node is overridden: its value is the items
            expand_task_id = unit.expand_id
            items = self._expanded({expander: values[expander]}, unit, expand_task_id)[expander]
        try:
            results = self._fan_out(unit, items, values, expand_task_id)
        except Exception as error:  # a generator that raised while yielding its items
            if self.policy is None or failed_node_of(error) != expander:
                raise
            self.policy.node_failed(expander, error)
            values[expander] = UNAVAILABLE
            self._skip(block_names, values)
            values.update((name, UNAVAILABLE) for name in unit.collected)
            return
        failed = any(result is None for result in results)
        for name in unit.collected:
            values[name] = UNAVAILABLE if failed else [result[name] for result in results]
        if expander in self.keep:
            values[expander] = items
        elif expander not in unit.collected:
            values[expander] = None  # the items were consumed; a generator cannot be iterated again

    def _expanded(self, result: dict[str, Any], unit: BlockUnit, expand_task_id: str) -> dict[str, Any]:
        """The items of a fan-out, listed when hooks must see them first (as in 1.x) or the node
        is an output; ``post_task_expand`` fires here, before the expand task's return."""
        items = result[unit.expander]
        if self.grouping_hooks or self.node_hooks or unit.expander in self.keep:
            items = list(items)
        if self.grouping_hooks:
            parameters = {str(index): item for index, item in enumerate(items)}
            _fire(self.adapter, "post_task_expand", run_id=self.run_id, task_id=expand_task_id, parameters=parameters)
        return {**result, unit.expander: items}

    def _fan_out(self, unit: BlockUnit, items: Any, values: dict[str, Any], expand_task_id: str) -> list[dict]:
        """Submit one task per item as items arrive; results in item order."""
        block_nodes = nodes_of(unit)
        outside = {name: values[name] for name in unit.needs if name in values}
        expander = unit.expander
        pending: deque = deque()
        results: list[dict] = []
        try:
            for index, item in enumerate(_yielded(unit, items)):
                self._check_cancelled()
                inputs = dict(outside)
                inputs[expander] = item
                task = self._task(
                    unit.block_id,
                    block_nodes,
                    _BLOCK,
                    unit.collected,
                    inputs,
                    unit.scope,
                    str(index),
                    (unit.expand_id, expand_task_id),
                )
                executor = self.manager.get_executor_for_task(task)
                waited = 0.0
                while not executor.can_submit_task():  # full: finish the oldest item, or wait for room
                    if pending:
                        results.append(self._item_result(unit, *pending.popleft()))
                    else:
                        waited = _back_off(waited)
                pending.append((index, task, self._submit(task)))
                while pending and pending[0][2].get_state() in _DONE:  # keep only what is still running
                    results.append(self._item_result(unit, *pending.popleft()))
            while pending:
                results.append(self._item_result(unit, *pending.popleft()))
        except BaseException:
            for _, _, future in pending:
                cancel = getattr(future, "cancel", None)
                if cancel is not None:
                    cancel()
            raise
        return results

    def _item_result(self, unit: BlockUnit, index: int, task: TaskImplementation, future: Any) -> dict | None:
        """An item's values; ``None`` for an item that failed in a keep-going run (recorded as ``node[i]``)."""
        try:
            return self._result(task, future)
        except TaskOutcome as outcome:
            self.policy.merge(outcome, lambda name: item_name(name, index))
            return outcome.results if outcome.complete else None
        except Exception as error:
            _note_item(error, index, unit, task.task_id)
            if self.policy is None or not self.policy.keep_going:
                raise
            self.policy.failures[item_name(failed_node_of(error) or unit.expander, index)] = error
            return None
