"""``adapter("node_counter")``: a lifecycle adapter counting the nodes a run executes."""

from __future__ import annotations

import collections
import threading
from typing import Any

from hamilton.lifecycle import NodeExecutionHook


class NodeCounter(NodeExecutionHook):
    """Counts executed nodes: ``counts`` (node name -> executions), ``total``, ``failed``.

    Safe to share between threads (task-based runs may execute nodes concurrently). With
    ``tag``, only nodes carrying that tag are counted.
    """

    def __init__(self, tag: str | None = None):
        self.tag = tag
        self.counts: collections.Counter[str] = collections.Counter()
        self.failed: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()
            self.failed.clear()

    def run_before_node_execution(self, **kwargs: Any) -> None:
        """Nothing to do before a node: it is counted once it ran."""

    def run_after_node_execution(
        self, *, node_name: str, node_tags: dict[str, Any], success: bool, **kwargs: Any
    ) -> None:
        if self.tag is not None and self.tag not in node_tags:
            return
        with self._lock:
            self.counts[node_name] += 1
            if not success:
                self.failed[node_name] += 1
