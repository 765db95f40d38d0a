"""Polars' file formats and databases as Hamilton loaders and savers (1.x's classes and names).

======================  =========================================  =========================
format (``to.<name>``)  loader / saver                             polars call
======================  =========================================  =========================
``csv``                 ``PolarsCSVReader`` / ``PolarsCSVWriter``   ``read_csv`` / ``write_csv``
``parquet``             ``PolarsParquetReader`` / ``...Writer``     ``read_parquet`` / ...
``feather``             ``PolarsFeatherReader`` / ``...Writer``     ``read_ipc`` / ``write_ipc``
``avro``                ``PolarsAvroReader`` / ``...Writer``        ``read_avro`` / ...
``json``                ``PolarsJSONReader`` / ``...Writer``        ``read_json`` / ...
``ndjson``              ``PolarsNDJSONReader`` / ``...Writer``      ``read_ndjson`` / ...
``spreadsheet``         ``PolarsSpreadsheetReader`` / ``...Writer`` ``read_excel`` / ... [1]_
``database``            ``PolarsDatabaseReader`` / ``...Writer``    ``read_database`` / ... [2]_
======================  =========================================  =========================

.. [1] needs ``fastexcel`` to read (or the ``engine=`` chosen) and ``xlsxwriter`` to write.
.. [2] a connection object, or a URI string (read through ``read_database_uri``: connectorx or
   ADBC; written through SQLAlchemy, or ADBC with ``engine="adbc"``).

The fields are 1.x's and mirror polars' keyword arguments; see :mod:`._polars_options` for how
they reach the installed polars. Savers accept LazyFrames too (collected first) and replace
local files atomically. Every class returns 1.x's metadata (file and dataframe metadata).
"""

import contextlib
import dataclasses
import os
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Literal

import polars as pl

from hamilton.io import utils
from hamilton.io.atomic import atomic_write
from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.plugins._polars_options import polars_kwargs

FileSource = str | Path | IO[bytes] | bytes
FileTarget = str | Path | IO[bytes]

# PolarsSpreadsheetWriter's targets, 1.x's annotation: an open xlsxwriter workbook (several
# sheets in one file) or a file. Without xlsxwriter there is no workbook, and no Excel writing.
try:
    from xlsxwriter.workbook import Workbook

    SpreadsheetTarget = Workbook | BytesIO | Path | str
except ImportError:
    SpreadsheetTarget = BytesIO | Path | str


def is_local_path(target: Any) -> bool:
    """Whether ``target`` names a local file (not an open file, bytes, or a ``s3://``-style URL)."""
    if not isinstance(target, (str, os.PathLike)):
        return False
    scheme, separator, _ = os.fspath(target).partition("://")
    return not separator or len(scheme) <= 1


@contextlib.contextmanager
def writable(target: Any) -> Iterator[Any]:
    """What to hand polars' ``write_*``: for a local path, a temporary file that replaces the
    target only once fully written (readers never see half a file); anything else as is."""
    if not is_local_path(target):
        yield target
        return
    with atomic_write(target, "wb") as handle:
        yield handle


def as_frame(data: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Savers write DataFrames: a LazyFrame is collected first (as 1.x did)."""
    return data.collect() if isinstance(data, pl.LazyFrame) else data


class PolarsReader(DataLoader):
    """Reads with ``polars.<read_function>(<source field>, **other fields)``."""

    format_name = ""  # name(): set by each subclass
    read_function = ""  # attribute of the polars module
    source_field = "file"  # the field passed positionally

    @classmethod
    def name(cls) -> str:
        return cls.format_name

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [pl.DataFrame]

    def _load_function(self) -> Callable[..., Any]:
        """The polars function reading the source."""
        return getattr(pl, self.read_function)

    def _passed_apart(self) -> tuple[str, ...]:
        """Fields not passed as keywords (the source goes positionally)."""
        return (self.source_field,)

    def _get_loading_kwargs(self) -> dict[str, Any]:
        """The keyword arguments passed to polars' read function: the fields set (not ``None``),
        under the names the installed polars uses. Kept for 1.x compatibility (same name)."""
        return polars_kwargs(self, self._load_function(), positional=self._passed_apart())

    def read(self, source: Any) -> Any:
        return self._load_function()(source, **self._get_loading_kwargs())

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        source = getattr(self, self.source_field)
        df = self.read(source)
        return df, utils.get_file_and_dataframe_metadata(source, df)


class PolarsWriter(DataSaver):
    """Writes with ``DataFrame.<write_method>(<target field>, **other fields)``."""

    format_name = ""
    write_method = ""  # attribute of pl.DataFrame
    target_field = "file"

    @classmethod
    def name(cls) -> str:
        return cls.format_name

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [pl.DataFrame, pl.LazyFrame]

    def _save_method(self) -> Callable[..., Any]:
        """The ``pl.DataFrame`` method writing the frame."""
        return getattr(pl.DataFrame, self.write_method)

    def _passed_apart(self) -> tuple[str, ...]:
        """Fields not passed as keywords (the target goes positionally)."""
        return (self.target_field,)

    def _get_saving_kwargs(self) -> dict[str, Any]:
        """The keyword arguments passed to polars' write method: the fields set (not ``None``),
        under the names the installed polars uses. Kept for 1.x compatibility (same name)."""
        return polars_kwargs(self, self._save_method(), positional=self._passed_apart())

    def save_data(self, data: pl.DataFrame | pl.LazyFrame) -> dict[str, Any]:
        df = as_frame(data)
        target = getattr(self, self.target_field)
        with writable(target) as handle:
            self._save_method()(df, handle, **self._get_saving_kwargs())
        return utils.get_file_and_dataframe_metadata(target, df)


@dataclasses.dataclass
class PolarsCSVReader(PolarsReader):
    """CSV through ``pl.read_csv``."""

    file: FileSource
    has_header: bool = True
    include_header: bool = True
    columns: Sequence[int] | Sequence[str] | None = None
    new_columns: Sequence[str] | None = None
    separator: str = ","
    comment_char: str | None = None
    quote_char: str | None = '"'
    skip_rows: int = 0
    dtypes: Mapping[str, Any] | Sequence[Any] | None = None
    null_values: str | Sequence[str] | dict[str, str] | None = None
    missing_utf8_is_empty_string: bool = False
    ignore_errors: bool = False
    try_parse_dates: bool = False
    n_threads: int | None = None
    infer_schema_length: int | None = 100
    batch_size: int = 8192
    n_rows: int | None = None
    encoding: str = "utf8"
    low_memory: bool = False
    rechunk: bool = True
    use_pyarrow: bool = False
    storage_options: dict[str, Any] | None = None
    skip_rows_after_header: int = 0
    row_count_name: str | None = None
    row_count_offset: int = 0
    sample_size: int = 1024
    eol_char: str = "\n"
    raise_if_empty: bool = True

    format_name = "csv"
    read_function = "read_csv"


@dataclasses.dataclass
class PolarsCSVWriter(PolarsWriter):
    """CSV through ``DataFrame.write_csv``."""

    file: FileTarget
    include_header: bool = True
    separator: str = ","
    line_terminator: str = "\n"
    quote_char: str = '"'
    batch_size: int = 1024
    datetime_format: str | None = None
    date_format: str | None = None
    time_format: str | None = None
    float_precision: int | None = None
    null_value: str | None = None
    quote_style: str | None = None

    format_name = "csv"
    write_method = "write_csv"


@dataclasses.dataclass
class PolarsParquetReader(PolarsReader):
    """Parquet through ``pl.read_parquet``."""

    file: FileSource
    columns: list[int] | list[str] | None = None
    n_rows: int | None = None
    use_pyarrow: bool = False
    memory_map: bool = True
    storage_options: dict[str, Any] | None = None
    parallel: Any = "auto"
    row_count_name: str | None = None
    row_count_offset: int = 0
    low_memory: bool = False
    pyarrow_options: dict[str, Any] | None = None
    use_statistics: bool = True
    rechunk: bool = True

    format_name = "parquet"
    read_function = "read_parquet"


@dataclasses.dataclass
class PolarsParquetWriter(PolarsWriter):
    """Parquet through ``DataFrame.write_parquet``."""

    file: FileTarget
    compression: Any = "zstd"
    compression_level: int | None = None
    statistics: bool = False
    row_group_size: int | None = None
    use_pyarrow: bool = False
    pyarrow_options: dict[str, Any] | None = None

    format_name = "parquet"
    write_method = "write_parquet"


@dataclasses.dataclass
class PolarsFeatherReader(PolarsReader):
    """Feather (Arrow IPC) through ``pl.read_ipc``."""

    source: FileSource
    columns: list[str] | list[int] | None = None
    n_rows: int | None = None
    use_pyarrow: bool = False
    memory_map: bool = True
    storage_options: dict[str, Any] | None = None
    row_count_name: str | None = None
    row_count_offset: int = 0
    rechunk: bool = True

    format_name = "feather"
    read_function = "read_ipc"
    source_field = "source"


@dataclasses.dataclass
class PolarsFeatherWriter(PolarsWriter):
    """Feather (Arrow IPC) through ``DataFrame.write_ipc``."""

    file: FileTarget
    compression: str = "uncompressed"

    format_name = "feather"
    write_method = "write_ipc"


@dataclasses.dataclass
class PolarsAvroReader(PolarsReader):
    """Avro through ``pl.read_avro``."""

    file: FileSource
    columns: list[int] | list[str] | None = None
    n_rows: int | None = None

    format_name = "avro"
    read_function = "read_avro"


@dataclasses.dataclass
class PolarsAvroWriter(PolarsWriter):
    """Avro through ``DataFrame.write_avro``."""

    file: FileTarget
    compression: str = "uncompressed"

    format_name = "avro"
    write_method = "write_avro"


@dataclasses.dataclass
class PolarsJSONReader(PolarsReader):
    """A JSON array of row objects through ``pl.read_json``."""

    source: FileSource
    schema: Any = None
    schema_overrides: Any = None

    format_name = "json"
    read_function = "read_json"
    source_field = "source"


@dataclasses.dataclass
class PolarsJSONWriter(PolarsWriter):
    """A JSON array of row objects through ``DataFrame.write_json``."""

    file: FileTarget

    format_name = "json"
    write_method = "write_json"


@dataclasses.dataclass
class PolarsNDJSONReader(PolarsReader):
    """Newline-delimited JSON through ``pl.read_ndjson``."""

    source: FileSource
    schema: Any = None
    schema_overrides: Any = None

    format_name = "ndjson"
    read_function = "read_ndjson"
    source_field = "source"


@dataclasses.dataclass
class PolarsNDJSONWriter(PolarsWriter):
    """Newline-delimited JSON through ``DataFrame.write_ndjson``."""

    file: FileTarget

    format_name = "ndjson"
    write_method = "write_ndjson"


@dataclasses.dataclass
class PolarsSpreadsheetReader(PolarsReader):
    """Excel/ODS through ``pl.read_excel``. ``engine=None`` lets polars choose (``"calamine"``,
    i.e. fastexcel), except that without fastexcel but with xlsx2csv (1.x's default engine, so
    installed where 1.x read spreadsheets) it reads with ``"xlsx2csv"``."""

    source: FileSource
    sheet_id: int | Sequence[int] | None = None
    sheet_name: str | list[str] | tuple[str, ...] | None = None
    engine: str | None = None
    engine_options: dict[str, Any] | None = None
    read_options: dict[str, Any] | None = None
    schema_overrides: dict[str, Any] | None = None
    raise_if_empty: bool = True

    format_name = "spreadsheet"
    read_function = "read_excel"
    source_field = "source"

    def _get_loading_kwargs(self) -> dict[str, Any]:
        kwargs = super()._get_loading_kwargs()
        if self.engine is None:
            from importlib.util import find_spec

            if find_spec("fastexcel") is None and find_spec("xlsx2csv") is not None:
                kwargs["engine"] = "xlsx2csv"
        return kwargs


@dataclasses.dataclass
class PolarsSpreadsheetWriter(PolarsWriter):
    """Excel through ``DataFrame.write_excel`` (needs xlsxwriter); ``workbook`` may also be an
    open ``xlsxwriter.Workbook``, for several sheets in one file."""

    workbook: SpreadsheetTarget
    worksheet: str | None = None
    position: tuple[int, int] | str = "A1"
    table_style: str | dict[str, Any] | None = None
    table_name: str | None = None
    column_formats: Mapping[Any, Any] | None = None
    dtype_formats: dict[Any, str] | None = None
    conditional_formats: Mapping[Any, Any] | None = None
    header_format: dict[str, Any] | None = None
    column_totals: Any = None
    column_widths: Any = None
    row_totals: Any = None
    row_heights: dict[Any, int] | int | None = None
    sparklines: dict[str, Any] | None = None
    formulas: dict[str, Any] | None = None
    float_precision: int = 3
    include_header: bool = True
    autofilter: bool = True
    autofit: bool = False
    hidden_columns: Sequence[str] | str | None = None
    hide_gridlines: bool | None = None
    sheet_zoom: int | None = None
    freeze_panes: Any = None

    format_name = "spreadsheet"
    write_method = "write_excel"
    target_field = "workbook"


@dataclasses.dataclass
class PolarsDatabaseReader(PolarsReader):
    """The result of ``query``: ``pl.read_database`` for a connection object,
    ``pl.read_database_uri`` for a URI string (``"sqlite:///path.db"``, ``"postgresql://..."``)."""

    query: str
    connection: Any
    iter_batches: bool = False
    batch_size: int | None = None
    schema_overrides: dict[str, Any] | None = None
    infer_schema_length: int | None = None
    execute_options: dict[str, Any] | None = None

    format_name = "database"

    def _load_function(self) -> Callable[..., Any]:
        return pl.read_database_uri if isinstance(self.connection, str) else pl.read_database

    def _passed_apart(self) -> tuple[str, ...]:
        return ("query", "connection")

    def load_data(self, type_: type) -> tuple[pl.DataFrame, dict[str, Any]]:
        df = self._load_function()(self.query, self.connection, **self._get_loading_kwargs())
        return df, {**utils.get_sql_metadata(self.query, df), **utils.get_dataframe_metadata(df)}


@dataclasses.dataclass
class PolarsDatabaseWriter(PolarsWriter):
    """A table through ``DataFrame.write_database``; ``engine=None`` lets polars choose from the
    connection (SQLAlchemy for a URI string: pass ``engine="adbc"`` to use an ADBC driver)."""

    table_name: str
    connection: Any
    if_table_exists: Literal["fail", "replace", "append"] = "fail"
    engine: Literal["auto", "sqlalchemy", "adbc"] | None = None

    format_name = "database"

    def _save_method(self) -> Callable[..., Any]:
        return pl.DataFrame.write_database

    def _passed_apart(self) -> tuple[str, ...]:
        return ("table_name", "connection")

    def save_data(self, data: pl.DataFrame | pl.LazyFrame) -> dict[str, Any]:
        df = as_frame(data)
        rows = df.write_database(self.table_name, self.connection, **self._get_saving_kwargs())
        written = rows if isinstance(rows, int) and rows >= 0 else df.height
        return {**utils.get_sql_metadata(self.table_name, written), **utils.get_dataframe_metadata(df)}


# Everything this module registers, readers and writers of each format side by side.
POLARS_ADAPTERS: list[type] = [
    PolarsCSVReader,
    PolarsCSVWriter,
    PolarsParquetReader,
    PolarsParquetWriter,
    PolarsFeatherReader,
    PolarsFeatherWriter,
    PolarsAvroReader,
    PolarsAvroWriter,
    PolarsJSONReader,
    PolarsJSONWriter,
    PolarsNDJSONReader,
    PolarsNDJSONWriter,
    PolarsSpreadsheetReader,
    PolarsSpreadsheetWriter,
    PolarsDatabaseReader,
    PolarsDatabaseWriter,
]
