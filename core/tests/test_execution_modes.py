"""Execution modes: ``Builder().with_execution_mode(on_error=, schedule=, sync_nodes=, max_concurrency=)``.

keep_going runs are checked against a reference computed here, independently of the engine: a node
runs iff all of its inputs are available; a failing node's value and every value downstream of it
are unavailable.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import traceback

import pytest
from engine_helpers import build, flow, partial, run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, driver, lifecycle
from hamilton.errors import PartialExecutionError
from hamilton.execution import executors
from hamilton.execution.modes import ExecutionMode
from hamilton.lifecycle import base as lifecycle_base

FAILSAFE = 10.0  # seconds a structural wait may take before the test is declared failed


@pytest.fixture(autouse=True)
def _quiet_failures():
    """Failing nodes are logged by the engine; these tests fail nodes on purpose."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def frames_of(error: BaseException) -> list[str]:
    return [frame.name for frame in traceback.extract_tb(error.__traceback__)]


# -- the mode object and the builder -------------------------------------------------------------------------


def test_defaults_and_the_drivers_mode():
    module = flow("def a(x: int) -> int:\n    return x\n")
    assert build(module).execution_mode == ExecutionMode()
    assert ExecutionMode() == ExecutionMode("fail_fast", "ready", "inline", None)
    dr = build(module, on_error="keep_going", schedule="levels", sync_nodes="threads", max_concurrency=3)
    assert dr.execution_mode == ExecutionMode("keep_going", "levels", "threads", 3)
    mode = dr.execution_mode
    assert (mode.on_error, mode.schedule, mode.sync_nodes, mode.max_concurrency) == (
        "keep_going",
        "levels",
        "threads",
        3,
    )


@pytest.mark.parametrize(
    "choice",
    [
        {"on_error": "ignore"},
        {"on_error": None},
        {"schedule": "random"},
        {"schedule": "Ready"},
        {"sync_nodes": "processes"},
        {"max_concurrency": 0},
        {"max_concurrency": -1},
        {"max_concurrency": True},
        {"max_concurrency": 1.5},
        {"max_concurrency": "2"},
    ],
)
def test_invalid_mode_values_raise_value_error(choice):
    with pytest.raises(ValueError):
        ExecutionMode(**choice)
    with pytest.raises(ValueError):
        driver.Builder().with_execution_mode(**choice)


def test_the_mode_is_immutable():
    mode = ExecutionMode(on_error="keep_going")
    with pytest.raises(AttributeError):
        mode.on_error = "fail_fast"
    assert mode.replace(schedule="levels") == ExecutionMode(on_error="keep_going", schedule="levels")


def test_builder_copy_keeps_the_mode():
    module = flow(
        """
def broken(x: int) -> int:
    raise ValueError("broken")

def fine(x: int) -> int:
    return x
"""
    )
    builder = driver.Builder().with_modules(module).with_execution_mode(on_error="keep_going", schedule="levels")
    copied = builder.copy().build()
    assert copied.execution_mode == ExecutionMode(on_error="keep_going", schedule="levels")
    error = partial(copied, "execute", ["broken", "fine"], inputs={"x": 1})
    assert error.results == {"fine": 1}


def test_a_later_call_replaces_the_mode():
    module = flow("def a(x: int) -> int:\n    return x\n")
    builder = driver.Builder().with_modules(module).with_execution_mode(on_error="keep_going")
    dr = builder.with_execution_mode(schedule="levels").build()
    assert dr.execution_mode == ExecutionMode(schedule="levels")


# -- keep_going: an explicit graph ---------------------------------------------------------------------------

KEEP_GOING = """
import asyncio

def a(x: int) -> int:
    return x + 1

async def broken(a: int) -> int:
    await asyncio.sleep(0)
    raise ValueError("broken on purpose")

def skipped_1(broken: int) -> int:
    return broken + 1

async def skipped_2(skipped_1: int, a: int) -> int:
    return skipped_1 + a

def also_broken(x: int) -> int:
    raise KeyError("also broken")

async def fine(a: int) -> int:
    await asyncio.sleep(0)
    return a * 2

def fine_too(fine: int, x: int) -> int:
    return fine + x
"""

KEEP_GOING_SYNC = KEEP_GOING.replace("async def", "def").replace("    await asyncio.sleep(0)\n", "")

REQUEST = ["skipped_2", "fine_too", "also_broken", "a"]

VARIANTS = {
    "sync execute": (KEEP_GOING_SYNC, "execute", {}),
    "sync aexecute": (KEEP_GOING_SYNC, "aexecute", {}),
    "sync threads": (KEEP_GOING_SYNC, "execute", {"sync_nodes": "threads"}),
    "sync levels": (KEEP_GOING_SYNC, "execute", {"schedule": "levels"}),
    "mixed execute": (KEEP_GOING, "execute", {}),
    "mixed aexecute": (KEEP_GOING, "aexecute", {}),
    "mixed threads": (KEEP_GOING, "execute", {"sync_nodes": "threads"}),
    "mixed levels": (KEEP_GOING, "aexecute", {"schedule": "levels"}),
    "mixed limited": (KEEP_GOING, "aexecute", {"max_concurrency": 1}),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_keep_going_reports_results_failures_and_skipped_nodes(variant):
    source, how, mode = VARIANTS[variant]
    dr = build(flow(source), on_error="keep_going", **mode)
    error = partial(dr, how, REQUEST, inputs={"x": 1})
    assert error.results == {"fine_too": 5, "a": 2}
    assert {name: type(exception) for name, exception in error.failures.items()} == {
        "broken": ValueError,
        "also_broken": KeyError,
    }
    assert str(error.failures["broken"]) == "broken on purpose"
    for name, exception in error.failures.items():
        assert exception.__traceback__ is not None
        assert name in frames_of(exception)  # the traceback reaches into the node's function
    assert error.skipped == ["skipped_1", "skipped_2"]
    assert error.recovered == frozenset()
    assert "broken" in str(error)
    assert "skipped_1" in str(error)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_keep_going_without_failures_returns_normally(variant):
    source, how, mode = VARIANTS[variant]
    dr = build(flow(source), on_error="keep_going", **mode)
    assert run(dr, how, ["fine_too", "a"], inputs={"x": 1}) == {"fine_too": 5, "a": 2}


@pytest.mark.parametrize("source", [KEEP_GOING, KEEP_GOING_SYNC], ids=["mixed", "sync"])
def test_fail_fast_raises_the_first_failure(source):
    dr = build(flow(source))
    with pytest.raises(ValueError, match="broken on purpose"):
        dr.execute(["skipped_2"], inputs={"x": 1})


class Pairs(lifecycle.ResultBuilder):
    def build_result(self, **outputs):
        return sorted(outputs.items())


class NeedsEverything(lifecycle.ResultBuilder):
    """A builder that cannot shape a partial result (like a DataFrame missing a column)."""

    def build_result(self, **outputs):
        missing = {"skipped_2", "fine_too", "also_broken", "a"} - set(outputs)
        if missing:
            raise KeyError(f"missing {sorted(missing)}")
        return outputs


@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_partial_results_are_shaped_by_the_result_builder_when_it_accepts_them(how):
    dr = build(flow(KEEP_GOING), Pairs(), on_error="keep_going")
    assert partial(dr, how, REQUEST, inputs={"x": 1}).results == [("a", 2), ("fine_too", 5)]
    dr = build(flow(KEEP_GOING), NeedsEverything(), on_error="keep_going")
    assert partial(dr, how, REQUEST, inputs={"x": 1}).results == {"fine_too": 5, "a": 2}


class GraphRecorder(lifecycle.GraphExecutionHook):
    def __init__(self):
        self.seen = []

    def run_before_graph_execution(self, **future_kwargs):
        pass

    def run_after_graph_execution(self, *, success, error, results, **future_kwargs):
        self.seen.append(("sync", success, error, results))


class AsyncGraphRecorder(lifecycle_base.BasePostGraphExecuteAsync):
    def __init__(self):
        self.seen = []

    async def post_graph_execute(self, *, run_id, graph, success, error, results):
        self.seen.append(("async", success, error, results))


@pytest.mark.parametrize("source", [KEEP_GOING, KEEP_GOING_SYNC], ids=["mixed", "sync"])
@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_post_graph_execute_sees_the_failed_run_and_the_partial_error(source, how):
    sync_hook, async_hook = GraphRecorder(), AsyncGraphRecorder()
    dr = build(flow(source), sync_hook, async_hook, on_error="keep_going")
    error = partial(dr, how, REQUEST, inputs={"x": 1})
    assert sync_hook.seen == [("sync", False, error, None)]
    assert async_hook.seen == [("async", False, error, None)]


class NodeRecorder(lifecycle.NodeExecutionHook):
    def __init__(self):
        self.seen = []

    def run_before_node_execution(self, *, node_name, **future_kwargs):
        self.seen.append(("pre", node_name))

    def run_after_node_execution(self, *, node_name, success, **future_kwargs):
        self.seen.append(("post", node_name, success))


@pytest.mark.parametrize("source", [KEEP_GOING, KEEP_GOING_SYNC], ids=["mixed", "sync"])
@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_skipped_nodes_get_no_node_hooks(source, how):
    hook = NodeRecorder()
    dr = build(flow(source), hook, on_error="keep_going")
    partial(dr, how, REQUEST, inputs={"x": 1})
    names = {event[1] for event in hook.seen}
    assert names == {"a", "broken", "also_broken", "fine", "fine_too"}
    assert ("post", "broken", False) in hook.seen
    assert ("post", "also_broken", False) in hook.seen
    assert ("post", "fine", True) in hook.seen


# -- keep_going: random graphs against an independent reference ----------------------------------------------

ERRORS = [ValueError, KeyError, ZeroDivisionError, RuntimeError]


@st.composite
def failing_dags(draw, max_nodes: int = 9):
    """Node i: parents among nodes < i (none: reads x), async or not, failing or not."""
    count = draw(st.integers(1, max_nodes))
    nodes = []
    for index in range(count):
        parents = sorted(draw(st.sets(st.integers(0, index - 1), max_size=3))) if index else []
        nodes.append((parents, draw(st.booleans()), draw(st.booleans())))  # parents, is_async, fails
    outputs = sorted(draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=count)))
    return nodes, outputs


def failing_source(nodes, all_sync: bool) -> str:
    lines = ["import asyncio", ""]
    for index, (parents, is_async, fails) in enumerate(nodes):
        is_async = is_async and not all_sync
        params = ", ".join(f"n{parent}: int" for parent in parents) or "x: int"
        lines.append(f"{'async ' if is_async else ''}def n{index}({params}) -> int:")
        if is_async:
            lines.append("    await asyncio.sleep(0)")
        if fails:
            lines.append(f"    raise {ERRORS[index % len(ERRORS)].__name__}('n{index} failed')")
        else:
            terms = [f"n{parent}" for parent in parents] or ["x"]
            lines.append(f"    return {index} + {' + '.join(terms)}")
        lines.append("")
    return "\n".join(lines)


def reference_run(nodes, outputs, x: int):
    """What keep_going must report: (results, {failed: type}, skipped set), by simulation."""
    needed: set[int] = set()
    pending = list(outputs)
    while pending:
        index = pending.pop()
        if index not in needed:
            needed.add(index)
            pending.extend(nodes[index][0])
    available: dict[int, int] = {}
    failures: dict[str, type] = {}
    skipped: set[str] = set()
    for index, (parents, _, fails) in enumerate(nodes):
        if index not in needed:
            continue
        if any(parent not in available for parent in parents):
            skipped.add(f"n{index}")
        elif fails:
            failures[f"n{index}"] = ERRORS[index % len(ERRORS)]
        else:
            available[index] = index + (sum(available[p] for p in parents) if parents else x)
    results = {f"n{index}": available[index] for index in outputs if index in available}
    return results, failures, skipped


RUNS = {
    "sync execute": (True, "execute", {}),
    "sync levels": (True, "execute", {"schedule": "levels"}),
    "sync threads": (True, "execute", {"sync_nodes": "threads"}),
    "mixed execute": (False, "execute", {}),
    "mixed aexecute": (False, "aexecute", {}),
    "mixed threads": (False, "execute", {"sync_nodes": "threads"}),
    "mixed levels": (False, "aexecute", {"schedule": "levels"}),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(failing_dags(), st.integers(-3, 3))
def test_keep_going_matches_the_reference_on_random_graphs(dag, x):
    nodes, outputs = dag
    request = [f"n{index}" for index in outputs]
    results, failures, skipped = reference_run(nodes, outputs, x)
    event(f"{len(failures)} failure(s), {len(skipped)} skipped")
    modules = {True: flow(failing_source(nodes, all_sync=True)), False: flow(failing_source(nodes, all_sync=False))}
    for label, (all_sync, how, mode) in RUNS.items():
        dr = build(modules[all_sync], on_error="keep_going", **mode)
        if not failures:
            assert run(dr, how, request, inputs={"x": x}) == results, label
            continue
        error = partial(dr, how, request, inputs={"x": x})
        assert error.results == results, label
        assert {name: type(exception) for name, exception in error.failures.items()} == failures, label
        assert all(exception.__traceback__ is not None for exception in error.failures.values()), label
        assert len(error.skipped) == len(set(error.skipped)), label
        assert set(error.skipped) == skipped, label
        # run order: a skipped node comes after the skipped nodes it depends on
        position = {name: at for at, name in enumerate(error.skipped)}
        for name in error.skipped:
            for parent in nodes[int(name[1:])][0]:
                if f"n{parent}" in position:
                    assert position[f"n{parent}"] < position[name], label
        assert error.recovered == frozenset(), label


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(failing_dags(), st.integers(-3, 3))
def test_fail_fast_raises_one_of_the_reachable_failures_on_random_graphs(dag, x):
    nodes, outputs = dag
    request = [f"n{index}" for index in outputs]
    results, failures, _ = reference_run(nodes, outputs, x)
    for all_sync, how in [(True, "execute"), (False, "execute"), (False, "aexecute")]:
        dr = build(flow(failing_source(nodes, all_sync=all_sync)))
        if not failures:
            assert run(dr, how, request, inputs={"x": x}) == results
            continue
        with pytest.raises(tuple(set(failures.values()))) as info:
            run(dr, how, request, inputs={"x": x})
        name = str(info.value).strip("'").split(" ")[0]  # "n3 failed"
        assert type(info.value) is failures[name]


# -- schedules -----------------------------------------------------------------------------------------------

LEVELS = """
import asyncio

LOG = []

async def _step(name: str, value: int, yields: int) -> int:
    LOG.append(("start", name))
    for _ in range(yields):
        await asyncio.sleep(0)
    LOG.append(("end", name))
    return value

async def a0(x: int) -> int:
    return await _step("a0", x, 30)

async def b0(x: int) -> int:
    return await _step("b0", x + 1, 0)

def c0(x: int) -> int:
    LOG.append(("start", "c0"))
    LOG.append(("end", "c0"))
    return x + 2

async def a1(a0: int) -> int:
    return await _step("a1", a0 * 2, 0)

async def b1(b0: int) -> int:
    return await _step("b1", b0 * 3, 5)

def c1(c0: int, b0: int) -> int:
    LOG.append(("start", "c1"))
    LOG.append(("end", "c1"))
    return c0 + b0

async def top(a1: int, b1: int, c1: int) -> int:
    return await _step("top", a1 + b1 + c1, 0)
"""

LEVEL_OF = {"a0": 0, "b0": 0, "c0": 0, "a1": 1, "b1": 1, "c1": 1, "top": 2}


def assert_level_by_level(log):
    for level in (0, 1):
        last_end = max(at for at, (kind, name) in enumerate(log) if kind == "end" and LEVEL_OF[name] == level)
        first_start = min(at for at, (kind, name) in enumerate(log) if kind == "start" and LEVEL_OF[name] > level)
        assert last_end < first_start, log


@pytest.mark.parametrize("how", ["execute", "aexecute", "threads"])
def test_levels_schedule_finishes_each_depth_before_the_next_starts(how):
    module = flow(LEVELS)
    mode = {"schedule": "levels"} | ({"sync_nodes": "threads"} if how == "threads" else {})
    dr = build(module, **mode)
    assert run(dr, how, ["top"], inputs={"x": 1}) == {"top": 2 + 6 + 5}
    assert len(module.LOG) == 14
    assert_level_by_level(module.LOG)


def test_levels_schedule_in_a_sequential_run_orders_nodes_by_depth():
    source = """
LOG = []

def a0(x: int) -> int:
    LOG.append("a0")
    return x

def a1(a0: int) -> int:
    LOG.append("a1")
    return a0 + 1

def a2(a1: int) -> int:
    LOG.append("a2")
    return a1 + 1

def b0(x: int) -> int:
    LOG.append("b0")
    return x * 2

def b1(b0: int) -> int:
    LOG.append("b1")
    return b0 * 2

def top(a2: int, b1: int) -> int:
    LOG.append("top")
    return a2 + b1
"""
    module = flow(source)
    levels = {"a0": 0, "b0": 0, "a1": 1, "b1": 1, "a2": 2, "top": 3}
    dr = build(module, schedule="levels")
    assert dr.execute(["top"], inputs={"x": 1}) == {"top": 7}
    assert sorted(module.LOG) == sorted(levels)
    assert [levels[name] for name in module.LOG] == sorted(levels[name] for name in module.LOG)


def test_ready_schedule_starts_a_node_as_soon_as_its_inputs_exist():
    """a0 (level 0) waits until b1 (level 1) has started: only possible when levels are not held back."""
    source = f"""
import asyncio

STARTED = []

async def a0(x: int) -> str:
    for _ in range(int({FAILSAFE} * 1000)):
        if "b1" in STARTED:
            return "saw b1 start"
        await asyncio.sleep(0.001)
    return "b1 never started"

async def b0(x: int) -> int:
    return x

async def b1(b0: int) -> int:
    STARTED.append("b1")
    return b0 + 1

def top(a0: str, b1: int) -> tuple:
    return (a0, b1)
"""
    dr = build(flow(source), schedule="ready")
    assert asyncio.run(dr.aexecute(["top"], inputs={"x": 1})) == {"top": ("saw b1 start", 2)}
    assert dr.execute(["top"], inputs={"x": 1}) == {"top": ("saw b1 start", 2)}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(failing_dags(), st.integers(-3, 3))
def test_levels_and_ready_give_the_same_results(dag, x):
    nodes, outputs = dag
    nodes = [(parents, is_async, False) for parents, is_async, _ in nodes]  # nothing fails
    request = [f"n{index}" for index in outputs]
    results, _, _ = reference_run(nodes, outputs, x)
    module = flow(failing_source(nodes, all_sync=False))
    for schedule in ("ready", "levels"):
        dr = build(module, schedule=schedule)
        assert dr.execute(request, inputs={"x": x}) == results
        assert asyncio.run(dr.aexecute(request, inputs={"x": x})) == results


# -- max_concurrency -----------------------------------------------------------------------------------------

WIDE = """
import asyncio

STATE = {"now": 0, "max": 0}

async def _work(value: int) -> int:
    STATE["now"] += 1
    STATE["max"] = max(STATE["max"], STATE["now"])
    for _ in range(5):
        await asyncio.sleep(0)
    STATE["now"] -= 1
    return value

async def w0(x: int) -> int:
    return await _work(x)

async def w1(x: int) -> int:
    return await _work(x + 1)

async def w2(x: int) -> int:
    return await _work(x + 2)

async def w3(x: int) -> int:
    return await _work(x + 3)

async def w4(x: int) -> int:
    return await _work(x + 4)

async def w5(x: int) -> int:
    return await _work(x + 5)

def summed(w0: int, w1: int, w2: int, w3: int, w4: int, w5: int) -> int:
    return w0 + w1 + w2 + w3 + w4 + w5
"""


@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_max_concurrency_bounds_the_nodes_in_flight(how):
    limited = flow(WIDE)
    assert run(build(limited, max_concurrency=2), how, ["summed"], inputs={"x": 0}) == {"summed": 15}
    assert limited.STATE["max"] == 2
    unlimited = flow(WIDE)
    assert run(build(unlimited), how, ["summed"], inputs={"x": 0}) == {"summed": 15}
    assert unlimited.STATE["max"] > 2


def test_max_concurrency_bounds_offloaded_sync_nodes():
    source = """
import threading
import time

LOCK = threading.Lock()
STATE = {"now": 0, "max": 0}

def _work(value: int) -> int:
    with LOCK:
        STATE["now"] += 1
        STATE["max"] = max(STATE["max"], STATE["now"])
    time.sleep(0.01)
    with LOCK:
        STATE["now"] -= 1
    return value

def w0(x: int) -> int:
    return _work(x)

def w1(x: int) -> int:
    return _work(x + 1)

def w2(x: int) -> int:
    return _work(x + 2)

def w3(x: int) -> int:
    return _work(x + 3)

def summed(w0: int, w1: int, w2: int, w3: int) -> int:
    return w0 + w1 + w2 + w3
"""
    module = flow(source)
    dr = build(module, sync_nodes="threads", max_concurrency=2)
    assert dr.execute(["summed"], inputs={"x": 0}) == {"summed": 6}
    assert 1 <= module.STATE["max"] <= 2


# -- keep_going in dynamic (Parallelizable) runs -------------------------------------------------------------

DYNAMIC = """
import asyncio
import threading

from hamilton.htypes import Collect, Parallelizable

LOCK = threading.Lock()
RAN = []

def items(count: int) -> Parallelizable[int]:
    yield from range(count)

def checked(items: int, bad: list) -> int:
    if items in bad:
        raise ValueError(f"item {items} is bad")
    with LOCK:
        RAN.append(items)
    return items

async def doubled(checked: int) -> int:
    await asyncio.sleep(0)
    return checked * 2

def gathered(doubled: Collect[int]) -> list:
    return list(doubled)

def after(gathered: list) -> int:
    return len(gathered)

def independent(count: int) -> int:
    return count + 100
"""

DYNAMIC_EXECUTORS = {
    "synchronous": lambda: executors.SynchronousLocalTaskExecutor(),
    "threads": lambda: executors.MultiThreadingExecutor(max_tasks=3),
}


def dynamic_driver(module, executor: str, *adapters, **mode):
    builder = (
        driver.Builder()
        .with_modules(module)
        .with_adapters(*adapters)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(DYNAMIC_EXECUTORS[executor]())
    )
    if mode:
        builder = builder.with_execution_mode(**mode)
    return builder.build()


@pytest.mark.parametrize("how", ["execute", "aexecute"])
@pytest.mark.parametrize("executor", list(DYNAMIC_EXECUTORS))
def test_keep_going_names_failed_items_and_skips_the_collector(executor, how):
    module = flow(DYNAMIC)
    dr = dynamic_driver(module, executor, on_error="keep_going")
    error = partial(dr, how, ["after", "independent"], inputs={"count": 6, "bad": [1, 4]})
    assert error.results == {"independent": 106}
    assert {name: type(exception) for name, exception in error.failures.items()} == {
        "checked[1]": ValueError,
        "checked[4]": ValueError,
    }
    assert str(error.failures["checked[4]"]) == "item 4 is bad"
    assert all(exception.__traceback__ is not None for exception in error.failures.values())
    assert sorted(error.skipped) == sorted(["doubled[1]", "doubled[4]", "gathered", "after"])
    assert error.skipped.index("gathered") < error.skipped.index("after")
    assert error.recovered == frozenset()
    assert sorted(module.RAN) == [0, 2, 3, 5]  # the other items still ran


@pytest.mark.parametrize("how", ["execute", "aexecute"])
@pytest.mark.parametrize("executor", list(DYNAMIC_EXECUTORS))
def test_keep_going_dynamic_run_without_failures_returns_normally(executor, how):
    dr = dynamic_driver(flow(DYNAMIC), executor, on_error="keep_going")
    assert run(dr, how, ["after", "gathered"], inputs={"count": 3, "bad": []}) == {"after": 3, "gathered": [0, 2, 4]}


EXPANDERS = {
    "list": "    if count < 0:\n        raise ValueError('no items')\n    return list(range(count))\n",
    "generator": "    if count < 0:\n        raise ValueError('no items')\n    yield from range(count)\n",
}

FAILING_EXPANDER = """
from hamilton.htypes import Collect, Parallelizable

def items(count: int) -> Parallelizable[int]:
{body}
def checked(items: int) -> int:
    return items

def gathered(checked: Collect[int]) -> list:
    return list(checked)

def after(gathered: list) -> int:
    return len(gathered)

def independent(count: int) -> int:
    return count + 100
"""


@pytest.mark.parametrize(
    "expander",
    [
        "list",
        "generator",
    ],
)
@pytest.mark.parametrize("executor", list(DYNAMIC_EXECUTORS))
def test_keep_going_dynamic_run_with_a_failing_expander_skips_the_block(executor, expander):
    module = flow(FAILING_EXPANDER.format(body=EXPANDERS[expander]))
    dr = dynamic_driver(module, executor, on_error="keep_going")
    error = partial(dr, "execute", ["after", "independent"], inputs={"count": -1})
    assert error.results == {"independent": 99}
    assert list(error.failures) == ["items"]
    assert isinstance(error.failures["items"], ValueError)
    assert error.failures["items"].__traceback__ is not None
    assert error.skipped == ["checked", "gathered", "after"]


@pytest.mark.parametrize("executor", list(DYNAMIC_EXECUTORS))
def test_keep_going_dynamic_run_tells_post_graph_execute(executor):
    hook = GraphRecorder()
    dr = dynamic_driver(flow(DYNAMIC), executor, hook, on_error="keep_going")
    error = partial(dr, "execute", ["after"], inputs={"count": 3, "bad": [0]})
    assert hook.seen == [("sync", False, error, None)]


@pytest.mark.parametrize("executor", list(DYNAMIC_EXECUTORS))
def test_fail_fast_dynamic_run_raises_the_items_failure(executor):
    dr = dynamic_driver(flow(DYNAMIC), executor)
    with pytest.raises(ValueError, match="item 2 is bad"):
        dr.execute(["after"], inputs={"count": 4, "bad": [2]})


def test_keep_going_dynamic_run_matches_a_reference_for_every_bad_subset():
    module = flow(DYNAMIC)
    dr = dynamic_driver(module, "threads", on_error="keep_going")
    count = 4
    for size in range(count + 1):
        for bad in itertools.combinations(range(count), size):
            module.RAN.clear()
            good = [index for index in range(count) if index not in bad]
            if not bad:
                assert dr.execute(["gathered"], inputs={"count": count, "bad": []}) == {
                    "gathered": [index * 2 for index in good]
                }
                continue
            error = partial(dr, "execute", ["gathered", "independent"], inputs={"count": count, "bad": list(bad)})
            assert error.results == {"independent": 104}
            assert set(error.failures) == {f"checked[{index}]" for index in bad}
            assert sorted(error.skipped) == sorted([f"doubled[{index}]" for index in bad] + ["gathered"])
            assert sorted(module.RAN) == good


def test_a_driver_gives_a_copy_with_another_mode_for_a_call():
    def fails() -> int:
        raise ValueError("no")

    def fine() -> int:
        return 1

    dr = driver.Builder().with_functions(fails, fine).build()
    keep_going = dr.with_execution_mode(on_error="keep_going")
    assert keep_going.execution_mode.on_error == "keep_going"
    assert dr.execution_mode.on_error == "fail_fast"  # the original keeps its mode
    assert keep_going.graph is dr.graph
    with pytest.raises(PartialExecutionError) as raised:
        keep_going.execute(["fails", "fine"])
    assert raised.value.results == {"fine": 1}
    with pytest.raises(ValueError, match="no"):
        dr.execute(["fails", "fine"])
    assert dr.with_execution_mode(max_concurrency=3).execution_mode.max_concurrency == 3
    with pytest.raises(ValueError):
        dr.with_execution_mode(schedule="sideways")


def test_an_async_generator_as_parallelizable_is_refused_with_what_to_do():
    source = """
from hamilton.htypes import Collect, Parallelizable

async def items(n: int) -> Parallelizable[int]:
    for i in range(n):
        yield i

def doubled(items: int) -> int:
    return items * 2

def total(doubled: Collect[int]) -> int:
    return sum(doubled)
"""
    module = ad_hoc_utils.module_from_source(source, "async_generator_fan_out")
    dr = driver.Builder().with_modules(module).enable_dynamic_execution(allow_experimental_mode=True).build()
    with pytest.raises(TypeError, match=r"async generator.*returns a list"):
        dr.execute(["total"], inputs={"n": 3})
