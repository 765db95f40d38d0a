"""The column backends of polars: ``pl.DataFrame`` (columns are ``pl.Series``) and
``pl.LazyFrame`` (columns are ``pl.Expr``), as 1.x registered them.

Both are the shared narwhals backend; they differ from it only where polars does:

* a column computed as a ``pl.Expr`` (``def a() -> pl.Expr: return pl.col("x") / 100`` under
  ``@with_columns(on_input=..., select=[...])``) is evaluated against the frame, as polars'
  own ``with_columns`` does;
* a LazyFrame has no materialised columns: a column is ``pl.col(name)``, evaluated when the
  frame is collected, so nothing is computed before the user asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from hamilton.plugins.narwhals_backend import NarwhalsBackend


def _native_columns(columns: Mapping[str, Any]) -> dict[str, Any]:
    """Values as polars' ``with_columns(**columns)`` takes them: Series, Expr, or a literal."""
    return {
        name: value if isinstance(value, (pl.Series, pl.Expr)) else pl.lit(value) for name, value in columns.items()
    }


class PolarsBackend(NarwhalsBackend):
    """``pl.DataFrame`` -> ``pl.Series`` columns; accepts ``pl.Expr`` columns in ``with_columns``."""

    def __init__(self) -> None:
        super().__init__("polars", (pl.DataFrame,), pl.Series)

    def with_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        if any(isinstance(value, pl.Expr) for value in columns.values()):
            return df.with_columns(**_native_columns(columns))
        return super().with_columns(df, columns)


class PolarsLazyFrameBackend(NarwhalsBackend):
    """``pl.LazyFrame`` -> ``pl.Expr`` columns (``pl.col(name)``), evaluated on collect."""

    def __init__(self) -> None:
        super().__init__("polars_lazyframe", (pl.LazyFrame,), pl.Expr)

    def column_names(self, df: Any) -> list[str]:
        return df.collect_schema().names()

    def get_column(self, df: Any, name: str) -> pl.Expr:
        # Resolving the schema costs no data, and a misspelt column then fails at the node that
        # extracts it rather than at the final collect.
        if name not in self.column_names(df):
            raise KeyError(name)
        return pl.col(name)

    def fill_with_scalar(self, df: Any, name: str, value: Any) -> Any:
        return df.with_columns(pl.lit(value).alias(name))

    def with_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        return df.with_columns(**_native_columns(columns)) if columns else df
