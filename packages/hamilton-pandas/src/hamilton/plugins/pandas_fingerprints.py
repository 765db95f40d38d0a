"""Fingerprints of pandas DataFrames, Series, Indexes and scalars, at memory speed.

A DataFrame's fingerprint mixes in its type, shape, index, column labels (an Index, so labels
keep their types: column ``1`` is not column ``"1"``), ``flags``, ``attrs``, the ``_metadata``
of subclasses and, column by column, the dtype (``str``, with its unit, time zone, categories,
storage, NA value) and the values:

* numpy-backed numbers, booleans, datetimes and timedeltas: the column's buffer, read in place
  (:mod:`hamilton.plugins.numpy_fingerprints`): no per-row Python and no copy;
* object columns: exactly, element by element (all-``str`` columns through a fast exact path);
  never ``hash_pandas_object``, which turns mixed objects into strings (``1`` == ``"1"``);
* categoricals: codes, categories and ``ordered``; tz-aware datetimes and periods: their int64
  values and the time zone or frequency; intervals: both bounds; sparse arrays: the stored
  values, their positions and the fill value;
* nullable ``Int64``/``Float64``/``boolean``: the mask and the values (masked slots zeroed);
* Arrow-backed columns (``str``, ``int64[pyarrow]``...): their Arrow buffers
  (:mod:`hamilton.plugins.pyarrow_fingerprints`); other extension arrays: their elements.

A Series adds its name; an Index its type, name(s) and values (a RangeIndex only its start,
stop and step; a MultiIndex its levels and codes; a DatetimeIndex its frequency).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from hamilton import fingerprinting
from hamilton.fingerprinting import UNHASHABLE, Hasher
from hamilton.plugins.fingerprint_buffers import add_texts, qualified_name
from hamilton.plugins.numpy_fingerprints import add_ndarray

_MASKED_ARRAYS = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def _dtype_text(dtype: Any) -> str:
    if isinstance(dtype, pd.StringDtype):  # str() and repr() leave out the storage or NA value
        return f"string|{dtype.storage}|{dtype.na_value!r}"
    return f"{qualified_name(type(dtype))}|{dtype}"


def _add_masked(hasher: Hasher, values: Any, depth: int) -> bool:
    """Nullable numbers and booleans: the mask, and the values with masked slots zeroed (they
    hold anything) so equal arrays hash equal."""
    data, mask = values._data, values._mask  # the arrays IntegerArray(values, mask) was built from
    if mask.any():
        data = np.where(mask, np.zeros((), dtype=data.dtype), data)
    return add_ndarray(hasher, mask, depth) and add_ndarray(hasher, data, depth)


def _add_python_strings(hasher: Hasher, values: pd.arrays.StringArray, depth: int) -> bool:
    """``string[python]``: where values are missing (always the dtype's NA) and the strings."""
    objects = values.to_numpy()
    missing = np.asarray(values.isna())
    strings = objects[~missing].tolist() if missing.any() else objects.tolist()
    if not add_ndarray(hasher, missing, depth):
        return False
    return add_texts(hasher, strings) or hasher.add_value(strings, depth + 1)


def add_values(hasher: Hasher, values: Any, depth: int = 0) -> bool:
    """Adds the values of a column or an index (an ExtensionArray or ndarray), exactly."""
    if isinstance(values, pd.arrays.NumpyExtensionArray):  # a wrapper: its dtype is not numpy's
        values = values.to_numpy()
    dtype = values.dtype
    hasher.add_text(_dtype_text(dtype))
    if isinstance(dtype, np.dtype):  # numbers, booleans, naive datetimes, objects: a view, no copy
        return add_ndarray(hasher, np.asarray(values), depth)
    if isinstance(dtype, pd.CategoricalDtype):
        hasher.add_int(int(bool(dtype.ordered)))
        return add_index(hasher, dtype.categories, depth) and add_ndarray(hasher, values.codes, depth)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return hasher.add_value(dtype.tz, depth + 1) and add_ndarray(hasher, values.asi8, depth)
    if isinstance(dtype, pd.PeriodDtype):  # the frequency is in the dtype's text
        return add_ndarray(hasher, values.asi8, depth)
    if isinstance(dtype, pd.IntervalDtype):  # `closed` is in the dtype's text
        return add_index(hasher, values.left, depth) and add_index(hasher, values.right, depth)
    if isinstance(dtype, pd.SparseDtype):
        hasher.add_int(len(values)).add_text(values.kind)
        positions = values.sp_index.to_int_index().indices
        return (
            hasher.add_value(values.fill_value, depth + 1)
            and add_ndarray(hasher, positions, depth)
            and add_ndarray(hasher, values.sp_values, depth)
        )
    if isinstance(values, _MASKED_ARRAYS):
        return _add_masked(hasher, values, depth)
    if isinstance(values, pd.arrays.ArrowExtensionArray):  # includes the `str` dtype's strings
        from hamilton.plugins.pyarrow_fingerprints import add_chunked_array

        return add_chunked_array(hasher, values.__arrow_array__())
    if isinstance(values, pd.arrays.StringArray):
        return _add_python_strings(hasher, values, depth)
    hasher.add_text(qualified_name(type(values)))  # any other extension array: element by element
    return hasher.add_value(list(values), depth + 1)


def add_index(hasher: Hasher, index: pd.Index, depth: int = 0) -> bool:
    """Adds an index: type, length, name(s) and values."""
    hasher.add_text(qualified_name(type(index))).add_int(len(index))
    if isinstance(index, pd.MultiIndex):
        hasher.add_int(index.nlevels)
        if not hasher.add_value((list(index.names), index.sortorder), depth + 1):
            return False
        return all(
            add_index(hasher, level, depth) and add_ndarray(hasher, codes, depth)
            for level, codes in zip(index.levels, index.codes)
        )
    if not hasher.add_value(index.name, depth + 1):
        return False
    if isinstance(index, pd.RangeIndex):  # never materialised
        hasher.add_int(index.start).add_int(index.stop).add_int(index.step)
        return True
    if isinstance(index, (pd.DatetimeIndex, pd.TimedeltaIndex)):
        hasher.add_text(index.freqstr or "")  # `shift` and friends follow the frequency
    return add_values(hasher, index.array, depth)


def _add_metadata(hasher: Hasher, value: pd.DataFrame | pd.Series, depth: int) -> bool:
    """``flags``, ``attrs`` and the attributes a subclass declares in ``_metadata``."""
    hasher.add_int(int(value.flags.allows_duplicate_labels))
    declared = {name: getattr(value, name, None) for name in type(value)._metadata if name != "_name"}
    return hasher.add_value((dict(value.attrs), declared), depth + 1)


ColumnAdder = Callable[[Hasher, Any, int], bool]  # (hasher, a column's values (its .array), depth) -> hashable?


def frame_fingerprinter(domain: str, add_column: ColumnAdder = add_values) -> Callable[..., str]:
    """The fingerprint function of a DataFrame class: shape, index, columns, metadata, then each
    column's values through ``add_column``. A library whose frames subclass pandas' (geopandas)
    passes its own ``domain`` and column adder (geometries)."""

    def hash_frame(frame: pd.DataFrame, *args: Any, depth: int = 0, **kwargs: Any) -> str:
        if depth > fingerprinting.MAX_DEPTH:
            return UNHASHABLE
        hasher = Hasher(domain).add_text(qualified_name(type(frame)))
        rows, columns = frame.shape
        hasher.add_int(rows).add_int(columns)
        ok = (
            add_index(hasher, frame.index, depth)
            and add_index(hasher, frame.columns, depth)
            and _add_metadata(hasher, frame, depth)
            and all(add_column(hasher, column.array, depth) for _, column in frame.items())
        )
        return hasher.hexdigest() if ok else UNHASHABLE

    return hash_frame


def series_fingerprinter(domain: str, add_column: ColumnAdder = add_values) -> Callable[..., str]:
    """The fingerprint function of a Series class: name, index, metadata, values (see
    :func:`frame_fingerprinter`)."""

    def hash_series(series: pd.Series, *args: Any, depth: int = 0, **kwargs: Any) -> str:
        if depth > fingerprinting.MAX_DEPTH:
            return UNHASHABLE
        hasher = Hasher(domain).add_text(qualified_name(type(series))).add_int(len(series))
        ok = (
            hasher.add_value(series.name, depth + 1)
            and add_index(hasher, series.index, depth)
            and _add_metadata(hasher, series, depth)
            and add_column(hasher, series.array, depth)
        )
        return hasher.hexdigest() if ok else UNHASHABLE

    return hash_series


hash_dataframe = frame_fingerprinter("pandas.DataFrame")  # see the module docstring
hash_series = series_fingerprinter("pandas.Series")


def hash_index(index: pd.Index, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("pandas.Index")
    return hasher.hexdigest() if add_index(hasher, index, depth) else UNHASHABLE


def hash_extension_array(values: Any, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """An ExtensionArray on its own (``Categorical``, ``IntegerArray``, ``ArrowExtensionArray``...)."""
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("pandas.array").add_text(qualified_name(type(values))).add_int(len(values))
    return hasher.hexdigest() if add_values(hasher, values, depth) else UNHASHABLE


def hash_timestamp(value: pd.Timestamp, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """Unit, value, time zone and fold (core's datetime fingerprint leaves out the unit)."""
    hasher = Hasher("pandas.Timestamp").add_text(qualified_name(type(value))).add_text(value.unit)
    hasher.add_int(int(value.asm8.view("i8"))).add_int(value.fold)
    return hasher.hexdigest() if hasher.add_value(value.tz, depth + 1) else UNHASHABLE


def hash_timedelta(value: pd.Timedelta, *args: Any, **kwargs: Any) -> str:
    """Unit and value (core's timedelta fingerprint stops at microseconds)."""
    hasher = Hasher("pandas.Timedelta").add_text(qualified_name(type(value))).add_text(value.unit)
    return hasher.add_int(int(value.asm8.view("i8"))).hexdigest()


def hash_period(value: pd.Period, *args: Any, **kwargs: Any) -> str:
    hasher = Hasher("pandas.Period").add_text(qualified_name(type(value))).add_text(value.freqstr)
    return hasher.add_int(value.ordinal).hexdigest()


FINGERPRINTERS = {
    pd.DataFrame: hash_dataframe,
    pd.Series: hash_series,
    pd.Index: hash_index,
    pd.api.extensions.ExtensionArray: hash_extension_array,
    pd.Timestamp: hash_timestamp,
    pd.Timedelta: hash_timedelta,
    pd.Period: hash_period,
}
