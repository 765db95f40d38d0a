"""A lifecycle adapter that records what happened to each node, for drawing a run."""

from __future__ import annotations

import threading
import time
from typing import Any

from hamilton.lifecycle.api import GraphExecutionHook, NodeExecutionHook
from hamilton.plugins.interfaces import NodeRunState


class RunRecorder(GraphExecutionHook, NodeExecutionHook):
    """Keeps the latest run's outcome per node in :attr:`run_state` (node name -> NodeRunState).

    ``"ran"``/``"failed"`` with the time spent (summed over the items of a parallel block, whose
    count is ``instances``), ``"input"``/``"overridden"`` for given values, ``"skipped"`` for
    planned nodes that never ran because something upstream failed. Pass it to the driver, run,
    then draw: ``dr.visualize_execution([...], inputs=..., run_state=recorder.run_state)``.
    """

    def __init__(self) -> None:
        self.run_state: dict[str, NodeRunState] = {}
        self._planned: list[str] = []
        self._started: dict[tuple[str, str | None], float] = {}
        self._lock = threading.Lock()  # nodes of a parallel block finish on several threads

    def run_before_graph_execution(
        self, *, inputs: dict | None, overrides: dict | None, execution_path: list[str], **future_kwargs: Any
    ) -> None:
        self.run_state = {name: NodeRunState("input") for name in inputs or {}}
        self.run_state.update({name: NodeRunState("overridden") for name in overrides or {}})
        self._planned = list(execution_path)
        self._started = {}

    def run_before_node_execution(self, *, node_name: str, task_id: str | None, **future_kwargs: Any) -> None:
        self._started[(node_name, task_id)] = time.perf_counter()

    def run_after_node_execution(
        self, *, node_name: str, success: bool, error: Exception | None, task_id: str | None, **future_kwargs: Any
    ) -> None:
        started = self._started.pop((node_name, task_id), None)
        duration = time.perf_counter() - started if started is not None else None
        message = f"{type(error).__name__}: {error}" if error is not None else None
        with self._lock:
            previous = self.run_state.get(node_name)
            if previous is not None and previous.status in ("ran", "failed"):
                failed = previous.status == "failed" or not success
                total = (previous.duration or 0.0) + (duration or 0.0)
                self.run_state[node_name] = NodeRunState(
                    "failed" if failed else "ran",
                    total,
                    previous.error or message,
                    previous.block,
                    previous.instances + 1,
                )
            else:
                self.run_state[node_name] = NodeRunState("ran" if success else "failed", duration, message)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        for name in self._planned:
            self.run_state.setdefault(name, NodeRunState("skipped"))
