"""keep_going runs: failed and skipped nodes, the ``partial`` run status, @fallback recoveries."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import warnings

import pytest
from tracking_flows import branches, parallel_steps

from hamilton import driver, lifecycle
from hamilton.errors import PartialExecutionError
from hamilton.execution import executors
from hamilton.plugins.tracking import LocalTracker, TrackingStore
from hamilton.plugins.tracking.adapter import RECOVERED_NOTE
from hamilton.plugins.tracking.ui import make_server


def keep_going(tracker: LocalTracker, module=branches) -> driver.Driver:
    builder = driver.Builder().with_modules(module).with_execution_mode(on_error="keep_going")
    return builder.with_adapters(tracker).build()


def latest(tracking_dir):
    store = TrackingStore(tracking_dir)
    return store.run(store.runs()[0].run_id)


def test_a_keep_going_run_records_failed_and_skipped_nodes_and_its_partial_status(tracking_dir):
    dr = keep_going(LocalTracker(path=tracking_dir, project="kg"))
    with pytest.raises(PartialExecutionError) as caught:
        dr.execute(["summary", "steady"], inputs={"count": 3, "fail": True})
    assert list(caught.value.failures) == ["fragile"]
    assert caught.value.skipped == ["doubled", "summary"]

    store = TrackingStore(tracking_dir)
    [summary] = store.runs()
    assert summary.status == "partial"
    assert (summary.node_count, summary.failed_count, summary.skipped_count) == (3, 1, 2)
    assert summary.error_type == "hamilton.errors.PartialExecutionError"
    assert "1 node(s) failed; 2 node(s) downstream were skipped" in summary.error_message
    assert [r.run_id for r in store.runs(status="partial")] == [summary.run_id]
    assert store.runs(status="failure") == []

    run = store.run(summary.run_id)
    statuses = {n.node_name: n.status for n in run.nodes}
    assert statuses == {
        "base": "success",
        "fragile": "failure",
        "steady": "success",
        "doubled": "skipped",
        "summary": "skipped",
    }
    assert [n.node_name for n in run.nodes][-2:] == ["doubled", "summary"]  # skipped ones last, in run order
    assert run.skipped_nodes == ["doubled", "summary"]
    assert run.failed_node == "fragile"
    by_name = {n.node_name: n for n in run.nodes}
    failed = by_name["fragile"]
    assert failed.error.type == "ValueError"
    assert "fragile rejects 3 on purpose" in failed.error.message
    assert "raise ValueError" in failed.error.traceback
    assert failed.note is None
    assert by_name["steady"].result.repr == "4"
    for name in ("doubled", "summary"):
        skipped = by_name[name]
        assert (skipped.result, skipped.error, skipped.ended_at, skipped.duration) == (None, None, None, None)
        assert skipped.note == "skipped: fragile failed upstream"
        assert skipped.started_at == run.ended_at
        assert skipped.task_id is None


def test_a_keep_going_run_without_failures_is_a_success(tracking_dir):
    dr = keep_going(LocalTracker(path=tracking_dir))
    assert dr.execute(["summary"], inputs={"count": 3}) == {"summary": "12/4"}
    run = latest(tracking_dir)
    assert run.status == "success"
    assert (run.failed_count, run.skipped_count, run.skipped_nodes) == (0, 0, [])
    assert all(n.status == "success" and n.note is None for n in run.nodes)


def test_partial_runs_show_in_the_ui_the_json_api_and_the_command_line(tracking_dir):
    tracker = LocalTracker(path=tracking_dir, project="kg")
    keep_going(tracker).execute(["steady"], inputs={"count": 1})
    with pytest.raises(PartialExecutionError):
        keep_going(tracker).execute(["summary", "steady"], inputs={"count": 3, "fail": True})
    partial, succeeded = TrackingStore(tracking_dir).runs()

    import urllib.request

    server = make_server(tracking_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(server.url + "?status=partial") as response:
            listing = response.read().decode()
        with urllib.request.urlopen(f"{server.url}runs/{partial.run_id}") as response:
            page = response.read().decode()
        with urllib.request.urlopen(f"{server.url}api/runs/{partial.run_id}") as response:
            data = json.loads(response.read())
    finally:
        server.shutdown()
        server.server_close()
    assert partial.run_id in listing
    assert succeeded.run_id not in listing
    assert 'class="badge status-partial">partial</span>' in listing
    assert "(1 failed, 2 skipped)" in listing
    assert 'data-node="doubled" data-status="skipped"' in page
    assert "Completed partially" in page
    assert "3 executed, 1 failed, 2 skipped" in page
    assert "skipped: fragile failed upstream" in page
    assert data["status"] == "partial"
    assert data["skipped_nodes"] == ["doubled", "summary"]
    assert data["skipped_count"] == 2
    assert [n["note"] for n in data["nodes"] if n["status"] == "skipped"] == ["skipped: fragile failed upstream"] * 2

    command = [sys.executable, "-m", "hamilton.plugins.tracking", "runs", "--path", str(tracking_dir)]
    listed = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
    assert listed[0].startswith(f"{partial.run_id}  partial ")
    assert "3 nodes (1 failed, 2 skipped)" in listed[0]
    assert "2 nodes (0 failed)" in listed[1]
    only_partial = subprocess.run([*command, "--status", "partial", "--json"], capture_output=True, text=True)
    assert [r["run_id"] for r in json.loads(only_partial.stdout)] == [partial.run_id]


def test_a_failure_recovered_by_a_fallback_is_a_failure_with_a_note(tracking_dir):
    from tracking_flows import fallbacks

    dr = keep_going(LocalTracker(path=tracking_dir), fallbacks)
    with pytest.raises(PartialExecutionError) as caught:
        dr.execute(["total"], inputs={"qty": 4, "fail": True})
    assert caught.value.recovered == frozenset({"price"})
    assert caught.value.results["total"] == 0.0
    run = latest(tracking_dir)
    assert run.status == "partial"
    assert run.skipped_nodes == []
    assert [(n.node_name, n.status, n.note) for n in run.nodes] == [
        ("price", "failure", RECOVERED_NOTE),
        ("total", "success", None),
    ]
    assert run.nodes[0].error.type == "ConnectionError"


def test_fail_fast_going_on_past_a_recovered_failure_is_a_success_with_the_failure_noted(tracking_dir):
    from tracking_flows import fallbacks

    tracker = LocalTracker(path=tracking_dir)
    dr = driver.Builder().with_modules(fallbacks).with_adapters(tracker).build()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert dr.execute(["total"], inputs={"qty": 4, "fail": True}) == {"total": 0.0}
    assert any("price" in str(w.message) and "total" in str(w.message) for w in record)
    run = latest(tracking_dir)
    assert run.status == "success"
    assert [(n.node_name, n.status, n.note) for n in run.nodes] == [
        ("price", "failure", RECOVERED_NOTE),
        ("total", "success", None),
    ]
    assert dr.execute(["total"], inputs={"qty": 4}) == {"total": 10.0}
    assert all(n.note is None for n in latest(tracking_dir).nodes)


EXECUTORS = {
    "synchronous": executors.SynchronousLocalTaskExecutor,
    "threads": lambda: executors.MultiThreadingExecutor(max_tasks=3),
    "processes": lambda: executors.MultiProcessingExecutor(max_tasks=2),
}


@pytest.mark.parametrize("executor_name", sorted(EXECUTORS))
def test_a_keep_going_run_of_a_parallel_block_records_the_failed_item_and_what_it_skipped(tracking_dir, executor_name):
    dr = (
        driver.Builder()
        .with_modules(parallel_steps)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(EXECUTORS[executor_name]())
        .with_execution_mode(on_error="keep_going")
        .with_adapters(LocalTracker(path=tracking_dir))
        .build()
    )
    with pytest.raises(PartialExecutionError) as caught:
        dr.execute(["joined", "item_count"], inputs={"items": [1, 2, 3, 4], "fail_on": 3})
    error = caught.value
    assert list(error.failures) == ["squared[2]"]
    assert "labelled[2]" in error.skipped
    assert "joined" in error.skipped
    assert error.results["item_count"] == 4

    run = latest(tracking_dir)
    assert run.status == "partial"
    failed = [(n.node_name, n.task_id) for n in run.nodes if n.status == "failure"]
    assert failed == [("squared", "expand-item.2.block-item")]
    skipped = {(n.node_name, n.task_id): n.note for n in run.nodes if n.status == "skipped"}
    assert skipped == {
        ("labelled", "expand-item.2.block-item"): "skipped: squared[2] failed upstream (item [2])",
        ("joined", None): "skipped: squared[2] failed upstream",
    }
    assert run.skipped_count == len(error.skipped) == 2
    succeeded = sorted((n.node_name, n.task_id) for n in run.nodes if n.status == "success")
    assert ("labelled", "expand-item.3.block-item") in succeeded
    assert ("item_count", "item_count") in succeeded or ("item_count", None) in succeeded
    assert sum(1 for name, _ in succeeded if name == "squared") == 3


class _RefuseFragile(lifecycle.NodeExecutionHook):
    def run_before_node_execution(self, *, node_name, **future_kwargs):
        if node_name == "fragile":
            raise PermissionError("fragile is not allowed today")

    def run_after_node_execution(self, **future_kwargs):
        pass


def test_a_node_stopped_by_another_hook_in_a_keep_going_run_is_recorded_once_as_failed(tracking_dir):
    tracker = LocalTracker(path=tracking_dir)
    builder = driver.Builder().with_modules(branches).with_execution_mode(on_error="keep_going")
    dr = builder.with_adapters(tracker, _RefuseFragile()).build()
    with pytest.raises(PartialExecutionError) as caught:
        dr.execute(["summary", "steady"], inputs={"count": 3})
    assert list(caught.value.failures) == ["fragile"]
    run = latest(tracking_dir)
    assert run.status == "partial"
    assert [(n.node_name, n.status) for n in run.nodes if n.node_name == "fragile"] == [("fragile", "failure")]
    fragile = next(n for n in run.nodes if n.node_name == "fragile")
    assert fragile.error.type == "PermissionError"
    assert "fragile is not allowed today" in fragile.error.message
    assert run.skipped_nodes == ["doubled", "summary"]
