"""Column decorators over polars frames: extract_columns, with_columns (eager and lazy), schema
capture, and the backends behind them (checked with core's contract kit)."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from hamilton import driver, plugins
from hamilton.function_modifiers import InvalidDecoratorException, extract_columns, schema
from hamilton.plugins import h_polars, h_polars_lazyframe
from hamilton.plugins.polars_backend import PolarsBackend, PolarsLazyFrameBackend
from hamilton.plugins.testing import DataFrameBackendContract

# -- backends ---------------------------------------------------------------------------------


class TestPolarsBackendContract(DataFrameBackendContract):
    def make_backend(self):
        return PolarsBackend()

    def make_frame(self):
        return pl.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})


class TestPolarsLazyFrameBackendContract(DataFrameBackendContract):
    """Columns of a LazyFrame are expressions: the kit's checks of column values evaluate them
    on the frame they were taken from."""

    def make_backend(self):
        return PolarsLazyFrameBackend()

    def make_frame(self):
        return pl.LazyFrame({"a": [1, 2, 3], "b": [4, 5, 6]})

    def as_list(self, column):
        return column.to_list()

    def test_get_column(self):
        backend = self.make_backend()
        frame = self.make_frame()
        assert frame.select(backend.get_column(frame, "b")).collect()["b"].to_list() == [4, 5, 6]
        with pytest.raises(KeyError):
            backend.get_column(frame, "missing")

    def test_fill_with_scalar(self):
        filled = self.make_backend().fill_with_scalar(self.make_frame(), "c", 0)
        assert filled.collect()["c"].to_list() == [0, 0, 0]

    def test_with_columns_adds_and_replaces(self):
        backend = self.make_backend()
        frame = self.make_frame()
        new = backend.with_columns(frame, {"b": backend.get_column(frame, "a"), "c": backend.get_column(frame, "b")})
        assert_frame_equal(new.collect(), pl.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3], "c": [4, 5, 6]}))
        assert backend.column_names(frame) == ["a", "b"]


def test_backends_are_found_by_type():
    assert isinstance(plugins.dataframe_backend(pl.DataFrame({"a": [1]})), PolarsBackend)
    assert isinstance(plugins.dataframe_backend(pl.LazyFrame), PolarsLazyFrameBackend)


def test_schema_names_types_readably():
    frame = pl.DataFrame({"i": [1], "f": [1.0], "s": ["x"], "b": [True]})
    assert PolarsBackend().schema(frame) == {"i": "int64", "f": "float64", "s": "str", "b": "bool"}
    assert PolarsLazyFrameBackend().schema(frame.lazy()) == {"i": "int64", "f": "float64", "s": "str", "b": "bool"}


# -- extract_columns --------------------------------------------------------------------------


def test_extract_columns_from_a_lazyframe_gives_expressions():
    @extract_columns("a", "b")
    def frame() -> pl.LazyFrame:
        return pl.LazyFrame({"a": [1, 2], "b": [3, 4]})

    def total(a: pl.Expr, b: pl.Expr, frame: pl.LazyFrame) -> pl.DataFrame:
        return frame.select((a + b).alias("total")).collect()

    dr = driver.Builder().with_functions(frame, total).build()
    assert dr.execute(["total"])["total"]["total"].to_list() == [4, 6]


def test_schema_output_on_a_polars_frame():
    @schema.output(("a", "int"), ("b", "float"))
    def frame() -> pl.DataFrame:
        return pl.DataFrame({"a": [1], "b": [1.0]})

    dr = driver.Builder().with_functions(frame).build()
    assert dr.graph.nodes["frame"].tags[schema.INTERNAL_SCHEMA_OUTPUT_KEY] == "a=int,b=float"


# -- with_columns -----------------------------------------------------------------------------


def a_plus_b(a: pl.Series, b: pl.Series) -> pl.Series:
    return a + b


def a_times_b(a: pl.Series, b: pl.Series) -> pl.Series:
    return a * b


def initial() -> pl.DataFrame:
    return pl.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})


def test_with_columns_appends_series():
    @h_polars.with_columns(a_plus_b, a_times_b, columns_to_pass=["a", "b"], select=["a_plus_b"])
    def final(initial: pl.DataFrame) -> pl.DataFrame:
        return initial

    result = driver.Builder().with_functions(initial, final).build().execute(["final"])["final"]
    assert result.columns == ["a", "b", "a_plus_b"]
    assert result["a_plus_b"].to_list() == [5, 7, 9]


def test_with_columns_appends_every_series_node_by_default():
    @h_polars.with_columns(a_plus_b, a_times_b, columns_to_pass=["a", "b"])
    def final(initial: pl.DataFrame) -> pl.DataFrame:
        return initial

    result = driver.Builder().with_functions(initial, final).build().execute(["final"])["final"]
    assert result.columns == ["a", "b", "a_plus_b", "a_times_b"]


def scaled_a() -> pl.Expr:
    return pl.col("a") / 100


def test_with_columns_evaluates_expressions_on_an_eager_frame():  # 1.x's on_input example
    @h_polars.with_columns(scaled_a, on_input="initial", select=["scaled_a"])
    def final(initial: pl.DataFrame) -> pl.DataFrame:
        return initial

    result = driver.Builder().with_functions(initial, final).build().execute(["final"])["final"]
    assert result["scaled_a"].to_list() == [0.01, 0.02, 0.03]


def first_rows(df: pl.DataFrame) -> pl.Series:
    return df["a"] * 10


def test_with_columns_passes_the_dataframe():  # 1.x raised NotImplementedError here
    @h_polars.with_columns(first_rows, pass_dataframe_as="df", select=["first_rows"])
    def final(initial: pl.DataFrame) -> pl.DataFrame:
        return initial

    result = driver.Builder().with_functions(initial, final).build().execute(["final"])["final"]
    assert result["first_rows"].to_list() == [10, 20, 30]


def test_h_polars_with_columns_insists_on_a_dataframe():
    @h_polars.with_columns(a_plus_b, columns_to_pass=["a", "b"])
    def final(initial: pl.LazyFrame) -> pl.LazyFrame:
        return initial

    with pytest.raises(InvalidDecoratorException, match="not the correct dataframe type"):
        driver.Builder().with_functions(final).build()


def lazy_sum(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return a + b


def lazy_initial() -> pl.LazyFrame:
    return pl.LazyFrame({"a": [1, 2, 3], "b": [4, 5, 6]})


def test_with_columns_over_a_lazyframe_stays_lazy():
    @h_polars_lazyframe.with_columns(lazy_sum, columns_to_pass=["a", "b"], select=["lazy_sum"])
    def final(lazy_initial: pl.LazyFrame) -> pl.LazyFrame:
        return lazy_initial

    result = driver.Builder().with_functions(lazy_initial, final).build().execute(["final"])["final"]
    assert isinstance(result, pl.LazyFrame)
    assert_frame_equal(result.collect(), pl.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6], "lazy_sum": [5, 7, 9]}))


def lazy_ratio(a: pl.Expr, nope: pl.Expr) -> pl.Expr:
    return a / nope


def test_with_columns_over_a_lazyframe_names_a_missing_column():
    @h_polars_lazyframe.with_columns(lazy_ratio, columns_to_pass=["a", "nope"], select=["lazy_ratio"])
    def final(lazy_initial: pl.LazyFrame) -> pl.LazyFrame:
        return lazy_initial

    dr = driver.Builder().with_functions(lazy_initial, final).build()
    with pytest.raises(KeyError, match="has no column 'nope'"):
        dr.execute(["final"])
