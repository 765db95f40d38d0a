"""The distribution as a plugin: 1.x import paths, lazy loading through the entry point,
validators and fingerprints (with core's contract kits)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import polars as pl
import pytest

from hamilton import driver, plugins
from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import check_output
from hamilton.plugins import polars_extensions
from hamilton.plugins.testing import FingerprinterContract, ValidatorContract

POLARS_FORMAT_CLASSES = [
    f"Polars{kind}{role}"
    for kind in ("CSV", "Parquet", "Feather", "Avro", "JSON", "NDJSON", "Spreadsheet", "Database")
    for role in ("Reader", "Writer")
]


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("hamilton.plugins.h_polars", ["PolarsDataFrameResult", "with_columns"]),
        ("hamilton.plugins.h_polars_lazyframe", ["PolarsLazyFrameResult", "with_columns"]),
        ("hamilton.plugins.polars_extensions", ["DATAFRAME_TYPE", "COLUMN_TYPE"]),
        (
            "hamilton.plugins.polars_lazyframe_extensions",
            ["PolarsScanCSVReader", "PolarsScanParquetReader", "PolarsScanFeatherReader", "DATAFRAME_TYPE"],
        ),
        *(
            (module, POLARS_FORMAT_CLASSES)
            for module in ("hamilton.plugins.polars_io", "hamilton.plugins.polars_post_1_0_0_extensions")
        ),
    ],
)
def test_1x_import_paths(module, names):
    imported = importlib.import_module(module)
    assert all(hasattr(imported, name) for name in names)


def test_the_1x_from_import_form():
    from hamilton.plugins import h_polars, h_polars_lazyframe, polars_lazyframe_extensions  # noqa: F401


def test_registered_through_the_polars_entry_point():
    info = {p.name: p for p in plugins.list_plugins()}["polars"]
    assert info.distribution == "hamilton-polars"
    assert polars_extensions.HAMILTON_CORE_VERSIONS == ">=2.0,<3"


def test_the_plugin_loads_when_polars_values_first_appear():
    script = textwrap.dedent(
        """
        import sys
        import polars as pl
        from hamilton import driver
        from hamilton.function_modifiers import extract_columns
        assert "hamilton.plugins.polars_extensions" not in sys.modules

        @extract_columns("a")
        def frame() -> pl.DataFrame:
            return pl.DataFrame({"a": [1, 2]})

        print(driver.Builder().with_functions(frame).build().execute(["a"])["a"].to_list())
        assert "hamilton.plugins.polars_extensions" in sys.modules
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[1, 2]"


# -- validators -------------------------------------------------------------------------------


def _validator(arg: str) -> type:
    return next(
        cls for cls in polars_extensions.hamilton_validators() if cls.arg() == arg and cls.applies_to(pl.Series)
    )


class TestRangeValidatorContract(ValidatorContract):
    def make_validator_class(self):
        return _validator("range")

    def argument(self):
        return (0, 10)

    def valid_value(self):
        return pl.Series([1, 5, 10])

    def invalid_value(self):
        return pl.Series([1, 11, None])


class TestAllowNansValidatorContract(ValidatorContract):
    def make_validator_class(self):
        return _validator("allow_nans")

    def argument(self):
        return False

    def valid_value(self):
        return pl.Series([1.0, 2.0])

    def invalid_value(self):
        return pl.Series([1.0, float("nan")])


class TestSchemaValidatorContract(ValidatorContract):
    def make_validator_class(self):
        return next(cls for cls in polars_extensions.hamilton_validators() if cls.applies_to(pl.DataFrame))

    def argument(self):
        return {"a": int, "b": str}

    def valid_value(self):
        return pl.DataFrame({"a": [1], "b": ["x"]})

    def invalid_value(self):
        return pl.DataFrame({"a": [1.5]})


def test_check_output_on_a_polars_series_warns_or_fails():
    @check_output(max_fraction_nans=0.25, importance="fail")
    def column() -> pl.Series:
        return pl.Series([1.0, None, None, 4.0])

    with pytest.raises(DataValidationError, match="2 of them are Nan"):
        driver.Builder().with_functions(column).build().execute(["column"])


# -- fingerprints -----------------------------------------------------------------------------


class TestDataFrameFingerprints(FingerprinterContract):
    plugin = polars_extensions

    def make_values(self):
        return [
            pl.DataFrame({"a": [1, 2]}),
            pl.DataFrame({"a": [2, 1]}),  # order matters
            pl.DataFrame({"b": [1, 2]}),  # names matter
            pl.DataFrame({"a": [1.0, 2.0]}),  # types matter
            pl.DataFrame(),
        ]

    def make_equal_pair(self):
        return pl.DataFrame({"a": [1, 2], "s": ["x", None]}), pl.DataFrame({"a": [1, 2], "s": ["x", None]})


class TestSeriesFingerprints(FingerprinterContract):
    plugin = polars_extensions

    def make_values(self):
        return [
            pl.Series("a", [1, 2]),
            pl.Series("b", [1, 2]),
            pl.Series("a", [1, 3]),
            pl.Series("a", [], dtype=pl.Int64),
        ]

    def make_equal_pair(self):
        return pl.Series("a", [1.5, None]), pl.Series("a", [1.5, None])


def test_fingerprints_are_stable_across_processes():
    script = "import polars as pl; from hamilton import fingerprinting; print(fingerprinting.hash_value(pl.DataFrame({'a': [1, 2]})))"
    runs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1


def test_check_output_schema_on_a_lazyframe():
    @check_output(schema={"a": int, "b": str}, importance="fail")
    def frame() -> pl.LazyFrame:
        return pl.LazyFrame({"a": [1.5], "b": ["x"]})

    with pytest.raises(DataValidationError, match="wrong type"):
        driver.Builder().with_functions(frame).build().execute(["frame"])
