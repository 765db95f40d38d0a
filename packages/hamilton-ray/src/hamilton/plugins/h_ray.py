"""Run Hamilton dataflows on Ray (Hamilton 1.x's ``hamilton.plugins.h_ray``).

* :class:`RayTaskExecutor`: the remote executor of dynamic execution
  (``Builder().enable_dynamic_execution(allow_experimental_mode=True).with_remote_executor(...)``,
  or by name: ``with_remote_executor("ray")``): each task (the items of ``Parallelizable``
  blocks) runs as one Ray task.
* :class:`RayGraphAdapter`: a 1.x graph adapter for the plain driver: each node runs as one Ray
  task; nodes get their inputs as ``ObjectRef``\\ s, which Ray resolves, so values move between
  workers through Ray's object store and only the requested outputs come back to the driver.

Both honour ``@ray_remote_options(...)`` (tags ``ray_remote.<option>``). A failure inside Ray is
raised as the node's own exception (same type), with a note naming the node and its function, and
the worker's traceback as its cause.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import ray

from hamilton._introspect import is_coroutine_function
from hamilton.base import SimplePythonGraphAdapter
from hamilton.execution.executors import (
    TaskExecutor,
    TaskFuture,
    TaskFutureWrappingPythonFuture,
    execute_task_remotely,
)
from hamilton.execution.grouping import TaskImplementation
from hamilton.execution.runner import report_node_failure
from hamilton.function_modifiers.metadata import RAY_REMOTE_TAG_NAMESPACE
from hamilton.lifecycle.base import BasePostGraphExecute
from hamilton.node import Node, NodeType

__all__ = [
    "RAY_REMOTE_TAG_NAMESPACE",
    "RayGraphAdapter",
    "RayTaskExecutor",
    "parse_ray_remote_options_from_tags",
    "raify",
]

_PREFIX = RAY_REMOTE_TAG_NAMESPACE + "."


def parse_ray_remote_options_from_tags(tags: Mapping[str, Any]) -> dict[str, Any]:
    """The ``ray.remote`` options a node asks for: its ``ray_remote.<option>`` tags, JSON-decoded
    (``@ray_remote_options(num_gpus=1)`` writes them)."""
    return {key[len(_PREFIX) :]: json.loads(value) for key, value in tags.items() if key.startswith(_PREFIX)}


def raify(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` in a form ``ray.remote`` accepts: a ``functools.partial`` (which Ray cannot make
    remote) wrapped in a plain function; any other function unchanged. Use as ``ray.remote(raify(fn))``."""
    if isinstance(fn, functools.partial):

        def call_partial(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        call_partial.__name__ = call_partial.__qualname__ = getattr(fn.func, "__name__", "partial")
        return call_partial
    return fn


class RayRemoteTraceback(Exception):
    """The traceback of an exception raised in a Ray worker (set as that exception's cause)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


_ANSI_COLOR = re.compile(r"\x1b\[[0-9;]*m")


def unwrap_ray_error(error: BaseException) -> BaseException:
    """The exception a task raised, out of Ray's ``RayTaskError``: same type and notes, with the
    worker's traceback as its ``__cause__``. Any other error (a dead worker...) is returned as is."""
    cause = getattr(error, "cause", None) if isinstance(error, ray.exceptions.RayTaskError) else None
    if not isinstance(cause, Exception):
        return error
    try:
        text = str(error)  # the worker's traceback, as Ray formats it (a dual "RayTaskError(X)" has no traceback_str)
    except Exception:  # a broken __str__ must not hide the error itself
        text = ""
    if text:
        cause.__cause__ = RayRemoteTraceback("\n" + _ANSI_COLOR.sub("", text))
    return cause


def _init_ray(config: Mapping[str, Any] | None) -> bool:
    """``ray.init(**config)`` unless Ray is initialised already; whether this call started it."""
    if ray.is_initialized():
        return False
    ray.init(**dict(config or {}))
    return True


# -- the graph adapter ---------------------------------------------------------------------------


def _refuse_fan_out(node_: Node) -> None:
    role = node_.node_role
    if role is NodeType.EXPAND or role is NodeType.COLLECT:
        kind = "Parallelizable" if role is NodeType.EXPAND else "Collect"
        raise NotImplementedError(
            f"RayGraphAdapter cannot run the {kind} node '{node_.name}' ({node_.location()}): it runs each node "
            "as one Ray task and does not fan out. Use dynamic execution with the Ray task executor instead: "
            "Builder().enable_dynamic_execution(allow_experimental_mode=True)"
            ".with_remote_executor(h_ray.RayTaskExecutor())."
        )


def _node_task(node_: Node) -> Callable[..., Any]:
    """The function a Ray worker runs for ``node_``: the node's function (an ``async def`` one on
    an event loop of its own), whose failure names the node."""
    function = node_.callable
    is_async = is_coroutine_function(function)
    # Detached from the graph: pickling a node with its links pickles every node it reaches
    # (deep enough on a large graph to exceed the pickler's recursion limit).
    node_ = node_.copy_with(include_refs=False)

    def run(**kwargs: Any) -> Any:
        try:
            if is_async:
                import asyncio

                return asyncio.run(function(**kwargs))
            return function(**kwargs)
        except Exception as error:
            report_node_failure(error, node_, kwargs)
            raise

    run.__name__ = run.__qualname__ = node_.name
    return run


class RayGraphAdapter(SimplePythonGraphAdapter, BasePostGraphExecute):
    """Runs each node as one Ray task (``Driver(..., adapter=RayGraphAdapter(result_builder))``).

    Nodes are submitted as the driver walks the graph, each with its dependencies' ``ObjectRef``\\ s:
    Ray schedules them as their inputs become ready, on any worker, with the options of the node's
    ``@ray_remote_options``. :meth:`build_result` waits for the requested outputs and applies the
    result builder in the driver. Node functions and their values must be picklable (cloudpickle).

    ``Parallelizable``/``Collect`` nodes are refused: use :class:`RayTaskExecutor` for fan-outs.
    ``async def`` nodes run on an event loop in the worker. Node hooks of other adapters run in the
    driver and see ``ObjectRef``\\ s as results (except in runs with ``async def`` nodes, where the
    driver awaits each node's value).
    """

    def __init__(
        self,
        result_builder: Any,
        ray_init_config: dict[str, Any] | None = None,
        shutdown_ray_on_completion: bool = False,
    ):
        """
        :param result_builder: shapes the outputs (``base.DictResult()``, ``base.PandasDataFrameResult()``...).
        :param ray_init_config: keyword arguments of ``ray.init``, used when Ray is not initialised
            yet at the first node (Ray starts a local instance with its defaults otherwise).
        :param shutdown_ray_on_completion: ``ray.shutdown()`` after each run (successful or not).
        """
        if result_builder is None:
            raise ValueError("RayGraphAdapter needs a result builder, e.g. base.DictResult().")
        self.result_builder = result_builder
        self.ray_init_config = ray_init_config
        self.shutdown_ray_on_completion = shutdown_ray_on_completion
        self._remote: dict[str, tuple[Callable[..., Any], Any]] = {}  # node name -> (callable, remote fn)

    def execute_node(self, node: Node, kwargs: dict[str, Any]) -> Any:
        """Submit ``node`` as a Ray task; its ``ObjectRef`` stands for its value downstream."""
        _refuse_fan_out(node)
        _init_ray(self.ray_init_config)
        known = self._remote.get(node.name)
        if known is None or known[0] is not node.callable:
            known = (node.callable, ray.remote(_node_task(node)))
            self._remote[node.name] = known
        options = {"name": node.name, **parse_ray_remote_options_from_tags(node.tags)}
        ref = known[1].options(**options).remote(**kwargs)
        if is_coroutine_function(node.callable):
            return _awaited(ref)  # the driver runs this graph on an event loop and awaits it
        return ref

    def build_result(self, **outputs: Any) -> Any:
        """Fetch the outputs' values (one ``ray.get``) and apply the result builder."""
        names = [name for name, value in outputs.items() if isinstance(value, ray.ObjectRef)]
        if names:
            try:
                values = ray.get([outputs[name] for name in names])
            except ray.exceptions.RayTaskError as error:
                raise unwrap_ray_error(error)  # noqa: B904 (its cause is the worker traceback)
            outputs = {**outputs, **dict(zip(names, values, strict=True))}
        return self.result_builder.build_result(**outputs)

    def input_types(self) -> list[type]:
        return [Any]

    def output_type(self) -> type:
        return self.result_builder.output_type()

    def post_graph_execute(
        self, *, run_id: str, graph: Any, success: bool, error: Exception | None, results: dict[str, Any] | None
    ) -> None:
        if self.shutdown_ray_on_completion:
            self._remote.clear()  # remote functions belong to the Ray instance that ends here
            ray.shutdown()


async def _awaited(ref: Any) -> Any:
    try:
        return await ref
    except ray.exceptions.RayTaskError as error:
        raise unwrap_ray_error(error)  # noqa: B904 (its cause is the worker traceback)


# -- the task executor ---------------------------------------------------------------------------


def _merge_options(task: TaskImplementation) -> dict[str, Any]:
    """The ``ray.remote`` options of a task: those of its nodes, with the largest amount of each
    resource; other options must agree."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for node_ in task.nodes:
        for option, value in parse_ray_remote_options_from_tags(node_.tags).items():
            if option not in merged:
                merged[option], owner[option] = value, node_.name
            elif option == "resources" and isinstance(value, dict):
                merged[option] = {k: max(v, merged[option].get(k, 0)) for k, v in {**merged[option], **value}.items()}
            elif isinstance(value, int | float) and isinstance(merged[option], int | float):
                merged[option] = max(merged[option], value)
            elif merged[option] != value:
                raise ValueError(
                    f"Task {task.task_id} runs nodes asking for different ray_remote_options({option}=...): "
                    f"'{owner[option]}' {merged[option]!r}, '{node_.name}' {value!r}. Give them the same value."
                )
    return merged


_remote_execute: Any = None  # ray.remote(execute_task_remotely), made on first use


_IMPORT_ADVICE = (
    "Hamilton: Ray workers could not load the task. The modules defining node functions (and the types of "
    "their values) must be importable in the workers: install them in the workers' environment, or ship them "
    "with ray.init(runtime_env={'py_modules': [...]}) or runtime_env={'working_dir': ...}."
)


def _unwrapped(ref: Any) -> Any:
    """A ``concurrent.futures.Future`` settled like ``ref``, with Ray's errors unwrapped; cancelling it
    cancels the Ray task."""
    from concurrent.futures import Future

    result: Future = Future()

    def settle(done: Any) -> None:
        if result.cancelled():
            return
        try:
            result.set_result(done.result())
        except BaseException as error:
            unwrapped = unwrap_ray_error(error)
            if (
                isinstance(unwrapped, ray.exceptions.RaySystemError)
                and "No module named" in str(unwrapped)
                and hasattr(unwrapped, "add_note")  # Python 3.11+
            ):
                unwrapped.add_note(_IMPORT_ADVICE)
            result.set_exception(unwrapped)

    def cancel(done: Future) -> None:
        if done.cancelled():
            ray.cancel(ref)

    result.add_done_callback(cancel)
    ref.future().add_done_callback(settle)
    return result


class RayTaskExecutor(TaskExecutor):
    """Runs each task as one Ray task: ``with_remote_executor(RayTaskExecutor(num_cpus=4))``.

    Tasks (nodes, inputs, the run's adapters) and their results are serialized by Ray, so node
    functions and values must be picklable; a generator's items become a list. Ray queues tasks
    itself, so the driver submits every ready task at once.
    """

    def __init__(
        self, num_cpus: int | None = None, ray_init_config: dict[str, Any] | None = None, skip_init: bool = False
    ):
        """
        :param num_cpus: ``ray.init(num_cpus=...)`` when this executor starts Ray.
        :param ray_init_config: other keyword arguments of ``ray.init``.
        :param skip_init: never start Ray (it is started elsewhere, or Ray starts it on first use).
        """
        self.num_cpus = num_cpus
        self.ray_init_config = dict(ray_init_config or {})
        if num_cpus is not None:
            if self.ray_init_config.get("num_cpus", num_cpus) != num_cpus:
                raise ValueError(
                    f"num_cpus={num_cpus} and ray_init_config['num_cpus']={self.ray_init_config['num_cpus']} "
                    "disagree: give one of them."
                )
            self.ray_init_config["num_cpus"] = num_cpus
        self.skip_init = skip_init
        self._started = False

    def init(self) -> None:
        """Start Ray, unless told not to or it runs already (then it is left running afterwards)."""
        if not self.skip_init and not self._started:
            self._started = _init_ray(self.ray_init_config)

    def finalize(self) -> None:
        """Shut Ray down if :meth:`init` started it."""
        if self._started:
            self._started = False
            ray.shutdown()

    def submit_task(self, task: TaskImplementation) -> TaskFuture:
        global _remote_execute
        if _remote_execute is None:
            _remote_execute = ray.remote(execute_task_remotely)
        options = {"name": task.task_id, **_merge_options(task)}
        ref = _remote_execute.options(**options).remote(task)
        return TaskFutureWrappingPythonFuture(_unwrapped(ref))

    def can_submit_task(self) -> bool:
        return True


def __getattr__(name: str) -> Any:
    if name == "RayWorkflowGraphAdapter":  # an ImportError: ``from ... import`` would hide an AttributeError's text
        raise ImportError(
            "RayWorkflowGraphAdapter was removed in Hamilton 1.x already (Ray removed ray.workflow). Use "
            "h_ray.RayGraphAdapter (one Ray task per node) or h_ray.RayTaskExecutor (dynamic execution).",
            name=name,
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
