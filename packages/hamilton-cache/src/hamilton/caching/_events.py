"""What the cache records about its work: 1.x's ``CachingEvent`` and ``CachingEventType``.

A cached node produces about ten events per run (1.x's sequence, kept for ``logs()``). Building
a frozen dataclass for each costs more than reading a small result back, so runs record plain
tuples and :class:`EventLog` builds the ``CachingEvent`` objects only when ``logs()`` asks.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import json
import logging
import pathlib
import threading
import time
from typing import Any, Literal

logger = logging.getLogger("hamilton.caching.adapter")

Actor = Literal["adapter", "metadata_store", "result_store"]


class CachingEventType(enum.Enum):
    """What a :class:`CachingEvent` records."""

    GET_DATA_VERSION = "get_data_version"
    SET_DATA_VERSION = "set_data_version"
    GET_CACHE_KEY = "get_cache_key"
    SET_CACHE_KEY = "set_cache_key"
    GET_RESULT = "get_result"
    SET_RESULT = "set_result"
    MISSING_RESULT = "missing_result"
    FAILED_RETRIEVAL = "failed_retrieval"
    EXECUTE_NODE = "execute_node"
    FAILED_EXECUTION = "failed_execution"
    RESOLVE_BEHAVIOR = "resolve_behavior"
    UNHASHABLE_DATA_VERSION = "unhashable_data_version"
    IS_OVERRIDE = "is_override"
    IS_INPUT = "is_input"
    IS_FINAL_VAR = "is_final_var"
    IS_DEFAULT_PARAMETER_VALUE = "is_default_parameter_value"


INFO_EVENTS = frozenset({CachingEventType.GET_RESULT, CachingEventType.EXECUTE_NODE})
_INFO_VALUES = frozenset(event_type.value for event_type in INFO_EVENTS)


_now = time.time


def _utc_timestamp() -> float:
    """Seconds since the epoch, UTC (``time.time()`` is that, without building a datetime)."""
    return time.time()


@dataclasses.dataclass(frozen=True)
class CachingEvent:
    """One step of the cache's work on one node (``str()`` gives a one-line summary)."""

    run_id: str
    actor: Actor
    event_type: CachingEventType
    node_name: str
    task_id: str | None = None
    msg: str | None = None
    value: Any | None = None
    timestamp: float = dataclasses.field(default_factory=_utc_timestamp)

    def __str__(self) -> str:
        parts = [self.node_name]
        if self.task_id is not None:
            parts.append(self.task_id)
        parts += [self.actor, self.event_type.value]
        if self.msg:
            parts.append(self.msg)
        return "::".join(str(part) for part in parts)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly fields (``value`` as a string)."""
        return {
            "run_id": self.run_id,
            "timestamp": self.timestamp,
            "node_name": self.node_name,
            "task_id": self.task_id,
            "actor": self.actor,
            "event_type": self.event_type.value,
            "msg": self.msg,
            "value": str(self.value) if self.value else self.value,
        }


# A recorded event: (node_name, task_id, actor, event type's value, msg, value, timestamp).
# The event type is kept as its string: a tuple of strings and floats only is left alone by
# the garbage collector, which otherwise rescans every event of every run, again and again.
Record = tuple[str, "str | None", str, str, "str | None", Any, float]


class EventLog:
    """Every run's events, recorded as tuples; ``CachingEvent`` objects are built on demand.

    :param log_file: also append every event as a JSON line to this file (``log_to_file``).
    """

    def __init__(self, log_file: pathlib.Path | None = None) -> None:
        self.runs: dict[str, list[Record]] = {}
        self.log_file = log_file
        self._file_lock = threading.Lock()
        self._echo = log_file is not None or logger.isEnabledFor(logging.INFO)

    def __getstate__(self) -> dict:
        return {"runs": self.runs, "log_file": self.log_file}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["log_file"])
        self.runs = state["runs"]

    def start(self, run_id: str) -> None:
        """Begin recording a run; whether events are also logged is decided here, once per run
        (ten events per node make even ``logger.isEnabledFor`` count)."""
        self.runs[run_id] = []
        self._echo = self.log_file is not None or logger.isEnabledFor(logging.INFO)

    def record(
        self,
        run_id: str,
        node_name: str,
        actor: Actor,
        event_type: CachingEventType,
        msg: str | None = None,
        value: Any = None,
        task_id: str | None = None,
    ) -> None:
        record = (node_name, task_id, actor, event_type._value_, msg, value, _now())
        try:
            self.runs[run_id].append(record)
        except KeyError:  # a run this copy of the adapter did not start (another process's)
            self.runs[run_id] = [record]
        if self._echo:
            self._write(run_id, record)

    def _write(self, run_id: str, record: Record) -> None:
        event = self._event(run_id, record)
        if record[3] in _INFO_VALUES:
            logger.info("%s", event)
        else:
            logger.debug("%s", event)
        if self.log_file is not None:
            self._append(event)

    @staticmethod
    def _event(run_id: str, record: Record) -> CachingEvent:
        node_name, task_id, actor, event_type, msg, value, timestamp = record
        return CachingEvent(run_id, actor, CachingEventType(event_type), node_name, task_id, msg, value, timestamp)  # type: ignore[arg-type]

    def _append(self, event: CachingEvent) -> None:
        line = json.dumps(event.as_dict(), default=str) + "\n"
        log_file = self.log_file
        if log_file is None:
            return
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            with self._file_lock, log_file.open("a", encoding="utf-8") as handle:
                handle.write(line)  # one write per line: concurrent appenders do not interleave lines
        except OSError as error:  # e.g. a read-only cache directory: the run goes on, unlogged
            self.log_file = None
            self._echo = logger.isEnabledFor(logging.INFO)
            logger.warning("Cannot append cache events to %s (%s); they are kept in memory only.", log_file, error)

    def replace(self, runs: dict[str, list[CachingEvent]]) -> None:
        """Set every run's events (1.x code assigned ``adapter._logs``)."""
        self.runs = {
            run_id: [(e.node_name, e.task_id, e.actor, e.event_type.value, e.msg, e.value, e.timestamp) for e in events]
            for run_id, events in runs.items()
        }

    def events(self, run_id: str) -> list[CachingEvent]:
        return [self._event(run_id, record) for record in self.runs[run_id]]

    def grouped(self, run_id: str | None, level: Literal["debug", "info"], known_runs: list[str]) -> dict:
        """``{run_id: [event]}`` for every run, or ``{node: [event]}`` (``(node, task_id)`` inside
        parallel blocks) for one; ``level="info"`` keeps ``get_result``/``execute_node``."""
        if level not in ("debug", "info"):
            raise ValueError(f"logs(level={level!r}): use 'debug' or 'info'.")

        def keep(record: Record) -> bool:
            return level == "debug" or record[3] in _INFO_VALUES

        grouped: dict = collections.defaultdict(list)
        if run_id:
            if run_id not in self.runs:
                raise KeyError(f"Unknown run_id {run_id!r}; this cache's runs are {known_runs}.")
            for record in self.runs[run_id]:
                if keep(record):
                    key = (record[0], record[1]) if record[1] else record[0]
                    grouped[key].append(self._event(run_id, record))
            return dict(grouped)
        for some_run_id, records in self.runs.items():
            for record in records:
                if keep(record):
                    grouped[some_run_id].append(self._event(some_run_id, record))
        return dict(grouped)
