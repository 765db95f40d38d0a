"""PyarrowTableResult through driver runs, and the result-builder names of the plugin."""

from __future__ import annotations

import subprocess
import sys

import narwhals.stable.v1 as nw
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver, plugins
from hamilton.plugins import h_pyarrow
from hamilton.plugins.testing import IntegrationContract

EXPECTED = pa.table({"a": [0, 1, 2], "b": ["x", "y", "z"]})


def execute(*functions, builder=None, final_vars=None):
    builder = builder or h_pyarrow.PyarrowTableResult()
    dr = driver.Builder().with_functions(*functions).with_adapters(builder).build()
    return dr.execute(final_vars or [functions[-1].__name__])


def _pandas() -> pd.DataFrame:
    return pd.DataFrame({"a": [0, 1, 2], "b": ["x", "y", "z"]}, index=[10, 20, 30])


def _polars() -> pl.DataFrame:
    return pl.DataFrame({"a": [0, 1, 2], "b": ["x", "y", "z"]})


def _polars_lazy() -> pl.LazyFrame:
    return _polars().lazy()


def _pyarrow() -> pa.Table:
    return EXPECTED


def _record_batch() -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict({"a": [0, 1, 2], "b": ["x", "y", "z"]})


def _narwhals() -> nw.DataFrame:
    return nw.from_native(_polars(), eager_only=True)


@pytest.mark.parametrize("make", [_pandas, _polars, _polars_lazy, _pyarrow, _record_batch, _narwhals])
def test_a_single_frame_becomes_a_table(make):
    def frame() -> object:
        return make()

    table = execute(frame)
    assert isinstance(table, pa.Table)
    assert table.column_names == ["a", "b"]  # pandas' index is dropped, as in 1.x
    assert table.column("a").to_pylist() == [0, 1, 2]
    assert table.column("b").to_pylist() == ["x", "y", "z"]


def test_several_outputs_are_refused():
    def first() -> pd.DataFrame:
        return _pandas()

    def second() -> pd.DataFrame:
        return _pandas()

    with pytest.raises(AssertionError, match=r"exactly one output.*\['first', 'second'\]"):
        execute(first, second, final_vars=["first", "second"])


@pytest.mark.parametrize("value", [3, pd.Series([1, 2]), pa.chunked_array([[1, 2]])], ids=["int", "series", "column"])
def test_a_non_frame_output_is_named_in_the_error(value):
    def total() -> object:
        return value

    with pytest.raises(TypeError, match=r"'total'.*one dataframe"):
        execute(total)


def test_output_type_is_a_pyarrow_table():
    assert h_pyarrow.PyarrowTableResult().output_type() is pa.Table


@pytest.mark.parametrize("name", ["pyarrow_table", "pyarrow"])
def test_registered_result_builder_names(name):
    builder = plugins.result_builder(name)
    assert isinstance(builder, h_pyarrow.PyarrowTableResult)
    assert execute(_polars, builder=builder).equals(_polars().to_arrow())


def test_the_plugin_loads_without_importing_pyarrow():
    code = (
        "import sys\nfrom hamilton import plugins\nplugins.load('pyarrow_table')\n"
        "assert 'pyarrow' not in sys.modules and 'hamilton.plugins.h_pyarrow' not in sys.modules\n"
        "builder = plugins.result_builder('pyarrow_table')\nprint(type(builder).__name__)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "PyarrowTableResult"


class TestPyarrowIntegration(IntegrationContract):
    library = "pyarrow"
    extra = "pyarrow"
    modules = ("hamilton.plugins.h_pyarrow", "hamilton.plugins.h_schema")
    entry_point = "pyarrow_table"
    inactive_without_library = False  # pyarrow_results imports pyarrow only when a builder is made


@settings(max_examples=60)
@given(
    columns=st.dictionaries(
        st.from_regex(r"[a-z]{1,6}", fullmatch=True),
        st.one_of(
            st.lists(st.integers(-(2**40), 2**40), min_size=4, max_size=4),
            st.lists(st.floats(allow_nan=False), min_size=4, max_size=4),
            st.lists(st.text(max_size=6), min_size=4, max_size=4),
            st.lists(st.booleans(), min_size=4, max_size=4),
        ),
        min_size=1,
        max_size=5,
    ),
    library=st.sampled_from(["pandas", "polars"]),
)
def test_values_survive_the_conversion(columns, library):
    def frame() -> object:
        return pd.DataFrame(columns) if library == "pandas" else pl.DataFrame(columns)

    table = execute(frame)
    assert table.to_pydict() == columns
