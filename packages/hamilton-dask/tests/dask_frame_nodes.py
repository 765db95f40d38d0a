"""A dataflow over dask DataFrames: extract_columns on a lazy frame."""

from __future__ import annotations

import dask.dataframe as dd

from hamilton.function_modifiers import extract_columns


@extract_columns("a", "b")
def frame(raw: dd.DataFrame) -> dd.DataFrame:
    return raw


def a_plus_b(a: dd.Series, b: dd.Series) -> dd.Series:
    return a + b
