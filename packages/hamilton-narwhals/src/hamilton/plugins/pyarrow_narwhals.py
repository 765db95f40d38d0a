"""The ``pyarrow`` plugin: ``pyarrow.Table`` gets the shared narwhals column backend and validators,
and tables, record batches and arrays get fingerprints (:mod:`hamilton.plugins.pyarrow_fingerprints`).

Loaded lazily (entry point ``pyarrow``) the first time a ``pyarrow`` value is dispatched, so
``extract_columns``/``with_columns``/``@check_output`` work on tables (columns are
``pyarrow.ChunkedArray``) without pandas or polars.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    import pyarrow as pa

    from hamilton.plugins.narwhals_backend import NarwhalsBackend

    return [NarwhalsBackend("pyarrow", (pa.Table,), pa.ChunkedArray)]


@hookimpl
def hamilton_validators() -> Collection[type]:
    import pyarrow as pa

    from hamilton.plugins.narwhals_validators import validators_for

    return validators_for((pa.ChunkedArray,), (pa.Table,))


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton.plugins.pyarrow_fingerprints import FINGERPRINTERS

    return FINGERPRINTERS
