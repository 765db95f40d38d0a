"""Polars' formats: the materializer contract for each, and each through ``to``/``from_`` and
``@load_from``/``@save_to``, with 1.x's format names and fields."""

from __future__ import annotations

import importlib.util
import os
import sqlite3

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from hamilton import driver
from hamilton.function_modifiers import load_from, save_to, value
from hamilton.io.materialization import from_, to
from hamilton.plugins import polars_io
from hamilton.plugins.testing import MaterializerContract

FRAME = pl.DataFrame({"id": [1, 2, 3], "name": ["a", "b", None], "score": [0.5, None, 2.5]})

# format -> (saver class, loader class, the loader's path field)
FORMATS = {
    "csv": (polars_io.PolarsCSVWriter, polars_io.PolarsCSVReader, "file"),
    "parquet": (polars_io.PolarsParquetWriter, polars_io.PolarsParquetReader, "file"),
    "feather": (polars_io.PolarsFeatherWriter, polars_io.PolarsFeatherReader, "source"),
    "avro": (polars_io.PolarsAvroWriter, polars_io.PolarsAvroReader, "file"),
    "json": (polars_io.PolarsJSONWriter, polars_io.PolarsJSONReader, "source"),
    "ndjson": (polars_io.PolarsNDJSONWriter, polars_io.PolarsNDJSONReader, "source"),
}
FILE_FORMATS = list(FORMATS)

needs_spreadsheet = pytest.mark.skipif(
    not (importlib.util.find_spec("fastexcel") and importlib.util.find_spec("xlsxwriter")),
    reason="polars reads spreadsheets with fastexcel and writes them with xlsxwriter: pip install fastexcel xlsxwriter",
)
needs_adbc_sqlite = pytest.mark.skipif(
    not (importlib.util.find_spec("adbc_driver_sqlite") and importlib.util.find_spec("pyarrow")),
    reason="writing to sqlite from polars without SQLAlchemy needs ADBC: pip install adbc-driver-sqlite pyarrow",
)
needs_connectorx = pytest.mark.skipif(
    not importlib.util.find_spec("connectorx"), reason="reading a database URI needs connectorx: pip install connectorx"
)


class PolarsFormatContract(MaterializerContract):
    format = ""

    def saver(self, path):
        return FORMATS[self.format][0](path / f"data.{self.format}")

    def loader(self, path):
        _, loader, field = FORMATS[self.format]
        return loader(**{field: path / f"data.{self.format}"})

    def sample_value(self):
        return FRAME

    def assert_equal(self, loaded, original):
        assert_frame_equal(loaded, original)


class TestCSVContract(PolarsFormatContract):
    format = "csv"


class TestParquetContract(PolarsFormatContract):
    format = "parquet"


class TestFeatherContract(PolarsFormatContract):
    format = "feather"


class TestAvroContract(PolarsFormatContract):
    format = "avro"


class TestJSONContract(PolarsFormatContract):
    format = "json"


class TestNDJSONContract(PolarsFormatContract):
    format = "ndjson"


@needs_spreadsheet
class TestSpreadsheetContract(MaterializerContract):
    def saver(self, path):
        return polars_io.PolarsSpreadsheetWriter(workbook=path / "data.xlsx", worksheet="scores")

    def loader(self, path):
        return polars_io.PolarsSpreadsheetReader(source=path / "data.xlsx", sheet_name="scores")

    def sample_value(self):
        return FRAME

    def assert_equal(self, loaded, original):
        assert_frame_equal(loaded, original)


def test_format_names_are_1x():
    names = {cls.name() for cls in polars_io.POLARS_ADAPTERS}
    assert names == {"csv", "parquet", "feather", "avro", "json", "ndjson", "spreadsheet", "database"}
    for cls in polars_io.POLARS_ADAPTERS:
        assert cls.__name__.startswith("Polars")
        assert cls.__name__.endswith("Reader" if cls.can_load() else "Writer")


def _frame() -> pl.DataFrame:
    return FRAME


def _rows(loaded: pl.DataFrame) -> int:
    return loaded.height


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_to_and_from_in_a_driver(fmt, tmp_path):
    path = str(tmp_path / f"out.{fmt}")
    saver_field = "file"
    metadata, _ = (
        driver.Builder()
        .with_functions(_frame)
        .build()
        .materialize(getattr(to, fmt)(id="saved", dependencies=["_frame"], **{saver_field: path}))
    )
    assert metadata["saved"]["file_metadata"]["path"] == path
    assert metadata["saved"]["dataframe_metadata"]["rows"] == 3
    _, results = (
        driver.Builder()
        .with_functions(_rows)
        .build()
        .materialize(
            getattr(from_, fmt)(target="loaded", **{FORMATS[fmt][2]: path}), additional_vars=["_rows", "loaded"]
        )
    )
    assert results["_rows"] == 3
    assert_frame_equal(results["loaded"], FRAME)


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_load_from_and_save_to_decorators(fmt, tmp_path):
    path = str(tmp_path / f"decorated.{fmt}")
    FORMATS[fmt][0](path).save_data(FRAME)
    copy = str(tmp_path / f"copy.{fmt}")

    @getattr(save_to, fmt)(file=value(copy), output_name_="saved_copy")
    @getattr(load_from, fmt)(**{FORMATS[fmt][2]: value(path)})
    def scores(df: pl.DataFrame) -> pl.DataFrame:
        return df.with_columns(pl.col("score") * 2)

    results = driver.Builder().with_functions(scores).build().execute(["scores", "saved_copy"])
    assert results["scores"]["score"].to_list() == [1.0, None, 5.0]
    _, _, field = FORMATS[fmt]
    loaded, _ = FORMATS[fmt][1](**{field: copy}).load_data(pl.DataFrame)
    assert_frame_equal(loaded, results["scores"])


def test_savers_accept_lazyframes(tmp_path):
    metadata = polars_io.PolarsParquetWriter(tmp_path / "lazy.parquet").save_data(FRAME.lazy())
    assert metadata["dataframe_metadata"]["rows"] == 3
    assert_frame_equal(pl.read_parquet(tmp_path / "lazy.parquet"), FRAME)


def test_1x_field_names_reach_polars_under_their_new_names(tmp_path):
    path = tmp_path / "data.csv"
    FRAME.write_csv(path)
    loaded, _ = polars_io.PolarsCSVReader(
        path, row_count_name="row", row_count_offset=10, dtypes={"id": pl.Int32}
    ).load_data(pl.DataFrame)
    assert loaded.columns == ["row", "id", "name", "score"]
    assert loaded["row"].to_list() == [10, 11, 12]
    assert loaded.schema["id"] == pl.Int32


def test_an_option_polars_does_not_take_is_an_error_only_when_set(tmp_path):
    path = tmp_path / "data.csv"
    FRAME.write_csv(path)
    # 1.x's reader had `include_header`, which no polars read_csv takes: ignored at its default...
    polars_io.PolarsCSVReader(path, include_header=True).load_data(pl.DataFrame)
    # ...and named when set, rather than silently dropped.
    with pytest.raises(TypeError, match=r"PolarsCSVReader\(include_header=False\): polars .* has no such option"):
        polars_io.PolarsCSVReader(path, include_header=False).load_data(pl.DataFrame)


def test_a_failed_save_leaves_the_previous_file(tmp_path):
    path = tmp_path / "data.csv"
    polars_io.PolarsCSVWriter(path).save_data(FRAME)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        polars_io.PolarsCSVWriter(path, separator=object()).save_data(FRAME.head(1))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["data.csv"]


def test_open_files_and_buffers_are_written_as_given(tmp_path):
    import io

    buffer = io.BytesIO()
    polars_io.PolarsParquetWriter(buffer).save_data(FRAME)
    loaded, _ = polars_io.PolarsParquetReader(buffer.getvalue()).load_data(pl.DataFrame)
    assert_frame_equal(loaded, FRAME)


def _sqlite_with_scores(path) -> str:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE scores (id INTEGER, score REAL)")
        connection.executemany("INSERT INTO scores VALUES (?, ?)", [(1, 0.5), (2, 1.5)])
    return str(path)


def test_database_reader_with_a_connection_object(tmp_path):
    path = _sqlite_with_scores(tmp_path / "scores.db")
    with sqlite3.connect(path) as connection:
        loaded, metadata = polars_io.PolarsDatabaseReader(
            query="SELECT id, score FROM scores ORDER BY id", connection=connection
        ).load_data(pl.DataFrame)
    assert loaded.rows() == [(1, 0.5), (2, 1.5)]
    assert metadata["sql_metadata"]["rows"] == 2
    assert metadata["dataframe_metadata"]["column_names"] == ["id", "score"]


@needs_connectorx
def test_database_reader_with_a_uri(tmp_path):
    path = _sqlite_with_scores(tmp_path / "scores.db")
    loaded, _ = polars_io.PolarsDatabaseReader(
        query="SELECT id, score FROM scores ORDER BY id", connection=f"sqlite://{path}"
    ).load_data(pl.DataFrame)
    assert loaded.rows() == [(1, 0.5), (2, 1.5)]


@needs_adbc_sqlite
def test_database_round_trip_through_adbc(tmp_path):
    import adbc_driver_sqlite.dbapi

    path = str(tmp_path / "out.db")
    with adbc_driver_sqlite.dbapi.connect(path) as connection:
        metadata = polars_io.PolarsDatabaseWriter(table_name="frame", connection=connection).save_data(FRAME.lazy())
        connection.commit()
        loaded, _ = polars_io.PolarsDatabaseReader(query="SELECT * FROM frame", connection=connection).load_data(
            pl.DataFrame
        )
    assert metadata["sql_metadata"]["table_name"] == "frame"
    assert_frame_equal(loaded, FRAME)
