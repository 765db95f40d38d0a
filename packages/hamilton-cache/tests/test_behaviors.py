"""Caching behaviours: DEFAULT, RECOMPUTE, DISABLE, IGNORE, how each node gets one."""

from __future__ import annotations

import json

import pytest
from conftest import CHAIN, info_events, module

from hamilton import driver
from hamilton.caching.adapter import CachingBehavior, HamiltonCacheAdapter
from hamilton.io.materialization import to

FLOW = (
    CHAIN
    + """
def d(c: int) -> int:
    CALLS.append("d")
    return c + 1
"""
)


def twice(flow, path, **options):
    dr = driver.Builder().with_modules(flow).with_cache(path=path, **options).build()
    assert dr.execute(["d"], inputs={"x": 1}) == {"d": 7}
    flow.CALLS.clear()
    assert dr.execute(["d"], inputs={"x": 1}) == {"d": 7}
    return dr


def behaviors(dr):
    return {name: b.name for name, b in dr.cache.behaviors[dr.cache.last_run_id].items()}


def test_recompute_reruns_the_node_but_dependents_still_hit(tmp_path):
    flow = module(FLOW)
    dr = twice(flow, tmp_path, recompute=["b"])
    assert flow.CALLS == ["b"]
    assert info_events(dr) == {"a": ["get_result"], "b": ["execute_node"], "c": ["get_result"], "d": ["get_result"]}


def test_disable_reruns_the_node_and_its_dependents(tmp_path):
    flow = module(FLOW)
    dr = twice(flow, tmp_path, disable=["c"])
    assert flow.CALLS == ["c", "d"]
    assert info_events(dr) == {"a": ["get_result"], "b": ["get_result"], "c": ["execute_node"], "d": ["execute_node"]}
    assert dr.cache.get_cache_key(dr.cache.last_run_id, "c") is None


def test_ignore_reruns_the_node_and_leaves_it_out_of_dependents_keys(tmp_path):
    from hamilton.caching.cache_key import decode_key

    flow = module(FLOW)
    dr = twice(flow, tmp_path, ignore=["c"])
    assert flow.CALLS == ["c"]
    assert info_events(dr) == {"a": ["get_result"], "b": ["get_result"], "c": ["execute_node"], "d": ["get_result"]}
    key = dr.cache.get_cache_key(dr.cache.last_run_id, "d")
    assert decode_key(key)["dependencies_data_versions"] == {"c": "<ignore>"}


def test_default_list_wins_over_the_default_behavior(tmp_path):
    flow = module(FLOW)
    dr = twice(flow, tmp_path, default=["a"], default_behavior="recompute")
    assert flow.CALLS == ["b", "c", "d"]
    assert behaviors(dr) == {"a": "DEFAULT", "b": "RECOMPUTE", "c": "RECOMPUTE", "d": "RECOMPUTE", "x": "RECOMPUTE"}


@pytest.mark.parametrize("behavior", ["recompute", "disable"])
def test_true_applies_to_every_node(tmp_path, behavior):
    flow = module(FLOW)
    dr = twice(flow, tmp_path, **{behavior: True})
    assert flow.CALLS == ["a", "b", "c", "d"]
    assert set(behaviors(dr).values()) == {behavior.upper()}


@pytest.mark.parametrize(
    "options",
    [
        {"recompute": ["b"], "ignore": ["b"]},
        {"default": ["a", "b"], "disable": ["b"]},
        {"ignore": True, "default": ["b"]},
    ],
)
def test_a_node_in_two_lists_is_an_error(tmp_path, options):
    with pytest.raises(ValueError) as raised:
        driver.Builder().with_modules(module(FLOW)).with_cache(path=tmp_path, **options)
    assert raised.value.args[0] == "Multiple caching behaviors specified by Driver for node: b"


def test_two_true_lists_are_an_error(tmp_path):
    with pytest.raises(ValueError) as raised:
        driver.Builder().with_cache(path=tmp_path, recompute=True, disable=True)
    assert str(raised.value) == (
        "Can only set one of (`default`, `recompute`, `disable`, `ignore`) to True. "
        "Please pass mutually exclusive sets of node names"
    )


def test_unknown_default_behavior_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="default_behavior='sometimes'"):
        driver.Builder().with_cache(path=tmp_path, default_behavior="sometimes")


def test_cache_decorator_behavior_and_driver_precedence(tmp_path):
    flow = module(
        """
        from hamilton.function_modifiers import cache

        @cache(behavior="recompute")
        def a(x: int) -> int:
            CALLS.append("a")
            return x + 1

        @cache(behavior="RECOMPUTE")
        def b(a: int) -> int:
            CALLS.append("b")
            return a * 2
        """
    )
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path, default=["b"]).build()
    dr.execute(["b"], inputs={"x": 1})
    dr.execute(["b"], inputs={"x": 1})
    assert flow.CALLS == ["a", "b", "a"]
    assert behaviors(dr) == {"a": "RECOMPUTE", "b": "DEFAULT", "x": "DEFAULT"}


def test_from_string_is_case_insensitive_and_rejects_unknown_values():
    assert CachingBehavior.from_string("Ignore") is CachingBehavior.IGNORE
    with pytest.raises(KeyError) as raised:
        CachingBehavior.from_string("nope")
    assert raised.value.args[0] == "nope is an invalid `CachingBehavior` value"


def test_savers_follow_default_saver_behavior(tmp_path):
    out = tmp_path / "out.json"
    dataflow = module(
        """
        def payload(x: int) -> dict:
            CALLS.append("payload")
            return {"v": x}
        """
    )
    for options, expected in (({}, "get_result"), ({"default_saver_behavior": "disable"}, "execute_node")):
        dr = (
            driver.Builder()
            .with_modules(dataflow)
            .with_materializers(to.json(id="save_payload", dependencies=["payload"], path=str(out)))
            .with_cache(path=tmp_path / expected, **options)
            .build()
        )
        dr.execute(["save_payload"], inputs={"x": 1})
        out.unlink()
        dr.execute(["save_payload"], inputs={"x": 1})
        assert info_events(dr)["save_payload"] == [expected]
        assert info_events(dr)["payload"] == ["get_result"]
        assert out.exists() is (expected == "execute_node")


def test_saver_data_version_is_its_metadata_marker(tmp_path):
    out = tmp_path / "out.json"
    dataflow = module(
        """
        def payload(x: int) -> dict:
            return {"v": x}
        """
    )
    dr = (
        driver.Builder()
        .with_modules(dataflow)
        .with_materializers(to.json(id="save_payload", dependencies=["payload"], path=str(out)))
        .with_cache(path=tmp_path / "cache")
        .build()
    )
    dr.execute(["save_payload"], inputs={"x": 1})
    assert dr.cache.data_versions[dr.cache.last_run_id]["save_payload"] == "save_payload__metadata"
    assert json.loads(out.read_text()) == {"v": 1}


def test_loader_nodes_follow_default_loader_behavior(tmp_path):
    source_file = tmp_path / "in.json"
    source_file.write_text(json.dumps({"a": 1, "b": 2}))
    flow = module(
        """
        from hamilton.function_modifiers import load_from, source

        @load_from.json(path=source("p"))
        def size(payload: dict) -> int:
            CALLS.append("size")
            return len(payload)
        """
    )
    dr = (
        driver.Builder().with_modules(flow).with_cache(path=tmp_path / "c", default_loader_behavior="recompute").build()
    )
    dr.execute(["size"], inputs={"p": str(source_file)})
    dr.execute(["size"], inputs={"p": str(source_file)})
    events = info_events(dr)
    assert events["size.load_data.payload"] == ["execute_node"]
    assert events["size"] == ["get_result"]  # the loaded data did not change
    assert flow.CALLS == ["size"]
    source_file.write_text(json.dumps({"a": 1}))
    assert dr.execute(["size"], inputs={"p": str(source_file)}) == {"size": 1}
    assert flow.CALLS == ["size", "size"]


def test_adapter_given_directly(tmp_path):
    flow = module(FLOW)
    adapter = HamiltonCacheAdapter(path=tmp_path, recompute=["a"])
    dr = driver.Builder().with_modules(flow).with_adapters(adapter).build()
    assert dr.cache is adapter
    dr.execute(["d"], inputs={"x": 1})
    dr.execute(["d"], inputs={"x": 1})
    assert flow.CALLS == ["a", "b", "c", "d", "a"]


def test_saver_default_follows_default_behavior_only_on_a_direct_adapter(tmp_path):
    dataflow = module(
        """
        def payload(x: int) -> dict:
            return {"v": x}
        """
    )
    saver = to.json(id="save_payload", dependencies=["payload"], path=str(tmp_path / "out.json"))
    via_builder = (
        driver.Builder()
        .with_modules(dataflow)
        .with_materializers(saver)
        .with_cache(path=tmp_path / "a", default_behavior="recompute")
        .build()
    )
    direct = (
        driver.Builder()
        .with_modules(dataflow)
        .with_materializers(saver)
        .with_adapters(HamiltonCacheAdapter(path=tmp_path / "b", default_behavior="recompute"))
        .build()
    )
    for dr, expected in ((via_builder, "DEFAULT"), (direct, "RECOMPUTE")):
        dr.execute(["save_payload"], inputs={"x": 1})
        assert behaviors(dr)["save_payload"] == expected
        assert behaviors(dr)["payload"] == "RECOMPUTE"
