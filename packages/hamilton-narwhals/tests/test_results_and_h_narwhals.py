"""``NativeDataFrameResult`` and 1.x's ``h_narwhals`` on every library."""

import narwhals as nw
import pytest

from hamilton import driver
from hamilton.function_modifiers import tag
from hamilton.plugins import h_narwhals, result_builder
from hamilton.plugins.narwhals_results import NativeDataFrameResult


def test_the_result_is_the_outputs_library(library):
    result = NativeDataFrameResult().build_result(
        s=library.series([1, 2]), c=3, f=library.frame({"x": [5, 6], "y": [7, 8]})
    )
    assert isinstance(result, library.DataFrame)
    assert library.to_dict(result) == {"s": [1, 2], "c": [3, 3], "f.x": [5, 6], "f.y": [7, 8]}


def test_a_single_frame_is_returned_as_it_is(library):
    frame = library.frame({"x": [1]})
    assert NativeDataFrameResult().build_result(f=frame) is frame


def test_scalars_only_need_a_backend(library):
    result = NativeDataFrameResult(library.name).build_result(a=1, b="x")
    assert isinstance(result, library.DataFrame)
    assert library.to_dict(result) == {"a": [1], "b": ["x"]}
    with pytest.raises(ValueError, match=r"every requested output \(\['a'\]\) is a scalar"):
        NativeDataFrameResult().build_result(a=1)


def test_columns_of_different_lengths_are_an_error(library):
    with pytest.raises(ValueError, match="columns of different lengths"):
        NativeDataFrameResult().build_result(a=library.series([1, 2]), b=library.series([1]))


def test_registered_as_result_builder_narwhals():
    assert isinstance(result_builder("narwhals"), NativeDataFrameResult)


def test_narwhals_adapter_runs_functions_written_against_narwhals(library):
    def frame() -> nw.DataFrame:  # native at run time: narwhalify converts what nodes receive
        return library.frame({"a": [1, 2, 3], "g": ["x", "x", "y"]})

    @tag(nw_kwargs=["eager_only"])
    def totals(frame: nw.DataFrame) -> nw.DataFrame:
        return frame.group_by("g").agg(nw.col("a").sum()).sort("g")

    def doubled(frame: nw.DataFrame) -> nw.Series:
        return frame["a"] * 2

    dr = (
        driver.Builder()
        .with_functions(frame, totals, doubled)
        .with_adapters(h_narwhals.NarwhalsAdapter(), h_narwhals.NarwhalsDataFrameResultBuilder(NativeDataFrameResult()))
        .build()
    )
    totals_frame = dr.execute(["totals"])
    assert isinstance(totals_frame, library.DataFrame)
    assert library.to_dict(totals_frame) == {"g": ["x", "y"], "a": [3, 3]}
    doubled_frame = dr.execute(["doubled"])
    assert library.to_dict(doubled_frame) == {"doubled": [2, 4, 6]}


def test_result_builder_wrapper_converts_narwhals_outputs(library):
    wrapped = h_narwhals.NarwhalsDataFrameResultBuilder(NativeDataFrameResult())
    native = library.frame({"a": [1, 2]})
    result = wrapped.build_result(f=nw.from_native(native), s=nw.from_native(library.series([3, 4]), series_only=True))
    assert library.to_dict(result) == {"f.a": [1, 2], "s": [3, 4]}


def test_a_bad_nw_kwargs_flag_names_the_node(library):
    @tag(nw_kwargs=["no_such_flag"])
    def bad() -> int:
        return 1

    dr = driver.Builder().with_functions(bad).with_adapters(h_narwhals.NarwhalsAdapter()).build()
    with pytest.raises(TypeError, match="Node bad: its nw_kwargs tag"):
        dr.execute(["bad"])
