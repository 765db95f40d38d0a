"""1.x import paths, the legacy driver default, the pandas column backend and fingerprints."""

import numpy as np
import pandas as pd
import pytest

from hamilton import base, driver, fingerprinting, plugins
from hamilton.ad_hoc_utils import create_temporary_module
from hamilton.function_modifiers import extract_columns
from hamilton.plugins import h_pandas, numpy_extensions, pandas_extensions, testing
from hamilton.plugins.pandas_backend import PandasBackend


def test_1x_names_of_hamilton_base_resolve_to_this_distribution():
    assert base.PandasDataFrameResult is h_pandas.PandasDataFrameResult
    assert base.StrictIndexTypePandasDataFrameResult is h_pandas.StrictIndexTypePandasDataFrameResult
    assert base.NumpyMatrixResult is numpy_extensions.NumpyMatrixResult
    assert base.SimplePythonDataFrameGraphAdapter is h_pandas.SimplePythonDataFrameGraphAdapter
    from hamilton.base import PandasDataFrameResult  # the from-import form too

    assert PandasDataFrameResult is h_pandas.PandasDataFrameResult


def test_1x_module_level_names_of_pandas_extensions():
    assert pandas_extensions.DATAFRAME_TYPE is pd.DataFrame
    assert pandas_extensions.COLUMN_TYPE is pd.Series
    for name in ("CSV", "Parquet", "Pickle", "Json", "Sql", "Xml", "Html", "Stata", "Feather", "ORC", "Excel"):
        assert getattr(pandas_extensions, f"Pandas{name}Reader").can_load()
        assert getattr(pandas_extensions, f"Pandas{name}Writer").can_save()
    for name in ("Table", "FWF", "SPSS"):
        assert getattr(pandas_extensions, f"Pandas{name}Reader").can_load()
    assert numpy_extensions.COLUMN_FRIENDLY_DF_TYPE is False
    frame = pd.DataFrame({"a": [1]})
    assert pandas_extensions.get_column_pandas(frame, "a").tolist() == [1]
    assert pandas_extensions.fill_with_scalar_pandas(frame, "b", 2).to_dict("list") == {"a": [1], "b": [2]}


def _signups_module():
    def spend() -> pd.Series:
        return pd.Series([10.0, 20.0, 30.0])

    def signups() -> pd.Series:
        return pd.Series([1, 4, 6])

    def spend_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
        return spend / signups

    return create_temporary_module(spend, signups, spend_per_signup)


def test_legacy_driver_returns_a_dataframe():
    with pytest.warns(DeprecationWarning, match="returning a pandas DataFrame by default"):
        dr = driver.Driver({}, _signups_module())
    result = dr.execute(["spend", "spend_per_signup"])
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns) == ["spend", "spend_per_signup"]
    assert result["spend_per_signup"].tolist() == [10.0, 5.0, 5.0]


def test_simple_python_dataframe_graph_adapter():
    dr = driver.Driver({}, _signups_module(), adapter=base.SimplePythonDataFrameGraphAdapter())
    assert dr.execute(["signups"])["signups"].tolist() == [1, 4, 6]


def test_with_columns_aligns_new_columns_on_the_index():
    def shifted(a: pd.Series) -> pd.Series:
        return pd.Series([100, 200], index=[11, 12])  # labels 11 and 12: only 11 exists in the frame

    @h_pandas.with_columns(shifted, columns_to_pass=["a"], select=["shifted"])
    def final(base_df: pd.DataFrame) -> pd.DataFrame:
        return base_df

    def base_df() -> pd.DataFrame:
        return pd.DataFrame({"a": [1, 2]}, index=[10, 11])

    result = driver.Builder().with_functions(final, base_df).build().execute(["final"])["final"]
    assert result["shifted"].tolist()[1] == 100
    assert np.isnan(result["shifted"].tolist()[0])


def test_with_columns_requires_a_pandas_frame():
    pl = pytest.importorskip("polars")

    with pytest.raises(Exception, match="not the correct dataframe type"):

        @h_pandas.with_columns(lambda a: a, columns_to_pass=["a"])
        def final(base_df: pl.DataFrame) -> pl.DataFrame:
            return base_df

        driver.Builder().with_functions(final).build()


def test_the_plugin_loads_lazily_when_a_pandas_frame_is_dispatched():
    @extract_columns("a")
    def df() -> pd.DataFrame:
        return pd.DataFrame({"a": [1]})

    assert driver.Builder().with_functions(df).build().execute(["a"])["a"].tolist() == [1]
    assert isinstance(plugins.dataframe_backend(pd.DataFrame), PandasBackend)


def test_fingerprints_follow_content():
    a, b = pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1, 2]})
    assert fingerprinting.hash_value(a) == fingerprinting.hash_value(b)
    assert fingerprinting.hash_value(a) != fingerprinting.hash_value(pd.DataFrame({"x": [1, 3]}))
    assert fingerprinting.hash_value(a) != fingerprinting.hash_value(pd.DataFrame({"y": [1, 2]}))
    assert fingerprinting.hash_value(pd.Series([[1], [2]])) == fingerprinting.hash_value(pd.Series([[1], [2]]))


class TestPandasBackendContract(testing.DataFrameBackendContract):
    def make_backend(self):
        return PandasBackend()

    def make_frame(self):
        return pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})


class TestPandasFingerprintContract(testing.FingerprinterContract):
    def make_values(self):
        return [pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]}), pd.Series([1.0])]

    def make_equal_pair(self):
        return pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1]})
