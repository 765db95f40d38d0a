"""``async def`` nodes on the ordinary Driver (execute and aexecute) and on the async driver."""

from __future__ import annotations

import asyncio

import pytest
from tracking_flows import async_nodes

from hamilton import async_driver, driver
from hamilton.errors import PartialExecutionError
from hamilton.plugins.tracking import LocalTracker, TrackingStore


def build(tracker: LocalTracker, **mode) -> driver.Driver:
    builder = driver.Builder().with_modules(async_nodes)
    if mode:
        builder = builder.with_execution_mode(**mode)
    return builder.with_adapters(tracker).build()


def latest(tracking_dir):
    store = TrackingStore(tracking_dir)
    return store.run(store.runs()[0].run_id)


def assert_tracked_with_awaited_results(run) -> None:
    assert run.status == "success"
    results = {n.node_name: (n.status, n.result.type, n.result.repr) for n in run.nodes}
    assert results == {
        "fetched": ("success", "int", "3"),
        "looked_up": ("success", "str", "'key-2'"),
        "combined": ("success", "str", "'key-2=3'"),
        "awaited_twice": ("success", "int", "6"),
    }
    assert all(n.task_id is None and n.error is None for n in run.nodes)
    assert all(run.started_at <= n.started_at <= n.ended_at <= run.ended_at for n in run.nodes)
    order = [n.node_name for n in run.nodes]
    assert order.index("combined") > max(order.index("fetched"), order.index("looked_up"))


def test_execute_tracks_async_nodes_with_their_awaited_results(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir))
    assert dr.execute(["combined", "awaited_twice"], inputs={"x": 2}) == {"combined": "key-2=3", "awaited_twice": 6}
    assert_tracked_with_awaited_results(latest(tracking_dir))


def test_aexecute_tracks_async_nodes_with_their_awaited_results(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir))
    results = asyncio.run(dr.aexecute(["combined", "awaited_twice"], inputs={"x": 2}))
    assert results == {"combined": "key-2=3", "awaited_twice": 6}
    assert_tracked_with_awaited_results(latest(tracking_dir))


def test_execute_called_inside_a_running_event_loop_is_tracked(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir))

    async def handler() -> dict:
        return dr.execute(["combined", "awaited_twice"], inputs={"x": 2})  # a sync call from async code

    assert asyncio.run(handler()) == {"combined": "key-2=3", "awaited_twice": 6}
    assert_tracked_with_awaited_results(latest(tracking_dir))


def test_concurrent_aexecute_runs_on_one_tracker_are_recorded_separately(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir))

    async def both() -> list:
        return await asyncio.gather(*(dr.aexecute(["combined"], inputs={"x": x}) for x in range(5)))

    assert asyncio.run(both()) == [{"combined": f"key-{x}={x + 1}"} for x in range(5)]
    store = TrackingStore(tracking_dir)
    runs = [store.run(r.run_id) for r in store.runs()]
    assert len(runs) == 5
    assert all(run.status == "success" and run.node_count == 3 for run in runs)
    assert sorted(run.inputs["x"].repr for run in runs) == [str(x) for x in range(5)]
    assert all(
        {n.node_name: n.result.repr for n in run.nodes}["combined"] == f"'key-{x}={int(x) + 1}'"
        for run in runs
        for x in [run.inputs["x"].repr]
    )


@pytest.mark.parametrize("sync_nodes", ["inline", "threads"])
def test_a_keep_going_async_run_records_the_failed_and_skipped_nodes(tracking_dir, sync_nodes):
    dr = build(LocalTracker(path=tracking_dir), on_error="keep_going", sync_nodes=sync_nodes)
    with pytest.raises(PartialExecutionError) as caught:
        asyncio.run(dr.aexecute(["combined", "awaited_twice"], inputs={"x": 2, "fail": True}))
    assert list(caught.value.failures) == ["looked_up"]
    assert caught.value.skipped == ["combined"]
    run = latest(tracking_dir)
    assert run.status == "partial"
    assert {n.node_name: n.status for n in run.nodes} == {
        "fetched": "success",
        "looked_up": "failure",
        "awaited_twice": "success",
        "combined": "skipped",
    }
    by_name = {n.node_name: n for n in run.nodes}
    assert by_name["looked_up"].error.type == "LookupError"
    assert by_name["awaited_twice"].result.repr == "6"
    assert by_name["combined"].note == "skipped: looked_up failed upstream"


def test_the_async_driver_tracks_async_nodes(tracking_dir):
    async def run() -> dict:
        builder = async_driver.Builder().with_modules(async_nodes).with_adapters(LocalTracker(path=tracking_dir))
        dr = await builder.build()
        return await dr.execute(["combined", "awaited_twice"], inputs={"x": 2})

    assert asyncio.run(run()) == {"combined": "key-2=3", "awaited_twice": 6}
    assert_tracked_with_awaited_results(latest(tracking_dir))
