"""Cache files that were damaged, replaced, left half-written, or cannot be written.

A cache must never serve a value it cannot vouch for: every damaged entry is detected, deleted
and recomputed with a warning naming the node and the file, and a cache directory that cannot
be written still serves what it holds. Each test here failed before result files had a
checksummed header, format files a digest, and the stores their read-only mode.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import pickle
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from conftest import CHAIN, module
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hamilton import driver

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX permissions and signals")

FLOAT_FLOW = """
def ratio(x: float) -> float:
    CALLS.append("ratio")
    return x / 3

def doubled(ratio: float) -> float:
    CALLS.append("doubled")
    return ratio * 2
"""

TEXT_FLOW = """
from hamilton.function_modifiers import cache

@cache(format="file")
def text(lines: int) -> str:
    CALLS.append("text")
    return "".join(f"line {i}\\n" for i in range(lines))
"""

JSON_FLOW = """
from hamilton.function_modifiers import cache

@cache(format="json")
def payload(x: int) -> dict:
    CALLS.append("payload")
    return {"v": x}
"""

EXAMPLES = settings(max_examples=40, deadline=None, database=None)


def build(flow, path):
    return driver.Builder().with_modules(flow).with_cache(path=path).build()


def stored_path(dr, node, suffix=""):
    """The result file of ``node`` in the driver's last run."""
    return dr.cache.result_store.path / (dr.cache.data_versions[dr.cache.last_run_id][node] + suffix)


def warnings_of(caplog):
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


def assert_recovered(caplog, node, *paths):
    """One warning names the node and every damaged path, and says it is recomputed."""
    messages = warnings_of(caplog)
    assert any(
        f"Node `{node}`" in message and all(str(path) in message for path in paths) and "recomputed" in message
        for message in messages
    ), messages


def test_a_flipped_byte_anywhere_in_a_result_file_is_detected(tmp_path, caplog):
    flow = module(FLOAT_FLOW)
    expected = {"ratio": 1.0 / 3, "doubled": 2.0 / 3}
    dr = build(flow, tmp_path)
    assert dr.execute(["doubled"], inputs={"x": 1.0}) == {"doubled": expected["doubled"]}
    path = stored_path(dr, "ratio")
    good = path.read_bytes()
    in_float = good.index(b"G" + struct.pack(">d", expected["ratio"])) + 1  # the pickled double's 8 bytes

    @EXAMPLES
    @example(position=in_float, mask=0x01)  # before: unpickled fine as another float, and was served
    @example(position=in_float + 7, mask=0x80)
    @example(position=0, mask=0xFF)
    @example(position=len(good) - 1, mask=0x01)
    @given(position=st.integers(0, len(good) - 1), mask=st.integers(1, 255))
    def flip(position, mask):
        damaged = bytearray(good)
        damaged[position] ^= mask
        path.write_bytes(damaged)
        flow.CALLS.clear()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
            assert build(flow, tmp_path).execute(["ratio", "doubled"], inputs={"x": 1.0}) == expected
        assert flow.CALLS == ["ratio"]  # doubled's key is unchanged: the recomputed ratio is equal
        assert_recovered(caplog, "ratio", path)
        assert path.read_bytes() == good  # stored again, intact

    flip()


ARRAY_FLOW = """
from typing import Any

def array(n: int) -> Any:
    import numpy as np

    CALLS.append("array")
    return {"values": np.arange(n, dtype="float64"), "grid": np.arange(n, dtype="int32").reshape(2, -1).T}

def total(array: Any) -> float:
    CALLS.append("total")
    return float(array["values"].sum() + array["grid"].sum())
"""


def test_large_arrays_are_stored_beside_the_pickle_verified_and_read_back_writable(tmp_path, caplog):
    """Arrays go to the file as raw buffers (not copied into the pickle) and come back as
    writable arrays; a flipped byte inside their data is caught like any other."""
    np = pytest.importorskip("numpy")
    flow = module(ARRAY_FLOW)
    n = 200_000  # 1.6 MB of float64 and 0.8 MB of int32: well past the small-file read
    dr = build(flow, tmp_path)
    expected = dr.execute(["total", "array"], inputs={"n": n})
    path = stored_path(dr, "array")
    good = path.read_bytes()
    assert np.arange(n, dtype="float64").tobytes() in good  # raw, not re-encoded
    flow.CALLS.clear()
    read_back = build(flow, tmp_path).execute(["array"], inputs={"n": n})["array"]
    assert flow.CALLS == []
    assert np.array_equal(read_back["values"], expected["array"]["values"])
    assert np.array_equal(read_back["grid"], expected["array"]["grid"])
    assert not read_back["grid"].flags.c_contiguous  # the transposed layout survives
    read_back["values"] += 1  # writable, as pickle.load would give it
    assert read_back["values"][0] == 1.0

    inside_values = good.index(np.arange(n, dtype="float64").tobytes()) + 8 * (n // 2)
    for position in (inside_values, len(good) - 1):
        damaged = bytearray(good)
        damaged[position] ^= 0x10
        path.write_bytes(damaged)
        flow.CALLS.clear()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
            assert build(flow, tmp_path).execute(["total"], inputs={"n": n}) == {"total": expected["total"]}
        assert flow.CALLS == ["array"]
        assert_recovered(caplog, "array", path)
        assert path.read_bytes() == good


def test_a_truncated_result_or_format_file_is_detected(tmp_path, caplog):
    flow = module(FLOAT_FLOW + TEXT_FLOW)
    expected = {"ratio": 1.0 / 3, "text": "".join(f"line {i}\n" for i in range(20))}
    dr = build(flow, tmp_path)
    dr.execute(["ratio", "text"], inputs={"x": 1.0, "lines": 20})
    result_file, text_file = stored_path(dr, "ratio"), stored_path(dr, "text", ".file")
    good_result, good_text = result_file.read_bytes(), text_file.read_bytes()

    @EXAMPLES
    @example(result_cut=0, text_cut=len(good_text) - len(b"line 19\n"))  # before: served 19 lines as the text
    @given(result_cut=st.integers(0, len(good_result) - 1), text_cut=st.integers(0, len(good_text) - 1))
    def truncate(result_cut, text_cut):
        result_file.write_bytes(good_result[:result_cut])
        text_file.write_bytes(good_text[:text_cut])
        flow.CALLS.clear()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
            assert build(flow, tmp_path).execute(["ratio", "text"], inputs={"x": 1.0, "lines": 20}) == expected
        assert sorted(flow.CALLS) == ["ratio", "text"]
        assert_recovered(caplog, "ratio", result_file)
        assert_recovered(caplog, "text", text_file)
        assert (result_file.read_bytes(), text_file.read_bytes()) == (good_result, good_text)

    truncate()


def test_a_result_file_of_the_previous_format_is_recomputed(tmp_path, caplog):
    """A bare pickle, as hamilton-cache wrote before results had a header: it cannot be vouched for."""
    flow = module(FLOAT_FLOW)
    dr = build(flow, tmp_path)
    dr.execute(["ratio"], inputs={"x": 1.0})
    path = stored_path(dr, "ratio")
    path.write_bytes(pickle.dumps(1.0 / 3))
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert build(flow, tmp_path).execute(["ratio"], inputs={"x": 1.0}) == {"ratio": 1.0 / 3}
    assert flow.CALLS == ["ratio"]
    assert_recovered(caplog, "ratio", path)
    assert "older hamilton-cache" in " ".join(warnings_of(caplog))
    assert path.read_bytes() != pickle.dumps(1.0 / 3)  # rewritten in the current format
    flow.CALLS.clear()
    build(flow, tmp_path).execute(["ratio"], inputs={"x": 1.0})
    assert flow.CALLS == []


def test_a_valid_result_file_under_another_data_version_is_not_served(tmp_path, caplog):
    """Each file vouches for the data version it is named after, not just for its own bytes."""
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    dr.execute(["c"], inputs={"x": 1})  # a=2, b=4, c=6
    b_file = stored_path(dr, "b")
    b_file.write_bytes(stored_path(dr, "a").read_bytes())  # a sound file, of another result
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert build(flow, tmp_path).execute(["b", "c"], inputs={"x": 1}) == {"b": 4, "c": 6}
    assert flow.CALLS == ["b"]
    assert_recovered(caplog, "b", b_file)


def test_a_directory_at_a_result_path_is_removed_and_recomputed(tmp_path, caplog):
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    path = stored_path(dr, "b")
    path.unlink()
    path.mkdir()
    (path / "something").write_text("not a result")
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert build(flow, tmp_path).execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["b"]
    assert_recovered(caplog, "b", path)
    assert path.is_file()
    flow.CALLS.clear()
    build(flow, tmp_path).execute(["c"], inputs={"x": 1})
    assert flow.CALLS == []


def test_a_format_file_changed_on_disk_is_not_served(tmp_path, caplog):
    flow = module(JSON_FLOW)
    dr = build(flow, tmp_path)
    dr.execute(["payload"], inputs={"x": 4})
    json_file = stored_path(dr, "payload", ".json")
    json_file.write_text(json.dumps({"v": 5}))  # valid JSON, another value: before, it was served
    flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        assert build(flow, tmp_path).execute(["payload"], inputs={"x": 4}) == {"payload": {"v": 4}}
    assert flow.CALLS == ["payload"]
    assert_recovered(caplog, "payload", json_file)
    assert json.loads(json_file.read_text()) == {"v": 4}
    flow.CALLS.clear()
    build(flow, tmp_path).execute(["payload"], inputs={"x": 4})
    assert flow.CALLS == []


def _other_application_database(database):
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO users (name) VALUES ('ada')")
    connection.close()


def _drop_a_column(database):
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("DROP INDEX IF EXISTS cache_metadata_node")
        connection.execute("ALTER TABLE cache_metadata DROP COLUMN code_version")
    connection.close()


@pytest.mark.parametrize("layout", ["another application's", "a column missing"])
def test_a_metadata_database_of_another_layout_is_moved_aside(tmp_path, caplog, layout):
    flow = module(CHAIN)
    database = tmp_path / "metadata_store.db"
    if layout == "another application's":
        _other_application_database(database)
    else:
        first = build(flow, tmp_path)
        first.execute(["c"], inputs={"x": 1})
        del first
        gc.collect()  # close its connection: the database is whole on disk
        _drop_a_column(database)
        flow.CALLS.clear()
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        dr = build(flow, tmp_path)
        assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["a", "b", "c"]
    message = " ".join(warnings_of(caplog))
    assert str(database) in message
    assert "moved to" in message
    (aside,) = [path for path in tmp_path.iterdir() if path.name.startswith("metadata_store.db.corrupt-")]
    if layout == "another application's":  # left as it was: no table of ours added to it
        connection = sqlite3.connect(aside)
        assert connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == [("users",)]
        assert connection.execute("SELECT name FROM users").fetchall() == [("ada",)]
        connection.close()
    flow.CALLS.clear()
    build(flow, tmp_path).execute(["c"], inputs={"x": 1})
    assert flow.CALLS == []


# -- temporary files of writers that died -------------------------------------------------------
_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from hamilton import ad_hoc_utils, driver

    flow = ad_hoc_utils.module_from_source(sys.argv[3], "writer_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=sys.argv[1]).build()
    real_replace = os.replace

    def replace(source, target):  # the result is written; the rename is next
        if sys.argv[2] == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        print("stalled", flush=True)
        sys.stdin.readline()
        real_replace(source, target)

    os.replace = replace
    print(dr.execute(["value"])["value"], flush=True)
    """
)
_SAVER = textwrap.dedent(
    """
    import sys
    from hamilton.io.atomic import atomic_write

    with atomic_write(sys.argv[1], "w") as handle:  # what savers of @cache(format=...) do; no lock
        handle.write("{}")
        handle.flush()
        print("writing", flush=True)
        sys.stdin.readline()
    """
)


def _start(*args):
    return subprocess.Popen(
        [sys.executable, "-c", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _temporary_files(directory):
    return {path.name for path in directory.iterdir() if path.name.endswith(".tmp")}


def _value_flow(value):
    return f"def value() -> str:\n    return {value!r}\n"


def _stall_in_thread(monkeypatch, dr):
    """Run ``dr`` in a thread whose result write stops before its rename until ``resume`` is set."""
    real_replace, stalled, resume, outcome = os.replace, threading.Event(), threading.Event(), []

    def replace(source, target):
        if threading.current_thread() is writer:
            stalled.set()
            resume.wait(60)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    writer = threading.Thread(target=lambda: outcome.append(dr.execute(["value"])))
    writer.start()
    assert stalled.wait(60)
    return writer, resume, outcome


def test_temporary_files_of_killed_writers_are_removed_and_live_writers_kept(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    killed = _start(_WRITER, str(cache), "killed", _value_flow("killed"))
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    (killed_temp,) = _temporary_files(cache)

    stalled = _start(_WRITER, str(cache), "stalled", _value_flow("stalled"))
    saver = _start(_SAVER, str(cache / "data.json"))
    thread = None
    try:
        assert stalled.stdout.readline().strip() == "stalled"
        assert saver.stdout.readline().strip() == "writing"
        (saver_temp,) = {name for name in _temporary_files(cache) if name.startswith(".data.json.")}
        (stalled_temp,) = _temporary_files(cache) - {killed_temp, saver_temp}
        thread, resume, thread_outcome = _stall_in_thread(monkeypatch, build(module(_value_flow("thread")), cache))
        (thread_temp,) = _temporary_files(cache) - {killed_temp, saver_temp, stalled_temp}
        an_hour_ago = time.time() - 3600
        for name in (killed_temp, stalled_temp, thread_temp):  # died long ago / live but stalled long
            os.utime(cache / name, (an_hour_ago, an_hour_ago))

        flow = module(_value_flow("mine"))
        assert build(flow, cache).execute(["value"]) == {"value": "mine"}  # opening the store cleans up
        # kept: locked by a live process / by a live thread of this process / fresh
        assert _temporary_files(cache) == {stalled_temp, thread_temp, saver_temp}

        resume.set()
        thread.join(60)
        assert thread_outcome == [{"value": "thread"}]  # its rename still works
        assert stalled.communicate("\n", timeout=60)[0].strip() == "stalled"
        assert saver.communicate("\n", timeout=60)[1] == ""
    finally:
        if thread is not None:
            resume.set()
        for process in (stalled, saver):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert (stalled.returncode, saver.returncode) == (0, 0)
    assert _temporary_files(cache) == set()
    assert (cache / "data.json").read_text() == "{}"
    for value in ("stalled", "thread"):
        dr = build(module(_value_flow(value)), cache)
        assert dr.execute(["value"]) == {"value": value}
        assert [event.event_type.value for event in dr.cache.logs(dr.cache.last_run_id)["value"]] == ["get_result"]


# -- cache directories this process cannot write ----------------------------------------------------
_RUN = textwrap.dedent(
    """
    import json, logging, sys
    from hamilton import ad_hoc_utils, driver

    warnings = []

    class Keep(logging.Handler):
        def emit(self, record):
            warnings.append([record.name, record.getMessage()])

    logging.getLogger("hamilton").addHandler(Keep(logging.WARNING))
    flow = ad_hoc_utils.module_from_source("CALLS = []\\n" + sys.argv[2], "read_only_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=sys.argv[1]).build()
    runs = []
    for x in json.loads(sys.argv[3]):
        flow.CALLS.clear()
        runs.append([dr.execute(["c"], inputs={"x": x}), list(flow.CALLS)])
    print(json.dumps({"runs": runs, "warnings": warnings}))
    """
)
_DROP_PRIVILEGES = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@functools.cache
def _root_obeys_file_modes(probe_directory: str) -> bool:
    """Whether ``setpriv`` can start a root process that cannot write a 0o555 directory."""
    os.chmod(probe_directory, 0o555)
    try:
        probe = subprocess.run(
            [*_DROP_PRIVILEGES, sys.executable, "-c", "import sys; open(sys.argv[1] + '/x', 'w')", probe_directory],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except OSError:  # no setpriv
        return False
    finally:
        os.chmod(probe_directory, 0o755)
    return "PermissionError" in probe.stderr


def run_unprivileged(tmp_path, *args):
    """Run ``_RUN`` in a process that file modes apply to (as root: without CAP_DAC_OVERRIDE)."""
    command = [sys.executable, "-c", _RUN, *args]
    if os.geteuid() == 0:
        probe = tmp_path / "probe"
        probe.mkdir(exist_ok=True)
        if not _root_obeys_file_modes(str(probe)):
            pytest.skip("running as root and `setpriv` cannot drop CAP_DAC_OVERRIDE: file modes do not bind root")
        command = [*_DROP_PRIVILEGES, *command]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def _snapshot(directory):
    """Every file with its size and modification time (the -shm index aside: readers map it)."""
    return {
        path.name: (path.stat().st_size, path.stat().st_mtime_ns)
        for path in directory.iterdir()
        if not path.name.endswith("-shm")
    }


@pytest.mark.parametrize("writer", ["closed", "still open"])
def test_a_read_only_cache_directory_serves_hits_and_stores_nothing(tmp_path, writer):
    cache = tmp_path / "cache"
    first = build(module(CHAIN), cache)
    first.execute(["c"], inputs={"x": 1})
    if writer == "closed":  # checkpointed, no -wal/-shm left: SQLite must open it immutable
        del first
        gc.collect()
    before = _snapshot(cache)
    os.chmod(cache, 0o555)
    try:
        outcome = run_unprivileged(tmp_path, str(cache), CHAIN, "[1, 2, 2]")
    finally:
        os.chmod(cache, 0o755)
    hit, miss, miss_again = outcome["runs"]
    assert hit == [{"c": 6}, []]  # read back
    assert miss == [{"c": 9}, ["a", "b", "c"]]  # computed...
    assert miss_again == miss  # ...and not stored
    assert sorted(name for name, _ in outcome["warnings"]) == [
        "hamilton.caching.stores.file",
        "hamilton.caching.stores.sqlite",
    ]  # one per store, nothing else
    assert all("read-only" in message for _, message in outcome["warnings"])
    assert any(str(cache / "metadata_store.db") in message for _, message in outcome["warnings"])
    assert _snapshot(cache) == before


def test_a_missing_cache_directory_under_a_read_only_parent_runs_uncached(tmp_path):
    parent = tmp_path / "parent"
    parent.mkdir()
    cache = parent / "cache"
    os.chmod(parent, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    try:
        outcome = run_unprivileged(tmp_path, str(cache), CHAIN, "[1, 1]")
    finally:
        os.chmod(parent, 0o755)
    assert outcome["runs"] == [[{"c": 6}, ["a", "b", "c"]], [{"c": 6}, ["a", "b", "c"]]]
    assert len(outcome["warnings"]) == 2
    assert all(str(cache) in message and "cannot be created" in message for _, message in outcome["warnings"])
    assert not cache.exists()
