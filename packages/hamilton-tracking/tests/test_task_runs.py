"""Task-based runs (Parallelizable/Collect): every task's node executions, with their task ids."""

from __future__ import annotations

import pytest
from tracking_flows import parallel

from hamilton import driver
from hamilton.execution import executors
from hamilton.plugins.tracking import LocalTracker, TrackingStore

EXECUTORS = {
    "synchronous": executors.SynchronousLocalTaskExecutor,
    "threads": lambda: executors.MultiThreadingExecutor(max_tasks=3),
    "processes": lambda: executors.MultiProcessingExecutor(max_tasks=2),
}


def build(tracker: LocalTracker, executor_name: str) -> driver.Driver:
    return (
        driver.Builder()
        .with_modules(parallel)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(EXECUTORS[executor_name]())
        .with_adapters(tracker)
        .build()
    )


def latest(tracking_dir):
    store = TrackingStore(tracking_dir)
    return store.run(store.runs()[0].run_id)


@pytest.mark.parametrize("executor_name", sorted(EXECUTORS))
def test_every_task_is_recorded_with_its_task_id(tracking_dir, executor_name):
    dr = build(LocalTracker(path=tracking_dir), executor_name)
    assert dr.execute(["total_of_squares"], inputs={"items": [1, 2, 3, 4]}) == {"total_of_squares": 30}

    run = latest(tracking_dir)
    assert run.status == "success"
    by_task = {(n.node_name, n.task_id): n for n in run.nodes}
    expected = {("item", "expand-item"), ("total_of_squares", "collect-item")} | {
        ("squared", f"expand-item.{i}.block-item") for i in range(4)
    }
    assert set(by_task) == expected
    assert sorted(int(n.result.repr) for n in run.nodes if n.node_name == "squared") == [1, 4, 9, 16]
    assert by_task[("total_of_squares", "collect-item")].result.repr == "30"
    assert run.nodes[0].node_name == "item"
    assert run.nodes[-1].node_name == "total_of_squares"
    assert {n.name: n.role for n in run.graph}["item"] == "expand"


@pytest.mark.parametrize("executor_name", ["synchronous", "processes"])
def test_a_failing_item_is_recorded_and_its_error_propagates(tracking_dir, executor_name):
    dr = build(LocalTracker(path=tracking_dir), executor_name)
    with pytest.raises(ArithmeticError, match="item 3 fails on purpose"):
        dr.execute(["total_of_squares"], inputs={"items": [1, 2, 3, 4], "fail_on": 3})

    run = latest(tracking_dir)
    assert run.status == "failure"
    assert run.error_type == "ArithmeticError"
    failed = [n for n in run.nodes if n.status == "failure"]
    assert [(n.node_name, n.task_id) for n in failed] == [("squared", "expand-item.2.block-item")]
    assert "item 3 fails on purpose" in failed[0].error.message
    assert "total_of_squares" not in [n.node_name for n in run.nodes]
