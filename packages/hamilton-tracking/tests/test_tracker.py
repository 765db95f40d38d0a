"""LocalTracker through the public Driver/Builder API, read back through TrackingStore."""

from __future__ import annotations

import inspect
import os
import pickle
import sqlite3
import subprocess
import sys
import textwrap
import threading
import warnings

import pytest
from tracking_flows import basic

from hamilton import driver, lifecycle, plugins
from hamilton.io.materialization import to
from hamilton.plugins.tracking import (
    LocalTracker,
    RunNotFoundError,
    SchemaVersionError,
    TrackingStore,
    TrackingWarning,
)
from hamilton.plugins.tracking.store import SCHEMA_VERSION, database_file

TESTS = os.path.dirname(__file__)


def build(tracker: LocalTracker, module=basic, config=None) -> driver.Driver:
    return driver.Builder().with_modules(module).with_config(config or {}).with_adapters(tracker).build()


def test_a_successful_run_is_recorded_with_its_nodes_inputs_config_and_graph(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir, project="demo"), config={"region": "eu"})
    assert dr.execute(["report"], inputs={"count": 4}) == {"report": "report: 1.5"}

    store = TrackingStore(tracking_dir)
    [summary] = store.runs()
    assert (summary.project, summary.status, summary.final_vars) == ("demo", "success", ["report"])
    assert summary.node_count == 5
    assert summary.failed_count == 0
    assert summary.duration is not None
    assert summary.duration >= 0

    run = store.run(summary.run_id)
    assert [n.node_name for n in run.nodes] == ["numbers", "total", "mean", "checked", "report"]
    assert all(n.status == "success" and n.task_id is None for n in run.nodes)
    assert all(run.started_at <= n.started_at <= n.ended_at <= run.ended_at for n in run.nodes)
    numbers = run.nodes[0].result
    assert (numbers.type, numbers.repr, numbers.size) == ("list", "[0, 1, 2, 3]", "len 4")
    assert run.nodes[-1].result.repr == "'report: 1.5'"
    assert run.inputs["count"].repr == "4"
    assert run.inputs["count"].type == "int"
    assert run.config["region"].repr == "'eu'"
    graph = {node.name: node for node in run.graph}
    assert graph["total"].tags["owner"] == "data-team"
    assert graph["total"].source == f"tracking_flows.basic:{inspect.getsourcelines(basic.total)[1]}"
    assert graph["total"].function == "tracking_flows.basic.total"
    assert graph["mean"].dependencies == ["numbers", "total"]
    assert graph["checked"].optional_dependencies == ["fail"]
    assert graph["count"].source is None
    assert graph["count"].is_input
    assert not graph["mean"].is_input
    assert run.failed_node is None
    assert run.error_type is None


def test_a_failing_run_records_the_failing_node_and_the_users_exception_propagates(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir))
    with pytest.raises(ValueError, match="rejected on purpose") as caught:
        dr.execute(["report"], inputs={"count": 3, "fail": True})
    assert type(caught.value) is ValueError

    run = TrackingStore(tracking_dir).run(TrackingStore(tracking_dir).runs()[0].run_id)
    assert run.status == "failure"
    assert run.failed_node == "checked"
    assert run.error_type == "ValueError"
    assert "rejected on purpose" in run.error_message
    assert [(n.node_name, n.status) for n in run.nodes] == [
        ("numbers", "success"),
        ("total", "success"),
        ("mean", "success"),
        ("checked", "failure"),
    ]
    failed = run.nodes[-1]
    assert failed.result is None
    assert failed.error.type == "ValueError"
    assert failed.error.message.startswith("mean 1.0 rejected on purpose")
    assert 'raise ValueError(f"mean {mean} rejected on purpose")' in failed.error.traceback


def test_runs_are_listed_newest_first_and_filtered_by_project(tracking_dir):
    for project in ("alpha", "beta", "alpha"):
        build(LocalTracker(path=tracking_dir, project=project)).execute(["total"], inputs={"count": 2})
    store = TrackingStore(tracking_dir)
    runs = store.runs()
    assert [r.project for r in runs] == ["alpha", "beta", "alpha"]
    assert runs[0].started_at >= runs[1].started_at >= runs[2].started_at
    assert [r.project for r in store.runs(project="alpha")] == ["alpha", "alpha"]
    assert len(store.runs(limit=1)) == 1
    assert store.runs(status="failure") == []
    assert store.projects() == ["alpha", "beta"]


def test_overrides_and_materialize_are_recorded(tracking_dir, tmp_path):
    tracker = LocalTracker(path=tracking_dir)
    dr = build(tracker)
    dr.execute(["report"], inputs={"count": 3}, overrides={"total": 30})
    _saved, extra = dr.materialize(
        to.pickle(id="mean_to_pickle", dependencies=["mean"], path=str(tmp_path / "mean.pkl")),
        additional_vars=["total"],
        inputs={"count": 3},
    )
    assert (tmp_path / "mean.pkl").exists()
    assert extra == {"total": 3}

    store = TrackingStore(tracking_dir)
    materialized, overridden = (store.run(r.run_id) for r in store.runs())
    assert overridden.overrides == ["total"]
    assert "total" not in [n.node_name for n in overridden.nodes]
    assert overridden.nodes[-1].result.repr == "'report: 10.0'"
    assert materialized.status == "success"
    assert set(materialized.final_vars) == {"mean_to_pickle", "total"}
    assert "mean_to_pickle" in [n.node_name for n in materialized.nodes]
    assert "mean_to_pickle" in [n.name for n in materialized.graph]


def test_the_plugin_registers_local_tracker(tracking_dir):
    tracker = plugins.adapter("local_tracker", path=tracking_dir, project="via-plugin")
    assert isinstance(tracker, LocalTracker)
    build(tracker).execute(["total"], inputs={"count": 2})
    assert TrackingStore(tracking_dir).runs()[0].project == "via-plugin"


def test_the_default_location_comes_from_the_environment(tracking_dir, monkeypatch):
    monkeypatch.setenv("HAMILTON_TRACKING_DIR", str(tracking_dir))
    build(LocalTracker()).execute(["total"], inputs={"count": 2})
    assert (tracking_dir / "tracking.db").exists()
    assert len(TrackingStore().runs()) == 1
    monkeypatch.delenv("HAMILTON_TRACKING_DIR")
    assert database_file(None) == database_file("~/.hamilton/tracking").expanduser()


def test_a_db_file_path_is_used_as_is(tmp_path):
    target = tmp_path / "mine.sqlite"
    build(LocalTracker(path=target)).execute(["total"], inputs={"count": 2})
    assert target.exists()
    assert len(TrackingStore(target).runs()) == 1


def test_bad_project_is_rejected_when_the_tracker_is_made(tracking_dir):
    with pytest.raises(ValueError, match="project"):
        LocalTracker(path=tracking_dir, project="  ")


def test_capture_results_off_keeps_types_but_no_reprs(tracking_dir):
    build(LocalTracker(path=tracking_dir, capture_results=False)).execute(["total"], inputs={"count": 2})
    run = TrackingStore(tracking_dir).run(TrackingStore(tracking_dir).runs()[0].run_id)
    assert [(n.result.type, n.result.repr) for n in run.nodes] == [("list", ""), ("int", "")]
    assert run.inputs["count"].repr == ""


def test_an_unwritable_location_warns_once_and_runs_still_succeed(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    tracker = LocalTracker(path=blocker / "tracking")
    dr = build(tracker)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        results = [dr.execute(["total"], inputs={"count": count}) for count in (3, 4)]
    assert results == [{"total": 3}, {"total": 6}]
    assert [w.category for w in record] == [TrackingWarning]
    message = str(record[0].message)
    assert str(blocker / "tracking" / "tracking.db") in message
    assert "writable" in message
    assert "HAMILTON_TRACKING_DIR" in message
    with pytest.raises(ValueError, match="on purpose"), warnings.catch_warnings():
        warnings.simplefilter("error")  # already warned: the user's own error comes out
        dr.execute(["checked"], inputs={"count": 3, "fail": True})


def test_a_failed_final_write_leaves_no_partial_node_rows(tracking_dir):
    tracker = LocalTracker(path=tracking_dir)
    dr = build(tracker)
    dr.execute(["total"], inputs={"count": 1})  # creates the database
    db = sqlite3.connect(database_file(tracking_dir))
    db.execute(
        "CREATE TRIGGER refuse_mean BEFORE INSERT ON node_runs WHEN NEW.node_name = 'mean' "
        "BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    )
    db.commit()
    db.close()
    with pytest.warns(TrackingWarning, match="disk says no"):
        assert dr.execute(["report"], inputs={"count": 3}) == {"report": "report: 1.0"}
    store = TrackingStore(tracking_dir)
    latest = store.run(store.runs()[0].run_id)
    assert latest.nodes == []  # numbers and total were inserted before mean failed: rolled back
    assert latest.status == "success"
    assert latest.ended_at is not None
    assert "could not be recorded" in latest.note


def test_a_crashed_process_leaves_a_running_run(tracking_dir):
    script = textwrap.dedent(
        f"""
        import os
        from hamilton import driver
        from hamilton.plugins.tracking import LocalTracker

        def doomed(x: int) -> int:
            os._exit(3)

        dr = driver.Builder().with_functions(doomed).with_adapters(LocalTracker(path={str(tracking_dir)!r})).build()
        dr.execute(["doomed"], inputs={{"x": 1}})
        """
    )
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 3
    [run] = TrackingStore(tracking_dir).runs()
    assert run.status == "running"
    assert run.ended_at is None
    assert run.duration is None


def test_concurrent_runs_in_two_processes_are_all_recorded(tracking_dir):
    script = textwrap.dedent(
        f"""
        import sys
        from hamilton import driver
        from hamilton.plugins.tracking import LocalTracker
        from tracking_flows import basic

        tracker = LocalTracker(path={str(tracking_dir)!r}, project=sys.argv[1])
        dr = driver.Builder().with_modules(basic).with_adapters(tracker).build()
        sys.stdin.readline()  # start together
        for count in range(1, 16):
            dr.execute(["report"], inputs={{"count": count}})
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([TESTS, os.environ.get("PYTHONPATH", "")])}
    workers = [
        subprocess.Popen([sys.executable, "-c", script, name], stdin=subprocess.PIPE, env=env, text=True)
        for name in ("left", "right")
    ]
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        worker.stdin.close()
        assert worker.wait() == 0
    store = TrackingStore(tracking_dir)
    runs = store.runs(limit=1000)
    assert len(runs) == 30
    assert {r.project: len(store.runs(project=r.project)) for r in runs} == {"left": 15, "right": 15}
    assert all(r.status == "success" and r.node_count == 5 for r in runs)


def test_one_tracker_records_concurrent_runs_from_threads(tracking_dir):
    dr = build(LocalTracker(path=tracking_dir))
    errors = []

    def work(count: int) -> None:
        try:
            dr.execute(["report"], inputs={"count": count})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = TrackingStore(tracking_dir)
    runs = [store.run(r.run_id) for r in store.runs()]
    assert len(runs) == 8
    assert sorted(run.inputs["count"].repr for run in runs) == sorted(str(n) for n in range(1, 9))
    assert all([n.node_name for n in run.nodes] == ["numbers", "total", "mean", "checked", "report"] for run in runs)


def test_the_schema_is_versioned_in_wal_mode_and_newer_files_are_refused(tracking_dir):
    build(LocalTracker(path=tracking_dir)).execute(["total"], inputs={"count": 2})
    db = sqlite3.connect(database_file(tracking_dir))
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(SchemaVersionError, match="Upgrade hamilton-tracking"):
        TrackingStore(tracking_dir).runs()


def test_reading_an_empty_location_creates_nothing(tmp_path):
    store = TrackingStore(tmp_path / "nowhere")
    assert store.runs() == []
    assert store.projects() == []
    with pytest.raises(RunNotFoundError, match="No run 'nope'"):
        store.run("nope")
    with pytest.raises(KeyError):
        store.run("nope")
    assert not (tmp_path / "nowhere").exists()


def test_a_tracker_pickles_without_its_runs(tracking_dir):
    tracker = LocalTracker(path=tracking_dir, project="p", capture_results=False)
    copy = pickle.loads(pickle.dumps(tracker))
    assert (copy.db_file, copy.project, copy.capture_results) == (tracker.db_file, "p", False)
    build(copy).execute(["total"], inputs={"count": 2})
    assert TrackingStore(tracking_dir).runs()[0].project == "p"


async def _plus_one(x: int) -> int:
    return x + 1


def _doubled(_plus_one: int) -> int:
    return _plus_one * 2


def test_the_async_driver_is_tracked_too(tracking_dir):
    import asyncio

    from hamilton import async_driver

    async def run() -> dict:
        builder = async_driver.Builder().with_functions(_plus_one, _doubled)
        dr = await builder.with_adapters(LocalTracker(path=tracking_dir)).build()
        return await dr.execute(["_doubled"], inputs={"x": 1})

    assert asyncio.run(run()) == {"_doubled": 4}
    store = TrackingStore(tracking_dir)
    run_ = store.run(store.runs()[0].run_id)
    assert run_.status == "success"
    assert [(n.node_name, n.result.repr) for n in run_.nodes] == [("_plus_one", "2"), ("_doubled", "4")]


def test_bad_read_arguments_say_what_is_allowed(tracking_dir):
    store = TrackingStore(tracking_dir)
    with pytest.raises(ValueError, match="status must be one of running, success, failure"):
        store.runs(status="done")
    with pytest.raises(ValueError, match="limit must be at least 1"):
        store.runs(limit=0)


class _RefuseMean(lifecycle.NodeExecutionHook):
    def run_before_node_execution(self, *, node_name, **future_kwargs):
        if node_name == "mean":
            raise PermissionError("mean is not allowed today")

    def run_after_node_execution(self, **future_kwargs):
        pass


def test_a_node_stopped_by_another_hook_is_recorded_as_incomplete(tracking_dir):
    dr = driver.Builder().with_modules(basic).with_adapters(LocalTracker(path=tracking_dir), _RefuseMean()).build()
    with pytest.raises(PermissionError, match="not allowed today"):
        dr.execute(["mean"], inputs={"count": 3})
    store = TrackingStore(tracking_dir)
    run = store.run(store.runs()[0].run_id)
    assert run.status == "failure"
    assert run.error_type == "PermissionError"
    assert [(n.node_name, n.status) for n in run.nodes] == [
        ("numbers", "success"),
        ("total", "success"),
        ("mean", "incomplete"),
    ]
    assert run.nodes[-1].ended_at is None
