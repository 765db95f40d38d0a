"""``@check_output(schema=<pandera.polars schema>)`` on polars frames and LazyFrames, through driver runs."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pandera.polars as pap
import polars as pl
import pytest
from pandera.config import ValidationDepth, config_context

from hamilton import driver
from hamilton.data_quality import pandera_validators
from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import check_output
from hamilton.plugins.testing import ValidatorContract

READINGS = pap.DataFrameSchema(
    {
        "sensor": pap.Column(str),
        "celsius": pap.Column(pl.Float64, pap.Check.in_range(-90, 60)),
    },
    strict=True,
)


class Readings(pap.DataFrameModel):
    sensor: str
    celsius: float = pap.Field(in_range={"min_value": -90, "max_value": 60})


GOOD = {"sensor": ["a", "b"], "celsius": [21.5, -3.0]}
BAD = {"sensor": ["a", "b"], "celsius": [21.5, 99.0]}


def _dataflow(schema, importance, frame_type=pl.DataFrame):
    def readings(rows: dict):
        return frame_type(rows)

    readings.__annotations__["return"] = frame_type  # a variable: not through a string annotation
    check_output(schema=schema, importance=importance)(readings)
    return driver.Builder().with_functions(readings).build()


@pytest.mark.parametrize("schema", [READINGS, Readings], ids=["DataFrameSchema", "DataFrameModel"])
def test_a_polars_frame_passes_or_fails_the_run(schema):
    dr = _dataflow(schema, "fail")
    assert "readings_pandera_schema_validator" in {v.name for v in dr.list_available_variables()}
    assert dr.execute(["readings"], inputs={"rows": GOOD})["readings"].equals(pl.DataFrame(GOOD))
    with pytest.raises(DataValidationError, match=r"\[readings:pandera_schema_validator\].*in_range"):
        dr.execute(["readings"], inputs={"rows": BAD})


def test_importance_warn_reports_the_failure_cases_and_goes_on():
    dr = _dataflow(READINGS, "warn")
    results = dr.execute(["readings", "readings_pandera_schema_validator"], inputs={"rows": BAD})
    assert results["readings"].equals(pl.DataFrame(BAD))
    result = results["readings_pandera_schema_validator"]
    assert not result.passes
    assert result.diagnostics["failure_cases"]["failure_case"].to_list() == ["99.0"]


@pytest.mark.parametrize("schema", [READINGS, Readings], ids=["DataFrameSchema", "DataFrameModel"])
def test_a_lazyframe_gets_the_schema_level_checks(schema):
    dr = _dataflow(schema, "fail", pl.LazyFrame)
    lazy = dr.execute(["readings"], inputs={"rows": GOOD})["readings"]
    assert isinstance(lazy, pl.LazyFrame)
    with pytest.raises(DataValidationError, match="WRONG_DATATYPE"):
        dr.execute(["readings"], inputs={"rows": {"sensor": ["a"], "celsius": ["warm"]}})
    # pandera checks a LazyFrame's data only when asked to (it then collects it)
    assert isinstance(dr.execute(["readings"], inputs={"rows": BAD})["readings"], pl.LazyFrame)
    depth = config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA)
    with depth, pytest.raises(DataValidationError, match="in_range"):
        dr.execute(["readings"], inputs={"rows": BAD})


def test_a_mapping_schema_keeps_the_narwhals_validator():
    dr = _dataflow({"sensor": str, "celsius": float}, "fail")
    names = {v.name for v in dr.list_available_variables()}
    assert "readings_schema_validator" in names
    assert "readings_pandera_schema_validator" not in names
    dr.execute(["readings"], inputs={"rows": BAD})  # the mapping checks types only


def test_a_pandas_schema_on_a_polars_frame_says_which_pandera_module_to_use():
    dr = _dataflow(pa.DataFrameSchema({"sensor": pa.Column(str)}), "warn")
    with pytest.raises(TypeError, match=r"schema for pandas data \(pandera.pandas\).*pandera.polars for polars"):
        dr.execute(["readings"], inputs={"rows": GOOD})


def test_a_polars_schema_on_a_pandas_frame_says_which_pandera_module_to_use():
    dr = _dataflow(READINGS, "warn", pd.DataFrame)
    with pytest.raises(TypeError, match=r"schema for polars data \(pandera.polars\).*pandera.pandas for"):
        dr.execute(["readings"], inputs={"rows": GOOD})


def test_polars_series_have_no_pandera_schema_validator():
    # pandera.polars has no SeriesSchema; a pandas one on a polars series finds no validator
    @check_output(schema=pa.SeriesSchema(int))
    def column() -> pl.Series:
        return pl.Series([1])

    with pytest.raises(ValueError, match=r"(?s)function \[column\].*arg: schema"):
        driver.Builder().with_functions(column).build()


class TestPolarsFrameValidatorContract(ValidatorContract):
    def make_validator_class(self):
        return pandera_validators.PanderaDataFrameValidator

    def argument(self):
        return Readings

    def valid_value(self):
        return pl.DataFrame(GOOD)

    def invalid_value(self):
        return pl.DataFrame(BAD)
