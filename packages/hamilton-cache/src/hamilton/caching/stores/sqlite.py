"""Cache metadata in SQLite: ``<path>/metadata_store.db`` (1.x's file name and tables).

Safe for several runs at once on one cache directory: the database uses write-ahead logging
(readers never block the writer), every change is one transaction, and a busy database is
waited for (``timeout``, 30 s by default) instead of failing.

A database the store cannot use is moved aside to ``metadata_store.db.corrupt-<time>`` (with
its ``-wal``/``-shm`` files) with a warning naming it, and a fresh one starts: the cache only
forgets, runs recompute. That covers a file that is not a readable SQLite database (truncated,
overwritten, failing ``PRAGMA quick_check``) and one of another layout: another application's
database, or one of our tables lacking a column this version queries. The layout is checked
before anything is written, so another application's database is never altered.

A cache directory this process cannot write does not stop a run (one warning): the database is
opened read-only (``file:...?mode=ro``, or with ``immutable=1`` when its ``-shm``/``-wal`` files
cannot be created, i.e. no writer has it open), entries are read, and :meth:`initialize`,
:meth:`set`, :meth:`delete` do nothing. Without a usable database there (none, damaged, another
layout, or a directory that cannot be created) the store answers from an empty in-memory one:
every node is computed, nothing is stored.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import os
import pathlib
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from hamilton.caching.cache_key import decode_key
from hamilton.caching.stores.base import MetadataStore

logger = logging.getLogger(__name__)

FILE_NAME = "metadata_store.db"
_Method = TypeVar("_Method", bound=Callable[..., Any])

# How the database is opened: read-write, read-only, read-only and assumed unchanging
# (no -shm/-wal can be created), or not at all (an empty in-memory stand-in).
_READ_WRITE, _READ_ONLY, _IMMUTABLE, _ABSENT = "read-write", "read-only", "immutable", "absent"
_DENIED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14


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


def _write(method: _Method) -> _Method:
    """A change: nothing when the store is read-only; a write the database refuses (file or
    directory turned read-only since it was opened) makes the store read-only, with a warning."""

    @functools.wraps(method)
    def wrapper(self: SQLiteMetadataStore, *args: Any, **kwargs: Any) -> Any:
        if self._read_only:
            return None
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as error:
            if not _refused_write(error):
                raise
            self._stop_writing(f"refused a write ({error}): new entries are not stored")
            return None

    return wrapper  # type: ignore[return-value]


def _refused_write(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed because it may not write the database or create its -wal/-shm."""
    code = getattr(error, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return code & 0xFF in (_SQLITE_READONLY, _SQLITE_CANTOPEN)
    message = str(error)
    return "readonly" in message or "unable to open database file" in message


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
    # a run looks up the entries of its nodes' current code in one query (see versions_of_nodes)
    "CREATE INDEX IF NOT EXISTS cache_metadata_node ON cache_metadata (node_name, code_version)",
)
_PAIRS_PER_QUERY = 400  # two parameters each: under SQLite's oldest limit of 999 parameters
# The columns the queries below use, per table.
_COLUMNS = {
    "run_ids": ("id", "run_id", "created_at"),
    "history": ("id", "cache_key", "run_id", "created_at"),
    "cache_metadata": ("cache_key", "data_version", "node_name", "code_version", "created_at"),
}


def _layout_problem(connection: sqlite3.Connection, complete: bool) -> str | None:
    """Why the database is not one of our layout (``None`` when it is).

    Not ours: tables but none of ours (another application's database), or one of our tables
    lacking a column we query, or requiring (``NOT NULL``, no default) one we do not fill.
    Extra tables and nullable extra columns are tolerated. ``complete=False`` accepts missing
    tables of ours (a new database, or one whose creation was interrupted): they are created.
    """
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    ours = sorted(names & _COLUMNS.keys())
    foreign = sorted(name for name in names - _COLUMNS.keys() if not name.startswith("sqlite_"))
    if foreign and not ours:
        return f"another application's database (tables: {', '.join(foreign)})"
    if complete and len(ours) < len(_COLUMNS):
        return f"incomplete (no table {', '.join(sorted(_COLUMNS.keys() - set(ours)))})"
    for table in ours:
        info = connection.execute(f"PRAGMA table_info({table})").fetchall()  # (cid, name, type, notnull, default, pk)
        missing = [column for column in _COLUMNS[table] if column not in {row[1] for row in info}]
        if missing:
            return f"of another layout (table {table} lacks column(s) {', '.join(missing)})"
        required = [
            row[1] for row in info if row[1] not in _COLUMNS[table] and row[3] and row[4] is None and not row[5]
        ]
        if required:
            return f"of another layout (table {table} requires column(s) {', '.join(required)})"
    return None


class SQLiteMetadataStore(MetadataStore):
    """Cache keys, data versions and run history in ``<path>/metadata_store.db``.

    :param path: the cache directory (created if missing).
    :param connection_kwargs: extra arguments for ``sqlite3.connect`` (default ``timeout=30``).
    """

    def __init__(self, path: str, connection_kwargs: dict | None = None) -> None:
        self._open(path, connection_kwargs, announce=True)

    def __getstate__(self) -> dict:
        """The constructor's arguments: each thread/process opens its own connection."""
        return {"path": str(self._directory), "connection_kwargs": self.connection_kwargs}

    def __setstate__(self, state: dict) -> None:
        """A copy for an executor: the original already warned if the directory is read-only."""
        self._open(state["path"], state["connection_kwargs"], announce=False)

    def _open(self, path: str | os.PathLike[str], connection_kwargs: dict | None, announce: bool) -> None:
        self._directory = pathlib.Path(path).resolve()
        self._path = self._directory / FILE_NAME
        self.connection_kwargs: dict = connection_kwargs or {}
        self._thread_local = threading.local()
        self._mode = _READ_WRITE
        self._read_only = False
        self._announce = announce
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if error.errno not in _DENIED:
                raise
            self._stop_writing(
                f"cannot be created ({error}): every node is computed, nothing is stored", _ABSENT, at_open=True
            )
            return
        if self._writable():
            self._prepare()
        else:
            self._open_read_only()

    def _writable(self) -> bool:
        """Whether this process may create files in the directory and write the database."""
        if not os.access(self._directory, os.W_OK | os.X_OK):
            return False
        return not self._path.exists() or os.access(self._path, os.W_OK)

    def _stop_writing(self, problem: str, mode: str | None = None, *, at_open: bool = False) -> None:
        """Make changes no-ops (and switch how to connect, if ``mode``), with one warning; an
        executor's copy does not repeat the warning its original gave when opening."""
        if mode is not None:
            self._close_connection()
            self._mode = mode
        if self._read_only:
            return
        self._read_only = True
        if self._announce or not at_open:
            logger.warning("The cache metadata database %s %s.", self._path, problem)

    @property
    def read_only(self) -> bool:
        """Whether this store only reads (the cache directory or the database is not writable)."""
        return self._read_only

    # -- connections -----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        options: dict[str, Any] = {"timeout": 30.0, "check_same_thread": False, **self.connection_kwargs}
        if self._mode == _ABSENT:
            options.pop("uri", None)
            connection = sqlite3.connect(":memory:", **options)
            for statement in _SCHEMA:
                connection.execute(statement)
            return connection
        if self._mode in (_READ_ONLY, _IMMUTABLE):
            options["uri"] = True
            query = "mode=ro&immutable=1" if self._mode == _IMMUTABLE else "mode=ro"
            return sqlite3.connect(f"file:{urllib.parse.quote(self._path.as_posix())}?{query}", **options)
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
        """Check the layout and create the tables; move an unusable database aside and start a
        new one; fall back to reading only if SQLite refuses to write."""
        try:
            problem = self._create_tables()
        except sqlite3.OperationalError as error:  # locked, unwritable directory...: not damage
            if _refused_write(error):
                self._close_connection()
                self._open_read_only()
                return
            raise sqlite3.OperationalError(f"Cannot use the cache metadata database {self._path}: {error}") from error
        except sqlite3.DatabaseError as error:
            problem = f"unreadable ({error})"
        if problem is None:
            return
        self._move_aside(problem)
        problem = self._create_tables()
        if problem is not None:  # a fresh file: cannot happen, but never run on a bad database
            raise sqlite3.DatabaseError(f"The new cache metadata database {self._path} is {problem}.")

    def _move_aside(self, problem: str) -> None:
        """Rename the database (and its -wal/-shm) to ``metadata_store.db.corrupt-<time>``."""
        self._close_connection()
        aside = self._path.with_name(f"{FILE_NAME}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            source = pathlib.Path(f"{self._path}{suffix}")
            if source.exists():
                source.replace(pathlib.Path(f"{aside}{suffix}"))
        logger.warning(
            "The cache metadata database %s is %s; it was moved to %s and a new one started, so cached "
            "results will be recomputed. Delete %s when you no longer need it.",
            self._path,
            problem,
            aside,
            aside,
        )

    def _create_tables(self) -> str | None:
        """Create our tables if the database is of our layout, in one write transaction; else
        leave it untouched and return what is wrong with it."""
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")  # two runs opening a new directory: one creates, one checks
        try:
            problem = _layout_problem(connection, complete=False)
            if problem is None:
                for statement in _SCHEMA:
                    connection.execute(statement)
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.rollback()
            raise
        if problem is not None:
            connection.rollback()
            return problem
        connection.commit()
        (status,) = connection.execute("PRAGMA quick_check").fetchone()
        return None if status == "ok" else f"damaged (integrity check: {status})"

    def _open_read_only(self) -> None:
        """Read the database without writing anything: ``mode=ro``, else (no -shm/-wal can be
        created and none exists, so no writer has it open) ``immutable=1``. A missing or
        unusable database is replaced by an empty in-memory one (it cannot be moved aside)."""
        if not self._path.exists():
            self._stop_writing(
                "does not exist in the read-only cache directory: nothing is stored", _ABSENT, at_open=True
            )
            return
        problem = None
        for mode in (_READ_ONLY, _IMMUTABLE):
            if mode == _IMMUTABLE and any(pathlib.Path(f"{self._path}{s}").exists() for s in ("-wal", "-shm")):
                break  # a writer may have it open: assuming it immutable could read torn pages
            self._mode = mode
            try:
                problem = _layout_problem(self.connection, complete=True)
            except sqlite3.OperationalError as error:  # -shm/-wal cannot be created: try immutable
                self._close_connection()
                problem = f"cannot be opened read-only ({error})"
                continue
            except sqlite3.DatabaseError as error:
                problem = f"unreadable ({error})"
            break
        if problem is not None:
            self._stop_writing(
                f"is {problem}, and the cache directory is read-only so it cannot be moved aside: it is "
                "ignored, every node is computed and nothing is stored",
                _ABSENT,
                at_open=True,
            )
            return
        self._stop_writing(
            "is in a read-only cache directory: cached entries are read, new ones are not stored", at_open=True
        )

    # -- MetadataStore ------------------------------------------------------------------------
    @_write
    @_explained
    def initialize(self, run_id: str) -> None:
        """Record the start of run ``run_id``."""
        with self.connection as connection:
            connection.execute("INSERT INTO run_ids (run_id) VALUES (?)", (run_id,))

    @_explained
    def __len__(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM cache_metadata").fetchone()[0]

    @_write
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

    @_write
    @_explained
    def set_many(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        """:meth:`set` for many ``(cache_key, data_version, run_id, node_name, code_version)``
        rows, in one transaction (a run writes its new entries together, at its end)."""
        rows = list(rows)
        with self.connection as connection:
            connection.executemany(
                "INSERT INTO history (cache_key, run_id) VALUES (?, ?)", [(row[0], row[2]) for row in rows]
            )
            connection.executemany(
                "INSERT OR IGNORE INTO cache_metadata (cache_key, node_name, code_version, data_version) "
                "VALUES (?, ?, ?, ?)",
                [(key, node, code, version) for key, version, _, node, code in rows],
            )

    @_explained
    def versions_of_nodes(self, nodes: Iterable[tuple[str, str]], limit: int) -> dict[str, str]:
        """``{cache_key: data_version}`` of the entries of these ``(node_name, code_version)``
        pairs, at most ``limit`` of them: a run reads what it will look up
        in a few queries instead of one per node. Keys beyond ``limit`` are still found by
        :meth:`get`."""
        pairs = list(nodes)
        found: dict[str, str] = {}
        for start in range(0, len(pairs), _PAIRS_PER_QUERY):
            if len(found) >= limit:
                break
            chunk = pairs[start : start + _PAIRS_PER_QUERY]
            values = ", ".join(["(?, ?)"] * len(chunk))
            # CROSS JOIN keeps `wanted` outermost, so each pair is one lookup in the index
            rows = self.connection.execute(
                f"WITH wanted (node_name, code_version) AS (VALUES {values}) "
                "SELECT m.cache_key, m.data_version FROM wanted CROSS JOIN cache_metadata AS m "
                "ON m.node_name = wanted.node_name AND m.code_version = wanted.code_version LIMIT ?",
                [*(part for pair in chunk for part in pair), limit - len(found)],
            )
            found.update(rows)
        return found

    @_explained
    def get(self, cache_key: str, **kwargs: Any) -> str | None:
        row = self.connection.execute(
            "SELECT data_version FROM cache_metadata WHERE cache_key = ?", (cache_key,)
        ).fetchone()
        return None if row is None else row[0]

    @_write
    @_explained
    def delete(self, cache_key: str) -> None:
        with self.connection as connection:
            connection.execute("DELETE FROM cache_metadata WHERE cache_key = ?", (cache_key,))

    @_write
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
