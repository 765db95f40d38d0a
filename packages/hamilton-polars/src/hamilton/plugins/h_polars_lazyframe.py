"""Polars LazyFrames out of a run: 1.x's ``PolarsLazyFrameResult`` and ``with_columns``.

``PolarsLazyFrameResult`` keeps the result lazy, so nothing is computed until the caller
collects it:

* one output that is a LazyFrame is the result; a DataFrame is made lazy;
* anything else is ``pl.LazyFrame(outputs)``: series and lists are columns, scalars a single
  row (or broadcast beside columns), DataFrames struct columns, LazyFrames collected first.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from hamilton import base
from hamilton.function_modifiers import recursive
from hamilton.plugins.h_polars import combine


class PolarsLazyFrameResult(base.ResultMixin):
    """Builds a ``pl.LazyFrame`` from a run's outputs (see the module docstring for the rules)."""

    @staticmethod
    def build_result(**outputs: Any) -> pl.LazyFrame:
        if len(outputs) == 1:
            (value,) = outputs.values()
            if isinstance(value, pl.LazyFrame):
                return value
            if isinstance(value, pl.DataFrame):
                return value.lazy()
        return combine("PolarsLazyFrameResult", outputs, pl.LazyFrame)

    def output_type(self) -> type:
        return pl.LazyFrame


class with_columns(recursive.with_columns):  # lower case: 1.x's public name
    """``@with_columns`` for ``pl.LazyFrame`` parameters: column functions take and return
    ``pl.Expr``; the columns are computed when the frame is collected.

    The same decorator as :class:`hamilton.function_modifiers.recursive.with_columns`; this one
    insists the parameter is a ``pl.LazyFrame``.
    """

    dataframe_type = pl.LazyFrame
