"""The column backend of vaex: ``vaex.dataframe.DataFrame`` frames whose columns are
``vaex.expression.Expression`` objects, as 1.x registered them.

It serves ``@extract_columns`` (a column node gets ``df[name]``, a lazy expression of the
frame), ``fill_with=`` (a missing column is added holding the scalar in every row),
``@with_columns`` and ``schema.output``.

Nothing here changes the frame it is given: a vaex frame is copied (vaex copies only its
bookkeeping, never the data) before a column is added. 1.x's ``fill_with`` assigned the column
into the function's own frame; the result is the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import vaex

from hamilton.plugins.interfaces import DataFrameBackend


def _column_value(df: Any, value: Any) -> Any:
    """What to assign as a column of ``df``: an expression of ``df`` itself stays lazy (a
    virtual column); one of another frame is evaluated, since vaex resolves an expression by
    its column names; other sequences become arrays, and a scalar fills every row."""
    if isinstance(value, vaex.expression.Expression):
        return value if value.df is df else value.to_numpy()
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)) or hasattr(value, "__array__"):
        return np.asarray(value)
    return np.full((len(df),), value)


def _unused_hidden_name(df: Any, name: str) -> str:
    taken = set(df.get_column_names(hidden=True))
    candidate, number = f"__hamilton_{name}", 0
    while candidate in taken:
        number += 1
        candidate = f"__hamilton_{name}_{number}"
    return candidate


class VaexBackend(DataFrameBackend):
    """``vaex.dataframe.DataFrame`` -> ``vaex.expression.Expression`` columns."""

    name = "vaex"
    dataframe_types = (vaex.dataframe.DataFrame,)
    column_type = vaex.expression.Expression

    def column_names(self, df: Any) -> list[str]:
        return list(df.get_column_names())

    def get_column(self, df: Any, name: str) -> Any:
        # df[name] would also evaluate any expression string ("a + b"); a column node extracts
        # a column, so a name the frame does not have is the KeyError the decorators report.
        if name not in df.get_column_names(hidden=True):
            raise KeyError(name)
        return df[name]

    def fill_with_scalar(self, df: Any, name: str, value: Any) -> Any:
        filled = df.copy()
        filled[name] = np.full((len(df),), value)
        return filled

    def with_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        if not columns:
            return df
        values = {name: _column_value(df, value) for name, value in columns.items()}
        result = df.copy()
        lazy = any(isinstance(value, vaex.expression.Expression) for value in values.values())
        if lazy and any(name in self.column_names(df) for name in values):
            # vaex resolves an expression by column name when it is assigned, and renames a
            # replaced column away: {"b": df["a"], "c": df["b"]} would give c the new b. Every
            # value is first assigned under a hidden name, while all names still mean df's
            # columns, then moved to its own name (vaex rewrites what referred to a replaced one).
            staged = {}
            for name, value in values.items():
                staged[name] = _unused_hidden_name(result, name)
                result[staged[name]] = value
            values = {name: result[hidden] for name, hidden in staged.items()}
        for name, value in values.items():
            result[name] = value
        return result

    def select(self, df: Any, names: Sequence[str]) -> Any:
        missing = [name for name in names if name not in df.get_column_names(hidden=True)]
        if missing:
            raise KeyError(missing[0])
        return df[list(names)]

    def schema(self, df: Any) -> dict[str, str]:
        dtypes = df.dtypes
        return {name: str(dtypes[name]) for name in df.get_column_names()}
