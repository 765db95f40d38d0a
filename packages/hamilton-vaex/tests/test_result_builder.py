"""VaexDataFrameResult through driver runs: 1.x's rules (checked against apache-hamilton 1.90.0
with vaex 4.19: column order, row counts and values below are what 1.x returned)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import vaex
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, base, driver, plugins
from hamilton.function_modifiers import extract_columns
from hamilton.plugins import h_vaex
from hamilton.plugins.testing import ResultBuilderContract

Expression = vaex.expression.Expression
DataFrame = vaex.dataframe.DataFrame


@extract_columns("a", "b")
def generate_df() -> DataFrame:
    return vaex.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 4]}))


def a_plus_b(a: Expression, b: Expression) -> Expression:
    return a + b


def a_times_b_array(a: Expression, b: Expression) -> np.ndarray:
    return (a * b).to_numpy()


def a_mean(a: Expression) -> float:
    return a.mean()


def b_max(b: Expression) -> int:
    return int(b.max())


def label() -> str:
    return "x"


def a_first(a: Expression) -> Expression:
    return a[:1]  # an expression of length 1: a scalar for the result builder, as in 1.x


def ab_frame(a: Expression, b: Expression) -> DataFrame:
    return vaex.from_arrays(a_in_df=a.to_numpy(), b_in_df=b.to_numpy())


def short_array() -> np.ndarray:
    return np.array([1, 2])


def grid() -> np.ndarray:
    return np.ones((3, 2))


def as_list(a: Expression) -> list:
    return a.tolist()


def as_series(a: Expression) -> pd.Series:
    return pd.Series(a.to_numpy())


FUNCTIONS = [
    generate_df,
    a_plus_b,
    a_times_b_array,
    a_mean,
    b_max,
    label,
    a_first,
    ab_frame,
    short_array,
    grid,
    as_list,
    as_series,
]


def run(*outputs: str) -> DataFrame:
    dr = driver.Builder().with_functions(*FUNCTIONS).with_adapters(h_vaex.VaexDataFrameResult()).build()
    result = dr.execute(list(outputs))
    assert isinstance(result, DataFrame)
    return result


def columns(df: DataFrame) -> dict[str, list]:
    return {name: df[name].tolist() for name in df.get_column_names()}


def test_expressions_and_arrays_are_columns_named_after_outputs():
    result = run("a", "b", "a_plus_b", "a_times_b_array")
    assert columns(result) == {"a": [1, 2, 3], "b": [2, 3, 4], "a_plus_b": [3, 5, 7], "a_times_b_array": [2, 6, 12]}


def test_scalars_are_broadcast_after_the_columns():
    result = run("a_mean", "a", "label", "b_max")
    assert result.get_column_names() == ["a", "a_mean", "label", "b_max"]
    assert columns(result) == {"a": [1, 2, 3], "a_mean": [2.0] * 3, "label": ["x"] * 3, "b_max": [4] * 3}


def test_only_scalars_make_one_row():
    result = run("a_mean", "b_max", "label")
    assert columns(result) == {"a_mean": [2.0], "b_max": [4], "label": ["x"]}


def test_a_single_value_expression_is_a_scalar():
    result = run("a_first", "b")
    assert result.get_column_names() == ["b", "a_first"]
    assert columns(result) == {"b": [2, 3, 4], "a_first": [1, 1, 1]}


def test_a_single_frame_is_the_result():
    result = run("ab_frame")
    assert columns(result) == {"a_in_df": [1, 2, 3], "b_in_df": [2, 3, 4]}


def test_a_frame_among_columns_is_stacked_row_wise_first():
    result = run("a", "ab_frame", "a_mean")
    assert len(result) == 6
    assert result.get_column_names() == ["a_in_df", "b_in_df", "a", "a_mean"]
    frame = result.to_pandas_df()
    assert frame["a_in_df"].tolist()[:3] == [1, 2, 3]
    assert frame["a"].tolist()[3:] == [1, 2, 3]
    assert frame["a_mean"].tolist()[3:] == [2.0] * 3
    assert frame["a"].isna().tolist() == [True] * 3 + [False] * 3
    assert frame["a_in_df"].isna().tolist() == [False] * 3 + [True] * 3


def test_frames_are_stacked_in_request_order():
    result = run("ab_frame", "generate_df")
    assert len(result) == 6
    frame = result.to_pandas_df()
    assert frame["a_in_df"].tolist()[:3] == [1, 2, 3]
    assert frame["a"].tolist()[3:] == [1, 2, 3]


def test_outputs_of_different_lengths_are_refused_naming_them():
    with pytest.raises(NotImplementedError, match=r"'a' \(3 rows\), 'short_array' \(2 rows\)"):
        run("a", "short_array")


def test_columns_of_more_dimensions_are_refused_naming_them():
    with pytest.raises(NotImplementedError, match=r"one-dimensional.*'grid' \(shape \(3, 2\)\)"):
        run("a", "grid")


@pytest.mark.parametrize(("output", "kind"), [("as_list", "builtins.list"), ("as_series", "pandas.core.series.Series")])
def test_other_outputs_are_refused_naming_the_output_and_type(output, kind):
    with pytest.raises(NotImplementedError, match=rf"output '{output}' \({kind}\).*function that computes '{output}'"):
        run("a", output)


def test_no_outputs_is_an_error_that_says_so():
    with pytest.raises(ValueError, match="no outputs"):
        h_vaex.VaexDataFrameResult().build_result()


def test_1x_driver_and_adapter_spelling():
    module = ad_hoc_utils.create_temporary_module(generate_df, a_plus_b, a_mean)
    adapter = base.SimplePythonGraphAdapter(result_builder=h_vaex.VaexDataFrameResult())
    result = driver.Driver({}, module, adapter=adapter).execute(["a", "a_plus_b", "a_mean"])
    assert columns(result) == {"a": [1, 2, 3], "a_plus_b": [3, 5, 7], "a_mean": [2.0] * 3}


def test_registered_as_result_builder_vaex():
    builder = plugins.result_builder("vaex")
    assert isinstance(builder, h_vaex.VaexDataFrameResult)
    assert builder.output_type() is DataFrame


class TestVaexResultContract(ResultBuilderContract):
    def make_builder(self):
        return h_vaex.VaexDataFrameResult()


scalars = st.one_of(
    st.integers(-(2**31), 2**31),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet="abcxyz", max_size=5),
)


@settings(max_examples=40, deadline=None)
@given(
    length=st.integers(2, 20),
    data=st.data(),
    n_columns=st.integers(1, 3),
    scalar_values=st.lists(scalars, max_size=3),
    as_expression=st.booleans(),
)
def test_columns_and_broadcast_scalars_round_trip(length, data, n_columns, scalar_values, as_expression):
    values = {
        f"c{i}": data.draw(st.lists(st.integers(-1000, 1000), min_size=length, max_size=length))
        for i in range(n_columns)
    }
    source = vaex.from_arrays(**{name: np.array(column) for name, column in values.items()})
    outputs = {name: source[name] if as_expression else np.array(column) for name, column in values.items()}
    outputs.update({f"s{i}": value for i, value in enumerate(scalar_values)})
    result = h_vaex.VaexDataFrameResult.build_result(**outputs)
    assert result.get_column_names() == list(outputs)
    assert len(result) == length
    for name, column in values.items():
        assert result[name].tolist() == column
    for i, value in enumerate(scalar_values):
        got = result[f"s{i}"].tolist()
        assert all(item == value or (isinstance(value, float) and math.isclose(item, value)) for item in got)
