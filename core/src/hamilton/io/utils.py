"""The metadata dictionaries loaders and savers return (1.x's shapes and keys).

File formats return ``get_file_metadata(path)``; dataframe formats add
``get_dataframe_metadata(df)``; SQL formats ``get_sql_metadata(...)``. Each is one top-level
key holding a dict with a ``__version__`` of its own shape.
"""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import urlparse

FILE_METADATA = "file_metadata"
DATAFRAME_METADATA = "dataframe_metadata"
SQL_METADATA = "sql_metadata"
_SHAPE_VERSION = "1.0.0"


def get_file_metadata(path: Any) -> dict[str, Any]:
    """``{"file_metadata": {size, path, last_modified, timestamp, scheme, notes, __version__}}``.

    ``size`` is in bytes and ``last_modified`` is the file's modification time (epoch seconds);
    for a path that is not a local file (a URL, or a missing file) ``size`` is ``None``,
    ``last_modified`` is now, and a note says why. ``timestamp`` is when this was called.
    """
    path_text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    scheme = urlparse(path_text).scheme
    size = None
    last_modified = time.time()
    notes = ""
    if scheme and len(scheme) > 1:  # "s3://...", not a Windows drive letter
        notes = f"File metadata is unsupported for scheme: {scheme} or path: {path_text} does not exist."
    else:
        scheme = ""
        try:
            stat = os.stat(path_text)
        except OSError:
            notes = f"File metadata is unsupported for scheme: {scheme} or path: {path_text} does not exist."
        else:
            size, last_modified = stat.st_size, stat.st_mtime
    return {
        FILE_METADATA: {
            "size": size,
            "path": path_text,
            "last_modified": last_modified,
            "timestamp": time.time(),
            "scheme": scheme,
            "notes": notes,
            "__version__": _SHAPE_VERSION,
        }
    }


def get_dataframe_metadata(df: Any) -> dict[str, Any]:
    """``{"dataframe_metadata": {rows, columns, column_names, datatypes, __version__}}``.

    Works on any dataframe-like value (``shape``/``columns``/``dtypes`` or ``len``); fields the
    value does not expose are ``None``.
    """
    rows = columns = column_names = datatypes = None
    shape = getattr(df, "shape", None)
    if isinstance(shape, tuple) and len(shape) >= 1:
        rows = shape[0]
        columns = shape[1] if len(shape) > 1 else None
    elif hasattr(df, "__len__"):
        rows = len(df)
    names = getattr(df, "columns", None)
    if names is not None:
        try:
            column_names = [str(name) for name in names]
        except TypeError:
            column_names = None
        if columns is None and column_names is not None:
            columns = len(column_names)
    dtypes = getattr(df, "dtypes", None)
    if dtypes is not None:
        try:
            datatypes = [str(dtype) for dtype in (dtypes.values() if isinstance(dtypes, dict) else dtypes)]
        except TypeError:
            datatypes = None
    return {
        DATAFRAME_METADATA: {
            "__version__": _SHAPE_VERSION,
            "rows": rows,
            "columns": columns,
            "column_names": column_names,
            "datatypes": datatypes,
        }
    }


def get_file_and_dataframe_metadata(path: Any, df: Any) -> dict[str, Any]:
    """Both of the above, merged."""
    return {**get_file_metadata(path), **get_dataframe_metadata(df)}


def get_sql_metadata(query_or_table: str, results: Any) -> dict[str, Any]:
    """``{"sql_metadata": {rows, query, table_name, timestamp, __version__}}``.

    ``query_or_table`` is a query when it contains ``SELECT`` (upper case, as in 1.x), else a
    table name; ``results`` is a row count or the loaded dataframe (its rows are counted from its
    ``shape``). Anything else (a string, a list...) gives ``rows: None``, as in 1.x.
    """
    is_query = "SELECT" in query_or_table
    rows = None
    if isinstance(results, int):
        rows = results
    else:
        shape = getattr(results, "shape", None)
        if isinstance(shape, tuple) and shape:
            rows = shape[0]
    return {
        SQL_METADATA: {
            "rows": rows,
            "query": query_or_table if is_query else None,
            "table_name": None if is_query else query_or_table,
            "timestamp": time.time(),
            "__version__": _SHAPE_VERSION,
        }
    }
