"""Stores that live in memory: fast, gone with the process unless persisted.

``persist_to`` copies their content into another store (by default SQLite/files in
``./.hamilton_cache``); ``load_from`` builds one from another store's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hamilton.caching.cache_key import decode_key
from hamilton.caching.stores.base import MetadataStore, ResultStore, StoredResult

DEFAULT_PATH = "./.hamilton_cache"


class InMemoryMetadataStore(MetadataStore):
    """Cache key -> data version in a dict, with the keys each run used."""

    def __init__(self) -> None:
        self._data_versions: dict[str, str] = {}
        self._cache_keys_by_run: dict[str, list[str]] = {}
        self._run_ids: list[str] = []

    def __len__(self) -> int:
        return len(self._data_versions)

    def exists(self, cache_key: str) -> bool:
        return cache_key in self._data_versions

    def initialize(self, run_id: str) -> None:
        self._cache_keys_by_run[run_id] = []
        self._run_ids.append(run_id)

    def set(self, cache_key: str, data_version: str, run_id: str, **kwargs: Any) -> None:
        self._data_versions[cache_key] = data_version
        self._cache_keys_by_run.setdefault(run_id, []).append(cache_key)

    def set_many(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        """:meth:`set` for ``(cache_key, data_version, run_id, node_name, code_version)`` rows."""
        for cache_key, data_version, run_id, _, _ in rows:
            self.set(cache_key=cache_key, data_version=data_version, run_id=run_id)

    def get(self, cache_key: str, **kwargs: Any) -> str | None:
        return self._data_versions.get(cache_key)

    def delete(self, cache_key: str) -> None:
        self._data_versions.pop(cache_key, None)

    def delete_all(self) -> None:
        self._data_versions.clear()
        self._cache_keys_by_run.clear()
        self._run_ids.clear()

    def get_run_ids(self) -> list[str]:
        return self._run_ids

    def get_run(self, run_id: str) -> list[dict[str, Any]]:
        """Per stored node: cache key, data version and the decoded key's parts."""
        if run_id not in self._cache_keys_by_run:
            raise IndexError(f"Run ID not found: {run_id}")
        nodes = []
        for cache_key in self._cache_keys_by_run[run_id]:
            if cache_key not in self._data_versions:
                continue  # deleted since
            decoded = decode_key(cache_key)
            nodes.append(
                {
                    "cache_key": cache_key,
                    "data_version": self._data_versions[cache_key],
                    "node_name": decoded["node_name"],
                    "code_version": decoded["code_version"],
                    "dependencies_data_versions": decoded["dependencies_data_versions"],
                }
            )
        return nodes

    def persist_to(self, metadata_store: MetadataStore | None = None) -> None:
        """Copy every run and mapping into ``metadata_store`` (default: SQLite in ``./.hamilton_cache``)."""
        if metadata_store is None:
            from hamilton.caching.stores.sqlite import SQLiteMetadataStore

            metadata_store = SQLiteMetadataStore(path=DEFAULT_PATH)
        for run_id in self._run_ids:
            metadata_store.initialize(run_id)
        for run_id, cache_keys in self._cache_keys_by_run.items():
            for cache_key in cache_keys:
                if cache_key in self._data_versions:
                    metadata_store.set(cache_key=cache_key, data_version=self._data_versions[cache_key], run_id=run_id)

    @classmethod
    def load_from(cls, metadata_store: MetadataStore) -> InMemoryMetadataStore:
        """An in-memory copy of ``metadata_store``'s runs and mappings."""
        store = cls()
        for run_id in metadata_store.get_run_ids():
            store.initialize(run_id)
            for node in metadata_store.get_run(run_id):
                store.set(cache_key=node["cache_key"], data_version=node["data_version"], run_id=run_id)
        return store


class InMemoryResultStore(ResultStore):
    """Results in a dict, keyed by data version.

    :param persist_on_exit: accepted for 1.x compatibility; call :meth:`persist_to` to keep results.
    """

    def __init__(self, persist_on_exit: bool = False) -> None:
        self.persist_on_exit = persist_on_exit
        self._results: dict[str, StoredResult] = {}

    def exists(self, data_version: str) -> bool:
        return data_version in self._results

    def set(self, data_version: str, result: Any, **kwargs: Any) -> None:
        self._results[data_version] = StoredResult.new(value=result)

    def lookup(self, data_version: str) -> StoredResult | None:
        """The entry of ``data_version``, or ``None`` when there is none."""
        return self._results.get(data_version)

    def get(self, data_version: str, **kwargs: Any) -> Any | None:
        stored = self._results.get(data_version)
        return None if stored is None else stored.value

    def delete(self, data_version: str) -> None:
        self._results.pop(data_version, None)

    def delete_all(self) -> None:
        self._results.clear()

    def delete_expired(self) -> None:
        for data_version in [v for v, stored in self._results.items() if stored.expired]:
            del self._results[data_version]

    def persist_to(self, result_store: ResultStore | None = None) -> None:
        """Copy every result into ``result_store`` (default: files in ``./.hamilton_cache``)."""
        if result_store is None:
            from hamilton.caching.stores.file import FileResultStore

            result_store = FileResultStore(path=DEFAULT_PATH)
        for data_version, stored in self._results.items():
            result_store.set(data_version, stored.value)

    @classmethod
    def load_from(
        cls,
        result_store: ResultStore,
        metadata_store: MetadataStore | None = None,
        data_versions: Sequence[str] | None = None,
    ) -> InMemoryResultStore:
        """An in-memory copy of the results of ``data_versions`` and/or of every data version
        ``metadata_store`` knows (a result store has no index of its own)."""
        if metadata_store is None and data_versions is None:
            raise ValueError("A `metadata_store` or `data_versions` must be provided to load results.")
        wanted = set(data_versions or ())
        if metadata_store is not None:
            for run_id in metadata_store.get_run_ids():
                wanted.update(node["data_version"] for node in metadata_store.get_run(run_id))
        store = cls()
        for data_version in wanted:
            if result_store.exists(data_version):
                store.set(data_version, result_store.get(data_version))
        return store
