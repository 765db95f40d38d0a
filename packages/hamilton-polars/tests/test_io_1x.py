"""1.x's introspection of the polars loaders and savers: the keyword arguments they pass to
polars (``_get_loading_kwargs``/``_get_saving_kwargs``) and the spreadsheet target's type."""

from __future__ import annotations

import importlib.util
import io
import pathlib
import sqlite3
import typing

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from hamilton.plugins import polars_io, polars_lazyframe_extensions

FRAME = pl.DataFrame({"a": [1, 2], "b": [3, 4]})


def test_the_kwargs_are_what_polars_receives(tmp_path):
    writer = polars_io.PolarsCSVWriter(file=tmp_path / "a.csv", separator=";")
    saving = writer._get_saving_kwargs()
    assert saving["separator"] == ";"
    assert "file" not in saving  # passed positionally
    assert "datetime_format" not in saving  # None: polars' own default
    writer.save_data(FRAME)

    reader = polars_io.PolarsCSVReader(file=tmp_path / "a.csv", separator=";", row_count_name="row")
    loading = reader._get_loading_kwargs()
    assert loading["row_index_name"] == "row"  # 1.x's field, under today's polars name
    assert "row_count_name" not in loading
    assert "file" not in loading


def test_a_subclass_overriding_the_kwargs_changes_the_call(tmp_path):
    class SemicolonWriter(polars_io.PolarsCSVWriter):
        def _get_saving_kwargs(self) -> dict[str, typing.Any]:
            return {**super()._get_saving_kwargs(), "separator": ";"}

    SemicolonWriter(file=tmp_path / "a.csv").save_data(FRAME)
    assert (tmp_path / "a.csv").read_text().splitlines()[0] == "a;b"


def test_the_database_classes_keep_query_table_and_connection_apart():
    reader = polars_io.PolarsDatabaseReader(query="SELECT 1", connection=sqlite3.connect(":memory:"), batch_size=10)
    loading = reader._get_loading_kwargs()
    assert loading["batch_size"] == 10
    assert not {"query", "connection"} & loading.keys()
    writer = polars_io.PolarsDatabaseWriter(table_name="t", connection="sqlite:///x.db", if_table_exists="replace")
    assert writer._get_saving_kwargs() == {"if_table_exists": "replace"}


def test_a_lazy_scan_passes_columns_as_a_select_not_a_keyword(tmp_path):
    FRAME.write_csv(tmp_path / "a.csv")
    reader = polars_lazyframe_extensions.PolarsScanCSVReader(file=tmp_path / "a.csv", columns=["b"])
    assert "columns" not in reader._get_loading_kwargs()
    lazy, _ = reader.load_data(pl.LazyFrame)
    assert_frame_equal(lazy.collect(), FRAME.select("b"))


def test_the_spreadsheet_target_type_resolves_at_run_time():
    hint = typing.get_type_hints(polars_io.PolarsSpreadsheetWriter)["workbook"]
    targets = {io.BytesIO, pathlib.Path, str}
    if importlib.util.find_spec("xlsxwriter"):
        from xlsxwriter.workbook import Workbook

        targets.add(Workbook)
    assert set(typing.get_args(hint)) == targets


@pytest.mark.skipif(
    importlib.util.find_spec("fastexcel") is not None
    or not (importlib.util.find_spec("xlsx2csv") and importlib.util.find_spec("xlsxwriter")),
    reason="for an environment with xlsx2csv (1.x's engine) and xlsxwriter but no fastexcel",
)
def test_spreadsheets_read_with_xlsx2csv_when_fastexcel_is_missing(tmp_path):
    polars_io.PolarsSpreadsheetWriter(workbook=tmp_path / "a.xlsx", worksheet="s").save_data(FRAME)
    reader = polars_io.PolarsSpreadsheetReader(source=tmp_path / "a.xlsx", sheet_name="s")
    assert reader._get_loading_kwargs()["engine"] == "xlsx2csv"
    assert_frame_equal(reader.load_data(pl.DataFrame)[0], FRAME)
