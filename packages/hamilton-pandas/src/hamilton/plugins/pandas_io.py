"""Loaders and savers of ``pandas.DataFrame``: 1.x's ``Pandas<Format>{Reader,Writer}`` classes.

Each class is a dataclass whose fields mirror the keyword arguments of the pandas function it
calls (``pd.read_csv``, ``DataFrame.to_csv``...), with pandas' own defaults — so
``load_from.csv(path=..., sep=";")`` and ``to.parquet(path=..., compression="zstd")`` accept
exactly what pandas accepts, for the installed pandas version. The fields are read from the
pandas signatures when this module is imported rather than listed by hand: they cannot drift
from pandas, and only arguments the caller changed are passed on.

The leading fields keep 1.x's names (``path``, ``filepath_or_buffer``, ``query_or_table`` +
``db_connection``...), as do the format names (``csv``, ``parquet``, ``feather``, ``json``,
``pickle``, ``excel``, ``sql``, ``xml``, ``html``, ``stata``, ``orc``, ``table``, ``fwf``,
``spss``). Optional engines (pyarrow for parquet/feather/orc, openpyxl for excel, lxml for
xml/html) are pandas' business: a missing one fails with pandas' own install message.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Collection
from typing import Any, ClassVar

import pandas as pd

from hamilton.io import utils
from hamilton.io.data_adapters import DataLoader, DataSaver

DATAFRAME_TYPE = pd.DataFrame


def _keyword_fields(function: Callable, skip: Collection[str]) -> list[tuple[str, Any, Any]]:
    """``(name, annotation, field)`` for each keyword argument of ``function`` not in ``skip``,
    defaulting to pandas' default."""
    fields = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in skip or parameter.name == "self" or parameter.default is inspect.Parameter.empty:
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        default = parameter.default
        if isinstance(default, (list, dict, set)):
            field = dataclasses.field(default_factory=lambda default=default: type(default)(default))
        else:
            field = dataclasses.field(default=default)
        fields.append((parameter.name, Any, field))
    return fields


_NOT_PANDAS_DEFAULT = object()  # marks fields whose (1.x) default is always passed to pandas
# 1.x's readers asked pandas for nullable dtypes (Int64, Float64, string), and its csv writer
# left the index out: users' files and frames depend on both.
_NULLABLE = {"dtype_backend": "numpy_nullable"}


def _with_defaults(fields: list[tuple[str, Any, Any]], defaults: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """``fields`` with the ``defaults`` given (added when pandas takes them through ``**kwargs``)."""
    replaced = [
        (name, annotation, dataclasses.field(default=defaults[name])) if name in defaults else (name, annotation, field)
        for name, annotation, field in fields
    ]
    known = {name for name, _, _ in fields}
    replaced += [(name, Any, dataclasses.field(default=value)) for name, value in defaults.items() if name not in known]
    return replaced


class _PandasAdapter:
    """What every pandas loader/saver shares: the frame type and the keyword arguments to pass."""

    _leading: ClassVar[tuple[str, ...]] = ()  # the fields passed positionally (path, connection...)
    _pandas_defaults: ClassVar[dict[str, Any]] = {}  # keyword field -> pandas' default

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [DATAFRAME_TYPE]

    def _keywords(self) -> dict[str, Any]:
        """The keyword arguments the caller set (those still at pandas' default are left out)."""
        return {
            name: getattr(self, name)
            for name, default in self._pandas_defaults.items()
            if getattr(self, name) is not default
        }

    def _positional(self) -> list[Any]:
        return [getattr(self, name) for name in self._leading]

    def _get_loading_kwargs(self) -> dict[str, Any]:
        """The keyword arguments a reader passes to pandas (those the caller set); kept for 1.x
        compatibility, where subclasses and tests read it."""
        return self._keywords()

    def _get_saving_kwargs(self) -> dict[str, Any]:
        """The keyword arguments a writer passes to pandas (those the caller set); kept for 1.x
        compatibility, where subclasses and tests read it."""
        return self._keywords()


def _adapter_class(
    class_name: str,
    format_name: str,
    base: type,
    function: Callable,
    leading: dict[str, str | None],
    doc: str,
    methods: dict[str, Any],
    defaults: dict[str, Any] | None = None,
) -> type:
    """A dataclass loader/saver calling ``function`` with the ``leading`` fields positionally.

    :param leading: 1.x field name -> the pandas parameter it fills (None: the field has a
        default of None and is not a pandas parameter, e.g. an alias).
    :param defaults: where 1.x's default differs from pandas' (``index=False`` for csv), the
        1.x default; always passed to pandas unless the caller changes it.
    """
    required = [name for name, target in leading.items() if target is not None]
    skip = {target for target in leading.values() if target is not None}
    keyword_fields = _with_defaults(_keyword_fields(function, skip), defaults or {})
    fields: list[Any] = [(name, Any) for name in required]
    fields += [(name, Any, dataclasses.field(default=None)) for name, target in leading.items() if target is None]
    fields += keyword_fields
    namespace = {
        "_leading": tuple(required),
        "_pandas_defaults": {
            name: _NOT_PANDAS_DEFAULT if name in (defaults or {}) else field.default
            for name, _, field in keyword_fields
        },
        "name": classmethod(lambda cls: format_name),
        "__doc__": doc,
        "__module__": __name__,
        **methods,  # in the namespace, so the base's abstract methods count as implemented
    }
    return dataclasses.make_dataclass(class_name, fields, bases=(_PandasAdapter, base), namespace=namespace)


def _reader(
    class_name: str,
    format_name: str,
    function: Callable,
    leading: dict[str, str | None],
    load: Callable | None = None,
    defaults: dict[str, Any] | None = None,
) -> type:
    return _adapter_class(
        class_name,
        format_name,
        DataLoader,
        function,
        leading,
        f"Reads a pandas DataFrame with ``pandas.{function.__name__}`` (format ``{format_name}``).",
        {"_read": staticmethod(function), "load_data": load or _load_file},
        defaults,
    )


def _writer(
    class_name: str,
    format_name: str,
    method: Callable,
    leading: dict[str, str | None],
    save: Callable | None = None,
    defaults: dict[str, Any] | None = None,
) -> type:
    return _adapter_class(
        class_name,
        format_name,
        DataSaver,
        method,
        leading,
        f"Writes a pandas DataFrame with ``DataFrame.{method.__name__}`` (format ``{format_name}``).",
        {"_method": method.__name__, "save_data": save or _save_file},
        defaults,
    )


def _load_file(self: Any, type_: type) -> tuple[pd.DataFrame, dict[str, Any]]:
    df = self._read(*self._positional(), **self._keywords())
    return df, utils.get_file_and_dataframe_metadata(self._positional()[0], df)


def _save_file(self: Any, data: pd.DataFrame) -> dict[str, Any]:
    getattr(data, self._method)(*self._positional(), **self._keywords())
    return utils.get_file_and_dataframe_metadata(self._positional()[0], data)


def _load_pickle(self: Any, type_: type) -> tuple[pd.DataFrame, dict[str, Any]]:
    """1.x takes ``filepath_or_buffer`` or its alias ``path`` (symmetric with the writer)."""
    source = self.filepath_or_buffer if self.filepath_or_buffer is not None else self.path
    if source is None:
        raise ValueError("PandasPickleReader needs a file: pass path=... (or filepath_or_buffer=...).")
    df = pd.read_pickle(source, **self._keywords())
    return df, utils.get_file_and_dataframe_metadata(source, df)


def _load_sql(self: Any, type_: type) -> tuple[pd.DataFrame, dict[str, Any]]:
    df = pd.read_sql(self.query_or_table, self.db_connection, **self._keywords())
    return df, {**utils.get_sql_metadata(self.query_or_table, df), **utils.get_dataframe_metadata(df)}


def _save_sql(self: Any, data: pd.DataFrame) -> dict[str, Any]:
    rows = data.to_sql(self.table_name, self.db_connection, **self._keywords())
    return {**utils.get_sql_metadata(self.table_name, rows), **utils.get_dataframe_metadata(data)}


# ExcelWriter takes these; to_excel takes the rest (1.x split the fields the same way).
_EXCEL_WRITER_ONLY = {"mode": "w", "if_sheet_exists": None, "datetime_format": None, "date_format": None}
_EXCEL_SHARED = ("engine", "storage_options", "engine_kwargs")


def _save_excel(self: Any, data: pd.DataFrame) -> dict[str, Any]:
    keywords = self._keywords()
    writer_options = {name: getattr(self, name) for name in _EXCEL_WRITER_ONLY if getattr(self, name) is not None}
    writer_options.update((name, keywords.pop(name)) for name in _EXCEL_SHARED if name in keywords)
    with pd.ExcelWriter(self.path, **writer_options) as writer:
        data.to_excel(writer, **keywords)
    return utils.get_file_and_dataframe_metadata(self.path, data)


# 1.x's classes: (class name, format, pandas function, 1.x leading field -> pandas parameter).
PandasCSVReader = _reader("PandasCSVReader", "csv", pd.read_csv, {"path": "filepath_or_buffer"}, defaults=_NULLABLE)
PandasCSVWriter = _writer(
    "PandasCSVWriter", "csv", pd.DataFrame.to_csv, {"path": "path_or_buf"}, defaults={"index": False}
)
PandasParquetReader = _reader("PandasParquetReader", "parquet", pd.read_parquet, {"path": "path"}, defaults=_NULLABLE)
PandasParquetWriter = _writer("PandasParquetWriter", "parquet", pd.DataFrame.to_parquet, {"path": "path"})
PandasPickleReader = _reader(
    "PandasPickleReader", "pickle", pd.read_pickle, {"filepath_or_buffer": None, "path": None}, load=_load_pickle
)
PandasPickleWriter = _writer("PandasPickleWriter", "pickle", pd.DataFrame.to_pickle, {"path": "path"})
PandasJsonReader = _reader("PandasJsonReader", "json", pd.read_json, {"filepath_or_buffer": "path_or_buf"})
PandasJsonWriter = _writer("PandasJsonWriter", "json", pd.DataFrame.to_json, {"filepath_or_buffer": "path_or_buf"})
PandasSqlReader = _reader(
    "PandasSqlReader", "sql", pd.read_sql, {"query_or_table": "sql", "db_connection": "con"}, load=_load_sql
)
PandasSqlWriter = _writer(
    "PandasSqlWriter", "sql", pd.DataFrame.to_sql, {"table_name": "name", "db_connection": "con"}, save=_save_sql
)
PandasXmlReader = _reader(
    "PandasXmlReader", "xml", pd.read_xml, {"path_or_buffer": "path_or_buffer"}, defaults=_NULLABLE
)
PandasXmlWriter = _writer("PandasXmlWriter", "xml", pd.DataFrame.to_xml, {"path_or_buffer": "path_or_buffer"})
PandasHtmlReader = _reader("PandasHtmlReader", "html", pd.read_html, {"io": "io"}, defaults=_NULLABLE)
PandasHtmlWriter = _writer("PandasHtmlWriter", "html", pd.DataFrame.to_html, {"buf": "buf"})
PandasStataReader = _reader("PandasStataReader", "stata", pd.read_stata, {"filepath_or_buffer": "filepath_or_buffer"})
PandasStataWriter = _writer("PandasStataWriter", "stata", pd.DataFrame.to_stata, {"path": "path"})
PandasFeatherReader = _reader("PandasFeatherReader", "feather", pd.read_feather, {"path": "path"}, defaults=_NULLABLE)
PandasFeatherWriter = _writer("PandasFeatherWriter", "feather", pd.DataFrame.to_feather, {"path": "path"})
PandasORCReader = _reader("PandasORCReader", "orc", pd.read_orc, {"path": "path"}, defaults=_NULLABLE)
PandasORCWriter = _writer("PandasORCWriter", "orc", pd.DataFrame.to_orc, {"path": "path"})
PandasExcelReader = _reader("PandasExcelReader", "excel", pd.read_excel, {"path": "io"}, defaults=_NULLABLE)
PandasExcelWriter = dataclasses.make_dataclass(
    "PandasExcelWriter",
    [(name, Any, dataclasses.field(default=default)) for name, default in _EXCEL_WRITER_ONLY.items()],
    bases=(_writer("_PandasExcelWriter", "excel", pd.DataFrame.to_excel, {"path": "excel_writer"}, save=_save_excel),),
    namespace={"__module__": __name__, "__doc__": "Writes a pandas DataFrame to an Excel file (format ``excel``)."},
)
PandasTableReader = _reader(
    "PandasTableReader", "table", pd.read_table, {"filepath_or_buffer": "filepath_or_buffer"}, defaults=_NULLABLE
)
PandasFWFReader = _reader(
    "PandasFWFReader", "fwf", pd.read_fwf, {"filepath_or_buffer": "filepath_or_buffer"}, defaults=_NULLABLE
)
PandasSPSSReader = _reader("PandasSPSSReader", "spss", pd.read_spss, {"path": "path"}, defaults=_NULLABLE)

READERS = [
    PandasCSVReader,
    PandasParquetReader,
    PandasPickleReader,
    PandasJsonReader,
    PandasSqlReader,
    PandasXmlReader,
    PandasHtmlReader,
    PandasStataReader,
    PandasFeatherReader,
    PandasORCReader,
    PandasExcelReader,
    PandasTableReader,
    PandasFWFReader,
    PandasSPSSReader,
]
WRITERS = [
    PandasCSVWriter,
    PandasParquetWriter,
    PandasPickleWriter,
    PandasJsonWriter,
    PandasSqlWriter,
    PandasXmlWriter,
    PandasHtmlWriter,
    PandasStataWriter,
    PandasFeatherWriter,
    PandasORCWriter,
    PandasExcelWriter,
]

__all__ = ["DATAFRAME_TYPE", *(cls.__name__ for cls in READERS + WRITERS)]
