"""The stores on their own and as the adapter's backends: in-memory, SQLite, files."""

from __future__ import annotations

import pickle
from datetime import timedelta

import pytest
from conftest import CHAIN, info_events, module

from hamilton import driver
from hamilton.caching.cache_key import create_cache_key
from hamilton.caching.stores.base import StoredResult
from hamilton.caching.stores.file import FileResultStore
from hamilton.caching.stores.memory import InMemoryMetadataStore, InMemoryResultStore
from hamilton.caching.stores.sqlite import SQLiteMetadataStore
from hamilton.caching.stores.utils import get_directory_size, readable_bytes_size


@pytest.fixture(params=["memory", "sqlite"])
def metadata_store(request, tmp_path):
    return InMemoryMetadataStore() if request.param == "memory" else SQLiteMetadataStore(str(tmp_path))


@pytest.fixture(params=["memory", "file"])
def result_store(request, tmp_path):
    return InMemoryResultStore() if request.param == "memory" else FileResultStore(str(tmp_path / "results"))


def test_metadata_store_contract(metadata_store):
    key = create_cache_key("node", "code", {"x": "1"})
    metadata_store.initialize("run-1")
    assert metadata_store.get(key) is None
    assert not metadata_store.exists(key)
    metadata_store.set(cache_key=key, data_version="v1", run_id="run-1")
    assert metadata_store.get(key) == "v1"
    assert metadata_store.exists(key)
    assert metadata_store.size == len(metadata_store) == 1
    metadata_store.initialize("run-2")
    assert list(metadata_store.get_run_ids()) == ["run-1", "run-2"]
    assert metadata_store.last_run_id == "run-2"
    assert metadata_store.get_last_run() == []
    (entry,) = metadata_store.get_run("run-1")
    assert (entry["cache_key"], entry["data_version"], entry["node_name"], entry["code_version"]) == (
        key,
        "v1",
        "node",
        "code",
    )
    with pytest.raises(IndexError):
        metadata_store.get_run("unknown")
    metadata_store.delete(key)
    assert metadata_store.get(key) is None
    metadata_store.delete_all()
    assert len(metadata_store) == 0


def test_result_store_contract(result_store):
    assert not result_store.exists("v1")
    assert result_store.get("v1") is None
    result_store.set("v1", {"any": [1, 2]})
    result_store.set("none", None)
    assert result_store.exists("v1")
    assert result_store.get("v1") == {"any": [1, 2]}
    assert result_store.exists("none")
    assert result_store.get("none") is None
    result_store.delete("v1")
    assert not result_store.exists("v1")
    result_store.delete_all()
    assert not result_store.exists("none")


def test_stored_result_expiry_and_pairing():
    assert StoredResult.new(1).expires_in == -1
    assert not StoredResult.new(1).expired
    assert StoredResult.new(1, expires_in=timedelta(seconds=-1)).expired
    assert StoredResult.new(1, expires_in=3600).expires_in > 3500
    with pytest.raises(ValueError, match="Must pass both `saver` and `loader` or neither"):
        StoredResult.new(1, saver=object())


def test_in_memory_stores_cache_within_the_process(tmp_path):
    flow = module(CHAIN)
    metadata, results = InMemoryMetadataStore(), InMemoryResultStore()
    dr = driver.Builder().with_modules(flow).with_cache(metadata_store=metadata, result_store=results).build()
    dr.execute(["c"], inputs={"x": 1})
    dr.execute(["c"], inputs={"x": 1})
    assert flow.CALLS == ["a", "b", "c"]
    assert info_events(dr) == {"a": ["get_result"], "b": ["get_result"], "c": ["get_result"]}
    entry = metadata.get_run(dr.cache.run_ids[0])[0]
    assert set(entry) == {"cache_key", "data_version", "node_name", "code_version", "dependencies_data_versions"}
    assert not (tmp_path / ".hamilton_cache").exists()


def test_persist_to_and_load_from(tmp_path):
    flow = module(CHAIN)
    metadata, results = InMemoryMetadataStore(), InMemoryResultStore()
    dr = driver.Builder().with_modules(flow).with_cache(metadata_store=metadata, result_store=results).build()
    dr.execute(["c"], inputs={"x": 1})
    sqlite_store, file_store = SQLiteMetadataStore(str(tmp_path)), FileResultStore(str(tmp_path))
    metadata.persist_to(sqlite_store)
    results.persist_to(file_store)
    flow.CALLS.clear()
    disk = driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
    disk.execute(["c"], inputs={"x": 1})
    assert flow.CALLS == []

    loaded_metadata = InMemoryMetadataStore.load_from(sqlite_store)
    loaded_results = InMemoryResultStore.load_from(file_store, metadata_store=sqlite_store)
    assert loaded_metadata.get_run_ids() == sqlite_store.get_run_ids()
    memory = (
        driver.Builder()
        .with_modules(flow)
        .with_cache(metadata_store=loaded_metadata, result_store=loaded_results)
        .build()
    )
    assert memory.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == []
    with pytest.raises(ValueError, match="A `metadata_store` or `data_versions` must be provided"):
        InMemoryResultStore.load_from(file_store)
    first_run = sqlite_store.get_run(sqlite_store.get_run_ids()[0])
    only = InMemoryResultStore.load_from(file_store, data_versions=[first_run[0]["data_version"]])
    assert len(only._results) == 1


def test_persist_to_defaults_to_dot_hamilton_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    metadata, results = InMemoryMetadataStore(), InMemoryResultStore()
    metadata.initialize("r")
    metadata.set(cache_key=create_cache_key("n", "c", {}), data_version="v", run_id="r")
    results.set("v", 42)
    metadata.persist_to()
    results.persist_to()
    assert FileResultStore(".hamilton_cache").get("v") == 42
    assert SQLiteMetadataStore(".hamilton_cache").get_run_ids() == ["r"]


def test_file_store_delete_expired_keeps_live_results(tmp_path):
    store = FileResultStore(str(tmp_path))
    store.set("keep", 1)
    store.delete_expired()
    assert store.get("keep") == 1


def test_stores_pickle_by_their_arguments(tmp_path):
    sqlite_store = SQLiteMetadataStore(str(tmp_path), connection_kwargs={"timeout": 5})
    sqlite_store.initialize("r1")
    copy = pickle.loads(pickle.dumps(sqlite_store))
    assert copy.get_run_ids() == ["r1"]
    assert copy.connection is not sqlite_store.connection
    assert copy.connection_kwargs == {"timeout": 5}
    assert sqlite_store.__getstate__() == {"path": str(tmp_path.resolve()), "connection_kwargs": {"timeout": 5}}
    file_store = pickle.loads(pickle.dumps(FileResultStore(str(tmp_path))))
    assert file_store.path == tmp_path


def test_size_helpers(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 1536)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"x" * 512)
    assert get_directory_size(str(tmp_path)) == 2048
    assert readable_bytes_size(2048) == "2.00 KB"
    assert readable_bytes_size(10) == "10.00 B"
    assert readable_bytes_size(3 * 1024**3) == "3.00 GB"


def test_a_locked_database_error_names_the_file_and_the_remedy(tmp_path):
    import sqlite3

    store = SQLiteMetadataStore(str(tmp_path), connection_kwargs={"timeout": 0.05})
    other = sqlite3.connect(str(tmp_path / "metadata_store.db"), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            store.initialize("blocked-run")
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = str(raised.value)
    assert str(tmp_path / "metadata_store.db") in message
    assert 'connection_kwargs={"timeout": seconds}' in message
    store.initialize("later-run")
    assert store.get_run_ids() == ["later-run"]


def test_a_metadata_store_refusing_the_runs_entries_does_not_fail_the_run(tmp_path, caplog):
    """The run's results are computed already: it returns them, warns what is not recorded,
    and the next run recomputes those nodes (never reads anything unrecorded)."""
    import logging

    class Locked(InMemoryMetadataStore):
        def set_many(self, rows):
            raise OSError("the metadata store is locked")

    flow = module(CHAIN)
    store = Locked()
    dr = (
        driver.Builder()
        .with_modules(flow)
        .with_cache(metadata_store=store, result_store=FileResultStore(str(tmp_path)))
        .build()
    )
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert any("could not record 3 new result(s)" in m and "a, b, c" in m for m in caplog.messages), caplog.messages
    assert len(store) == 0
    flow.CALLS.clear()
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["a", "b", "c"]
