"""vaex frames under the column decorators, through driver runs: extract_columns (1.x's
behaviour: Expression columns, fill_with), parameterize_extract_columns, with_columns, and the
backend contract."""

from __future__ import annotations

import numpy as np
import pytest
import vaex
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver, plugins
from hamilton.function_modifiers import (
    ParameterizedExtract,
    extract_columns,
    parameterize_extract_columns,
    schema,
    source,
)
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.recursive import with_columns
from hamilton.plugins import h_vaex
from hamilton.plugins.testing import DataFrameBackendContract
from hamilton.plugins.vaex_backend import VaexBackend

Expression = vaex.expression.Expression
DataFrame = vaex.dataframe.DataFrame


def make_frame() -> DataFrame:
    return vaex.from_arrays(a=np.array([1, 2, 3]), b=np.array([4.0, 5.0, 6.0]))


@extract_columns("a", "b")
def frame() -> DataFrame:
    return make_frame()


def total(a: Expression, b: Expression) -> Expression:
    return a + b


def test_extract_columns_gives_expression_nodes():
    dr = driver.Builder().with_functions(frame, total).build()
    graph = {node.name: node for node in dr.list_available_variables()}
    assert graph["a"].type is Expression
    assert graph["b"].type is Expression
    outputs = dr.execute(["a", "total"])
    assert isinstance(outputs["a"], Expression)
    assert isinstance(outputs["total"], Expression)
    assert outputs["a"].tolist() == [1, 2, 3]
    assert outputs["total"].tolist() == [5.0, 7.0, 9.0]


def test_extracted_columns_build_a_vaex_result():
    dr = driver.Builder().with_functions(frame, total).with_adapters(h_vaex.VaexDataFrameResult()).build()
    result = dr.execute(["a", "total"])
    assert {name: result[name].tolist() for name in result.get_column_names()} == {
        "a": [1, 2, 3],
        "total": [5.0, 7.0, 9.0],
    }


@extract_columns("a", "filled", fill_with=0)
def partial() -> DataFrame:
    return make_frame()


def test_fill_with_adds_the_missing_column_to_the_frame_node():
    dr = driver.Builder().with_functions(partial).build()
    outputs = dr.execute(["filled", "partial"])
    assert outputs["filled"].tolist() == [0, 0, 0]
    assert outputs["partial"].get_column_names() == ["a", "b", "filled"]


@extract_columns("a", "missing")
def lacking() -> DataFrame:
    return make_frame()


def test_a_missing_column_names_the_node_the_function_and_the_columns():
    dr = driver.Builder().with_functions(lacking).build()
    assert dr.execute(["a"])["a"].tolist() == [1, 2, 3]
    with pytest.raises(InvalidDecoratorException) as caught:
        dr.execute(["missing"])
    message = str(caught.value)
    assert "No such column: missing produced by lacking" in message
    assert "['a', 'b']" in message
    assert "lacking" in message.split("decorator on", 1)[1]


@extract_columns("a + b")
def by_expression() -> DataFrame:
    return make_frame()


def test_an_expression_string_is_not_a_column():  # 1.x's df[name] evaluated it
    dr = driver.Builder().with_functions(by_expression).build()
    with pytest.raises(InvalidDecoratorException, match=r"No such column: a \+ b"):
        dr.execute(["a + b"])


@parameterize_extract_columns(
    ParameterizedExtract(("first", "second"), {"scale": source("small")}),
    ParameterizedExtract(("third", "fourth"), {"scale": source("large")}),
)
def scaled(scale: int) -> DataFrame:
    return vaex.from_arrays(x=np.array([1, 2]) * scale, y=np.array([3, 4]) * scale)


def test_parameterize_extract_columns_renames_vaex_columns():
    dr = driver.Builder().with_functions(scaled).build()
    outputs = dr.execute(["first", "second", "fourth"], inputs={"small": 1, "large": 10})
    assert outputs["first"].tolist() == [1, 2]
    assert outputs["second"].tolist() == [3, 4]
    assert outputs["fourth"].tolist() == [30, 40]


def doubled(a: Expression) -> Expression:
    return a * 2


@with_columns(doubled, columns_to_pass=["a"], select=["doubled"])
def enriched(raw: DataFrame) -> DataFrame:
    return raw


def test_with_columns_adds_expression_columns_lazily():
    dr = driver.Builder().with_functions(enriched).build()
    result = dr.execute(["enriched"], inputs={"raw": make_frame()})["enriched"]
    assert result.get_column_names() == ["a", "b", "doubled"]
    assert result["doubled"].tolist() == [2, 4, 6]


def test_replacing_columns_in_one_step_reads_the_input_frame():
    # Two columns replaced at once, each from the other's old values: vaex resolves an
    # expression by column name when it is assigned, so the backend must not mix old and new.
    backend = VaexBackend()
    raw = make_frame()
    swapped_frame = backend.with_columns(raw, {"a": backend.get_column(raw, "b"), "b": backend.get_column(raw, "a")})
    assert swapped_frame["a"].tolist() == [4.0, 5.0, 6.0]
    assert swapped_frame["b"].tolist() == [1, 2, 3]
    assert raw["a"].tolist() == [1, 2, 3]


def test_backend_is_found_for_vaex_frames():
    assert isinstance(plugins.dataframe_backend(make_frame()), VaexBackend)
    assert isinstance(plugins.dataframe_backend(DataFrame), VaexBackend)


class TestVaexBackendContract(DataFrameBackendContract):
    def make_backend(self):
        return VaexBackend()

    def make_frame(self):
        return vaex.from_arrays(a=np.array([1, 2, 3]), b=np.array([4, 5, 6]))

    def as_list(self, column):
        return column.tolist()


def test_schema_names_vaex_dtypes():
    assert VaexBackend().schema(make_frame()) == {"a": "int64", "b": "float64"}


def test_columns_of_another_frame_are_evaluated():
    backend = VaexBackend()
    other = vaex.from_arrays(z=np.array([7, 8, 9]))
    result = backend.with_columns(make_frame(), {"z": other["z"], "s": 1, "l": [0, 1, 2]})
    assert result["z"].tolist() == [7, 8, 9]
    assert result["s"].tolist() == [1, 1, 1]
    assert result["l"].tolist() == [0, 1, 2]


@settings(max_examples=30, deadline=None)
@given(
    names=st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=4, unique=True),
    sources=st.lists(st.sampled_from(["a", "b"]), min_size=4, max_size=4),
)
def test_with_columns_always_reads_the_input_frame(names, sources):
    backend = VaexBackend()
    raw = make_frame()
    expected = {"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]}
    columns = {name: backend.get_column(raw, source_) for name, source_ in zip(names, sources)}
    result = backend.with_columns(raw, columns)
    for name, source_ in zip(names, sources):
        assert result[name].tolist() == expected[source_]
    for untouched in {"a", "b"} - set(names):
        assert result[untouched].tolist() == expected[untouched]
    assert backend.column_names(raw) == ["a", "b"]
    assert raw["a"].tolist() == [1, 2, 3]


@schema.output(("a", "int"), ("b", "float"))
def described() -> DataFrame:
    return make_frame()


def test_schema_output_accepts_a_vaex_frame_node():
    dr = driver.Builder().with_functions(described).build()
    (node,) = [node for node in dr.list_available_variables() if node.name == "described"]
    assert node.tags[schema.INTERNAL_SCHEMA_OUTPUT_KEY] == "a=int,b=float"
    assert dr.execute(["described"])["described"].get_column_names() == ["a", "b"]
