"""Cache keys, versions and names checked against what Hamilton 1.90.0 produces.

The expected strings below were observed by running the same code on apache-hamilton 1.90.0.
"""

from __future__ import annotations

import logging

from conftest import CHAIN, module
from hypothesis import given
from hypothesis import strategies as st

from hamilton import driver
from hamilton.caching import adapter as adapter_module
from hamilton.caching import fingerprinting
from hamilton.caching.adapter import CachingEvent, CachingEventType, NodeRoleInTaskExecution
from hamilton.caching.cache_key import create_cache_key, decode_key
from hamilton.caching.stores.memory import InMemoryMetadataStore, InMemoryResultStore

# text without the separators the key format reserves (",") for names and versions
_names = st.text(alphabet=st.characters(categories=("L", "Nd"), include_characters="_"), min_size=1, max_size=20)
_versions = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=","), min_size=1)


def test_cache_keys_are_1x_strings():
    assert create_cache_key("a", "abc", {}) == "a-abc-eF6zycvPS7UDAAeiAis="
    assert create_cache_key("my.node-x", "v", {"z": "1", "a": "2"}) == "mynodex-v-eF5L1DHSqdIxBAAHVwHD"
    assert decode_key("mynodex-v-eF5L1DHSqdIxBAAHVwHD") == {
        "node_name": "mynodex",
        "code_version": "v",
        "dependencies_data_versions": {"a": "2", "z": "1"},
    }


@given(node_name=_names, code_version=_versions.filter(lambda v: "-" not in v), deps=st.dictionaries(_names, _versions))
def test_cache_key_round_trip(node_name, code_version, deps):
    key = create_cache_key(node_name, code_version, deps)
    assert decode_key(key) == {"node_name": node_name, "code_version": code_version, "dependencies_data_versions": deps}


@given(deps=st.dictionaries(_names, _versions, min_size=1))
def test_cache_key_ignores_dependency_order(deps):
    assert create_cache_key("n", "c", deps) == create_cache_key("n", "c", dict(reversed(list(deps.items()))))


def test_code_versions_match_1x(tmp_path):
    dr = driver.Builder().with_modules(module(CHAIN)).with_cache(path=tmp_path).build()
    dr.execute(["c"], inputs={"x": 1})
    # 1.90.0 gives these for the same function sources (docstring of `a` ignored).
    chain_1x = CHAIN.replace('    CALLS.append("a")\n', "").replace('    CALLS.append("b")\n', "")
    flow_1x = module(
        chain_1x.replace('    CALLS.append("c")\n', "").replace(
            '"""Doc strings do not count in the code version."""', '"""doc"""'
        )
    )
    dr_1x = driver.Builder().with_modules(flow_1x).with_cache(path=tmp_path / "other").build()
    dr_1x.execute(["c"], inputs={"x": 1})
    assert dr_1x.cache.code_versions[dr_1x.cache.last_run_id] == {
        "a": "a02b47f60e1302fb879091094cccdcc0645580157738139364abda7f88392a36",
        "b": "71691c818c6008b39a6204dc544b648a214a18e0a577c7b0e1aab77ac69a6bbf",
        "c": "453e4509fd8b13e4917d38ddabd08ca0eda11ff3bf4895dfe3b49f6926b3ae75",
        "x": "input__x",
    }
    version = dr_1x.cache.version_code("a")
    assert version == dr_1x.list_available_variables()[0].version


def test_first_run_event_sequence_matches_1x(tmp_path):
    dr = driver.Builder().with_modules(module(CHAIN)).with_cache(path=tmp_path).build()
    dr.execute(["c"], inputs={"x": 1})
    logs = dr.cache.logs(dr.cache.last_run_id, level="debug")
    # as printed by 1.90.0 for the same dataflow (str(event) of node `a`, then `x`)
    assert [str(event) for event in logs["a"]] == [
        "a::adapter::resolve_behavior",
        "a::adapter::set_cache_key",
        "a::adapter::get_cache_key::hit",
        "a::adapter::get_data_version::miss",
        "a::metadata_store::get_data_version::miss",
        "a::adapter::execute_node",
        "a::adapter::set_data_version",
        "a::metadata_store::set_data_version",
        "a::adapter::get_cache_key::hit",
        "a::adapter::get_data_version::hit",
        "a::result_store::set_result",
        "a::adapter::get_data_version::hit",
        "a::adapter::get_data_version::hit",
    ]
    assert [str(event) for event in logs["c"]][:2] == ["c::adapter::resolve_behavior", "c::adapter::is_final_var"]
    assert [str(event) for event in logs["x"]] == [
        "x::adapter::resolve_behavior",
        "x::adapter::is_input",
        "x::adapter::get_data_version::hit",
    ]
    dr.execute(["c"], inputs={"x": 1})
    assert [str(e) for e in dr.cache.logs(dr.cache.last_run_id)["a"]] == ["a::result_store::get_result::hit"]


def test_enums_and_event_match_1x():
    assert [t.value for t in CachingEventType] == [
        "get_data_version",
        "set_data_version",
        "get_cache_key",
        "set_cache_key",
        "get_result",
        "set_result",
        "missing_result",
        "failed_retrieval",
        "execute_node",
        "failed_execution",
        "resolve_behavior",
        "unhashable_data_version",
        "is_override",
        "is_input",
        "is_final_var",
        "is_default_parameter_value",
    ]
    assert [(r.name, r.value) for r in NodeRoleInTaskExecution] == [
        ("STANDARD", 1),
        ("EXPAND", 2),
        ("COLLECT", 3),
        ("OUTSIDE", 4),
        ("INSIDE", 5),
    ]
    event = CachingEvent("r", "result_store", CachingEventType.GET_RESULT, "n", task_id="t", msg="hit", value="v")
    assert str(event) == "n::t::result_store::get_result::hit"
    assert event.as_dict() == {
        "run_id": "r",
        "timestamp": event.timestamp,
        "node_name": "n",
        "task_id": "t",
        "actor": "result_store",
        "event_type": "get_result",
        "msg": "hit",
        "value": "v",
    }


def test_data_versions_come_from_core_fingerprinting(tmp_path):
    from hamilton import fingerprinting as core

    assert fingerprinting.hash_value is core.hash_value
    assert fingerprinting.UNHASHABLE == "<unhashable>"
    dr = driver.Builder().with_modules(module(CHAIN)).with_cache(path=tmp_path).build()
    dr.execute(["c"], inputs={"x": 1})
    assert dr.cache.data_versions[dr.cache.last_run_id]["c"] == core.hash_value(6)


def test_fingerprinting_1x_names_exist():
    for name in (
        "hash_value",
        "hash_repr",
        "hash_primitive",
        "hash_bytes",
        "hash_sequence",
        "hash_mapping",
        "hash_unordered_mapping",
        "hash_set",
        "hash_pandas_obj",
        "hash_polars_dataframe",
        "hash_polars_column",
        "hash_numpy_array",
        "set_max_depth",
        "MAX_DEPTH",
        "UNHASHABLE",
        "NONE_HASH",
    ):
        assert hasattr(fingerprinting, name), name
    assert fingerprinting.hash_unordered_mapping({"a": 1, "b": 2}) == fingerprinting.hash_mapping({"b": 2, "a": 1})
    assert fingerprinting.hash_repr(1) == fingerprinting.hash_repr(1) != fingerprinting.hash_repr(2)
    original = fingerprinting.MAX_DEPTH
    try:
        fingerprinting.set_max_depth(3)
        assert fingerprinting.MAX_DEPTH == 3
    finally:
        fingerprinting.set_max_depth(original)


def test_version_data_of_unhashable_value_warns(caplog):
    cache = adapter_module.HamiltonCacheAdapter(
        metadata_store=InMemoryMetadataStore(), result_store=InMemoryResultStore()
    )
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        first, second = cache.version_data(object()), cache.version_data(object())
    assert first.startswith("<unhashable>_")
    assert first != second
    assert "unhashable result" in caplog.text
