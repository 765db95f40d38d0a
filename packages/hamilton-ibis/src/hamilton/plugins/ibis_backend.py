"""The column backend of ibis: ``ibis.expr.types.Table`` frames, ``ibis.expr.types.Column`` columns.

Everything stays an ibis expression: taking a column is ``table[name]``, adding columns is
``Table.mutate`` and selecting them ``Table.select``, so nothing is executed before the user
executes the result (on whichever backend the table is bound to: duckdb, Postgres, BigQuery...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from hamilton.plugins.interfaces import DataFrameBackend

# ibis dtype class name -> the readable type name schema capture reports for every library
# (the names hamilton-narwhals gives pandas, polars and pyarrow columns).
_TYPE_NAMES = {
    "Int8": "int8",
    "Int16": "int16",
    "Int32": "int32",
    "Int64": "int64",
    "UInt8": "uint8",
    "UInt16": "uint16",
    "UInt32": "uint32",
    "UInt64": "uint64",
    "Float16": "float16",
    "Float32": "float32",
    "Float64": "float64",
    "String": "str",
    "Boolean": "bool",
    "Date": "date",
    "Timestamp": "datetime",
    "Interval": "timedelta",
}


def type_name(dtype: Any) -> str:
    """A readable name for an ibis dtype (``"int64"``, ``"str"``; ``"array<int64>"`` for the rest)."""
    known = _TYPE_NAMES.get(type(dtype).__name__)
    return known if known is not None else str(dtype).lstrip("!")


def as_value(value: Any, name: str) -> ir.Value:
    """``value`` as an ibis expression named ``name``: an ibis expression, or a Python scalar to repeat."""
    if isinstance(value, ir.Value):
        return value.name(name)
    if isinstance(value, ir.Expr):  # a Table, say: not something a column can hold
        raise TypeError(
            f"Column {name!r}: an ibis {type(value).__name__} cannot be a column of a table. Return a column "
            "expression (table.col + 1) or a scalar."
        )
    if value is None:
        return ibis.null().name(name)
    try:
        return ibis.literal(value).name(name)
    except Exception as error:
        raise TypeError(
            f"Column {name!r}: {type(value).__qualname__} value {value!r} is neither an ibis expression nor a "
            f"scalar ibis can turn into a literal ({error}). Return an ibis column expression, e.g. "
            "table.col * 2, or a plain scalar."
        ) from error


class IbisBackend(DataFrameBackend):
    """``ibis.expr.types.Table`` -> ``ibis.expr.types.Column`` columns, all of it lazy."""

    name = "ibis"
    dataframe_types = (ir.Table,)
    column_type = ir.Column

    def __repr__(self) -> str:
        return "IbisBackend()"

    def column_names(self, df: ir.Table) -> list[str]:
        return list(df.columns)

    def get_column(self, df: ir.Table, name: str) -> ir.Column:
        if name not in df.columns:  # ibis raises its own error type; the interface asks for KeyError
            raise KeyError(name)
        return df[name]

    def fill_with_scalar(self, df: ir.Table, name: str, value: Any) -> ir.Table:
        return df.mutate(as_value(value, name))

    def with_columns(self, df: ir.Table, columns: Mapping[str, Any]) -> ir.Table:
        if not columns:
            return df
        return df.mutate(*(as_value(value, str(name)) for name, value in columns.items()))

    def select(self, df: ir.Table, names: Sequence[str]) -> ir.Table:
        return df.select(*names)

    def schema(self, df: ir.Table) -> dict[str, str]:
        return {name: type_name(dtype) for name, dtype in df.schema().items()}
