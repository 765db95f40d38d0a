"""The column backend of ``pandas.DataFrame``: the shared narwhals backend, aligned on the index.

Everything comes from :class:`~hamilton.plugins.narwhals_backend.NarwhalsBackend` except adding
columns: pandas assigns a Series by index label (1.x's ``with_columns`` used
``DataFrame.assign``), where narwhals assigns by position.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from hamilton.plugins.narwhals_backend import NarwhalsBackend


class PandasBackend(NarwhalsBackend):
    """``pandas.DataFrame`` frames, ``pandas.Series`` columns."""

    def __init__(self) -> None:
        super().__init__("pandas", (pd.DataFrame,), pd.Series)

    def get_column(self, df: pd.DataFrame, name: str) -> pd.Series:
        return df[name]  # the hot path of extract_columns: no conversion needed (KeyError when missing)

    def with_columns(self, df: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
        return df.assign(**{str(name): value for name, value in columns.items()}) if columns else df

    def select(self, df: pd.DataFrame, names: Any) -> pd.DataFrame:
        # A fresh list of labels, so the column index has pandas' own dtype for string labels
        # (pandas 3: `str`), as a frame built from those columns would (narwhals keeps `object`).
        selected = df[list(names)]
        selected.columns = list(names)
        return selected
