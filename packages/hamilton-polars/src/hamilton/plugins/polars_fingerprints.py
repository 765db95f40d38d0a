"""Fingerprints of polars values, so the cache recognises a DataFrame or Series it has seen.

A DataFrame's fingerprint mixes in its type, height, width and, column by column, the name,
the dtype (``repr``: time unit, time zone, enum categories, inner types) and the values:

* numbers and temporals (dates, datetimes, durations, times) without nulls: their physical
  buffers, chunk by chunk, read in place through ``to_numpy(allow_copy=False)``; the chunks
  are hashed as one byte string, so how a column is chunked does not matter;
* everything else (nulls, booleans, strings, decimals, lists, structs, enums...): the column
  as Arrow (``to_arrow``, strings as ``large_string``), fingerprinted from its buffers by
  :mod:`hamilton.plugins.pyarrow_fingerprints`. Without pyarrow: the column in one chunk
  written as an uncompressed Arrow IPC stream by polars itself. Both are exact; the IPC bytes
  also carry the undefined bits past the end of a validity bitmap, so equal columns built
  differently may then get different fingerprints (a recomputation, never a wrong hit);
* categoricals: their strings (their physical codes depend on the order in which strings met
  the process's string cache, so they would differ between processes);
* ``pl.Object`` columns: their Python values, element by element (Arrow would see addresses).

What ``to_arrow`` and the IPC writer produce may change between polars versions: an upgrade may
then recompute cached results once, it never confuses two values. Without numpy, numeric
columns take the Arrow path too.

A LazyFrame is a query plan, not data (its scans read files whose content the plan does not
hold): it gets no fingerprint.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from typing import Any

import polars as pl

from hamilton import fingerprinting
from hamilton.fingerprinting import UNHASHABLE, Hasher
from hamilton.plugins.fingerprint_buffers import ByteStream, qualified_name


@functools.cache
def _numpy_installed() -> bool:
    """Whether polars can hand out numpy views (without numpy, ``to_numpy`` panics in Rust)."""
    return importlib.util.find_spec("numpy") is not None


def _physical_buffers(series: pl.Series) -> list[Any] | None:
    """The column's numeric buffers, one per chunk, without copying; None if there are none."""
    dtype = series.dtype
    if series.null_count() or not (dtype.is_integer() or dtype.is_float() or dtype.is_temporal()):
        return None
    if not _numpy_installed():
        return None
    physical = series.to_physical() if dtype.is_temporal() else series  # to_physical runs a query
    if not (physical.dtype.is_integer() or physical.dtype.is_float()):
        return None
    try:
        return [chunk.to_numpy(allow_copy=False) for chunk in physical.get_chunks()]
    except (ImportError, RuntimeError, TypeError, ValueError):  # no numpy, or would need a copy
        return None


def _add_arrow(hasher: Hasher, series: pl.Series) -> bool | None:
    """The column's Arrow buffers (as pyarrow's fingerprints read them); None without pyarrow."""
    try:
        import pyarrow as pa

        from hamilton.plugins.pyarrow_fingerprints import add_chunked_array
    except ImportError:
        return None
    array = series.to_arrow(compat_level=pl.CompatLevel.oldest())  # strings as large_string
    if not isinstance(array, pa.ChunkedArray):
        array = pa.chunked_array([array], type=array.type)
    return add_chunked_array(hasher.add_text("arrow"), array)


def _add_ipc(hasher: Hasher, series: pl.Series) -> None:
    sink = io.BytesIO()  # one chunk, so one record batch: how the column was chunked does not matter
    series.rechunk().to_frame().write_ipc(sink, compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    hasher.add_text("ipc").add_buffer(sink.getbuffer())


def _add_column(hasher: Hasher, series: pl.Series, depth: int) -> bool:
    hasher.add_text(series.name).add_text(repr(series.dtype)).add_int(len(series))
    if isinstance(series.dtype, pl.Object):  # Python objects: Arrow would see their addresses
        hasher.add_text("elements")
        return hasher.add_value(series.to_list(), depth + 1)
    if isinstance(series.dtype, pl.Categorical):
        series = series.cast(pl.String)
    buffers = _physical_buffers(series)
    if buffers is not None:
        hasher.add_text("buffers")
        stream = ByteStream(hasher)
        for buffer in buffers:
            stream.write(buffer.reshape(-1).view("u1"))
        stream.close()
        return True
    added = _add_arrow(hasher, series)
    if added is None:
        _add_ipc(hasher, series)
        return True
    return added


def hash_polars_dataframe(df: pl.DataFrame, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The fingerprint of a DataFrame (see the module docstring)."""
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("polars.DataFrame").add_text(qualified_name(type(df))).add_int(df.height).add_int(df.width)
    ok = all(_add_column(hasher, column, depth) for column in df.get_columns())
    return hasher.hexdigest() if ok else UNHASHABLE


def hash_polars_series(series: pl.Series, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The fingerprint of a Series: its name, dtype and values."""
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("polars.Series").add_text(qualified_name(type(series)))
    return hasher.hexdigest() if _add_column(hasher, series, depth) else UNHASHABLE


def hash_polars_lazyframe(frame: pl.LazyFrame, *args: Any, **kwargs: Any) -> str:
    """A plan, not data: never fingerprinted (the files it scans may change under it)."""
    return UNHASHABLE


FINGERPRINTERS = {
    pl.DataFrame: hash_polars_dataframe,
    pl.Series: hash_polars_series,
    pl.LazyFrame: hash_polars_lazyframe,
}
