"""A worker process that dies mid-task: the error names the task that was running in it.

When a worker dies, ``concurrent.futures`` fails *every* pending future of the pool with the
same BrokenProcessPool, so the future the driver happens to look at first says nothing about
which task killed the worker. These tests crash one item of several in flight and check that
the culprit, and only the culprit, is named.
"""

import os
import signal
import time

import pytest

from hamilton import driver
from hamilton.execution import executors
from hamilton.execution.dynamic import WorkerCrashedError
from hamilton.htypes import Collect, Parallelizable


def item(count: int) -> Parallelizable[int]:
    yield from range(count)


def work(item: int) -> int:
    if item == 3:
        time.sleep(0.05)  # let the items before it start, so several are in flight
        os._exit(1)  # the worker dies without a Python exception
    time.sleep(0.3)
    return item


def gathered(work: Collect[int]) -> list:
    return list(work)


def _driver(max_tasks: int) -> driver.Driver:
    return (
        driver.Builder()
        .with_functions(item, work, gathered)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiProcessingExecutor(max_tasks=max_tasks))
        .build()
    )


@pytest.mark.parametrize("attempt", range(3))
def test_the_crashed_item_is_named_not_the_first_pending_one(attempt):
    dr = _driver(max_tasks=4)
    with pytest.raises(WorkerCrashedError) as caught:
        dr.execute(["gathered"], inputs={"count": 6})
    error = caught.value
    message = str(error)
    assert error.task_id is not None, message
    assert error.task_id.startswith("expand-item.3."), message
    # every other task is mentioned only as stopped with it, never as the one that crashed
    blamed = message.split("Stopped with it")[0]
    assert error.task_id in blamed
    assert all(f"expand-item.{other}." not in blamed for other in (0, 1, 2, 4, 5)), message
    assert "exit code 1" in blamed


def test_the_tasks_in_flight_are_listed():
    dr = _driver(max_tasks=4)
    with pytest.raises(WorkerCrashedError) as caught:
        dr.execute(["gathered"], inputs={"count": 6})
    in_flight = caught.value.in_flight
    assert caught.value.task_id in in_flight
    assert all(task_id.startswith("expand-item.") for task_id in in_flight)
    assert "SynchronousLocalTaskExecutor" in str(caught.value)


def test_the_next_run_on_the_same_executor_works():
    """The crash is diagnosed per run: a later run starts a fresh pool and a fresh record."""
    remote = executors.MultiProcessingExecutor(max_tasks=2)
    dr = (
        driver.Builder()
        .with_functions(item, work, gathered)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(remote)
        .build()
    )
    with pytest.raises(WorkerCrashedError):
        dr.execute(["gathered"], inputs={"count": 5})
    assert dr.execute(["gathered"], inputs={"count": 3}) == {"gathered": [0, 1, 2]}


def terminated(item: int) -> int:
    if item == 1:
        time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)  # the same signal the pool stops the other workers with
    time.sleep(0.3)
    return item


def terminated_all(terminated: Collect[int]) -> list:
    return list(terminated)


def test_when_the_culprit_cannot_be_told_the_error_says_so_and_lists_the_tasks_in_flight():
    dr = (
        driver.Builder()
        .with_functions(item, terminated, terminated_all)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiProcessingExecutor(max_tasks=3))
        .build()
    )
    with pytest.raises(WorkerCrashedError, match="cannot be told") as caught:
        dr.execute(["terminated_all"], inputs={"count": 3})
    assert caught.value.task_id is None
    assert any(task_id.startswith("expand-item.1.") for task_id in caught.value.in_flight)
    assert "expand-item.1." in str(caught.value)
