"""The store interfaces of 1.x's cache, and how a stored result is packed.

``StoredResult`` wraps a value with an optional expiry. Saved as is, the pickle holds the value;
with a saver/loader pair (``@cache(format="json")``), the saver writes the value in that format
and the pickle holds the loader that reads it back.
"""

from __future__ import annotations

import abc
import pickle
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

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
        """The bytes to store: the pickled value, or (after saving it) the pickled loader."""
        if self.saver is None:
            return pickle.dumps(self.value)
        self.saver.save_data(data=self.value)
        return pickle.dumps(self.loader)

    @classmethod
    def load(cls, raw: bytes) -> StoredResult:
        """Read bytes made by :meth:`save`; raises :class:`ResultRetrievalError` if unreadable."""
        try:
            loaded = pickle.loads(raw)
        except Exception as error:
            raise ResultRetrievalError(f"cannot unpickle the stored result: {error!r}") from error
        if isinstance(loaded, DataLoader):
            try:
                value, _ = loaded.load_data(None)
            except Exception as error:
                raise ResultRetrievalError(f"{type(loaded).__name__} could not load it: {error!r}") from error
            return cls.new(value=value)
        return cls.new(value=loaded)
