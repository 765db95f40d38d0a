"""``@check_output(schema=<pandera schema>)`` on pandas frames and series, through driver runs."""

from __future__ import annotations

import logging

import hypothesis.strategies as st
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given, settings
from pandera.typing.pandas import Series

from hamilton import driver
from hamilton.data_quality import pandera_validators
from hamilton.data_quality.base import DataValidationError, ValidationResult
from hamilton.function_modifiers import check_output
from hamilton.plugins.testing import ValidatorContract

ORDERS = pa.DataFrameSchema(
    {
        "order_id": pa.Column(int, pa.Check.ge(1), unique=True),
        "amount": pa.Column(float, pa.Check.ge(0)),
        "region": pa.Column(str, pa.Check.isin(["eu", "us"])),
    },
    strict=True,
)


class Orders(pa.DataFrameModel):
    order_id: Series[int] = pa.Field(ge=1, unique=True)
    amount: Series[float] = pa.Field(ge=0)
    region: Series[str] = pa.Field(isin=["eu", "us"])


GOOD = {"order_id": [1, 2], "amount": [10.0, 0.5], "region": ["eu", "us"]}
BAD = {"order_id": [1, 1], "amount": [-1.0, 2.0], "region": ["eu", "mars"]}


def _orders_dataflow(schema, importance):
    @check_output(schema=schema, importance=importance)
    def orders(rows: dict) -> pd.DataFrame:
        return pd.DataFrame(rows)

    def revenue(orders: pd.DataFrame) -> float:
        return float(orders["amount"].sum())

    return driver.Builder().with_functions(orders, revenue).build()


@pytest.mark.parametrize("schema", [ORDERS, Orders], ids=["DataFrameSchema", "DataFrameModel"])
def test_a_valid_frame_passes_and_flows_on(schema):
    dr = _orders_dataflow(schema, "fail")
    assert "orders_pandera_schema_validator" in {v.name for v in dr.list_available_variables()}
    results = dr.execute(["revenue", "orders_pandera_schema_validator"], inputs={"rows": GOOD})
    assert results["revenue"] == 10.5
    result = results["orders_pandera_schema_validator"]
    assert isinstance(result, ValidationResult)
    assert result.passes


@pytest.mark.parametrize("schema", [ORDERS, Orders], ids=["DataFrameSchema", "DataFrameModel"])
def test_an_invalid_frame_fails_the_run_naming_the_node_and_every_failure(schema):
    dr = _orders_dataflow(schema, "fail")
    with pytest.raises(DataValidationError) as raised:
        dr.execute(["revenue"], inputs={"rows": BAD})
    message = str(raised.value)
    assert "[orders:pandera_schema_validator]" in message
    for column in ("order_id", "amount", "region"):  # lazy validation: every failing column is reported
        assert column in message


def test_an_invalid_frame_with_importance_warn_logs_and_the_run_goes_on(caplog):
    dr = _orders_dataflow(ORDERS, "warn")
    with caplog.at_level(logging.WARNING):
        results = dr.execute(["revenue", "orders_pandera_schema_validator"], inputs={"rows": BAD})
    assert results["revenue"] == 1.0
    result = results["orders_pandera_schema_validator"]
    assert not result.passes
    assert len(result.diagnostics["schema_errors"]) == 3
    assert set(result.diagnostics["failure_cases"]["column"]) == {"order_id", "amount", "region"}
    assert "[orders:pandera_schema_validator] validator failed" in caplog.text


def test_series_schemas_validate_series():
    schema = pa.SeriesSchema(str, pa.Check.str_startswith("id-"), nullable=False)

    @check_output(schema=schema, importance="fail")
    def ids(raw: list) -> pd.Series:
        return pd.Series(raw)

    dr = driver.Builder().with_functions(ids).build()
    assert "ids_pandera_schema_validator" in {v.name for v in dr.list_available_variables()}
    assert list(dr.execute(["ids"], inputs={"raw": ["id-1", "id-2"]})["ids"]) == ["id-1", "id-2"]
    with pytest.raises(DataValidationError, match=r"\[ids:pandera_schema_validator\].*str_startswith"):
        dr.execute(["ids"], inputs={"raw": ["id-1", "x"]})


def test_a_mapping_schema_keeps_the_narwhals_validator():
    @check_output(schema={"order_id": int, "amount": float}, importance="fail")
    def orders(rows: dict) -> pd.DataFrame:
        return pd.DataFrame(rows)

    dr = driver.Builder().with_functions(orders).build()
    names = {v.name for v in dr.list_available_variables()}
    assert "orders_schema_validator" in names
    assert "orders_pandera_schema_validator" not in names
    with pytest.raises(DataValidationError, match="wrong type"):
        dr.execute(["orders"], inputs={"rows": {"order_id": [1.5], "amount": [1.0]}})


def test_a_coercing_schema_changes_the_result_as_in_1x():
    """pandas frames are validated in place (1.x's inplace=True): coercion reaches downstream nodes."""
    schema = pa.DataFrameSchema({"n": pa.Column(int, coerce=True)})

    @check_output(schema=schema)
    def counts() -> pd.DataFrame:
        return pd.DataFrame({"n": ["1", "2"]})

    def total(counts: pd.DataFrame) -> int:
        return counts["n"].sum()

    assert driver.Builder().with_functions(counts, total).build().execute(["total"])["total"] == 3


def test_a_frame_schema_on_a_series_node_fails_at_build_naming_the_function():
    @check_output(schema=ORDERS)
    def amounts() -> pd.Series:
        return pd.Series([1.0])

    with pytest.raises(ValueError, match=r"(?s)function \[amounts\].*validates a dataframe, not a series"):
        driver.Builder().with_functions(amounts).build()


def test_a_series_schema_on_a_frame_node_fails_at_build_naming_the_function():
    @check_output(schema=pa.SeriesSchema(int))
    def orders() -> pd.DataFrame:
        return pd.DataFrame(GOOD)

    with pytest.raises(ValueError, match=r"(?s)function \[orders\].*a SeriesSchema, which validates a series"):
        driver.Builder().with_functions(orders).build()


def test_the_validators_take_pandera_schemas_only():
    with pytest.raises(ValueError, match="takes a pandera schema"):
        pandera_validators.PanderaDataFrameValidator(schema={"a": int}, importance="warn")
    assert pandera_validators.PanderaDataFrameValidator.accepts_arg(ORDERS)
    assert pandera_validators.PanderaDataFrameValidator.accepts_arg(Orders)
    assert not pandera_validators.PanderaDataFrameValidator.accepts_arg({"a": int})
    assert not pandera_validators.PanderaSeriesSchemaValidator.accepts_arg(int)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=20))
def test_the_result_is_pandera_s_verdict(values):
    schema = pa.DataFrameSchema({"x": pa.Column("int64", pa.Check.ge(0))})
    validator = pandera_validators.PanderaDataFrameValidator(schema=schema, importance="warn")
    result = validator.validate(pd.DataFrame({"x": pd.Series(values, dtype="int64")}))
    assert result.passes is all(value >= 0 for value in values)
    if not result.passes:
        assert len(result.diagnostics["failure_cases"]) == sum(value < 0 for value in values)


class TestPandasFrameValidatorContract(ValidatorContract):
    def make_validator_class(self):
        return pandera_validators.PanderaDataFrameValidator

    def argument(self):
        return ORDERS

    def valid_value(self):
        return pd.DataFrame(GOOD)

    def invalid_value(self):
        return pd.DataFrame(BAD)


class TestPandasSeriesValidatorContract(ValidatorContract):
    def make_validator_class(self):
        return pandera_validators.PanderaSeriesSchemaValidator

    def argument(self):
        return pa.SeriesSchema(int, pa.Check.gt(0))

    def valid_value(self):
        return pd.Series([1, 2])

    def invalid_value(self):
        return pd.Series([0, 2])
