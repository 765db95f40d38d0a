"""Black-box conformance tests for dynamic execution, pinned to apache-hamilton 1.90.0.

Covers `Parallelizable`/`Collect` blocks run through `Builder().enable_dynamic_execution(allow_experimental_mode=True)`
with the three local executors (synchronous, threads, processes) and the Builder default; the Builder's dynamic
execution errors; `InvalidExecutorException` on non-dynamic drivers; the task lifecycle hooks (grouping, expansion,
submission, execution, return) together with node and graph hooks; `GracefulErrorAdapter` inside blocks; and the public
surface of `hamilton.execution.executors`, `hamilton.execution.grouping` and `hamilton.execution.state`.

All node functions live at module level so `MultiProcessingExecutor` can pickle them by reference into its (forked)
workers. Hook recorders keep only plain, picklable values because the adapter set travels with every task.
"""

import functools
import inspect
import multiprocessing
import os
import re
import threading
import time

import pytest

from hamilton import ad_hoc_utils, driver, lifecycle
from hamilton.execution import executors, grouping, state
from hamilton.execution.executors import (
    DefaultExecutionManager,
    ExecutionManager,
    MultiProcessingExecutor,
    MultiThreadingExecutor,
    SynchronousLocalTaskExecutor,
    TaskExecutor,
)
from hamilton.execution.grouping import NodeGroupPurpose
from hamilton.graph_types import HamiltonNode
from hamilton.htypes import Collect, Parallelizable
from hamilton.lifecycle import GracefulErrorAdapter

# ----------------------------------------------------------------------------------------------------------------
# node functions (module level so worker processes can unpickle them)


class BoomError(Exception):
    """Raised by failing nodes; module level so it survives the trip back from worker processes."""


def items(n: int) -> Parallelizable[int]:
    yield from range(n)


def doubled(items: int) -> int:
    return items * 2


def collected(doubled: Collect[int]) -> list:
    return list(doubled)


def slow_doubled(items: int, n: int) -> int:
    time.sleep(0.01 * (n - items))  # earlier items finish last
    return items * 2


def slow_collected(slow_doubled: Collect[int]) -> list:
    return list(slow_doubled)


def listed(n: int) -> Parallelizable[int]:
    return [i * 3 for i in range(n)]


def listed_plus_one(listed: int) -> int:
    return listed + 1


def listed_collected(listed_plus_one: Collect[int]) -> list:
    return list(listed_plus_one)


def ranged(n: int) -> Parallelizable[int]:
    return range(n)


def squared(ranged: int) -> int:
    return ranged * ranged


def squared_with_n(squared: Collect[int], n: int) -> dict:
    return {"n": n, "values": list(squared)}


def base(n: int) -> int:
    return n + 1


def values(base: int) -> Parallelizable[int]:
    for i in range(base):
        yield i * 10


def scaled(values: int, factor: int) -> int:
    return values * factor


def shifted(scaled: int, base: int) -> int:
    return scaled + base


def gathered(shifted: Collect[int]) -> list:
    return list(shifted)


def total(gathered: list, base: int) -> int:
    return sum(gathered) + base


def unrelated(n: int) -> str:
    return f"n={n}"


def checked(items: int) -> int:
    if items == 2:
        raise BoomError(f"bad item {items}")
    return items


def plus_one(checked: int) -> int:
    return checked + 1


def plus_one_collected(plus_one: Collect[int]) -> list:
    return list(plus_one)


def checked_collected(checked: Collect[int]) -> list:
    return list(checked)


def failing_items(n: int) -> Parallelizable[int]:
    for i in range(n):
        if i == 3:
            raise BoomError("expander failed")
        yield i


def failing_inner(failing_items: int) -> int:
    return failing_items * 10


def failing_gather(failing_inner: Collect[int]) -> list:
    return list(failing_inner)


def regrouped(collected: list) -> Parallelizable[int]:
    yield from collected


def regrouped_plus(regrouped: int) -> int:
    return regrouped + 1


def regrouped_collected(regrouped_plus: Collect[int]) -> list:
    return list(regrouped_plus)


def negative_items(n: int) -> Parallelizable[int]:
    yield from range(n)


def negated(negative_items: int) -> int:
    return -negative_items


def negated_collected(negated: Collect[int]) -> list:
    return list(negated)


def both(collected: list, negated_collected: list) -> list:
    return collected + negated_collected


def where(items: int) -> tuple:
    return (os.getpid(), threading.get_ident())


def where_collected(where: Collect[tuple]) -> dict:
    return {"block": list(where), "collector": (os.getpid(), threading.get_ident())}


def plain_a(x: int) -> int:
    return x + 1


def plain_b(plain_a: int) -> int:
    return plain_a * 2


# ----------------------------------------------------------------------------------------------------------------
# helpers


def processes_executor(max_tasks=3):
    """A MultiProcessingExecutor; workers only see the temporary modules when they are forked."""
    if multiprocessing.get_context().get_start_method() != "fork":
        pytest.skip("temporary modules can only be unpickled in workers started with 'fork'")
    return MultiProcessingExecutor(max_tasks=max_tasks)


EXECUTOR_FACTORIES = {
    "sync": SynchronousLocalTaskExecutor,
    "threads": lambda: MultiThreadingExecutor(max_tasks=3),
    "processes": processes_executor,
    "default": lambda: None,  # no with_remote_executor(): the Builder's MultiThreadingExecutor(max_tasks=10)
}

PIPELINE = (base, values, scaled, shifted, gathered, total, unrelated)


@pytest.fixture(params=list(EXECUTOR_FACTORIES))
def remote(request):
    """A fresh remote executor (or None for the Builder default)."""
    return EXECUTOR_FACTORIES[request.param]()


@pytest.fixture(params=["sync", "threads", "processes"])
def local_remote(request):
    """A fresh remote executor of each local kind (synchronous, threads, processes)."""
    return EXECUTOR_FACTORIES[request.param]()


def dynamic_driver(*fns, remote=None, config=None, adapters=()):
    builder = (
        driver.Builder()
        .with_modules(ad_hoc_utils.create_temporary_module(*fns))
        .enable_dynamic_execution(allow_experimental_mode=True)
    )
    if remote is not None:
        builder = builder.with_remote_executor(remote)
    if config:
        builder = builder.with_config(config)
    if adapters:
        builder = builder.with_adapters(*adapters)
    return builder.build()


def sync_driver(*fns, **kwargs):
    return dynamic_driver(*fns, remote=SynchronousLocalTaskExecutor(), **kwargs)


_DROPPED_KEYS = {"graph", "node_tags", "node_return_type", "node_input_types"}


class Recorder(
    lifecycle.GraphExecutionHook,
    lifecycle.TaskGroupingHook,
    lifecycle.TaskSubmissionHook,
    lifecycle.TaskExecutionHook,
    lifecycle.NodeExecutionHook,
    lifecycle.TaskReturnHook,
):
    """Records every hook call as (hook, kwargs) with picklable values only (nodes become names)."""

    def __init__(self):
        self.calls = []

    def _record(self, hook, kwargs):
        kept = {key: value for key, value in kwargs.items() if key not in _DROPPED_KEYS}
        if "nodes" in kept:
            kept["node_types"] = {type(node_) for node_ in kept["nodes"]}
            kept["nodes"] = [node_.name for node_ in kept["nodes"]]
        self.calls.append((hook, kept))

    def of(self, hook):
        return [kwargs for name, kwargs in self.calls if name == hook]

    def by_task(self, hook):
        return {kwargs["task_id"]: kwargs for kwargs in self.of(hook)}

    def run_before_graph_execution(self, **kwargs):
        self._record("before_graph", kwargs)

    def run_after_graph_execution(self, **kwargs):
        self._record("after_graph", kwargs)

    def run_after_task_grouping(self, **kwargs):
        self._record("grouping", kwargs)

    def run_after_task_expansion(self, **kwargs):
        self._record("expansion", kwargs)

    def run_before_task_submission(self, **kwargs):
        self._record("submission", kwargs)

    def run_before_task_execution(self, **kwargs):
        self._record("before_task", kwargs)

    def run_before_node_execution(self, **kwargs):
        self._record("before_node", kwargs)

    def run_after_node_execution(self, **kwargs):
        self._record("after_node", kwargs)

    def run_after_task_execution(self, **kwargs):
        self._record("after_task", kwargs)

    def run_after_task_return(self, **kwargs):
        self._record("return", kwargs)


class RecordingExecutor(TaskExecutor):
    """A synchronous executor that records its lifecycle and the tasks it receives."""

    def __init__(self, refuse_every_other=False):
        self.events = []
        self.refuse_every_other = refuse_every_other
        self._asked = 0

    def init(self):
        self.events.append("init")

    def finalize(self):
        self.events.append("finalize")

    def can_submit_task(self):
        self._asked += 1
        return not (self.refuse_every_other and self._asked % 2 == 1)

    def submit_task(self, task):
        self.events.append(task.task_id)
        return executors.TaskFutureWrappingFunction(functools.partial(executors.base_execute_task, task))

    def submitted(self):
        return [event for event in self.events if event not in ("init", "finalize")]


class SingleExecutorManager(ExecutionManager):
    """Routes every task to one executor."""

    def __init__(self, executor):
        super().__init__([executor])
        self.executor = executor

    def get_executor_for_task(self, task):
        return self.executor


# ----------------------------------------------------------------------------------------------------------------
# core semantics, over every local executor


def test_fan_out_and_collect_results(remote):
    """Each yielded item flows through the block and the collector receives all results."""
    dr = dynamic_driver(items, doubled, collected, remote=remote)
    assert dr.execute(["collected"], inputs={"n": 4}) == {"collected": [0, 2, 4, 6]}


def test_collect_preserves_yield_order_when_items_finish_out_of_order(remote):
    """The collector receives values in yield order even when later items finish first."""
    dr = dynamic_driver(items, slow_doubled, slow_collected, remote=remote)
    assert dr.execute(["slow_collected"], inputs={"n": 6}) == {"slow_collected": [0, 2, 4, 6, 8, 10]}


def test_list_returning_parallelizable(local_remote):
    """A Parallelizable node may return a list instead of yielding."""
    dr = dynamic_driver(listed, listed_plus_one, listed_collected, remote=local_remote)
    assert dr.execute(["listed_collected"], inputs={"n": 4}) == {"listed_collected": [1, 4, 7, 10]}


def test_zero_items_collect_receives_empty_list(local_remote):
    """An expander yielding nothing makes the collector receive []."""
    dr = dynamic_driver(items, doubled, collected, remote=local_remote)
    assert dr.execute(["collected"], inputs={"n": 0}) == {"collected": []}


def test_nodes_before_inside_and_after_the_block(local_remote):
    """Nodes before the expander, a chain inside the block using inputs and outside nodes, and nodes after it compute."""
    dr = dynamic_driver(*PIPELINE, remote=local_remote)
    assert dr.execute(["gathered", "total"], inputs={"n": 2, "factor": 3}) == {"gathered": [3, 33, 63], "total": 102}


def test_config_value_used_inside_the_block():
    """A config value feeds block nodes like an input."""
    dr = sync_driver(*PIPELINE, config={"factor": 5})
    assert dr.execute(["gathered"], inputs={"n": 1}) == {"gathered": [2, 52]}


def test_exception_in_a_block_item_propagates_unchanged(remote):
    """An exception raised by one item is re-raised by execute with its original type and message."""
    dr = dynamic_driver(items, checked, checked_collected, remote=remote)
    with pytest.raises(BoomError, match=re.escape("bad item 2")):
        dr.execute(["checked_collected"], inputs={"n": 5})


def test_graceful_error_adapter_replaces_failing_item_with_sentinel(local_remote):
    """With GracefulErrorAdapter the failing item becomes the sentinel and its downstream block nodes are skipped."""
    adapter = GracefulErrorAdapter(error_to_catch=BoomError, sentinel_value=None)
    dr = dynamic_driver(items, checked, plus_one, plus_one_collected, remote=local_remote, adapters=[adapter])
    assert dr.execute(["plus_one_collected"], inputs={"n": 5}) == {"plus_one_collected": [1, 2, None, 4, 5]}


# ----------------------------------------------------------------------------------------------------------------
# where tasks run


def test_threading_executor_runs_block_items_in_worker_threads():
    """With MultiThreadingExecutor block items run in other threads of the same process; the collector runs locally."""
    dr = dynamic_driver(items, where, where_collected, remote=MultiThreadingExecutor(max_tasks=2))
    result = dr.execute(["where_collected"], inputs={"n": 3})["where_collected"]
    assert {pid for pid, _ in result["block"]} == {os.getpid()}
    assert threading.get_ident() not in {ident for _, ident in result["block"]}
    assert result["collector"] == (os.getpid(), threading.get_ident())


def test_multiprocessing_executor_runs_block_items_in_worker_processes():
    """With MultiProcessingExecutor block items run in other processes; the collector runs in the driver process."""
    dr = dynamic_driver(items, where, where_collected, remote=processes_executor(max_tasks=2))
    result = dr.execute(["where_collected"], inputs={"n": 3})["where_collected"]
    assert os.getpid() not in {pid for pid, _ in result["block"]}
    assert result["collector"] == (os.getpid(), threading.get_ident())


# ----------------------------------------------------------------------------------------------------------------
# graph shapes and request variants (synchronous executor)


def test_parallelizable_may_return_any_iterable():
    """A Parallelizable node returning a range is expanded; the collector may take other parameters too."""
    dr = sync_driver(ranged, squared, squared_with_n)
    assert dr.execute(["squared_with_n"], inputs={"n": 4}) == {"squared_with_n": {"n": 4, "values": [0, 1, 4, 9]}}


def test_request_only_non_parallel_node():
    """Requesting a node unrelated to the block computes it without planning the block."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder])
    assert dr.execute(["unrelated"], inputs={"n": 2}) == {"unrelated": "n=2"}
    assert sorted(recorder.of("grouping")[0]["task_ids"]) == ["n", "unrelated"]


def test_request_collector_and_other_outputs_together():
    """The collector can be requested with nodes before/after the block and inputs; keys follow the request order."""
    dr = sync_driver(*PIPELINE)
    result = dr.execute(["total", "gathered", "unrelated", "base", "n"], inputs={"n": 2, "factor": 3})
    assert result == {"total": 102, "gathered": [3, 33, 63], "unrelated": "n=2", "base": 3, "n": 2}
    assert list(result) == ["total", "gathered", "unrelated", "base", "n"]


def test_expander_requested_directly_returns_the_item_list():
    """Requesting the Parallelizable node itself returns the list of its items."""
    dr = sync_driver(items, doubled, collected)
    assert dr.execute(["items"], inputs={"n": 3}) == {"items": [0, 1, 2]}


def test_override_node_before_the_block():
    """Overriding a node upstream of the expander changes the items; its own inputs are then not required."""
    dr = sync_driver(*PIPELINE)
    assert dr.execute(["total"], inputs={"factor": 3}, overrides={"base": 2}) == {"total": 36}


def test_override_collector_short_circuits_the_block():
    """Overriding the collector feeds the override downstream and no expansion happens."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder])
    assert dr.execute(["total"], inputs={"n": 2, "factor": 3}, overrides={"gathered": [1, 2]}) == {"total": 6}
    assert recorder.of("expansion") == []


def test_override_expander_with_a_list():
    """Overriding the Parallelizable node with a list expands over that list."""
    dr = sync_driver(*PIPELINE)
    result = dr.execute(["gathered"], inputs={"n": 2, "factor": 3}, overrides={"values": [5, 6]})
    assert result == {"gathered": [18, 21]}


def test_two_sequential_blocks():
    """A collector's result can feed a second Parallelizable block."""
    dr = sync_driver(items, doubled, collected, regrouped, regrouped_plus, regrouped_collected)
    assert dr.execute(["regrouped_collected"], inputs={"n": 3}) == {"regrouped_collected": [1, 3, 5]}


def test_two_independent_blocks_joined_after_collect():
    """Two independent blocks run in one execution and a node can combine both collectors."""
    dr = sync_driver(items, doubled, collected, negative_items, negated, negated_collected, both)
    assert dr.execute(["both"], inputs={"n": 3}) == {"both": [0, 2, 4, 0, -1, -2]}


def test_missing_required_input_raises_value_error():
    """A missing input is reported like in the default executor."""
    dr = sync_driver(items, doubled, collected)
    with pytest.raises(ValueError, match=re.escape("Required input n not provided for nodes:")):
        dr.execute(["collected"], inputs={})


def test_validate_execution_accepts_parallel_graph_on_dynamic_driver():
    """validate_execution returns None for a Parallelizable/Collect graph on a dynamic driver."""
    dr = sync_driver(items, doubled, collected)
    assert dr.validate_execution(["collected"], inputs={"n": 1}) is None


def test_exception_in_expander_propagates():
    """An exception raised while iterating the expander propagates unchanged."""
    dr = sync_driver(failing_items, failing_inner, failing_gather)
    with pytest.raises(BoomError, match=re.escape("expander failed")):
        dr.execute(["failing_gather"], inputs={"n": 5})


# ----------------------------------------------------------------------------------------------------------------
# Builder errors and configuration


def test_enable_dynamic_execution_requires_experimental_flag():
    """enable_dynamic_execution() without (or with a False) allow_experimental_mode raises ValueError."""
    with pytest.raises(ValueError, match=re.escape("Remote execution is currently experimental")):
        driver.Builder().enable_dynamic_execution()
    with pytest.raises(ValueError, match=re.escape("Remote execution is currently experimental")):
        driver.Builder().enable_dynamic_execution(allow_experimental_mode=False)


@pytest.mark.parametrize(
    ("method", "argument", "message"),
    [
        ("with_execution_manager", DefaultExecutionManager, "Cannot set execution manager without first enabling"),
        ("with_remote_executor", SynchronousLocalTaskExecutor, "Cannot set execution manager without first enabling"),
        ("with_local_executor", SynchronousLocalTaskExecutor, "Cannot set execution manager without first enabling"),
        ("with_grouping_strategy", grouping.GroupByRepeatableBlocks, "Cannot set grouping strategy without first"),
    ],
)
def test_executor_settings_require_dynamic_execution(method, argument, message):
    """Executor/grouping setters raise ValueError unless dynamic execution was enabled first."""
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(driver.Builder(), method)(argument())


@pytest.mark.parametrize(
    ("method", "argument", "message"),
    [
        ("with_execution_manager", DefaultExecutionManager, "Cannot set execution manager twice"),
        ("with_remote_executor", SynchronousLocalTaskExecutor, "Cannot set remote executor twice"),
        ("with_local_executor", SynchronousLocalTaskExecutor, "Cannot set local executor twice"),
        ("with_grouping_strategy", grouping.GroupByRepeatableBlocks, "Cannot set grouping strategy twice"),
    ],
)
def test_executor_settings_cannot_be_set_twice(method, argument, message):
    """Each executor/grouping setter raises ValueError when called a second time."""
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    getattr(builder, method)(argument())
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(builder, method)(argument())


def test_remote_executor_after_execution_manager_is_rejected():
    """with_remote_executor after with_execution_manager raises the 'disjoint' ValueError."""
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder.with_execution_manager(DefaultExecutionManager())
    with pytest.raises(
        ValueError, match=re.escape("Cannot set remote executor with execution manager set -- these are disjoint")
    ):
        builder.with_remote_executor(SynchronousLocalTaskExecutor())


def test_execution_manager_after_remote_executor_is_rejected():
    """with_execution_manager after with_remote_executor raises the 'disjoint' ValueError."""
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder.with_remote_executor(SynchronousLocalTaskExecutor())
    with pytest.raises(
        ValueError, match=re.escape("Cannot set execution manager with remote executor set -- these are disjoint")
    ):
        builder.with_execution_manager(DefaultExecutionManager())


def test_local_executor_after_execution_manager_is_rejected():
    """with_local_executor after with_execution_manager raises the 'disjoint' ValueError."""
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder.with_execution_manager(DefaultExecutionManager())
    with pytest.raises(
        ValueError, match=re.escape("Cannot set local executor with execution manager set -- these are disjoint")
    ):
        builder.with_local_executor(SynchronousLocalTaskExecutor())


def test_builder_dynamic_defaults():
    """The dynamic driver defaults to a synchronous local executor, 10 worker threads remote, repeatable blocks."""
    dr = driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(items)).build()
    assert isinstance(dr.graph_executor, driver.DefaultGraphExecutor)
    dr = dynamic_driver(items, doubled, collected)
    assert isinstance(dr.graph_executor, driver.TaskBasedGraphExecutor)
    manager = dr.graph_executor.execution_manager
    assert type(manager) is DefaultExecutionManager
    assert type(manager.local_executor) is SynchronousLocalTaskExecutor
    assert type(manager.remote_executor) is MultiThreadingExecutor
    assert manager.remote_executor.max_tasks == 10
    assert type(dr.graph_executor.grouping_strategy) is grouping.GroupByRepeatableBlocks


# ----------------------------------------------------------------------------------------------------------------
# non-dynamic drivers


def _static_driver(*fns):
    return driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(*fns)).build()


def test_non_dynamic_driver_builds_a_parallel_graph():
    """Building a driver over Parallelizable/Collect nodes without dynamic execution succeeds."""
    dr = _static_driver(items, doubled, collected)
    assert {var.name for var in dr.list_available_variables()} == {"n", "items", "doubled", "collected"}


def test_non_dynamic_driver_execute_raises_invalid_executor():
    """Executing a Parallelizable/Collect graph on a non-dynamic driver raises InvalidExecutorException."""
    dr = _static_driver(items, doubled, collected)
    with pytest.raises(
        driver.InvalidExecutorException,
        match=re.escape("Default graph executor cannot handle parallelizable[]/collect[] nodes."),
    ):
        dr.execute(["collected"], inputs={"n": 2})


def test_non_dynamic_driver_validate_execution_raises_invalid_executor():
    """validate_execution raises InvalidExecutorException for a parallel graph on a non-dynamic driver."""
    dr = _static_driver(items, doubled, collected)
    with pytest.raises(
        driver.InvalidExecutorException,
        match=re.escape("Default graph executor cannot handle parallelizable[]/collect[] nodes."),
    ):
        dr.validate_execution(["collected"], inputs={"n": 2})


def test_non_dynamic_driver_rejects_requesting_the_expander():
    """Requesting only the Parallelizable node on a non-dynamic driver raises InvalidExecutorException naming it."""
    dr = _static_driver(items, doubled, collected)
    with pytest.raises(driver.InvalidExecutorException, match=re.escape("Node items defined by functions: ['items']")):
        dr.execute(["items"], inputs={"n": 2})


def test_non_dynamic_driver_runs_non_parallel_part():
    """Nodes outside any block still execute on a non-dynamic driver."""
    dr = _static_driver(*PIPELINE)
    assert dr.execute(["base", "unrelated"], inputs={"n": 2}) == {"base": 3, "unrelated": "n=2"}


# ----------------------------------------------------------------------------------------------------------------
# hooks


def _block_ids(count, expander="items"):
    return [f"expand-{expander}.{i}.block-{expander}" for i in range(count)]


@pytest.mark.parametrize("kind", ["sync", "threads"])
def test_node_hook_task_ids(kind):
    """Node hooks get the node's task id: plain name outside, expand-/block-/collect- ids for the block."""
    recorder = Recorder()
    dr = dynamic_driver(*PIPELINE, remote=EXECUTOR_FACTORIES[kind](), adapters=[recorder])
    dr.execute(["total"], inputs={"n": 1, "factor": 3})
    seen = {}
    for call in recorder.of("before_node"):
        seen.setdefault(call["node_name"], []).append(call["task_id"])
    assert {name: sorted(ids) for name, ids in seen.items()} == {
        "base": ["base"],
        "values": ["expand-values"],
        "scaled": _block_ids(2, "values"),
        "shifted": _block_ids(2, "values"),
        "gathered": ["collect-values"],
        "total": ["total"],
    }


def test_node_hooks_see_expander_result_as_list():
    """After-node hooks see the expander's result materialized as a list, and block nodes their single item."""
    recorder = Recorder()
    dr = sync_driver(items, doubled, collected, adapters=[recorder])
    dr.execute(["collected"], inputs={"n": 3})
    after = {(call["node_name"], call["task_id"]): call for call in recorder.of("after_node")}
    assert after[("items", "expand-items")]["result"] == [0, 1, 2]
    assert after[("doubled", "expand-items.1.block-items")]["node_kwargs"] == {"items": 1}
    assert after[("doubled", "expand-items.1.block-items")]["result"] == 2
    assert after[("collected", "collect-items")]["node_kwargs"] == {"doubled": [0, 2, 4]}


def test_run_id_is_shared_by_every_hook_of_one_execution():
    """Graph, grouping, task and node hooks of one execute all receive the same string run_id."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder])
    dr.execute(["total"], inputs={"n": 1, "factor": 3})
    run_ids = {kwargs["run_id"] for _, kwargs in recorder.calls}
    assert len(run_ids) == 1
    assert isinstance(run_ids.pop(), str)


def test_task_grouping_hook_lists_base_task_ids():
    """run_after_task_grouping gets expand-/block-/collect- ids plus one task per other node, inputs and config."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder], config={"factor": 3})
    dr.execute(["total"], inputs={"n": 1})
    (grouping_call,) = recorder.of("grouping")
    assert sorted(grouping_call["task_ids"]) == sorted(
        ["expand-values", "block-values", "collect-values", "base", "total", "n", "factor"]
    )


def test_task_expansion_hook_parameters():
    """run_after_task_expansion gets the expand task id and {'0': item0, '1': item1, ...}."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder])
    dr.execute(["gathered"], inputs={"n": 2, "factor": 3})
    (expansion,) = recorder.of("expansion")
    assert expansion["task_id"] == "expand-values"
    assert expansion["parameters"] == {"0": 0, "1": 10, "2": 20}


def test_task_expansion_hook_with_zero_items():
    """With zero items the expansion hook gets {} and no block task is submitted."""
    recorder = Recorder()
    dr = sync_driver(items, doubled, collected, adapters=[recorder])
    dr.execute(["collected"], inputs={"n": 0})
    assert [call["parameters"] for call in recorder.of("expansion")] == [{}]
    assert [call["task_id"] for call in recorder.of("submission")] == ["n", "expand-items", "collect-items"]


def test_task_execution_hook_before_arguments():
    """run_before_task_execution gets task id, purpose, spawning task id, HamiltonNodes and bound inputs per task."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder], config={"factor": 3})
    dr.execute(["total"], inputs={"n": 1})
    before = recorder.by_task("before_task")
    assert {node_type for call in before.values() for node_type in call["node_types"]} == {HamiltonNode}
    summary = {
        task_id: (call["purpose"], call["spawning_task_id"], sorted(call["nodes"]), call["inputs"], call["overrides"])
        for task_id, call in before.items()
    }
    assert summary == {
        "n": (NodeGroupPurpose.EXECUTE_SINGLE, None, ["n"], {"n": 1}, {}),
        "factor": (NodeGroupPurpose.EXECUTE_SINGLE, None, ["factor"], {"factor": 3}, {}),
        "base": (NodeGroupPurpose.EXECUTE_SINGLE, None, ["base"], {"n": 1}, {}),
        "expand-values": (NodeGroupPurpose.EXPAND_UNORDERED, None, ["values"], {"base": 2}, {}),
        "expand-values.0.block-values": (
            NodeGroupPurpose.EXECUTE_BLOCK,
            "expand-values",
            ["scaled", "shifted"],
            {"values": 0, "factor": 3, "base": 2},
            {},
        ),
        "expand-values.1.block-values": (
            NodeGroupPurpose.EXECUTE_BLOCK,
            "expand-values",
            ["scaled", "shifted"],
            {"values": 10, "factor": 3, "base": 2},
            {},
        ),
        "collect-values": (NodeGroupPurpose.GATHER, None, ["gathered"], {"shifted": [2, 32]}, {}),
        "total": (NodeGroupPurpose.EXECUTE_SINGLE, None, ["total"], {"gathered": [2, 32], "base": 2}, {}),
    }


def test_task_execution_hook_after_arguments():
    """run_after_task_execution reports success and a results dict holding the task's inputs and computed nodes."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder], config={"factor": 3})
    dr.execute(["total"], inputs={"n": 1})
    after = recorder.by_task("after_task")
    assert {task_id: (call["success"], call["error"]) for task_id, call in after.items()} == dict.fromkeys(
        after, (True, None)
    )
    assert after["n"]["results"] == {"n": 1}
    assert after["base"]["results"] == {"n": 1, "base": 2}
    assert after["expand-values"]["results"] == {"base": 2, "values": [0, 10]}
    assert after["expand-values.1.block-values"]["results"] == {
        "values": 10,
        "factor": 3,
        "base": 2,
        "scaled": 30,
        "shifted": 32,
    }
    assert after["collect-values"]["results"] == {"shifted": [2, 32], "gathered": [2, 32]}
    assert after["total"]["results"] == {"gathered": [2, 32], "base": 2, "total": 36}


def test_task_submission_hook_arguments():
    """run_before_task_submission gets the same task identity and bound inputs, in the driver process."""
    recorder = Recorder()
    dr = sync_driver(items, doubled, collected, adapters=[recorder])
    dr.execute(["collected"], inputs={"n": 2})
    summary = [
        (call["task_id"], call["purpose"], call["spawning_task_id"], call["nodes"], call["inputs"], call["overrides"])
        for call in recorder.of("submission")
    ]
    assert summary == [
        ("n", NodeGroupPurpose.EXECUTE_SINGLE, None, ["n"], {"n": 2}, {}),
        ("expand-items", NodeGroupPurpose.EXPAND_UNORDERED, None, ["items"], {"n": 2}, {}),
        ("expand-items.0.block-items", NodeGroupPurpose.EXECUTE_BLOCK, "expand-items", ["doubled"], {"items": 0}, {}),
        ("expand-items.1.block-items", NodeGroupPurpose.EXECUTE_BLOCK, "expand-items", ["doubled"], {"items": 1}, {}),
        ("collect-items", NodeGroupPurpose.GATHER, None, ["collected"], {"doubled": [0, 2]}, {}),
    ]


def test_task_return_hook_arguments():
    """run_after_task_return gets success and the task's outputs (only the values other tasks need)."""
    recorder = Recorder()
    dr = sync_driver(items, doubled, collected, adapters=[recorder])
    dr.execute(["collected"], inputs={"n": 2})
    returned = recorder.by_task("return")
    assert sorted(returned) == sorted(["n", "expand-items", *_block_ids(2), "collect-items"])
    assert {task_id: (call["success"], call["error"]) for task_id, call in returned.items()} == dict.fromkeys(
        returned, (True, None)
    )
    assert returned["n"]["result"] == {"n": 2}
    assert returned["expand-items.0.block-items"]["result"] == {"doubled": 0}
    assert returned["expand-items.1.block-items"]["result"] == {"doubled": 2}
    assert returned["collect-items"]["result"] == {"collected": [0, 2]}
    assert returned["expand-items.1.block-items"]["purpose"] == NodeGroupPurpose.EXECUTE_BLOCK
    assert returned["expand-items.1.block-items"]["spawning_task_id"] == "expand-items"


def test_exact_hook_order_with_synchronous_executor():
    """With the synchronous executor hooks run: graph, grouping, then per task submit/execute/(expand)/return."""
    recorder = Recorder()
    dr = sync_driver(items, doubled, collected, adapters=[recorder])
    dr.execute(["collected"], inputs={"n": 2})

    def task(task_id, *node_hooks, expand=False):
        return [
            ("submission", task_id),
            ("before_task", task_id),
            *[(hook, task_id) for hook in node_hooks],
            ("after_task", task_id),
            *([("expansion", task_id)] if expand else []),
            ("return", task_id),
        ]

    node = ("before_node", "after_node")
    assert [(hook, kwargs.get("task_id")) for hook, kwargs in recorder.calls] == [
        ("before_graph", None),
        ("grouping", None),
        *task("n"),
        *task("expand-items", *node, expand=True),
        *task("expand-items.0.block-items", *node),
        *task("expand-items.1.block-items", *node),
        *task("collect-items", *node),
        ("after_graph", None),
    ]


def test_graph_execution_hooks_around_a_dynamic_run():
    """Graph hooks wrap a dynamic run with final vars, inputs, the execution path and the built result."""
    recorder = Recorder()
    dr = sync_driver(*PIPELINE, adapters=[recorder])
    dr.execute(["total"], inputs={"n": 1, "factor": 3})
    (before,) = recorder.of("before_graph")
    (after,) = recorder.of("after_graph")
    assert before["final_vars"] == ["total"]
    assert before["inputs"] == {"n": 1, "factor": 3}
    assert before["overrides"] is None
    assert sorted(before["execution_path"]) == ["base", "gathered", "scaled", "shifted", "total", "values"]
    assert (after["success"], after["error"], after["results"]) == (True, None, {"total": 36})


def test_hooks_on_a_failing_block_item():
    """A failing item reports success=False with the error to node, task, return and graph hooks."""
    recorder = Recorder()
    dr = sync_driver(items, checked, checked_collected, adapters=[recorder])
    with pytest.raises(BoomError) as raised:
        dr.execute(["checked_collected"], inputs={"n": 4})
    failing = "expand-items.2.block-items"
    (node_call,) = [call for call in recorder.of("after_node") if call["task_id"] == failing]
    assert (node_call["success"], node_call["error"], node_call["result"]) == (False, raised.value, None)
    task_call = recorder.by_task("after_task")[failing]
    assert (task_call["success"], task_call["error"], task_call["results"]) == (False, raised.value, None)
    return_call = recorder.by_task("return")[failing]
    assert (return_call["success"], return_call["error"], return_call["result"]) == (False, raised.value, None)
    (graph_call,) = recorder.of("after_graph")
    assert (graph_call["success"], graph_call["error"], graph_call["results"]) == (False, raised.value, None)
    assert "collect-items" not in recorder.by_task("submission")


def test_synchronous_executor_stops_submitting_after_a_failing_item():
    """With the synchronous executor items after the failing one are never submitted."""
    recorder = Recorder()
    dr = sync_driver(items, checked, checked_collected, adapters=[recorder])
    with pytest.raises(BoomError):
        dr.execute(["checked_collected"], inputs={"n": 5})
    assert [call["task_id"] for call in recorder.of("submission")] == ["n", "expand-items", *_block_ids(3)]


def test_multiprocessing_submission_and_return_hooks_run_in_the_driver():
    """With MultiProcessingExecutor, submission and return hooks still fire in the driver for every task."""
    recorder = Recorder()
    dr = dynamic_driver(items, doubled, collected, remote=processes_executor(max_tasks=2), adapters=[recorder])
    assert dr.execute(["collected"], inputs={"n": 3}) == {"collected": [0, 2, 4]}
    expected = sorted(["n", "expand-items", *_block_ids(3), "collect-items"])
    assert sorted(call["task_id"] for call in recorder.of("submission")) == expected
    assert sorted(call["task_id"] for call in recorder.of("return")) == expected
    local_node_tasks = {call["task_id"] for call in recorder.of("before_node") if "block" not in call["task_id"]}
    assert local_node_tasks == {"expand-items", "collect-items"}


# ----------------------------------------------------------------------------------------------------------------
# GracefulErrorAdapter inside blocks


@pytest.mark.parametrize("try_all_parallel", [True, False])
def test_graceful_failing_block_item_is_independent_of_try_all_parallel(try_all_parallel):
    """A failing block item becomes the sentinel whatever try_all_parallel says."""
    adapter = GracefulErrorAdapter(error_to_catch=BoomError, sentinel_value=-1, try_all_parallel=try_all_parallel)
    dr = sync_driver(items, checked, checked_collected, adapters=[adapter])
    assert dr.execute(["checked_collected"], inputs={"n": 5}) == {"checked_collected": [0, 1, -1, 3, 4]}


def test_graceful_failing_expander_keeps_earlier_items_with_try_all_parallel():
    """try_all_parallel=True keeps items yielded before the failure and appends one sentinel item."""
    adapter = GracefulErrorAdapter(error_to_catch=BoomError, sentinel_value=None, try_all_parallel=True)
    dr = sync_driver(failing_items, failing_inner, failing_gather, adapters=[adapter])
    assert dr.execute(["failing_gather"], inputs={"n": 5}) == {"failing_gather": [0, 10, 20, None]}


def test_graceful_failing_expander_yields_only_sentinel_without_try_all_parallel():
    """try_all_parallel=False replaces the whole expansion by a single sentinel item."""
    adapter = GracefulErrorAdapter(error_to_catch=BoomError, sentinel_value=None, try_all_parallel=False)
    dr = sync_driver(failing_items, failing_inner, failing_gather, adapters=[adapter])
    assert dr.execute(["failing_gather"], inputs={"n": 5}) == {"failing_gather": [None]}


def test_graceful_sentinel_item_skips_block_nodes():
    """The sentinel item of a failed expander is passed through block nodes unchanged (they are skipped)."""
    adapter = GracefulErrorAdapter(error_to_catch=BoomError, sentinel_value=-1, try_all_parallel=True)
    dr = sync_driver(failing_items, failing_inner, failing_gather, adapters=[adapter])
    assert dr.execute(["failing_gather"], inputs={"n": 5}) == {"failing_gather": [0, 10, 20, -1]}


# ----------------------------------------------------------------------------------------------------------------
# hamilton.execution public surface


def test_executors_module_public_names():
    """hamilton.execution.executors exposes the executor, manager and future classes and helper functions."""
    expected = {
        "TaskExecutor",
        "TaskFuture",
        "SynchronousLocalTaskExecutor",
        "PoolExecutor",
        "MultiThreadingExecutor",
        "MultiProcessingExecutor",
        "ExecutionManager",
        "DefaultExecutionManager",
        "TaskFutureWrappingFunction",
        "TaskFutureWrappingPythonFuture",
        "base_execute_task",
        "run_graph_to_completion",
    }
    assert expected <= set(dir(executors))


def _signature_shape(obj):
    return [(p.name, p.kind, p.default) for p in inspect.signature(obj).parameters.values()]


def test_executor_constructor_signatures():
    """Constructors: SynchronousLocalTaskExecutor(), pools (max_tasks: int), managers' executor parameters."""
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert _signature_shape(SynchronousLocalTaskExecutor) == []
    for pool in (executors.PoolExecutor, MultiThreadingExecutor, MultiProcessingExecutor):
        assert _signature_shape(pool) == [("max_tasks", positional, inspect.Parameter.empty)]
    assert inspect.signature(MultiThreadingExecutor).parameters["max_tasks"].annotation is int
    assert MultiThreadingExecutor(max_tasks=7).max_tasks == 7
    assert _signature_shape(ExecutionManager) == [("executors", positional, inspect.Parameter.empty)]
    assert _signature_shape(DefaultExecutionManager) == [
        ("local_executor", positional, None),
        ("remote_executor", positional, None),
    ]


def test_executor_class_hierarchy_and_abstractness():
    """Pool executors derive from PoolExecutor/TaskExecutor; the bases are abstract."""
    assert issubclass(MultiThreadingExecutor, executors.PoolExecutor)
    assert issubclass(MultiProcessingExecutor, executors.PoolExecutor)
    assert issubclass(executors.PoolExecutor, TaskExecutor)
    assert issubclass(SynchronousLocalTaskExecutor, TaskExecutor)
    assert issubclass(DefaultExecutionManager, ExecutionManager)
    assert inspect.isabstract(TaskExecutor)
    assert inspect.isabstract(executors.PoolExecutor)
    assert inspect.isabstract(ExecutionManager)
    assert not inspect.isabstract(DefaultExecutionManager)


def test_default_execution_manager_defaults():
    """DefaultExecutionManager() uses a synchronous local executor and MultiProcessingExecutor(max_tasks=5) remote."""
    manager = DefaultExecutionManager()
    assert type(manager.local_executor) is SynchronousLocalTaskExecutor
    assert type(manager.remote_executor) is MultiProcessingExecutor
    assert manager.remote_executor.max_tasks == 5
    assert manager.executors == [manager.local_executor, manager.remote_executor]


def test_default_execution_manager_routes_block_tasks_to_remote():
    """DefaultExecutionManager sends EXECUTE_BLOCK tasks to the remote executor and everything else to local."""
    local, remote_executor = RecordingExecutor(), RecordingExecutor()
    manager = DefaultExecutionManager(local_executor=local, remote_executor=remote_executor)
    dr = (
        driver.Builder()
        .with_modules(ad_hoc_utils.create_temporary_module(items, doubled, collected))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_execution_manager(manager)
        .build()
    )
    assert dr.execute(["collected"], inputs={"n": 2}) == {"collected": [0, 2]}
    assert local.submitted() == ["n", "expand-items", "collect-items"]
    assert remote_executor.submitted() == _block_ids(2)


def test_builder_local_and_remote_executors_are_used():
    """with_local_executor/with_remote_executor plug executors into the default routing."""
    local, remote_executor = RecordingExecutor(), RecordingExecutor()
    dr = (
        driver.Builder()
        .with_modules(ad_hoc_utils.create_temporary_module(*PIPELINE))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_local_executor(local)
        .with_remote_executor(remote_executor)
        .build()
    )
    assert dr.execute(["gathered"], inputs={"n": 1, "factor": 3}) == {"gathered": [2, 32]}
    assert sorted(local.submitted()) == sorted(["n", "factor", "base", "expand-values", "collect-values"])
    assert remote_executor.submitted() == _block_ids(2, "values")


def test_custom_execution_manager_receives_every_task():
    """A custom ExecutionManager decides the executor of every task."""
    executor = RecordingExecutor()
    dr = (
        driver.Builder()
        .with_modules(ad_hoc_utils.create_temporary_module(items, doubled, collected))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_execution_manager(SingleExecutorManager(executor))
        .build()
    )
    assert dr.execute(["collected"], inputs={"n": 2}) == {"collected": [0, 2]}
    assert executor.events == ["init", "n", "expand-items", *_block_ids(2), "collect-items", "finalize"]


def test_executors_are_initialised_and_finalised_once_per_execute():
    """Every executor gets init() before and finalize() after each execute, also when a task fails."""
    executor = RecordingExecutor()
    dr = dynamic_driver(items, doubled, collected, remote=executor)
    dr.execute(["collected"], inputs={"n": 1})
    dr.execute(["collected"], inputs={"n": 0})
    assert executor.events == ["init", "expand-items.0.block-items", "finalize", "init", "finalize"]
    failing = RecordingExecutor()
    dr = dynamic_driver(items, checked, checked_collected, remote=failing)
    with pytest.raises(BoomError):
        dr.execute(["checked_collected"], inputs={"n": 3})
    assert failing.events == ["init", *_block_ids(3), "finalize"]


def test_executor_refusing_a_task_gets_it_again():
    """When can_submit_task() returns False the task is offered again later and the run still completes."""
    executor = RecordingExecutor(refuse_every_other=True)
    dr = dynamic_driver(items, doubled, collected, remote=executor)
    assert dr.execute(["collected"], inputs={"n": 3}) == {"collected": [0, 2, 4]}
    assert executor.submitted() == _block_ids(3)


def test_node_group_purpose_values():
    """NodeGroupPurpose has four lower-case members; is_expander()/is_gatherer() match EXPAND_UNORDERED/GATHER."""
    assert {member.name: member.value for member in NodeGroupPurpose} == {
        "EXPAND_UNORDERED": "expand_unordered",
        "GATHER": "gather",
        "EXECUTE_BLOCK": "execute_block",
        "EXECUTE_SINGLE": "execute_single",
    }
    assert [member.is_expander() for member in NodeGroupPurpose] == [True, False, False, False]
    assert [member.is_gatherer() for member in NodeGroupPurpose] == [False, True, False, False]


def test_task_state_values():
    """TaskState members and values; GraphState is an alias of TaskState."""
    assert [(member.name, member.value) for member in state.TaskState] == [
        ("QUEUED", "queued"),
        ("UNINITIALIZED", "uninitialized"),
        ("INITIALIZED", "initialized"),
        ("RUNNING", "running"),
        ("SUCCESSFUL", "successful"),
        ("FAILED", "failed"),
    ]
    assert state.GraphState is state.TaskState
    assert [member for member in state.TaskState if state.TaskState.is_terminal(member)] == [
        state.TaskState.SUCCESSFUL,
        state.TaskState.FAILED,
    ]


def test_group_all_as_one_strategy_runs_a_single_root_task():
    """GroupNodesAllAsOne puts every node of a non-parallel graph into one task named 'root'."""
    recorder = Recorder()
    dr = (
        driver.Builder()
        .with_modules(ad_hoc_utils.create_temporary_module(plain_a, plain_b))
        .with_adapters(recorder)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_grouping_strategy(grouping.GroupNodesAllAsOne())
        .build()
    )
    assert dr.execute(["plain_b"], inputs={"x": 1}) == {"plain_b": 4}
    assert recorder.of("grouping")[0]["task_ids"] == ["root"]
    assert sorted(recorder.by_task("before_task")["root"]["nodes"]) == ["plain_a", "plain_b", "x"]
