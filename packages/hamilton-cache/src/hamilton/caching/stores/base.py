"""The store interfaces of 1.x's cache, and how a stored result is packed.

``StoredResult`` wraps a value with an optional expiry. Saved as is, the pickle holds the value;
with a saver/loader pair (``@cache(format="json")``), the saver writes the value in that format
and the pickle holds a :class:`MaterializedResult`: the loader that reads it back and the
XXH3-128 digest of what the saver wrote. Loading checks that digest before the loader runs, so
a format file changed on disk (edited, truncated, replaced) is reported instead of served; the
pickle itself is checked by the store that keeps it (see :mod:`hamilton.caching.stores.file`).
"""

from __future__ import annotations

import abc
import os
import pickle
import struct
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import xxhash

from hamilton.io.data_adapters import DataLoader, DataSaver


class ResultRetrievalError(Exception):
    """A stored result exists but cannot be read back (corrupt, truncated, loader failed)."""


def search_data_adapter_registry(name: str, type_: type) -> tuple[type[DataSaver], type[DataLoader]]:
    """The saver and loader classes registered as ``name`` that handle ``type_``.

    Raises ``KeyError`` when ``name`` lacks a saver or a loader, or none handles ``type_``.
    """
    from hamilton.htypes import custom_subclass_check
    from hamilton.registry import LOADER_REGISTRY, SAVER_REGISTRY

    if name not in SAVER_REGISTRY or name not in LOADER_REGISTRY:
        raise KeyError(
            f"{name} isn't associated to both a DataLoader and a DataSaver. Default saver/loader pairs "
            "include `json`, `file`, `pickle`, `parquet`, `csv`, `feather`, `orc`, `excel`. More pairs "
            "may be available through plugins."
        )

    def first_handling(classes: Sequence[type], kind: str) -> type:
        for cls in classes:
            if any(custom_subclass_check(type_, applicable) for applicable in cls.applicable_types()):
                return cls
        raise KeyError(f"{name} doesn't have any {kind} supporting type {type_}")

    return first_handling(SAVER_REGISTRY[name], "DataSaver"), first_handling(LOADER_REGISTRY[name], "DataLoader")


class ResultStore(abc.ABC):
    """Results keyed by data version."""

    @abc.abstractmethod
    def set(self, data_version: str, result: Any, **kwargs: Any) -> None:
        """Store ``result`` under ``data_version``."""

    @abc.abstractmethod
    def get(self, data_version: str, **kwargs: Any) -> Any | None:
        """The result stored under ``data_version``, or ``None`` when there is none."""

    @abc.abstractmethod
    def delete(self, data_version: str) -> None:
        """Forget the result stored under ``data_version``."""

    @abc.abstractmethod
    def delete_all(self) -> None:
        """Forget every result."""

    @abc.abstractmethod
    def exists(self, data_version: str) -> bool:
        """Whether :meth:`get` would find a result for ``data_version``."""


class MetadataStore(abc.ABC):
    """Cache key -> data version, plus the history of runs."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """Number of cache keys stored."""

    @abc.abstractmethod
    def initialize(self, run_id: str) -> None:
        """Prepare the store and record that run ``run_id`` started."""

    @abc.abstractmethod
    def set(self, cache_key: str, data_version: str, **kwargs: Any) -> Any | None:
        """Map ``cache_key`` to ``data_version`` (keyword metadata: run id, node name...)."""

    @abc.abstractmethod
    def get(self, cache_key: str, **kwargs: Any) -> str | None:
        """The data version of ``cache_key``, or ``None`` on a miss."""

    @abc.abstractmethod
    def delete(self, cache_key: str) -> None:
        """Forget ``cache_key``."""

    @abc.abstractmethod
    def delete_all(self) -> None:
        """Forget everything."""

    @abc.abstractmethod
    def exists(self, cache_key: str) -> bool:
        """Whether :meth:`get` would find a data version for ``cache_key``."""

    @abc.abstractmethod
    def get_run_ids(self) -> Sequence[str]:
        """Run ids, oldest start first."""

    @abc.abstractmethod
    def get_run(self, run_id: str) -> Sequence[dict]:
        """Per node of the run: ``cache_key`` and ``data_version`` (implementations may add more)."""

    @property
    def size(self) -> int:
        """Number of cache keys stored."""
        return len(self)

    @property
    def last_run_id(self) -> str:
        """The id of the run that started last."""
        return self.get_run_ids()[-1]

    def get_last_run(self) -> Any:
        """:meth:`get_run` of :attr:`last_run_id`."""
        return self.get_run(self.last_run_id)


_CHUNK_SIZE = 1 << 20  # digest big files in 1 MiB pieces: memory stays flat, speed stays at xxh3's
_pack_size = struct.Struct("<Q").pack


def _files_under(directory: str) -> list[tuple[str, str]]:
    """``(relative posix path, full path)`` of every file under ``directory``, sorted."""
    found = []
    for root, _, files in os.walk(directory):
        for name in files:
            full = os.path.join(root, name)
            found.append((os.path.relpath(full, directory).replace(os.sep, "/"), full))
    return sorted(found)


def _hash_file(path: str, hasher: Any, framed: bool) -> None:
    """Feed ``path``'s bytes to ``hasher`` (after its size when ``framed``); ``OSError`` if it
    changes size while being read."""
    with open(path, "rb", buffering=0) as handle:
        expected = os.fstat(handle.fileno()).st_size
        if framed:
            hasher.update(_pack_size(expected))
        buffer = memoryview(bytearray(min(_CHUNK_SIZE, max(expected, 1))))
        total = 0
        while count := handle.readinto(buffer):
            hasher.update(buffer[:count])
            total += count
    if total != expected:
        raise OSError(f"{path} changed size while it was read ({expected} -> {total} bytes)")


def digest_path(path: str | os.PathLike[str]) -> str:
    """The XXH3-128 (hex) of a materialised result: a file's bytes, or every file of a directory.

    A directory (a parquet dataset, say) is hashed file by file in sorted order, each framed by
    its relative path and size, so renaming a file or moving bytes between files changes the
    digest; a leading tag keeps a file apart from a directory holding the same bytes. Raises
    ``OSError`` (``FileNotFoundError`` when nothing is there).
    """
    path = os.fspath(path)
    hasher = xxhash.xxh3_128()
    if not os.path.isdir(path):
        hasher.update(b"f")
        _hash_file(path, hasher, framed=False)
        return hasher.hexdigest()
    hasher.update(b"d")
    for relative, full in _files_under(path):
        encoded = relative.encode("utf-8", "surrogateescape")
        hasher.update(_pack_size(len(encoded)) + encoded)
        _hash_file(full, hasher, framed=True)
    return hasher.hexdigest()


def _loader_target(loader: DataLoader) -> str:
    """The file or directory ``loader`` reads (its ``file`` or ``path`` field, as the stores set it)."""
    for name in ("file", "path"):
        target = getattr(loader, name, None)
        if isinstance(target, (str, os.PathLike)):
            return os.fspath(target)
    raise ValueError(
        f"Cannot cache through {type(loader).__name__}: it has no `file` or `path` field naming what it "
        "reads, so the cache could not check that data before loading it."
    )


class MaterializedResult:
    """What the pickle holds for a ``@cache(format=...)`` result: the loader, the path it reads,
    and the digest of that file (or directory) taken right after the saver wrote it."""

    __slots__ = ("digest", "loader", "path")

    def __init__(self, loader: DataLoader, path: str, digest: str) -> None:
        self.loader = loader
        self.path = path
        self.digest = digest

    def load(self) -> Any:
        """The value, once the data on disk is proven to be what was saved; else
        :class:`ResultRetrievalError` naming the data file."""
        try:
            actual = digest_path(self.path)
        except FileNotFoundError as error:
            raise ResultRetrievalError(f"its data file {self.path} is missing") from error
        except OSError as error:
            raise ResultRetrievalError(f"its data file {self.path} cannot be read ({error})") from error
        if actual != self.digest:
            raise ResultRetrievalError(
                f"its data file {self.path} changed since it was stored (checksum mismatch: edited, truncated "
                "or replaced)"
            )
        try:
            value, _ = self.loader.load_data(None)
        except Exception as error:
            raise ResultRetrievalError(f"{type(self.loader).__name__} could not load {self.path}: {error!r}") from error
        return value


class StoredResult:
    """A cached value with an optional expiry, and the saver/loader pair it is stored with."""

    def __init__(self, value: Any, expires_at: datetime | None = None, saver: Any = None, loader: Any = None):
        self.value = value
        self.expires_at = expires_at
        self.saver = saver
        self.loader = loader

    @classmethod
    def new(
        cls,
        value: Any,
        expires_in: timedelta | float | None = None,
        saver: DataSaver | None = None,
        loader: DataLoader | None = None,
    ) -> StoredResult:
        """A result expiring ``expires_in`` (seconds or timedelta) from now; saver and loader go together."""
        if (saver is None) != (loader is None):
            raise ValueError(
                "Must pass both `saver` and `loader` or neither. Currently received: "
                f"`saver`: `{saver}`; `loader`: `{loader}`"
            )
        if expires_in is not None and not isinstance(expires_in, timedelta):
            expires_in = timedelta(seconds=expires_in)
        expires_at = datetime.now(tz=timezone.utc) + expires_in if expires_in else None
        return cls(value=value, expires_at=expires_at, saver=saver, loader=loader)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and datetime.now(tz=timezone.utc) >= self.expires_at

    @property
    def expires_in(self) -> int:
        """Seconds left before expiry; ``-1`` if it never expires."""
        if self.expires_at is None:
            return -1
        return int(self.expires_at.timestamp() - datetime.now(tz=timezone.utc).timestamp())

    def save(self) -> bytes:
        """The bytes to store: the pickled value, or (after saving it through the saver) the
        pickled :class:`MaterializedResult` with the digest of what the saver wrote."""
        if self.saver is None:
            return pickle.dumps(self.value)
        target = _loader_target(self.loader)
        self.saver.save_data(data=self.value)
        return pickle.dumps(MaterializedResult(self.loader, target, digest_path(target)))

    def save_parts(self) -> tuple[bytes, list[memoryview]]:
        """:meth:`save`, with the data buffers pickle can leave out (protocol 5: numpy, pandas,
        pyarrow arrays) returned beside the pickle instead of copied into it."""
        if self.saver is not None:
            return self.save(), []
        buffers: list[pickle.PickleBuffer] = []
        pickled = pickle.dumps(self.value, protocol=5, buffer_callback=buffers.append)
        return pickled, [buffer.raw() for buffer in buffers]

    @classmethod
    def load(cls, raw: bytes | memoryview, buffers: Sequence[memoryview] = ()) -> StoredResult:
        """Read bytes made by :meth:`save` (or :meth:`save_parts`, with its ``buffers``); raises
        :class:`ResultRetrievalError` if unreadable, or if a format file no longer matches its
        digest."""
        try:
            loaded = pickle.loads(raw, buffers=buffers)
        except Exception as error:
            raise ResultRetrievalError(f"cannot unpickle the stored result: {error!r}") from error
        if isinstance(loaded, MaterializedResult):
            return cls.new(value=loaded.load())
        return cls.new(value=loaded)
