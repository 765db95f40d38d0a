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
from collections import deque
from typing import Any

from hamilton.execution.blocks import BlockUnit, Scope, Structure, TaskUnit, nodes_of
from hamilton.execution.grouping import NodeGroupPurpose, TaskImplementation
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
    """A worker process died while running a task (killed, out of memory, ``os._exit``...)."""


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

    Fires ``pre_task_execute``/``post_task_execute`` and the node hooks of its nodes.
    """
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
    try:
        _run_work(task.work, values, adapter, task.run_id, task.task_id)
        if hooked and task.purpose is _EXPAND:  # hooks see the items, as in 1.x (a generator runs once)
            _list_iterators(values, task.outputs_to_compute)
        results = {name: values[name] for name in task.outputs_to_compute}
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


def _run_work(work: TaskUnit | Scope, values: dict[str, Any], adapter: Any, run_id: str, task_id: str) -> None:
    if isinstance(work, TaskUnit):
        run_steps(work.steps, values, adapter, run_id=run_id, task_id=task_id)
        return
    for unit in work.units:
        if isinstance(unit, TaskUnit):
            run_steps(unit.steps, values, adapter, run_id=run_id, task_id=task_id)
        else:
            _run_nested_block(unit, values, adapter, run_id, task_id)


def _run_nested_block(unit: BlockUnit, values: dict[str, Any], adapter: Any, run_id: str, task_id: str) -> None:
    """A block inside a block instance: its items run here, one after the other."""
    expand_task_id = f"{task_id}.{unit.expand_id}"
    if unit.expander_step is not None:
        run_steps((unit.expander_step,), values, adapter, run_id=run_id, task_id=expand_task_id)
    items = values[unit.expander]
    results = []
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
        try:
            results.append(base_execute_task(instance))
        except Exception as error:
            _note_item(error, index, unit, instance.task_id)
            raise
    for name in unit.collected:
        values[name] = [result[name] for result in results]


def _back_off(waited: float) -> float:
    """Sleep a little longer each time an executor has no room (busy with others' work)."""
    import time

    delay = min(0.05, 0.001 + waited)
    time.sleep(delay)
    return waited + delay


def _yielded(unit: BlockUnit, items: Any) -> Any:
    """The items, one at a time; an error raised while producing one names the node and the item."""
    iterator = iter(items)
    index = 0
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
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
    ):
        self.structure = structure
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

    def run_to_completion(self, values: dict[str, Any]) -> None:
        """Run every task, with the manager's executors initialised around the run."""
        self.manager.init()
        try:
            self.run(values)
        finally:
            self.manager.finalize()

    def run(self, values: dict[str, Any]) -> None:
        if self.grouping_hooks:
            _fire(self.adapter, "post_task_group", run_id=self.run_id, task_ids=list(self.structure.task_ids))
        root = self.structure.root
        for unit, drops in zip(root.units, root.drops):
            if isinstance(unit, TaskUnit):
                self._run_single(unit, values)
            else:
                self._run_block(unit, values)
            for name in drops:
                values.pop(name, None)

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
        return TaskImplementation(
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
                crashed = WorkerCrashedError(
                    f"The worker process running task {task.task_id} (nodes {[n.name for n in task.nodes]}) died "
                    f"before returning ({error}). It was killed or crashed (out of memory, os._exit, a segfault "
                    "in an extension...); run with SynchronousLocalTaskExecutor to see the failure in-process."
                )
                self._returned(task, None, crashed)
                raise crashed from error
            self._returned(task, None, error)
            raise
        self._returned(task, result, None)
        return result

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

    def _run_single(self, unit: TaskUnit, values: dict[str, Any]) -> None:
        own = set(unit.names())
        inputs = {name: values[name] for name in unit.given}  # inputs and config the task hands on
        inputs.update((name, values[name]) for step in unit.steps for name in step.args if name not in own)
        gathers = any(node_._node_source is NodeType.COLLECT for node_ in unit.nodes)
        task = self._task(unit.base_id, unit.nodes, _GATHER if gathers else _SINGLE, unit.names(), inputs, unit)
        values.update(self._result(task, self._submit(task)))

    # -- fan-outs ------------------------------------------------------------------------------
    def _run_block(self, unit: BlockUnit, values: dict[str, Any]) -> None:
        expander = unit.expander
        if unit.expander_step is not None:
            step = unit.expander_step
            inputs = {name: values[name] for name in step.args}
            expand = self._task(
                unit.expand_id, [step.node], _EXPAND, (expander,), inputs, TaskUnit(unit.expand_id, [step], 0)
            )
            expand_task_id = expand.task_id
            expanded = self._result(expand, self._submit(expand), lambda got: self._expanded(got, unit, expand_task_id))
            items = expanded[expander]
        else:  # the Parallelizable node is overridden: its value is the items
            expand_task_id = unit.expand_id
            items = self._expanded({expander: values[expander]}, unit, expand_task_id)[expander]
        results = self._fan_out(unit, items, values, expand_task_id)
        for name in unit.collected:
            values[name] = [result[name] for result in results]
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

    def _item_result(self, unit: BlockUnit, index: int, task: TaskImplementation, future: Any) -> dict:
        try:
            return self._result(task, future)
        except Exception as error:
            _note_item(error, index, unit, task.task_id)
            raise
