"""The ``polars`` plugin: what Hamilton needs to work with polars values.

Entry point ``polars`` in the ``hamilton.plugins`` group, so Hamilton loads it lazily: the first
time a polars value or type is dispatched (a frame to extract columns from, a value to save or
fingerprint), or when a name it serves (format ``ndjson``, result builder ``polars``) is looked
up. Importing it by hand (1.x's ``from hamilton.plugins import polars_extensions``) is harmless.

It registers:

* column backends for ``pl.DataFrame`` (``pl.Series`` columns) and ``pl.LazyFrame``
  (``pl.Expr`` columns) — :mod:`~hamilton.plugins.polars_backend`;
* the ``@check_output`` validators of ``pl.Series`` and ``schema=`` of ``pl.DataFrame``/``pl.LazyFrame``
  (shared with pandas);
* the formats of :mod:`~hamilton.plugins.polars_io` and the lazy scans of
  :mod:`~hamilton.plugins.polars_lazyframe_extensions`;
* result builders ``"polars"`` and ``"polars_lazy"``, and fingerprints of frames and series.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import polars as pl

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

# 1.x's names for the types this module registered.
DATAFRAME_TYPE = pl.DataFrame
COLUMN_TYPE = pl.Series


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    from hamilton.plugins.polars_backend import PolarsBackend, PolarsLazyFrameBackend

    return [PolarsBackend(), PolarsLazyFrameBackend()]


@hookimpl
def hamilton_validators() -> Collection[type]:
    from hamilton.plugins.narwhals_validators import validators_for

    # A LazyFrame's schema is known without computing it, so schema= checks LazyFrames too.
    return validators_for((pl.Series,), (pl.DataFrame, pl.LazyFrame))


@hookimpl
def hamilton_materializers() -> Collection[type]:
    from hamilton.plugins.polars_io import POLARS_ADAPTERS
    from hamilton.plugins.polars_lazyframe_extensions import POLARS_LAZYFRAME_ADAPTERS

    return [*POLARS_ADAPTERS, *POLARS_LAZYFRAME_ADAPTERS]


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.h_polars import PolarsDataFrameResult
    from hamilton.plugins.h_polars_lazyframe import PolarsLazyFrameResult

    return {"polars": PolarsDataFrameResult, "polars_lazy": PolarsLazyFrameResult}


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton.plugins.polars_fingerprints import FINGERPRINTERS

    return FINGERPRINTERS
