"""The cache with ``async def`` nodes: awaited values are versioned, stored and read back, through
``execute``, ``aexecute``, the async driver, materializers, dynamic runs and execution modes."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from conftest import info_events, module

from hamilton import async_driver, base, driver
from hamilton.errors import PartialExecutionError
from hamilton.execution import executors
from hamilton.io.materialization import to

ASYNC_CHAIN = """
import asyncio

async def a(x: int) -> int:
    await asyncio.sleep(0)
    CALLS.append("a")
    return x + 1

def b(a: int) -> int:
    CALLS.append("b")
    return a * 2

async def c(a: int, b: int) -> dict:
    await asyncio.sleep(0)
    CALLS.append("c")
    return {"sum": a + b, "items": [a, b]}
"""


@pytest.fixture(autouse=True)
def _quiet_failures():
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def run(dr, how: str, request, **kwargs):
    if how == "aexecute":
        return asyncio.run(dr.aexecute(request, **kwargs))
    return dr.execute(request, **kwargs)


def cached_driver(flow, path, **mode):
    builder = driver.Builder().with_modules(flow).with_cache(path=path)
    if mode:
        builder = builder.with_execution_mode(**mode)
    return builder.build()


RUNS = {
    "execute": ("execute", {}),
    "aexecute": ("aexecute", {}),
    "threads": ("execute", {"sync_nodes": "threads"}),
}


@pytest.mark.parametrize("variant", list(RUNS))
def test_async_nodes_are_read_from_the_cache_on_the_second_run(tmp_path, variant):
    how, mode = RUNS[variant]
    flow = module(ASYNC_CHAIN)
    dr = cached_driver(flow, tmp_path, **mode)
    expected = {"c": {"sum": 6, "items": [2, 4]}}
    assert run(dr, how, ["c"], inputs={"x": 1}) == expected
    assert sorted(flow.CALLS) == ["a", "b", "c"]
    assert info_events(dr) == {"a": ["execute_node"], "b": ["execute_node"], "c": ["execute_node"]}
    flow.CALLS.clear()
    assert run(dr, how, ["c"], inputs={"x": 1}) == expected
    assert flow.CALLS == []
    assert info_events(dr) == {"a": ["get_result"], "b": ["get_result"], "c": ["get_result"]}


def test_the_stored_value_is_the_awaited_value(tmp_path):
    """A new driver on the same cache directory reads real values back (a coroutine could not be stored)."""
    first = module(ASYNC_CHAIN)
    cached_driver(first, tmp_path).execute(["c"], inputs={"x": 3})
    second = module(ASYNC_CHAIN)
    dr = cached_driver(second, tmp_path)
    assert asyncio.run(dr.aexecute(["c", "a"], inputs={"x": 3})) == {"c": {"sum": 12, "items": [4, 8]}, "a": 4}
    assert second.CALLS == []


def test_changed_inputs_recompute_async_nodes(tmp_path):
    flow = module(ASYNC_CHAIN)
    dr = cached_driver(flow, tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    flow.CALLS.clear()
    assert asyncio.run(dr.aexecute(["c"], inputs={"x": 2})) == {"c": {"sum": 9, "items": [3, 6]}}
    assert sorted(flow.CALLS) == ["a", "b", "c"]


def test_recompute_behavior_on_an_async_node(tmp_path):
    flow = module(ASYNC_CHAIN)
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path, recompute=["a"]).build()
    dr.execute(["c"], inputs={"x": 1})
    flow.CALLS.clear()
    assert asyncio.run(dr.aexecute(["c"], inputs={"x": 1})) == {"c": {"sum": 6, "items": [2, 4]}}
    assert flow.CALLS == ["a"]
    assert info_events(dr) == {"a": ["execute_node"], "b": ["get_result"], "c": ["get_result"]}


def test_async_driver_with_cache(tmp_path):
    flow = module(ASYNC_CHAIN)

    async def main():
        dr = await async_driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
        first = await dr.execute(["c"], inputs={"x": 1})
        calls = list(flow.CALLS)
        flow.CALLS.clear()
        second = await dr.execute(["c"], inputs={"x": 1})
        return first, calls, second, info_events(dr)

    first, calls, second, events = asyncio.run(main())
    assert first == second == {"c": {"sum": 6, "items": [2, 4]}}
    assert sorted(calls) == ["a", "b", "c"]
    assert flow.CALLS == []
    assert events == {"a": ["get_result"], "b": ["get_result"], "c": ["get_result"]}


def test_a_failed_async_node_is_not_cached_in_keep_going(tmp_path):
    flow = module(
        """
import asyncio

FAIL = [True]

async def flaky(x: int) -> int:
    await asyncio.sleep(0)
    CALLS.append("flaky")
    if FAIL[0]:
        raise ConnectionError("flaky")
    return x * 10

async def steady(x: int) -> int:
    CALLS.append("steady")
    return x + 1

def combined(flaky: int, steady: int) -> int:
    CALLS.append("combined")
    return flaky + steady
"""
    )
    dr = cached_driver(flow, tmp_path, on_error="keep_going")
    with pytest.raises(PartialExecutionError) as info:
        dr.execute(["combined", "steady"], inputs={"x": 1})
    assert info.value.results == {"steady": 2}
    assert list(info.value.failures) == ["flaky"]
    assert info.value.skipped == ["combined"]
    flow.CALLS.clear()
    flow.FAIL[0] = False
    assert asyncio.run(dr.aexecute(["combined", "steady"], inputs={"x": 1})) == {"combined": 12, "steady": 2}
    assert sorted(flow.CALLS) == ["combined", "flaky"]  # steady came from the cache


# -- materializers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["materialize", "amaterialize"])
def test_materialize_with_async_nodes_and_the_cache(tmp_path, how):
    flow = module(ASYNC_CHAIN)
    out = tmp_path / "out.json"
    dr = cached_driver(flow, tmp_path / "cache")
    saver = to.json(id="save_c", dependencies=["c"], path=str(out), combine=base.DictResult())

    def materialize():
        if how == "materialize":
            return dr.materialize(saver, additional_vars=["a"], inputs={"x": 1})
        return asyncio.run(dr.amaterialize(saver, additional_vars=["a"], inputs={"x": 1}))

    metadata, extra = materialize()
    assert json.loads(out.read_text()) == {"c": {"sum": 6, "items": [2, 4]}}
    assert extra == {"a": 2}
    assert set(metadata) == {"save_c"}
    flow.CALLS.clear()
    metadata_again, extra_again = materialize()
    assert flow.CALLS == []
    assert extra_again == {"a": 2}
    assert set(metadata_again) == {"save_c"}
    events = info_events(dr)
    assert events["a"] == events["b"] == events["c"] == ["get_result"]


def test_builder_materializers_with_async_nodes_and_the_cache(tmp_path):
    flow = module(ASYNC_CHAIN)
    out = tmp_path / "out.json"
    saver = to.json(id="save_c", dependencies=["c"], path=str(out), combine=base.DictResult())
    dr = driver.Builder().with_modules(flow).with_materializers(saver).with_cache(path=tmp_path / "cache").build()
    asyncio.run(dr.aexecute(["save_c"], inputs={"x": 2}))
    assert json.loads(out.read_text()) == {"c": {"sum": 9, "items": [3, 6]}}
    flow.CALLS.clear()
    dr.execute(["save_c"], inputs={"x": 2})
    assert flow.CALLS == []
    assert info_events(dr)["c"] == ["get_result"]


def test_async_driver_with_materializers_and_cache(tmp_path):
    flow = module(ASYNC_CHAIN)
    out = tmp_path / "out.json"
    saver = to.json(id="save_c", dependencies=["c"], path=str(out), combine=base.DictResult())

    async def main():
        dr = await (
            async_driver.Builder()
            .with_modules(flow)
            .with_materializers(saver)
            .with_cache(path=tmp_path / "cache")
            .build()
        )
        await dr.execute(["save_c"], inputs={"x": 1})
        flow.CALLS.clear()
        _, extra = await dr.materialize(additional_vars=["c"], inputs={"x": 1})
        return extra

    assert asyncio.run(main()) == {"c": {"sum": 6, "items": [2, 4]}}
    assert json.loads(out.read_text()) == {"c": {"sum": 6, "items": [2, 4]}}
    assert flow.CALLS == []


def test_a_loaded_value_feeds_a_cached_async_node(tmp_path):
    source_file = tmp_path / "in.json"
    source_file.write_text(json.dumps({"a": 1, "b": 2}))
    flow = module(
        """
import asyncio

from hamilton.function_modifiers import load_from, source

@load_from.json(path=source("p"))
async def size(payload: dict) -> int:
    await asyncio.sleep(0)
    CALLS.append("size")
    return len(payload)
"""
    )
    dr = (
        driver.Builder().with_modules(flow).with_cache(path=tmp_path / "c", default_loader_behavior="recompute").build()
    )
    assert dr.execute(["size"], inputs={"p": str(source_file)}) == {"size": 2}
    assert asyncio.run(dr.aexecute(["size"], inputs={"p": str(source_file)})) == {"size": 2}
    assert flow.CALLS == ["size"]
    events = info_events(dr)
    assert events["size.load_data.payload"] == ["execute_node"]
    assert events["size"] == ["get_result"]  # the loaded data did not change
    source_file.write_text(json.dumps({"a": 1}))
    assert asyncio.run(dr.aexecute(["size"], inputs={"p": str(source_file)})) == {"size": 1}
    assert flow.CALLS == ["size", "size"]


# -- dynamic runs --------------------------------------------------------------------------------------------

PARALLEL = """
import asyncio
import threading

from hamilton.htypes import Collect, Parallelizable

LOCK = threading.Lock()

def _called(name):
    with LOCK:
        CALLS.append(name)

def items(n: int) -> Parallelizable[int]:
    _called("items")
    yield from range(n)

async def doubled(items: int) -> int:
    await asyncio.sleep(0)
    _called("doubled")
    return items * 2

async def total(doubled: Collect[int]) -> int:
    _called("total")
    return sum(doubled)
"""


@pytest.mark.parametrize("how", ["execute", "aexecute"])
@pytest.mark.parametrize("remote", ["synchronous", "threads"])
def test_async_items_of_a_dynamic_run_are_cached_per_item(tmp_path, remote, how):
    flow = module(PARALLEL)
    executor = (
        executors.SynchronousLocalTaskExecutor()
        if remote == "synchronous"
        else executors.MultiThreadingExecutor(max_tasks=3)
    )
    dr = (
        driver.Builder()
        .with_modules(flow)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executor)
        .with_cache(path=tmp_path)
        .build()
    )
    assert run(dr, how, ["total"], inputs={"n": 4}) == {"total": 12}
    assert flow.CALLS.count("doubled") == 4
    flow.CALLS.clear()
    assert run(dr, how, ["total"], inputs={"n": 4}) == {"total": 12}
    assert flow.CALLS == ["items"]  # a Parallelizable node always runs; its async items are cache hits
    events = info_events(dr)
    item_keys = sorted(key for key in events if key[0] == "doubled")
    assert len(item_keys) == 4
    assert all(events[key] == ["get_result"] for key in item_keys)
    assert events[("total", "collect-items")] == ["get_result"]
