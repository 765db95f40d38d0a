"""Running a plan synchronously: the hot loop, and the same loop with lifecycle hooks.

A run without node-level hooks is a dict lookup per argument and a call per node. Hooks
(``pre_node_execute``, ``do_node_execute``, ``post_node_execute``, ``do_remote_execute``) switch
to the instrumented loop; nothing is paid for hooks nobody registered.
"""

from __future__ import annotations

from hamilton._introspect import is_coroutine_function
from hamilton.execution.outcome import FAILED_NODE_ATTRIBUTE, UNAVAILABLE
from hamilton.execution.plan import CALL_NO_ARGS, CALL_ONE_ARG, CALL_POSITIONAL, ExecutionPlan, Step
from hamilton.node import NodeType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from hamilton.execution.outcome import FailurePolicy
    from hamilton.lifecycle.base import LifecycleAdapterSet
    from hamilton.node import Node

_NODE_POINTS = ("pre_node_execute", "post_node_execute")
_EXPAND = NodeType.EXPAND
_NODE_METHODS = ("do_node_execute", "do_remote_execute")
_NOTED = "__hamilton_noted__"


def has_node_hooks(adapter: LifecycleAdapterSet | None) -> bool:
    """Whether ``adapter`` wants to see individual nodes (which rules out the fast loop)."""
    if not adapter:
        return False
    return any(adapter.does_hook(name, is_async=False) for name in _NODE_POINTS) or any(
        adapter.does_method(name, is_async=False) for name in _NODE_METHODS
    )


def adapter_is_async_per_node(adapter: LifecycleAdapterSet | None) -> bool:
    """Whether ``adapter`` has an async node hook or method (a run must then use the event loop)."""
    if not adapter:
        return False
    return (
        adapter.does_hook("pre_node_execute", is_async=True)
        or adapter.does_hook("post_node_execute", is_async=True)
        or adapter.does_method("do_node_execute", is_async=True)
    )


def run_plan(
    plan: ExecutionPlan,
    values: dict[str, Any],
    adapter: LifecycleAdapterSet | None = None,
    *,
    run_id: str = "",
    task_id: str | None = None,
    keep_all: bool = False,
    policy: FailurePolicy | None = None,
) -> dict[str, Any]:
    """Compute every step of ``plan`` into ``values`` (seeded with inputs and overrides).

    Intermediate values no later step needs are freed as the run goes, unless ``keep_all``.
    With a ``policy`` (keep-going runs, fallbacks), failures are handled as it decides.
    Returns ``values``.
    """
    run_steps(
        plan.steps,
        values,
        adapter,
        run_id=run_id,
        task_id=task_id,
        free=not keep_all,
        policy=policy,
        is_async=plan.has_async_nodes,
    )
    return values


def run_steps(
    steps: tuple[Step, ...],
    values: dict[str, Any],
    adapter: LifecycleAdapterSet | None = None,
    *,
    run_id: str = "",
    task_id: str | None = None,
    free: bool = False,
    hooked: bool | None = None,
    policy: FailurePolicy | None = None,
    is_async: bool | None = None,
) -> None:
    """Compute ``steps`` into ``values`` (``hooked``: whether node hooks apply; ``is_async``:
    whether a step is ``async def``; both computed when not already known).

    ``async def`` nodes are awaited on an event loop (see :func:`hamilton.execution.bridge.run_sync`).
    """
    if steps_are_async(steps) if is_async is None else is_async:
        from hamilton.execution.async_runner import run_steps_async
        from hamilton.execution.bridge import run_sync

        run_sync(lambda: run_steps_async(steps, values, adapter, run_id=run_id, task_id=task_id, policy=policy))
        return
    hooked = has_node_hooks(adapter) if hooked is None else hooked
    if policy is not None:
        lifecycle = NodeLifecycle(adapter, run_id, task_id) if hooked else None
        _run_guarded(steps, values, lifecycle, policy, free)
    elif hooked:
        _run_with_hooks(steps, values, adapter, run_id, task_id, free)
    else:
        _run_fast(steps, values, free)


def steps_are_async(steps: tuple[Step, ...]) -> bool:
    """Whether any step's function is ``async def`` (its result must be awaited)."""
    return any(is_coroutine_function(step.function) for step in steps)


def _run_guarded(
    steps: tuple[Step, ...],
    values: dict[str, Any],
    lifecycle: NodeLifecycle | None,
    policy: FailurePolicy,
    free: bool,
) -> None:
    """The loop for runs where a failure need not stop everything (keep-going, fallbacks).

    Values are never freed here: a fallback may need any of them, and the records must be exact.
    """
    for step in steps:
        kwargs = policy.arguments(step, {arg: values[arg] for arg in step.args}, values)
        if kwargs is None:  # an argument is unavailable and the node has no fallback for it
            values[step.name] = UNAVAILABLE
            continue
        try:
            if lifecycle is not None:
                values[step.name] = lifecycle.run(step.node, kwargs)
            else:
                values[step.name] = step.function(**kwargs)
        except Exception as error:
            report_node_failure(error, step.node, kwargs)
            policy.node_failed(step.name, error)
            values[step.name] = UNAVAILABLE


def _run_fast(steps: tuple[Step, ...], values: dict[str, Any], free: bool) -> None:
    step = None
    try:
        for step in steps:
            name, function, mode, getter, drops, args, _ = step
            if mode == CALL_POSITIONAL:
                values[name] = function(*getter(values))
            elif mode == CALL_ONE_ARG:
                values[name] = function(values[getter])
            elif mode == CALL_NO_ARGS:
                values[name] = function()
            else:
                values[name] = function(**{arg: values[arg] for arg in args})
            if drops and free:
                for dropped in drops:
                    del values[dropped]
    except Exception as error:
        if step is not None:
            report_node_failure(error, step.node, {arg: values.get(arg) for arg in step.args})
        raise


def _run_with_hooks(
    steps: tuple[Step, ...],
    values: dict[str, Any],
    adapter: LifecycleAdapterSet,
    run_id: str,
    task_id: str | None,
    free: bool,
) -> None:
    lifecycle = NodeLifecycle(adapter, run_id, task_id)
    remote = adapter.method_for("do_remote_execute")
    if remote is None and lifecycle.only_direct_hooks:
        _run_with_direct_hooks(steps, values, lifecycle, free)
        return
    for step in steps:
        kwargs = {arg: values[arg] for arg in step.args}
        try:
            if remote is not None:
                values[step.name] = remote(
                    node=step.node,
                    kwargs=kwargs,
                    execute_lifecycle_for_node=lifecycle.bind(step.node),
                )
            else:
                values[step.name] = lifecycle.run(step.node, kwargs)
        except Exception as error:
            report_node_failure(error, step.node, kwargs)
            raise
        if step.drops and free:
            for dropped in step.drops:
                del values[dropped]


def _run_with_direct_hooks(
    steps: tuple[Step, ...], values: dict[str, Any], lifecycle: NodeLifecycle, free: bool
) -> None:
    """The hooked loop when every node hook is a plain ``NodeExecutionHook`` and nothing replaces
    node execution: :meth:`NodeLifecycle.run` inlined, one argument dict per node and point for
    all hooks (built fresh: a dict with deleted keys is slower to unpack)."""
    before = [hook for hook, _ in lifecycle.pre_hooks]
    after = [hook for hook, _ in lifecycle.post_hooks]
    run_id, task_id = lifecycle.run_id, lifecycle.task_id
    for step in steps:
        name, function, _, _, drops, args, node_ = step
        kwargs = {arg: values[arg] for arg in args}
        hook = None
        try:
            if before:
                arguments = {
                    "node_name": name,
                    "node_tags": node_._tags,
                    "node_kwargs": kwargs,
                    "node_return_type": node_._type,
                    "task_id": task_id,
                    "run_id": run_id,
                    "node_input_types": node_.parameter_types(),
                }
                for hook in before:
                    hook(**arguments)
        except Exception as error:
            note_hook_failure(error, hook, "pre_node_execute", name)
            raise
        try:
            result = function(**kwargs)
            if node_._node_source is _EXPAND and hasattr(result, "__next__"):
                result = list(result)  # hooks see a Parallelizable node's items, as in 1.x
        except Exception as error:
            lifecycle.post(node_, kwargs, False, error, None)
            report_node_failure(error, node_, kwargs)
            raise
        if after:
            arguments = {
                "node_name": name,
                "node_tags": node_._tags,
                "node_kwargs": kwargs,
                "node_return_type": node_._type,
                "task_id": task_id,
                "run_id": run_id,
                "result": result,
                "error": None,
                "success": True,
            }
            try:
                for hook in after:
                    hook(**arguments)
            except Exception as error:
                note_hook_failure(error, hook, "post_node_execute", name)
                raise
        values[name] = result
        if drops and free:
            for dropped in drops:
                del values[dropped]


class NodeLifecycle:
    """One node's lifecycle: ``pre_node_execute`` hooks, execution, ``post_node_execute`` hooks.

    A failing ``pre`` hook aborts the node without ``post`` hooks; a failing node still
    reports to the ``post`` hooks (``success=False``) before the error propagates.
    """

    def __init__(self, adapter: LifecycleAdapterSet, run_id: str, task_id: str | None):
        self.run_id = run_id
        self.task_id = task_id
        self.pre_hooks = _direct_hooks(adapter.hooks_for("pre_node_execute"), "run_before_node_execution")
        self.post_hooks = _direct_hooks(adapter.hooks_for("post_node_execute"), "run_after_node_execution")
        self.execute_method = adapter.method_for("do_node_execute")
        self.only_direct_hooks = self.execute_method is None and all(
            direct for _, direct in self.pre_hooks + self.post_hooks
        )

    def run(self, node_: Node, kwargs: dict[str, Any]) -> Any:
        self.pre(node_, kwargs)
        try:
            if self.execute_method is not None:
                result = self.execute_method(run_id=self.run_id, node_=node_, kwargs=kwargs, task_id=self.task_id)
            else:
                result = node_.callable(**kwargs)
            if node_._node_source is _EXPAND and hasattr(result, "__next__"):
                result = list(result)  # hooks see a Parallelizable node's items (a generator runs once), as in 1.x
        except Exception as error:
            self.post(node_, kwargs, False, error, None)
            raise
        self.post(node_, kwargs, True, None, result)
        return result

    def pre(self, node_: Node, kwargs: dict[str, Any]) -> None:
        """Call the ``pre_node_execute`` hooks."""
        arguments = None
        hook = None
        try:
            for hook, direct in self.pre_hooks:
                if direct:
                    if arguments is None:  # the same arguments for every NodeExecutionHook of the node
                        arguments = self._describe(node_, kwargs)
                        arguments["node_input_types"] = node_.parameter_types()
                    hook(**arguments)
                else:
                    hook(run_id=self.run_id, node_=node_, kwargs=kwargs, task_id=self.task_id)
        except Exception as error:
            note_hook_failure(error, hook, "pre_node_execute", node_.name)
            raise

    def _describe(self, node_: Node, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments every ``NodeExecutionHook`` receives, built once per node."""
        return {
            "node_name": node_._name,
            "node_tags": node_._tags,
            "node_kwargs": kwargs,
            "node_return_type": node_._type,
            "task_id": self.task_id,
            "run_id": self.run_id,
        }

    def post(
        self,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any,
    ) -> None:
        """Call the ``post_node_execute`` hooks."""
        arguments = None
        hook = None
        try:
            for hook, direct in self.post_hooks:
                if direct:
                    if arguments is None:  # the same arguments for every NodeExecutionHook of the node
                        arguments = self._describe(node_, kwargs)
                        arguments["result"], arguments["error"], arguments["success"] = result, error, success
                    hook(**arguments)
                else:
                    hook(
                        run_id=self.run_id,
                        node_=node_,
                        kwargs=kwargs,
                        success=success,
                        error=error,
                        result=result,
                        task_id=self.task_id,
                    )
        except Exception as hook_error:
            note_hook_failure(hook_error, hook, "post_node_execute", node_.name)
            raise

    def bind(self, node_: Node) -> Callable[..., Any]:
        """``execute_lifecycle_for_node(**kwargs)`` for ``do_remote_execute`` adapters."""

        def execute_lifecycle_for_node(**kwargs: Any) -> Any:
            return self.run(node_, kwargs)

        return execute_lifecycle_for_node


def _direct_hooks(hooks: list[Callable], direct_name: str) -> list[tuple[Callable, bool]]:
    """Pair each hook with whether it may be called directly.

    A ``NodeExecutionHook`` that keeps the stock ``pre/post_node_execute`` bridge is called
    straight at ``run_before/after_node_execution`` with arguments built once per node for all
    such hooks: one Python call per hook instead of two, and no per-hook argument rebuilding.
    """
    from hamilton.lifecycle.api import NodeExecutionHook

    paired = []
    for hook in hooks:
        owner = getattr(hook, "__self__", None)
        bridge = getattr(NodeExecutionHook, hook.__name__, None)
        if isinstance(owner, NodeExecutionHook) and getattr(type(owner), hook.__name__, None) is bridge:
            paired.append((getattr(owner, direct_name), True))
        else:
            paired.append((hook, False))
    return paired


def note_hook_failure(error: BaseException, hook: Callable | None, point: str, node_name: str | None = None) -> None:
    """Say which adapter's hook failed (a note on the exception), so it is not taken for the node."""
    if getattr(error, _NOTED, False):
        return
    try:
        setattr(error, _NOTED, True)
    except AttributeError:  # exceptions with __slots__
        return
    owner = getattr(hook, "__self__", hook)
    adapter = type(owner).__qualname__ if owner is not None else "an adapter"
    where = f" for node '{node_name}'" if node_name else ""
    if hasattr(error, "add_note"):  # Python 3.11+
        error.add_note(f"Hamilton: raised by the {point} hook of {adapter}{where}; the node itself did not fail.")


def report_node_failure(error: BaseException, node_: Node, kwargs: dict[str, Any]) -> None:
    """Say which node failed: a note on the exception (shown in its traceback) and a log line.

    The exception itself propagates unchanged, so user code catching it keeps working.
    """
    if getattr(error, _NOTED, False):
        return
    try:
        setattr(error, _NOTED, True)
        setattr(error, FAILED_NODE_ATTRIBUTE, node_.name)
    except AttributeError:  # exceptions with __slots__
        return
    message = f"Hamilton: node '{node_.name}' failed; it is computed by {node_.location()}."
    if hasattr(error, "add_note"):  # Python 3.11+
        error.add_note(message)
    import logging

    shown = _short_inputs(kwargs)
    logging.getLogger("hamilton.execution").error("%s Its inputs were: %s", message, shown or "(none)")


_INPUTS_SHOWN = 10  # inputs listed in a failure's log line


def _short_inputs(kwargs: dict[str, Any]) -> str:
    """``a=1, b='x'``: the first few inputs of a failed node, each clipped, so the line stays short."""
    shown = ", ".join(f"{key}={_short_repr(kwargs[key])}" for key in list(kwargs)[:_INPUTS_SHOWN])
    if len(kwargs) > _INPUTS_SHOWN:
        shown += f", ... and {len(kwargs) - _INPUTS_SHOWN} more"
    return shown


def _short_repr(value: Any, limit: int = 80) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
