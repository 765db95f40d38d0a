"""Lazy loaders: a parameter typed ``pl.LazyFrame`` gets a scan, not a read."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from hamilton import driver
from hamilton.function_modifiers import load_from, value
from hamilton.plugins import polars_io, polars_lazyframe_extensions
from hamilton.plugins.testing import MaterializerContract

FRAME = pl.DataFrame({"id": [1, 2, 3], "score": [0.5, 1.5, 2.5]})

# format -> (eager writer, scan reader, the reader's path field)
SCANS = {
    "csv": (polars_io.PolarsCSVWriter, polars_lazyframe_extensions.PolarsScanCSVReader, "file"),
    "parquet": (polars_io.PolarsParquetWriter, polars_lazyframe_extensions.PolarsScanParquetReader, "file"),
    "feather": (polars_io.PolarsFeatherWriter, polars_lazyframe_extensions.PolarsScanFeatherReader, "source"),
}


class ScanContract(MaterializerContract):
    format = ""

    def saver(self, path):
        return SCANS[self.format][0](path / f"data.{self.format}")

    def loader(self, path):
        _, reader, field = SCANS[self.format]
        return reader(**{field: path / f"data.{self.format}"})

    def sample_value(self):
        return FRAME

    def test_the_sample_type_is_applicable(self, tmp_path):  # the scan yields a LazyFrame, not the sample's type
        assert type(self.loader(tmp_path)).applicable_types() == [pl.LazyFrame]

    def test_round_trip(self, tmp_path):
        self.saver(tmp_path).save_data(FRAME)
        loaded, metadata = self.loader(tmp_path).load_data(pl.LazyFrame)
        assert isinstance(loaded, pl.LazyFrame)
        assert "file_metadata" in metadata
        assert_frame_equal(loaded.collect(), FRAME)


class TestScanCSV(ScanContract):
    format = "csv"


class TestScanParquet(ScanContract):
    format = "parquet"


class TestScanFeather(ScanContract):
    format = "feather"


@pytest.mark.parametrize("fmt", list(SCANS))
def test_a_lazyframe_parameter_gets_a_scan(fmt, tmp_path):
    writer, _, field = SCANS[fmt]
    path = str(tmp_path / f"data.{fmt}")
    writer(path).save_data(FRAME)

    @getattr(load_from, fmt)(**{field: value(path)})
    def total(df: pl.LazyFrame) -> pl.LazyFrame:
        return df.select(pl.col("score").sum())

    result = driver.Builder().with_functions(total).build().execute(["total"])["total"]
    assert isinstance(result, pl.LazyFrame)
    assert result.collect().item() == 4.5


@pytest.mark.parametrize(("columns", "expected"), [(["score"], ["score"]), ([1, 0], ["score", "id"])])
def test_columns_select_from_the_scan(columns, expected, tmp_path):
    path = tmp_path / "data.parquet"
    FRAME.write_parquet(path)
    loaded, _ = polars_lazyframe_extensions.PolarsScanParquetReader(path, columns=columns).load_data(pl.LazyFrame)
    assert loaded.collect().columns == expected


def test_globs_are_scanned_not_checked(tmp_path):
    for part in range(2):
        FRAME.write_csv(tmp_path / f"part-{part}.csv")
    loaded, _ = polars_lazyframe_extensions.PolarsScanCSVReader(str(tmp_path / "part-*.csv")).load_data(pl.LazyFrame)
    assert loaded.collect().height == 6


def test_1x_options_reach_the_scan(tmp_path):
    path = tmp_path / "data.csv"
    FRAME.write_csv(path)
    loaded, _ = polars_lazyframe_extensions.PolarsScanCSVReader(path, row_count_name="n").load_data(pl.LazyFrame)
    assert loaded.collect()["n"].to_list() == [0, 1, 2]
