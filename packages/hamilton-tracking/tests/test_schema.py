"""Databases written by an earlier release (schema version 1): read as they are, migrated by a writer."""

from __future__ import annotations

import json
import sqlite3

import pytest
from tracking_flows import branches

from hamilton import driver
from hamilton.errors import PartialExecutionError
from hamilton.plugins.tracking import LocalTracker, TrackingStore
from hamilton.plugins.tracking.store import SCHEMA_VERSION, database_file, item_indices, node_key

# The layout hamilton-tracking 0.1.0.dev0 wrote (schema version 1), verbatim.
_VERSION_1 = """
CREATE TABLE graphs (graph_hash TEXT PRIMARY KEY, snapshot TEXT NOT NULL);
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failure')),
    started_at REAL NOT NULL,
    ended_at REAL,
    final_vars TEXT NOT NULL,
    inputs TEXT NOT NULL,
    overrides TEXT NOT NULL,
    config TEXT NOT NULL,
    graph_hash TEXT REFERENCES graphs (graph_hash),
    error_type TEXT,
    error_message TEXT,
    note TEXT,
    host TEXT,
    pid INTEGER
);
CREATE INDEX runs_by_start ON runs (started_at DESC);
CREATE INDEX runs_by_project ON runs (project, started_at DESC);
CREATE TABLE node_runs (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    node_name TEXT NOT NULL,
    task_id TEXT,
    status TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL,
    result_type TEXT,
    result_repr TEXT,
    result_size TEXT,
    error_type TEXT,
    error_message TEXT,
    traceback TEXT
);
CREATE INDEX node_runs_by_run ON node_runs (run_id, started_at, seq);
PRAGMA user_version = 1;
"""


@pytest.fixture
def version_1_db(tracking_dir):
    """A version-1 database holding one failed run with two node executions."""
    db_file = database_file(tracking_dir)
    db_file.parent.mkdir(parents=True)
    db = sqlite3.connect(db_file)
    db.executescript(_VERSION_1)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(
        "INSERT INTO runs (run_id, project, status, started_at, ended_at, final_vars, inputs, overrides, config, "
        "error_type, error_message, host, pid) VALUES ('old-run', 'legacy', 'failure', 100.0, 101.0, ?, '{}', "
        "'[]', '{}', 'ValueError', 'no', 'host', 1)",
        (json.dumps(["b"]),),
    )
    db.executemany(
        "INSERT INTO node_runs (run_id, seq, node_name, task_id, status, started_at, ended_at, result_type, "
        "result_repr, result_size, error_type, error_message, traceback) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, "
        "NULL, ?, ?, NULL)",
        [
            ("old-run", 0, "a", "success", 100.1, 100.2, "int", "1", None, None),
            ("old-run", 1, "b", "failure", 100.3, 100.4, None, None, "ValueError", "no"),
        ],
    )
    db.commit()
    db.close()
    return db_file


def user_version(db_file) -> int:
    db = sqlite3.connect(db_file)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_a_version_1_database_is_read_as_it_is_without_being_changed(tracking_dir, version_1_db):
    store = TrackingStore(tracking_dir)
    [summary] = store.runs()
    assert (summary.run_id, summary.status, summary.node_count, summary.failed_count) == ("old-run", "failure", 2, 1)
    assert summary.skipped_count == 0
    run = store.run("old-run")
    assert [(n.node_name, n.status, n.note) for n in run.nodes] == [("a", "success", None), ("b", "failure", None)]
    assert run.failed_node == "b"
    assert store.runs(status="partial") == []
    assert user_version(version_1_db) == 1


def test_a_tracker_migrates_a_version_1_database_and_keeps_its_runs(tracking_dir, version_1_db):
    assert SCHEMA_VERSION == 2
    dr = driver.Builder().with_modules(branches).with_execution_mode(on_error="keep_going")
    dr = dr.with_adapters(LocalTracker(path=tracking_dir)).build()
    with pytest.raises(PartialExecutionError):
        dr.execute(["summary"], inputs={"count": 1, "fail": True})
    assert user_version(version_1_db) == 2

    store = TrackingStore(tracking_dir)
    new, old = store.runs()
    assert (new.status, new.skipped_count) == ("partial", 2)
    assert (old.run_id, old.status, old.node_count) == ("old-run", "failure", 2)
    assert [(n.node_name, n.status, n.note) for n in store.run("old-run").nodes] == [
        ("a", "success", None),
        ("b", "failure", None),
    ]
    db = sqlite3.connect(version_1_db)
    try:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"runs_by_start", "runs_by_project", "node_runs_by_run"} <= indexes
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM runs WHERE run_id = 'old-run'")  # node rows still go with their run
        db.commit()
        assert db.execute("SELECT COUNT(*) FROM node_runs WHERE run_id = 'old-run'").fetchone()[0] == 0
        with pytest.raises(sqlite3.IntegrityError):  # the status is still checked
            db.execute("UPDATE runs SET status = 'sort of' WHERE run_id = ?", (new.run_id,))
    finally:
        db.close()


def test_item_names_and_task_ids():
    assert node_key("squared[2]") == ("squared", (2,))
    assert node_key("member[3][0]") == ("member", (3, 0))
    assert node_key("total") == ("total", ())
    assert node_key("ns.total") == ("ns.total", ())
    assert item_indices("expand-item.2.block-item") == (2,)
    assert item_indices("expand-groups.2.block-groups.expand-members.0.block-members") == (2, 0)
    assert item_indices("expand-ns.item.11.block-ns.item") == (11,)
    assert item_indices("collect-item") == ()
    assert item_indices(None) == ()
