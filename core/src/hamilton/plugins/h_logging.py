"""Context-aware logging of runs: ``Builder().with_adapters(LoggingAdapter("my_logger"))``.

:class:`LoggingAdapter` logs a run's progress to a standard :mod:`logging` logger: the graph's
start (with its run id, inputs and overrides), every node (or, in dynamic runs, every task) that
finishes, failures with their traceback, and the graph's end. Node functions that log through
:func:`get_logger` get the same context: ``Node 'b' - <message>``, or ``Task '<task id>' -
<message>`` inside a task of a dynamic run. The context follows each thread and each asyncio
task, so threaded, task-based and ``async`` runs log correctly.

Levels, as in Hamilton 1.x:

* ``INFO``: the graph's start (``Graph run '<run id>' - Starting graph execution``), its inputs and
  overrides, each node finishing (``Node 'a' - Finished execution [OK]``), or in a dynamic run the
  switch to task-based logging and each task returning (``Task 'b' - Task completed [OK]``), and
  the graph's end (``... - Finished graph execution [OK]``);
* ``DEBUG``: each node starting (with its dependencies), task submission and execution, and in a
  dynamic run each node finishing inside its task;
* ``ERROR``: a node's failure (with the traceback and the function computing the node), a task's
  or the graph's failure.

Records logged through a :class:`ContextLogger` (the adapter's, or :func:`get_logger`'s) also
carry the context as attributes, for formatters and filters: ``hamilton_run_id``,
``hamilton_task_id`` and ``hamilton_node_name`` (``None`` where not applicable), e.g.
``logging.Formatter("%(hamilton_run_id)s %(message)s")``.

Only the standard library is needed. Nothing here is loaded by a run that does not use it.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from hamilton.lifecycle.api import (
    GraphExecutionHook,
    NodeExecutionHook,
    TaskExecutionHook,
    TaskGroupingHook,
    TaskReturnHook,
    TaskSubmissionHook,
)
from hamilton.lifecycle.base import BasePostNodeExecuteAsync, BasePreNodeExecute

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Mapping, MutableMapping
    from typing import Any

    from hamilton.node import Node


class _LoggingContext:
    """Where the code running now sits in a run: the graph run, the task and the node (or None)."""

    __slots__ = ("graph", "node", "task")

    def __init__(self, graph: str | None = None, node: str | None = None, task: str | None = None):
        self.graph = graph
        self.node = node
        self.task = task

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _LoggingContext):
            return NotImplemented
        return (self.graph, self.node, self.task) == (other.graph, other.node, other.task)

    def __hash__(self) -> int:
        return hash((self.graph, self.node, self.task))

    def __repr__(self) -> str:
        return f"_LoggingContext(graph={self.graph!r}, node={self.node!r}, task={self.task!r})"


_EMPTY = _LoggingContext()

LoggerAdapter = logging.LoggerAdapter  # 1.x's module exposes the base class of ContextLogger under this name

# The context of the code running now. A ContextVar is per thread and per asyncio task, so
# concurrent nodes (threads, coroutines) each see their own.
_local_context: ContextVar[_LoggingContext] = ContextVar("hamilton_logging_context", default=_EMPTY)

# Keys of ``extra`` that steer the prefix instead of landing on the record as data.
_OVERRIDE_CONTEXT = "override_context"  # log with this _LoggingContext instead of the current one
_SKIP_CONTEXT = "skip_context"  # no prefix
_NODE_CONTEXT = "node_context"  # in a task, name the node too: "Task 't' - Node 'n' - "


def get_logger(name: str | None = None) -> ContextLogger:
    """A logger that prefixes messages with the run's context (``Node 'b' - ...``).

    Use it in node functions of a run that has a :class:`LoggingAdapter`; outside a run it logs
    messages unchanged.

    :param name: the logger's name (``logging.getLogger(name)``); the root logger if not given.
    """
    return ContextLogger(logging.getLogger(name), extra={})


class ContextLogger(LoggerAdapter):
    """A :class:`logging.LoggerAdapter` adding the run's context to each message and record.

    The prefix names the task (``Task 'expand-c.0.block-c' - ``) when the code runs in a task of a
    dynamic run, else the node (``Node 'b' - ``), else the graph run (``Graph run '<id>' - ``).
    The record gets the attributes ``hamilton_run_id``, ``hamilton_task_id`` and
    ``hamilton_node_name``.

    Keys of ``extra`` understood per call: ``override_context`` (log with that context instead),
    ``skip_context`` (no prefix), ``node_context`` (in a task, name the node too).
    """

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        extra = {**(self.extra or {}), **(kwargs.get("extra") or {})}
        context = extra.get(_OVERRIDE_CONTEXT)
        if not isinstance(context, _LoggingContext):
            context = _local_context.get()
        extra.setdefault("hamilton_run_id", context.graph)
        extra.setdefault("hamilton_task_id", context.task)
        extra.setdefault("hamilton_node_name", context.node)
        kwargs["extra"] = extra
        if _SKIP_CONTEXT in extra:
            return msg, kwargs
        return f"{_prefix(context, extra)}{msg}", kwargs


def _prefix(context: _LoggingContext, extra: Mapping[str, Any]) -> str:
    if context.task:
        if context.node and _NODE_CONTEXT in extra:
            return f"Task '{context.task}' - Node '{context.node}' - "
        return f"Task '{context.task}' - "
    if context.node:
        return f"Node '{context.node}' - "
    if context.graph:
        return f"Graph run '{context.graph}' - "
    return ""


def _quoted(names: Any) -> str:
    return ", ".join(f"'{name}'" for name in names)


class _RunState:
    """What the adapter remembers of one run (runs may overlap: threads, async drivers)."""

    __slots__ = ("failure_logged", "given", "outer_context")

    def __init__(self, given: frozenset[str], outer_context: _LoggingContext):
        self.given = given  # names of the run's inputs and overrides
        self.outer_context = outer_context  # the context before the run (a run inside a node)
        self.failure_logged = False  # a node's failure was logged with its traceback in this process


_NO_RUN = _RunState(frozenset(), _EMPTY)


class LoggingAdapter(
    GraphExecutionHook,
    NodeExecutionHook,
    TaskGroupingHook,
    TaskSubmissionHook,
    TaskExecutionHook,
    TaskReturnHook,
):
    """Log a run's graph, nodes and tasks: starts, successes and failures (see the module doc).

    In a node-based run each node finishing is logged at ``INFO``; in a dynamic run
    (``enable_dynamic_execution``) each task returning is logged at ``INFO`` and nodes at
    ``DEBUG``. Node failures are logged at ``ERROR`` with their traceback and the function that
    computes the node. Works with the sync and async drivers, threaded (``FutureAdapter``) and
    task-based executors; with a multiprocessing executor, what happens inside a worker process is
    logged by that process's logging configuration.

    :param logger: the logger (a name, a :class:`logging.Logger` or a :class:`logging.LoggerAdapter`);
        ``hamilton.plugins.h_logging`` if not given.
    """

    def __init__(self, logger: str | logging.Logger | logging.LoggerAdapter | None = None) -> None:
        if logger is None:
            logger = logging.getLogger(__name__)
        elif isinstance(logger, str):
            logger = logging.getLogger(logger)
        elif not isinstance(logger, (logging.Logger, logging.LoggerAdapter)):
            raise TypeError(
                f"LoggingAdapter(logger=...) takes a logger name, a logging.Logger or a logging.LoggerAdapter, "
                f"not {type(logger).__name__}: pass e.g. LoggingAdapter('my_pipeline')."
            )
        self.logger: ContextLogger = logger if isinstance(logger, ContextLogger) else ContextLogger(logger, extra={})
        self._runs: dict[str, _RunState] = {}

    # -- graph ---------------------------------------------------------------------------------
    def run_before_graph_execution(
        self,
        *,
        inputs: dict[str, Any] | None,
        overrides: dict[str, Any] | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        outer = _local_context.get()
        self._runs[run_id] = _RunState(frozenset(inputs or ()) | frozenset(overrides or ()), outer)
        _local_context.set(_LoggingContext(graph=run_id))
        logger = self.logger
        if not logger.isEnabledFor(logging.INFO):
            return
        logger.info("Starting graph execution")
        if inputs:
            logger.info("Using inputs %s", _quoted(inputs))
        if overrides:
            logger.info("Using overrides %s", _quoted(overrides))

    def run_after_graph_execution(
        self,
        *,
        success: bool,
        run_id: str,
        error: Exception | None = None,
        **future_kwargs: Any,
    ) -> None:
        state = self._runs.pop(run_id, _NO_RUN)
        _local_context.set(state.outer_context)
        extra = {_OVERRIDE_CONTEXT: _LoggingContext(graph=run_id)}
        if success:
            self.logger.info("Finished graph execution [OK]", extra=extra)
        elif error is not None:
            self.logger.error("Graph execution failed due to errors (%s: %s)", type(error).__name__, error, extra=extra)
        else:
            self.logger.error("Graph execution failed due to errors", extra=extra)

    def _run(self, run_id: str) -> _RunState:
        return self._runs.get(run_id, _NO_RUN)

    # -- tasks (dynamic runs) ------------------------------------------------------------------
    def run_after_task_grouping(self, *, run_id: str, task_ids: list[str], **future_kwargs: Any) -> None:
        extra = {_OVERRIDE_CONTEXT: _LoggingContext(graph=run_id)}  # hooks may run where the context is not set
        self.logger.info("Dynamic DAG detected; task-based logging is enabled", extra=extra)

    def run_after_task_expansion(self, **future_kwargs: Any) -> None:
        """Nothing to log: the expanded tasks are logged as they are submitted."""

    def run_before_task_submission(
        self,
        *,
        run_id: str,
        task_id: str,
        spawning_task_id: str | None = None,
        **future_kwargs: Any,
    ) -> None:
        _local_context.set(_LoggingContext(graph=run_id, task=task_id))
        if spawning_task_id:
            self.logger.debug("Spawning task and submitting to executor")
        else:
            self.logger.debug("Initializing new task and submitting to executor")

    def run_before_task_execution(
        self,
        *,
        task_id: str,
        run_id: str,
        nodes: list[Any],
        **future_kwargs: Any,
    ) -> None:
        _local_context.set(_LoggingContext(graph=run_id, task=task_id))
        if task_id in self._run(run_id).given or not self.logger.isEnabledFor(logging.DEBUG):
            return
        if len(nodes) == 1 and nodes[0].name == task_id:
            self.logger.debug("Starting execution")
        else:
            self.logger.debug("Starting execution of nodes %s", _quoted(n.name for n in nodes))

    def run_after_task_execution(
        self,
        *,
        task_id: str,
        run_id: str,
        success: bool,
        error: Exception | None = None,
        **future_kwargs: Any,
    ) -> None:
        _local_context.set(_LoggingContext(graph=run_id))
        if task_id in self._run(run_id).given:
            return
        extra = {_OVERRIDE_CONTEXT: _LoggingContext(graph=run_id, task=task_id)}
        if success:
            self.logger.debug("Finished execution [OK]", extra=extra)
        else:
            self.logger.error("Execution failed due to errors", extra=extra)

    def run_after_task_return(
        self,
        *,
        run_id: str,
        task_id: str,
        success: bool,
        error: BaseException | None = None,
        **future_kwargs: Any,
    ) -> None:
        _local_context.set(_LoggingContext(graph=run_id))
        extra = {_OVERRIDE_CONTEXT: _LoggingContext(graph=run_id, task=task_id)}
        state = self._run(run_id)
        if success:
            level = logging.DEBUG if task_id in state.given else logging.INFO
            self.logger.log(level, "Task completed [OK]", extra=extra)
        elif not state.failure_logged:
            # The failure happened where this process could not log it (another process): log it here.
            if state is not _NO_RUN:
                state.failure_logged = True
            self.logger.error("Task completion failed due to errors", exc_info=_exc_info(error), extra=extra)

    # -- nodes ---------------------------------------------------------------------------------
    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_kwargs: dict[str, Any],
        task_id: str | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        _local_context.set(_LoggingContext(graph=run_id, task=task_id, node=node_name))
        if not self.logger.isEnabledFor(logging.DEBUG):
            return
        if node_kwargs:
            self.logger.debug("Starting execution with dependencies %s", _quoted(node_kwargs))
        else:
            self.logger.debug("Starting execution without dependencies")

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any | None,
        task_id: str | None = None,
    ) -> None:
        # The stock bridge, plus where the node's function is (for failures).
        self.run_after_node_execution(
            node_name=node_.name,
            node_tags=node_.tags,
            node_kwargs=kwargs,
            node_return_type=node_.type,
            result=result,
            error=error,
            success=success,
            task_id=task_id,
            run_id=run_id,
            node_function=None if success else _function_of(node_),
        )

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        run_id: str,
        node_function: str | None = None,
        **future_kwargs: Any,
    ) -> None:
        _local_context.set(_LoggingContext(graph=run_id, task=task_id))
        extra = {
            _OVERRIDE_CONTEXT: _LoggingContext(graph=run_id, task=task_id, node=node_name),
            _NODE_CONTEXT: True,
        }
        if success:
            self.logger.log(logging.DEBUG if task_id else logging.INFO, "Finished execution [OK]", extra=extra)
            return
        state = self._runs.get(run_id)
        if state is not None:
            state.failure_logged = True
        if node_function:
            self.logger.error("Encountered error in %s", node_function, exc_info=_exc_info(error), extra=extra)
        else:
            self.logger.error("Encountered error", exc_info=_exc_info(error), extra=extra)


def _function_of(node_: Node) -> str | None:
    """``module.function (file:line)`` of the function that defines ``node_``, if one does."""
    functions = getattr(node_, "originating_functions", None)
    if not functions:
        return None
    from hamilton._introspect import describe_function

    return describe_function(functions[0])


def _exc_info(error: BaseException | None) -> Any:
    """What ``exc_info=`` takes for ``error``: the exception (its traceback), or the one being handled."""
    return error if error is not None else True


class AsyncLoggingAdapter(GraphExecutionHook, BasePreNodeExecute, BasePostNodeExecuteAsync):
    """:class:`LoggingAdapter` for the async driver (``hamilton.async_driver``).

    Logs the graph's start and end, each node as it is submitted (``DEBUG``, ``Submitting async
    node ...``) and as it finishes or fails, with the same context for :func:`get_logger` in
    ``async def`` nodes.

    :param logger: as for :class:`LoggingAdapter`.
    """

    def __init__(self, logger: str | logging.Logger | logging.LoggerAdapter | None = None) -> None:
        self._impl = LoggingAdapter(logger)

    @property
    def logger(self) -> ContextLogger:
        return self._impl.logger

    def run_before_graph_execution(
        self,
        *,
        inputs: dict[str, Any] | None,
        overrides: dict[str, Any] | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        self._impl.run_before_graph_execution(inputs=inputs, overrides=overrides, run_id=run_id)

    def pre_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> None:
        _local_context.set(_LoggingContext(graph=run_id, task=task_id, node=node_.name))
        logger = self._impl.logger
        if not logger.isEnabledFor(logging.DEBUG):
            return
        if kwargs:
            logger.debug("Submitting async node with dependencies %s", _quoted(kwargs))
        else:
            logger.debug("Submitting async node without dependencies")

    async def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any,
        task_id: str | None = None,
    ) -> None:
        self._impl.post_node_execute(
            run_id=run_id,
            node_=node_,
            kwargs=kwargs,
            success=success,
            error=error,
            result=result,
            task_id=task_id,
        )

    def run_after_graph_execution(
        self,
        *,
        success: bool,
        run_id: str,
        error: Exception | None = None,
        **future_kwargs: Any,
    ) -> None:
        self._impl.run_after_graph_execution(success=success, run_id=run_id, error=error)


__all__ = ["AsyncLoggingAdapter", "ContextLogger", "LoggingAdapter", "get_logger"]
