"""pandas/numpy loaders and savers through ``to``/``from_``, ``@save_to``/``@load_from`` and the
contract kit, with 1.x's format names and field names."""

import importlib.util
import sqlite3

import numpy as np
import pandas as pd
import pytest

from hamilton import driver
from hamilton.function_modifiers import load_from, save_to, source, value
from hamilton.io.materialization import from_, to
from hamilton.plugins import numpy_extensions, pandas_extensions, testing

FRAME = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
SUFFIXES = {"excel": "xlsx"}  # pandas picks the Excel engine from the suffix
HAS_OPENPYXL = importlib.util.find_spec("openpyxl") is not None
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None

# format -> (reader class, writer class, path field of both, extra writer arguments)
FILE_FORMATS = {
    "csv": (pandas_extensions.PandasCSVReader, pandas_extensions.PandasCSVWriter, "path", {"index": False}),
    "parquet": (pandas_extensions.PandasParquetReader, pandas_extensions.PandasParquetWriter, "path", {}),
    "feather": (pandas_extensions.PandasFeatherReader, pandas_extensions.PandasFeatherWriter, "path", {}),
    "json": (
        pandas_extensions.PandasJsonReader,
        pandas_extensions.PandasJsonWriter,
        "filepath_or_buffer",
        {},
    ),
    "pickle": (pandas_extensions.PandasPickleReader, pandas_extensions.PandasPickleWriter, "path", {}),
    "excel": (pandas_extensions.PandasExcelReader, pandas_extensions.PandasExcelWriter, "path", {"index": False}),
}


def needs(format_name):
    if format_name in ("parquet", "feather") and not HAS_PYARROW:
        pytest.skip("needs pyarrow")
    if format_name == "excel" and not HAS_OPENPYXL:
        pytest.skip("needs openpyxl")


def build(*functions):
    return driver.Builder().with_functions(*functions).build()


def frame() -> pd.DataFrame:
    return FRAME


@pytest.mark.parametrize("format_name", sorted(FILE_FORMATS))
def test_format_names_and_fields_are_1xs(format_name):
    reader, writer, path_field, _ = FILE_FORMATS[format_name]
    assert reader.name() == writer.name() == format_name
    assert path_field in reader.get_required_arguments() or path_field in reader.get_optional_arguments()
    assert path_field in writer.get_required_arguments()
    assert reader.applicable_types() == writer.applicable_types() == [pd.DataFrame]


# 1.x's readers of these formats ask pandas for nullable dtypes (Int64, Float64, string).
NULLABLE_READERS = {"csv", "parquet", "feather", "excel", "xml", "html", "orc", "table", "fwf", "spss"}


def as_read(format_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as the reader of ``format_name`` gives it back."""
    return frame.convert_dtypes(dtype_backend="numpy_nullable") if format_name in NULLABLE_READERS else frame


def test_readers_give_nullable_dtypes_and_the_csv_writer_no_index_as_in_1x(tmp_path):
    path = tmp_path / "f.csv"
    pandas_extensions.PandasCSVWriter(path=path).save_data(pd.DataFrame({"i": [1, None], "s": ["x", "y"]}))
    assert path.read_text().splitlines() == ["i,s", "1.0,x", ",y"]
    loaded, _ = pandas_extensions.PandasCSVReader(path=path).load_data(pd.DataFrame)
    assert dict(loaded.dtypes.astype(str)) == {"i": "Float64", "s": "string"}
    numpy_backed, _ = pandas_extensions.PandasCSVReader(path=path, dtype_backend="pyarrow").load_data(pd.DataFrame)
    assert str(numpy_backed.dtypes["i"]).startswith("double")  # a different backend when asked


@pytest.mark.parametrize("format_name", sorted(FILE_FORMATS))
def test_round_trip_through_to_and_from(tmp_path, format_name):
    needs(format_name)
    _, _, path_field, extra = FILE_FORMATS[format_name]
    path = str(tmp_path / f"frame.{SUFFIXES.get(format_name, format_name)}")

    def loaded(raw: pd.DataFrame) -> pd.DataFrame:
        return raw

    saver = getattr(to, format_name)(id="saved", dependencies=["frame"], **{path_field: path}, **extra)
    saved, _ = build(frame).materialize(saver)
    assert saved["saved"]["file_metadata"]["path"] == path
    assert saved["saved"]["dataframe_metadata"]["column_names"] == ["a", "b"]
    loader = getattr(from_, format_name)(target="raw", **{path_field: path})
    _, result = build(loaded).materialize(loader, additional_vars=["loaded"])
    pd.testing.assert_frame_equal(result["loaded"], as_read(format_name, FRAME))


@pytest.mark.parametrize("format_name", ["csv", "parquet", "pickle"])
def test_round_trip_through_the_decorators(tmp_path, format_name):
    needs(format_name)
    path = str(tmp_path / f"frame.{format_name}")
    extra = {"index": value(False)} if format_name == "csv" else {}

    def produced() -> pd.DataFrame:  # a fresh function: decorators attach to the function object
        return FRAME

    saving = getattr(save_to, format_name)(path=value(path), **extra)(produced)

    @getattr(load_from, format_name)(path=source("where"))
    def reader(data: pd.DataFrame) -> pd.DataFrame:
        return data

    dr = build(saving, reader)
    dr.execute(["save.produced"])
    pd.testing.assert_frame_equal(dr.execute(["reader"], inputs={"where": path})["reader"], as_read(format_name, FRAME))


def test_pandas_keyword_arguments_pass_through(tmp_path):
    path = tmp_path / "semi.csv"
    pandas_extensions.PandasCSVWriter(path=path, sep=";", index=False).save_data(FRAME)
    assert path.read_text().splitlines()[0] == "a;b"
    loaded, _ = pandas_extensions.PandasCSVReader(path=path, sep=";", usecols=["b"]).load_data(pd.DataFrame)
    assert list(loaded.columns) == ["b"]


def test_sql_through_a_dbapi_connection(tmp_path):
    connection = sqlite3.connect(tmp_path / "db.sqlite")
    try:
        saved, _ = build(frame).materialize(
            to.sql(id="saved", dependencies=["frame"], table_name="t", db_connection=connection, index=False)
        )
        assert saved["saved"]["sql_metadata"]["table_name"] == "t"

        def loaded(raw: pd.DataFrame) -> pd.DataFrame:
            return raw

        _, result = build(loaded).materialize(
            from_.sql(target="raw", query_or_table="SELECT * FROM t ORDER BY a", db_connection=connection),
            additional_vars=["loaded"],
        )
        pd.testing.assert_frame_equal(result["loaded"], FRAME)
    finally:
        connection.close()


def test_pickle_reader_takes_path_or_filepath_or_buffer(tmp_path):
    path = tmp_path / "f.pkl"
    FRAME.to_pickle(path)
    for arguments in ({"path": path}, {"filepath_or_buffer": path}):
        loaded, _ = pandas_extensions.PandasPickleReader(**arguments).load_data(pd.DataFrame)
        pd.testing.assert_frame_equal(loaded, FRAME)
    with pytest.raises(ValueError, match="needs a file"):
        pandas_extensions.PandasPickleReader().load_data(pd.DataFrame)


def test_npy_round_trip(tmp_path):
    array = np.arange(6).reshape(2, 3)

    def arr() -> np.ndarray:
        return array

    def loaded(raw: np.ndarray) -> np.ndarray:
        return raw

    path = str(tmp_path / "a.npy")
    build(arr).materialize(to.npy(id="saved", dependencies=["arr"], path=path))
    _, result = build(loaded).materialize(from_.npy(target="raw", path=path), additional_vars=["loaded"])
    np.testing.assert_array_equal(result["loaded"], array)


class _FrameContract(testing.MaterializerContract):
    format_name = ""

    def saver(self, path):
        _, writer, path_field, extra = FILE_FORMATS[self.format_name]
        return writer(**{path_field: path / f"f.{SUFFIXES.get(self.format_name, self.format_name)}"}, **extra)

    def loader(self, path):
        reader, _, path_field, _ = FILE_FORMATS[self.format_name]
        return reader(**{path_field: path / f"f.{SUFFIXES.get(self.format_name, self.format_name)}"})

    def sample_value(self):
        needs(self.format_name)
        return FRAME

    def assert_equal(self, loaded, original):
        pd.testing.assert_frame_equal(loaded, as_read(self.format_name, original))


class TestCSVContract(_FrameContract):
    format_name = "csv"


class TestParquetContract(_FrameContract):
    format_name = "parquet"


class TestFeatherContract(_FrameContract):
    format_name = "feather"


class TestPickleContract(_FrameContract):
    format_name = "pickle"


class TestExcelContract(_FrameContract):
    format_name = "excel"


class TestNpyContract(testing.MaterializerContract):
    def saver(self, path):
        return numpy_extensions.NumpyNpyWriter(path=path / "a.npy")

    def loader(self, path):
        return numpy_extensions.NumpyNpyReader(path=path / "a.npy")

    def sample_value(self):
        return np.arange(3)

    def assert_equal(self, loaded, original):
        np.testing.assert_array_equal(loaded, original)
