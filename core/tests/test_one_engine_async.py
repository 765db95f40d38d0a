"""One engine: ``async def`` nodes on the ordinary Driver (``execute``, ``aexecute``, ``materialize``),
Parallelizable blocks with async nodes, lifecycle hooks, offloaded sync nodes, cancellation.

Concurrency is shown by structure, never by timing: ``asyncio.Event``/``threading.Barrier`` meetings
that could only complete if the nodes were in flight together (a generous timeout is a failsafe
whose expiry fails the test), and counters of the work in flight.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import textwrap
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, async_driver, base, driver, lifecycle
from hamilton.errors import PartialExecutionError
from hamilton.execution import executors
from hamilton.io.materialization import to
from hamilton.lifecycle import base as lifecycle_base

FAILSAFE = 10.0  # seconds a meeting may wait before the test is declared failed (never reached when correct)

_names = itertools.count()


def flow(source: str):
    """A fresh module made from ``source`` (its own globals: counters and logs start empty)."""
    return ad_hoc_utils.module_from_source(textwrap.dedent(source), f"one_engine_flow_{next(_names)}")


def hamilton_threads() -> list[str]:
    """Threads the engine names (offloaded sync nodes, the helper thread of a run inside a loop)."""
    return [t.name for t in threading.enumerate() if t.name.startswith("hamilton-node") or t.name == "hamilton-run"]


@pytest.fixture(autouse=True)
def _quiet_failures():
    """Failing nodes are logged by the engine; these tests fail nodes on purpose."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


MIXED = """
import asyncio

async def doubled(x: int) -> int:
    await asyncio.sleep(0)
    return x * 2

def plus_one(x: int) -> int:
    return x + 1

async def total(doubled: int, plus_one: int) -> int:
    await asyncio.sleep(0)
    return doubled + plus_one

def described(total: int, plus_one: int) -> str:
    return f"{total}/{plus_one}"
"""

SYNC_ONLY = """
def doubled(x: int) -> int:
    return x * 2

def plus_one(x: int) -> int:
    return x + 1

def total(doubled: int, plus_one: int) -> int:
    return doubled + plus_one

def described(total: int, plus_one: int) -> str:
    return f"{total}/{plus_one}"
"""


class Pairs(lifecycle.ResultBuilder):
    """A custom result builder: the outputs as sorted (name, value) pairs."""

    def build_result(self, **outputs):
        return sorted(outputs.items())


RESULT_BUILDERS = {
    "default": lambda: (),
    "DictResult": lambda: (base.DictResult(),),
    "custom": lambda: (Pairs(),),
}


# -- mixed graphs: the same results as the sync-only equivalent --------------------------------------------


@pytest.mark.parametrize("builder", list(RESULT_BUILDERS))
def test_mixed_graph_returns_what_the_sync_only_graph_returns(builder):
    adapters = RESULT_BUILDERS[builder]
    mixed = driver.Builder().with_modules(flow(MIXED)).with_adapters(*adapters()).build()
    plain = driver.Builder().with_modules(flow(SYNC_ONLY)).with_adapters(*adapters()).build()
    request = ["described", "total", "doubled"]
    expected = plain.execute(request, inputs={"x": 5})
    assert expected == (
        {"described": "16/6", "total": 16, "doubled": 10}
        if builder != "custom"
        else [("described", "16/6"), ("doubled", 10), ("total", 16)]
    )
    assert mixed.execute(request, inputs={"x": 5}) == expected
    assert asyncio.run(mixed.aexecute(request, inputs={"x": 5})) == expected
    assert asyncio.run(plain.aexecute(request, inputs={"x": 5})) == expected  # aexecute without async nodes


def test_overrides_and_function_references_work_with_async_nodes():
    module = flow(MIXED)
    dr = driver.Builder().with_modules(module).build()
    assert dr.execute([module.total], inputs={"x": 1}) == {"total": 4}
    assert dr.execute(["total"], inputs={"x": 1}, overrides={"doubled": 100}) == {"total": 102}
    assert asyncio.run(dr.aexecute(["total"], inputs={"x": 1}, overrides={"doubled": 100})) == {"total": 102}


@st.composite
def dags(draw, max_nodes: int = 8):
    """A random DAG: node i has parents among nodes < i (none: it reads the input x), and is async or not."""
    count = draw(st.integers(1, max_nodes))
    nodes = []
    for index in range(count):
        parents = sorted(draw(st.sets(st.integers(0, index - 1), max_size=3))) if index else []
        nodes.append((parents, draw(st.booleans())))
    outputs = sorted(draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=count)))
    return nodes, outputs


def dag_source(nodes, all_sync: bool) -> str:
    lines = ["import asyncio", ""]
    for index, (parents, is_async) in enumerate(nodes):
        is_async = is_async and not all_sync
        params = ", ".join(f"n{parent}: int" for parent in parents) or "x: int"
        terms = [f"{position + 2} * n{parent}" for position, parent in enumerate(parents)] or [f"{index + 1} * x"]
        lines.append(f"{'async ' if is_async else ''}def n{index}({params}) -> int:")
        if is_async:
            lines.append("    await asyncio.sleep(0)")
        lines.append(f"    return {index} + {' + '.join(terms)}")
        lines.append("")
    return "\n".join(lines)


def dag_reference(nodes, x: int) -> dict[str, int]:
    values: list[int] = []
    for index, (parents, _) in enumerate(nodes):
        if parents:
            values.append(index + sum((position + 2) * values[parent] for position, parent in enumerate(parents)))
        else:
            values.append(index + (index + 1) * x)
    return {f"n{index}": value for index, value in enumerate(values)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), st.integers(-5, 5), st.sampled_from(list(RESULT_BUILDERS)))
def test_random_mixed_dags_match_the_sync_only_graph_and_a_reference(dag, x, builder):
    nodes, outputs = dag
    request = [f"n{index}" for index in outputs]
    reference = dag_reference(nodes, x)
    adapters = RESULT_BUILDERS[builder]
    expected_outputs = {name: reference[name] for name in request}
    expected = Pairs().build_result(**expected_outputs) if builder == "custom" else expected_outputs
    plain = driver.Builder().with_modules(flow(dag_source(nodes, all_sync=True))).with_adapters(*adapters()).build()
    mixed = driver.Builder().with_modules(flow(dag_source(nodes, all_sync=False))).with_adapters(*adapters()).build()
    assert plain.execute(request, inputs={"x": x}) == expected
    assert mixed.execute(request, inputs={"x": x}) == expected
    assert asyncio.run(mixed.aexecute(request, inputs={"x": x})) == expected


# -- concurrency of independent async nodes ------------------------------------------------------------------

MEETING = f"""
import asyncio

async def gates(x: int) -> dict:
    return {{"left": asyncio.Event(), "right": asyncio.Event()}}

async def left(gates: dict) -> str:
    gates["left"].set()
    try:
        await asyncio.wait_for(gates["right"].wait(), {FAILSAFE})
    except asyncio.TimeoutError:
        return "left timed out"
    return "left met right"

async def right(gates: dict) -> str:
    gates["right"].set()
    try:
        await asyncio.wait_for(gates["left"].wait(), {FAILSAFE})
    except asyncio.TimeoutError:
        return "right timed out"
    return "right met left"

def both(left: str, right: str) -> tuple:
    return (left, right)
"""


def test_independent_async_nodes_overlap_in_execute_and_aexecute():
    """Each branch waits for the other to start: they can only finish if both are in flight together."""
    dr = driver.Builder().with_modules(flow(MEETING)).build()
    expected = {"both": ("left met right", "right met left")}
    assert dr.execute(["both"], inputs={"x": 0}) == expected
    assert asyncio.run(dr.aexecute(["both"], inputs={"x": 0})) == expected


FAN = f"""
import asyncio

STATE = {{"now": 0, "max": 0}}

async def _work(value: int, width: int) -> int:
    STATE["now"] += 1
    STATE["max"] = max(STATE["max"], STATE["now"])
    try:
        async def everyone_in_flight():
            while STATE["max"] < width:
                await asyncio.sleep(0)
        await asyncio.wait_for(everyone_in_flight(), {FAILSAFE})
        return value
    finally:
        STATE["now"] -= 1

async def w0(x: int, width: int) -> int:
    return await _work(x, width)

async def w1(x: int, width: int) -> int:
    return await _work(x + 1, width)

async def w2(x: int, width: int) -> int:
    return await _work(x + 2, width)

async def w3(x: int, width: int) -> int:
    return await _work(x + 3, width)

def summed(w0: int, w1: int, w2: int, w3: int) -> int:
    return w0 + w1 + w2 + w3
"""


@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_all_independent_async_nodes_are_in_flight_at_once(how):
    module = flow(FAN)
    dr = driver.Builder().with_modules(module).build()
    call = dr.execute if how == "execute" else lambda *a, **k: asyncio.run(dr.aexecute(*a, **k))
    assert call(["summed"], inputs={"x": 10, "width": 4}) == {"summed": 46}
    assert module.STATE["max"] == 4
    assert module.STATE["now"] == 0


# -- execute inside and outside a running loop ---------------------------------------------------------------

WHERE = """
import asyncio
import threading

SEEN = []

async def doubled(x: int) -> int:
    await asyncio.sleep(0)
    SEEN.append((threading.current_thread().name, id(asyncio.get_running_loop())))
    return x * 2

def total(doubled: int) -> int:
    return doubled + 1
"""


def test_execute_outside_a_loop_runs_async_nodes():
    module = flow(WHERE)
    dr = driver.Builder().with_modules(module).build()
    assert dr.execute(["total"], inputs={"x": 4}) == {"total": 9}
    assert [name for name, _ in module.SEEN] == [threading.current_thread().name]
    assert hamilton_threads() == []


def test_execute_called_from_a_coroutine_runs_on_another_loop_and_returns_the_value():
    module = flow(WHERE)
    dr = driver.Builder().with_modules(module).build()

    async def handler():  # an async test body calling the sync API
        caller_loop = id(asyncio.get_running_loop())
        result = dr.execute(["total"], inputs={"x": 4})
        return result, caller_loop

    result, caller_loop = asyncio.run(handler())
    assert result == {"total": 9}
    [(thread_name, node_loop)] = module.SEEN
    assert thread_name != threading.current_thread().name  # not run on the caller's (blocked) thread
    assert node_loop != caller_loop
    assert hamilton_threads() == []


def test_execute_from_a_coroutine_with_a_sync_only_graph():
    dr = driver.Builder().with_modules(flow(SYNC_ONLY)).build()

    async def handler():
        return dr.execute(["total"], inputs={"x": 2})

    assert asyncio.run(handler()) == {"total": 7}


# -- awaitable inputs ----------------------------------------------------------------------------------------

AWAITED = """
from typing import Any

def doubled(x: Any) -> int:
    return x * 2

async def plus_one(x: Any) -> int:
    return x + 1
"""


def test_awaitable_inputs_are_awaited_once_by_the_async_driver():
    awaited = []

    async def slow_value():
        awaited.append(1)
        await asyncio.sleep(0)
        return 4

    async def main():
        dr = await async_driver.Builder().with_modules(flow(AWAITED)).build()
        from_coroutine = await dr.execute(["doubled", "plus_one"], inputs={"x": slow_value()})
        task = asyncio.ensure_future(slow_value())
        from_task = await dr.execute(["doubled", "plus_one"], inputs={"x": task})
        return from_coroutine, from_task

    assert asyncio.run(main()) == ({"doubled": 8, "plus_one": 5}, {"doubled": 8, "plus_one": 5})
    assert awaited == [1, 1]


def test_awaitable_inputs_are_awaited_by_aexecute_of_an_untyped_input():
    """``x: Any`` accepts any value, so the type check lets the coroutine through; the run awaits it."""
    awaited = []

    async def slow_value():
        awaited.append(1)
        await asyncio.sleep(0)
        return 4

    async def main():
        dr = driver.Builder().with_modules(flow(AWAITED)).build()
        future = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(future.set_result, 10)
        return (
            await dr.aexecute(["doubled", "plus_one"], inputs={"x": slow_value()}),
            await dr.aexecute(["doubled", "plus_one"], inputs={"x": future}),
        )

    assert asyncio.run(main()) == ({"doubled": 8, "plus_one": 5}, {"doubled": 20, "plus_one": 11})
    assert awaited == [1]


TYPED_INPUT = """
def doubled(x: int) -> int:
    return x * 2

async def plus_one(x: int) -> int:
    return x + 1
"""


@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_an_awaitable_input_for_a_typed_parameter_is_awaited(how):
    """The graph has an async node, so the run is on a loop: the input is awaited before any node uses it."""
    awaited = []

    async def four():
        awaited.append(1)
        return 4

    dr = driver.Builder().with_modules(flow(TYPED_INPUT)).build()
    awaitable = four()
    try:
        if how == "execute":
            result = dr.execute(["doubled", "plus_one"], inputs={"x": awaitable})
        else:
            result = asyncio.run(dr.aexecute(["doubled", "plus_one"], inputs={"x": awaitable}))
    finally:
        awaitable.close()  # no "never awaited" warning if the run refused it
    assert result == {"doubled": 8, "plus_one": 5}
    assert awaited == [1]


# -- Parallelizable/Collect with async nodes -----------------------------------------------------------------

PARALLEL = """
import asyncio
import threading

from hamilton.htypes import Collect, Parallelizable

LOCK = threading.Lock()
STATE = {"now": 0, "max": 0}
BARRIER = []  # the test puts a threading.Barrier(width) here

def items(count: int) -> Parallelizable[int]:
    yield from range(count)

async def fetched(items: int, width: int) -> int:
    with LOCK:
        STATE["now"] += 1
        STATE["max"] = max(STATE["max"], STATE["now"])
    try:
        if items < width:  # the first `width` items meet here: only possible if they are in flight together
            await asyncio.to_thread(BARRIER[0].wait)
        await asyncio.sleep(0)
        return items * 10
    finally:
        with LOCK:
            STATE["now"] -= 1

def plus_one(fetched: int) -> int:
    return fetched + 1

async def gathered(plus_one: Collect[int]) -> list:
    return list(plus_one)
"""


def parallel_driver(module, max_tasks: int, builder=driver.Builder):
    return (
        builder()
        .with_modules(module)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=max_tasks))
        .build()
    )


@pytest.mark.parametrize("how", ["execute", "aexecute"])
@pytest.mark.parametrize("max_tasks", [2, 4])
def test_async_items_run_concurrently_up_to_max_tasks_and_collect_in_order(max_tasks, how):
    module = flow(PARALLEL)
    module.BARRIER.append(threading.Barrier(max_tasks, timeout=FAILSAFE))
    dr = parallel_driver(module, max_tasks)
    count = 3 * max_tasks + 1
    inputs = {"count": count, "width": max_tasks}
    result = (
        dr.execute(["gathered"], inputs=inputs)
        if how == "execute"
        else asyncio.run(dr.aexecute(["gathered"], inputs=inputs))
    )
    assert result == {"gathered": [index * 10 + 1 for index in range(count)]}
    assert 1 < module.STATE["max"] <= max_tasks
    assert module.STATE["now"] == 0


# -- materializers -------------------------------------------------------------------------------------------


def test_materialize_from_sync_code_saves_awaited_values(tmp_path):
    path = tmp_path / "total.json"
    dr = driver.Builder().with_modules(flow(MIXED)).build()
    saver = to.json(id="saved", dependencies=["total"], path=str(path), combine=base.DictResult())
    metadata, extra = dr.materialize(saver, additional_vars=["doubled"], inputs={"x": 3})
    assert json.loads(path.read_text()) == {"total": 10}
    assert extra == {"doubled": 6}
    assert set(metadata) == {"saved"}


def test_amaterialize_saves_awaited_values(tmp_path):
    path = tmp_path / "total.json"
    dr = driver.Builder().with_modules(flow(MIXED)).build()
    saver = to.json(id="saved", dependencies=["total", "plus_one"], path=str(path), combine=base.DictResult())
    metadata, extra = asyncio.run(dr.amaterialize(saver, additional_vars=["described"], inputs={"x": 3}))
    assert json.loads(path.read_text()) == {"total": 10, "plus_one": 4}
    assert extra == {"described": "10/4"}
    assert set(metadata) == {"saved"}


def test_materializers_given_to_the_builder_run_through_execute_and_aexecute(tmp_path):
    path = tmp_path / "total.json"
    saver = to.json(id="saved", dependencies=["total"], path=str(path), combine=base.DictResult())
    dr = driver.Builder().with_modules(flow(MIXED)).with_materializers(saver).build()
    result = dr.execute(["saved", "total"], inputs={"x": 1})
    assert result["total"] == 4
    assert json.loads(path.read_text()) == {"total": 4}
    path.unlink()
    result = asyncio.run(dr.aexecute(["saved", "total"], inputs={"x": 2}))
    assert result["total"] == 7
    assert json.loads(path.read_text()) == {"total": 7}


# -- lifecycle hooks -----------------------------------------------------------------------------------------


class SyncNodeHook(lifecycle.NodeExecutionHook):
    def __init__(self, log):
        self.log = log

    def run_before_node_execution(self, *, node_name, node_kwargs, **future_kwargs):
        self.log.append(("sync pre", node_name, dict(node_kwargs)))

    def run_after_node_execution(self, *, node_name, result, success, **future_kwargs):
        self.log.append(("sync post", node_name, result, success))


class AsyncNodeHook(lifecycle_base.BasePreNodeExecuteAsync, lifecycle_base.BasePostNodeExecuteAsync):
    def __init__(self, log):
        self.log = log

    async def pre_node_execute(self, *, run_id, node_, kwargs, task_id=None):
        await asyncio.sleep(0)
        self.log.append(("async pre", node_.name, dict(kwargs)))

    async def post_node_execute(self, *, run_id, node_, kwargs, success, error, result, task_id=None):
        await asyncio.sleep(0)
        self.log.append(("async post", node_.name, result, success))


class SyncGraphHook(lifecycle.GraphExecutionHook):
    def __init__(self, log):
        self.log = log

    def run_before_graph_execution(self, *, final_vars, **future_kwargs):
        self.log.append(("sync pre graph", list(final_vars)))

    def run_after_graph_execution(self, *, success, results, **future_kwargs):
        self.log.append(("sync post graph", success, results))


class AsyncGraphHook(lifecycle_base.BasePreGraphExecuteAsync, lifecycle_base.BasePostGraphExecuteAsync):
    def __init__(self, log):
        self.log = log

    async def pre_graph_execute(self, *, run_id, graph, final_vars, inputs, overrides):
        await asyncio.sleep(0)
        self.log.append(("async pre graph", list(final_vars)))

    async def post_graph_execute(self, *, run_id, graph, success, error, results):
        await asyncio.sleep(0)
        self.log.append(("async post graph", success, results))


def hooked_driver(source: str, log: list, **mode):
    builder = driver.Builder().with_modules(flow(source))
    if mode:
        builder = builder.with_execution_mode(**mode)
    return builder.with_adapters(SyncNodeHook(log), AsyncNodeHook(log), SyncGraphHook(log), AsyncGraphHook(log)).build()


@pytest.mark.parametrize("source", [MIXED, SYNC_ONLY], ids=["mixed", "sync-only"])
@pytest.mark.parametrize("how", ["execute", "aexecute", "threads"])
def test_sync_and_async_hooks_are_called_in_order_with_awaited_results(source, how):
    log: list = []
    dr = hooked_driver(source, log, **({"sync_nodes": "threads"} if how == "threads" else {}))
    if how == "aexecute":
        result = asyncio.run(dr.aexecute(["total"], inputs={"x": 3}))
    else:
        result = dr.execute(["total"], inputs={"x": 3})
    assert result == {"total": 10}
    assert log[:2] == [("sync pre graph", ["total"]), ("async pre graph", ["total"])]
    assert log[-2:] == [("sync post graph", True, {"total": 10}), ("async post graph", True, {"total": 10})]
    expected = {
        "doubled": ({"x": 3}, 6),
        "plus_one": ({"x": 3}, 4),
        "total": ({"doubled": 6, "plus_one": 4}, 10),
    }
    for name, (kwargs, value) in expected.items():
        events = [event for event in log[2:-2] if event[1] == name]
        assert events == [
            ("sync pre", name, kwargs),
            ("async pre", name, kwargs),
            ("sync post", name, value, True),
            ("async post", name, value, True),
        ]
    assert len(log) == 4 + 4 * len(expected)
    # total's hooks come after both of its inputs' post hooks
    assert log.index(("sync pre", "total", expected["total"][0])) > max(
        log.index(("async post", "doubled", 6, True)), log.index(("async post", "plus_one", 4, True))
    )


def test_hooks_see_a_failing_async_node_and_the_failed_run():
    log: list = []
    source = """
async def broken(x: int) -> int:
    raise ValueError("broken")
"""
    dr = hooked_driver(source, log)
    with pytest.raises(ValueError, match="broken"):
        dr.execute(["broken"], inputs={"x": 1})
    assert log == [
        ("sync pre graph", ["broken"]),
        ("async pre graph", ["broken"]),
        ("sync pre", "broken", {"x": 1}),
        ("async pre", "broken", {"x": 1}),
        ("sync post", "broken", None, False),
        ("async post", "broken", None, False),
        ("sync post graph", False, None),
        ("async post graph", False, None),
    ]


# -- sync_nodes="threads" ------------------------------------------------------------------------------------

BLOCKING = f"""
import asyncio
import threading
import time

STARTED = threading.Event()
RELEASED = threading.Event()
THREADS = {{}}

def blocker(x: int) -> str:
    THREADS["blocker"] = threading.current_thread().name
    STARTED.set()
    for _ in range(int({FAILSAFE} * 100)):  # blocks its thread until the async node releases it
        if RELEASED.is_set():
            return "released"
        time.sleep(0.01)
    return "stalled"

async def releaser(x: int) -> str:
    THREADS["loop"] = threading.current_thread().name
    for _ in range(int({FAILSAFE} * 200)):  # can only see STARTED if the loop is not blocked by blocker
        if STARTED.is_set():
            break
        await asyncio.sleep(0.005)
    RELEASED.set()
    return "released it"

def both(blocker: str, releaser: str) -> tuple:
    THREADS["both"] = threading.current_thread().name
    return (blocker, releaser)
"""


@pytest.mark.parametrize("how", ["execute", "aexecute", "execute in a loop"])
def test_a_blocking_sync_node_offloaded_to_a_thread_does_not_stall_async_nodes(how):
    module = flow(BLOCKING)
    dr = driver.Builder().with_modules(module).with_execution_mode(sync_nodes="threads").build()

    async def in_a_loop():
        return dr.execute(["both"], inputs={"x": 0})

    if how == "execute":
        result = dr.execute(["both"], inputs={"x": 0})
    elif how == "aexecute":
        result = asyncio.run(dr.aexecute(["both"], inputs={"x": 0}))
    else:
        result = asyncio.run(in_a_loop())
    assert result == {"both": ("released", "released it")}
    assert module.THREADS["blocker"] != module.THREADS["loop"]
    assert module.THREADS["blocker"].startswith("hamilton-node")
    assert module.THREADS["both"].startswith("hamilton-node")
    assert hamilton_threads() == []


def test_inline_sync_nodes_run_on_the_loop_thread():
    source = """
import asyncio
import threading

THREADS = {}

async def first(x: int) -> int:
    THREADS["loop"] = threading.current_thread().name
    return x

def second(first: int) -> int:
    THREADS["sync"] = threading.current_thread().name
    return first + 1
"""
    module = flow(source)
    dr = driver.Builder().with_modules(module).build()
    assert asyncio.run(dr.aexecute(["second"], inputs={"x": 1})) == {"second": 2}
    assert module.THREADS["sync"] == module.THREADS["loop"] == threading.current_thread().name


def test_independent_sync_nodes_overlap_on_threads_without_any_async_node():
    source = f"""
import threading

BARRIER = threading.Barrier(2, timeout={FAILSAFE})
THREADS = []

def left(x: int) -> int:
    THREADS.append(threading.current_thread().name)
    BARRIER.wait()  # raises BrokenBarrierError unless right is running at the same time
    return x

def right(x: int) -> int:
    THREADS.append(threading.current_thread().name)
    BARRIER.wait()
    return x + 1

def both(left: int, right: int) -> int:
    return left + right
"""
    module = flow(source)
    dr = driver.Builder().with_modules(module).with_execution_mode(sync_nodes="threads").build()
    assert dr.execute(["both"], inputs={"x": 1}) == {"both": 3}
    assert len(module.THREADS) == 2
    assert all(name.startswith("hamilton-node") for name in module.THREADS)
    assert threading.current_thread().name not in module.THREADS
    assert hamilton_threads() == []


# -- cancellation --------------------------------------------------------------------------------------------

SIBLINGS = f"""
import asyncio

STARTED = []
LOG = []

async def sleeper(x: int) -> int:
    STARTED.append("sleeper")
    try:
        await asyncio.sleep({FAILSAFE})
    except asyncio.CancelledError:
        LOG.append("sleeper cancelled")
        raise
    LOG.append("sleeper slept to the end")
    return x

async def napper(x: int) -> int:
    STARTED.append("napper")
    try:
        await asyncio.sleep({FAILSAFE})
    except asyncio.CancelledError:
        LOG.append("napper cancelled")
        raise
    LOG.append("napper slept to the end")
    return x

async def failing(x: int) -> int:
    for _ in range(10000):  # fail once both siblings are in flight
        if len(STARTED) == 2:
            break
        await asyncio.sleep(0)
    raise ValueError("failing on purpose")

def total(sleeper: int, napper: int, failing: int) -> int:
    return sleeper + napper + failing
"""


def test_a_failing_async_node_cancels_its_in_flight_siblings_in_aexecute():
    module = flow(SIBLINGS)
    dr = driver.Builder().with_modules(module).build()

    async def main():
        with pytest.raises(ValueError, match="failing on purpose"):
            await dr.aexecute(["total"], inputs={"x": 1})
        return asyncio.all_tasks()

    remaining = asyncio.run(main())
    assert len(remaining) == 1  # only main itself
    assert sorted(module.STARTED) == ["napper", "sleeper"]
    assert sorted(module.LOG) == ["napper cancelled", "sleeper cancelled"]


@pytest.mark.parametrize("in_a_loop", [False, True])
def test_a_failing_async_node_cancels_its_in_flight_siblings_in_execute(in_a_loop):
    module = flow(SIBLINGS)
    dr = driver.Builder().with_modules(module).build()

    async def handler():
        dr.execute(["total"], inputs={"x": 1})

    with pytest.raises(ValueError, match="failing on purpose"):
        asyncio.run(handler()) if in_a_loop else dr.execute(["total"], inputs={"x": 1})
    assert sorted(module.LOG) == ["napper cancelled", "sleeper cancelled"]
    assert hamilton_threads() == []


def test_cancelling_the_task_running_aexecute_cancels_the_run():
    source = f"""
import asyncio

STARTED = []
LOG = []

async def sleeper(x: int) -> int:
    STARTED.append("sleeper")
    try:
        await asyncio.sleep({FAILSAFE})
    except asyncio.CancelledError:
        LOG.append("sleeper cancelled")
        raise
    LOG.append("sleeper slept to the end")
    return x

async def napper(x: int) -> int:
    STARTED.append("napper")
    try:
        await asyncio.sleep({FAILSAFE})
    except asyncio.CancelledError:
        LOG.append("napper cancelled")
        raise
    return x

def total(sleeper: int, napper: int) -> int:
    LOG.append("total ran")
    return sleeper + napper
"""
    module = flow(source)
    dr = driver.Builder().with_modules(module).build()

    async def main():
        task = asyncio.create_task(dr.aexecute(["total"], inputs={"x": 1}))
        for _ in range(10000):
            if len(module.STARTED) == 2:
                break
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return asyncio.all_tasks()

    remaining = asyncio.run(main())
    assert len(remaining) == 1
    assert sorted(module.LOG) == ["napper cancelled", "sleeper cancelled"]


def test_cancelling_aexecute_waits_for_offloaded_sync_nodes():
    """A thread cannot be interrupted: the cancelled call returns only once its sync node finished."""
    source = """
import asyncio
import threading
import time

STARTED = threading.Event()
LOG = []

def slow(x: int) -> int:
    STARTED.set()
    time.sleep(0.2)
    LOG.append("slow finished")
    return x

async def quick(x: int) -> int:
    await asyncio.sleep(0)
    return x

def total(slow: int, quick: int) -> int:
    LOG.append("total ran")
    return slow + quick
"""
    module = flow(source)
    dr = driver.Builder().with_modules(module).with_execution_mode(sync_nodes="threads").build()

    async def main():
        task = asyncio.create_task(dr.aexecute(["total"], inputs={"x": 1}))
        for _ in range(10000):
            if module.STARTED.is_set():
                break
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return list(module.LOG), hamilton_threads(), asyncio.all_tasks()

    log, threads, remaining = asyncio.run(main())
    assert log == ["slow finished"]
    assert threads == []
    assert len(remaining) == 1


def test_cancelling_a_dynamic_aexecute_leaves_no_thread_running():
    source = f"""
import threading

from hamilton.htypes import Collect, Parallelizable

STARTED = threading.Event()
RELEASE = threading.Event()
DONE = []

def items(count: int) -> Parallelizable[int]:
    yield from range(count)

def held(items: int) -> int:
    STARTED.set()
    RELEASE.wait({FAILSAFE})
    DONE.append(items)
    return items

def gathered(held: Collect[int]) -> list:
    return list(held)
"""
    module = flow(source)
    dr = parallel_driver(module, max_tasks=2)
    before = set(threading.enumerate())

    async def main():
        task = asyncio.create_task(dr.aexecute(["gathered"], inputs={"count": 4}))
        for _ in range(10000):
            if module.STARTED.is_set():
                break
            await asyncio.sleep(0.001)
        task.cancel()
        module.RELEASE.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        # threads the run started (the caller loop's default executor, named asyncio_*, is the caller's)
        started = [t.name for t in threading.enumerate() if t not in before and not t.name.startswith("asyncio_")]
        return started, asyncio.all_tasks()

    started_threads, remaining = asyncio.run(main())
    assert started_threads == []
    assert len(remaining) == 1
    assert module.DONE  # the items in flight finished (threads cannot be interrupted)


INTERRUPTED = f"""
import asyncio

LOG = []

async def sleeper(x: int) -> int:
    try:
        await asyncio.sleep({FAILSAFE})
    except asyncio.CancelledError:
        LOG.append("sleeper cancelled")
        raise
    LOG.append("sleeper slept to the end")
    return x

def interrupting(x: int) -> int:
    raise KeyboardInterrupt

async def async_interrupting(x: int) -> int:
    await asyncio.sleep(0)
    raise KeyboardInterrupt

def total(sleeper: int, interrupting: int) -> int:
    return sleeper + interrupting

def async_total(sleeper: int, async_interrupting: int) -> int:
    return sleeper + async_interrupting
"""


@pytest.mark.parametrize("output", ["total", "async_total"])
@pytest.mark.parametrize("where", ["outside a loop", "inside a loop", "threads"])
def test_a_keyboard_interrupt_in_a_node_propagates_from_execute(output, where):
    module = flow(INTERRUPTED)
    builder = driver.Builder().with_modules(module)
    if where == "threads":
        builder = builder.with_execution_mode(sync_nodes="threads")
    dr = builder.build()

    async def handler():
        dr.execute([output], inputs={"x": 1})

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(handler()) if where == "inside a loop" else dr.execute([output], inputs={"x": 1})
    assert "sleeper slept to the end" not in module.LOG
    assert hamilton_threads() == []


def test_a_keyboard_interrupt_in_a_sync_only_graph_propagates():
    source = """
def interrupting(x: int) -> int:
    raise KeyboardInterrupt
"""
    dr = driver.Builder().with_modules(flow(source)).build()
    with pytest.raises(KeyboardInterrupt):
        dr.execute(["interrupting"], inputs={"x": 1})


# -- GracefulErrorAdapter ------------------------------------------------------------------------------------

GRACEFUL = """
import asyncio

from hamilton.lifecycle import accept_error_sentinels

async def risky(x: int) -> int:
    await asyncio.sleep(0)
    if x < 0:
        raise ValueError("negative")
    return x

def downstream(risky: int) -> int:
    return risky + 1

async def async_downstream(downstream: int) -> int:
    return downstream * 2

def independent(x: int) -> int:
    return x * 10

@accept_error_sentinels
def reporter(risky: object) -> str:
    return f"got {risky!r}"
"""

GRACEFUL_SYNC = GRACEFUL.replace("async def", "def").replace("    await asyncio.sleep(0)\n", "")

SENTINEL = "<<failed>>"


@pytest.mark.parametrize("source", [GRACEFUL, GRACEFUL_SYNC], ids=["async", "sync"])
@pytest.mark.parametrize("how", ["execute", "aexecute"])
def test_graceful_error_adapter_turns_failures_into_sentinels(source, how):
    dr = (
        driver.Builder()
        .with_modules(flow(source))
        .with_adapters(lifecycle.GracefulErrorAdapter(error_to_catch=ValueError, sentinel_value=SENTINEL))
        .build()
    )
    request = ["risky", "downstream", "async_downstream", "independent", "reporter"]

    def run(x):
        if how == "execute":
            return dr.execute(request, inputs={"x": x})
        return asyncio.run(dr.aexecute(request, inputs={"x": x}))

    assert run(-1) == {
        "risky": SENTINEL,
        "downstream": SENTINEL,
        "async_downstream": SENTINEL,
        "independent": -10,
        "reporter": f"got {SENTINEL!r}",
    }
    assert run(2) == {"risky": 2, "downstream": 3, "async_downstream": 6, "independent": 20, "reporter": "got 2"}


@pytest.mark.parametrize("source", [GRACEFUL, GRACEFUL_SYNC], ids=["async", "sync"])
def test_graceful_error_adapter_lets_other_errors_through(source):
    dr = (
        driver.Builder()
        .with_modules(flow(source))
        .with_adapters(lifecycle.GracefulErrorAdapter(error_to_catch=KeyError, sentinel_value=SENTINEL))
        .build()
    )
    with pytest.raises(ValueError, match="negative"):
        dr.execute(["downstream"], inputs={"x": -1})


# -- the async driver's builder ------------------------------------------------------------------------------


def test_async_driver_builder_allows_materializers(tmp_path):
    path = tmp_path / "total.json"
    saver = to.json(id="saved", dependencies=["total"], path=str(path), combine=base.DictResult())

    async def main():
        dr = await async_driver.Builder().with_modules(flow(MIXED)).with_materializers(saver).build()
        result = await dr.execute(["saved", "total"], inputs={"x": 3})
        other_path = tmp_path / "other.json"
        other = to.json(id="other", dependencies=["doubled"], path=str(other_path), combine=base.DictResult())
        metadata, extra = await dr.materialize(other, additional_vars=["plus_one"], inputs={"x": 3})
        return result, json.loads(other_path.read_text()), extra, set(metadata)

    result, saved_other, extra, ids = asyncio.run(main())
    assert result["total"] == 10
    assert json.loads(path.read_text()) == {"total": 10}
    assert saved_other == {"doubled": 6}
    assert extra == {"plus_one": 4}
    assert ids == {"other"}


def test_async_driver_builder_allows_dynamic_execution():
    module = flow(PARALLEL)
    module.BARRIER.append(threading.Barrier(2, timeout=FAILSAFE))

    async def main():
        dr = await (
            async_driver.Builder()
            .with_modules(module)
            .enable_dynamic_execution(allow_experimental_mode=True)
            .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=2))
            .build()
        )
        return await dr.execute(["gathered"], inputs={"count": 5, "width": 2})

    assert asyncio.run(main()) == {"gathered": [1, 11, 21, 31, 41]}
    assert 1 < module.STATE["max"] <= 2


def test_async_driver_builder_allows_execution_modes():
    source = """
async def broken(x: int) -> int:
    raise ValueError("broken")

def after(broken: int) -> int:
    return broken

async def fine(x: int) -> int:
    return x + 1
"""

    async def main():
        dr = await async_driver.Builder().with_modules(flow(source)).with_execution_mode(on_error="keep_going").build()
        with pytest.raises(PartialExecutionError) as info:
            await dr.execute(["after", "fine"], inputs={"x": 1})
        return dr, info.value

    dr, error = asyncio.run(main())
    assert dr.execution_mode.on_error == "keep_going"
    assert error.results == {"fine": 2}
    assert list(error.failures) == ["broken"]
    assert error.skipped == ["after"]


GRACEFUL_PARALLEL = """
import asyncio

from hamilton.htypes import Collect, Parallelizable

def items(count: int) -> Parallelizable[int]:
    yield from range(count)

async def checked(items: int) -> int:
    await asyncio.sleep(0)
    if items == 1:
        raise ValueError("item 1 is bad")
    return items * 10

def plus_one(checked: int) -> int:
    return checked + 1

def gathered(plus_one: Collect[int]) -> list:
    return list(plus_one)
"""


@pytest.mark.parametrize("remote", ["synchronous", "threads"])
def test_graceful_error_adapter_with_async_nodes_in_a_parallel_block(remote):
    executor = (
        executors.SynchronousLocalTaskExecutor()
        if remote == "synchronous"
        else executors.MultiThreadingExecutor(max_tasks=2)
    )
    dr = (
        driver.Builder()
        .with_modules(flow(GRACEFUL_PARALLEL))
        .with_adapters(lifecycle.GracefulErrorAdapter(error_to_catch=ValueError, sentinel_value=SENTINEL))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executor)
        .build()
    )
    assert dr.execute(["gathered"], inputs={"count": 3}) == {"gathered": [1, SENTINEL, 21]}
    assert asyncio.run(dr.aexecute(["gathered"], inputs={"count": 3})) == {"gathered": [1, SENTINEL, 21]}
