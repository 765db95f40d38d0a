"""``@cache(format=...)``, and runs that survive damaged or unstorable cache entries."""

from __future__ import annotations

import gc
import json
import logging
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import CHAIN, info_events, module

from hamilton import driver

JSON_FLOW = """
from hamilton.function_modifiers import cache

@cache(format="json")
def payload(x: int) -> dict:
    CALLS.append("payload")
    return {"v": x}

def total(payload: dict) -> int:
    CALLS.append("total")
    return payload["v"] * 10
"""


def build(flow, path, **options):
    return driver.Builder().with_modules(flow).with_cache(path=path, **options).build()


def test_format_json_stores_through_the_json_saver_and_reads_back(tmp_path):
    flow = module(JSON_FLOW)
    dr = build(flow, tmp_path)
    assert dr.execute(["total"], inputs={"x": 4}) == {"total": 40}
    data_version = dr.cache.data_versions[dr.cache.last_run_id]["payload"]
    assert json.loads((tmp_path / f"{data_version}.json").read_text()) == {"v": 4}
    assert (tmp_path / data_version).exists()  # the pickled loader
    dr2 = build(flow, tmp_path)
    assert dr2.execute(["payload", "total"], inputs={"x": 4}) == {"payload": {"v": 4}, "total": 40}
    assert flow.CALLS == ["payload", "total"]
    assert info_events(dr2) == {"payload": ["get_result"], "total": ["get_result"]}


def test_format_behavior_combined(tmp_path):
    flow = module(JSON_FLOW.replace('@cache(format="json")', '@cache(behavior="recompute", format="json")'))
    dr = build(flow, tmp_path)
    dr.execute(["total"], inputs={"x": 1})
    dr.execute(["total"], inputs={"x": 1})
    assert flow.CALLS == ["payload", "total", "payload"]


def test_unknown_format_is_a_key_error(tmp_path):
    flow = module(JSON_FLOW.replace('format="json"', 'format="nope"'))
    with pytest.raises(KeyError) as raised:
        build(flow, tmp_path).execute(["total"], inputs={"x": 1})
    assert raised.value.args[0].startswith("nope isn't associated to both a DataLoader and a DataSaver.")


def test_format_not_handling_the_type_is_a_key_error(tmp_path):
    flow = module(
        JSON_FLOW.replace("-> dict:", "-> int:")
        .replace('return {"v": x}', "return x")
        .replace('payload["v"]', "payload")
        .replace("payload: dict", "payload: int")
    )
    with pytest.raises(KeyError) as raised:
        build(flow, tmp_path).execute(["total"], inputs={"x": 1})
    assert raised.value.args[0] == "json doesn't have any DataSaver supporting type <class 'int'>"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_damaged_result_file_is_recomputed_with_a_warning(tmp_path, caplog, damage):
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    result_file = tmp_path / dr.cache.data_versions[dr.cache.last_run_id]["b"]
    raw = result_file.read_bytes()
    result_file.write_bytes({"garbage": b"\x00not a pickle", "truncated": raw[: len(raw) // 2], "empty": b""}[damage])
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert build(flow, tmp_path).execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["b"]  # c's key is unchanged: b's recomputed value has the same version
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "Node `b`" in warning
    assert str(result_file) in warning
    assert result_file.read_bytes() == raw  # stored again, intact
    flow.CALLS.clear()
    build(flow, tmp_path).execute(["c"], inputs={"x": 1})
    assert flow.CALLS == []


def test_damaged_format_file_is_recomputed(tmp_path, caplog):
    flow = module(JSON_FLOW)
    dr = build(flow, tmp_path)
    dr.execute(["total"], inputs={"x": 4})
    data_version = dr.cache.data_versions[dr.cache.last_run_id]["payload"]
    (tmp_path / f"{data_version}.json").write_text('{"v": ')
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert build(flow, tmp_path).execute(["payload"], inputs={"x": 4}) == {"payload": {"v": 4}}
    assert flow.CALLS == ["payload"]
    assert "Node `payload`" in caplog.text
    assert json.loads((tmp_path / f"{data_version}.json").read_text()) == {"v": 4}


def test_missing_result_file_is_recomputed(tmp_path):
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    (tmp_path / dr.cache.data_versions[dr.cache.last_run_id]["c"]).unlink()
    flow.CALLS.clear()
    dr.execute(["c"], inputs={"x": 1})
    assert flow.CALLS == ["c"]
    events = dr.cache.logs(dr.cache.last_run_id, level="debug")["c"]
    assert "missing_result" in [e.event_type.value for e in events]


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_metadata_database_is_moved_aside(tmp_path, caplog, damage):
    flow = module(CHAIN)
    first = build(flow, tmp_path)
    first.execute(["c"], inputs={"x": 1})
    del first
    gc.collect()  # close its connection now: closing later would write its WAL into the damaged file
    database = tmp_path / "metadata_store.db"
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"metadata_store.db{suffix}").unlink(missing_ok=True)
    raw = database.read_bytes()
    database.write_bytes(b"this is not a database" * 100 if damage == "garbage" else raw[: len(raw) // 2])
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        dr = build(flow, tmp_path)
        assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert str(database) in caplog.text
    assert "moved to" in caplog.text
    assert [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert flow.CALLS == ["a", "b", "c"]
    flow.CALLS.clear()
    build(flow, tmp_path).execute(["c"], inputs={"x": 1})
    assert flow.CALLS == []


def test_unstorable_result_warns_and_the_run_succeeds(tmp_path, caplog):
    flow = module(
        """
        import threading

        def lock() -> object:
            CALLS.append("lock")
            return threading.Lock()

        def held(lock: object) -> bool:
            CALLS.append("held")
            return lock.locked()
        """
    )
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        dr = build(flow, tmp_path)
        assert dr.execute(["held"]) == {"held": False}
        assert dr.execute(["held"]) == {"held": False}
    assert "unhashable result" in caplog.text
    assert "could not be stored" in caplog.text
    assert flow.CALLS == ["lock", "held", "lock", "held"]
    events = dr.cache.logs(dr.cache.run_ids[0], level="debug")["lock"]
    assert "unhashable_data_version" in [e.event_type.value for e in events]
    assert dr.cache.data_versions[dr.cache.last_run_id]["lock"].startswith("<unhashable>_")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unhashable_but_picklable_result_is_read_back_as_in_1x(tmp_path, caplog):
    """Its stored "<unhashable>_<uuid>" version comes back with it, so dependents hit too."""
    flow = module(
        """
        class Marker:  # no state at all: only its identity tells one from another
            pass

        def box(x: int) -> Marker:
            CALLS.append("box")
            return Marker()

        def value(box: Marker, x: int) -> int:
            CALLS.append("value")
            return x
        """
    )
    dr = build(flow, tmp_path)
    dr.execute(["value"], inputs={"x": 2})
    assert dr.execute(["value"], inputs={"x": 2}) == {"value": 2}
    assert flow.CALLS == ["box", "value"]
    assert "unhashable result" in caplog.text


_CONCURRENT_WORKER = textwrap.dedent(
    """
    import sys
    from hamilton import ad_hoc_utils, driver
    source = '''
    def a(x: int) -> int:
        return x + 1

    def b(a: int) -> list:
        return list(range(a))

    def c(a: int, b: list) -> int:
        return a + sum(b)
    '''
    flow = ad_hoc_utils.module_from_source(source, "concurrent_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=sys.argv[1]).build()
    for x in range(12):
        assert dr.execute(["c"], inputs={"x": x % 6}) == {"c": (x % 6 + 1) + sum(range(x % 6 + 1))}
    print("ok")
    """
)


def test_concurrent_processes_share_one_cache_directory(tmp_path):
    cache_dir = tmp_path / "cache"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _CONCURRENT_WORKER, str(cache_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for _ in range(4)
    ]
    outputs = [worker.communicate() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], outputs
    assert all(out.strip() == "ok" for out, _ in outputs)
    from hamilton.caching.stores.sqlite import SQLiteMetadataStore

    store = SQLiteMetadataStore(str(cache_dir))
    assert len(store.get_run_ids()) == 48
    assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not [name for name in os.listdir(cache_dir) if name.endswith(".tmp")]
