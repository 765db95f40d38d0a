"""The caching adapter: ``Builder().with_cache()`` adds one, ``dr.cache`` returns it.

Per run, before any node: every node gets a caching behaviour and a code version; inputs and
overrides get data versions. Per node: ``pre_node_execute`` builds the node's cache key from
its code version and its dependencies' data versions; ``do_node_execute`` reads the result
from the stores when the key is known (``get_result``) or calls the node (``execute_node``);
``post_node_execute`` stores a new result. Every step is logged as a :class:`CachingEvent`.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import json
import logging
import pathlib
import threading
import time
import uuid
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, Literal

from hamilton.caching import fingerprinting
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
from hamilton.lifecycle.base import BaseDoNodeExecute, BasePostNodeExecute, BasePreGraphExecute, BasePreNodeExecute
from hamilton.node import NodeType

if TYPE_CHECKING:
    from hamilton.graph import Graph
    from hamilton.node import Node

logger = logging.getLogger(__name__)

CACHING_BEHAVIORS = Literal["default", "recompute", "disable", "ignore"]
LOADER_TAG = "hamilton.data_loader"
LOADER_NODE_TAG = "hamilton.data_loader.node"
SAVER_TAG = "hamilton.data_saver"
LOG_FILE_NAME = "cache_logs.jsonl"
DOCS_URL = "https://hamilton.apache.org/concepts/caching/#caching-behavior"


class _Missing:
    """Marks "no value" where ``None`` is a legitimate value."""

    def __repr__(self) -> str:
        return "<missing>"


SENTINEL: Any = _Missing()


class CachingBehavior(enum.Enum):
    """How the cache treats a node.

    DEFAULT: read the result when its cache key is known, else compute and store it.
    RECOMPUTE: always compute, then store (dependents can still hit the cache).
    DISABLE: compute as if there were no cache; dependents miss, so they recompute too.
    IGNORE: compute without caching, and leave the node out of its dependents' keys.
    """

    DEFAULT = 1
    RECOMPUTE = 2
    DISABLE = 3
    IGNORE = 4

    @classmethod
    def from_string(cls, string: str) -> CachingBehavior:
        """``"recompute"`` (any case) -> ``CachingBehavior.RECOMPUTE``."""
        try:
            return cls[string.upper()]
        except (KeyError, AttributeError) as error:
            raise KeyError(f"{string} is an invalid `CachingBehavior` value") from error


class NodeRoleInTaskExecution(enum.Enum):
    """Where a node sits in a task-based run (``Parallelizable``/``Collect``).

    STANDARD: no tasks. EXPAND: the ``Parallelizable`` node. COLLECT: the ``Collect`` node.
    OUTSIDE: in a task of its own, outside a parallel block. INSIDE: in a parallel block, so it
    runs once per item and is keyed by ``(node_name, task_id)``.
    """

    STANDARD = 1
    EXPAND = 2
    COLLECT = 3
    OUTSIDE = 4
    INSIDE = 5


class CachingEventType(enum.Enum):
    """What a :class:`CachingEvent` records."""

    GET_DATA_VERSION = "get_data_version"
    SET_DATA_VERSION = "set_data_version"
    GET_CACHE_KEY = "get_cache_key"
    SET_CACHE_KEY = "set_cache_key"
    GET_RESULT = "get_result"
    SET_RESULT = "set_result"
    MISSING_RESULT = "missing_result"
    FAILED_RETRIEVAL = "failed_retrieval"
    EXECUTE_NODE = "execute_node"
    FAILED_EXECUTION = "failed_execution"
    RESOLVE_BEHAVIOR = "resolve_behavior"
    UNHASHABLE_DATA_VERSION = "unhashable_data_version"
    IS_OVERRIDE = "is_override"
    IS_INPUT = "is_input"
    IS_FINAL_VAR = "is_final_var"
    IS_DEFAULT_PARAMETER_VALUE = "is_default_parameter_value"


_INFO_EVENTS = (CachingEventType.GET_RESULT, CachingEventType.EXECUTE_NODE)


def _utc_timestamp() -> float:
    """Seconds since the epoch, UTC (``time.time()`` is that, without building a datetime)."""
    return time.time()


@dataclasses.dataclass(frozen=True)
class CachingEvent:
    """One step of the cache's work on one node (``str()`` gives a one-line summary)."""

    run_id: str
    actor: Literal["adapter", "metadata_store", "result_store"]
    event_type: CachingEventType
    node_name: str
    task_id: str | None = None
    msg: str | None = None
    value: Any | None = None
    timestamp: float = dataclasses.field(default_factory=_utc_timestamp)

    def __str__(self) -> str:
        parts = [self.node_name]
        if self.task_id is not None:
            parts.append(self.task_id)
        parts += [self.actor, self.event_type.value]
        if self.msg:
            parts.append(self.msg)
        return "::".join(str(part) for part in parts)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly fields (``value`` as a string)."""
        return {
            "run_id": self.run_id,
            "timestamp": self.timestamp,
            "node_name": self.node_name,
            "task_id": self.task_id,
            "actor": self.actor,
            "event_type": self.event_type.value,
            "msg": self.msg,
            "value": str(self.value) if self.value else self.value,
        }


def _node_set(selection: Literal[True] | Collection[str] | None, graph: Graph) -> Collection[str]:
    if selection is None:
        return ()
    if selection is True:
        return set(graph.nodes)
    if isinstance(selection, str):
        return {selection}
    return set(selection)


def _check_driver_lists(**selections: Literal[True] | Collection[str] | None) -> None:
    """A node named in two lists (or in one while another is ``True``) gets no clear behaviour."""
    everything = any(selection is True for selection in selections.values())
    seen: set[str] = set()
    for selection in selections.values():
        if selection is None or selection is True:
            continue
        for name in [selection] if isinstance(selection, str) else selection:
            if everything or name in seen:
                raise ValueError(f"Multiple caching behaviors specified by Driver for node: {name}")
            seen.add(name)


def _resolve_node_behavior(
    node_: Node,
    driver_lists: dict[CachingBehavior, Collection[str]],
    default_behavior: str,
    default_loader_behavior: str,
    default_saver_behavior: str,
) -> CachingBehavior:
    """First match: Parallelizable -> RECOMPUTE; the driver's lists; ``@cache``; loader/saver default; default."""
    if node_.node_role is NodeType.EXPAND:
        return CachingBehavior.RECOMPUTE
    from_driver = [behavior for behavior, names in driver_lists.items() if node_.name in names]
    if len(from_driver) > 1:
        raise ValueError(f"Multiple caching behaviors specified by Driver for node: {node_.name}")
    if from_driver:
        return from_driver[0]
    tag = node_.tags.get(cache_decorator.BEHAVIOR_KEY)
    if tag is not None:
        return CachingBehavior.from_string(tag)
    if node_.tags.get(LOADER_TAG):
        return CachingBehavior.from_string(default_loader_behavior)
    if node_.tags.get(SAVER_TAG):
        return CachingBehavior.from_string(default_saver_behavior)
    return CachingBehavior.from_string(default_behavior)


class HamiltonCacheAdapter(BaseDoNodeExecute, BasePreGraphExecute, BasePostNodeExecute, BasePreNodeExecute):
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
        _check_driver_lists(default=default, recompute=recompute, ignore=ignore, disable=disable)
        for name, behavior in (
            ("default_behavior", default_behavior),
            ("default_loader_behavior", default_loader_behavior),
            ("default_saver_behavior", default_saver_behavior),
        ):
            if behavior is not None:
                try:
                    CachingBehavior.from_string(behavior)
                except KeyError as error:
                    raise ValueError(
                        f"with_cache({name}={behavior!r}): use one of 'default', 'recompute', 'disable', 'ignore'."
                    ) from error
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
        self._data_savers: dict[str, list[str]] = {}
        self._data_loaders: dict[str, list[str]] = {}
        self.behaviors: dict[str, dict[str, CachingBehavior]] = {}
        self.data_versions: dict[str, dict[str, Any]] = {}
        self.code_versions: dict[str, dict[str, str]] = {}
        self.cache_keys: dict[str, dict[str, Any]] = {}
        self._logs: dict[str, list[CachingEvent]] = {}
        self._transient()

    def _transient(self) -> None:
        """State that is never pickled: the log-file lock."""
        self._log_lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"HamiltonCacheAdapter(metadata_store={type(self.metadata_store).__name__}, "
            f"result_store={type(self.result_store).__name__}, runs={len(self.run_ids)})"
        )

    # -- pickling: executors copy the adapter to threads/processes ----------------------------
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        del state["_log_lock"]
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
        event = CachingEvent(
            run_id=run_id,
            actor=actor,
            event_type=event_type,
            node_name=node_name,
            task_id=task_id,
            msg=msg,
            value=value,
        )
        if event_type in _INFO_EVENTS:
            logger.info("%s", event)
        elif logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s", event)
        self._logs.setdefault(run_id, []).append(event)
        if self.log_to_file:
            self._append_to_log_file(event)

    def _log_directory(self) -> pathlib.Path:
        directory = getattr(self.metadata_store, "_directory", None)
        return pathlib.Path(directory if directory is not None else self._path)

    def _append_to_log_file(self, event: CachingEvent) -> None:
        line = json.dumps(event.as_dict(), default=str) + "\n"
        directory = self._log_directory()
        directory.mkdir(parents=True, exist_ok=True)
        with self._log_lock, (directory / LOG_FILE_NAME).open("a", encoding="utf-8") as handle:
            handle.write(line)  # one write per line: concurrent appenders do not interleave lines

    def logs(self, run_id: str | None = None, level: Literal["debug", "info"] = "info") -> dict:
        """Events of every run (``{run_id: [event]}``), or of one run by node
        (``{node_name: [event]}``, ``{(node_name, task_id): [event]}`` inside parallel blocks).
        ``level="info"`` keeps only ``get_result`` and ``execute_node`` events."""
        if level not in ("debug", "info"):
            raise ValueError(f"logs(level={level!r}): use 'debug' or 'info'.")

        def keep(event: CachingEvent) -> bool:
            return level == "debug" or event.event_type in _INFO_EVENTS

        grouped: dict = collections.defaultdict(list)
        if run_id:
            if run_id not in self._logs:
                raise KeyError(f"Unknown run_id {run_id!r}; this cache's runs are {self.run_ids}.")
            for event in self._logs[run_id]:
                if keep(event):
                    key = (event.node_name, event.task_id) if event.task_id else event.node_name
                    grouped[key].append(event)
            return dict(grouped)
        for some_run_id, events in self._logs.items():
            for event in events:
                if keep(event):
                    grouped[some_run_id].append(event)
        return dict(grouped)

    # -- viewing --------------------------------------------------------------------------------
    def view_run(self, run_id: str | None = None, output_file_path: str | None = None, *, renderer: Any = None) -> Any:
        """Draw a run, nodes read from the cache marked as cached. Uses the driver's drawing
        machinery: graphviz by default (``renderer="mermaid"`` etc. also work); without the
        graphviz plugin, logs how to install it and returns ``None``. Not for task-based runs."""
        from hamilton.driver import Driver
        from hamilton.plugins.interfaces import NodeRunState

        run_id = self.last_run_id if run_id is None else run_id
        graph = self._fn_graphs[run_id]
        logs = self.logs(run_id, level="debug")
        if any(isinstance(key, tuple) for key in logs):
            raise ValueError(
                "`.view()` is currently not supported for task-based execution. "
                "Please inspect the logs directly via `.logs(run_id=...)` for debugging."
            )
        final_vars, inputs, overrides = self._run_requests[run_id]
        run_state: dict[str, NodeRunState] = {}
        for name, events in logs.items():
            types = {event.event_type for event in events}
            if CachingEventType.IS_INPUT in types:
                run_state[name] = NodeRunState("input")
            elif CachingEventType.IS_OVERRIDE in types:
                run_state[name] = NodeRunState("overridden")
            elif CachingEventType.FAILED_EXECUTION in types:
                run_state[name] = NodeRunState("failed")
            elif CachingEventType.GET_RESULT in types:
                run_state[name] = NodeRunState("cached")
            elif CachingEventType.EXECUTE_NODE in types:
                run_state[name] = NodeRunState("ran")
        viewer = Driver(dict(graph.config), _graph=graph, _use_legacy_adapter=False)
        return viewer.visualize_execution(
            final_vars,
            output_file_path,
            inputs=inputs,
            overrides=overrides,
            bypass_validation=True,
            renderer=renderer,
            run_state=run_state,
        )

    # -- roles, keys and versions ----------------------------------------------------------------
    def _get_node_role(self, run_id: str, node_name: str, task_id: str | None) -> NodeRoleInTaskExecution:
        if task_id is None:
            return NodeRoleInTaskExecution.STANDARD
        node_ = self._fn_graphs[run_id].nodes.get(node_name)
        role = node_.node_role if node_ is not None else NodeType.STANDARD
        if role is NodeType.EXPAND:
            return NodeRoleInTaskExecution.EXPAND
        if role is NodeType.COLLECT:
            return NodeRoleInTaskExecution.COLLECT
        if node_name == task_id:
            return NodeRoleInTaskExecution.OUTSIDE
        return NodeRoleInTaskExecution.INSIDE

    def get_cache_key(self, run_id: str, node_name: str, task_id: str | None = None) -> str | None:
        """The cache key the node had in run ``run_id`` (``None`` if it had none)."""
        keys = self.cache_keys[run_id]
        if self._get_node_role(run_id, node_name, task_id) is NodeRoleInTaskExecution.INSIDE:
            cache_key = keys.get(node_name, {}).get(task_id)
        else:
            cache_key = keys.get(node_name)
        self._log_event(
            run_id,
            node_name,
            "adapter",
            CachingEventType.GET_CACHE_KEY,
            msg="hit" if cache_key is not None else "miss",
            value=cache_key,
            task_id=task_id,
        )
        return cache_key

    def _set_cache_key(self, run_id: str, node_name: str, cache_key: str, task_id: str | None = None) -> None:
        if self._get_node_role(run_id, node_name, task_id) is NodeRoleInTaskExecution.INSIDE:
            self.cache_keys[run_id].setdefault(node_name, {})[task_id] = cache_key
        else:
            self.cache_keys[run_id][node_name] = cache_key
        self._log_event(run_id, node_name, "adapter", CachingEventType.SET_CACHE_KEY, value=cache_key, task_id=task_id)

    def _get_memory_data_version(self, run_id: str, node_name: str, task_id: str | None = None) -> Any:
        role = self._get_node_role(run_id, node_name, task_id)
        stored = self.data_versions[run_id].get(node_name, SENTINEL)
        if role is NodeRoleInTaskExecution.EXPAND:
            data_version = SENTINEL
        elif role is NodeRoleInTaskExecution.INSIDE:
            data_version = stored.get(task_id, SENTINEL) if isinstance(stored, dict) else SENTINEL
        else:
            data_version = stored
        self._log_event(
            run_id,
            node_name,
            "adapter",
            CachingEventType.GET_DATA_VERSION,
            msg="hit" if data_version is not SENTINEL else "miss",
            task_id=task_id,
        )
        return data_version

    def _get_stored_data_version(self, run_id: str, node_name: str, cache_key: str, task_id: str | None = None) -> Any:
        data_version = self.metadata_store.get(cache_key=cache_key)
        self._log_event(
            run_id,
            node_name,
            "metadata_store",
            CachingEventType.GET_DATA_VERSION,
            msg="hit" if data_version is not None else "miss",
            task_id=task_id,
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
        role = self._get_node_role(run_id, node_name, task_id)
        versions = self.data_versions[run_id]
        if role is NodeRoleInTaskExecution.EXPAND:
            versions[node_name] = {}  # items are versioned one by one by their consumers
        elif role is NodeRoleInTaskExecution.INSIDE:
            per_task = versions.get(node_name)
            if not isinstance(per_task, dict):
                per_task = versions[node_name] = {}
            per_task[task_id] = data_version
        else:
            versions[node_name] = data_version
        self._log_event(
            run_id, node_name, "adapter", CachingEventType.SET_DATA_VERSION, value=data_version, task_id=task_id
        )

    def _set_stored_metadata(
        self, run_id: str, node_name: str, cache_key: str, data_version: str, task_id: str | None = None
    ) -> None:
        self.metadata_store.set(
            cache_key=cache_key,
            data_version=data_version,
            run_id=run_id,
            node_name=node_name,
            code_version=self.code_versions[run_id][node_name],
        )
        self._log_event(
            run_id, node_name, "metadata_store", CachingEventType.SET_DATA_VERSION, value=data_version, task_id=task_id
        )

    def _version_data(self, node_name: str | None, run_id: str | None, result: Any, task_id: str | None = None) -> str:
        data_version = fingerprinting.hash_value(result)
        if data_version != fingerprinting.UNHASHABLE:
            return data_version
        if run_id is not None:
            self._log_event(
                run_id,
                node_name,
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
        """The code version of ``node_name``: sha256 of its function's source without docstring.

        Core remembers each function's version (``graph_types.code_version``), so a new driver
        over the same functions does not read and parse their source again.
        """
        run_id = self.last_run_id if run_id is None else run_id
        from hamilton.graph_types import HamiltonNode

        return HamiltonNode.from_node(self._fn_graphs[run_id].nodes[node_name]).version

    def _execute_node(
        self, run_id: str, node_name: str, node_callable: Callable, node_kwargs: dict[str, Any], task_id: str | None
    ) -> Any:
        result = node_callable(**node_kwargs)
        self._log_event(run_id, node_name, "adapter", CachingEventType.EXECUTE_NODE, task_id=task_id)
        return result

    # -- behaviours and code versions ---------------------------------------------------------------
    def _defaults(self) -> tuple[str, str, str]:
        default = self.default_behavior or "default"
        return default, self.default_loader_behavior or default, self.default_saver_behavior or default

    def resolve_behaviors(self, run_id: str) -> dict[str, CachingBehavior]:
        """The behaviour of every node of run ``run_id``'s graph (see :class:`CachingBehavior`)."""
        graph = self._fn_graphs[run_id]
        driver_lists = {
            CachingBehavior.DEFAULT: _node_set(self._default, graph),
            CachingBehavior.DISABLE: _node_set(self._disable, graph),
            CachingBehavior.RECOMPUTE: _node_set(self._recompute, graph),
            CachingBehavior.IGNORE: _node_set(self._ignore, graph),
        }
        default, loader_default, saver_default = self._defaults()
        behaviors: dict[str, CachingBehavior] = {}
        for node_ in graph.get_nodes():
            behavior = _resolve_node_behavior(node_, driver_lists, default, loader_default, saver_default)
            behaviors[node_.name] = behavior
            self._log_event(run_id, node_.name, "adapter", CachingEventType.RESOLVE_BEHAVIOR, value=behavior)
        loaders = self._data_loaders.setdefault(run_id, [])
        savers = self._data_savers.setdefault(run_id, [])
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
                loaders.append(main)
            if node_.tags.get(SAVER_TAG) is not None:
                savers.append(node_.name)
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
        return {name: self.version_code(name, run_id=run_id) for name in names}

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
        self._logs[run_id] = []
        self._fn_graphs[run_id] = graph
        # names only (for view_run): keeping the values would hold every run's data in memory
        self._run_requests[run_id] = (list(final_vars), dict.fromkeys(inputs or ()), dict.fromkeys(overrides or ()))
        self.data_versions[run_id] = {}
        self.cache_keys[run_id] = {}
        self.code_versions[run_id] = self.resolve_code_versions(run_id, final_vars, inputs, overrides)
        self._data_loaders[run_id] = []
        self._data_savers[run_id] = []
        self.behaviors[run_id] = self.resolve_behaviors(run_id)
        for final_var in final_vars:
            self._log_event(run_id, final_var, "adapter", CachingEventType.IS_FINAL_VAR)
        for name, value in (inputs or {}).items():
            self._process_input(run_id, name, value)
        for name, value in (overrides or {}).items():
            self._process_override(run_id, name, value)

    def _behavior(self, run_id: str, node_name: str) -> CachingBehavior:
        return self.behaviors[run_id].get(node_name, CachingBehavior.DEFAULT)

    def _dependency_version(
        self, run_id: str, node_: Node, dep_name: str, dep_value: Any, task_id: str | None, collected: str | None
    ) -> str:
        behavior = self._behavior(run_id, dep_name)
        if behavior is CachingBehavior.IGNORE:
            return "<ignore>"
        if behavior is CachingBehavior.DISABLE:
            return f"<disable>_{uuid.uuid4()}"
        if dep_name == collected:
            # collected items arrive in any order: version them one by one, sorted
            return fingerprinting.hash_value(sorted(self.version_data(item, run_id=run_id) for item in dep_value))
        if task_id is not None and self._get_node_role(run_id, dep_name, "<placeholder>") is (
            NodeRoleInTaskExecution.EXPAND
        ):
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
        if self._behavior(run_id, node_name) in (CachingBehavior.IGNORE, CachingBehavior.DISABLE):
            return
        node_kwargs = self._resolve_default_parameter_values(node_, kwargs)
        role = self._get_node_role(run_id, node_name, task_id)
        collected = node_.collect_dependency if role is NodeRoleInTaskExecution.COLLECT else None
        dependencies = {
            name: self._dependency_version(run_id, node_, name, value, task_id, collected)
            for name, value in node_kwargs.items()
        }
        code_version = self.code_versions[run_id].get(node_name)
        if code_version is None:  # a node outside the planned path (e.g. added by an executor)
            code_version = self.code_versions[run_id][node_name] = self.version_code(node_name, run_id=run_id)
        cache_key = create_cache_key(node_name, code_version, dependencies)
        self._set_cache_key(run_id, node_name, cache_key, task_id)

    def _store_metadata_for(self, run_id: str, node_name: str, cache_key: str, result: Any, task_id: str | None) -> Any:
        """Version a computed result and record it; returns the result as the node gives it."""
        if node_name in self._data_loaders[run_id] and isinstance(result, tuple):
            result = result[0]
        data_version = self._version_data(node_name, run_id, result, task_id)
        if node_name in self._data_savers[run_id]:
            data_version = f"{node_name}__metadata"
        self._set_memory_metadata(run_id, node_name, data_version, task_id)
        self._set_stored_metadata(run_id, node_name, cache_key, data_version, task_id)
        return result

    def _retrieve(self, run_id: str, node_name: str, cache_key: str, data_version: str, task_id: str | None) -> Any:
        """The stored result, or SENTINEL (after cleaning up) when it cannot be used."""
        if not self.result_store.exists(data_version):
            self._log_event(
                run_id, node_name, "result_store", CachingEventType.MISSING_RESULT, value=data_version, task_id=task_id
            )
            return SENTINEL
        try:
            result = self.result_store.get(data_version=data_version)
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
            self.metadata_store.delete(cache_key=cache_key)
            self.result_store.delete(data_version)
            return SENTINEL
        self._log_event(
            run_id,
            node_name,
            "result_store",
            CachingEventType.GET_RESULT,
            msg="hit",
            value=data_version,
            task_id=task_id,
        )
        self._set_memory_metadata(run_id, node_name, data_version, task_id)
        return result

    def do_node_execute(
        self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None, **future_kwargs: Any
    ) -> Any:
        """Read the node's result from the cache when its key is known, else call the node."""
        node_name = node_.name
        node_kwargs = self._resolve_default_parameter_values(node_, kwargs)
        behavior = self._behavior(run_id, node_name)
        if node_.node_role is NodeType.EXPAND and task_id is not None:
            # a Parallelizable node always runs; its items are versioned one by one by consumers
            result = self._execute_node(run_id, node_name, node_.callable, node_kwargs, task_id)
            self._set_memory_metadata(run_id, node_name, "<expand>", task_id)
            return result
        if behavior is not CachingBehavior.DEFAULT:
            result = self._execute_node(run_id, node_name, node_.callable, node_kwargs, task_id)
            if behavior in (CachingBehavior.RECOMPUTE, CachingBehavior.IGNORE):
                cache_key = self.get_cache_key(run_id, node_name, task_id)
                if cache_key is not None:
                    result = self._store_metadata_for(run_id, node_name, cache_key, result, task_id)
                else:  # IGNORE nodes have no key: keep their data version in memory only
                    if node_name in self._data_loaders[run_id] and isinstance(result, tuple):
                        result = result[0]
                    self._set_memory_metadata(run_id, node_name, self._version_data(node_name, run_id, result), task_id)
            return result
        cache_key = self.get_cache_key(run_id, node_name, task_id)
        data_version = self.get_data_version(run_id, node_name, cache_key=cache_key, task_id=task_id)
        if data_version is not SENTINEL and data_version != fingerprinting.UNHASHABLE:
            result = self._retrieve(run_id, node_name, cache_key, data_version, task_id)
            if result is not SENTINEL:
                return result
        result = self._execute_node(run_id, node_name, node_.callable, node_kwargs, task_id)
        return self._store_metadata_for(run_id, node_name, cache_key, result, task_id)

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
        """Store a newly computed result (DEFAULT and RECOMPUTE nodes)."""
        node_name = node_.name
        if not success:
            self._log_event(
                run_id, node_name, "adapter", CachingEventType.FAILED_EXECUTION, msg=f"{error}", task_id=task_id
            )
            return
        if self._behavior(run_id, node_name) not in (CachingBehavior.DEFAULT, CachingBehavior.RECOMPUTE):
            return
        cache_key = self.get_cache_key(run_id, node_name, task_id)
        data_version = self.get_data_version(run_id, node_name, cache_key=cache_key, task_id=task_id)
        if data_version is SENTINEL or isinstance(data_version, dict):
            return  # a Parallelizable node: its items are versioned by their consumers
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
            self.metadata_store.delete(cache_key=cache_key)
            return
        self._log_event(
            run_id, node_name, "result_store", CachingEventType.SET_RESULT, value=data_version, task_id=task_id
        )
