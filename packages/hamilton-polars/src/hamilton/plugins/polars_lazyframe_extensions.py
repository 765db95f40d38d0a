"""LazyFrames for Hamilton (1.x's module): lazy ``csv``/``parquet``/``feather`` loaders.

``load_from.csv(file=..., )`` for a parameter typed ``pl.LazyFrame`` scans the file instead
of reading it (``pl.scan_csv``...): polars reads only what the final query needs. The loaders
take the fields of their eager twins in :mod:`hamilton.plugins.polars_io`; ``columns=`` becomes
a ``select`` of the scan. LazyFrames' columns are ``pl.Expr`` (see
:class:`~hamilton.plugins.polars_backend.PolarsLazyFrameBackend`). Registered by the
``polars`` plugin (:mod:`hamilton.plugins.polars_extensions`).
"""

import dataclasses
import glob
import os
from collections.abc import Callable, Collection
from typing import Any

import polars as pl

from hamilton.io import utils
from hamilton.plugins import polars_io

DATAFRAME_TYPE = pl.LazyFrame
COLUMN_TYPE = pl.Expr


def _check_exists(source: Any) -> None:
    """Scans fail only when collected; a missing local file (not a glob) fails here instead,
    at the loader, where Hamilton names the node and the path."""
    if polars_io.is_local_path(source) and not glob.has_magic(os.fspath(source)) and not os.path.exists(source):
        raise FileNotFoundError(f"No such file to scan: {os.fspath(source)!r}")


class PolarsScanReader:
    """Mixin turning an eager polars reader into a lazy one: ``scan_function`` replaces its
    ``read_function``, and ``columns`` selects from the scan."""

    scan_function = ""

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [pl.LazyFrame]

    def _load_function(self) -> Callable[..., Any]:
        return getattr(pl, self.scan_function)

    def _passed_apart(self) -> tuple[str, ...]:
        return (self.source_field, "columns")  # columns: a select of the scan

    def read(self, source: Any) -> pl.LazyFrame:
        _check_exists(source)
        frame = self._load_function()(source, **self._get_loading_kwargs())
        columns = self.columns
        if columns is None:
            return frame
        if all(isinstance(column, int) for column in columns):
            return frame.select(pl.nth(*columns))
        return frame.select(list(columns))

    def load_data(self, type_: type) -> tuple[pl.LazyFrame, dict[str, Any]]:
        source = getattr(self, self.source_field)
        # File metadata only: dataframe metadata would resolve the scan's schema.
        return self.read(source), utils.get_file_metadata(source)


@dataclasses.dataclass
class PolarsScanCSVReader(PolarsScanReader, polars_io.PolarsCSVReader):
    """CSV through ``pl.scan_csv``."""

    scan_function = "scan_csv"


@dataclasses.dataclass
class PolarsScanParquetReader(PolarsScanReader, polars_io.PolarsParquetReader):
    """Parquet through ``pl.scan_parquet``."""

    scan_function = "scan_parquet"


@dataclasses.dataclass
class PolarsScanFeatherReader(PolarsScanReader, polars_io.PolarsFeatherReader):
    """Feather (Arrow IPC) through ``pl.scan_ipc``."""

    scan_function = "scan_ipc"


POLARS_LAZYFRAME_ADAPTERS: list[type] = [PolarsScanCSVReader, PolarsScanParquetReader, PolarsScanFeatherReader]
