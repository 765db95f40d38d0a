"""pandera schemas on dask frames and series (run when dask's dataframe module is installed)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

dd = pytest.importorskip("dask.dataframe")

from hamilton import driver  # noqa: E402
from hamilton.data_quality.base import DataValidationError  # noqa: E402
from hamilton.function_modifiers import check_output  # noqa: E402

YEARS = pa.DataFrameSchema({"year": pa.Column(int, pa.Check.gt(2000))}, strict=True)


def _frame(rows: dict):
    return dd.from_pandas(pd.DataFrame(rows), npartitions=2)


def test_a_dask_frame_is_computed_to_validate_it():
    def years(rows: dict):
        return _frame(rows)

    years.__annotations__["return"] = dd.DataFrame
    check_output(schema=YEARS, importance="fail")(years)
    dr = driver.Builder().with_functions(years).build()
    assert "years_pandera_schema_validator" in {v.name for v in dr.list_available_variables()}
    result = dr.execute(["years"], inputs={"rows": {"year": [2001, 2002, 2003]}})["years"]
    assert list(result.compute()["year"]) == [2001, 2002, 2003]
    with pytest.raises(DataValidationError, match=r"\[years:pandera_schema_validator\].*greater_than\(2000\)"):
        dr.execute(["years"], inputs={"rows": {"year": [2001, 1999, 2003]}})


def test_a_dask_series_is_validated_with_a_series_schema():
    def codes(values: list):
        return dd.from_pandas(pd.Series(values), npartitions=1)

    codes.__annotations__["return"] = dd.Series
    check_output(schema=pa.SeriesSchema(str, pa.Check.str_startswith("c-")), importance="warn")(codes)
    dr = driver.Builder().with_functions(codes).build()
    ok = dr.execute(["codes_pandera_schema_validator"], inputs={"values": ["c-1", "c-2"]})
    assert ok["codes_pandera_schema_validator"].passes
    bad = dr.execute(["codes_pandera_schema_validator"], inputs={"values": ["c-1", "x"]})
    assert not bad["codes_pandera_schema_validator"].passes
