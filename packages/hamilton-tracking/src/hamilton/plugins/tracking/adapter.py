"""``LocalTracker``: a lifecycle adapter recording runs into a local SQLite database.

Cost model: the run row is written when the run starts (status ``running``, so a process that
dies leaves a visible trace) and everything else — node executions, the final status — in one
transaction when it ends. Node hooks only append to an in-memory buffer. Tasks that run in
other processes (``MultiProcessingExecutor``) get a pickled copy of the tracker; it writes its
task's node executions in one transaction when the task ends, since nothing else returns to the
driver.

A ``keep_going`` run in which nodes failed ends with a
:class:`hamilton.errors.PartialExecutionError`: the run is recorded as ``partial``, and the
nodes it skipped (no node hook sees them) as ``skipped`` node executions, with a note naming
the failures upstream of them. Failures a ``@fallback`` recovered from keep the status
``failure`` with a note saying so.

Tracking never fails a run: any error while tracking becomes one :class:`TrackingWarning` per
tracker, naming the database and what to do.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import traceback
import warnings
from pathlib import Path
from time import time
from typing import Any

from hamilton.errors import PartialExecutionError
from hamilton.lifecycle.base import (
    BasePostGraphExecute,
    BasePostNodeExecute,
    BasePostTaskExecute,
    BasePreGraphExecute,
    BasePreNodeExecute,
)
from hamilton.plugins.tracking import store
from hamilton.plugins.tracking.summaries import (
    MESSAGE_LIMIT,
    TRACEBACK_LIMIT,
    clip,
    graph_snapshot,
    short_repr,
    size_of,
    summarize,
    type_name,
)

DEFAULT_PROJECT = "default"
FALLBACK_TAG = "hamilton.fallback"
RECOVERED_NOTE = "recovered: its consumers used their @fallback value instead"
_CAUSES_SHOWN = 5


class TrackingWarning(UserWarning):
    """Tracking could not record a run (the run itself went on normally)."""


class _RunBuffer:
    """What one run has recorded in this process and not yet written."""

    __slots__ = ("disabled", "rows", "seq", "started", "worker")

    def __init__(self, worker: bool):
        self.worker = worker  # created by a node hook in a process where the run did not start
        self.disabled = False
        self.rows: list[tuple] = []
        self.started: dict[tuple[str | None, str], float] = {}
        self.seq = itertools.count()


def _error_fields(error: BaseException | None) -> tuple[str | None, str | None, str | None]:
    if error is None:
        return None, None, None
    try:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    except Exception:
        text = None
    try:
        message = str(error)
    except Exception:
        message = f"<str() failed on {type(error).__name__}>"
    return type_name(error), clip(message, MESSAGE_LIMIT), None if text is None else clip(text, TRACEBACK_LIMIT)


class LocalTracker(
    BasePreGraphExecute,
    BasePostGraphExecute,
    BasePreNodeExecute,
    BasePostNodeExecute,
    BasePostTaskExecute,
):
    """Record every run of a driver (``execute``, ``materialize``, task-based runs) locally.

    :param path: the tracking directory (``tracking.db`` goes inside) or a ``.db`` file; default
        ``$HAMILTON_TRACKING_DIR``, else ``~/.hamilton/tracking``.
    :param project: a label to group runs by in the UI and the read API.
    :param capture_results: store a short summary (type, clipped ``repr``, length or shape) of
        each node's result and each input. Turn it off for values whose ``repr`` is costly or
        sensitive; types are still recorded.
    """

    def __init__(
        self, path: str | os.PathLike | None = None, project: str = DEFAULT_PROJECT, capture_results: bool = True
    ):
        if not isinstance(project, str) or not project.strip():
            raise ValueError(f"LocalTracker(project=...) must be a non-empty string, got {project!r}.")
        self.db_file = store.database_file(path).absolute()
        self.project = project
        self.capture_results = capture_results
        self._writer = store.Writer(self.db_file)
        self._runs: dict[str, _RunBuffer] = {}
        self._warned = False
        self._graph: Any = None
        self._snapshot: tuple[str, str] | None = None
        self._fallbacks = False

    def __repr__(self) -> str:
        return f"LocalTracker(path={str(self.db_file)!r}, project={self.project!r})"

    # Pickled into worker processes: configuration only, never another run's buffers.
    def __getstate__(self) -> dict[str, Any]:
        return {"db_file": self.db_file, "project": self.project, "capture_results": self.capture_results}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.db_file = Path(state["db_file"])
        self.project = state["project"]
        self.capture_results = state["capture_results"]
        self._writer = store.Writer(self.db_file)
        self._runs = {}
        self._warned = False
        self._graph = None
        self._snapshot = None
        self._fallbacks = False

    def _warn(self, doing: str, error: BaseException) -> None:
        if self._warned:
            return
        self._warned = True
        warnings.warn(
            f"Hamilton tracking could not {doing} in {self.db_file} ({type(error).__name__}: {error}). "
            "Your runs are not affected, but they are not (fully) tracked. Make that location writable, "
            "or give LocalTracker(path=...) (or the HAMILTON_TRACKING_DIR environment variable) "
            "a writable directory.",
            TrackingWarning,
            stacklevel=3,
        )

    # --- graph hooks ------------------------------------------------------------------------

    def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: Any,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        buffer = self._runs[run_id] = _RunBuffer(worker=False)
        try:
            if self._graph is not graph:
                self._snapshot = graph_snapshot(graph)
                self._fallbacks = any(FALLBACK_TAG in node.tags for node in graph.get_nodes())
                self._graph = graph
            graph_hash, snapshot = self._snapshot
            row = {
                "run_id": run_id,
                "project": self.project,
                "status": "running",
                "started_at": time(),
                "final_vars": json.dumps(list(final_vars)),
                "inputs": json.dumps({str(k): self._describe(v) for k, v in (inputs or {}).items()}),
                "overrides": json.dumps(sorted(str(k) for k in (overrides or {}))),
                "config": json.dumps({str(k): self._describe(v) for k, v in graph.config.items()}),
                "graph_hash": graph_hash,
                "host": socket.gethostname(),
                "pid": os.getpid(),
            }
            self._writer.insert_run_start(row, graph_hash, snapshot)
        except Exception as error:
            buffer.disabled = True  # nothing to attach node rows to: skip the work
            self._warn("record the start of a run", error)

    def post_graph_execute(
        self,
        *,
        run_id: str,
        graph: Any,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
    ) -> None:
        buffer = self._runs.pop(run_id, None)
        if buffer is None or buffer.disabled:
            return
        ended = time()
        rows = buffer.rows
        for (task_id, name), started in list(buffer.started.items()):  # started, never finished
            rows.append((run_id, next(buffer.seq), name, task_id, "incomplete", started, None, *(None,) * 7))
        error_type, message, _ = _error_fields(error)
        partial = not success and isinstance(error, PartialExecutionError)
        ending = {
            "status": "success" if success else "partial" if partial else "failure",
            "ended_at": ended,
            "error_type": error_type,
            "error_message": message,
        }
        outcome: dict[str, Any] = {}
        try:
            if partial:
                outcome = _partial_outcome(run_id, graph, error, buffer, ended)
            elif success and self._fallbacks and any(row[4] == "failure" for row in rows):
                # fail_fast went on past a failure: only a @fallback does that
                outcome = {"notes": [(None, RECOVERED_NOTE)]}
        except Exception as tracking_error:
            self._warn("record the skipped and failed nodes of a run", tracking_error)
        try:
            self._writer.finish_run(run_id, ending, rows, **outcome)
        except Exception as write_error:
            self._warn("record the end of a run", write_error)
            ending["note"] = f"node executions could not be recorded ({type(write_error).__name__}: {write_error})"
            with contextlib.suppress(Exception):
                self._writer.mark_run(run_id, ending)

    def _describe(self, value: Any) -> dict[str, Any]:
        if self.capture_results:
            return summarize(value)
        return {"type": type_name(value), "repr": "", "size": None}

    # --- node hooks (the hot path: memory only) -------------------------------------------

    def pre_node_execute(self, *, run_id: str, node_: Any, kwargs: dict[str, Any], task_id: str | None = None) -> None:
        buffer = self._runs.get(run_id)
        if buffer is None:
            buffer = self._runs[run_id] = _RunBuffer(worker=True)
        if not buffer.disabled:
            buffer.started[(task_id, node_.name)] = time()

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Any,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any | None,
        task_id: str | None = None,
    ) -> None:
        ended = time()
        buffer = self._runs.get(run_id)
        if buffer is None or buffer.disabled:
            return
        try:
            name = node_.name
            started = buffer.started.pop((task_id, name), ended)
            if success:
                if self.capture_results:
                    outcome = (type_name(result), short_repr(result), size_of(result), None, None, None, None)
                else:
                    outcome = (type_name(result), "", None, None, None, None, None)
                row = (run_id, next(buffer.seq), name, task_id, "success", started, ended, *outcome)
            else:
                row = (run_id, next(buffer.seq), name, task_id, "failure", started, ended, None, None, None)
                row += (*_error_fields(error), None)
            buffer.rows.append(row)
        except Exception as tracking_error:
            self._warn("summarise a node's result", tracking_error)

    # --- tasks in other processes -----------------------------------------------------------

    def post_task_execute(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Any],
        results: dict[str, Any] | None,
        success: bool,
        error: Exception | None,
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        buffer = self._runs.get(run_id)
        if buffer is None or not buffer.worker or buffer.disabled:
            return  # in the driver's process the run's end writes everything
        rows, buffer.rows = buffer.rows, []
        for (node_task_id, name), started in list(buffer.started.items()):
            rows.append((run_id, next(buffer.seq), name, node_task_id, "incomplete", started, None, *(None,) * 7))
        buffer.started.clear()
        if not rows:
            return
        try:
            self._writer.insert_nodes(rows)
        except Exception as write_error:
            self._warn("record a task's node executions", write_error)


# --- what a partial run's error tells beyond the node hooks ---------------------------------


def _partial_outcome(
    run_id: str, graph: Any, error: PartialExecutionError, buffer: _RunBuffer, ended: float
) -> dict[str, Any]:
    """``Writer.finish_run`` arguments for a ``keep_going`` run that failed in places: a row for
    each failure (kept only if no node hook recorded it), the recovered notes, the skipped rows."""
    nodes = graph.nodes
    chains: dict[str, tuple[str, ...]] = {}
    hooked = {(row[2], store.item_indices(row[3])) for row in buffer.rows if row[4] == "failure"}
    failures, notes = [], []
    for label, exception in error.failures.items():
        key = store.node_key(label)
        recovered = label in error.recovered
        note = RECOVERED_NOTE if recovered else None
        if key not in hooked:  # e.g. recorded by a worker process: the writer checks the database
            task_id = _task_id(nodes, key, chains)
            row = (run_id, next(buffer.seq), key[0], task_id, "failure", ended, ended, None, None, None)
            failures.append((key, (*row, *_error_fields(exception), note)))
        if recovered:
            notes.append((key, note))
    causes = _Causes([store.node_key(label) for label in error.failures if label not in error.recovered], nodes)
    skipped = []
    for label in error.skipped:
        name, indices = store.node_key(label)
        upstream = causes.of(name, indices)
        shown = ", ".join(upstream[:_CAUSES_SHOWN]) + (", ..." if len(upstream) > _CAUSES_SHOWN else "")
        note = f"skipped: {shown} failed upstream" if upstream else "skipped: a node upstream failed"
        if indices:
            note += f" (item {label[len(name) :]})"
        task_id = _task_id(nodes, (name, indices), chains)
        skipped.append((run_id, next(buffer.seq), name, task_id, "skipped", ended, None, *(None,) * 6, note))
    return {"failures": failures, "notes": notes, "skipped": skipped}


class _Causes:
    """The unrecovered failures of a run, to name those upstream of a skipped node."""

    def __init__(self, failures: list[store.NodeKey], nodes: Any):
        self.keys = set(failures)
        self.items: dict[str, list[tuple[int, ...]]] = {}
        for name, indices in failures:
            self.items.setdefault(name, []).append(indices)
        self.depth = {name: max(len(indices) for indices in items) for name, items in self.items.items()}
        self.downstream = {name: _downstream(nodes, name) for name in self.items}

    def of(self, name: str, indices: tuple[int, ...]) -> list[str]:
        """The failures upstream of node ``name`` in item ``indices`` (a few more than shown at
        most): in the same item or one enclosing it, or in items inside it (a collector)."""
        found: list[str] = []
        for cause, items in self.items.items():
            if name not in self.downstream[cause]:
                continue
            found.extend(
                _label(cause, indices[:k]) for k in range(len(indices) + 1) if (cause, indices[:k]) in self.keys
            )
            if self.depth[cause] <= len(indices):
                continue  # no failure of this node is in an item inside this one
            for inner in items:
                if len(found) > _CAUSES_SHOWN:
                    return found
                if len(inner) > len(indices) and inner[: len(indices)] == indices:
                    found.append(_label(cause, inner))
        return found


def _label(name: str, indices: tuple[int, ...]) -> str:
    return name + "".join(f"[{i}]" for i in indices)


def _downstream(nodes: Any, name: str) -> set[str]:
    node = nodes.get(name)
    seen: set[str] = set()
    stack = list(node.depended_on_by) if node is not None else []
    while stack:
        current = stack.pop()
        if current.name not in seen:
            seen.add(current.name)
            stack.extend(current.depended_on_by)
    return seen


def _task_id(nodes: Any, key: store.NodeKey, chains: dict[str, tuple[str, ...]]) -> str | None:
    """The task id of an item of a parallel block (``expand-<p>.<i>.block-<p>``, nested blocks
    joined by dots), or ``None`` for a node outside blocks or a block it cannot place."""
    name, indices = key
    if not indices:
        return None
    chain = _block_chain(nodes, name, chains)
    if len(chain) != len(indices):
        return None
    return ".".join(f"expand-{expander}.{i}.block-{expander}" for expander, i in zip(chain, indices, strict=True))


def _block_chain(nodes: Any, name: str, chains: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The ``Parallelizable`` nodes whose blocks hold ``name``, outermost first (memoised in
    ``chains``; iterative, for deep graphs)."""
    from hamilton.node import NodeType

    stack = [name]
    while stack:
        current = stack[-1]
        if current in chains:
            stack.pop()
            continue
        node = nodes.get(current)
        if node is None or node.user_defined:
            chains[stack.pop()] = ()
            continue
        pending = [d.name for d in node.dependencies if d.name not in chains]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        if node.node_role is NodeType.COLLECT and node.collect_dependency in chains:
            chains[current] = chains[node.collect_dependency][:-1]  # a collector closes its block
            continue
        deepest: tuple[str, ...] = ()
        for dependency in node.dependencies:
            chain = chains[dependency.name] + ((dependency.name,) if dependency.node_role is NodeType.EXPAND else ())
            if len(chain) > len(deepest):
                deepest = chain
        chains[current] = deepest
    return chains[name]
