"""States of tasks in dynamic execution, and the result caches executors may use."""

from __future__ import annotations

import abc
import enum
from typing import Any


class TaskState(enum.Enum):
    """Where a task is in its life."""

    QUEUED = "queued"
    UNINITIALIZED = "uninitialized"
    INITIALIZED = "initialized"
    RUNNING = "running"
    SUCCESSFUL = "successful"
    FAILED = "failed"

    def is_terminal(self) -> bool:
        return self in (TaskState.SUCCESSFUL, TaskState.FAILED)


GraphState = TaskState  # 1.x's alias


class ResultCache(abc.ABC):
    """Where task results are kept for the tasks that need them."""

    @abc.abstractmethod
    def write(self, results: dict[str, Any], group_id: str | None = None, spawning_task_id: str | None = None) -> None:
        """Store ``results`` (of one task instance)."""

    @abc.abstractmethod
    def read(self, keys: list[str], group_id: str | None = None, spawning_task_id: str | None = None) -> dict[str, Any]:
        """The stored values of ``keys``."""


class DictBasedResultCache(ResultCache):
    """Results in a dict; instances of a block keep their values apart by task."""

    def __init__(self, cache: dict[str, Any] | None = None):
        self.cache = {} if cache is None else cache

    @staticmethod
    def _key(key: str, group_id: str | None, spawning_task_id: str | None) -> str:
        return ".".join(part for part in (spawning_task_id, group_id, key) if part is not None)

    def write(self, results: dict[str, Any], group_id: str | None = None, spawning_task_id: str | None = None) -> None:
        for key, value in results.items():
            self.cache[self._key(key, group_id, spawning_task_id)] = value

    def read(self, keys: list[str], group_id: str | None = None, spawning_task_id: str | None = None) -> dict[str, Any]:
        return {key: self.cache[self._key(key, group_id, spawning_task_id)] for key in keys}
