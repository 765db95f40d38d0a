"""The column backend of dask DataFrames: what ``extract_columns``, ``with_columns`` and schema
capture need. Everything stays lazy: no method computes the frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dask.dataframe as dd

from hamilton.plugins.interfaces import DataFrameBackend


class DaskBackend(DataFrameBackend):
    """``dask.dataframe.DataFrame`` with ``dask.dataframe.Series`` columns."""

    name = "dask"
    dataframe_types = (dd.DataFrame,)
    column_type = dd.Series

    def column_names(self, df: dd.DataFrame) -> list[str]:
        return [str(column) for column in df.columns]

    def get_column(self, df: dd.DataFrame, name: str) -> dd.Series:
        if name not in df.columns:  # known from the frame's metadata, without computing it
            raise KeyError(name)
        return df[name]

    def fill_with_scalar(self, df: dd.DataFrame, name: str, value: Any) -> dd.DataFrame:
        return df.assign(**{name: value})

    def with_columns(self, df: dd.DataFrame, columns: Mapping[str, Any]) -> dd.DataFrame:
        return df.assign(**dict(columns))

    def select(self, df: dd.DataFrame, names: Sequence[str]) -> dd.DataFrame:
        return df[list(names)]

    def schema(self, df: dd.DataFrame) -> dict[str, str]:
        return {str(column): str(dtype) for column, dtype in df.dtypes.items()}
