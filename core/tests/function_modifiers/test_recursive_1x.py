"""1.x's internal helpers of hamilton.function_modifiers.recursive, kept thinly (checked on 1.90.0)."""

import pytest

from hamilton import ad_hoc_utils
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.dependencies import configuration, source, value
from hamilton.function_modifiers.recursive import (
    _resolve_subdag_configuration,
    _validate_config_inputs,
    subdag,
    with_columns,
    with_columns_base,
)
from hamilton.node import Node


def test_validate_config_inputs_takes_config_first():
    _validate_config_inputs({"foo": 1}, {"a": source("foo"), "b": value(2)})
    with pytest.raises(InvalidDecoratorException, match="shared with inputs"):
        _validate_config_inputs({"foo": 1}, {"foo": value(2)})
    with pytest.raises(InvalidDecoratorException, match="UpstreamDependency or a LiteralDependency"):
        _validate_config_inputs({}, {"a": "raw"})


def test_resolve_subdag_configuration_overlays_values_and_configuration():
    assert _resolve_subdag_configuration({"a": 1}, {"b": value(2), "c": configuration("a"), "d": 4}, "fn") == {
        "a": 1,
        "b": 2,
        "c": 1,
        "d": 4,
    }
    with pytest.raises(InvalidDecoratorException, match="not found in the configuration"):
        _resolve_subdag_configuration({}, {"c": configuration("missing")}, "fn")
    with pytest.raises(InvalidDecoratorException, match="not allowed in the config"):
        _resolve_subdag_configuration({}, {"c": source("x")}, "fn")


def test_collect_functions_is_a_static_method_of_subdag():
    def one() -> int:
        return 1

    assert subdag.collect_functions(load_from=[one]) == [one]
    assert [fn() for fn in subdag.collect_functions([ad_hoc_utils.create_temporary_module(one)])] == [1]


def test_with_columns_base_is_the_with_columns_base_class():
    def col(x: int) -> int:
        return x

    a, a_again, c = Node.from_fn(col, name="a"), Node.from_fn(col, name="a"), Node.from_fn(col, name="c")
    assert with_columns_base is with_columns
    assert not with_columns_base.contains_duplicates([a, c])
    assert with_columns_base.contains_duplicates([a, a_again, c])
