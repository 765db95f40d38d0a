"""1.x's home of the polars loaders and savers; they live in :mod:`hamilton.plugins.polars_io`
now, and this module keeps ``from hamilton.plugins.polars_post_1_0_0_extensions import ...``
working."""

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

__all__ = [
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
