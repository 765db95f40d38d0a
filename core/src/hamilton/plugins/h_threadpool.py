"""Run each node on a thread pool as soon as its inputs are ready: ``with_adapters(FutureAdapter())``.

For I/O-bound dataflows on the synchronous driver (HTTP calls, queries): independent nodes
overlap without ``async def`` or dynamic execution. Standard library only.

The driver walks the plan in order and hands each node's whole lifecycle (hooks included) to the
pool, passing the futures of its dependencies; a worker waits for those futures before running
the node. Nodes are submitted in dependency order and the pool serves them first come, first
served, so a waiting worker always waits on a node that already has a worker: no deadlock,
however small ``max_workers`` is. The result builder waits for the requested outputs.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from hamilton.execution.runner import report_node_failure
from hamilton.lifecycle.api import ResultBuilder
from hamilton.lifecycle.base import BaseDoRemoteExecute

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from hamilton.node import Node

__all__ = ["FutureAdapter"]


def _resolved(value: Any) -> Any:
    return value.result() if isinstance(value, Future) else value


def _new_fn(fn: Callable[..., Any], **fn_kwargs: Any) -> Any:
    """``fn(**fn_kwargs)`` once the futures among ``fn_kwargs`` are resolved to their results.

    Kept for 1.x compatibility (1.x's worker function, which users wrapping the adapter import);
    the adapter itself uses :func:`_run_when_ready`, which also says which node failed.
    """
    return fn(**{name: _resolved(value) for name, value in fn_kwargs.items()})


def _run_when_ready(node_: Node | None, kwargs: dict[str, Any], execute_lifecycle_for_node: Callable[..., Any]) -> Any:
    """In a worker: wait for the dependencies' futures, then run the node's lifecycle."""
    ready = {name: _resolved(value) for name, value in kwargs.items()}
    try:
        return execute_lifecycle_for_node(**ready)
    except Exception as error:
        if node_ is not None:  # the note names the node, as on the calling thread
            report_node_failure(error, node_, ready)
        raise


class FutureAdapter(BaseDoRemoteExecute, ResultBuilder):
    """Runs nodes concurrently on a ``ThreadPoolExecutor``; returns a dict unless ``result_builder``.

    A failing node's exception is raised unchanged by ``execute``; nodes depending on it do not
    run (their lifecycle hooks are not called).
    """

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "", result_builder: Any = None):
        """
        :param max_workers: threads in the pool (``ThreadPoolExecutor``'s default when ``None``).
        :param thread_name_prefix: prefix of the worker threads' names.
        :param result_builder: shapes the result (a ``ResultBuilder``); a dict when ``None``.
        """
        self.max_workers = max_workers
        self.thread_name_prefix = thread_name_prefix
        self.result_builder = result_builder
        self.executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=thread_name_prefix)

    def do_remote_execute(
        self,
        *,
        node: Node | None,
        execute_lifecycle_for_node: Callable,
        kwargs: dict[str, Any] | None = None,
        **inputs: Any,
    ) -> Future:
        """Submit the node's lifecycle to the pool; it runs once the futures among its inputs resolve.

        The engine passes the inputs as the dict ``kwargs`` (so a node input may be named
        ``node``); 1.x passed them spread as keywords, which is accepted too, for code calling
        this method directly the 1.x way.
        """
        return self.executor.submit(
            _run_when_ready, node, inputs if kwargs is None else kwargs, execute_lifecycle_for_node
        )

    def build_result(self, **outputs: Any) -> Any:
        resolved = {name: _resolved(value) for name, value in outputs.items()}
        if self.result_builder is None:
            return resolved
        return self.result_builder.build_result(**resolved)

    def input_types(self) -> list[type]:
        """``[Any]``, whatever the result builder: the outputs reach :meth:`build_result` as futures
        (1.x does the same), so the wrapped builder's input types do not describe them."""
        return super().input_types()

    def output_type(self) -> type:
        return self.result_builder.output_type() if self.result_builder is not None else super().output_type()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["executor"]  # threads do not pickle; a copy makes its own pool
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.executor = ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix=self.thread_name_prefix)
