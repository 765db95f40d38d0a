"""Task-based runs (Parallelizable/Collect) and the adapter crossing thread/process boundaries."""

from __future__ import annotations

import pickle

import pytest
from conftest import CHAIN, info_events, module

from hamilton import driver
from hamilton.caching.adapter import CachingBehavior, HamiltonCacheAdapter
from hamilton.caching.stores.file import FileResultStore
from hamilton.caching.stores.sqlite import SQLiteMetadataStore
from hamilton.execution import executors

PARALLEL = """
from hamilton.htypes import Collect, Parallelizable

def items(n: int) -> Parallelizable[int]:
    CALLS.append("items")
    for i in range(n):
        yield i

def doubled(items: int) -> int:
    CALLS.append("doubled")
    return items * 2

def total(doubled: Collect[int]) -> int:
    CALLS.append("total")
    return sum(doubled)

def final(total: int) -> int:
    CALLS.append("final")
    return total + 1
"""


def parallel_driver(flow, path, remote=None):
    builder = driver.Builder().with_modules(flow).enable_dynamic_execution(allow_experimental_mode=True)
    if remote is not None:
        builder = builder.with_remote_executor(remote)
    return builder.with_cache(path=path).build()


@pytest.mark.parametrize("remote", [None, "synchronous"])
def test_task_based_run_is_cached_per_item(tmp_path, remote):
    flow = module(PARALLEL)
    dr = parallel_driver(flow, tmp_path, remote)
    assert dr.execute(["final"], inputs={"n": 3}) == {"final": 7}
    flow.CALLS.clear()
    assert dr.execute(["final"], inputs={"n": 3}) == {"final": 7}
    assert flow.CALLS == ["items"]  # Parallelizable nodes always recompute
    events = info_events(dr)
    assert events[("items", "expand-items")] == ["execute_node"]
    assert events[("total", "collect-items")] == ["get_result"]
    assert events[("final", "final")] == ["get_result"]
    item_keys = sorted(key for key in events if key[0] == "doubled")
    assert item_keys == [("doubled", f"expand-items.{i}.block-items") for i in range(3)]
    assert all(events[key] == ["get_result"] for key in item_keys)
    run_id = dr.cache.last_run_id
    assert dr.cache.behaviors[run_id]["items"] is CachingBehavior.RECOMPUTE
    assert set(dr.cache.cache_keys[run_id]["doubled"]) == {f"expand-items.{i}.block-items" for i in range(3)}
    key = dr.cache.get_cache_key(run_id, "doubled", task_id="expand-items.1.block-items")
    assert key.startswith("doubled-")


def test_a_new_item_only_computes_that_item(tmp_path):
    flow = module(PARALLEL)
    dr = parallel_driver(flow, tmp_path)
    dr.execute(["final"], inputs={"n": 3})
    flow.CALLS.clear()
    assert dr.execute(["final"], inputs={"n": 4}) == {"final": 13}
    assert flow.CALLS.count("doubled") == 1
    assert "total" in flow.CALLS
    assert "final" in flow.CALLS


def test_task_based_run_with_threads(tmp_path):
    flow = module(PARALLEL)
    dr = parallel_driver(flow, tmp_path, executors.MultiThreadingExecutor(max_tasks=4))
    assert dr.execute(["final"], inputs={"n": 6}) == {"final": 31}
    flow.CALLS.clear()
    assert dr.execute(["final"], inputs={"n": 6}) == {"final": 31}
    assert flow.CALLS == ["items"]


def test_view_run_refuses_task_based_runs(tmp_path):
    dr = parallel_driver(module(PARALLEL), tmp_path)
    dr.execute(["final"], inputs={"n": 2})
    with pytest.raises(ValueError, match=r"^`\.view\(\)` is currently not supported for task-based execution"):
        dr.cache.view_run()


def test_adapter_pickles_with_fresh_stores(tmp_path):
    flow = module(CHAIN)
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path, recompute=["b"], log_to_file=True).build()
    dr.execute(["c"], inputs={"x": 1})
    copy = pickle.loads(pickle.dumps(dr.cache))
    assert isinstance(copy, HamiltonCacheAdapter)
    assert isinstance(copy.metadata_store, SQLiteMetadataStore)
    assert copy.metadata_store is not dr.cache.metadata_store
    assert isinstance(copy.result_store, FileResultStore)
    assert copy.run_ids == dr.cache.run_ids
    assert copy.cache_keys == dr.cache.cache_keys
    assert copy.metadata_store.get_run_ids() == dr.cache.metadata_store.get_run_ids()
    flow.CALLS.clear()
    again = driver.Builder().with_modules(flow).with_adapters(copy).build()
    again.execute(["c"], inputs={"x": 1})
    assert flow.CALLS == ["b"]
