"""Results as files: one per data version, directly in the cache directory (1.x's layout).

Files are written atomically (temporary file + rename), so a crash or a concurrent run never
leaves half a result under a data version's name. A file that is unreadable anyway (truncated
or corrupted by something else) makes :meth:`FileResultStore.get` raise
:class:`~hamilton.caching.stores.base.ResultRetrievalError` naming it; the adapter then deletes
it and recomputes the node.
"""

from __future__ import annotations

import inspect
import os
import shutil
from pathlib import Path
from typing import Any

from hamilton.caching.stores.base import ResultRetrievalError, ResultStore, StoredResult
from hamilton.io.atomic import atomic_write


def _with_path(cls: type, path: Path, role: str) -> Any:
    """Instantiate a saver/loader class on ``path`` (its parameter is ``file`` or ``path``)."""
    parameters = inspect.signature(cls).parameters
    for name in ("file", "path"):
        if name in parameters:
            return cls(**{name: str(path.absolute())})
    raise ValueError(f"{role} [{cls.name()}] must have either `file` or `path` as an argument.")


class FileResultStore(ResultStore):
    """Pickled results in ``path``; with a saver/loader pair, the data in ``<version>.<format>``."""

    def __init__(self, path: str, create_dir: bool = True) -> None:
        self.path = Path(path)
        self._directory = str(self.path)  # plain strings on the per-node path: pathlib is slower
        self.create_dir = create_dir
        if create_dir:
            self.path.mkdir(parents=True, exist_ok=True)

    def __getstate__(self) -> dict:
        """The constructor's arguments: executors re-create the store in their thread/process."""
        return {"path": str(self.path), "create_dir": self.create_dir}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    def _path_from_data_version(self, data_version: str) -> Path:
        return self.path / data_version

    def _materialized_path(self, data_version: str, saver_cls: Any) -> Path:
        """Where a saver writes the data of ``data_version`` (the format as file extension)."""
        return self._path_from_data_version(data_version).with_suffix(f".{saver_cls.name()}")

    def exists(self, data_version: str) -> bool:
        return os.path.exists(os.path.join(self._directory, data_version))

    def set(self, data_version: str, result: Any, saver_cls: Any = None, loader_cls: Any = None, **kwargs: Any) -> None:
        """Store ``result``; with ``saver_cls``/``loader_cls``, through that format."""
        if (saver_cls is None) != (loader_cls is None):
            raise ValueError(
                "Must pass both `saver` and `loader` or neither. Currently received: "
                f"`saver`: `{saver_cls}`; `loader`: `{loader_cls}`"
            )
        saver = loader = None
        if saver_cls is not None:
            materialized = self._materialized_path(data_version, saver_cls)
            saver = _with_path(saver_cls, materialized, "Saver")
            loader = _with_path(loader_cls, materialized, "Loader")
        self.path.mkdir(parents=True, exist_ok=True)
        payload = StoredResult.new(value=result, saver=saver, loader=loader).save()
        with atomic_write(self._path_from_data_version(data_version), "wb") as handle:
            handle.write(payload)

    def _load(self, path: str | Path) -> StoredResult | None:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            return None
        try:
            return StoredResult.load(raw)
        except ResultRetrievalError as error:
            raise ResultRetrievalError(f"Cached result file {path} is unreadable: {error}") from error

    def get(self, data_version: str, **kwargs: Any) -> Any | None:
        """The stored result, ``None`` if there is no file; raises ResultRetrievalError if unreadable."""
        stored = self._load(os.path.join(self._directory, data_version))
        return None if stored is None else stored.value

    def delete(self, data_version: str) -> None:
        self._path_from_data_version(data_version).unlink(missing_ok=True)
        for materialized in self.path.glob(f"{data_version}.*"):
            materialized.unlink(missing_ok=True)

    def delete_all(self) -> None:
        """Remove the directory with everything in it (metadata database included), then re-create it."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)

    def delete_expired(self) -> None:
        """Remove results whose expiry has passed (files with an extension belong to formats or the
        metadata database and are left alone)."""
        for path in self.path.iterdir():
            if not path.is_file() or path.suffix or path.name.startswith("."):
                continue
            try:
                stored = self._load(path)
            except ResultRetrievalError:
                continue
            if stored is not None and stored.expired:
                self.delete(path.name)
