"""The ``dask`` plugin: the executor ``"dask"``, dask dataframes as column types, 1.x's names.

Entry point ``dask``: loaded the first time a dask value is dispatched (``extract_columns`` on a
dask DataFrame) or the executor ``"dask"`` / result builder ``"dask_dataframe"`` is asked for.
It contributes

* the task executor ``"dask"`` (:class:`~hamilton.plugins.h_dask.DaskExecutor`):
  ``Builder().enable_dynamic_execution(...).with_remote_executor("dask")``;
* the result builder ``"dask_dataframe"`` (:class:`~hamilton.plugins.h_dask.DaskDataFrameResult`);
* the column backend of ``dask.dataframe.DataFrame`` (``extract_columns``, ``with_columns``,
  schema capture), when ``dask[dataframe]`` is installed.

Importing this module does not import ``dask.dataframe`` (pandas, pyarrow): 1.x's module-level
names ``DATAFRAME_TYPE`` and ``COLUMN_TYPE`` are resolved when first read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


def get_column_dask(df: Any, column_name: str) -> Any:
    """1.x's column getter of ``extract_columns`` for dask frames."""
    return df[column_name]


def fill_with_scalar_dask(df: Any, column_name: str, value: Any) -> Any:
    """1.x's filler of ``extract_columns(fill_with=...)`` (returns a new frame)."""
    return df.assign(**{column_name: value})


def register_types() -> None:
    """1.x registered dask's types with ``hamilton.registry`` here; in 2.0 the plugin's column
    backend does it when the plugin loads, so this does nothing (kept for 1.x callers)."""


@hookimpl
def hamilton_executors() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.h_dask import DaskExecutor

    return {"dask": DaskExecutor}


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.dask_results import DaskDataFrameResult

    return {"dask_dataframe": DaskDataFrameResult}


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    try:
        from hamilton.plugins.dask_backend import DaskBackend
    except ImportError:  # dask without its dataframe extra: executors only
        return []
    return [DaskBackend()]


def __getattr__(name: str) -> Any:
    if name in ("DATAFRAME_TYPE", "COLUMN_TYPE"):
        import dask.dataframe as dd

        return dd.DataFrame if name == "DATAFRAME_TYPE" else dd.Series
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
