"""The cache's main promise: unchanged code and inputs are read back, changes recompute."""

from __future__ import annotations

import json
import os

from conftest import CHAIN, info_events, module

from hamilton import driver


def build(mod, path, **options):
    return driver.Builder().with_modules(mod).with_cache(path=path, **options).build()


def test_second_run_reads_from_cache(tmp_path):
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["a", "b", "c"]
    assert info_events(dr) == {"a": ["execute_node"], "b": ["execute_node"], "c": ["execute_node"]}
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["a", "b", "c"]  # nothing ran again
    assert info_events(dr) == {"a": ["get_result"], "b": ["get_result"], "c": ["get_result"]}
    assert len(dr.cache.run_ids) == 2


def test_a_new_driver_on_the_same_directory_reads_the_cache(tmp_path):
    flow = module(CHAIN)
    build(flow, tmp_path).execute(["c"], inputs={"x": 1})
    dr = build(flow, tmp_path)
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 6}
    assert flow.CALLS == ["a", "b", "c"]
    assert info_events(dr) == {"a": ["get_result"], "b": ["get_result"], "c": ["get_result"]}
    assert len(dr.cache.metadata_store.get_run_ids()) == 2


def test_cache_directory_layout_is_1x(tmp_path):
    dr = build(module(CHAIN), tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    run_id = dr.cache.last_run_id
    names = set(os.listdir(tmp_path))
    assert "metadata_store.db" in names
    data_versions = {dr.cache.data_versions[run_id][n] for n in "abc"}
    assert data_versions <= names  # one result file per data version, named by it
    assert not [n for n in names if n.endswith(".tmp")]


def test_code_change_invalidates_only_the_changed_node_and_dependents(tmp_path):
    first = module(CHAIN)
    build(first, tmp_path).execute(["c"], inputs={"x": 1})
    changed = module(CHAIN.replace("return a * 2", "return a * 3"))
    dr = build(changed, tmp_path)
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 8}
    assert changed.CALLS == ["b", "c"]
    assert info_events(dr) == {"a": ["get_result"], "b": ["execute_node"], "c": ["execute_node"]}


def test_docstring_or_comment_change_keeps_the_cache(tmp_path):
    build(module(CHAIN), tmp_path).execute(["c"], inputs={"x": 1})
    edited = module(
        CHAIN.replace("Doc strings do not count", "Other words").replace("return a * 2", "return a * 2  # !")
    )
    dr = build(edited, tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    assert edited.CALLS == []


def test_input_change_invalidates(tmp_path):
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    assert dr.execute(["c"], inputs={"x": 2}) == {"c": 9}
    assert flow.CALLS == ["a", "b", "c", "a", "b", "c"]
    dr.execute(["c"], inputs={"x": 1})  # the first inputs are still cached
    assert flow.CALLS == ["a", "b", "c", "a", "b", "c"]


def test_equal_intermediate_result_stops_recomputation(tmp_path):
    flow = module(
        """
        def parity(x: int) -> int:
            CALLS.append("parity")
            return x % 2

        def label(parity: int) -> str:
            CALLS.append("label")
            return "odd" if parity else "even"
        """
    )
    dr = build(flow, tmp_path)
    dr.execute(["label"], inputs={"x": 1})
    assert dr.execute(["label"], inputs={"x": 3}) == {"label": "odd"}
    assert flow.CALLS == ["parity", "label", "parity"]  # label's key is unchanged


def test_overrides_are_versioned(tmp_path):
    flow = module(CHAIN)
    dr = build(flow, tmp_path)
    assert dr.execute(["c"], inputs={"x": 1}, overrides={"b": 10}) == {"c": 12}
    assert flow.CALLS == ["a", "c"]
    logs = dr.cache.logs(dr.cache.last_run_id, level="debug")
    assert "is_override" in [event.event_type.value for event in logs["b"]]
    dr.execute(["c"], inputs={"x": 1}, overrides={"b": 10})
    assert flow.CALLS == ["a", "c"]
    assert dr.execute(["c"], inputs={"x": 1}, overrides={"b": 11}) == {"c": 13}
    assert flow.CALLS == ["a", "c", "c"]


def test_default_parameter_values_count_in_the_key(tmp_path):
    flow = module(
        """
        def scaled(x: int, factor: int = 2) -> int:
            CALLS.append("scaled")
            return x * factor
        """
    )
    dr = build(flow, tmp_path)
    assert dr.execute(["scaled"], inputs={"x": 3}) == {"scaled": 6}
    assert dr.execute(["scaled"], inputs={"x": 3}) == {"scaled": 6}
    assert dr.execute(["scaled"], inputs={"x": 3, "factor": 3}) == {"scaled": 9}
    assert flow.CALLS == ["scaled", "scaled"]
    key = dr.cache.get_cache_key(dr.cache.run_ids[0], "scaled")
    from hamilton.caching.cache_key import decode_key

    assert set(decode_key(key)["dependencies_data_versions"]) == {"x", "factor"}


def test_config_values_are_dependencies_too(tmp_path):
    flow = module(
        """
        def shout(word: str) -> str:
            CALLS.append("shout")
            return word.upper()
        """
    )
    for word in ("hi", "hi", "ho"):
        dr = driver.Builder().with_modules(flow).with_config({"word": word}).with_cache(path=tmp_path).build()
        dr.execute(["shout"])
    assert flow.CALLS == ["shout", "shout"]


def test_inspection_methods(tmp_path):
    from hamilton.caching.cache_key import decode_key

    dr = build(module(CHAIN), tmp_path)
    dr.execute(["c"], inputs={"x": 1})
    cache = dr.cache
    run_id = cache.last_run_id
    key = cache.get_cache_key(run_id, "c")
    decoded = decode_key(key)
    assert decoded["node_name"] == "c"
    assert decoded["code_version"] == cache.version_code("c") == cache.code_versions[run_id]["c"]
    assert decoded["dependencies_data_versions"] == {
        "a": cache.get_data_version(run_id, "a"),
        "b": cache.get_data_version(run_id, "b"),
    }
    assert cache.get_data_version(run_id, "c") == cache.version_data(6)
    assert cache.code_versions[run_id]["x"] == "input__x"
    assert cache.get_cache_key(run_id, "unknown") is None
    assert [m["node_name"] for m in cache.metadata_store.get_run(run_id)] == ["a", "b", "c"]
    assert {n: b.name for n, b in cache.resolve_behaviors(run_id).items()} == dict.fromkeys("abcx", "DEFAULT")
    assert set(cache.resolve_code_versions(run_id, final_vars=["b"], inputs={"x": 1})) == {"a", "b"}
    assert set(cache.logs()) == {run_id}


def test_log_to_file_appends_json_lines(tmp_path):
    dr = build(module(CHAIN), tmp_path, log_to_file=True)
    dr.execute(["c"], inputs={"x": 1})
    dr.execute(["c"], inputs={"x": 1})
    lines = (tmp_path / "cache_logs.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    assert set(events[0]) == {"run_id", "timestamp", "node_name", "task_id", "actor", "event_type", "msg", "value"}
    assert len(events) == sum(len(v) for v in dr.cache.logs(level="debug").values())
    assert {e["event_type"] for e in events if e["run_id"] == dr.cache.last_run_id} >= {"get_result"}


def test_info_logging_names_reads_and_executions(tmp_path, caplog):
    dr = build(module(CHAIN), tmp_path)
    with caplog.at_level("INFO", logger="hamilton.caching.adapter"):
        dr.execute(["c"], inputs={"x": 1})
        dr.execute(["c"], inputs={"x": 1})
    messages = [r.getMessage() for r in caplog.records]
    assert "a::adapter::execute_node" in messages
    assert "a::result_store::get_result::hit" in messages
    assert not any("set_cache_key" in m for m in messages)
