"""The SQLite database behind local tracking: schema, connections, writes and the read API.

One file, ``tracking.db``, in the tracking directory. WAL mode lets the UI read while runs
write, and several processes write the same file (each write is one ``BEGIN IMMEDIATE``
transaction, waiting up to ``BUSY_TIMEOUT_S`` for the others). ``PRAGMA user_version`` holds
the schema version: a writer migrates an older file when it opens it (in one transaction), a
reader reads any older layout as it is, and an older release refuses a newer file.

Schema versions: 1 — the first release; 2 — run status ``partial`` (a ``keep_going`` run in
which some nodes failed) and a ``note`` per node execution (``skipped`` nodes, failures
recovered by a ``@fallback``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
DB_FILENAME = "tracking.db"
ENV_VAR = "HAMILTON_TRACKING_DIR"
BUSY_TIMEOUT_S = 30.0
RUN_STATUSES = ("running", "success", "failure", "partial")
NODE_STATUSES = ("success", "failure", "incomplete", "skipped")

# The runs table; {name} is "runs", or the table a migration builds before renaming it.
_RUNS_TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
    run_id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failure', 'partial')),
    started_at REAL NOT NULL,
    ended_at REAL,
    final_vars TEXT NOT NULL,
    inputs TEXT NOT NULL,
    overrides TEXT NOT NULL,
    config TEXT NOT NULL,
    graph_hash TEXT REFERENCES graphs (graph_hash),
    error_type TEXT,
    error_message TEXT,
    note TEXT,
    host TEXT,
    pid INTEGER
)
"""
_RUNS_COLUMNS = (
    "run_id, project, status, started_at, ended_at, final_vars, inputs, overrides, config, graph_hash, "
    "error_type, error_message, note, host, pid"
)
_RUNS_INDEXES = """
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at DESC);
CREATE INDEX IF NOT EXISTS runs_by_project ON runs (project, started_at DESC);
"""

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS graphs (
    graph_hash TEXT PRIMARY KEY,
    snapshot TEXT NOT NULL
);
"""
    + _RUNS_TABLE.format(name="runs")
    + ";"
    + _RUNS_INDEXES
    + """
CREATE TABLE IF NOT EXISTS node_runs (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    node_name TEXT NOT NULL,
    task_id TEXT,
    status TEXT NOT NULL,  -- one of NODE_STATUSES (no CHECK: it costs µs per row)
    started_at REAL NOT NULL,
    ended_at REAL,
    result_type TEXT,
    result_repr TEXT,
    result_size TEXT,
    error_type TEXT,
    error_message TEXT,
    traceback TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS node_runs_by_run ON node_runs (run_id, started_at, seq);
"""
)

# Version 1 -> 2: the runs table gets the 'partial' status (SQLite cannot change a CHECK
# constraint in place: the table is rebuilt, as https://sqlite.org/lang_altertable.html
# describes), node_runs gets its note column. Runs with foreign keys off (dropping the old runs
# table must not cascade to node_runs).
_MIGRATE_1_TO_2 = (
    _RUNS_TABLE.format(name="runs_v2")
    + f""";
INSERT INTO runs_v2 ({_RUNS_COLUMNS}) SELECT {_RUNS_COLUMNS} FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
{_RUNS_INDEXES}
ALTER TABLE node_runs ADD COLUMN note TEXT;
"""
)

NODE_COLUMNS = (
    "run_id",
    "seq",
    "node_name",
    "task_id",
    "status",
    "started_at",
    "ended_at",
    "result_type",
    "result_repr",
    "result_size",
    "error_type",
    "error_message",
    "traceback",
    "note",
)
_INSERT_NODE = f"INSERT INTO node_runs ({', '.join(NODE_COLUMNS)}) VALUES ({', '.join('?' * len(NODE_COLUMNS))})"


class SchemaVersionError(RuntimeError):
    """The database was written by a newer hamilton-tracking than the one installed."""


class RunNotFoundError(KeyError):
    """No run with this id is in the database."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0]) if self.args else "run not found"


def default_directory() -> Path:
    """``$HAMILTON_TRACKING_DIR`` if set, else ``~/.hamilton/tracking``."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured).expanduser() if configured else Path.home() / ".hamilton" / "tracking"


def database_file(path: str | os.PathLike | None) -> Path:
    """The database file for a tracking location: a directory (holding ``tracking.db``) or a
    path ending in ``.db``/``.sqlite``/``.sqlite3`` naming the file itself."""
    location = default_directory() if path is None else Path(path).expanduser()
    if location.suffix in (".db", ".sqlite", ".sqlite3"):
        return location
    return location / DB_FILENAME


def connect(db_file: Path, *, create: bool, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection with WAL, a busy timeout and foreign keys; ``create`` makes the schema."""
    if create:
        db_file.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        db_file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=check_same_thread
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{db_file} uses tracking schema version {version}, but this hamilton-tracking reads "
                f"version {SCHEMA_VERSION} at most. Upgrade hamilton-tracking (pip install -U hamilton-tracking)."
            )
        if version < SCHEMA_VERSION and create:
            _create_schema_when_free(connection)
        return connection
    except BaseException:
        connection.close()
        raise


def _create_schema_when_free(connection: sqlite3.Connection) -> None:
    """:func:`_create_schema`, retried while another process holds the new database.

    Two processes opening a new database at once race to switch it to WAL; the loser's switch
    fails at once with "database is locked" (SQLite does not wait there: waiting could
    deadlock), which would lose that process's first run. It waits its turn instead, for up to
    the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            _create_schema(connection)
            return
        except sqlite3.OperationalError as error:
            if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _create_schema(connection: sqlite3.Connection) -> None:
    """Create the schema in a new database, or migrate an older one to ``SCHEMA_VERSION``."""
    connection.execute("PRAGMA journal_mode = WAL")  # persistent: set once, for every later reader
    connection.execute("PRAGMA foreign_keys = OFF")  # only changeable outside a transaction
    try:
        with transaction(connection):
            # Re-read inside the write lock: another process may have done it meanwhile.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                return
            script = _SCHEMA if version == 0 else _MIGRATE_1_TO_2
            _run_script(connection, script)
            if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError("the tracking schema migration broke a foreign key; nothing was changed")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    finally:
        connection.execute("PRAGMA foreign_keys = ON")


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT first: the statements run one by one inside the transaction.
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back entirely if anything inside raises."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


# --- writes (used by the tracker) ----------------------------------------------------------


NodeKey = tuple  # (node name, item indices): ("squared", (2,)) is "squared[2]", ("total", ()) is "total"

_ITEM = re.compile(r"\.(\d+)\.block-")
_LABEL = re.compile(r"^(.*?)((?:\[\d+\])+)$")


def item_indices(task_id: str | None) -> tuple[int, ...]:
    """The item numbers in a task id: ``expand-g.2.block-g.expand-m.0.block-m`` -> ``(2, 0)``."""
    return tuple(int(number) for number in _ITEM.findall(task_id)) if task_id else ()


def node_key(label: str) -> NodeKey:
    """A node as :class:`hamilton.errors.PartialExecutionError` names it, split into its name and
    item numbers: ``"squared[2]"`` -> ``("squared", (2,))``, ``"total"`` -> ``("total", ())``."""
    match = _LABEL.match(label)
    if match is None:
        return label, ()
    return match.group(1), tuple(int(n) for n in match.group(2)[1:-1].split("]["))


class Writer:
    """Writes one tracker's rows through one long-lived connection (opening and closing a
    connection per run would checkpoint the WAL each time). Thread-safe; a process that
    inherits it through ``fork`` opens its own connection."""

    def __init__(self, db_file: Path):
        self.db_file = db_file
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._connection is None or self._pid != os.getpid():
                self._connection = connect(self.db_file, create=True, check_same_thread=False)
                # WAL + NORMAL: a commit does not wait for fsync, and the file cannot be corrupted;
                # a power cut may lose the last runs, an acceptable trade for tracking data.
                self._connection.execute("PRAGMA synchronous = NORMAL")
                self._pid = os.getpid()
            try:
                with transaction(self._connection) as connection:
                    yield connection
            except sqlite3.Error:
                self.close()  # start afresh next time (the file may have been moved or deleted)
                raise

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the next write opens a new one)."""
        if getattr(self, "_connection", None) is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    def insert_run_start(self, run_row: dict[str, Any], graph_hash: str, snapshot: str) -> None:
        """Record a run as ``running`` (and its graph snapshot, once per distinct graph)."""
        with self._transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO graphs (graph_hash, snapshot) VALUES (?, ?)", (graph_hash, snapshot)
            )
            columns = ", ".join(run_row)
            connection.execute(
                f"INSERT INTO runs ({columns}) VALUES ({', '.join('?' * len(run_row))})", tuple(run_row.values())
            )

    def insert_nodes(self, node_rows: Sequence[tuple]) -> None:
        """Add node executions (tuples in ``NODE_COLUMNS`` order) in one transaction."""
        with self._transaction() as connection:
            connection.executemany(_INSERT_NODE, node_rows)

    def finish_run(
        self,
        run_id: str,
        ending: dict[str, Any],
        node_rows: Sequence[tuple],
        *,
        failures: Sequence[tuple[NodeKey, tuple]] = (),
        notes: Sequence[tuple[NodeKey | None, str]] = (),
        skipped: Sequence[tuple] = (),
    ) -> None:
        """Add a run's node executions and set its final status, all in one transaction.

        What a run's error tells beyond its node hooks: ``failures`` are rows for failed nodes,
        each added only if no ``failure`` row of that node (and item) is recorded yet, by this
        process or a worker (an ``incomplete`` row of it becomes that failure); ``notes`` are
        set on the ``failure`` rows of a node (and item), or of every node for the key ``None``
        (a row of ``failures`` carries its note already); ``skipped`` rows are added as they are.
        """
        with self._transaction() as connection:
            connection.executemany(_INSERT_NODE, node_rows)
            if failures or notes:
                recorded: dict[NodeKey, list[int]] = {}
                unfinished: dict[NodeKey, list[int]] = {}
                for row_id, name, task_id, status in connection.execute(
                    "SELECT id, node_name, task_id, status FROM node_runs "
                    "WHERE run_id = ? AND status IN ('failure', 'incomplete')",
                    (run_id,),
                ):
                    found = recorded if status == "failure" else unfinished
                    found.setdefault((name, item_indices(task_id)), []).append(row_id)
                for key, row in failures:
                    if key in recorded:
                        continue
                    if key in unfinished:  # started, then stopped by a hook: that was its failure
                        connection.executemany(
                            "UPDATE node_runs SET status = 'failure', error_type = ?, error_message = ?, "
                            "traceback = ?, note = ? WHERE id = ?",
                            [(*row[-4:], row_id) for row_id in unfinished[key]],
                        )
                    else:
                        connection.execute(_INSERT_NODE, row)
                for key, note in notes:
                    if key is None:
                        connection.execute(
                            "UPDATE node_runs SET note = ? WHERE run_id = ? AND status = 'failure'", (note, run_id)
                        )
                    else:
                        ids = recorded.get(key, ())
                        connection.executemany("UPDATE node_runs SET note = ? WHERE id = ?", [(note, i) for i in ids])
            connection.executemany(_INSERT_NODE, skipped)
            _update_run(connection, run_id, ending)

    def mark_run(self, run_id: str, ending: dict[str, Any]) -> None:
        """Set a run's final status alone (the fallback when its node rows could not be written)."""
        with self._transaction() as connection:
            _update_run(connection, run_id, ending)


def _update_run(connection: sqlite3.Connection, run_id: str, ending: dict[str, Any]) -> None:
    assignments = ", ".join(f"{column} = ?" for column in ending)
    connection.execute(f"UPDATE runs SET {assignments} WHERE run_id = ?", (*ending.values(), run_id))


# --- the read API ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """One row of the run list."""

    run_id: str
    project: str
    status: str
    started_at: float
    ended_at: float | None
    final_vars: list[str]
    node_count: int
    failed_count: int
    error_type: str | None
    error_message: str | None
    skipped_count: int

    # node_count counts node executions (skipped nodes never executed); failed_count those that
    # failed (also those a @fallback recovered from); skipped_count the nodes a keep_going run
    # skipped because a node upstream failed.

    @property
    def duration(self) -> float | None:
        """Seconds from start to end; ``None`` while running (or if the process died)."""
        return None if self.ended_at is None else self.ended_at - self.started_at


@dataclasses.dataclass(frozen=True)
class ResultSummary:
    """What a node returned, in short: never the value itself."""

    type: str
    repr: str
    size: str | None


@dataclasses.dataclass(frozen=True)
class ErrorInfo:
    """An exception a node raised."""

    type: str
    message: str
    traceback: str | None


@dataclasses.dataclass(frozen=True)
class NodeExecution:
    """One execution of one node (a node inside a parallel block executes once per item).

    ``status`` is ``success``, ``failure``, ``incomplete`` (started, never finished) or
    ``skipped`` (not run: a node upstream failed in a ``keep_going`` run; ``ended_at`` is
    ``None`` and ``started_at`` is when the run ended). ``note`` says more when there is more to
    say: a failure a ``@fallback`` recovered from, what a skipped node was waiting for.
    """

    node_name: str
    task_id: str | None
    status: str
    started_at: float
    ended_at: float | None
    result: ResultSummary | None
    error: ErrorInfo | None
    note: str | None = None

    @property
    def duration(self) -> float | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


@dataclasses.dataclass(frozen=True)
class GraphNode:
    """A node of the graph as it was when the run started."""

    name: str
    type: str
    role: str
    is_input: bool
    tags: dict[str, Any]
    function: str | None
    source: str | None
    dependencies: list[str]
    optional_dependencies: list[str]
    documentation: str | None


@dataclasses.dataclass(frozen=True)
class Run(RunSummary):
    """Everything recorded about one run."""

    inputs: dict[str, ResultSummary]
    overrides: list[str]
    config: dict[str, ResultSummary]
    note: str | None
    host: str | None
    pid: int | None
    graph: list[GraphNode]
    nodes: list[NodeExecution]

    @property
    def failed_node(self) -> str | None:
        """The first node that failed, if any."""
        failed = [n for n in self.nodes if n.status == "failure"]
        return failed[0].node_name if failed else None

    @property
    def skipped_nodes(self) -> list[str]:
        """The nodes not run because a node upstream failed (``keep_going`` runs), in run order."""
        return [n.node_name for n in self.nodes if n.status == "skipped"]


def as_json(value: Any) -> Any:
    """A dataclass of the read API as JSON-ready data, with durations and the failed node."""
    data = dataclasses.asdict(value)
    for name in ("duration", "failed_node", "skipped_nodes"):
        if hasattr(value, name):
            data[name] = getattr(value, name)
    if isinstance(value, Run):
        for node, item in zip(value.nodes, data["nodes"], strict=True):
            item["duration"] = node.duration
    return data


_SUMMARY_SELECT = """
SELECT r.run_id, r.project, r.status, r.started_at, r.ended_at, r.final_vars,
       (SELECT COUNT(*) FROM node_runs n WHERE n.run_id = r.run_id AND n.status != 'skipped'),
       (SELECT COUNT(*) FROM node_runs n WHERE n.run_id = r.run_id AND n.status = 'failure'),
       r.error_type, r.error_message,
       (SELECT COUNT(*) FROM node_runs n WHERE n.run_id = r.run_id AND n.status = 'skipped')
FROM runs r
"""


class TrackingStore:
    """Reads what :class:`~hamilton.plugins.tracking.LocalTracker` recorded at ``path``.

    ``path`` is the tracking directory (default: ``$HAMILTON_TRACKING_DIR`` or
    ``~/.hamilton/tracking``) or the ``.db`` file itself. Reading never creates (or migrates)
    anything: a file of an older schema version is read as it is.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.db_file = database_file(path)

    def __repr__(self) -> str:
        return f"TrackingStore({str(self.db_file)!r})"

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        if not self.db_file.exists():
            yield None
            return
        connection = connect(self.db_file, create=False)
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] == 0:
                yield None  # created but not yet initialised by a writer
            else:
                yield connection
        finally:
            connection.close()

    def runs(self, project: str | None = None, status: str | None = None, limit: int = 100) -> list[RunSummary]:
        """The most recent runs first, optionally of one project and/or one status (one of
        ``RUN_STATUSES``: ``running``, ``success``, ``failure``, ``partial``)."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}.")
        if status is not None and status not in RUN_STATUSES:
            raise ValueError(f"status must be one of {', '.join(RUN_STATUSES)} (or None), got {status!r}.")
        clauses, parameters = [], []
        if project is not None:
            clauses.append("r.project = ?")
            parameters.append(project)
        if status is not None:
            clauses.append("r.status = ?")
            parameters.append(status)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._reading() as connection:
            if connection is None:
                return []
            rows = connection.execute(
                f"{_SUMMARY_SELECT} {where} ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?", (*parameters, limit)
            ).fetchall()
        return [_summary(row) for row in rows]

    def projects(self) -> list[str]:
        """Every project with at least one run, sorted."""
        with self._reading() as connection:
            if connection is None:
                return []
            return [row[0] for row in connection.execute("SELECT DISTINCT project FROM runs ORDER BY project")]

    def run(self, run_id: str) -> Run:
        """Everything about one run; :class:`RunNotFoundError` (a ``KeyError``) if unknown."""
        with self._reading() as connection:
            row = (
                None
                if connection is None
                else connection.execute(f"{_SUMMARY_SELECT} WHERE r.run_id = ?", (run_id,)).fetchone()
            )
            if row is None or connection is None:
                raise RunNotFoundError(f"No run {run_id!r} in {self.db_file}.")
            extra = connection.execute(
                "SELECT r.inputs, r.overrides, r.config, r.note, r.host, r.pid, g.snapshot "
                "FROM runs r LEFT JOIN graphs g ON g.graph_hash = r.graph_hash WHERE r.run_id = ?",
                (run_id,),
            ).fetchone()
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            columns = NODE_COLUMNS if version >= 2 else (*NODE_COLUMNS[:-1], "NULL")  # v1: no note
            node_rows = connection.execute(
                f"SELECT {', '.join(columns)} FROM node_runs WHERE run_id = ? ORDER BY started_at, seq, id",
                (run_id,),
            ).fetchall()
        summary = _summary(row)
        inputs, overrides, config, note, host, pid, snapshot = extra
        return Run(
            **dataclasses.asdict(summary),
            inputs=_summaries(json.loads(inputs)),
            overrides=json.loads(overrides),
            config=_summaries(json.loads(config)),
            note=note,
            host=host,
            pid=pid,
            graph=[GraphNode(**node) for node in json.loads(snapshot)["nodes"]] if snapshot else [],
            nodes=[_node(node_row) for node_row in node_rows],
        )


def _summary(row: Sequence[Any]) -> RunSummary:
    run_id, project, status, started, ended, final_vars, count, failed, error_type, error_message, skipped = row
    return RunSummary(
        run_id,
        project,
        status,
        started,
        ended,
        json.loads(final_vars),
        count,
        failed,
        error_type,
        error_message,
        skipped,
    )


def _summaries(data: dict[str, dict[str, Any]]) -> dict[str, ResultSummary]:
    return {name: ResultSummary(**summary) for name, summary in data.items()}


def _node(row: Iterable[Any]) -> NodeExecution:
    values = dict(zip(NODE_COLUMNS, row, strict=True))
    result = (
        ResultSummary(values["result_type"], values["result_repr"] or "", values["result_size"])
        if values["result_type"] is not None
        else None
    )
    error = (
        ErrorInfo(values["error_type"], values["error_message"] or "", values["traceback"])
        if values["error_type"] is not None
        else None
    )
    return NodeExecution(
        values["node_name"],
        values["task_id"],
        values["status"],
        values["started_at"],
        values["ended_at"],
        result,
        error,
        values["note"],
    )
