"""Cache metadata in SQLite: ``<path>/metadata_store.db`` (1.x's file name and tables).

Safe for several runs at once on one cache directory: the database uses write-ahead logging
(readers never block the writer), every change is one transaction, and a busy database is
waited for (``timeout``, 30 s by default) instead of failing. A file that is not a readable
SQLite database (truncated, overwritten) is moved aside to ``metadata_store.db.corrupt-<time>``
with a warning, and a fresh database starts: the cache only forgets, runs recompute.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import pathlib
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from hamilton.caching.cache_key import decode_key
from hamilton.caching.stores.base import MetadataStore

logger = logging.getLogger(__name__)

FILE_NAME = "metadata_store.db"
_Method = TypeVar("_Method", bound=Callable[..., Any])


def _explained(method: _Method) -> _Method:
    """Turn SQLite's terse errors into ones that name the database file and what to do."""

    @functools.wraps(method)
    def wrapper(self: SQLiteMetadataStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            raise sqlite3.OperationalError(
                f"The cache metadata database {self._path} stayed locked by another process ({error}). "
                "Wait for the other run to finish, or raise the wait with "
                'SQLiteMetadataStore(path, connection_kwargs={"timeout": seconds}).'
            ) from error
        except sqlite3.DatabaseError as error:
            raise sqlite3.DatabaseError(
                f"The cache metadata database {self._path} is damaged ({error}). Delete it (with its -wal and "
                "-shm files, if any) to start a new cache; the cached results will be recomputed."
            ) from error

    return wrapper  # type: ignore[return-value]


_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS run_ids (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        cache_key TEXT,
        run_id TEXT,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS cache_metadata (
        cache_key TEXT PRIMARY KEY,
        data_version TEXT NOT NULL,
        node_name TEXT NOT NULL,
        code_version TEXT NOT NULL,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
    )""",
    "CREATE INDEX IF NOT EXISTS history_run_id ON history (run_id)",
)


class SQLiteMetadataStore(MetadataStore):
    """Cache keys, data versions and run history in ``<path>/metadata_store.db``.

    :param path: the cache directory (created if missing).
    :param connection_kwargs: extra arguments for ``sqlite3.connect`` (default ``timeout=30``).
    """

    def __init__(self, path: str, connection_kwargs: dict | None = None) -> None:
        self._directory = pathlib.Path(path).resolve()
        self._directory.mkdir(parents=True, exist_ok=True)
        self._path = self._directory / FILE_NAME
        self.connection_kwargs: dict = connection_kwargs or {}
        self._thread_local = threading.local()
        self._prepare()

    def __getstate__(self) -> dict:
        """The constructor's arguments: each thread/process opens its own connection."""
        return {"path": str(self._directory), "connection_kwargs": self.connection_kwargs}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    # -- connections -----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        options: dict[str, Any] = {"timeout": 30.0, "check_same_thread": False, **self.connection_kwargs}
        connection = sqlite3.connect(str(self._path), **options)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            connection.close()  # release the file, so that a damaged one can be moved aside
            raise
        return connection

    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection to the database."""
        connection = getattr(self._thread_local, "connection", None)
        if connection is None:
            connection = self._thread_local.connection = self._connect()
        return connection

    def _close_connection(self) -> None:
        connection = getattr(self._thread_local, "connection", None)
        if connection is not None:
            connection.close()
            del self._thread_local.connection

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter shutdown there is nothing to do
            self._close_connection()

    def _prepare(self) -> None:
        """Create the tables; move an unreadable database aside and start a new one."""
        try:
            self._create_tables()
        except sqlite3.OperationalError as error:  # locked, unwritable directory...: not damage
            raise sqlite3.OperationalError(f"Cannot use the cache metadata database {self._path}: {error}") from error
        except sqlite3.DatabaseError as error:
            self._close_connection()
            aside = self._path.with_name(f"{FILE_NAME}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                source = pathlib.Path(f"{self._path}{suffix}")
                if source.exists():
                    source.replace(pathlib.Path(f"{aside}{suffix}"))
            logger.warning(
                "The cache metadata database %s is unreadable (%s); it was moved to %s and a new one "
                "started, so cached results will be recomputed. Delete %s when you no longer need it.",
                self._path,
                error,
                aside,
                aside,
            )
            self._create_tables()

    def _create_tables(self) -> None:
        connection = self.connection
        with connection:
            for statement in _SCHEMA:
                connection.execute(statement)
        (status,) = connection.execute("PRAGMA quick_check").fetchone()
        if status != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {status}")

    # -- MetadataStore ------------------------------------------------------------------------
    @_explained
    def initialize(self, run_id: str) -> None:
        """Record the start of run ``run_id``."""
        with self.connection as connection:
            connection.execute("INSERT INTO run_ids (run_id) VALUES (?)", (run_id,))

    @_explained
    def __len__(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM cache_metadata").fetchone()[0]

    @_explained
    def set(
        self,
        *,
        cache_key: str,
        data_version: str,
        run_id: str,
        node_name: str | None = None,
        code_version: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Map ``cache_key`` to ``data_version`` (the first mapping of a key wins) and record
        that run ``run_id`` used it. Without ``node_name``/``code_version``, they are decoded
        from the key."""
        if node_name is None or code_version is None:
            try:
                decoded = decode_key(cache_key)
            except Exception as error:
                raise ValueError(
                    f"Failed decoding the cache_key: {cache_key}. The `cache_key` must be created by "
                    "`hamilton.caching.cache_key.create_cache_key()` if `node_name` and `code_version` "
                    "are not provided."
                ) from error
            node_name = decoded["node_name"] if node_name is None else node_name
            code_version = decoded["code_version"] if code_version is None else code_version
        with self.connection as connection:
            connection.execute("INSERT INTO history (cache_key, run_id) VALUES (?, ?)", (cache_key, run_id))
            connection.execute(
                "INSERT OR IGNORE INTO cache_metadata (cache_key, node_name, code_version, data_version) "
                "VALUES (?, ?, ?, ?)",
                (cache_key, node_name, code_version, data_version),
            )

    @_explained
    def get(self, cache_key: str, **kwargs: Any) -> str | None:
        row = self.connection.execute(
            "SELECT data_version FROM cache_metadata WHERE cache_key = ?", (cache_key,)
        ).fetchone()
        return None if row is None else row[0]

    @_explained
    def delete(self, cache_key: str) -> None:
        with self.connection as connection:
            connection.execute("DELETE FROM cache_metadata WHERE cache_key = ?", (cache_key,))

    @_explained
    def delete_all(self) -> None:
        """Drop every table (they are re-created empty, so the store stays usable)."""
        with self.connection as connection:
            for table in ("run_ids", "history", "cache_metadata"):
                connection.execute(f"DROP TABLE IF EXISTS {table}")
        self._create_tables()

    @_explained
    def exists(self, cache_key: str) -> bool:
        row = self.connection.execute("SELECT 1 FROM cache_metadata WHERE cache_key = ?", (cache_key,)).fetchone()
        return row is not None

    @_explained
    def get_run_ids(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT run_id FROM run_ids ORDER BY id")]

    def _run_exists(self, run_id: str) -> bool:
        row = self.connection.execute("SELECT 1 FROM run_ids WHERE run_id = ?", (run_id,)).fetchone()
        return row is not None

    @_explained
    def get_run(self, run_id: str) -> list[dict]:
        """``cache_key``, ``data_version``, ``node_name``, ``code_version`` of each node the run
        stored; raises ``IndexError`` for an unknown run."""
        if not self._run_exists(run_id):
            raise IndexError(f"`run_id` not found in table `run_ids`: {run_id}")
        rows = self.connection.execute(
            "SELECT m.cache_key, m.data_version, m.node_name, m.code_version "
            "FROM history AS h JOIN cache_metadata AS m ON h.cache_key = m.cache_key "
            "WHERE h.run_id = ? ORDER BY h.id",
            (run_id,),
        )
        return [
            {"cache_key": key, "data_version": version, "node_name": node, "code_version": code}
            for key, version, node, code in rows
        ]
