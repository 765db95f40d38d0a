"""The ``numpy`` plugin: ``.npy`` files, 1.x's ``NumpyMatrixResult`` and fingerprints of arrays.

Entry point ``numpy``: loaded when a numpy value is first dispatched (e.g. fingerprinted for
the cache), or when the format ``npy`` or the result builder ``"numpy"`` is asked for.
Fingerprints: :mod:`hamilton.plugins.numpy_fingerprints`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Collection, Mapping
from typing import IO, Any

import numpy as np

from hamilton.base import ResultMixin
from hamilton.io import utils
from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"
COLUMN_FRIENDLY_DF_TYPE = False  # 1.x: a numpy array is not a dataframe with named columns


class NumpyMatrixResult(ResultMixin):
    """The outputs as the columns of a ``numpy.matrix`` (1.x): vectors must share one length;
    ``int``/``float`` outputs are repeated on every row."""

    @staticmethod
    def build_result(**outputs: Any) -> np.matrix:
        rows = None
        for name, value in outputs.items():
            if isinstance(value, (int, float)):
                continue
            if rows is None:
                rows = len(value)
            elif len(value) != rows:
                raise ValueError(
                    f"Error, got non scalar result that mismatches length of other vector. Got {len(value)} for "
                    f"{name} instead of {rows}. Request outputs of one length (scalars are repeated)."
                )
        rows = 1 if rows is None else rows
        columns = [[value] * rows if isinstance(value, (int, float)) else list(value) for value in outputs.values()]
        return np.asmatrix(columns).T

    def input_types(self) -> list[type]:
        return [Any]

    def output_type(self) -> type:
        import pandas as pd

        return pd.DataFrame  # sic: 1.x declared this


@dataclasses.dataclass
class NumpyNpyWriter(DataSaver):
    """Writes an array to a ``.npy`` file with ``numpy.save`` (format ``npy``)."""

    path: str | os.PathLike | IO
    allow_pickle: bool | None = None
    fix_imports: bool | None = None

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [np.ndarray]

    @classmethod
    def name(cls) -> str:
        return "npy"

    def save_data(self, data: np.ndarray) -> dict[str, Any]:
        options = {
            name: value
            for name, value in (("allow_pickle", self.allow_pickle), ("fix_imports", self.fix_imports))
            if value is not None  # unset: numpy's defaults
        }
        np.save(self.path, data, **options)
        return utils.get_file_metadata(self.path)


@dataclasses.dataclass
class NumpyNpyReader(DataLoader):
    """Reads an array from a ``.npy`` file with ``numpy.load`` (format ``npy``)."""

    path: str | os.PathLike | IO
    mmap_mode: str | None = None
    allow_pickle: bool = False
    fix_imports: bool = True
    encoding: str = "ASCII"

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [np.ndarray]

    @classmethod
    def name(cls) -> str:
        return "npy"

    def load_data(self, type_: type) -> tuple[np.ndarray, dict[str, Any]]:
        array = np.load(
            self.path,
            mmap_mode=self.mmap_mode,
            allow_pickle=self.allow_pickle,
            fix_imports=self.fix_imports,
            encoding=self.encoding,
        )
        return array, utils.get_file_metadata(self.path)


@hookimpl
def hamilton_materializers() -> Collection[type]:
    return [NumpyNpyReader, NumpyNpyWriter]


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    return {"numpy": NumpyMatrixResult}


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton.plugins.numpy_fingerprints import FINGERPRINTERS

    return FINGERPRINTERS
