"""1.x's ``hamilton.plugins.h_pandera.check_output``: the schema comes from the return annotation."""

from __future__ import annotations

import logging

import pandas as pd
import pandera.pandas as pa
import pandera.polars as pap
import pandera.typing.polars as ptp
import polars as pl
import pytest
from pandera.typing.pandas import DataFrame, Series

from hamilton import driver
from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import InvalidDecoratorException, parameterize, value
from hamilton.plugins import h_pandera


class Dates(pa.DataFrameModel):
    year: Series[int] = pa.Field(gt=2000, coerce=True)
    month: Series[int] = pa.Field(ge=1, le=12, coerce=True)


class PolarsDates(pap.DataFrameModel):
    year: int = pap.Field(gt=2000)
    month: int = pap.Field(ge=1, le=12)


class Years(pa.DataFrameModel):
    year: Series[int] = pa.Field(gt=2000)


def _dates_function():
    """A fresh function each time (decorators mark the function object they decorate)."""

    def dates(year: int) -> DataFrame[Dates]:
        return pd.DataFrame({"year": [str(year)], "month": ["3"]})

    return dates


def next_year(dates: pd.DataFrame) -> int:
    return int(dates["year"].iloc[0]) + 1


def _run(*functions, outputs, **inputs):
    return driver.Builder().with_functions(*functions).build().execute(outputs, inputs=inputs)


def test_the_annotation_s_model_validates_the_node():
    checked = h_pandera.check_output(importance="fail")(_dates_function())
    results = _run(checked, next_year, outputs=["next_year", "dates_pandera_schema_validator"], year=2024)
    assert results["next_year"] == 2025  # coerce=True converted the strings, in place as in 1.x
    assert results["dates_pandera_schema_validator"].passes
    with pytest.raises(DataValidationError, match=r"\[dates:pandera_schema_validator\].*greater_than\(2000\)"):
        _run(checked, next_year, outputs=["next_year"], year=1999)


def test_importance_warn_is_the_default(caplog):
    checked = h_pandera.check_output()(_dates_function())
    with caplog.at_level(logging.WARNING):
        results = _run(checked, outputs=["dates", "dates_pandera_schema_validator"], year=1999)
    assert not results["dates_pandera_schema_validator"].passes
    assert "[dates:pandera_schema_validator] validator failed" in caplog.text


def test_polars_frame_and_lazyframe_annotations():
    @h_pandera.check_output(importance="fail")
    def eager(month: int) -> ptp.DataFrame[PolarsDates]:
        return pl.DataFrame({"year": [2024], "month": [month]})

    @h_pandera.check_output(importance="fail")
    def lazy(month: int) -> ptp.LazyFrame[PolarsDates]:
        return pl.LazyFrame({"year": [2024], "month": [str(month)]})

    assert _run(eager, outputs=["eager"], month=5)["eager"]["month"].to_list() == [5]
    with pytest.raises(DataValidationError, match=r"\[eager:pandera_schema_validator\]"):
        _run(eager, outputs=["eager"], month=13)
    with pytest.raises(DataValidationError, match=r"\[lazy:pandera_schema_validator\].*WRONG_DATATYPE"):
        _run(lazy, outputs=["lazy"], month=5)


def test_a_series_annotation_validates_its_dtype():
    @h_pandera.check_output(importance="fail")
    def counts(values: list) -> Series[int]:
        return pd.Series(values)

    assert list(_run(counts, outputs=["counts"], values=[1, 2])["counts"]) == [1, 2]
    with pytest.raises(DataValidationError, match=r"\[counts:pandera_schema_validator\]"):
        _run(counts, outputs=["counts"], values=["a"])


def test_target_validates_the_named_nodes_only():
    @h_pandera.check_output(importance="fail", target="recent")
    @parameterize(recent={"start": value(2020)}, old={"start": value(1990)})
    def years(start: int) -> DataFrame[Years]:
        return pd.DataFrame({"year": [start, start + 1]})

    dr = driver.Builder().with_functions(years).build()
    names = {v.name for v in dr.list_available_variables()}
    assert "recent_pandera_schema_validator" in names
    assert "old_pandera_schema_validator" not in names
    assert list(dr.execute(["old"])["old"]["year"]) == [1990, 1991]
    assert list(dr.execute(["recent"])["recent"]["year"]) == [2020, 2021]
    assert h_pandera.check_output(target_="recent").target == "recent"


def test_an_annotation_without_pandera_fails_at_build_naming_the_function():
    @h_pandera.check_output()
    def plain() -> pd.DataFrame:
        return pd.DataFrame()

    with pytest.raises(InvalidDecoratorException, match=r"function \[plain\].*carries no pandera schema"):
        driver.Builder().with_functions(plain).build()


def test_a_frame_not_parametrised_with_a_model_fails_naming_the_function():
    @h_pandera.check_output()
    def bare() -> DataFrame[int]:
        return pd.DataFrame()

    with pytest.raises(InvalidDecoratorException, match=r"function \[bare\].*DataFrameModel"):
        driver.Builder().with_functions(bare).build()


def test_a_model_of_another_library_fails_naming_the_function():
    @h_pandera.check_output()
    def mixed() -> ptp.DataFrame[Dates]:
        return pl.DataFrame()

    with pytest.raises(InvalidDecoratorException, match=r"function \[mixed\].*pandera.pandas DataFrameModel"):
        driver.Builder().with_functions(mixed).build()


def test_a_polars_series_annotation_fails_naming_the_function():
    @h_pandera.check_output()
    def column() -> ptp.Series[int]:
        return pl.Series([1])

    with pytest.raises(InvalidDecoratorException, match=r"function \[column\].*no series schemas"):
        driver.Builder().with_functions(column).build()


def test_bad_arguments_fail_at_decoration():
    with pytest.raises(ValueError, match="'sometimes' is not a valid importance"):
        h_pandera.check_output(importance="sometimes")
    with pytest.raises(InvalidDecoratorException, match="not both"):
        h_pandera.check_output(target="a", target_="b")
