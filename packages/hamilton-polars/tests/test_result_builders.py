"""PolarsDataFrameResult / PolarsLazyFrameResult: 1.x's rules, pinned against apache-hamilton 1.90.0
(shapes, column names and dtypes below are what 1.x returned), and the documented departures."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from hamilton import driver, plugins
from hamilton.plugins.h_polars import PolarsDataFrameResult
from hamilton.plugins.h_polars_lazyframe import PolarsLazyFrameResult
from hamilton.plugins.testing import ResultBuilderContract

FRAME = pl.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})


def eager(**outputs):
    return PolarsDataFrameResult.build_result(**outputs)


def lazy(**outputs):
    result = PolarsLazyFrameResult.build_result(**outputs)
    assert isinstance(result, pl.LazyFrame)
    return result.collect()


def test_a_single_dataframe_is_the_result():
    assert eager(x=FRAME) is FRAME


def test_a_single_lazyframe_is_collected_or_kept():
    assert_frame_equal(eager(x=FRAME.lazy()), FRAME)
    lazy_frame = FRAME.lazy()
    assert PolarsLazyFrameResult.build_result(x=lazy_frame) is lazy_frame


def test_a_single_dataframe_becomes_lazy():  # 1.x wrapped it in a struct column "x"
    assert_frame_equal(lazy(x=FRAME), FRAME)


@pytest.mark.parametrize("build", [eager, lazy])
def test_a_single_scalar_is_one_row(build):
    assert_frame_equal(build(x=1), pl.DataFrame({"x": [1]}))


@pytest.mark.parametrize("build", [eager, lazy])
def test_a_single_series_is_named_after_the_output(build):
    assert_frame_equal(build(x=pl.Series("zz", [1, 2, 3])), pl.DataFrame({"x": [1, 2, 3]}))


def test_a_single_list_is_one_row_eagerly_and_a_column_lazily():  # as in 1.x
    assert eager(x=[1, 2, 3]).rows() == [([1, 2, 3],)]
    assert lazy(x=[1, 2, 3]).rows() == [(1,), (2,), (3,)]


@pytest.mark.parametrize("build", [eager, lazy])
def test_a_single_dict_is_a_struct(build):
    result = build(x={"p": 1})
    assert result.schema == pl.Schema({"x": pl.Struct({"p": pl.Int64})})


@pytest.mark.parametrize("build", [eager, lazy])
def test_scalars_make_one_row(build):
    result = build(x=1, y="s")
    assert result.columns == ["x", "y"]
    assert result.rows() == [(1, "s")]


@pytest.mark.parametrize("build", [eager, lazy])
def test_scalars_are_broadcast_beside_series(build):
    result = build(x=pl.Series([1, 2, 3]), y=7)
    assert result.rows() == [(1, 7), (2, 7), (3, 7)]
    assert result.schema["y"] == pl.Int32  # polars' literal type, as in 1.x


@pytest.mark.parametrize("build", [eager, lazy])
def test_series_and_lists_are_columns_named_after_outputs(build):
    assert build(x=pl.Series("n", [1, 2, 3]), y=pl.Series([4, 5, 6])).columns == ["x", "y"]
    assert build(x=[1, 2], y=[3, 4]).rows() == [(1, 3), (2, 4)]


@pytest.mark.parametrize("build", [eager, lazy])
def test_a_dataframe_among_outputs_is_a_struct_column(build):
    result = build(x=FRAME, y=pl.Series([4, 5, 6]))
    assert result.columns == ["x", "y"]
    assert result.schema["x"] == pl.Struct({"a": pl.Int64, "b": pl.Int64})
    assert result.row(0) == ({"a": 1, "b": 4}, 4)


@pytest.mark.parametrize("build", [eager, lazy])
def test_lazyframes_among_outputs_are_collected(build):  # 1.x made object columns of them
    result = build(x=FRAME.lazy(), y=FRAME.lazy())
    assert result.schema["x"] == pl.Struct({"a": pl.Int64, "b": pl.Int64})
    assert result.height == 3


@pytest.mark.parametrize("build", [eager, lazy])
def test_none_is_a_null_row_and_no_outputs_an_empty_frame(build):
    assert build(x=None).rows() == [(None,)]
    assert build().shape == (0, 0)


@pytest.mark.parametrize("build", [eager, lazy])
def test_different_lengths_name_the_outputs(build):
    with pytest.raises(pl.exceptions.ShapeError, match=r"x \(Series, 3 rows\), y \(Series, 2 rows\)"):
        build(x=pl.Series([1, 2, 3]), y=pl.Series([4, 5]))


@pytest.mark.parametrize("build", [eager, lazy])
def test_expressions_are_refused_with_a_reason(build):
    with pytest.raises(TypeError, match=r"\['x'\] are polars expressions"):
        build(x=pl.col("a"))


def test_output_types():
    assert PolarsDataFrameResult().output_type() is pl.DataFrame
    assert PolarsLazyFrameResult().output_type() is pl.LazyFrame


def test_registered_by_name():
    assert isinstance(plugins.result_builder("polars"), PolarsDataFrameResult)
    assert isinstance(plugins.result_builder("polars_lazy"), PolarsLazyFrameResult)


def _signups() -> pl.Series:
    return pl.Series([1, 10, 50])


def _spend() -> pl.Series:
    return pl.Series([10.0, 10.0, 20.0])


def _spend_per_signup(_spend: pl.Series, _signups: pl.Series) -> pl.Series:
    return _spend / _signups


def test_a_driver_run_returns_a_polars_frame():
    dr = (
        driver.Builder()
        .with_functions(_signups, _spend, _spend_per_signup)
        .with_adapters(PolarsDataFrameResult())
        .build()
    )
    result = dr.execute(["_signups", "_spend_per_signup"])
    assert_frame_equal(result, pl.DataFrame({"_signups": [1, 10, 50], "_spend_per_signup": [10.0, 1.0, 0.4]}))


class TestDataFrameResultContract(ResultBuilderContract):
    def make_builder(self):
        return PolarsDataFrameResult()


class TestLazyFrameResultContract(ResultBuilderContract):
    def make_builder(self):
        return PolarsLazyFrameResult()
