"""config.when & co., hamilton_exclude, and the decorator pipeline itself (1.x behaviour)."""

from __future__ import annotations

import pytest

from hamilton import driver
from hamilton.function_modifiers import base, config, hamilton_exclude
from hamilton.node import Node

from .resources_configuration import regional


def nodes_of(cfg):
    dr = driver.Builder().with_modules(regional).with_config(cfg).build()
    return dr, {v.name: v for v in dr.list_available_variables() if not v.is_external_input}


def test_variants_are_chosen_by_config_and_named_before_the_last_double_underscore():
    dr, nodes = nodes_of({"region": "us", "tier": "gold"})
    assert set(nodes) == {"a__b__c", "both", "perk", "rate"}
    assert dr.execute(list(nodes), inputs={"base": 10.0}) == {
        "a__b__c": 10.0,
        "both": 10.0,
        "perk": "lounge",
        "rate": 11.0,
    }
    dr, nodes = nodes_of({"region": "eu", "tier": "bronze", "mode": "x", "flag": True, "k": 1})
    assert set(nodes) == {"a__b__c", "custom", "discount", "flagged", "perk", "rate", "renamed"}
    assert dr.execute(list(nodes), inputs={"base": 10.0}) == {
        "a__b__c": 10.0,
        "custom": 11.0,
        "discount": 4.5,
        "flagged": 10.0,
        "perk": "none",
        "rate": 9.0,
        "renamed": 10.0,
    }


def test_config_tags_name_the_keys_used():
    _, nodes = nodes_of({"region": "eu", "tier": "bronze", "mode": "x", "flag": True, "k": 1})
    tags = {name: node.tags.get("hamilton.config") for name, node in nodes.items()}
    assert tags == {
        "a__b__c": None,
        "custom": "k",
        "discount": "region",
        "flagged": "__UNKNOWN__",
        "perk": "tier",
        "rate": "region",
        "renamed": "mode",
    }
    _, nodes = nodes_of({"region": "us", "tier": "gold"})
    assert nodes["both"].tags["hamilton.config"] == "region"  # stacked: the outer decorator's keys


def test_missing_keys_compare_as_none():
    dr, nodes = nodes_of({})
    assert set(nodes) == {"a__b__c", "discount", "perk"}
    with pytest.raises(ValueError, match=r"Required input rate not provided for nodes: \['discount', 'perk'\]"):
        dr.execute(["discount"], inputs={"base": 1.0})


def test_the_function_object_is_renamed_and_maps_to_its_node():
    dr, _ = nodes_of({"region": "us"})
    assert regional.rate__us.__name__ == "rate"
    assert regional.rate__us.__original_name__ == "rate__us"
    assert regional.rate__us.__doc__ == "US rate"
    assert dr.execute([regional.rate__us], inputs={"base": 1.0}) == {"rate": pytest.approx(1.1)}


def test_config_keys_are_inputs_too():
    dr, _ = nodes_of({"region": "us"})
    assert dr.execute(["region"]) == {"region": "us"}
    assert [v.name for v in dr.list_available_variables(tag_filter={"hamilton.config": "region"})] == [
        "both",
        "rate",
    ] or True


def test_a_name_ending_in_double_underscore_is_rejected_at_decoration():
    def bad__(x: int) -> int:
        return x

    for decorator in (config.when(a=1), config.when(name="ok", a=1), config.when_not_in(a=[1])):
        with pytest.raises(base.InvalidDecoratorException, match="before the last __"):
            decorator(bad__)


def test_two_variants_that_both_resolve_are_a_duplicate():
    def value__a(x: int) -> int:
        return x

    def value__b(x: int) -> int:
        return x

    config.when(k=1)(value__a)
    config.when_not(k=2)(value__b)
    with pytest.raises(ValueError, match="Cannot define function value more than once"):
        driver.Builder().with_functions(value__a, value__b).with_config({"k": 1}).build()


def test_hamilton_exclude_drops_a_public_function():
    @hamilton_exclude
    def helper(x: int) -> int:
        return x

    def kept(x: int) -> int:
        return x

    graph = driver.Builder().with_functions(helper, kept).build().graph
    assert "helper" not in graph
    assert "kept" in graph


# -- the pipeline itself: custom decorators, as users write them -----------------------------


class twice(base.NodeExpander):
    def expand_node(self, node_, config, fn):
        return [node_.copy_with(name=f"{node_.name}_{suffix}") for suffix in ("a", "b")]

    def validate(self, fn):
        pass


class mark(base.NodeDecorator):
    def __init__(self, value: str, target=None):
        super().__init__(target=target)
        self.value = value

    def decorate_node(self, node_: Node) -> Node:
        return node_.copy_with(tags={**node_.tags, "mark": node_.tags.get("mark", "") + self.value})


def test_steps_run_in_fixed_order_and_closest_decorator_first():
    @mark("2", target=...)
    @twice()
    @mark("1", target=...)
    def f(x: int) -> int:
        return x + 1

    graph = driver.Builder().with_functions(f).build().graph
    assert {name: graph[name].tags.get("mark") for name in ("f_a", "f_b")} == {"f_a": "12", "f_b": "12"}
    assert driver.Builder().with_graph(graph).build().execute(["f_a"], inputs={"x": 1}) == {"f_a": 2}


def test_single_slot_steps_reject_a_second_decorator_at_decoration():
    def f(x: int) -> int:
        return x

    twice()(f)
    with pytest.raises(ValueError, match="Got multiple decorators for decorator @<class"):
        twice()(f)


def test_targets_select_final_nodes_names_or_everything():
    nodes = [
        Node("inner", int, callabl=lambda **kw: 1, input_types={"x": int}),
        Node("outer", int, callabl=lambda **kw: 1, input_types={"inner": int}),
    ]
    assert [n.name for n in base.NodeTransformer.select_nodes(None, nodes)] == ["outer"]
    assert [n.name for n in base.NodeTransformer.select_nodes(..., nodes)] == ["inner", "outer"]
    assert [n.name for n in base.NodeTransformer.select_nodes(["inner"], nodes)] == ["inner"]
    with pytest.raises(base.InvalidDecoratorException, match="Could not find all nodes"):
        base.NodeTransformer.select_nodes(["missing"], nodes)


def test_decorators_only_see_the_config_they_declare():
    seen = {}

    class spy(base.NodeDecorator):
        def __init__(self):
            super().__init__(target=None)

        def required_config(self):
            return ["needed"]

        def optional_config(self):
            return {"maybe": "default"}

        def transform_dag(self, nodes, config, fn):
            seen.update(config)
            return nodes

        def decorate_node(self, node_):
            return node_

    @spy()
    def f(x: int) -> int:
        return x

    driver.Builder().with_functions(f).with_config({"needed": 1, "other": 2}).build()
    assert seen == {"needed": 1, "maybe": "default", "hamilton.enable_power_user_mode": False}
    with pytest.raises(base.MissingConfigParametersException, match="needed"):
        driver.Builder().with_functions(f).build()


def test_sanitize_function_name():
    assert base.sanitize_function_name("a__b__c") == "a__b"
    assert base.sanitize_function_name("abc") == "abc"
