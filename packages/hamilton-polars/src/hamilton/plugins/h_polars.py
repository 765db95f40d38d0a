"""Polars DataFrames out of a run: 1.x's ``PolarsDataFrameResult`` and ``with_columns``.

``PolarsDataFrameResult`` combines the requested outputs into one ``pl.DataFrame``, with 1.x's
rules:

* one output that is a DataFrame is the result; a LazyFrame is collected;
* one output that is a Series becomes a one-column frame named after the output;
* one output of any other kind (a scalar, a list, a dict) becomes a one-row frame;
* several outputs become the columns of ``pl.DataFrame(outputs)``: series and lists are
  columns, scalars are broadcast, a DataFrame becomes a struct column named after its output
  (polars' own rule). LazyFrames are collected first (1.x made object columns of them).

Outputs of different lengths fail with polars' ``ShapeError``, naming each output's length.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from hamilton import base
from hamilton.function_modifiers import recursive


def _describe(name: str, value: Any) -> str:
    kind = type(value).__name__
    if isinstance(value, (pl.DataFrame, pl.Series)):
        return f"{name} ({kind}, {len(value)} rows)"
    if isinstance(value, (list, tuple)):
        return f"{name} ({kind} of {len(value)})"
    return f"{name} ({kind})"


def _refuse_expressions(builder: str, outputs: dict[str, Any]) -> None:
    expressions = [name for name, value in outputs.items() if isinstance(value, pl.Expr)]
    if expressions:
        raise TypeError(
            f"{builder}: output(s) {expressions} are polars expressions (pl.Expr), which mean nothing "
            "without a frame to evaluate them on. Request the frame they are applied to (e.g. the node "
            "of an @with_columns function) instead, or build a DictResult."
        )


def combine(builder: str, outputs: dict[str, Any], constructor: type) -> Any:
    """``constructor(outputs)`` (``pl.DataFrame`` or ``pl.LazyFrame``) with LazyFrames collected
    first, and polars' errors naming the outputs and their sizes."""
    _refuse_expressions(builder, outputs)
    columns = {name: value.collect() if isinstance(value, pl.LazyFrame) else value for name, value in outputs.items()}
    try:
        return constructor(columns)
    except pl.exceptions.ShapeError as error:
        described = ", ".join(_describe(name, value) for name, value in columns.items())
        raise pl.exceptions.ShapeError(
            f"{builder} could not combine the outputs {described} into one frame: {error}. Request outputs of "
            "the same length (scalars are repeated), or use a DictResult to get them as they are."
        ) from error


class PolarsDataFrameResult(base.ResultMixin):
    """Builds a ``pl.DataFrame`` from a run's outputs (see the module docstring for the rules).

    Use it as ``driver.Builder().with_modules(funcs).with_adapters(PolarsDataFrameResult())``, or
    by name: ``hamilton.plugins.result_builder("polars")``.
    """

    @staticmethod
    def build_result(**outputs: Any) -> pl.DataFrame:
        if len(outputs) == 1:
            ((name, value),) = outputs.items()
            if isinstance(value, pl.DataFrame):
                return value
            if isinstance(value, pl.LazyFrame):
                return value.collect()
            if not isinstance(value, (pl.Series, pl.Expr)):
                return pl.DataFrame({name: [value]})
        return combine("PolarsDataFrameResult", outputs, pl.DataFrame)

    def output_type(self) -> type:
        return pl.DataFrame


class with_columns(recursive.with_columns):  # lower case: 1.x's public name
    """``@with_columns`` for ``pl.DataFrame`` parameters: column functions take and return
    ``pl.Series`` (or ``pl.Expr``, evaluated on the frame, with ``on_input`` and ``select``).

    The same decorator as :class:`hamilton.function_modifiers.recursive.with_columns`, which
    works on any registered frame type; this one insists the parameter is a ``pl.DataFrame``.
    """

    dataframe_type = pl.DataFrame
