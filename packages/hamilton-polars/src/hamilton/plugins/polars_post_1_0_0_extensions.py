"""1.x's home of the polars loaders and savers; they live in :mod:`hamilton.plugins.polars_io`
now, and this module keeps ``from hamilton.plugins.polars_post_1_0_0_extensions import ...``
working, with 1.x's ``DATAFRAME_TYPE``/``COLUMN_TYPE`` and ``register_data_loaders()``."""

import polars as pl

from hamilton.plugins.polars_io import (
    PolarsAvroReader,
    PolarsAvroWriter,
    PolarsCSVReader,
    PolarsCSVWriter,
    PolarsDatabaseReader,
    PolarsDatabaseWriter,
    PolarsFeatherReader,
    PolarsFeatherWriter,
    PolarsJSONReader,
    PolarsJSONWriter,
    PolarsNDJSONReader,
    PolarsNDJSONWriter,
    PolarsParquetReader,
    PolarsParquetWriter,
    PolarsSpreadsheetReader,
    PolarsSpreadsheetWriter,
)

# 1.x's names for the types this module served.
DATAFRAME_TYPE = pl.DataFrame
COLUMN_TYPE = pl.Series


def register_data_loaders() -> None:
    """Make the polars loaders and savers available now, as 1.x's function did.

    They register with the polars plugin, which loads by itself when a polars value or format
    is first met; calling this loads it explicitly (e.g. with ``HAMILTON_AUTOLOAD_EXTENSIONS=0``).
    """
    from hamilton import plugins

    plugins.load("polars")


__all__ = [  # 1.x's: the classes
    "PolarsAvroReader",
    "PolarsAvroWriter",
    "PolarsCSVReader",
    "PolarsCSVWriter",
    "PolarsDatabaseReader",
    "PolarsDatabaseWriter",
    "PolarsFeatherReader",
    "PolarsFeatherWriter",
    "PolarsJSONReader",
    "PolarsJSONWriter",
    "PolarsNDJSONReader",
    "PolarsNDJSONWriter",
    "PolarsParquetReader",
    "PolarsParquetWriter",
    "PolarsSpreadsheetReader",
    "PolarsSpreadsheetWriter",
]
