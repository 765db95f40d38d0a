"""DaskExecutor and the executor plugin "dask", on a real LocalCluster of worker processes."""

from __future__ import annotations

import json
import os

import dask_nodes
import pytest

from hamilton import driver, lifecycle, plugins
from hamilton.errors import PartialExecutionError
from hamilton.plugins import h_dask
from hamilton.plugins.dask_executor import DaskExecutor


def _builder(executor):
    return (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(dask_nodes)
        .with_remote_executor(executor)
    )


def test_fan_out_and_in_gives_the_local_result(client):
    dr = _builder(DaskExecutor(client=client)).build()
    result = dr.execute(["total"], inputs={"count": 13})
    assert result == {"total": sum(i * i for i in range(13))}


def test_many_items_come_back_in_item_order(client):
    dr = _builder(DaskExecutor(client=client)).build()
    dr_words = dr.execute(["joined"], inputs={"sentence": " ".join(f"w{i}" for i in range(300))})
    assert dr_words["joined"] == " ".join(f"W{i}" for i in range(300))  # async nodes, awaited in the workers


def test_the_plugin_name_uses_the_client_of_the_context(client):
    assert plugins.executor_factory("dask") is DaskExecutor
    dr = _builder("dask").build()
    with client.as_current():
        assert dr.execute(["total"], inputs={"count": 5}) == {"total": 30}


def test_an_executor_connects_to_a_scheduler_address(cluster):
    with DaskExecutor(address=cluster.scheduler_address) as executor:
        dr = _builder(executor).build()
        assert dr.execute(["total"], inputs={"count": 4}) == {"total": 14}
        assert dr.execute(["total"], inputs={"count": 3}) == {"total": 5}  # the connection is reused
    assert executor.client is None  # closed: it opened the connection itself


def test_a_given_client_is_never_closed(client):
    executor = DaskExecutor(client=client)
    executor.close()
    assert executor.client is client
    assert client.status == "running"


def test_a_failing_item_raises_its_own_error_naming_the_node(client):
    dr = _builder(DaskExecutor(client=client)).build()
    with pytest.raises(ValueError, match="thirteen is unlucky") as raised:
        dr.execute(["total"], inputs={"count": 20})
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "squared" in notes
    assert "dask_nodes" in notes
    # the cluster is still usable
    assert dr.execute(["total"], inputs={"count": 3}) == {"total": 5}


def test_keep_going_reports_the_failed_item_and_keeps_the_rest(client):
    dr = _builder(DaskExecutor(client=client)).with_execution_mode(on_error="keep_going").build()
    with pytest.raises(PartialExecutionError) as raised:
        dr.execute(["total"], inputs={"count": 15})
    assert any("squared" in name for name in raised.value.failures)


def test_large_results_cross_the_process_boundary(client):
    dr = _builder(DaskExecutor(client=client)).build()
    size = 20 * 1024 * 1024
    result = dr.execute(["blob_sizes"], inputs={"blob_count": 3, "blob_size": size})
    assert result == {"blob_sizes": [size, size, size]}


def test_max_tasks_bounds_what_is_submitted_and_still_finishes(client):
    dr = _builder(DaskExecutor(client=client, max_tasks=2)).build()
    assert dr.execute(["total"], inputs={"count": 12}) == {"total": sum(i * i for i in range(12))}


def test_max_tasks_must_be_positive():
    with pytest.raises(ValueError, match="max_tasks"):
        DaskExecutor(max_tasks=0)


class _TaskLog(lifecycle.api.TaskExecutionHook, lifecycle.api.TaskReturnHook):
    """Records task starts where they run (a file: workers are other processes) and task returns
    in the driver (a list)."""

    def __init__(self, path: str):
        self.path = path
        self.returned: list[str] = []

    def run_before_task_execution(self, *, task_id: str, **future_kwargs) -> None:
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"task": task_id, "pid": os.getpid()}) + "\n")

    def run_after_task_execution(self, **future_kwargs) -> None:
        pass

    def run_after_task_return(self, *, task_id: str, success: bool, **future_kwargs) -> None:
        self.returned.append(task_id)


def test_task_hooks_fire_in_the_workers_and_in_the_driver(client, tmp_path):
    log = _TaskLog(str(tmp_path / "tasks.jsonl"))
    dr = _builder(DaskExecutor(client=client)).with_adapters(log).build()
    assert dr.execute(["total"], inputs={"count": 4}) == {"total": 14}
    started = [json.loads(line) for line in (tmp_path / "tasks.jsonl").read_text().splitlines()]
    item_tasks = [entry for entry in started if ".block" in entry["task"] or "squared" in entry["task"]]
    assert len(item_tasks) == 4
    assert all(entry["pid"] != os.getpid() for entry in item_tasks)  # ran in the worker processes
    assert len([task_id for task_id in log.returned if task_id in {entry["task"] for entry in item_tasks}]) == 4


def test_a_task_that_cannot_be_pickled_fails_with_the_pickling_error(client):
    import threading

    dr = _builder(DaskExecutor(client=client)).build()
    with pytest.raises(Exception, match=r"(?i)pickle|serializ"):
        dr.execute(["total"], inputs={"count": 2}, overrides={"blob_size": threading.Lock()})


def test_h_dask_is_the_1x_module(client):
    assert h_dask.DaskExecutor is DaskExecutor
    executor = h_dask.DaskExecutor(client=client)  # 1.x's keyword-only signature
    assert _builder(executor).build().execute(["total"], inputs={"count": 2}) == {"total": 1}
