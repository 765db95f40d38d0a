"""The ``pandas`` plugin: what Hamilton needs to work with ``pandas.DataFrame`` and ``Series``.

Entry point ``pandas``: loaded the first time a pandas value is dispatched (``extract_columns``,
``with_columns``, ``@check_output``, fingerprinting) or a format/result builder it provides is
asked for. It contributes

* the column backend (:class:`~hamilton.plugins.pandas_backend.PandasBackend`);
* the ``@check_output`` validators of series and frames (shared with polars, via narwhals);
* 1.x's loaders/savers (``csv``, ``parquet``, ``feather``, ``json``, ``pickle``, ``excel``,
  ``sql``, ``xml``, ``html``, ``stata``, ``orc``, ``table``, ``fwf``, ``spss``);
* result builders ``"pandas"`` and ``"pandas_strict"``;
* fingerprints of frames, series, indexes, extension arrays and timestamps, for caching
  (:mod:`hamilton.plugins.pandas_fingerprints`).

1.x's module-level names (``DATAFRAME_TYPE``, ``Pandas*Reader``...) stay importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import pandas as pd

from hamilton.plugins.hookspecs import hookimpl
from hamilton.plugins.pandas_io import *  # noqa: F403 (1.x's reader/writer names live here)
from hamilton.plugins.pandas_io import READERS, WRITERS

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

DATAFRAME_TYPE = pd.DataFrame
COLUMN_TYPE = pd.Series


def get_column_pandas(df: pd.DataFrame, column_name: str) -> pd.Series:
    """1.x's column getter of ``extract_columns``."""
    return df[column_name]


def fill_with_scalar_pandas(df: pd.DataFrame, column_name: str, value: Any) -> pd.DataFrame:
    """1.x's filler of ``extract_columns(fill_with=...)`` (returns a new frame; 1.x changed ``df``)."""
    return df.assign(**{column_name: value})


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    from hamilton.plugins.pandas_backend import PandasBackend

    return [PandasBackend()]


@hookimpl
def hamilton_validators() -> Collection[type]:
    from hamilton.plugins.pandas_validators import VALIDATORS

    return list(VALIDATORS)


@hookimpl
def hamilton_materializers() -> Collection[type]:
    return [*READERS, *WRITERS]


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.pandas_results import PandasDataFrameResult, StrictIndexTypePandasDataFrameResult

    return {"pandas": PandasDataFrameResult, "pandas_strict": StrictIndexTypePandasDataFrameResult}


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton.plugins.pandas_fingerprints import FINGERPRINTERS

    return FINGERPRINTERS
