"""The lifecycle spine: the hook, method and validator points a run exposes, and the adapter set.

Every adapter is an object whose classes derive from ``Base*`` classes below. Each base class
marks one *point* with :func:`base_hook`, :func:`base_method` or :func:`base_validator`:

* a **hook** is called on every adapter that implements it, in adapter order;
* a **method** replaces a default behaviour, so at most one adapter may implement it;
* a **validator** is called on every adapter and returns ``(ok, error)``.

:class:`LifecycleAdapterSet` discovers once which adapter implements which point, so the engine
asks ``does_hook("pre_node_execute")`` in O(1) and a run with no adapters pays nothing.
"""

from __future__ import annotations

import abc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from hamilton.graph import FunctionGraph
    from hamilton.node import Node

_MARKER = "_hamilton_lifecycle_point"

# 1.x's class attributes naming the point a base class declares (``getattr(cls, SYNC_HOOK)`` is
# the hook's name); kept for 1.x compatibility, the adapter set reads ``_MARKER``.
SYNC_HOOK = "hooks"
ASYNC_HOOK = "async_hooks"
SYNC_METHOD = "methods"
ASYNC_METHOD = "async_methods"
SYNC_VALIDATOR = "validators"
_ATTRIBUTES = {
    ("hook", False): SYNC_HOOK,
    ("hook", True): ASYNC_HOOK,
    ("method", False): SYNC_METHOD,
    ("method", True): ASYNC_METHOD,
    ("validator", False): SYNC_VALIDATOR,
}

REGISTERED_SYNC_HOOKS: set[str] = set()
REGISTERED_ASYNC_HOOKS: set[str] = set()
REGISTERED_SYNC_METHODS: set[str] = set()
REGISTERED_ASYNC_METHODS: set[str] = set()
REGISTERED_SYNC_VALIDATORS: set[str] = set()

_REGISTRIES = {
    ("hook", False): REGISTERED_SYNC_HOOKS,
    ("hook", True): REGISTERED_ASYNC_HOOKS,
    ("method", False): REGISTERED_SYNC_METHODS,
    ("method", True): REGISTERED_ASYNC_METHODS,
    ("validator", False): REGISTERED_SYNC_VALIDATORS,
}


class InvalidLifecycleAdapter(Exception):
    """A lifecycle base class declares its point incorrectly."""


class ValidationException(Exception):
    """Raised when a static validator rejects a node or the graph."""


class ValidationResult:
    """What one validator said: ``success``, the ``error`` message, and the ``validator``."""

    __slots__ = ("error", "success", "validator")

    def __init__(self, success: bool, error: str | None, validator: object):
        self.success = success
        self.error = error
        self.validator = validator

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValidationResult):
            return NotImplemented
        return (self.success, self.error, self.validator) == (other.success, other.error, other.validator)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ValidationResult(success={self.success!r}, error={self.error!r}, validator={self.validator!r})"


class _Point:
    """A lifecycle point a base class declares."""

    __slots__ = ("is_async", "kind", "name")

    def __init__(self, kind: str, name: str, is_async: bool):
        self.kind = kind  # "hook" | "method" | "validator"
        self.name = name
        self.is_async = is_async


_CO_COROUTINE = 0x80


def _mark(kind: str, name: str) -> Callable[[type], type]:
    def decorate(cls: type) -> type:
        function = cls.__dict__.get(name)
        if function is None:
            raise InvalidLifecycleAdapter(f"{cls.__qualname__} must define the {kind} {name}().")
        is_async = bool(function.__code__.co_flags & _CO_COROUTINE)
        if cls.__module__ != __name__:  # core's own points are checked by its tests
            _validate_point_signature(cls, kind, name, function, is_async)
        setattr(cls, _MARKER, _Point(kind, name, is_async))
        setattr(cls, _ATTRIBUTES[(kind, is_async)], name)
        _REGISTRIES[(kind, is_async)].add(name)
        return cls

    return decorate


def _validate_point_signature(cls: type, kind: str, name: str, function: Callable, is_async: bool) -> None:
    """Points take keyword-only arguments; hooks return nothing; validators are synchronous."""
    if kind == "validator" and is_async:
        raise InvalidLifecycleAdapter(f"Validator {cls.__qualname__}.{name} must be synchronous.")
    validate_lifecycle_adapter_function(function, returns_value=kind != "hook")


def validate_lifecycle_adapter_function(fn: Callable, returns_value: bool, return_type: Any = None) -> None:
    """Check a lifecycle point's signature: arguments (after ``self``) are keyword-only, and it
    declares a return type iff ``returns_value`` (one compatible with ``return_type`` if given).

    Raises :class:`InvalidLifecycleAdapter`. Unlike 1.x, ``-> None`` on a hook and a trailing
    ``**kwargs`` (for arguments later versions add) are accepted.
    """
    import inspect

    signature = inspect.signature(fn)
    positional = [
        p.name
        for i, p in enumerate(signature.parameters.values())
        if p.kind not in (p.KEYWORD_ONLY, p.VAR_KEYWORD) and not (i == 0 and p.name == "self")
    ]
    if positional:
        raise InvalidLifecycleAdapter(
            f"Lifecycle methods/hooks take keyword-only arguments, but {fn.__qualname__} has {positional} "
            "that are not: put them after a `*`."
        )
    returns = signature.return_annotation
    if not returns_value:
        if returns not in (inspect.Signature.empty, None, "None"):
            raise InvalidLifecycleAdapter(
                f"Lifecycle hooks must not return a value, but {fn.__qualname__} declares -> {returns!r}."
            )
        return
    if returns is inspect.Signature.empty:
        raise InvalidLifecycleAdapter(
            f"Lifecycle methods/validators return a value, but {fn.__qualname__} has no return annotation."
        )
    if return_type is not None:
        from hamilton.htypes import custom_subclass_check

        if not custom_subclass_check(returns, return_type):
            raise InvalidLifecycleAdapter(
                f"{fn.__qualname__} must return {return_type!r}, but its return annotation is {returns!r}."
            )


def base_hook(name: str) -> Callable[[type], type]:
    """Mark a base class as declaring the hook ``name`` (called on every implementing adapter)."""
    return _mark("hook", name)


def base_method(name: str) -> Callable[[type], type]:
    """Mark a base class as declaring the method ``name`` (at most one adapter implements it)."""
    return _mark("method", name)


def base_validator(name: str) -> Callable[[type], type]:
    """Mark a base class as declaring the validator ``name``."""
    return _mark("validator", name)


class lifecycle:
    """1.x's namespace for the registration decorators (``@lifecycle.base_hook("name")``...),
    kept for 1.x compatibility; the module-level functions are the same."""

    base_hook = staticmethod(base_hook)
    base_method = staticmethod(base_method)
    base_validator = staticmethod(base_validator)


# --- graph construction -----------------------------------------------------------------


@base_hook("pre_do_anything")
class BasePreDoAnythingHook(abc.ABC):
    @abc.abstractmethod
    def pre_do_anything(self) -> None:
        """Called first, before the graph is built."""


@base_method("do_check_edge_types_match")
class BaseDoCheckEdgeTypesMatch(abc.ABC):
    @abc.abstractmethod
    def do_check_edge_types_match(self, *, type_from: type, type_to: type) -> bool:
        """Whether a producer of ``type_to`` may feed a parameter of ``type_from`` (OR-ed with the default)."""


@base_method("do_validate_input")
class BaseDoValidateInput(abc.ABC):
    @abc.abstractmethod
    def do_validate_input(self, *, node_type: type, input_value: Any) -> bool:
        """Whether ``input_value`` is valid for an input of ``node_type`` (replaces the default)."""


@base_validator("validate_node")
class BaseValidateNode(abc.ABC):
    @abc.abstractmethod
    def validate_node(self, *, created_node: Node) -> tuple[bool, Exception | None]:
        """Check one node after the graph is built."""


@base_validator("validate_graph")
class BaseValidateGraph(abc.ABC):
    @abc.abstractmethod
    def validate_graph(self, *, graph: FunctionGraph, modules: list, config: dict[str, Any]) -> tuple[bool, str | None]:
        """Check the whole graph after it is built."""


@base_hook("post_graph_construct")
class BasePostGraphConstruct(abc.ABC):
    @abc.abstractmethod
    def post_graph_construct(self, *, graph: FunctionGraph, modules: list, config: dict[str, Any]) -> None:
        """Called once the graph is built and validated."""


@base_hook("post_graph_construct")
class BasePostGraphConstructAsync(abc.ABC):
    @abc.abstractmethod
    async def post_graph_construct(self, *, graph: FunctionGraph, modules: list, config: dict[str, Any]) -> None:
        """Async variant of :class:`BasePostGraphConstruct`."""


# --- graph execution --------------------------------------------------------------------


@base_hook("pre_graph_execute")
class BasePreGraphExecute(abc.ABC):
    @abc.abstractmethod
    def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        """Called before a run starts (before inputs are validated)."""


@base_hook("pre_graph_execute")
class BasePreGraphExecuteAsync(abc.ABC):
    @abc.abstractmethod
    async def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        """Async variant of :class:`BasePreGraphExecute`."""


@base_hook("post_graph_execute")
class BasePostGraphExecute(abc.ABC):
    @abc.abstractmethod
    def post_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
    ) -> None:
        """Called after every run, successful or not."""


@base_hook("post_graph_execute")
class BasePostGraphExecuteAsync(abc.ABC):
    @abc.abstractmethod
    async def post_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
    ) -> None:
        """Async variant of :class:`BasePostGraphExecute`."""


# --- tasks (dynamic execution) ------------------------------------------------------------


@base_hook("post_task_group")
class BasePostTaskGroup(abc.ABC):
    @abc.abstractmethod
    def post_task_group(self, *, run_id: str, task_ids: list[str]) -> None:
        """Called once nodes are grouped into tasks."""


@base_hook("post_task_expand")
class BasePostTaskExpand(abc.ABC):
    @abc.abstractmethod
    def post_task_expand(self, *, run_id: str, task_id: str, parameters: dict[str, Any]) -> None:
        """Called after a Parallelizable task yields its items."""


@base_hook("pre_task_submission")
class BasePreTaskSubmission(abc.ABC):
    @abc.abstractmethod
    def pre_task_submission(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Node],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        """Called in the driver's process before a task goes to an executor."""


@base_hook("pre_task_execute")
class BasePreTaskExecute(abc.ABC):
    @abc.abstractmethod
    def pre_task_execute(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Node],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        """Called where the task runs, before its nodes."""


@base_hook("pre_task_execute")
class BasePreTaskExecuteAsync(abc.ABC):
    @abc.abstractmethod
    async def pre_task_execute(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Node],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        """Async variant of :class:`BasePreTaskExecute`."""


@base_hook("post_task_execute")
class BasePostTaskExecute(abc.ABC):
    @abc.abstractmethod
    def post_task_execute(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Node],
        results: dict[str, Any] | None,
        success: bool,
        error: Exception | None,
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        """Called where the task ran, after its nodes."""


@base_hook("post_task_execute")
class BasePostTaskExecuteAsync(abc.ABC):
    @abc.abstractmethod
    async def post_task_execute(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Node],
        results: dict[str, Any] | None,
        success: bool,
        error: Exception | None,
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        """Async variant of :class:`BasePostTaskExecute`."""


@base_hook("post_task_return")
class BasePostTaskReturn(abc.ABC):
    @abc.abstractmethod
    def post_task_return(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Node],
        result: Any,
        success: bool,
        error: Exception | None,
        spawning_task_id: str | None,
        purpose: Any,
    ) -> None:
        """Called in the driver's process when a task's result comes back."""


# --- nodes ------------------------------------------------------------------------------


@base_hook("pre_node_execute")
class BasePreNodeExecute(abc.ABC):
    @abc.abstractmethod
    def pre_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> None:
        """Called before a node runs; raising aborts the node."""


@base_hook("pre_node_execute")
class BasePreNodeExecuteAsync(abc.ABC):
    @abc.abstractmethod
    async def pre_node_execute(
        self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None
    ) -> None:
        """Async variant of :class:`BasePreNodeExecute`."""


@base_method("do_node_execute")
class BaseDoNodeExecute(abc.ABC):
    @abc.abstractmethod
    def do_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> Any:
        """Compute a node (replaces calling ``node_.callable(**kwargs)``)."""


@base_method("do_node_execute")
class BaseDoNodeExecuteAsync(abc.ABC):
    @abc.abstractmethod
    async def do_node_execute(
        self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None
    ) -> Any:
        """Async variant of :class:`BaseDoNodeExecute`."""


@base_method("do_remote_execute")
class BaseDoRemoteExecute(abc.ABC):
    @abc.abstractmethod
    def do_remote_execute(self, *, node: Node, kwargs: dict[str, Any], execute_lifecycle_for_node: Callable) -> Any:
        """Run a node's whole lifecycle (``execute_lifecycle_for_node(**kwargs)``) elsewhere."""


@base_hook("post_node_execute")
class BasePostNodeExecute(abc.ABC):
    @abc.abstractmethod
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
        """Called after a node ran, successful or not."""


@base_hook("post_node_execute")
class BasePostNodeExecuteAsync(abc.ABC):
    @abc.abstractmethod
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
        """Async variant of :class:`BasePostNodeExecute`."""


@base_method("do_build_result")
class BaseDoBuildResult(abc.ABC):
    @abc.abstractmethod
    def do_build_result(self, *, outputs: Any) -> Any:
        """Shape the requested outputs (a dict) into the run's result."""


def _points_of(adapter: object) -> list[_Point]:
    seen: set[tuple[str, str]] = set()
    points = []
    for cls in type(adapter).__mro__:
        point = cls.__dict__.get(_MARKER)
        if point is not None and (point.kind, point.name) not in seen:
            seen.add((point.kind, point.name))
            points.append(point)
    return points


_RUN_ID_POINTS = frozenset(
    (
        "pre_graph_execute",
        "post_graph_execute",
        "post_task_group",
        "post_task_expand",
        "pre_task_submission",
        "pre_task_execute",
        "post_task_execute",
        "post_task_return",
        "pre_node_execute",
        "do_node_execute",
        "post_node_execute",
    )
)


_spreads_inputs: Any = None  # function -> whether it takes the inputs spread (weak keys, made on first use)


def _remote_execute_calling_convention(method: Callable) -> Callable:
    """``method`` called as the engine calls it (``node=, kwargs=, execute_lifecycle_for_node=``).

    1.x declared ``kwargs: dict`` on :class:`BaseDoRemoteExecute` but called implementations
    with the node's inputs spread as keywords, so 1.x adapters (its ray and thread-pool ones,
    many users') take ``**kwargs`` instead; such a method gets the inputs spread. The signature
    is read once per function (task-based runs ask for the method once per task).
    """
    global _spreads_inputs
    if _spreads_inputs is None:
        import weakref

        _spreads_inputs = weakref.WeakKeyDictionary()
    function = getattr(method, "__func__", method)
    try:
        spreads = _spreads_inputs.get(function)
        cacheable = True
    except TypeError:  # not weak-referenceable: read every time
        spreads, cacheable = None, False
    if spreads is None:
        spreads = _takes_spread_inputs(method)
        if cacheable:
            _spreads_inputs[function] = spreads
    if not spreads:
        return method

    def spread(*, node: Node, kwargs: dict[str, Any], execute_lifecycle_for_node: Callable) -> Any:
        return method(node=node, execute_lifecycle_for_node=execute_lifecycle_for_node, **kwargs)

    return spread


def _takes_spread_inputs(method: Callable) -> bool:
    """Whether ``method`` has ``**kwargs`` and no ``kwargs`` parameter of its own."""
    import inspect

    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    declared = parameters.get("kwargs")
    if declared is not None and declared.kind is not declared.VAR_KEYWORD:
        return False
    return any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class LifecycleAdapterSet:
    """The adapters of one driver, indexed by the lifecycle points they implement."""

    def __init__(self, *adapters: object):
        unique: list[object] = []
        for adapter in adapters:
            if not any(adapter is existing for existing in unique):
                unique.append(adapter)
        self._adapters = unique
        self._hooks: dict[tuple[str, bool], list[object]] = {}
        self._methods: dict[tuple[str, bool], list[object]] = {}
        self._validators: dict[str, list[object]] = {}
        for adapter in unique:
            for point in _points_of(adapter):
                if point.kind == "hook":
                    self._hooks.setdefault((point.name, point.is_async), []).append(adapter)
                elif point.kind == "method":
                    self._methods.setdefault((point.name, point.is_async), []).append(adapter)
                else:
                    self._validators.setdefault(point.name, []).append(adapter)
        # Whether a run must make a run id: some implemented point receives one (else "" is passed).
        self.receives_run_id = any(name in _RUN_ID_POINTS for name, _ in (*self._hooks, *self._methods))
        clashes = sorted({(name, is_async) for (name, is_async), impls in self._methods.items() if len(impls) > 1})
        if clashes:
            sync = [name for name, is_async in clashes if not is_async]
            async_ = [name for name, is_async in clashes if is_async]
            owners = {
                name: [type(a).__qualname__ for a in self._methods[(name, is_async)]] for name, is_async in clashes
            }
            raise ValueError(
                "Multiple adapters cannot (currently) implement the same lifecycle method. "
                f"Sync methods: {sync}. Async methods: {async_}. Implemented by: {owners}. "
                "Keep one adapter per method (e.g. one result builder)."
            )

    @property
    def adapters(self) -> list[object]:
        return list(self._adapters)

    # 1.x's views of the index: point name -> implementing adapters (fresh dicts, read-only use).
    def _by_name(self, index: dict[tuple[str, bool], list[object]], is_async: bool) -> dict[str, list[object]]:
        return {name: list(impls) for (name, variant), impls in index.items() if variant is is_async}

    @property
    def sync_hooks(self) -> dict[str, list[object]]:
        return self._by_name(self._hooks, False)

    @property
    def async_hooks(self) -> dict[str, list[object]]:
        return self._by_name(self._hooks, True)

    @property
    def sync_methods(self) -> dict[str, list[object]]:
        return self._by_name(self._methods, False)

    @property
    def async_methods(self) -> dict[str, list[object]]:
        return self._by_name(self._methods, True)

    @property
    def sync_validators(self) -> dict[str, list[object]]:
        return {name: list(impls) for name, impls in self._validators.items()}

    def implemented_points(self) -> list[str]:
        """Names of every hook, method and validator some adapter of the set implements."""
        names = [name for name, _ in self._hooks] + [name for name, _ in self._methods] + list(self._validators)
        return sorted(set(names))

    def __len__(self) -> int:
        return len(self._adapters)

    def __bool__(self) -> bool:
        return bool(self._adapters)

    def __repr__(self) -> str:
        return f"LifecycleAdapterSet({', '.join(type(a).__qualname__ for a in self._adapters)})"

    @staticmethod
    def _check(name: str, registries: tuple[set[str], ...]) -> None:
        if not any(name in registry for registry in registries):
            raise ValueError(f"{name} is not a registered lifecycle point.")

    def does_hook(self, hook_name: str, is_async: bool | None = None) -> bool:
        self._check(hook_name, (REGISTERED_SYNC_HOOKS, REGISTERED_ASYNC_HOOKS))
        variants = (False, True) if is_async is None else (is_async,)
        return any((hook_name, variant) in self._hooks for variant in variants)

    def does_method(self, method_name: str, is_async: bool | None = None) -> bool:
        self._check(method_name, (REGISTERED_SYNC_METHODS, REGISTERED_ASYNC_METHODS))
        variants = (False, True) if is_async is None else (is_async,)
        return any((method_name, variant) in self._methods for variant in variants)

    def does_validation(self, validator_name: str) -> bool:
        self._check(validator_name, (REGISTERED_SYNC_VALIDATORS,))
        return validator_name in self._validators

    def hooks_for(self, hook_name: str, is_async: bool = False) -> list[Callable]:
        """Bound hook callables in adapter order (what the engine iterates on its hot path)."""
        return [getattr(adapter, hook_name) for adapter in self._hooks.get((hook_name, is_async), ())]

    def method_for(self, method_name: str, is_async: bool = False) -> Callable | None:
        """The bound method implementing ``method_name``, or ``None``."""
        impls = self._methods.get((method_name, is_async))
        if not impls:
            return None
        method = getattr(impls[0], method_name)
        if method_name == "do_remote_execute":
            return _remote_execute_calling_convention(method)
        return method

    def call_all_lifecycle_hooks_sync(self, hook_name: str, **kwargs: Any) -> None:
        for hook in self.hooks_for(hook_name):
            hook(**kwargs)

    async def call_all_lifecycle_hooks_async(self, hook_name: str, **kwargs: Any) -> None:
        import asyncio

        await asyncio.gather(*(hook(**kwargs) for hook in self.hooks_for(hook_name, is_async=True)))

    async def call_all_lifecycle_hooks_sync_and_async(self, hook_name: str, **kwargs: Any) -> None:
        self.call_all_lifecycle_hooks_sync(hook_name, **kwargs)
        await self.call_all_lifecycle_hooks_async(hook_name, **kwargs)

    def call_lifecycle_method_sync(self, method_name: str, **kwargs: Any) -> Any:
        method = self.method_for(method_name)
        if method is None:
            raise ValueError(f"No adapter implements the lifecycle method {method_name}.")
        return method(**kwargs)

    async def call_lifecycle_method_async(self, method_name: str, **kwargs: Any) -> Any:
        method = self.method_for(method_name, is_async=True)
        if method is None:
            raise ValueError(f"No adapter implements the async lifecycle method {method_name}.")
        return await method(**kwargs)

    def call_all_validators_sync(
        self, validator_name: str, output_only_failures: bool = True, **kwargs: Any
    ) -> list[ValidationResult]:
        results = []
        for adapter in self._validators.get(validator_name, ()):
            success, error = getattr(adapter, validator_name)(**kwargs)
            if not success or not output_only_failures:
                results.append(ValidationResult(success, error, adapter))
        return results

    async def ainit(self) -> None:
        """Run each adapter's optional ``async ainit()`` once (async drivers call this)."""
        for adapter in self._adapters:
            initializer = getattr(adapter, "ainit", None)
            if initializer is not None:
                await initializer()
