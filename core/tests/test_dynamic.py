"""Dynamic execution: Parallelizable/Collect blocks under each local executor (Hamilton 2's hardening)."""

import os
import threading

import pytest

from hamilton import driver, lifecycle
from hamilton.data_quality.base import DataValidationError
from hamilton.execution import executors
from hamilton.execution.blocks import ParallelShapeError
from hamilton.execution.dynamic import WorkerCrashedError
from hamilton.function_modifiers import check_output
from hamilton.htypes import Collect, Parallelizable

EXECUTORS = {
    "synchronous": lambda: executors.SynchronousLocalTaskExecutor(),
    "threads": lambda: executors.MultiThreadingExecutor(max_tasks=4),
    "processes": lambda: executors.MultiProcessingExecutor(max_tasks=2),
}


@pytest.fixture(params=list(EXECUTORS))
def make_driver(request):
    """Builds a dynamic driver over functions with the parametrized remote executor."""

    def make(*functions, adapters=()):
        return (
            driver.Builder()
            .with_functions(*functions)
            .with_adapters(*adapters)
            .enable_dynamic_execution(allow_experimental_mode=True)
            .with_remote_executor(EXECUTORS[request.param]())
            .build()
        )

    make.executor = request.param
    return make


# -- a basic fan-out -------------------------------------------------------------------------------


def numbers(count: int) -> Parallelizable[int]:
    yield from range(count)


def squared(numbers: int) -> int:
    return numbers * numbers


def shifted(squared: int, offset: int) -> int:
    return squared + offset


def all_shifted(shifted: Collect[int]) -> list:
    return list(shifted)


def test_items_are_collected_in_yield_order(make_driver):
    """Each item runs through the block; Collect receives the results in the order yielded."""
    dr = make_driver(numbers, squared, shifted, all_shifted)
    assert dr.execute(["all_shifted"], inputs={"count": 6, "offset": 1}) == {"all_shifted": [1, 2, 5, 10, 17, 26]}


def test_an_empty_fan_out_collects_an_empty_list(make_driver):
    """Zero items: the block never runs and Collect receives []."""
    dr = make_driver(numbers, squared, shifted, all_shifted)
    assert dr.execute(["all_shifted"], inputs={"count": 0, "offset": 1}) == {"all_shifted": []}


def listed(count: int) -> Parallelizable[str]:
    return [f"item-{i}" for i in range(count)]


def upper(listed: str) -> str:
    return listed.upper()


def uppers(upper: Collect[str]) -> list:
    return list(upper)


def test_a_parallelizable_may_return_any_iterable(make_driver):
    """A list works like a generator."""
    assert make_driver(listed, upper, uppers).execute(["uppers"], inputs={"count": 3}) == {
        "uppers": ["ITEM-0", "ITEM-1", "ITEM-2"]
    }


# -- several collectors of one block -----------------------------------------------------------------


def total_squares(squared: Collect[int]) -> int:
    return sum(squared)


def largest_shifted(shifted: Collect[int]) -> int:
    return max(shifted)


def test_one_block_may_feed_several_collectors(make_driver):
    """Two Collect nodes over different nodes of one block: the block runs once per item."""
    dr = make_driver(numbers, squared, shifted, total_squares, largest_shifted)
    assert dr.execute(["total_squares", "largest_shifted"], inputs={"count": 4, "offset": 10}) == {
        "total_squares": 14,
        "largest_shifted": 19,
    }


# -- nesting --------------------------------------------------------------------------------------------


def groups(group_count: int) -> Parallelizable[int]:
    yield from range(group_count)


def members(groups: int) -> Parallelizable[tuple]:
    for member in range(groups + 1):
        yield (groups, member)


def labelled(members: tuple) -> str:
    return f"{members[0]}:{members[1]}"


def group_labels(labelled: Collect[str]) -> str:
    return ",".join(labelled)


def all_groups(group_labels: Collect[str]) -> list:
    return list(group_labels)


def test_a_parallelizable_inside_a_block_nests(make_driver):
    """An inner fan-out per outer item; inner collections feed the outer Collect."""
    dr = make_driver(groups, members, labelled, group_labels, all_groups)
    assert dr.execute(["all_groups"], inputs={"group_count": 3}) == {"all_groups": ["0:0", "1:0,1:1", "2:0,2:1,2:2"]}


# -- lazy generators -------------------------------------------------------------------------------------

_started = threading.Event()


def waiting_items(count: int) -> Parallelizable[int]:
    yield 0
    # Only continues once the block has started on item 0: proves items go out while the generator runs.
    assert _started.wait(timeout=30), "item 0 was not dispatched before the generator finished"
    yield from range(1, count)


def signalled(waiting_items: int) -> int:
    if waiting_items == 0:
        _started.set()
    return waiting_items


def gathered(signalled: Collect[int]) -> list:
    return list(signalled)


def test_items_are_dispatched_while_the_generator_still_yields():
    """With threads, item 0 runs before the generator yields item 1 (else this would wait 30 s and fail)."""
    _started.clear()
    dr = (
        driver.Builder()
        .with_functions(waiting_items, signalled, gathered)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=2))
        .build()
    )
    assert dr.execute(["gathered"], inputs={"count": 4}) == {"gathered": [0, 1, 2, 3]}


_alive = []


def counted_items(count: int) -> Parallelizable[int]:
    for index in range(count):
        _alive.append(index)
        yield index


def in_flight(counted_items: int) -> int:
    return len(_alive) - counted_items  # items produced but not yet run through the block, at this point


def peaks(in_flight: Collect[int]) -> int:
    return max(in_flight)


def test_the_synchronous_executor_runs_each_item_before_taking_the_next():
    """Memory stays bounded: an item is processed before the next is pulled from the generator."""
    _alive.clear()
    dr = (
        driver.Builder()
        .with_functions(counted_items, in_flight, peaks)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.SynchronousLocalTaskExecutor())
        .build()
    )
    assert dr.execute(["peaks"], inputs={"count": 50}) == {"peaks": 1}


# -- task ids ---------------------------------------------------------------------------------------------


class TaskIds(lifecycle.NodeExecutionHook):
    def __init__(self):
        self.seen = []

    def run_before_node_execution(self, *, node_name, task_id, **future):
        self.seen.append((node_name, task_id))

    def run_after_node_execution(self, **future):
        pass


def test_task_ids_follow_1x_and_nest_without_collisions():
    """Items are `expand-x.<i>.block-x`; nested items extend their outer item's id; all ids are unique."""
    hook = TaskIds()
    dr = (
        driver.Builder()
        .with_functions(groups, members, labelled, group_labels, all_groups)
        .with_adapters(hook)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.SynchronousLocalTaskExecutor())
        .build()
    )
    dr.execute(["all_groups"], inputs={"group_count": 2})
    by_node = {}
    for node_name, task_id in hook.seen:
        by_node.setdefault(node_name, []).append(task_id)
    assert by_node["groups"] == ["expand-groups"]
    assert by_node["all_groups"] == ["collect-groups"]
    assert by_node["members"] == [
        "expand-groups.0.block-groups.expand-members",
        "expand-groups.1.block-groups.expand-members",
    ]
    assert by_node["labelled"] == [
        "expand-groups.0.block-groups.expand-members.0.block-members",
        "expand-groups.1.block-groups.expand-members.0.block-members",
        "expand-groups.1.block-groups.expand-members.1.block-members",
    ]
    runs = [task_id for _, task_id in hook.seen if "block-members" in task_id]
    assert len(runs) == len(set(runs))


def expand_items(count: int) -> int:
    return count


def items(count: int) -> Parallelizable[int]:
    yield from range(count)


def item_value(items: int, expand_items: int) -> int:
    return items + expand_items


def item_values(item_value: Collect[int]) -> list:
    return list(item_value)


def test_a_node_named_like_a_generated_task_gets_a_distinct_task():
    """A node called `expand-items`-like does not share its task id with the fan-out of `items`."""
    hook = TaskIds()
    dr = (
        driver.Builder()
        .with_functions(expand_items, items, item_value, item_values)
        .with_adapters(hook)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.SynchronousLocalTaskExecutor())
        .build()
    )
    assert dr.execute(["item_values"], inputs={"count": 2}) == {"item_values": [2, 3]}
    task_of = dict(hook.seen)
    assert task_of["expand_items"] != task_of["items"]


# -- failures ---------------------------------------------------------------------------------------------


def fragile(numbers: int) -> int:
    if numbers == 3:
        raise ValueError("three is not allowed")
    return numbers


def fragile_all(fragile: Collect[int]) -> list:
    return list(fragile)


def test_a_failing_item_fails_the_run_naming_the_item_and_the_node(make_driver):
    """The item's own exception propagates; notes name item 3, the Parallelizable node and the failing node."""
    dr = make_driver(numbers, fragile, fragile_all)
    with pytest.raises(ValueError, match="three is not allowed") as caught:
        dr.execute(["fragile_all"], inputs={"count": 6})
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "item 3 of Parallelizable node 'numbers'" in notes
    assert "'fragile'" in notes


def broken_generator(count: int) -> Parallelizable[int]:
    yield 0
    raise KeyError("no more items")


def passthrough(broken_generator: int) -> int:
    return broken_generator


def passthroughs(passthrough: Collect[int]) -> list:
    return list(passthrough)


def test_a_generator_failing_midway_names_the_node_and_the_item(make_driver):
    """An error raised while producing items says which Parallelizable node and after how many items."""
    dr = make_driver(broken_generator, passthrough, passthroughs)
    with pytest.raises(KeyError) as caught:
        dr.execute(["passthroughs"], inputs={"count": 3})
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "broken_generator" in notes


def test_graceful_mode_turns_failing_items_into_sentinels(make_driver):
    """With GracefulErrorAdapter, the failing item becomes the sentinel and the others are collected."""
    dr = make_driver(numbers, fragile, fragile_all, adapters=[lifecycle.GracefulErrorAdapter(ValueError, "failed")])
    assert dr.execute(["fragile_all"], inputs={"count": 5}) == {"fragile_all": [0, 1, 2, "failed", 4]}


def crashing(numbers: int) -> int:
    if numbers == 1:
        os._exit(13)  # the worker process dies without a Python exception
    return numbers


def crashed_all(crashing: Collect[int]) -> list:
    return list(crashing)


def test_a_crashed_worker_process_is_reported_not_hung_on():
    """A worker dying mid-task fails the run with WorkerCrashedError naming the task."""
    dr = (
        driver.Builder()
        .with_functions(numbers, crashing, crashed_all)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiProcessingExecutor(max_tasks=2))
        .build()
    )
    with pytest.raises(WorkerCrashedError, match=r"task expand-numbers\.\d\.block-numbers"):
        dr.execute(["crashed_all"], inputs={"count": 3})


class _AlreadyBrokenProcesses(executors.MultiProcessingExecutor):
    """Processes whose pool a dead worker broke before this run submitted anything."""

    def create_pool(self):
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        pool = ProcessPoolExecutor(max_workers=1)
        with pytest.raises(BrokenProcessPool):
            pool.submit(os._exit, 13).result()
        return pool


def test_a_pool_broken_before_submitting_is_reported_like_a_crash():
    # A worker may die while items are still being submitted: the pool then refuses new tasks
    # at submit() rather than through their futures. Either way the run says a worker crashed.
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, total_squares)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(_AlreadyBrokenProcesses(max_tasks=2))
        .build()
    )
    with pytest.raises(WorkerCrashedError, match=r"task expand-numbers\.0\.block-numbers"):
        dr.execute(["total_squares"], inputs={"count": 3})


# -- illegal shapes --------------------------------------------------------------------------------------


def letters(word: str) -> Parallelizable[str]:
    yield from word


def crossing(squared: int, letters: str) -> str:
    return letters * squared


def crossings(crossing: Collect[str]) -> list:
    return list(crossing)


def test_combining_two_blocks_is_refused_naming_the_node_and_both_blocks():
    """A node taking values from two different blocks cannot run: the error names it and the blocks."""
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, letters, crossing, crossings)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )
    with pytest.raises(ParallelShapeError, match=r"'crossing'.*'numbers'.*'letters'|'crossing'.*'letters'.*'numbers'"):
        dr.execute(["crossings"], inputs={"count": 2, "word": "ab"})


def test_requesting_a_node_inside_a_block_asks_for_a_collect():
    """Outputs must have one value: a block node has one per item, and the error says so."""
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, all_shifted, shifted)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )
    with pytest.raises(
        ParallelShapeError, match=r"'squared'.*inside the parallel block of Parallelizable node 'numbers'"
    ):
        dr.execute(["squared"], inputs={"count": 2, "offset": 0})
    with pytest.raises(ParallelShapeError, match="Collect"):
        dr.validate_execution(["squared"], inputs={"count": 2, "offset": 0})


def single(count: int) -> int:
    return count


def not_a_block(single: Collect[int]) -> list:
    return list(single)


def test_collecting_a_value_outside_any_block_is_refused():
    """Collect[...] over a plain node names the collector and the node."""
    dr = (
        driver.Builder()
        .with_functions(single, not_a_block)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )
    with pytest.raises(ParallelShapeError, match=r"'not_a_block'.*'single' is not inside the block"):
        dr.execute(["not_a_block"], inputs={"count": 1})


def mixed(shifted: Collect[int], squared: int) -> int:
    return sum(shifted) + squared


def test_a_collector_taking_a_per_item_value_too_is_refused():
    """A Collect node may not also take a value from inside the block it gathers."""
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, shifted, mixed)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )
    with pytest.raises(ParallelShapeError, match=r"'mixed'.*\['squared'\]"):
        dr.execute(["mixed"], inputs={"count": 2, "offset": 0})


# -- executors by name, through plugins ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["synchronous", "threads", "processes"])
def test_executors_can_be_named(name):
    """with_remote_executor accepts a registered executor name."""
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, total_squares)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(name)
        .build()
    )
    assert dr.execute(["total_squares"], inputs={"count": 4}) == {"total_squares": 14}


def test_a_plugin_executor_runs_the_items():
    """An executor registered by a plugin (concurrent.futures-style) runs block items by name."""
    from hamilton import plugins

    submitted = []

    class CountingExecutor:
        def submit(self, fn, *args, **kwargs):
            from concurrent.futures import Future

            submitted.append(args[0].task_id)
            future = Future()
            future.set_result(fn(*args, **kwargs))
            return future

        def shutdown(self, wait=True):
            pass

    class Plugin:
        @plugins.hookimpl
        def hamilton_executors(self):
            return {"counting-test-executor": lambda **options: CountingExecutor()}

    plugins.register(Plugin(), name="counting-test-executor-plugin")
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, total_squares)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor("counting-test-executor")
        .build()
    )
    assert dr.execute(["total_squares"], inputs={"count": 3}) == {"total_squares": 5}
    assert submitted == [f"expand-numbers.{i}.block-numbers" for i in range(3)]


# -- overrides, inputs and grouping ---------------------------------------------------------------------


def test_an_overridden_parallelizable_fans_out_over_the_override(make_driver):
    """Overriding the Parallelizable node with a list runs the block over that list."""
    dr = make_driver(numbers, squared, total_squares)
    assert dr.execute(["total_squares"], overrides={"numbers": [3, 4]}) == {"total_squares": 25}


def test_overriding_a_node_inside_a_block_is_refused_with_an_explanation(make_driver):
    """An override cuts the block off from its Parallelizable node: a clear error, not an empty list (1.x)."""
    dr = make_driver(numbers, squared, shifted, all_shifted)
    with pytest.raises(ParallelShapeError, match=r"Overrides \(\['squared'\]\).*leaves nothing to fan out"):
        dr.execute(["all_shifted"], inputs={"count": 3, "offset": 1}, overrides={"squared": 10})


def test_requesting_the_parallelizable_node_returns_its_items(make_driver):
    """The Parallelizable node itself has one value: the list of its items."""
    dr = make_driver(numbers, squared, total_squares)
    assert dr.execute(["numbers", "total_squares"], inputs={"count": 3}) == {"numbers": [0, 1, 2], "total_squares": 5}


def base(count: int) -> int:
    return count + 1


def left(base: int) -> int:
    return base * 2


def right(base: int) -> int:
    return base * 3


def both(left: int, right: int) -> int:
    return left + right


class TaskLog(lifecycle.TaskExecutionHook):
    def __init__(self):
        self.tasks = []

    def run_before_task_execution(self, *, task_id, nodes, purpose, **future):
        self.tasks.append((task_id, sorted(n.name for n in nodes), purpose.name))

    def run_after_task_execution(self, **future):
        pass


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        (
            "GroupByRepeatableBlocks",
            [("count", ["count"]), ("base", ["base"]), ("left", ["left"]), ("right", ["right"]), ("both", ["both"])],
        ),
        ("GroupNodesAllAsOne", [("root", ["base", "both", "count", "left", "right"])]),
        (
            "GroupNodesByLevel",
            [("level_0", ["count"]), ("level_1", ["base"]), ("level_2", ["left", "right"]), ("level_3", ["both"])],
        ),
    ],
)
def test_grouping_strategies_decide_the_tasks_outside_blocks(strategy, expected):
    """Each strategy's groups become the tasks (inputs are nodes of tasks too, as in 1.x); same results."""
    from hamilton.execution import grouping

    log = TaskLog()
    dr = (
        driver.Builder()
        .with_functions(base, left, right, both)
        .with_adapters(log)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_grouping_strategy(getattr(grouping, strategy)())
        .build()
    )
    assert dr.execute(["both"], inputs={"count": 1}) == {"both": 10}
    assert [(task_id, names) for task_id, names, _ in log.tasks] == expected


def test_a_grouping_that_straddles_a_block_is_refused():
    """All-in-one cannot run nodes both before and after a fan-out in one task: a clear error."""
    from hamilton.execution import grouping

    def from_base(base: int) -> Parallelizable[int]:
        yield from range(base)

    def each(from_base: int) -> int:
        return from_base

    def every(each: Collect[int]) -> list:
        return list(each)

    def after(every: list) -> int:
        return len(every)

    dr = (
        driver.Builder()
        .with_functions(base, from_base, each, every, after)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_grouping_strategy(grouping.GroupNodesAllAsOne())
        .build()
    )
    with pytest.raises(ParallelShapeError, match="wait on each other"):
        dr.execute(["after"], inputs={"count": 2})


def gathered_items(numbers: Collect[int]) -> list:
    return list(numbers)


def test_collect_directly_over_the_parallelizable_gathers_its_items(make_driver):
    """An empty block: Collect over the Parallelizable node itself receives the items (1.x nested them)."""
    assert make_driver(numbers, gathered_items).execute(["gathered_items"], inputs={"count": 3}) == {
        "gathered_items": [0, 1, 2]
    }


def test_group_nodes_individually_runs_parallel_graphs():
    """1.x looped forever here; each node outside the block is its own task."""
    from hamilton.execution import grouping

    dr = (
        driver.Builder()
        .with_functions(numbers, squared, total_squares)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_grouping_strategy(grouping.GroupNodesIndividually())
        .build()
    )
    assert dr.execute(["total_squares"], inputs={"count": 3}) == {"total_squares": 5}


def test_println_reports_nodes_with_their_task_ids():
    """PrintLn prints `task_id:node` under dynamic execution (1.x raised KeyError after the first node)."""
    lines = []
    dr = (
        driver.Builder()
        .with_functions(numbers, squared, total_squares)
        .with_adapters(lifecycle.PrintLn(print_fn=lines.append))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.SynchronousLocalTaskExecutor())
        .build()
    )
    assert dr.execute(["total_squares"], inputs={"count": 2}) == {"total_squares": 1}
    assert "Executing node: expand-numbers.1.block-numbers:squared." in lines


# -- validators inside a block ------------------------------------------------------------------


def measured_items(count: int) -> Parallelizable[int]:
    yield from range(count)


@check_output(range=(0, 5), importance="fail")
def measured(measured_items: int) -> int:
    return measured_items + 2


def measured_all(measured: Collect[int]) -> list:
    return sorted(measured)


def test_a_validated_node_inside_a_block_runs_on_every_executor(make_driver):
    """Validator nodes travel to the workers with their task (on processes: pickled)."""
    dr = make_driver(measured_items, measured, measured_all)
    assert dr.execute(["measured_all"], inputs={"count": 3})["measured_all"] == [2, 3, 4]
    with pytest.raises(DataValidationError, match="measured"):
        dr.execute(["measured_all"], inputs={"count": 5})
