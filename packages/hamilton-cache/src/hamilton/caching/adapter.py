"""The caching adapter: ``Builder().with_cache()`` adds one, ``dr.cache`` returns it.

Per run, before any node: every node gets a caching behaviour and a code version; inputs and
overrides get data versions. Per node: ``pre_node_execute`` builds the node's cache key from
its code version and its dependencies' data versions; ``do_node_execute`` reads the result
from the stores when the key is known (``get_result``) or calls the node (``execute_node``);
``post_node_execute`` stores a new result. Every step is logged as a :class:`CachingEvent`.

New mappings of cache keys to data versions are written to the metadata store in one
transaction at the end of the run (and of each task), after their results: a run that dies
half-way leaves results without mappings, which only costs a recomputation.
"""

from __future__ import annotations

import inspect
import logging
import pathlib
import threading
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Literal

from hamilton import fingerprinting
from hamilton.caching._behaviors import (
    CACHING_BEHAVIORS,
    LOADER_NODE_TAG,
    LOADER_TAG,
    SAVER_TAG,
    CachingBehavior,
    NodeRoleInTaskExecution,
    check_behavior_names,
    check_driver_lists,
    node_set,
    resolve_node_behavior,
)
from hamilton.caching._events import CachingEvent, CachingEventType, EventLog
from hamilton.caching._versions import node_code_version
from hamilton.caching.cache_key import create_cache_key
from hamilton.caching.stores.base import (
    MetadataStore,
    ResultRetrievalError,
    ResultStore,
    search_data_adapter_registry,
)
from hamilton.caching.stores.file import FileResultStore
from hamilton.caching.stores.sqlite import SQLiteMetadataStore
from hamilton.function_modifiers.metadata import cache as cache_decorator
from hamilton.lifecycle.base import (
    BaseDoNodeExecute,
    BasePostGraphExecute,
    BasePostNodeExecute,
    BasePostTaskExecute,
    BasePreGraphExecute,
    BasePreNodeExecute,
)
from hamilton.node import NodeType

if TYPE_CHECKING:
    from hamilton.graph import Graph
    from hamilton.node import Node

__all__ = [
    "CACHING_BEHAVIORS",
    "CachingBehavior",
    "CachingEvent",
    "CachingEventType",
    "HamiltonCacheAdapter",
    "NodeRoleInTaskExecution",
]

logger = logging.getLogger(__name__)

LOG_FILE_NAME = "cache_logs.jsonl"
DOCS_URL = "https://hamilton.apache.org/concepts/caching/#caching-behavior"
_FLUSH_AFTER = 1000  # pending metadata rows written before the end of a long run


class _Missing:
    """Marks "no value" where ``None`` is a legitimate value."""

    def __repr__(self) -> str:
        return "<missing>"


SENTINEL: Any = _Missing()
_STANDARD = NodeRoleInTaskExecution.STANDARD
_INSIDE = NodeRoleInTaskExecution.INSIDE
_EXPAND = NodeRoleInTaskExecution.EXPAND
_DEFAULT = CachingBehavior.DEFAULT
_RECOMPUTE = CachingBehavior.RECOMPUTE
_IGNORE = CachingBehavior.IGNORE
_DISABLE = CachingBehavior.DISABLE
_GET_DATA_VERSION = CachingEventType.GET_DATA_VERSION


class HamiltonCacheAdapter(
    BaseDoNodeExecute,
    BasePreGraphExecute,
    BasePostGraphExecute,
    BasePostNodeExecute,
    BasePreNodeExecute,
    BasePostTaskExecute,
):
    """Caches node results across runs (``Builder().with_cache(...)``; reach it as ``dr.cache``).

    :param path: the cache directory for the default stores.
    :param metadata_store: where cache keys map to data versions (default: SQLite in ``path``).
    :param result_store: where results are kept (default: files in ``path``).
    :param default: node names (or ``True`` for all) cached with the DEFAULT behaviour.
    :param recompute: node names (or ``True``) always recomputed.
    :param ignore: node names (or ``True``) not cached and left out of dependents' keys.
    :param disable: node names (or ``True``) computed as if there were no cache.
    :param default_behavior: behaviour of the other nodes (default ``"default"``).
    :param default_loader_behavior: behaviour of loader nodes (default: ``default_behavior``).
    :param default_saver_behavior: behaviour of saver nodes (default: ``default_behavior``).
    :param log_to_file: also append every event as a JSON line to ``<path>/cache_logs.jsonl``.
    """

    def __init__(
        self,
        path: str | pathlib.Path = ".hamilton_cache",
        metadata_store: MetadataStore | None = None,
        result_store: ResultStore | None = None,
        default: Literal[True] | Collection[str] | None = None,
        recompute: Literal[True] | Collection[str] | None = None,
        ignore: Literal[True] | Collection[str] | None = None,
        disable: Literal[True] | Collection[str] | None = None,
        default_behavior: CACHING_BEHAVIORS | None = None,
        default_loader_behavior: CACHING_BEHAVIORS | None = None,
        default_saver_behavior: CACHING_BEHAVIORS | None = None,
        log_to_file: bool = False,
        **kwargs: Any,
    ):
        if sum(selection is True for selection in (default, recompute, disable, ignore)) > 1:
            raise ValueError(
                "Can only set one of (`default`, `recompute`, `disable`, `ignore`) to True. "
                "Please pass mutually exclusive sets of node names"
            )
        check_driver_lists(default=default, recompute=recompute, ignore=ignore, disable=disable)
        check_behavior_names(
            default_behavior=default_behavior,
            default_loader_behavior=default_loader_behavior,
            default_saver_behavior=default_saver_behavior,
        )
        self._path = path
        self.metadata_store = metadata_store if metadata_store is not None else SQLiteMetadataStore(path=str(path))
        self.result_store = result_store if result_store is not None else FileResultStore(path=str(path))
        self.log_to_file = log_to_file
        self._default = default
        self._recompute = recompute
        self._disable = disable
        self._ignore = ignore
        self.default_behavior = default_behavior
        self.default_loader_behavior = default_loader_behavior
        self.default_saver_behavior = default_saver_behavior
        self._init_run_state()

    def _init_run_state(self) -> None:
        """Per-run dicts, keyed by run id (one adapter serves every ``execute`` of a driver)."""
        self.run_ids: list[str] = []
        self._fn_graphs: dict[str, Graph] = {}
        self._run_requests: dict[str, tuple[list[str], dict[str, Any], dict[str, Any]]] = {}
        self._data_savers: dict[str, set[str]] = {}
        self._data_loaders: dict[str, set[str]] = {}
        self.behaviors: dict[str, dict[str, CachingBehavior]] = {}
        self.data_versions: dict[str, dict[str, Any]] = {}
        self.code_versions: dict[str, dict[str, str]] = {}
        self.cache_keys: dict[str, dict[str, Any]] = {}
        # what do_node_execute did, for post_node_execute: (run, node, task) -> (cache key, version)
        # of a computed result to store, or None for one read from the cache
        self._outcomes: dict[tuple[str, str, str | None], tuple[str, str] | None] = {}
        # (node, task) -> (code version, dependencies' data versions, cache key) of its last key
        self._previous_keys: dict[tuple[str, str | None], tuple[str, dict[str, str], str]] = {}
        self._events = EventLog(self._log_file() if self.log_to_file else None)
        self._transient()

    def _transient(self) -> None:
        """State that is never pickled: metadata not written yet, its lock, and the entries the
        metadata store gave this run at its start (a copy in another process asks the store)."""
        self._pending: dict[str, tuple[str, str, str, str]] = {}
        self._pending_lock = threading.Lock()
        self._known: dict[str, str] = {}

    def _log_file(self) -> pathlib.Path:
        directory = getattr(self.metadata_store, "_directory", None)
        return pathlib.Path(directory if directory is not None else self._path) / LOG_FILE_NAME

    def __repr__(self) -> str:
        return (
            f"HamiltonCacheAdapter(metadata_store={type(self.metadata_store).__name__}, "
            f"result_store={type(self.result_store).__name__}, runs={len(self.run_ids)})"
        )

    # -- pickling: executors copy the adapter to threads/processes ----------------------------
    def __getstate__(self) -> dict:
        self._flush_metadata()  # a copy must not lose, or write twice, what this one holds
        state = dict(self.__dict__)
        del state["_pending"], state["_pending_lock"], state["_known"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._transient()

    @property
    def last_run_id(self) -> str:
        """Id of the run that started last (not necessarily the last to finish)."""
        if not self.run_ids:
            raise IndexError("No run has used this cache yet: call dr.execute(...) first.")
        return self.run_ids[-1]

    # -- logging ------------------------------------------------------------------------------
    def _log_event(
        self,
        run_id: str,
        node_name: str,
        actor: Literal["adapter", "metadata_store", "result_store"],
        event_type: CachingEventType,
        msg: str | None = None,
        value: Any | None = None,
        task_id: str | None = None,
    ) -> None:
        self._events.record(run_id, node_name, actor, event_type, msg, value, task_id)

    @property
    def _logs(self) -> dict[str, list[CachingEvent]]:
        """Every run's events (1.x's attribute), built on demand."""
        return {run_id: self._events.events(run_id) for run_id in self._events.runs}

    @_logs.setter
    def _logs(self, runs: dict[str, list[CachingEvent]]) -> None:
        self._events.replace(runs)

    def logs(self, run_id: str | None = None, level: Literal["debug", "info"] = "info") -> dict:
        """Events of every run (``{run_id: [event]}``), or of one run by node
        (``{node_name: [event]}``, ``{(node_name, task_id): [event]}`` inside parallel blocks).
        ``level="info"`` keeps only ``get_result`` and ``execute_node`` events."""
        return self._events.grouped(run_id, level, self.run_ids)

    # -- viewing --------------------------------------------------------------------------------
    def view_run(self, run_id: str | None = None, output_file_path: str | None = None, *, renderer: Any = None) -> Any:
        """Draw a run, nodes read from the cache marked as cached. Uses the driver's drawing
        machinery: graphviz by default (``renderer="mermaid"`` etc. also work); without the
        graphviz plugin, logs how to install it and returns ``None``. Not for task-based runs."""
        from hamilton.caching._view import view_run

        run_id = self.last_run_id if run_id is None else run_id
        return view_run(self, run_id, output_file_path, renderer)

    # -- roles, keys and versions ----------------------------------------------------------------
    def _get_node_role(self, run_id: str, node_name: str, task_id: str | None) -> NodeRoleInTaskExecution:
        if task_id is None:
            return _STANDARD
        node_ = self._fn_graphs[run_id].nodes.get(node_name)
        role = node_.node_role if node_ is not None else NodeType.STANDARD
        if role is NodeType.EXPAND:
            return _EXPAND
        if role is NodeType.COLLECT:
            return NodeRoleInTaskExecution.COLLECT
        if node_name == task_id:
            return NodeRoleInTaskExecution.OUTSIDE
        return _INSIDE

    def get_cache_key(self, run_id: str, node_name: str, task_id: str | None = None) -> str | None:
        """The cache key the node had in run ``run_id`` (``None`` if it had none)."""
        keys = self.cache_keys[run_id]
        if task_id is not None and self._get_node_role(run_id, node_name, task_id) is _INSIDE:
            cache_key = keys.get(node_name, {}).get(task_id)
        else:
            cache_key = keys.get(node_name)
        self._events.record(
            run_id,
            node_name,
            "adapter",
            CachingEventType.GET_CACHE_KEY,
            "hit" if cache_key is not None else "miss",
            cache_key,
            task_id,
        )
        return cache_key

    def _set_cache_key(self, run_id: str, node_name: str, cache_key: str, task_id: str | None = None) -> None:
        if task_id is not None and self._get_node_role(run_id, node_name, task_id) is _INSIDE:
            self.cache_keys[run_id].setdefault(node_name, {})[task_id] = cache_key
        else:
            self.cache_keys[run_id][node_name] = cache_key
        self._events.record(run_id, node_name, "adapter", CachingEventType.SET_CACHE_KEY, None, cache_key, task_id)

    def _get_memory_data_version(self, run_id: str, node_name: str, task_id: str | None = None) -> Any:
        stored = self.data_versions[run_id].get(node_name, SENTINEL)
        if task_id is None:
            data_version = stored
        else:
            role = self._get_node_role(run_id, node_name, task_id)
            if role is _EXPAND:
                data_version = SENTINEL
            elif role is _INSIDE:
                data_version = stored.get(task_id, SENTINEL) if isinstance(stored, dict) else SENTINEL
            else:
                data_version = stored
        self._events.record(
            run_id,
            node_name,
            "adapter",
            _GET_DATA_VERSION,
            "hit" if data_version is not SENTINEL else "miss",
            None,
            task_id,
        )
        return data_version

    def _get_stored_data_version(self, run_id: str, node_name: str, cache_key: str, task_id: str | None = None) -> Any:
        data_version = self._known.get(cache_key)
        if data_version is None:
            pending = self._pending.get(cache_key)
            data_version = pending[0] if pending is not None else self.metadata_store.get(cache_key=cache_key)
        self._events.record(
            run_id,
            node_name,
            "metadata_store",
            _GET_DATA_VERSION,
            "hit" if data_version is not None else "miss",
            None,
            task_id,
        )
        return SENTINEL if data_version is None else data_version

    def get_data_version(
        self, run_id: str, node_name: str, cache_key: str | None = None, task_id: str | None = None
    ) -> Any:
        """The node's data version in run ``run_id``: from memory, else (given ``cache_key``) from
        the metadata store; a sentinel object when unknown."""
        data_version = self._get_memory_data_version(run_id, node_name, task_id)
        if data_version is SENTINEL and cache_key is not None:
            data_version = self._get_stored_data_version(run_id, node_name, cache_key, task_id)
        return data_version

    def _set_memory_metadata(self, run_id: str, node_name: str, data_version: str, task_id: str | None = None) -> None:
        versions = self.data_versions[run_id]
        role = _STANDARD if task_id is None else self._get_node_role(run_id, node_name, task_id)
        if role is _EXPAND:
            versions[node_name] = {}  # items are versioned one by one by their consumers
        elif role is _INSIDE:
            per_task = versions.get(node_name)
            if not isinstance(per_task, dict):
                per_task = versions[node_name] = {}
            per_task[task_id] = data_version
        else:
            versions[node_name] = data_version
        self._events.record(
            run_id, node_name, "adapter", CachingEventType.SET_DATA_VERSION, None, data_version, task_id
        )

    def _set_stored_metadata(
        self, run_id: str, node_name: str, cache_key: str, data_version: str, task_id: str | None = None
    ) -> None:
        """Queue the mapping; it is written with the run's others (see the module docstring)."""
        row = (data_version, run_id, node_name, self.code_versions[run_id][node_name])
        with self._pending_lock:
            self._pending[cache_key] = row
            full = len(self._pending) >= _FLUSH_AFTER
        if full:
            self._flush_metadata()
        self._events.record(
            run_id, node_name, "metadata_store", CachingEventType.SET_DATA_VERSION, None, data_version, task_id
        )

    def _flush_metadata(self) -> None:
        """Write the queued mappings (one transaction where the store supports it). A store that
        refuses them does not fail the run, whose results are computed already: a warning says
        what is lost (those nodes are recomputed next time)."""
        with self._pending_lock:
            if not self._pending:
                return
            rows, self._pending = self._pending, {}
        try:
            set_many = getattr(self.metadata_store, "set_many", None)
            if set_many is not None:
                set_many([(key, *row) for key, row in rows.items()])
                return
            for cache_key, (data_version, run_id, node_name, code_version) in rows.items():
                self.metadata_store.set(
                    cache_key=cache_key,
                    data_version=data_version,
                    run_id=run_id,
                    node_name=node_name,
                    code_version=code_version,
                )
        except Exception as error:
            nodes = sorted({row[2] for row in rows.values()})
            logger.warning(
                "The cache could not record %d new result(s) in %s (%r); nodes %s will be recomputed "
                "next time. Their results are correct in this run.",
                len(rows),
                type(self.metadata_store).__name__,
                error,
                ", ".join(nodes[:10]) + (" ..." if len(nodes) > 10 else ""),
            )

    def _forget(self, cache_key: str) -> None:
        with self._pending_lock:
            self._pending.pop(cache_key, None)
        self._known.pop(cache_key, None)
        self.metadata_store.delete(cache_key=cache_key)

    def _prefetch(self, run_id: str) -> None:
        """Ask the metadata store, in a few queries, for the entries this run can use (those of
        its nodes' current code), instead of one query per node. Stores without
        ``versions_of_nodes`` are asked key by key."""
        versions_of_nodes = getattr(self.metadata_store, "versions_of_nodes", None)
        if versions_of_nodes is None:
            self._known = {}
            return
        nodes = list(self.code_versions[run_id].items())
        # a node has a few entries (one per input it ran with); past that, ask key by key
        self._known = versions_of_nodes(nodes, limit=16 * len(nodes) + 1024)

    def _version_data(self, node_name: str | None, run_id: str | None, result: Any, task_id: str | None = None) -> str:
        data_version = fingerprinting.hash_value(result)
        if not fingerprinting.is_unhashable(data_version):
            return data_version
        if run_id is not None:
            self._log_event(
                run_id,
                node_name,  # type: ignore[arg-type]
                "adapter",
                CachingEventType.UNHASHABLE_DATA_VERSION,
                msg=f"unhashable type {type(result)}; set CachingBehavior.IGNORE to silence warning",
                value=data_version,
                task_id=task_id,
            )
        logger.warning(
            "%s has unhashable result of type `%s`. Set `CachingBehavior.IGNORE` or register a "
            "versioning function (`@hamilton.fingerprinting.hash_value.register(%s)`) to silence this warning. "
            "Learn more: %s",
            f"Node `{node_name}`" if node_name is not None else "A value",
            type(result),
            type(result).__name__,
            DOCS_URL,
        )
        return f"{fingerprinting.UNHASHABLE}_{uuid.uuid4()}"

    def version_data(self, result: Any, run_id: str | None = None) -> str:
        """The data version of ``result`` (a fresh ``"<unhashable>_<uuid>"`` if it has none)."""
        return self._version_data(node_name=None, run_id=run_id, result=result)

    def version_code(self, node_name: str, run_id: str | None = None) -> str:
        """The code version of ``node_name``: sha256 of its function's source without docstring
        (closure values and, without source, bytecode included: see ``caching._versions``)."""
        run_id = self.last_run_id if run_id is None else run_id
        return node_code_version(self._fn_graphs[run_id].nodes[node_name])

    # -- behaviours and code versions ---------------------------------------------------------------
    def _defaults(self) -> tuple[str, str, str]:
        default = self.default_behavior or "default"
        return default, self.default_loader_behavior or default, self.default_saver_behavior or default

    def resolve_behaviors(self, run_id: str) -> dict[str, CachingBehavior]:
        """The behaviour of every node of run ``run_id``'s graph (see :class:`CachingBehavior`)."""
        graph = self._fn_graphs[run_id]
        driver_lists = {
            CachingBehavior.DEFAULT: node_set(self._default, graph),
            CachingBehavior.DISABLE: node_set(self._disable, graph),
            CachingBehavior.RECOMPUTE: node_set(self._recompute, graph),
            CachingBehavior.IGNORE: node_set(self._ignore, graph),
        }
        default, loader_default, saver_default = self._defaults()
        behaviors: dict[str, CachingBehavior] = {}
        record = self._events.record
        for node_ in graph.get_nodes():
            behavior = resolve_node_behavior(node_, driver_lists, default, loader_default, saver_default)
            behaviors[node_.name] = behavior
            record(run_id, node_.name, "adapter", CachingEventType.RESOLVE_BEHAVIOR, None, behavior)
        loaders = self._data_loaders.setdefault(run_id, set())
        savers = self._data_savers.setdefault(run_id, set())
        for node_ in graph.get_nodes():
            if node_.tags.get(LOADER_TAG) is True:
                main = node_.tags.get(LOADER_NODE_TAG, node_.name)
                if main == node_.name:
                    continue
                # a loader's helper nodes follow the node the user sees
                if main in behaviors:
                    behaviors[node_.name] = behaviors[main]
                else:
                    lists_for_main = {b: names for b, names in driver_lists.items() if main in names}
                    behaviors[node_.name] = (
                        next(iter(lists_for_main)) if lists_for_main else CachingBehavior.from_string(loader_default)
                    )
                loaders.add(main)
            if node_.tags.get(SAVER_TAG) is not None:
                savers.add(node_.name)
        return behaviors

    def resolve_code_versions(
        self,
        run_id: str,
        final_vars: list[str] | None = None,
        inputs: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> dict[str, str]:
        """Code versions of the nodes the run computes (every node without ``final_vars``)."""
        graph = self._fn_graphs[run_id]
        if final_vars:
            wanted = [name for name in final_vars if name in graph.nodes]
            given = set(inputs or ()) | set(graph.config)
            plan = graph.plan(wanted, given, set(overrides or ()))
            names = [step.name for step in plan.steps] + [n for n in plan.overridden if n in graph.nodes]
        else:
            names = [n.name for n in graph.get_nodes() if not n.user_defined]
        nodes = graph.nodes
        return {name: node_code_version(nodes[name]) for name in names}

    def _process_input(self, run_id: str, node_name: str, value: Any) -> None:
        """Inputs have no code: their code version is ``input__<name>``."""
        data_version = self._version_data(node_name, run_id, value)
        self.code_versions[run_id][node_name] = f"input__{node_name}"
        self.data_versions[run_id][node_name] = data_version
        self._log_event(run_id, node_name, "adapter", CachingEventType.IS_INPUT, value=data_version)

    def _process_override(self, run_id: str, node_name: str, value: Any) -> None:
        data_version = self._version_data(node_name, run_id, value)
        self.data_versions[run_id][node_name] = data_version
        self._log_event(run_id, node_name, "adapter", CachingEventType.IS_OVERRIDE, value=data_version)

    @staticmethod
    def _resolve_node_behavior(
        node: Node,
        default: Collection[str] | None = None,
        disable: Collection[str] | None = None,
        recompute: Collection[str] | None = None,
        ignore: Collection[str] | None = None,
        default_behavior: CACHING_BEHAVIORS = "default",
        default_loader_behavior: CACHING_BEHAVIORS = "default",
        default_saver_behavior: CACHING_BEHAVIORS = "default",
    ) -> CachingBehavior:
        """1.x's helper: the behaviour of one node given the driver's lists and defaults."""
        driver_lists = {
            CachingBehavior.DEFAULT: default or (),
            CachingBehavior.DISABLE: disable or (),
            CachingBehavior.RECOMPUTE: recompute or (),
            CachingBehavior.IGNORE: ignore or (),
        }
        return resolve_node_behavior(
            node, driver_lists, default_behavior, default_loader_behavior, default_saver_behavior
        )

    @staticmethod
    def _resolve_default_parameter_values(node_: Node, node_kwargs: dict[str, Any]) -> dict[str, Any]:
        """The kwargs plus the defaults the call will use, so that they count in the key."""
        defaults = node_.default_parameter_values
        if not defaults:
            return node_kwargs
        return {**{k: v for k, v in defaults.items() if k not in node_kwargs}, **node_kwargs}

    # -- lifecycle ----------------------------------------------------------------------------------
    def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: Graph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        """Start a run: record it, resolve behaviours and code versions, version inputs/overrides."""
        self.run_ids.append(run_id)
        self.metadata_store.initialize(run_id)
        self._events.start(run_id)
        self._fn_graphs[run_id] = graph
        # names only (for view_run): keeping the values would hold every run's data in memory
        self._run_requests[run_id] = (list(final_vars), dict.fromkeys(inputs or ()), dict.fromkeys(overrides or ()))
        self.data_versions[run_id] = {}
        self.cache_keys[run_id] = {}
        self.code_versions[run_id] = self.resolve_code_versions(run_id, final_vars, inputs, overrides)
        self._prefetch(run_id)
        self._data_loaders[run_id] = set()
        self._data_savers[run_id] = set()
        self.behaviors[run_id] = self.resolve_behaviors(run_id)
        for final_var in final_vars:
            self._log_event(run_id, final_var, "adapter", CachingEventType.IS_FINAL_VAR)
        for name, value in (inputs or {}).items():
            self._process_input(run_id, name, value)
        for name, value in (overrides or {}).items():
            self._process_override(run_id, name, value)

    def post_graph_execute(self, *, run_id: str, **future_kwargs: Any) -> None:
        """Write the run's new mappings, whether it succeeded or not (its results are stored)."""
        self._flush_metadata()

    def post_task_execute(self, *, run_id: str, task_id: str, **future_kwargs: Any) -> None:
        """Tasks may run in other processes, with their own copy of the adapter: write there."""
        self._flush_metadata()

    def _dependency_version(
        self, run_id: str, dep_name: str, dep_value: Any, task_id: str | None, collected: str | None
    ) -> str:
        behavior = self.behaviors[run_id].get(dep_name, _DEFAULT)
        if behavior is _IGNORE:
            return "<ignore>"
        if behavior is _DISABLE:
            return f"<disable>_{uuid.uuid4()}"
        if dep_name == collected:
            # the collected list, item by item and in order: the order is part of the value
            return fingerprinting.hash_value([self.version_data(item, run_id=run_id) for item in dep_value])
        if task_id is not None and self._get_node_role(run_id, dep_name, "<placeholder>") is _EXPAND:
            return self.version_data(dep_value, run_id=run_id)
        known = self._get_memory_data_version(run_id, dep_name)
        if known is SENTINEL:
            return self.version_data(dep_value, run_id=run_id)
        if isinstance(known, dict):
            found = known.get(task_id)
            return found if found is not None else self.version_data(dep_value, run_id=run_id)
        return known

    def pre_node_execute(
        self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None, **future_kwargs: Any
    ) -> None:
        """Build the node's cache key from its code version and its dependencies' data versions."""
        node_name = node_.name
        if self.behaviors[run_id].get(node_name, _DEFAULT) in (_IGNORE, _DISABLE):
            return
        node_kwargs = self._resolve_default_parameter_values(node_, kwargs)
        collected = None
        if task_id is not None and self._get_node_role(run_id, node_name, task_id) is NodeRoleInTaskExecution.COLLECT:
            collected = node_.collect_dependency
        dependencies = {
            name: self._dependency_version(run_id, name, value, task_id, collected)
            for name, value in node_kwargs.items()
        }
        code_versions = self.code_versions[run_id]
        code_version = code_versions.get(node_name)
        if code_version is None:  # a node outside the planned path (e.g. added by an executor)
            code_version = code_versions[node_name] = self.version_code(node_name, run_id=run_id)
        self._set_cache_key(run_id, node_name, self._cache_key(node_name, code_version, dependencies, task_id), task_id)

    def _cache_key(self, node_name: str, code_version: str, dependencies: dict[str, str], task_id: str | None) -> str:
        """``create_cache_key``, remembered per node: a re-run mostly builds the keys of the run
        before, and compressing them again would be a third of its cost per node."""
        previous = self._previous_keys.get((node_name, task_id))
        if previous is not None and previous[0] == code_version and previous[1] == dependencies:
            return previous[2]
        cache_key = create_cache_key(node_name, code_version, dependencies)
        self._previous_keys[(node_name, task_id)] = (code_version, dependencies, cache_key)
        return cache_key

    def _store_metadata_for(self, run_id: str, node_name: str, cache_key: str, result: Any, task_id: str | None) -> Any:
        """Version a computed result, record it and queue it for storing; returns the result as
        the node gives it."""
        if node_name in self._data_loaders[run_id] and isinstance(result, tuple):
            result = result[0]
        data_version = self._version_data(node_name, run_id, result, task_id)
        if node_name in self._data_savers[run_id]:
            data_version = f"{node_name}__metadata"
        self._set_memory_metadata(run_id, node_name, data_version, task_id)
        self._set_stored_metadata(run_id, node_name, cache_key, data_version, task_id)
        self._outcomes[(run_id, node_name, task_id)] = (cache_key, data_version)
        return result

    def _read_result(self, data_version: str) -> Any:
        """The stored result of ``data_version``, or SENTINEL when there is none."""
        lookup = getattr(self.result_store, "lookup", None)
        if lookup is not None:  # one read, where exists() then get() costs a stat more
            stored = lookup(data_version)
            return SENTINEL if stored is None else stored.value
        if not self.result_store.exists(data_version):
            return SENTINEL
        return self.result_store.get(data_version=data_version)

    def _retrieve(self, run_id: str, node_name: str, cache_key: str, data_version: str, task_id: str | None) -> Any:
        """The stored result, or SENTINEL (after cleaning up) when it cannot be used."""
        try:
            result = self._read_result(data_version)
        except ResultRetrievalError as error:
            self._log_event(
                run_id,
                node_name,
                "result_store",
                CachingEventType.FAILED_RETRIEVAL,
                msg=str(error),
                value=data_version,
                task_id=task_id,
            )
            logger.warning(
                "Node `%s`: could not read its cached result (%s). The entry was deleted and the node is recomputed.",
                node_name,
                error,
            )
            self._forget(cache_key)
            self.result_store.delete(data_version)
            return SENTINEL
        if result is SENTINEL:
            self._log_event(
                run_id, node_name, "result_store", CachingEventType.MISSING_RESULT, value=data_version, task_id=task_id
            )
            return SENTINEL
        self._events.record(
            run_id, node_name, "result_store", CachingEventType.GET_RESULT, "hit", data_version, task_id
        )
        self._set_memory_metadata(run_id, node_name, data_version, task_id)
        self._outcomes[(run_id, node_name, task_id)] = None  # nothing for post_node_execute to store
        return result

    def do_node_execute(
        self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None, **future_kwargs: Any
    ) -> Any:
        """Read the node's result from the cache when its key is known, else call the node."""
        cached, node_kwargs, cache_key = self._lookup_node(run_id, node_, kwargs, task_id)
        if cached is not SENTINEL:
            return cached
        return self._finish_node(run_id, node_, task_id, cache_key, node_.callable(**node_kwargs))

    async def do_node_execute_async(
        self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None, **future_kwargs: Any
    ) -> Any:
        """:meth:`do_node_execute` for ``async def`` nodes: the awaited value is versioned and stored."""
        cached, node_kwargs, cache_key = self._lookup_node(run_id, node_, kwargs, task_id)
        if cached is not SENTINEL:
            return cached
        result = node_.callable(**node_kwargs)
        if inspect.isawaitable(result):
            result = await result
        return self._finish_node(run_id, node_, task_id, cache_key, result)

    def _lookup_node(
        self, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None
    ) -> tuple[Any, dict[str, Any], str | None]:
        """The node's cached result (SENTINEL when it must run), the arguments to run it with, and
        its cache key when it was looked up (``None`` when the result is not looked up)."""
        node_name = node_.name
        node_kwargs = self._resolve_default_parameter_values(node_, kwargs)
        if node_.node_role is NodeType.EXPAND and task_id is not None:
            return SENTINEL, node_kwargs, None  # a Parallelizable node always runs
        if self.behaviors[run_id].get(node_name, _DEFAULT) is not _DEFAULT:
            return SENTINEL, node_kwargs, None
        cache_key = self.get_cache_key(run_id, node_name, task_id)
        data_version = self.get_data_version(run_id, node_name, cache_key=cache_key, task_id=task_id)
        if data_version is not SENTINEL and data_version != fingerprinting.UNHASHABLE:
            return self._retrieve(run_id, node_name, cache_key, data_version, task_id), node_kwargs, cache_key
        return SENTINEL, node_kwargs, cache_key

    def _finish_node(self, run_id: str, node_: Node, task_id: str | None, cache_key: str | None, result: Any) -> Any:
        """Record a result the node just computed (versioned, queued for storing); returns the value
        the node gives its consumers."""
        node_name = node_.name
        self._events.record(run_id, node_name, "adapter", CachingEventType.EXECUTE_NODE, None, None, task_id)
        behavior = self.behaviors[run_id].get(node_name, _DEFAULT)
        if node_.node_role is NodeType.EXPAND and task_id is not None:
            # Its items are stored as one list (as 1.x does); consumers version them one by one.
            result = list(result)
            cache_key = self.get_cache_key(run_id, node_name, task_id)
            if cache_key is not None:
                self._store_metadata_for(run_id, node_name, cache_key, result, task_id)
            return result
        if behavior is _DEFAULT:
            return self._store_metadata_for(run_id, node_name, cache_key, result, task_id)
        if behavior in (_RECOMPUTE, _IGNORE):
            cache_key = self.get_cache_key(run_id, node_name, task_id)
            if cache_key is not None:
                return self._store_metadata_for(run_id, node_name, cache_key, result, task_id)
            # IGNORE nodes have no key: keep their data version in memory only
            if node_name in self._data_loaders[run_id] and isinstance(result, tuple):
                result = result[0]
            self._set_memory_metadata(run_id, node_name, self._version_data(node_name, run_id, result), task_id)
        return result

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any] | None = None,
        success: bool = True,
        error: Exception | None = None,
        result: Any = None,
        task_id: str | None = None,
        **future_kwargs: Any,
    ) -> None:
        """Store a newly computed result (DEFAULT and RECOMPUTE nodes, and Parallelizable ones)."""
        node_name = node_.name
        if not success:
            self._events.record(
                run_id, node_name, "adapter", CachingEventType.FAILED_EXECUTION, f"{error}", None, task_id
            )
            return
        if self.behaviors[run_id].get(node_name, _DEFAULT) not in (_DEFAULT, _RECOMPUTE):
            return
        cache_key = self.get_cache_key(run_id, node_name, task_id)
        data_version = self.get_data_version(run_id, node_name, task_id=task_id)
        outcome = self._outcomes.pop((run_id, node_name, task_id), SENTINEL)
        if outcome is None:
            return  # read from the cache: stored already
        if outcome is not SENTINEL:
            cache_key, data_version = outcome
        elif data_version is SENTINEL or isinstance(data_version, dict):
            return  # nothing known to store (a node another adapter executed)
        if node_name in self._data_loaders[run_id] and isinstance(result, tuple):
            result = result[0]
        self._store_result(run_id, node_name, cache_key, data_version, result, task_id)

    def _store_result(
        self, run_id: str, node_name: str, cache_key: str, data_version: str, result: Any, task_id: str | None
    ) -> None:
        cache_format = self._fn_graphs[run_id].nodes[node_name].tags.get(cache_decorator.FORMAT_KEY)
        saver_cls = loader_cls = None
        materialized_missing = False
        if cache_format is not None:
            saver_cls, loader_cls = search_data_adapter_registry(name=cache_format, type_=type(result))
            materialized_path = getattr(self.result_store, "_materialized_path", None)
            if materialized_path is not None:
                materialized_missing = not materialized_path(data_version, saver_cls).exists()
        if self.result_store.exists(data_version) and not materialized_missing:
            return
        try:
            self.result_store.set(data_version=data_version, result=result, saver_cls=saver_cls, loader_cls=loader_cls)
        except Exception as store_error:  # e.g. an unpicklable result: the run goes on, uncached
            logger.warning(
                "Node `%s`: its result could not be stored in the cache (%r); it will be recomputed next time.",
                node_name,
                store_error,
            )
            self._forget(cache_key)
            return
        if not getattr(self.result_store, "read_only", False):  # a read-only store stored nothing
            self._events.record(
                run_id, node_name, "result_store", CachingEventType.SET_RESULT, None, data_version, task_id
            )
