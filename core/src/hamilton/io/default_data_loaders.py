"""The formats core ships: they need nothing beyond the standard library.

=============== ======== ======================================= ==========================
format          loads    saves                                   arguments
=============== ======== ======================================= ==========================
``json``        dict/list dict/list                              ``path``
``file``        str; bytes str; bytes/BytesIO                    ``path``, ``encoding``
``pickle``      anything anything                                ``path``
``environment`` dict     —                                       ``names``
``literal``     anything —                                       ``value``
``memory``      —        anything (the metadata *is* the value)  —
=============== ======== ======================================= ==========================

They keep 1.x's class names and dataclass fields (``RawFileDataLoaderBytes``, reading a file
into ``bytes``, is new). Savers write atomically (see
:mod:`hamilton.io.atomic`); file formats return :func:`hamilton.io.utils.get_file_metadata`.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
from collections.abc import Collection
from pathlib import Path
from typing import Any

from hamilton.io.atomic import atomic_write
from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.io.utils import get_file_metadata


class _FilePath:
    """Checks ``path`` when the adapter is built, so ``path=None`` (a forgotten argument) is
    reported naming the adapter and the parameter rather than as a bare ``TypeError`` from ``open``."""

    path: Any

    def __post_init__(self) -> None:
        if not isinstance(self.path, (str, os.PathLike)):
            kind = "saver" if isinstance(self, DataSaver) else "loader"
            decorator = "to" if kind == "saver" else "from_"
            raise TypeError(
                f"{type(self).__qualname__}: parameter 'path' must be a file path (str or os.PathLike), "
                f"not {self.path!r}. Pass path=... to {decorator}.{self.name()}(...) (or to the "
                f"@{'save_to' if kind == 'saver' else 'load_from'}.{self.name()} decorator)."
            )


@dataclasses.dataclass
class JSONDataLoader(_FilePath, DataLoader):
    path: str

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [dict, list]

    @classmethod
    def name(cls) -> str:
        return "json"

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        with open(self.path, encoding="utf-8") as handle:
            return json.load(handle), get_file_metadata(self.path)


@dataclasses.dataclass
class JSONDataSaver(_FilePath, DataSaver):
    path: str

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [dict, list]

    @classmethod
    def name(cls) -> str:
        return "json"

    def save_data(self, data: Any) -> dict[str, Any]:
        with atomic_write(self.path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        return get_file_metadata(self.path)


@dataclasses.dataclass
class RawFileDataLoader(_FilePath, DataLoader):
    path: str
    encoding: str = "utf-8"

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [str]

    @classmethod
    def name(cls) -> str:
        return "file"

    def load_data(self, type_: type) -> tuple[str, dict[str, Any]]:
        with open(self.path, encoding=self.encoding) as handle:
            return handle.read(), get_file_metadata(self.path)


@dataclasses.dataclass
class RawFileDataLoaderBytes(_FilePath, DataLoader):
    path: Path | str

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [bytes]

    @classmethod
    def name(cls) -> str:
        return "file"

    def load_data(self, type_: type) -> tuple[bytes, dict[str, Any]]:
        with open(self.path, "rb") as handle:
            return handle.read(), get_file_metadata(self.path)


@dataclasses.dataclass
class RawFileDataSaver(_FilePath, DataSaver):
    path: str
    encoding: str = "utf-8"

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [str]

    @classmethod
    def name(cls) -> str:
        return "file"

    def save_data(self, data: str) -> dict[str, Any]:
        with atomic_write(self.path, "w", encoding=self.encoding) as handle:
            handle.write(data)
        return get_file_metadata(self.path)


@dataclasses.dataclass
class RawFileDataSaverBytes(_FilePath, DataSaver):
    path: Path | str

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [bytes, io.BytesIO]

    @classmethod
    def name(cls) -> str:
        return "file"

    def save_data(self, data: bytes | io.BytesIO) -> dict[str, Any]:
        content = data.getvalue() if isinstance(data, io.BytesIO) else data
        with atomic_write(self.path, "wb") as handle:
            handle.write(content)
        return get_file_metadata(self.path)


@dataclasses.dataclass
class PickleLoader(_FilePath, DataLoader):
    path: str

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [object, Any]

    @classmethod
    def name(cls) -> str:
        return "pickle"

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        with open(self.path, "rb") as handle:
            return pickle.load(handle), get_file_metadata(self.path)


@dataclasses.dataclass
class PickleSaver(_FilePath, DataSaver):
    path: str

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [object]

    @classmethod
    def name(cls) -> str:
        return "pickle"

    def save_data(self, data: Any) -> dict[str, Any]:
        with atomic_write(self.path, "wb") as handle:
            pickle.dump(data, handle)
        return get_file_metadata(self.path)


@dataclasses.dataclass
class EnvVarDataLoader(DataLoader):
    names: tuple[str, ...]

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [dict]

    @classmethod
    def name(cls) -> str:
        return "environment"

    def load_data(self, type_: type) -> tuple[dict[str, str], dict[str, Any]]:
        missing = [name for name in self.names if name not in os.environ]
        if missing:
            raise KeyError(f"Environment variable(s) {missing} are not set.")
        return {name: os.environ[name] for name in self.names}, {}


@dataclasses.dataclass
class LiteralValueDataLoader(DataLoader):
    value: Any

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [Any]

    @classmethod
    def name(cls) -> str:
        return "literal"

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        return self.value, {}


@dataclasses.dataclass
class InMemoryResult(DataSaver):
    """Keeps the value: ``materialize`` returns it in place of metadata."""

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [Any]

    @classmethod
    def name(cls) -> str:
        return "memory"

    def save_data(self, data: Any) -> Any:
        return data


DATA_ADAPTERS: list[type] = [
    JSONDataSaver,
    JSONDataLoader,
    LiteralValueDataLoader,
    RawFileDataLoader,
    RawFileDataLoaderBytes,
    RawFileDataSaver,
    RawFileDataSaverBytes,
    PickleLoader,
    PickleSaver,
    EnvVarDataLoader,
    InMemoryResult,
]
