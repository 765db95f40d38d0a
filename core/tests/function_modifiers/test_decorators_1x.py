"""1.x behaviours of group(), unpack_fields, parameterize, resolve_kwargs and resolve_config."""

import collections.abc
import typing
from typing import Any

import pytest

from hamilton import driver, settings
from hamilton.execution.executors import SynchronousLocalTaskExecutor
from hamilton.function_modifiers import base, inject, parameterize, unpack_fields
from hamilton.function_modifiers.adapters import resolve_kwargs
from hamilton.function_modifiers.base import InvalidDecoratorException, MissingConfigParametersException
from hamilton.function_modifiers.dependencies import (
    GroupedDictDependency,
    GroupedListDependency,
    _validate_group_params,
    group,
    source,
    value,
)
from hamilton.function_modifiers.expanders import _validate_extract_fields
from hamilton.htypes import Collect, Parallelizable
from hamilton.node import Node, NodeType


def _run(*functions: Any, outputs: list[str], inputs: dict | None = None) -> dict:
    dr = driver.Builder().with_functions(*functions).build()
    return dr.execute(outputs, inputs=inputs or {})


# -- group(): the annotation must give the element type -----------------------------------------


@pytest.mark.parametrize("annotation", [list, typing.List, typing.Sequence, tuple[int, ...], set[int], int])  # noqa: UP006
def test_group_list_refuses_annotations_without_one_element_type(annotation):
    def total(parts: annotation) -> int:
        return sum(parts)

    with pytest.raises(InvalidDecoratorException, match="group\\(\\) dependency specification"):
        inject(parts=group(value(1), value(2)))(total)


@pytest.mark.parametrize(
    "annotation",
    [dict, typing.Dict, typing.Mapping, dict[int, int], list[int]],  # noqa: UP006
)
def test_group_dict_refuses_annotations_without_str_keys_and_value_type(annotation):
    def total(parts: annotation) -> int:
        return sum(parts.values())

    with pytest.raises(InvalidDecoratorException, match="group\\(\\) dependency specification with \\*\\*kwargs"):
        inject(parts=group(a=value(1), b=value(2)))(total)


def test_group_accepts_sequence_and_mapping_annotations_end_to_end():
    @inject(parts=group(source("a"), value(2)))
    def listed(parts: collections.abc.Sequence[int]) -> int:
        return sum(parts)

    @inject(parts=group(x=source("a"), y=value(5)))
    def mapped(parts: typing.Mapping[str, int] | None) -> int:
        return sum(parts.values())

    assert _run(listed, mapped, outputs=["listed", "mapped"], inputs={"a": 1}) == {"listed": 3, "mapped": 6}
    assert GroupedListDependency.resolve_dependency_type(tuple[int], "p") is int
    assert GroupedDictDependency.resolve_dependency_type(dict[str, list[int]], "p") == list[int]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [([source("a"), value(1)], {}), ([], {"a": source("a"), "b": value(1)})],
)
def test_validate_group_params_accepts_values_and_sources(args, kwargs):
    _validate_group_params(args, kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [([source("a")], {"b": source("b")}), ([], {}), (["a"], {}), ([], {"a": "a"})],
)
def test_validate_group_params_refuses_mixed_empty_or_bare_members(args, kwargs):
    with pytest.raises(InvalidDecoratorException):
        _validate_group_params(args, kwargs)


# -- unpack_fields: a misplaced ellipsis ----------------------------------------------------------


@pytest.mark.parametrize(
    "annotation",
    [tuple[int, int, ...], tuple[..., int, int], typing.Tuple[int, int, ...], typing.Tuple[..., int]],  # noqa: UP006
)
def test_unpack_fields_refuses_misplaced_ellipsis(annotation):
    def pair() -> annotation:
        return 1, 2

    with pytest.raises(InvalidDecoratorException, match="Misplaced ellipsis"):
        unpack_fields("a", "b")(pair)


def test_unpack_fields_indeterminate_tuple_still_works():
    @unpack_fields("a", "b")
    def pair() -> tuple[int, ...]:
        return 1, 2, 3

    assert _run(pair, outputs=["a", "b"]) == {"a": 1, "b": 2}


# -- parameterize: expand_node leaves unknown parameters to validate() ------------------------------


def test_parameterize_expand_node_keeps_expand_and_collect_roles():
    def numbers(n: int) -> Parallelizable[int]:
        yield from range(n)

    def total(items: Collect[int]) -> int:
        return sum(items)

    expander = parameterize(numbers_from_count={"n": source("count")})
    (expanded,) = expander.expand_node(Node.from_fn(numbers), {}, numbers)
    assert expanded.node_role == NodeType.EXPAND
    assert set(expanded.input_types) == {"count"}
    # bindings of parameters the node lacks are ignored there: validate() reports them
    (collected,) = parameterize(total={"other": source("x")}).expand_node(Node.from_fn(total), {}, total)
    assert collected.node_role == NodeType.COLLECT
    with pytest.raises(InvalidDecoratorException, match="don't appear in the function itself: other"):
        parameterize(total={"other": source("x")})(total)


def test_parameterized_parallelizable_runs():
    @parameterize(numbers_from_count={"n": source("count")})
    def numbers(n: int) -> Parallelizable[int]:
        yield from range(n)

    def total(numbers_from_count: Collect[int]) -> int:
        return sum(numbers_from_count)

    dr = (
        driver.Builder()
        .with_functions(numbers, total)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_local_executor(SynchronousLocalTaskExecutor())
        .build()
    )
    assert dr.execute(["total"], inputs={"count": 4}) == {"total": 6}


# -- private helpers kept for 1.x -----------------------------------------------------------------


def test_validate_extract_fields():
    _validate_extract_fields({"a": int, "b": list[str], "c": dict})
    for fields in [None, "a", ["a"], {}, {1: int}, {"a": lambda x: x}]:
        with pytest.raises(InvalidDecoratorException):
            _validate_extract_fields(fields)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"a": source("x"), "b": value(2), "c": "three"},
    ],
)
def test_resolve_kwargs_splits_sources_from_literals(kwargs):
    assert resolve_kwargs(kwargs) == ({"a": "x"}, {"b": 2, "c": "three"})


def test_resolve_config_always_reports_power_user_mode():
    mode = settings.ENABLE_POWER_USER_MODE
    assert base.resolve_config("d", {"foo": 1, "bar": 2}, ["foo"], None) == {"foo": 1, mode: False}
    assert base.resolve_config("d", {"foo": 1, mode: True}, [], {"bar": 3}) == {"bar": 3, mode: True}
    with pytest.raises(MissingConfigParametersException):
        base.resolve_config("d", {"bar": 2}, ["foo"], {})
