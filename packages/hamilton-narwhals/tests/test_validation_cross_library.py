"""``@check_output`` on columns and frames — core's data-quality scenarios on real frames, once
per library (see conftest.py). Missing values mean the same everywhere: null, or NaN in a float
column."""

import logging
import math

import pytest

from hamilton import driver
from hamilton.data_quality import base as dq_base
from hamilton.data_quality.default_validators import resolve_default_validators
from hamilton.function_modifiers import check_output, extract_columns


def build(*functions):
    return driver.Builder().with_functions(*functions).build()


def validator_nodes(dr):
    return sorted(name for name, n in dr.graph.nodes.items() if not n.user_defined and name.endswith("validator"))


def warned(node, validator, message, diagnostics):
    return f"[{node}:{validator}] validator failed. Message was: {message}. Diagnostic information is: {diagnostics}."


def _column(library, values, **check):
    @check_output(**check)
    def col() -> library.Series:
        return library.series(values, name="col")

    return col


def _run(library, values, caplog, **check):
    """Run a column node checked with ``check`` (importance warn); the warnings it logged."""
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        build(_column(library, values, **check)).execute(["col"])
    return [record.getMessage() for record in caplog.records if record.name.startswith("hamilton.data_quality")]


def test_range_on_an_extracted_column_adds_a_validator_node_and_warns(library, caplog):
    @check_output(range=(0, 10), target_="a")
    @extract_columns("a", "b")
    def t(n: int) -> library.DataFrame:
        return library.frame({"a": [1, n], "b": [0, 0]})

    dr = build(t)
    assert validator_nodes(dr) == ["a_range_validator"]
    assert dr.graph.nodes["a_raw"].type is library.Series
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        result = dr.execute(["a"], inputs={"n": 50})
    assert library.to_list(result["a"]) == [1, 50]
    assert caplog.records[0].getMessage() == warned(
        "a",
        "range_validator",
        "Series contains 1 values in range (0,10), and 1 outside.",
        {"range": (0, 10), "in_range": 1, "out_range": 1, "data_size": 2},
    )


def test_failing_importance_fail_raises_data_validation_error(library):
    col = _column(library, [1, 50], range=(0, 10), importance="fail")
    with pytest.raises(dq_base.DataValidationError, match=r"\[col:range_validator\] validator failed"):
        build(col).execute(["col"])


def test_range_passes_when_every_value_is_inside(library, caplog):
    assert _run(library, [0, 5, 10], caplog, range=(0, 10)) == []


def test_a_missing_value_is_outside_any_range(library, caplog):
    assert "and 1 outside" in _run(library, [1.0, None], caplog, range=(0, 10))[0]


@pytest.mark.parametrize("values", [[1.0, None, 3.0], [1.0, math.nan, 3.0]], ids=["null", "nan"])
def test_allow_nans_false_counts_nulls_and_nans(library, caplog, values):
    (message,) = _run(library, values, caplog, allow_nans=False)
    assert "[col:allow_nans_validator]" in message
    assert "Out of 3 items in the series, 1 of them are Nan, representing: 33.33%" in message


def test_allow_nans_true_is_refused(library):
    with pytest.raises(ValueError, match="Only allowed to block Nans"):
        build(_column(library, [1.0], allow_nans=True))


def test_max_fraction_nans(library, caplog):
    assert _run(library, [1.0, None, 3.0, 4.0], caplog, max_fraction_nans=0.25) == []
    assert "so this does not pass" in _run(library, [1.0, None, None, 4.0], caplog, max_fraction_nans=0.25)[0]
    with pytest.raises(ValueError, match=r"must be in range \[0,1\]"):
        build(_column(library, [1.0], max_fraction_nans=1.5))


def test_values_in_ignores_missing_values(library, caplog):
    assert _run(library, ["a", None, "b"], caplog, values_in=["a", "b"]) == []
    (message,) = _run(library, ["a", "c"], caplog, values_in=["a", "b"])
    assert "Series contains 1 correct values, and 1 incorrect values. Valid values are: ['a', 'b']." in message


def _native_float_dtype(library):
    if library.name == "polars":
        import polars as pl

        return pl.Float64
    import numpy as np

    return np.float64


def test_data_type_accepts_python_and_native_types(library, caplog):
    assert _run(library, [1.0, 2.0], caplog, data_type=float) == []
    assert _run(library, [1.0, 2.0], caplog, data_type=_native_float_dtype(library)) == []
    (message,) = _run(library, [1, 2], caplog, data_type=float)
    assert "This is not a match." in message


def test_max_standard_dev_and_mean_in_range_skip_missing_values(library, caplog):
    assert _run(library, [1.0, None, 3.0], caplog, max_standard_dev=1.5, mean_in_range=(1.5, 2.5)) == []
    messages = _run(library, [1.0, 5.0], caplog, max_standard_dev=1.0, mean_in_range=(0, 1))
    assert len(messages) == 2
    assert any("Dataset stddev is : 2.8284271247461903" in message for message in messages)
    assert any("Dataset has mean: 3.0. This is not in the required range: [0, 1]." in message for message in messages)


def test_schema_on_a_frame_checks_columns_and_types(library, caplog):
    @check_output(schema={"a": int, "b": float})
    def df(b_values: list) -> library.DataFrame:
        return library.frame({"a": [1, 2], "b": b_values})

    dr = build(df)
    assert validator_nodes(dr) == ["df_schema_validator"]
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        dr.execute(["df"], inputs={"b_values": [0.5, 1.5]})
        assert caplog.records == []
        dr.execute(["df"], inputs={"b_values": ["x", "y"]})
    assert "columns of the wrong type" in caplog.records[0].getMessage()


def test_schema_reports_missing_columns(library):
    @check_output(schema={"zz": int}, importance="fail")
    def df() -> library.DataFrame:
        return library.frame({"a": [1]})

    with pytest.raises(dq_base.DataValidationError, match=r"missing columns \['zz'\]"):
        build(df).execute(["df"])


def test_resolution_picks_the_librarys_validators(library):
    (validator,) = resolve_default_validators(library.Series, importance="warn", range=(0, 1))
    assert validator.applies_to(library.Series)
    assert type(validator).__name__ == f"DataInRangeValidator{library.name.capitalize()}Series"
    with pytest.raises(ValueError, match="arg: allow_nans"):
        resolve_default_validators(library.DataFrame, importance="warn", allow_nans=False)


def test_data_type_numpy_float64_accepts_a_pandas_nullable_float_column(caplog):
    # 1.x compared a pandas extension dtype through its numpy scalar type (.type)
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")

    @check_output(data_type=np.float64, importance="warn")
    def col() -> pd.Series:
        return pd.Series([1.0, None], dtype="Float64")

    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        build(col).execute(["col"])
    assert [r for r in caplog.records if r.name.startswith("hamilton.data_quality")] == []

    @check_output(data_type=np.float64, importance="warn")
    def ints() -> pd.Series:
        return pd.Series([1, None], dtype="Int64")

    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        build(ints).execute(["ints"])
    assert any("This is not a match." in r.getMessage() for r in caplog.records)
