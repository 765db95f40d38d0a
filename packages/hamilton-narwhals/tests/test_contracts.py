"""Core's plugin contract kits, run on the shared narwhals pieces for each library."""

import pytest

from hamilton.plugins import testing
from hamilton.plugins.narwhals_backend import NarwhalsBackend
from hamilton.plugins.narwhals_results import NativeDataFrameResult
from hamilton.plugins.narwhals_validators import validators_for

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

DATA = {"a": [1, 2, 3], "b": [4, 5, 6]}


class TestPandasBackend(testing.DataFrameBackendContract):
    def make_backend(self):
        return NarwhalsBackend("pandas", (pd.DataFrame,), pd.Series)

    def make_frame(self):
        return pd.DataFrame(DATA)


class TestPolarsBackend(testing.DataFrameBackendContract):
    def make_backend(self):
        return NarwhalsBackend("polars", (pl.DataFrame,), pl.Series)

    def make_frame(self):
        return pl.DataFrame(DATA)


class TestPyarrowBackend(testing.DataFrameBackendContract):
    def make_backend(self):
        return NarwhalsBackend("pyarrow", (pa.Table,), pa.ChunkedArray)

    def make_frame(self):
        return pa.table(DATA)

    def as_list(self, column):
        return column.to_pylist()


def _bound(arg, series_type, frame_type):
    (cls,) = [cls for cls in validators_for((series_type,), (frame_type,)) if cls.arg() == arg]
    return cls


class TestPolarsRangeValidator(testing.ValidatorContract):
    def make_validator_class(self):
        return _bound("range", pl.Series, pl.DataFrame)

    def argument(self):
        return (0, 10)

    def valid_value(self):
        return pl.Series([1, 2])

    def invalid_value(self):
        return pl.Series([1, 50])


class TestPyarrowAllowNansValidator(testing.ValidatorContract):
    def make_validator_class(self):
        return _bound("allow_nans", pa.ChunkedArray, pa.Table)

    def argument(self):
        return False

    def valid_value(self):
        return pa.chunked_array([[1.0, 2.0]])

    def invalid_value(self):
        return pa.chunked_array([[1.0, None]])


class TestPandasSchemaValidator(testing.ValidatorContract):
    def make_validator_class(self):
        return _bound("schema", pd.Series, pd.DataFrame)

    def argument(self):
        return {"a": int}

    def valid_value(self):
        return pd.DataFrame({"a": [1]})

    def invalid_value(self):
        return pd.DataFrame({"a": ["x"]})


class TestNativeResultForPandas(testing.ResultBuilderContract):
    def make_builder(self):
        return NativeDataFrameResult("pandas")


class TestNativeResultForPolars(testing.ResultBuilderContract):
    def make_builder(self):
        return NativeDataFrameResult("polars")

    def sample_outputs(self):
        return {"a": pl.Series([1, 2]), "b": 3}


def test_pyarrow_tables_work_with_extract_columns_through_the_pyarrow_plugin():
    from hamilton import driver, plugins
    from hamilton.function_modifiers import check_output, extract_columns

    @check_output(range=(0, 10), target_="a", importance="fail")
    @extract_columns("a", "b")
    def table() -> pa.Table:
        return pa.table(DATA)

    result = driver.Builder().with_functions(table).build().execute(["a", "b"])
    assert isinstance(result["a"], pa.ChunkedArray)
    assert result["b"].to_pylist() == [4, 5, 6]
    assert plugins.dataframe_backend(pa.Table).name == "pyarrow"
    assert not [info.name for info in plugins.list_plugins() if info.status == "failed"]
