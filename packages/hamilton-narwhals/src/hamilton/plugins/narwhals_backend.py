"""One :class:`~hamilton.plugins.interfaces.DataFrameBackend` for every library narwhals wraps.

``extract_columns``, ``with_columns``, schema capture and the dataframe validators need the
same handful of operations from pandas, polars and pyarrow; writing them once against narwhals
keeps the three libraries behaving alike. Each distribution constructs a backend for its own
types (``NarwhalsBackend("polars", (pl.DataFrame,), pl.Series)``) and overrides a method only
where its library must differ (pandas aligns new columns on the index, as 1.x did).

Values go in and come out native: nodes see the caller's library, never narwhals objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v1 as nw
from narwhals.stable.v1 import dtypes as nw_dtypes

from hamilton.plugins.interfaces import DataFrameBackend

# Readable type names schema capture reports, the same for every library (narwhals dtype class
# -> name); dtypes not listed fall back to the lower-cased narwhals name.
_TYPE_NAMES: dict[type, str] = {
    nw_dtypes.Int8: "int8",
    nw_dtypes.Int16: "int16",
    nw_dtypes.Int32: "int32",
    nw_dtypes.Int64: "int64",
    nw_dtypes.UInt8: "uint8",
    nw_dtypes.UInt16: "uint16",
    nw_dtypes.UInt32: "uint32",
    nw_dtypes.UInt64: "uint64",
    nw_dtypes.Float32: "float32",
    nw_dtypes.Float64: "float64",
    nw_dtypes.String: "str",
    nw_dtypes.Boolean: "bool",
    nw_dtypes.Date: "date",
    nw_dtypes.Datetime: "datetime",
    nw_dtypes.Duration: "timedelta",
    nw_dtypes.Categorical: "category",
    nw_dtypes.Enum: "category",
    nw_dtypes.Object: "object",
    nw_dtypes.Unknown: "object",
}


def type_name(dtype: Any) -> str:
    """A readable, library-independent name for a narwhals dtype (``"int64"``, ``"str"``...)."""
    for dtype_class, name in _TYPE_NAMES.items():
        if dtype == dtype_class:
            return name
    return type(dtype).__name__.lower() if not isinstance(dtype, type) else dtype.__name__.lower()


class NarwhalsBackend(DataFrameBackend):
    """A dataframe backend for ``dataframe_types``, implemented through narwhals.

    :param name: the backend's name (``"pandas"``, ``"polars"``, ``"pyarrow"``).
    :param dataframe_types: the native frame classes it handles.
    :param column_type: the native class of one column (``pd.Series``...), or ``None``.
    """

    def __init__(self, name: str, dataframe_types: tuple[type, ...], column_type: type | None):
        self.name = name
        self.dataframe_types = tuple(dataframe_types)
        self.column_type = column_type

    def __repr__(self) -> str:
        types = ", ".join(t.__qualname__ for t in self.dataframe_types)
        return f"{type(self).__name__}({self.name!r}, ({types}))"

    # -- conversions -------------------------------------------------------------------------

    @staticmethod
    def frame(df: Any) -> Any:
        """``df`` as a narwhals frame (eager or lazy, as the native one is)."""
        return nw.from_native(df)

    @staticmethod
    def as_column(value: Any, name: str) -> Any:
        """``value`` as a narwhals expression named ``name``: a native column, or a scalar to repeat."""
        series = nw.from_native(value, series_only=True, pass_through=True)
        if series is not value:
            return series.alias(name)
        if isinstance(value, (nw.Series, nw.Expr)):
            return value.alias(name)
        return nw.lit(value).alias(name)

    # -- DataFrameBackend --------------------------------------------------------------------

    def column_names(self, df: Any) -> list[str]:
        return list(self.frame(df).columns)

    def get_column(self, df: Any, name: str) -> Any:
        frame = self.frame(df)
        if name not in frame.columns:  # narwhals raises its own error types; the interface asks for KeyError
            raise KeyError(name)
        if not isinstance(frame, nw.DataFrame):
            raise TypeError(
                f"Cannot take column {name!r} of a lazy {type(df).__name__}: collect it first, or use the "
                f"backend of the lazy frame's library."
            )
        return frame.get_column(name).to_native()

    def fill_with_scalar(self, df: Any, name: str, value: Any) -> Any:
        return self.frame(df).with_columns(nw.lit(value).alias(name)).to_native()

    def with_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        if not columns:
            return df
        frame = self.frame(df)
        return frame.with_columns(*(self.as_column(value, name) for name, value in columns.items())).to_native()

    def select(self, df: Any, names: Sequence[str]) -> Any:
        return self.frame(df).select(list(names)).to_native()

    def schema(self, df: Any) -> dict[str, str]:
        return {name: type_name(dtype) for name, dtype in self.frame(df).schema.items()}
