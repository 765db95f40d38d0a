"""The Driver runs a graph; the Builder assembles a Driver.

``Builder().with_modules(m).build().execute(["output"], inputs={...})`` is the common path.
A driver can also be built from plain functions (``with_functions``) or from a prebuilt,
shareable :class:`~hamilton.graph.Graph` (``with_graph``).
"""

from __future__ import annotations

import types

from hamilton.common import convert_output_values
from hamilton.deprecation import warn_deprecated
from hamilton.execution.graph_executor import (  # noqa: F401 (1.x's import path for these)
    DefaultGraphExecutor,
    GraphExecutor,
    InvalidExecutorException,
    TaskBasedGraphExecutor,
)
from hamilton.execution.modes import DEFAULT_MODE, ExecutionMode
from hamilton.execution.plan import ExecutionPlan
from hamilton.execution.runner import note_hook_failure
from hamilton.graph import Graph
from hamilton.lifecycle.base import LifecycleAdapterSet, ValidationException
from hamilton.node import matches_query, validate_tag_query

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    import pathlib
    import uuid
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
    from typing import Any, Literal

    from hamilton.graph_types import HamiltonNode
    from hamilton.node import Node

SLACK_ERROR_MESSAGE = (
    "-------------------------------------------------------------------\n"
    "Oh no an error! Need help with Hamilton?\n"
    "Join our slack and ask for help! https://join.slack.com/t/hamilton-opensource/shared_invite/"
    "zt-2niepkra8-DGKGf_tTYhXuJWBTXtIs4g\n"
    "-------------------------------------------------------------------\n"
)


def __getattr__(name: str) -> Any:
    # ``Variable`` is an alias of HamiltonNode; importing graph_types lazily keeps
    # ``import hamilton.driver`` free of dataclasses/inspect.
    if name == "Variable":
        from hamilton.graph_types import HamiltonNode

        return HamiltonNode
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def capture_function_usage(call_fn: Callable) -> Callable:
    """Kept for 1.x compatibility; Hamilton 2 collects no telemetry, so this does nothing."""
    return call_fn


def _input_validator(adapter: LifecycleAdapterSet | None) -> Callable[[Any, Any], bool]:
    """``validate(type, value)``: an adapter's ``do_validate_input`` replaces the default check."""
    method = adapter.method_for("do_validate_input") if adapter else None
    if method is not None:
        return lambda node_type, value: method(node_type=node_type, input_value=value)
    return _check_input_type


def _check_input_type(node_type: Any, value: Any) -> bool:
    """``htypes.check_input_type``; plain classes are checked without importing it (or typing)."""
    if type(node_type) is type:
        return isinstance(value, node_type)
    from hamilton import htypes

    return htypes.check_input_type(node_type, value)


def _new_run_id() -> str:
    import uuid

    return str(uuid.uuid4())


def _pandas_plugin_installed() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("hamilton.plugins.h_pandas") is not None
    except (ImportError, ValueError):
        return False


_warned_legacy_default = False


def _legacy_default_result_builder() -> object:
    """1.x's ``Driver(...)`` returned a pandas DataFrame; keep that when pandas support exists."""
    global _warned_legacy_default
    from hamilton import base

    if not _pandas_plugin_installed():
        return base.DictResult()
    if not _warned_legacy_default:
        _warned_legacy_default = True
        warn_deprecated(
            "Driver(...) returning a pandas DataFrame by default",
            instead="Pass adapter=base.PandasDataFrameResult() to keep a DataFrame, or use "
            "driver.Builder() to get a dict.",
            stacklevel=4,
        )
    return base.PandasDataFrameResult()


_NO_OUTPUT_REQUESTED = (
    "No output requested. Please either pass in materializers that will save data, or pass in "
    "`additional_vars` to compute."
)
_CACHE_CONFLICT = "Cannot use `.with_cache()` or with `.with_adapters(SmartCacheAdapter())`."
_CACHE_INSTALL_HINT = (
    'Caching needs the hamilton-cache distribution: pip install "apache-hamilton[cache]" '
    "(it provides hamilton.caching and Builder.with_cache)."
)


def _cache_adapter_among(adapters: Iterable[Any]) -> Any:
    """The ``HamiltonCacheAdapter`` among ``adapters``, else ``None``.

    Without ``hamilton.caching.adapter`` imported no cache adapter can exist, so this never
    imports it: ``import hamilton.driver`` stays free of the cache.
    """
    import sys

    module = sys.modules.get("hamilton.caching.adapter")
    if module is None:
        return None
    for adapter in adapters:
        if isinstance(adapter, module.HamiltonCacheAdapter):
            return adapter
    return None


class Driver:
    """Runs a dataflow: builds (or takes) the graph, validates requests, executes them."""

    def __init__(
        self,
        config: dict[str, Any],
        *modules: types.ModuleType,
        adapter: Any = None,
        allow_module_overrides: bool = False,
        _graph_executor: GraphExecutor | None = None,
        _use_legacy_adapter: bool = True,
        _graph: Graph | None = None,
        _functions: Sequence[Callable] = (),
        _materializers: Sequence[Any] = (),
        _execution_mode: ExecutionMode | None = None,
    ):
        """Build the graph of ``modules`` under ``config``.

        :param config: configuration; its values are also inputs to the graph.
        :param modules: modules whose public functions become nodes.
        :param adapter: one lifecycle adapter, a list of them, or a LifecycleAdapterSet.
        :param allow_module_overrides: let later modules redefine earlier modules' nodes.
        :param _materializers: ``to.<format>(...)``/``from_.<format>(...)`` whose nodes join the graph.
        """
        self.adapter = self.normalize_adapter_input(adapter, use_legacy_adapter=_use_legacy_adapter)
        self._call_hooks("pre_do_anything")
        if _graph is not None:
            self.graph = _graph
        else:
            self.graph = Graph.build(
                modules=modules,
                functions=_functions,
                config=config,
                adapter=self.adapter,
                allow_module_overrides=allow_module_overrides,
            )
        self.config = dict(self.graph.config) if _graph is not None else config
        self.graph_modules = tuple(modules) if modules else self.graph.modules
        self.execution_mode = _execution_mode if _execution_mode is not None else DEFAULT_MODE
        self.graph_executor = _graph_executor if _graph_executor is not None else DefaultGraphExecutor(self.adapter)
        if getattr(self.graph_executor, "adapter", self.adapter) is None:
            self.graph_executor.adapter = self.adapter
        if _execution_mode is not None:
            self.graph_executor.mode = _execution_mode
        self._run_id: uuid.UUID | None = None
        self._modules_of_functions: set[str] | None = None
        if _materializers:
            self.graph = self._with_materializers(self.graph, _materializers)
            self._modules_of_functions = None
        self._validate_graph(self.graph)
        self._call_hooks("post_graph_construct", graph=self.graph, modules=list(self.graph_modules), config=self.config)

    # -- construction helpers ----------------------------------------------------------------
    @staticmethod
    def normalize_adapter_input(adapter: Any, use_legacy_adapter: bool = True) -> LifecycleAdapterSet:
        """Turn ``None``, one adapter, a list or a set into a :class:`LifecycleAdapterSet`."""
        if isinstance(adapter, LifecycleAdapterSet):
            return adapter
        if adapter is None:
            adapters: list = []
        elif isinstance(adapter, (list, tuple)):
            adapters = list(adapter)
        else:
            adapters = [adapter]
        adapter_set = LifecycleAdapterSet(*adapters)
        if use_legacy_adapter and not adapter_set.does_method("do_build_result", is_async=False):
            adapter_set = LifecycleAdapterSet(*adapters, _legacy_default_result_builder())
        return adapter_set

    def _call_hooks(self, name: str, **kwargs: Any) -> None:
        for hook in self.adapter.hooks_for(name):
            hook(**kwargs)

    def _with_materializers(self, graph: Graph, materializers: Sequence[Any]) -> Graph:
        """``graph`` with the nodes of ``materializers`` (``to``/``from_`` factories) added."""
        from hamilton.io.materialization import ExtractorFactory, MaterializerFactory, modify_graph

        savers = [m for m in materializers if isinstance(m, MaterializerFactory)]
        loaders = [m for m in materializers if isinstance(m, ExtractorFactory)]
        others = [m for m in materializers if not isinstance(m, (MaterializerFactory, ExtractorFactory))]
        if others:
            raise ValueError(
                f"Materializers must be made with to.<format>(...) or from_.<format>(...) of "
                f"hamilton.io.materialization; got {others!r}."
            )
        modules = self._function_modules()
        return modify_graph(graph, [m.sanitize_dependencies(modules) for m in savers], loaders)

    def _validate_graph(self, graph: Graph) -> None:
        adapter = self.adapter
        if adapter.does_validation("validate_node"):
            failures = [
                (n.name, result.error)
                for n in graph.get_nodes()
                for result in adapter.call_all_validators_sync("validate_node", created_node=n)
            ]
            if failures:
                details = "\n  ".join(f"{name}: {error}" for name, error in failures)
                raise ValidationException(f"Node validation failed! {len(failures)} errors encountered:\n  {details}")
        if adapter.does_validation("validate_graph"):
            results = adapter.call_all_validators_sync(
                "validate_graph", graph=graph, modules=list(self.graph_modules), config=self.config
            )
            if results:
                details = "\n\t".join(str(result.error) for result in results)
                raise ValidationException(f"Graph validation failed! {len(results)} errors encountered:\t{details}")

    @property
    def driver_run_id(self) -> uuid.UUID:
        """A random id for this driver (1.x attribute)."""
        if self._run_id is None:
            import uuid

            self._run_id = uuid.uuid4()
        return self._run_id

    @property
    def cache(self) -> Any:
        """The cache adapter (``Builder().with_cache()``), or ``None`` when caching is off."""
        return _cache_adapter_among(self.adapter.adapters)

    # -- requests ------------------------------------------------------------------------------
    def _final_var_names(self, final_vars: Iterable[Any]) -> list[str]:
        """Names for outputs given as names, nodes (``.name``) or functions; duplicates collapse."""
        if isinstance(final_vars, str):
            raise TypeError(f"final_vars must be a list of names, got the string {final_vars!r}: use [{final_vars!r}].")
        try:
            final_vars = list(final_vars)
        except TypeError:  # None, a single node/function, a number...
            raise TypeError(
                f"final_vars must be a list of output names (or nodes/functions), got {type(final_vars).__name__} "
                f"{final_vars!r:.100}: pass e.g. ['my_output']."
            ) from None
        if all(type(var) is str for var in final_vars):  # the common case: no conversion needed
            return list(dict.fromkeys(final_vars))
        return list(dict.fromkeys(convert_output_values(final_vars, self._function_modules())))

    def _create_final_vars(self, final_vars: Iterable[Any]) -> list[str]:
        """1.x's private name for :meth:`_final_var_names`, kept because 1.x users call it."""
        return self._final_var_names(final_vars)

    def _function_modules(self) -> set[str]:
        """Modules whose functions may name outputs: the driver's, and those defining nodes."""
        if self._modules_of_functions is None:
            names = {m.__name__ for m in self.graph_modules}
            for n in self.graph.get_nodes():
                names.update(fn.__module__ for fn in n.originating_functions or ())
            self._modules_of_functions = names
        return self._modules_of_functions

    def _plan(
        self, final_vars: list[str], inputs: Mapping[str, Any], overrides: Mapping[str, Any], graph: Graph
    ) -> tuple[ExecutionPlan, dict[str, Any]]:
        """The plan of a request and its given values (config + inputs), validated for overlap."""
        config = graph.config
        if inputs and config:
            shared = sorted(set(config) & set(inputs))
            if shared:
                raise ValueError(
                    "The following inputs are present in both config and inputs. They must be "
                    f"mutually disjoint. {shared} "
                )
        given = {**config, **inputs} if config else dict(inputs)
        return graph.plan(final_vars, given, overrides), given

    def _check_inputs(self, plan: ExecutionPlan, given: Mapping[str, Any], awaited: bool = False) -> None:
        """Raise when a required input is missing or has the wrong type (``awaited``: the run
        awaits awaitable inputs first, so their type is checked by nobody here)."""
        validate = _input_validator(self.adapter)
        if awaited:
            import inspect

            validate_value = validate

            def validate(node_type: Any, value: Any) -> bool:
                return inspect.isawaitable(value) or validate_value(node_type, value)

        plan.check_inputs(given, validate)

    def _check_request(self, plan: ExecutionPlan, given: Mapping[str, Any], awaited: bool = False) -> None:
        self._check_inputs(plan, given, awaited)
        # The default executor only objects to Parallelizable/Collect, which the plan flags.
        if plan.has_parallel_nodes or type(self.graph_executor) is not DefaultGraphExecutor:
            self.graph_executor.validate([step.node for step in plan.steps])
        if isinstance(self.graph_executor, TaskBasedGraphExecutor):
            self.graph_executor.structure(plan)

    # -- execution -------------------------------------------------------------------------------
    def execute(
        self,
        final_vars: list[str | Callable | Any],
        overrides: dict[str, Any] | None = None,
        display_graph: bool = False,
        inputs: dict[str, Any] | None = None,
    ) -> Any:
        """Compute ``final_vars`` and return them shaped by the result builder (a dict by default).

        :param final_vars: outputs to compute, as names, nodes or functions.
        :param overrides: values that replace computed nodes (their upstream is skipped).
        :param display_graph: deprecated; use the visualization methods instead.
        :param inputs: values for the graph's inputs.
        """
        names = self._final_var_names(final_vars)
        if display_graph:
            self._display_graph(names, inputs, overrides)
        return self._run(names, inputs, overrides, build_result=True)

    def _run(
        self,
        names: list[str],
        inputs: dict[str, Any] | None,
        overrides: dict[str, Any] | None,
        build_result: bool,
        graph: Graph | None = None,
        materializer_ids: Sequence[str] | None = None,
    ) -> Any:
        """Plan, fire graph hooks, validate, execute, build the result.

        Hooks receive ``inputs``/``overrides`` as the caller passed them (possibly ``None``).
        With ``materializer_ids`` (``materialize``), the result is ``(materializer results,
        other outputs)`` and ``post_graph_execute`` sees the other outputs. A run that needs an
        event loop (``async def`` nodes or hooks) goes through :meth:`_arun` on a loop of its own.
        """
        graph = self.graph if graph is None else graph
        given_inputs, given_overrides = inputs or {}, overrides or {}
        plan, given = self._plan(names, given_inputs, given_overrides, graph)
        if self._has_async_graph_hooks or self.graph_executor.needs_event_loop(plan):
            from hamilton.execution.bridge import run_sync

            return run_sync(
                lambda: self._arun(names, inputs, overrides, build_result, graph, materializer_ids, plan=plan)
            )
        adapter = self.adapter
        pre_hooks = adapter.hooks_for("pre_graph_execute")
        post_hooks = adapter.hooks_for("post_graph_execute")
        run_id = _new_run_id() if adapter.receives_run_id else ""  # only adapters that see run ids pay for one
        hook = None
        try:
            for hook in pre_hooks:
                hook(run_id=run_id, graph=graph, final_vars=names, inputs=inputs, overrides=overrides)
        except Exception as error:
            note_hook_failure(error, hook, "pre_graph_execute")
            raise
        result = None
        error = None
        try:
            self._check_request(plan, given)
            outputs = self.graph_executor.execute(graph, names, given_overrides, given_inputs, run_id)
            shaped = self._shape_outputs(outputs, build_result, materializer_ids)
            result = shaped if materializer_ids is None else shaped[1]  # hooks see materialize's other outputs
            return shaped
        except Exception as exception:
            error = self._shape_partial(exception, build_result, materializer_ids)
            raise
        finally:
            hook = None
            try:
                for hook in post_hooks:
                    hook(run_id=run_id, graph=graph, success=error is None, error=error, results=result)
            except Exception as hook_error:
                note_hook_failure(hook_error, hook, "post_graph_execute")
                raise

    async def _arun(
        self,
        names: list[str],
        inputs: dict[str, Any] | None,
        overrides: dict[str, Any] | None,
        build_result: bool,
        graph: Graph | None = None,
        materializer_ids: Sequence[str] | None = None,
        *,
        plan: ExecutionPlan | None = None,
        check: Callable[[ExecutionPlan, Mapping[str, Any]], None] | None = None,
    ) -> Any:
        """:meth:`_run` on the running event loop: sync then async graph hooks, awaited execution.

        ``check`` replaces the request validation (the 1.x async driver checks less).
        """
        graph = self.graph if graph is None else graph
        given_inputs, given_overrides = inputs or {}, overrides or {}
        if plan is None:
            plan, given = self._plan(names, given_inputs, given_overrides, graph)
        else:
            given = {**graph.config, **given_inputs}
        run_id = _new_run_id()
        await self._graph_hooks(
            "pre_graph_execute", run_id=run_id, graph=graph, final_vars=names, inputs=inputs, overrides=overrides
        )
        result = None
        error = None
        try:
            if check is not None:
                check(plan, given)
            else:
                self._check_request(plan, given, awaited=True)
            outputs = await self.graph_executor.aexecute(graph, names, given_overrides, given_inputs, run_id)
            shaped = self._shape_outputs(outputs, build_result, materializer_ids)
            result = shaped if materializer_ids is None else shaped[1]  # hooks see materialize's other outputs
            return shaped
        except Exception as exception:
            error = self._shape_partial(exception, build_result, materializer_ids)
            raise
        finally:
            await self._graph_hooks(
                "post_graph_execute", run_id=run_id, graph=graph, success=error is None, error=error, results=result
            )

    async def _graph_hooks(self, point: str, **kwargs: Any) -> None:
        """Call the sync, then the async implementations of a graph hook."""
        hook = None
        try:
            for hook in self.adapter.hooks_for(point):
                hook(**kwargs)
            for hook in self.adapter.hooks_for(point, is_async=True):
                await hook(**kwargs)
        except Exception as error:
            note_hook_failure(error, hook, point)
            raise

    @property
    def _has_async_graph_hooks(self) -> bool:
        """Whether an adapter has async graph hooks (the run then goes through the event loop)."""
        known = self.__dict__.get("_async_graph_hooks")
        if known is None or known[0] is not self.adapter:  # adapters are fixed per driver: asked once
            adapter = self.adapter
            found = adapter.does_hook("pre_graph_execute", is_async=True) or adapter.does_hook(
                "post_graph_execute", is_async=True
            )
            known = self.__dict__["_async_graph_hooks"] = (adapter, found)
        return known[1]

    def _shape_outputs(
        self, outputs: dict[str, Any], build_result: bool, materializer_ids: Sequence[str] | None
    ) -> Any:
        """What a run returns: the result builder's shape, or ``materialize``'s pair."""
        if materializer_ids is not None:
            materialized = {name: outputs[name] for name in materializer_ids if name in outputs}
            return materialized, {name: value for name, value in outputs.items() if name not in materialized}
        build = self.adapter.method_for("do_build_result") if build_result else None
        return build(outputs=outputs) if build is not None else outputs

    def _shape_partial(self, error: Exception, build_result: bool, materializer_ids: Sequence[str] | None) -> Exception:
        """A keep-going run's error, its ``results`` shaped as a full run's would be (when they can be)."""
        import contextlib

        from hamilton.errors import PartialExecutionError

        if isinstance(error, PartialExecutionError) and isinstance(error.results, dict):
            with contextlib.suppress(Exception):  # e.g. a DataFrame builder missing columns: keep the dict
                error.results = self._shape_outputs(error.results, build_result, materializer_ids)
        return error

    def with_execution_mode(
        self,
        on_error: Literal["fail_fast", "keep_going"] | None = None,
        schedule: Literal["ready", "levels"] | None = None,
        sync_nodes: Literal["inline", "threads"] | None = None,
        max_concurrency: int | Literal["unchanged"] | None = "unchanged",
    ) -> Driver:
        """A driver like this one with some execution-mode choices changed, for a call or two:
        ``dr.with_execution_mode(on_error="keep_going").execute([...])``.

        It shares this driver's graph, adapters and executors (nothing is rebuilt); this driver
        keeps its own mode.
        """
        import copy

        changes: dict[str, Any] = {
            name: value
            for name, value in (("on_error", on_error), ("schedule", schedule), ("sync_nodes", sync_nodes))
            if value is not None
        }
        if max_concurrency != "unchanged":
            changes["max_concurrency"] = max_concurrency
        mode = self.execution_mode.replace(**changes)
        other = copy.copy(self)
        other.execution_mode = mode
        other.graph_executor = copy.copy(self.graph_executor)
        other.graph_executor.mode = mode
        return other

    async def aexecute(
        self,
        final_vars: list[str | Callable | Any],
        overrides: dict[str, Any] | None = None,
        display_graph: bool = False,
        inputs: dict[str, Any] | None = None,
    ) -> Any:
        """:meth:`execute` for async code: ``await dr.aexecute([...])`` runs on the caller's event loop.

        ``async def`` nodes run concurrently with each other and with the caller's other tasks;
        values tied to the caller's loop (sessions, connections) can be passed as inputs.
        """
        names = self._final_var_names(final_vars)
        if display_graph:
            self._display_graph(names, inputs, overrides)
        return await self._arun(names, inputs, overrides, build_result=True)

    async def amaterialize(
        self,
        *materializers: Any,
        additional_vars: list[str | Callable | Any] | None = None,
        overrides: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> tuple[Any, dict[str, Any]]:
        """:meth:`materialize` for async code: ``await dr.amaterialize(to.json(...), ...)``."""
        graph, ids, names = self._materialization_request(materializers, additional_vars)
        self._validate_graph(graph)
        self._call_hooks("post_graph_construct", graph=graph, modules=list(self.graph_modules), config=self.config)
        return await self._arun(names, inputs, overrides, build_result=False, graph=graph, materializer_ids=ids)

    def raw_execute(
        self,
        final_vars: list[str],
        overrides: dict[str, Any] | None = None,
        display_graph: bool = False,
        inputs: dict[str, Any] | None = None,
        _fn_graph: Graph | None = None,
    ) -> dict[str, Any]:
        """Deprecated: like :meth:`execute` but always returns a dict, without result building."""
        warn_deprecated("Driver.raw_execute()", instead="Use Driver.execute() (a Builder-built driver returns a dict).")
        names = self._final_var_names(final_vars)
        if display_graph:
            self._display_graph(names, inputs, overrides)
        return self._run(names, inputs, overrides, build_result=False)

    def _display_graph(self, final_vars: list[str], inputs: dict | None, overrides: dict | None) -> None:
        """1.x's deprecated ``display_graph=True``: draw the run to ``test-output/execute.gv``."""
        warn_deprecated(
            "execute(display_graph=True)", instead="Call Driver.visualize_execution() instead.", stacklevel=4
        )
        self.visualize_execution(
            final_vars, "test-output/execute.gv", {"view": False}, inputs=inputs, overrides=overrides
        )

    # -- materialization ---------------------------------------------------------------------------
    def materialize(
        self,
        *materializers: Any,
        additional_vars: list[str | Callable | Any] | None = None,
        overrides: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> tuple[Any, dict[str, Any]]:
        """Run with loaders and savers chosen now: ``to.<format>(...)``, ``from_.<format>(...)``.

        Returns ``(materializer_results, additional_vars_results)``: the metadata each saver
        returned, by materializer id, and the values of ``additional_vars``, by name. No result
        builder is applied. Validators and ``post_graph_construct`` hooks see the extended graph.
        """
        graph, ids, names = self._materialization_request(materializers, additional_vars)
        self._validate_graph(graph)
        self._call_hooks("post_graph_construct", graph=graph, modules=list(self.graph_modules), config=self.config)
        return self._run(names, inputs, overrides, build_result=False, graph=graph, materializer_ids=ids)

    def validate_materialization(
        self,
        *materializers: Any,
        additional_vars: list[str | Callable | Any] | None = None,
        overrides: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        """Raise if ``materialize`` with these arguments would fail before running any node."""
        if not materializers and not additional_vars:
            return  # nothing would run (1.x accepts this here, though materialize() refuses it)
        graph, _, names = self._materialization_request(materializers, additional_vars)
        plan, given = self._plan(names, inputs or {}, overrides or {}, graph)
        self._check_request(plan, given)

    def _materialization_request(
        self, materializers: Sequence[Any], additional_vars: Iterable[Any] | None
    ) -> tuple[Graph, list[str], list[str]]:
        """The extended graph, the materializer ids, and every output to compute."""
        from hamilton.io.materialization import MaterializerFactory

        extra = self._final_var_names(additional_vars or [])
        ids = list(dict.fromkeys(m.id for m in materializers if isinstance(m, MaterializerFactory)))
        if not ids and not extra:  # loaders alone compute nothing anyone asked for (1.x refuses it too)
            raise ValueError(_NO_OUTPUT_REQUESTED)
        graph = self._with_materializers(self.graph, materializers) if materializers else self.graph
        return graph, ids, list(dict.fromkeys([*extra, *ids]))

    def validate_execution(
        self,
        final_vars: list[str | Callable | Any],
        overrides: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        """Raise if ``execute`` with these arguments would fail before running any node."""
        names = self._final_var_names(final_vars)
        plan, given = self._plan(names, inputs or {}, overrides or {}, self.graph)
        self._check_request(plan, given)

    def export_execution(
        self,
        final_vars: list[str | Callable | Any],
        inputs: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> str:
        """JSON of the nodes ``execute(final_vars, overrides, inputs=inputs)`` involves: the
        outputs, everything they need (optional inputs nobody gives are left out when ``inputs``
        are passed) and the inputs, each as :meth:`HamiltonNode.as_dict`, sorted by name.
        The request is validated first, as by :meth:`validate_execution`."""
        import json

        from hamilton.graph_types import HamiltonNode

        names = self._final_var_names(final_vars)
        self.validate_execution(names, overrides, inputs)
        nodes, user_nodes = self.graph.get_upstream_nodes(names, inputs, overrides)
        described = sorted((HamiltonNode.from_node(n).as_dict() for n in nodes | user_nodes), key=lambda d: d["name"])
        return json.dumps({"nodes": described})

    @staticmethod
    def validate_inputs(
        fn_graph: Graph,
        adapter: LifecycleAdapterSet | None,
        user_nodes: Collection[Node],
        inputs: dict[str, Any] | None = None,
        nodes_set: Collection[Node] | None = None,
    ) -> None:
        """Raise ``ValueError`` when a required ``user_nodes`` input is missing or mistyped."""
        given = {**fn_graph.config, **(inputs or {})}
        final_vars = [n.name for n in (nodes_set or fn_graph.get_nodes()) if not n.user_defined]
        plan = fn_graph.plan(final_vars, given, ())
        plan.check_inputs(given, _input_validator(adapter))

    def has_cycles(self, final_vars: list[str | Callable | Any], _fn_graph: Graph | None = None) -> bool:
        """Whether the nodes needed for ``final_vars`` contain a dependency cycle."""
        graph = _fn_graph or self.graph
        names = [name for name in self._final_var_names(final_vars) if name in graph]
        return graph.find_cycle(names) is not None

    # -- inspection ------------------------------------------------------------------------------
    def list_available_variables(
        self, *, tag_filter: dict[str, str | list[str] | None] | None = None
    ) -> list[HamiltonNode]:
        """Every node (inputs and config included), optionally filtered by tags."""
        from hamilton.graph_types import HamiltonNode

        nodes = self.graph.get_nodes()
        if tag_filter:
            validate_tag_query(tag_filter)
            nodes = [n for n in nodes if matches_query(n.tags, tag_filter)]
        return [HamiltonNode.from_node(n) for n in nodes]

    def what_is_upstream_of(self, *node_names: str) -> list[HamiltonNode]:
        """The named nodes and everything they depend on, inputs included."""
        from hamilton.graph_types import HamiltonNode

        return [HamiltonNode.from_node(n) for n in self.graph.upstream_of(*node_names)]

    def what_is_downstream_of(self, *node_names: str) -> list[HamiltonNode]:
        """The named nodes and everything that depends on them."""
        from hamilton.graph_types import HamiltonNode

        return [HamiltonNode.from_node(n) for n in self.graph.downstream_of(*node_names)]

    def what_is_the_path_between(self, upstream_node_name: str, downstream_node_name: str) -> list[HamiltonNode]:
        """Nodes on a path from one node to another (inclusive); ``[]`` when there is none."""
        from hamilton.graph_types import HamiltonNode

        return [HamiltonNode.from_node(n) for n in self.graph.path_between(upstream_node_name, downstream_node_name)]

    # -- drawing (hamilton.rendering; graphviz by default, as in 1.x) ------------------------------
    def _draw(
        self, nodes: Iterable[Node] | None, view_options: dict[str, Any], *, graph: Graph | None = None, **options: Any
    ) -> Any:
        """Draw ``nodes`` (``None``: all) of ``graph`` (default: the driver's) through ``hamilton.rendering``."""
        from hamilton.rendering.model import GraphView
        from hamilton.rendering.requests import draw

        graph = self.graph if graph is None else graph
        view = GraphView(config=dict(self.graph.config), **view_options)
        return draw(graph.public_nodes(nodes), view, **options)

    def display_all_functions(
        self,
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        graphviz_kwargs: dict | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable | None = None,
        keep_dot: bool = False,
        *,
        renderer: Any = None,
    ) -> Any:
        """Draw the whole graph. Returns a ``graphviz.Digraph`` with the default renderer (and
        writes ``output_file_path``, its extension choosing the format), or a
        :class:`~hamilton.rendering.Rendering` with ``renderer="mermaid"``/``"json"``/your own.
        Without hamilton-viz-graphviz installed, logs how to install it and returns ``None``."""
        return self._draw(None, {}, **_drawing_options(locals()))

    def visualize_execution(
        self,
        final_vars: list[str | Callable | Any],
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        inputs: dict[str, Any] | None = None,
        graphviz_kwargs: dict | None = None,
        overrides: dict[str, Any] | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable | None = None,
        bypass_validation: bool = False,
        keep_dot: bool = False,
        *,
        renderer: Any = None,
        run_state: Mapping[str, Any] | None = None,
    ) -> Any:
        """Draw what ``execute(final_vars, overrides, inputs=inputs)`` would run, outputs and
        overrides emphasised; the request is validated first unless ``bypass_validation``.
        ``run_state`` (e.g. ``RunRecorder().run_state`` after a run) colours nodes by outcome."""
        from hamilton.rendering.requests import execution_nodes, validated_plan

        names = self._final_var_names(final_vars)
        plan = validated_plan(self, self.graph, names, inputs, overrides, bypass_validation)
        view = {"outputs": frozenset(names), "overrides": frozenset(overrides or ())}
        return self._draw(execution_nodes(self.graph, plan), view, **_drawing_options(locals()))

    def display_downstream_of(
        self,
        *node_names: str,
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        graphviz_kwargs: dict | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable | None = None,
        keep_dot: bool = False,
        renderer: Any = None,
    ) -> Any:
        """Draw the named nodes, everything depending on them, and those nodes' direct parents."""
        from hamilton.rendering.requests import with_direct_dependencies

        nodes = with_direct_dependencies(self.graph, self.graph.downstream_of(*node_names))
        return self._draw(nodes, {}, **_drawing_options(locals()))

    def display_upstream_of(
        self,
        *node_names: str,
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        graphviz_kwargs: dict | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable | None = None,
        keep_dot: bool = False,
        renderer: Any = None,
    ) -> Any:
        """Draw the named nodes and everything they depend on, inputs included."""
        return self._draw(self.graph.upstream_of(*node_names), {}, **_drawing_options(locals()))

    def visualize_path_between(
        self,
        upstream_node_name: str,
        downstream_node_name: str,
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        graphviz_kwargs: dict | None = None,
        strict_path_visualization: bool = False,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable | None = None,
        keep_dot: bool = False,
        *,
        renderer: Any = None,
    ) -> Any:
        """Draw the paths from one node to another, highlighted; unless
        ``strict_path_visualization``, with the direct dependencies of the nodes on them."""
        from hamilton.rendering.requests import with_direct_dependencies

        path = self.graph.path_between(upstream_node_name, downstream_node_name)
        if not path:
            raise ValueError(f"No path found between {upstream_node_name} and {downstream_node_name}.")
        nodes = path if strict_path_visualization else with_direct_dependencies(self.graph, path)
        return self._draw(nodes, {"path": frozenset(n.name for n in path)}, **_drawing_options(locals()))

    def visualize_materialization(
        self,
        *materializers: Any,
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        additional_vars: list[str | Callable | Any] | None = None,
        inputs: dict[str, Any] | None = None,
        graphviz_kwargs: dict | None = None,
        overrides: dict[str, Any] | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable | None = None,
        bypass_validation: bool = False,
        keep_dot: bool = False,
        renderer: Any = None,
    ) -> Any:
        """Draw what ``materialize(*materializers, additional_vars=...)`` would run: loaders and
        savers included, the savers and additional variables emphasised as outputs."""
        from hamilton.rendering.requests import execution_nodes, validated_plan

        graph, _, names = self._materialization_request(materializers, additional_vars)
        plan = validated_plan(self, graph, names, inputs, overrides, bypass_validation)
        view = {"outputs": frozenset(names), "overrides": frozenset(overrides or ())}
        return self._draw(execution_nodes(graph, plan), view, graph=graph, **_drawing_options(locals()))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, Any] | None:
        """Notebooks show a driver as a drawing of its graph (graphviz when installed)."""
        drawing = self.display_all_functions()
        if drawing is None or not hasattr(drawing, "_repr_mimebundle_"):
            return None
        return drawing._repr_mimebundle_(include=include, exclude=exclude, **kwargs)

    # -- pickling ---------------------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["graph_modules"] = [m.__name__ for m in self.graph_modules]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        import importlib

        state["graph_modules"] = tuple(importlib.import_module(name) for name in state["graph_modules"])
        self.__dict__.update(state)


_DRAWING_KEYWORDS = (
    "renderer",
    "run_state",
    "output_file_path",
    "render_kwargs",
    "graphviz_kwargs",
    "keep_dot",
    "show_legend",
    "orient",
    "hide_inputs",
    "deduplicate_inputs",
    "show_schema",
    "custom_style_function",
)


def _drawing_options(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The drawing keywords among a drawing method's arguments (``locals()``)."""
    return {name: arguments[name] for name in _DRAWING_KEYWORDS if name in arguments}


def _as_task_executor(executor: Any) -> Any:
    """A TaskExecutor, or one named (``"threads"``, ``"processes"``, a plugin's executor)."""
    if isinstance(executor, str):
        from hamilton.execution.executors import executor_named

        return executor_named(executor)
    return executor


class Builder:
    """Assembles a :class:`Driver` step by step; every ``with_*`` returns the builder."""

    def __init__(self) -> None:
        self.config: dict[str, Any] = {}
        self.modules: list[types.ModuleType] = []
        self.functions: list[Callable] = []
        self.graph: Graph | None = None
        self.adapters: list[Any] = []
        self.legacy_graph_adapter: Any = None
        self.materializers: list[Any] = []
        self._allow_module_overrides = False
        self.v2_executor = False
        self.execution_manager: Any = None
        self.local_executor: Any = None
        self.remote_executor: Any = None
        self.grouping_strategy: Any = None
        self.execution_mode: ExecutionMode | None = None

    def with_config(self, config: dict[str, Any]) -> Builder:
        """Add configuration (later calls win on shared keys)."""
        self.config.update(config)
        return self

    def with_modules(self, *modules: types.ModuleType) -> Builder:
        """Add modules whose public functions become nodes."""
        for module in modules:
            if not isinstance(module, types.ModuleType):
                raise TypeError(f"with_modules() takes modules; got {module!r}. Use with_functions() for functions.")
        self.modules.extend(modules)
        return self

    def with_functions(self, *functions: Callable) -> Builder:
        """Add plain functions as nodes — no module needed."""
        self.functions.extend(functions)
        return self

    def with_graph(self, graph: Graph) -> Builder:
        """Use a prebuilt :class:`~hamilton.graph.Graph` (its config comes with it)."""
        if not isinstance(graph, Graph):
            raise TypeError(f"with_graph() takes a hamilton.graph.Graph; got {type(graph).__name__}.")
        self.graph = graph
        return self

    def with_adapter(self, adapter: Any) -> Builder:
        """Set the one legacy (1.x ``HamiltonGraphAdapter``) adapter."""
        if self.legacy_graph_adapter is not None:
            raise ValueError("Cannot set adapter twice.")
        self.legacy_graph_adapter = adapter
        return self

    def with_adapters(self, *adapters: Any) -> Builder:
        """Add lifecycle adapters (hooks, result builders, validators...)."""
        if self.cache is not None and _cache_adapter_among(adapters) is not None:
            raise ValueError(_CACHE_CONFLICT)
        self.adapters.extend(adapters)
        return self

    def with_cache(
        self,
        path: str | pathlib.Path = ".hamilton_cache",
        metadata_store: Any = None,
        result_store: Any = None,
        default: Literal[True] | Sequence[str] | None = None,
        recompute: Literal[True] | Sequence[str] | None = None,
        ignore: Literal[True] | Sequence[str] | None = None,
        disable: Literal[True] | Sequence[str] | None = None,
        default_behavior: Literal["default", "recompute", "disable", "ignore"] = "default",
        default_loader_behavior: Literal["default", "recompute", "disable", "ignore"] = "default",
        default_saver_behavior: Literal["default", "recompute", "disable", "ignore"] = "default",
        log_to_file: bool = False,
    ) -> Builder:
        """Cache node results across runs in ``path`` (needs ``pip install "apache-hamilton[cache]"``).

        A node is read from the cache when its code and its inputs' data are unchanged. The
        lists name nodes given a behaviour (``True``: every node); see docs/caching.md.
        Afterwards, ``dr.cache`` is the :class:`hamilton.caching.adapter.HamiltonCacheAdapter`.
        """
        if self.cache is not None:
            raise ValueError(_CACHE_CONFLICT)
        try:
            from hamilton.caching.adapter import HamiltonCacheAdapter
        except ImportError as error:
            if error.name is not None and not error.name.startswith("hamilton.caching"):
                raise
            raise ImportError(_CACHE_INSTALL_HINT) from error
        adapter = HamiltonCacheAdapter(
            path=path,
            metadata_store=metadata_store,
            result_store=result_store,
            default=default,
            recompute=recompute,
            ignore=ignore,
            disable=disable,
            default_behavior=default_behavior,
            default_loader_behavior=default_loader_behavior,
            default_saver_behavior=default_saver_behavior,
            log_to_file=log_to_file,
        )
        self.adapters.append(adapter)
        return self

    @property
    def cache(self) -> Any:
        """The cache adapter set by ``with_cache()`` or ``with_adapters(...)``, else ``None``."""
        return _cache_adapter_among(self.adapters)

    def with_materializers(self, *materializers: Any) -> Builder:
        """Add ``to.<format>(...)``/``from_.<format>(...)`` nodes to the graph for good.

        Execute a saver by its id: ``dr.execute(["save_report"])``.
        """
        from hamilton.io.materialization import ExtractorFactory, MaterializerFactory

        if len(materializers) == 1 and isinstance(materializers[0], (list, tuple, str)):
            raise ValueError(
                "`.with_materializers()` received a sequence. Unpack it by prepending `*` e.g., "
                "`.with_materializers(*[to.json(...), from_.parquet(...)])`"
            )
        for materializer in materializers:
            if not isinstance(materializer, (MaterializerFactory, ExtractorFactory)):
                raise ValueError(
                    f"`.with_materializers()` only accepts materializers. Received instead: {materializer!r}. "
                    "Make them with to.<format>(...) or from_.<format>(...) of hamilton.io.materialization."
                )
        self.materializers.extend(materializers)
        return self

    def enable_dynamic_execution(self, *, allow_experimental_mode: bool = False) -> Builder:
        """Run with tasks, so that ``Parallelizable``/``Collect`` nodes work (see docs/parallelism.md)."""
        if not allow_experimental_mode:
            raise ValueError(
                "Remote execution is currently experimental. Please set allow_experimental_mode=True to enable it: "
                ".enable_dynamic_execution(allow_experimental_mode=True)."
            )
        self.v2_executor = True
        return self

    def _require_dynamic(self, what: str) -> None:
        if not self.v2_executor:
            raise ValueError(
                f"Cannot set {what} without first enabling the V2 Driver: call "
                ".enable_dynamic_execution(allow_experimental_mode=True) first."
            )

    def with_execution_manager(self, execution_manager: Any) -> Builder:
        """Use ``execution_manager`` to pick an executor per task (instead of local/remote executors)."""
        self._require_dynamic("execution manager")
        if self.execution_manager is not None:
            raise ValueError("Cannot set execution manager twice")
        if self.remote_executor is not None:
            raise ValueError("Cannot set execution manager with remote executor set -- these are disjoint")
        self.execution_manager = execution_manager
        return self

    def with_remote_executor(self, remote_executor: Any) -> Builder:
        """The executor for the items of parallel blocks: a TaskExecutor, or a name (``"threads"``,
        ``"processes"``, ``"synchronous"``, or one a plugin registered)."""
        self._require_dynamic("execution manager")
        if self.remote_executor is not None:
            raise ValueError("Cannot set remote executor twice")
        if self.execution_manager is not None:
            raise ValueError("Cannot set remote executor with execution manager set -- these are disjoint")
        self.remote_executor = _as_task_executor(remote_executor)
        return self

    def with_local_executor(self, local_executor: Any) -> Builder:
        """The executor for tasks outside parallel blocks (default: synchronous, in this thread)."""
        self._require_dynamic("execution manager")
        if self.local_executor is not None:
            raise ValueError("Cannot set local executor twice")
        if self.execution_manager is not None:
            raise ValueError("Cannot set local executor with execution manager set -- these are disjoint")
        self.local_executor = _as_task_executor(local_executor)
        return self

    def with_grouping_strategy(self, grouping_strategy: Any) -> Builder:
        """How nodes outside parallel blocks are grouped into tasks (default: one task per node)."""
        if not self.v2_executor:
            raise ValueError(
                "Cannot set grouping strategy without first enabling the V2 Driver: call "
                ".enable_dynamic_execution(allow_experimental_mode=True) first."
            )
        if self.grouping_strategy is not None:
            raise ValueError("Cannot set grouping strategy twice")
        self.grouping_strategy = grouping_strategy
        return self

    def _graph_executor(self) -> GraphExecutor | None:
        """The task-based executor when dynamic execution is on (the driver gives it its adapters)."""
        if not self.v2_executor:
            return None
        from hamilton.execution import executors, grouping

        manager = self.execution_manager
        if manager is None:
            manager = executors.DefaultExecutionManager(
                local_executor=self.local_executor or executors.SynchronousLocalTaskExecutor(),
                remote_executor=self.remote_executor or executors.MultiThreadingExecutor(max_tasks=10),
            )
        return TaskBasedGraphExecutor(manager, self.grouping_strategy or grouping.GroupByRepeatableBlocks(), None)

    def with_execution_mode(
        self,
        on_error: Literal["fail_fast", "keep_going"] = "fail_fast",
        schedule: Literal["ready", "levels"] = "ready",
        sync_nodes: Literal["inline", "threads"] = "inline",
        max_concurrency: int | None = None,
    ) -> Builder:
        """How runs proceed (see docs/execution-modes.md); a later call replaces an earlier one.

        :param on_error: ``"keep_going"`` runs every node whose inputs exist and raises
            :class:`hamilton.errors.PartialExecutionError` (results, failures, skipped) at the end.
        :param schedule: ``"levels"`` finishes each depth of the graph before starting the next.
        :param sync_nodes: ``"threads"`` runs plain ``def`` nodes on a thread pool, concurrently
            when independent, so they do not block async nodes.
        :param max_concurrency: at most this many nodes in flight at once.
        """
        self.execution_mode = ExecutionMode(on_error, schedule, sync_nodes, max_concurrency)
        return self

    def allow_module_overrides(self) -> Builder:
        """Let later modules redefine nodes of earlier ones instead of raising."""
        self._allow_module_overrides = True
        return self

    def copy(self) -> Builder:
        """An independent builder with the same settings."""
        other = Builder()
        other.config = dict(self.config)
        other.modules = list(self.modules)
        other.functions = list(self.functions)
        other.graph = self.graph
        other.adapters = list(self.adapters)
        other.legacy_graph_adapter = self.legacy_graph_adapter
        other.materializers = list(self.materializers)
        other.v2_executor = self.v2_executor
        other.execution_manager = self.execution_manager
        other.local_executor = self.local_executor
        other.remote_executor = self.remote_executor
        other.grouping_strategy = self.grouping_strategy
        other.execution_mode = self.execution_mode
        other._allow_module_overrides = self._allow_module_overrides
        return other

    def _check_graph_alone(self) -> None:
        """``with_graph`` brings its own functions and config: nothing else may add any."""
        if self.modules or self.functions or self.config:
            raise ValueError(
                "with_graph() cannot be combined with with_modules(), with_functions() or "
                "with_config(): a Graph is built with its functions and config. Build the "
                "Graph from everything instead, e.g. Graph.build(modules=..., functions=..., config=...)."
            )

    def build(self) -> Driver:
        """The driver. Its ``execute`` returns a dict unless a result builder is added."""
        adapters = list(self.adapters)
        if self.legacy_graph_adapter is not None:
            adapters.append(self.legacy_graph_adapter)
        if self.graph is not None:
            self._check_graph_alone()
            return Driver(
                dict(self.graph.config),
                adapter=adapters,
                _use_legacy_adapter=False,
                _graph=self.graph,
                _materializers=self.materializers,
                _graph_executor=self._graph_executor(),
                _execution_mode=self.execution_mode,
            )
        return Driver(
            self.config,
            *self.modules,
            adapter=adapters,
            allow_module_overrides=self._allow_module_overrides,
            _use_legacy_adapter=False,
            _functions=self.functions,
            _materializers=self.materializers,
            _graph_executor=self._graph_executor(),
            _execution_mode=self.execution_mode,
        )
