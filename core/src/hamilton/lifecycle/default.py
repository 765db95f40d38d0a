"""Ready-made lifecycle adapters: printing, debugging, type checking, error tolerance.

* :class:`PrintLn` prints a line before and after each node (with inputs/results at verbosity 2);
* :class:`PDBDebugger` drops into ``pdb`` before, during or after chosen nodes;
* :class:`FunctionInputOutputTypeChecker` checks node inputs and results against annotations;
* :class:`GracefulErrorAdapter` turns a chosen exception into a sentinel value that skips the
  nodes downstream (those decorated with :func:`accept_error_sentinels` still run);
* :class:`NoEdgeAndInputTypeChecking` turns off edge and input type checks;
* :class:`SlowDownYouMoveTooFast` sleeps a random time before each node;
* :class:`CacheAdapter` (deprecated, 1.x) caches results in a ``shelve`` file.

Several adapters take a *node filter* (:data:`NodeFilter`) choosing the nodes they act on; see
:func:`should_run_node`. This module imports only the standard library, lazily, so using one
adapter costs nothing for the others.
"""

from __future__ import annotations

from hamilton.lifecycle.api import EdgeConnectionHook, GraphExecutionHook, NodeExecutionHook, NodeExecutionMethod

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Union

    NodeFilter = Union[Callable[[str, dict[str, Any]], bool], list[str], str, None]

SENTINEL_DEFAULT = None
"""The default value :class:`GracefulErrorAdapter` gives a failed node."""

ERROR_SENTINEL_TAG = "hamilton.error_sentinel"
"""Tag key of nodes that accept error sentinels as inputs (see :func:`accept_error_sentinels`)."""

INJECTION_ALLOWED = "injection is requested"
"""Value of :data:`ERROR_SENTINEL_TAG` that lets a node receive sentinels."""


def __getattr__(name: str) -> object:
    # ``NodeFilter`` (what selects the nodes an adapter acts on: a callable ``(name, tags) -> bool``,
    # a list of names, a name, or None for all) needs ``typing``; it is built on first use so
    # importing this module stays cheap.
    if name == "NodeFilter":
        from collections.abc import Callable
        from typing import Any, Union

        node_filter = Union[Callable[[str, dict[str, Any]], bool], list[str], str, None]
        globals()[name] = node_filter
        return node_filter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- node filters ---------------------------------------------------------------------------


def _invalid_filter(node_filter: object) -> ValueError:
    return ValueError(
        f"Invalid node filter: {node_filter}. A node filter is None (every node), a node name, a list "
        "of node names, or a callable (node_name, node_tags) -> bool."
    )


def _check_node_filter(node_filter: object) -> None:
    """Raise ``ValueError`` unless ``node_filter`` is ``None``, a name, a list of names or a callable."""
    if not (node_filter is None or isinstance(node_filter, (str, list)) or callable(node_filter)):
        raise _invalid_filter(node_filter)


def should_run_node(node_name: str, node_tags: dict[str, Any], node_filter: NodeFilter) -> bool:
    """Whether an adapter with ``node_filter`` acts on the node ``node_name`` tagged ``node_tags``.

    ``None`` selects every node, a string the node of that name, a list the nodes named in it,
    and a callable the nodes for which ``node_filter(node_name, node_tags)`` is true.

    :raises ValueError: for any other filter.
    """
    if node_filter is None:
        return True
    if isinstance(node_filter, str):
        return node_name == node_filter
    if isinstance(node_filter, list):
        return node_name in node_filter
    if callable(node_filter):
        return bool(node_filter(node_name, node_tags))
    raise _invalid_filter(node_filter)


def _node_label(node_name: str, task_id: str | None) -> str:
    """``task_id:node_name`` inside a task (dynamic execution), else the node name."""
    return f"{task_id}:{node_name}" if task_id is not None else node_name


def _format_duration(seconds: float) -> str:
    """Three significant digits in the first of μs, ms, s where the value is under 1,000: ``12.3μs``, ``4ms``."""
    for unit, scale in (("μs", 1e6), ("ms", 1e3)):
        text = f"{seconds * scale:.3g}"
        if float(text) < 1000:
            return f"{text}{unit}"
    text = f"{seconds:.3g}"
    return f"{text}s" if float(text) < 1000 else f"{seconds:.0f}s"


# --- PrintLn ------------------------------------------------------------------------------


class PrintLn(NodeExecutionHook):
    """Print a line when each node starts and when it finishes, with its duration and status.

    At verbosity 1 the lines are ``Executing node: a.`` and
    ``Finished debugging node: a in 12.3μs. Status: Success.``; verbosity 2 adds the node's
    inputs, and its result (or error), pretty-printed. Inside a task (dynamic execution) the node
    is shown as ``task_id:node``.
    """

    def __init__(
        self,
        verbosity: int = 1,
        print_fn: Callable[[str], None] = print,
        node_filter: NodeFilter = None,
    ):
        """
        :param verbosity: 1 for names, timings and status; 2 adds inputs and results.
        :param print_fn: what prints a line (``print`` by default; e.g. ``logger.info``).
        :param node_filter: the nodes to report on (default: all); see :func:`should_run_node`.
        :raises ValueError: for a verbosity other than 1 or 2, or an invalid node filter.
        """
        if verbosity not in (1, 2):
            raise ValueError(f"Verbosity must be one of [1, 2], got {verbosity}")
        _check_node_filter(node_filter)
        self.verbosity = verbosity
        self.print_fn = print_fn
        self.node_filter = node_filter
        # start times by (run, task, node): runs and tasks may interleave across threads
        self._started: dict[tuple[str, str | None, str], float] = {}

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        task_id: str | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        if not should_run_node(node_name, node_tags, self.node_filter):
            return
        message = f"Executing node: {_node_label(node_name, task_id)}."
        if self.verbosity == 2:
            from pprint import pformat

            message += f" Inputs: \n{pformat(node_kwargs)}"
        self.print_fn(message)
        import time

        self._started[(run_id, task_id, node_name)] = time.perf_counter()

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        result: Any,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        if not should_run_node(node_name, node_tags, self.node_filter):
            return
        import time

        started = self._started.pop((run_id, task_id, node_name), None)
        duration = "" if started is None else f" in {_format_duration(time.perf_counter() - started)}"
        status = "Success" if success else "Failure"
        message = f"Finished debugging node: {_node_label(node_name, task_id)}{duration}. Status: {status}."
        if self.verbosity == 2:
            from pprint import pformat

            message += f" Result: \n{pformat(result)}\n" if success else f" Error: \n{pformat(error)}"
        self.print_fn(message)


# --- PDBDebugger ----------------------------------------------------------------------------


def _logger() -> Any:
    import logging

    return logging.getLogger(__name__)


def _describe(key: str, value: Any, limit: int = 80) -> str:
    """How the debugger banner shows a context entry: input names, the error's repr, else ``str`` (cut)."""
    if key == "node_kwargs":
        return ", ".join(value)
    text = repr(value) if key == "error" and value is not None else str(value)
    return text if len(text) <= limit else text[:limit]


class PDBDebugger(NodeExecutionHook, NodeExecutionMethod):
    """Drop into ``pdb`` before, during and/or after the nodes ``node_filter`` selects.

    *Before* and *after* stop inside the hook, where ``node_name``, ``node_kwargs``, ``result``...
    are local variables; *during* steps into the node's function (``pdb.runcall``). In every case
    :attr:`CONTEXT` holds the node's information too (``PDBDebugger.CONTEXT`` in the debugger), and
    a banner describing it is logged (warning) on the ``hamilton.lifecycle.default`` logger.
    As it executes nodes, this adapter cannot be combined with another node-execution adapter.
    """

    CONTEXT: dict[str, Any] = {}
    """Information about the node being debugged; replaced (in place) at each stop."""

    def __init__(self, node_filter: NodeFilter, before: bool = False, during: bool = False, after: bool = False):
        """
        :param node_filter: the nodes to debug; see :func:`should_run_node`.
        :param before: stop before each selected node runs.
        :param during: step into each selected node's function.
        :param after: stop after each selected node ran (successfully or not).
        :raises ValueError: for an invalid node filter.
        """
        _check_node_filter(node_filter)
        self.node_filter = node_filter
        self.run_before = before
        self.run_during = during
        self.run_after = after

    @classmethod
    def _enter(cls, headline: str, context: dict[str, Any], where: str) -> None:
        """Publish ``context`` in :attr:`CONTEXT` and log (warning) what the debugger session offers."""
        cls.CONTEXT.clear()
        cls.CONTEXT.update(context)
        details = "\n".join(f" - {key}: {_describe(key, value)}" for key, value in context.items())
        _logger().warning(f"{headline}\nYou can access additional node information via {where}:\n{details}")

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: type,
        task_id: str | None,
        **future_kwargs: Any,
    ) -> None:
        if not (self.run_before and should_run_node(node_name, node_tags, self.node_filter)):
            return
        context = dict(
            node_name=node_name,
            node_tags=node_tags,
            node_kwargs=node_kwargs,
            node_return_type=node_return_type,
            task_id=task_id,
        )
        self._enter(
            f"Placing you in a PDB debugger prior to execution of node: {node_name}.",
            context,
            "the following variables",
        )
        import pdb

        pdb.set_trace()

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        task_id: str | None,
        **future_kwargs: Any,
    ) -> Any:
        if not (self.run_during and should_run_node(node_name, node_tags, self.node_filter)):
            return node_callable(**node_kwargs)
        context = dict(
            node_name=node_name,
            node_tags=node_tags,
            node_callable=node_callable,
            node_kwargs=node_kwargs,
            task_id=task_id,
            future_kwargs=future_kwargs,
        )
        self._enter(
            f"Placing you in a PDB debugger for node {node_name}.",
            context,
            "PDBDebugger.CONTEXT. Data is",
        )
        import pdb

        result = pdb.runcall(node_callable, **node_kwargs)
        _logger().info(f"Finished executing node {node_name}.")
        return result

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: type,
        result: Any,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        **future_kwargs: Any,
    ) -> None:
        if not (self.run_after and should_run_node(node_name, node_tags, self.node_filter)):
            return
        context = dict(
            node_name=node_name,
            node_tags=node_tags,
            node_kwargs=node_kwargs,
            node_return_type=node_return_type,
            result=result,
            error=error,
            success=success,
            task_id=task_id,
        )
        self._enter(
            f"Placing you in a PDB debugger post execution of node: {node_name}.",
            context,
            "the following variables",
        )
        import pdb

        pdb.set_trace()


# --- type checking --------------------------------------------------------------------------


class FunctionInputOutputTypeChecker(NodeExecutionHook):
    """Check, at run time, each node's inputs and result against its annotations.

    Containers are checked deeply (``list[int]`` rejects ``[1, "2"]``) with
    :func:`hamilton.htypes.check_instance`. A mismatch raises ``TypeError``: before the node runs
    for an input, after it ran for its result. A node that fails keeps its own error.
    """

    def __init__(self, check_input: bool = True, check_output: bool = True):
        """
        :param check_input: check the values each node receives.
        :param check_output: check the value each node returns.
        """
        self.check_input = check_input
        self.check_output = check_output

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_kwargs: dict[str, Any],
        node_input_types: dict[str, Any],
        **future_kwargs: Any,
    ) -> None:
        if not self.check_input:
            return
        from hamilton import htypes

        for input_name, value in node_kwargs.items():
            expected = node_input_types.get(input_name)
            if expected is not None and not htypes.check_instance(value, expected):
                raise TypeError(
                    f"Node {node_name} received an input of type {type(value)} for {input_name}, expected {expected}"
                )

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_return_type: type,
        result: Any,
        success: bool,
        **future_kwargs: Any,
    ) -> None:
        if not (self.check_output and success):
            return
        from hamilton import htypes

        if not htypes.check_instance(result, node_return_type):
            raise TypeError(f"Node {node_name} returned a result of type {type(result)}, expected {node_return_type}")


class NoEdgeAndInputTypeChecking(EdgeConnectionHook):
    """Accept every edge and every input value, whatever the annotations say.

    As it implements the edge and input checks, it cannot be combined with another adapter that
    does (e.g. a 1.x ``GraphAdapter``).
    """

    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        return True

    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        return True


# --- error tolerance --------------------------------------------------------------------------


def accept_error_sentinels(func: Callable) -> Callable:
    """Let the node(s) of ``func`` run when an input is :class:`GracefulErrorAdapter`'s sentinel.

    Such a node receives the sentinel as an ordinary value, e.g. to report or replace failures.
    Adds the tag ``hamilton.error_sentinel="injection is requested"`` to the function's nodes.
    """
    from hamilton.function_modifiers.metadata import tag

    return tag(bypass_reserved_namespaces_=True, **{ERROR_SENTINEL_TAG: INJECTION_ALLOWED})(func)


class GracefulErrorAdapter(NodeExecutionMethod):
    """Turn a chosen error into a sentinel value and skip everything downstream of it.

    A node raising ``error_to_catch`` returns ``sentinel_value`` instead; a node that receives the
    sentinel among its inputs is not run and returns the sentinel too, so a failure flows to the
    outputs without stopping the run (``{'will': 1, 'never': None}``). Nodes decorated with
    :func:`accept_error_sentinels` run with the sentinel as input (unless ``allow_injection`` is
    false). An input is the sentinel when it *is* it, or has exactly its type and equals it.

    For a ``Parallelizable`` node (dynamic execution), a skipped or failing node yields the single
    item ``sentinel_value``; with ``try_all_parallel`` the items it yielded before failing are
    kept, followed by the sentinel. As it executes nodes, this adapter cannot be combined with
    another node-execution adapter.
    """

    def __init__(
        self,
        error_to_catch: type[Exception],
        sentinel_value: Any = SENTINEL_DEFAULT,
        try_all_parallel: bool = True,
        allow_injection: bool = True,
    ):
        """
        :param error_to_catch: the exception class (or tuple of classes) to turn into the sentinel.
        :param sentinel_value: what a failed or skipped node returns (default ``None``).
        :param try_all_parallel: for Parallelizable nodes, keep the items yielded before a failure.
        :param allow_injection: let nodes decorated with :func:`accept_error_sentinels` run on sentinels.
        """
        self.error_to_catch = error_to_catch
        self.sentinel_value = sentinel_value
        self.try_all_parallel = try_all_parallel
        self.allow_injection = allow_injection

    def _is_sentinel(self, value: Any) -> bool:
        sentinel = self.sentinel_value
        if value is sentinel:
            return True
        if type(value) is not type(sentinel):
            return False
        try:
            return bool(value == sentinel)
        except Exception:  # e.g. array-likes whose truth value is ambiguous
            return False

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        is_expand: bool = False,
        **future_kwargs: Any,
    ) -> Any:
        accepts_sentinels = self.allow_injection and node_tags.get(ERROR_SENTINEL_TAG) == INJECTION_ALLOWED
        if not accepts_sentinels and any(self._is_sentinel(value) for value in node_kwargs.values()):
            return [self.sentinel_value] if is_expand else self.sentinel_value
        if is_expand:
            return self._expand(node_callable, node_kwargs)
        try:
            return node_callable(**node_kwargs)
        except self.error_to_catch:
            return self.sentinel_value

    async def do_node_execute_async(
        self, *, run_id: str, node_: Any, kwargs: dict[str, Any], task_id: str | None = None, **future_kwargs: Any
    ) -> Any:
        """The same rules for an ``async def`` node: its awaited failure becomes the sentinel."""
        import inspect

        from hamilton.node import NodeType

        is_expand = node_.node_role is NodeType.EXPAND
        accepts_sentinels = self.allow_injection and node_.tags.get(ERROR_SENTINEL_TAG) == INJECTION_ALLOWED
        if not accepts_sentinels and any(self._is_sentinel(value) for value in kwargs.values()):
            return [self.sentinel_value] if is_expand else self.sentinel_value
        try:
            result = node_.callable(**kwargs)
            if inspect.isawaitable(result):
                result = await result
        except self.error_to_catch:
            return [self.sentinel_value] if is_expand else self.sentinel_value
        return self._expand(lambda: result, {}) if is_expand else result

    def _expand(self, node_callable: Callable, node_kwargs: dict[str, Any]) -> list:
        """Run a Parallelizable node to the end, so that failures while iterating are caught here."""
        items: list = []
        try:
            for item in node_callable(**node_kwargs):
                items.append(item)
        except self.error_to_catch:
            return items + [self.sentinel_value] if self.try_all_parallel else [self.sentinel_value]
        return items


# --- pacing -------------------------------------------------------------------------------------


def wait_random(mean: float, stddev: float) -> None:
    """Sleep a normally distributed time (seconds, never negative)."""
    import random
    import time

    time.sleep(max(0.0, random.gauss(mean, stddev)))


class SlowDownYouMoveTooFast(NodeExecutionHook):
    """Sleep a random time before each node (to watch progress bars, or to simulate slow work)."""

    def __init__(self, sleep_time_mean: float, sleep_time_std: float):
        """
        :param sleep_time_mean: mean sleep, in seconds.
        :param sleep_time_std: standard deviation of the sleep, in seconds (negative draws sleep 0).
        """
        self.sleep_time_mean = sleep_time_mean
        self.sleep_time_std = sleep_time_std

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        wait_random(self.sleep_time_mean, self.sleep_time_std)

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        pass


# --- 1.x's shelve cache ---------------------------------------------------------------------------


class CacheAdapter(NodeExecutionHook, NodeExecutionMethod, GraphExecutionHook):
    """1.x's on-disk result cache (a stdlib ``shelve`` file), kept for 1.x compatibility and
    deprecated: ``Builder().with_cache()`` replaces it (fingerprinted inputs, cache views,
    behaviours per node).

    A node's result is stored under a key made of its code (docstrings and comments ignored,
    ``functools.partial`` unwrapped) and its pickled inputs; a later run with the same key
    loads the result instead of computing it. ``nodes_history`` lists, per node, the code hashes
    that missed the cache, oldest first; it is saved under :attr:`nodes_history_key` when a run
    ends. Results are pickles, so they depend on the Python version; nothing bounds the file.
    """

    nodes_history_key: str = "_nodes_history"

    def __init__(self, cache_vars: list[str] | None = None, cache_path: str = "./hamilton-cache"):
        """
        :param cache_vars: the nodes to cache; empty or ``None`` caches every node of the graph.
        :param cache_path: the shelve file (no extension needed).
        """
        import shelve

        from hamilton.deprecation import warn_deprecated

        warn_deprecated(
            "hamilton.lifecycle.default.CacheAdapter",
            instead="Use Builder().with_cache() (see docs/caching.md).",
        )
        self.cache_vars = list(cache_vars or [])
        self.cache_path = cache_path
        with shelve.open(cache_path) as cache:
            self.nodes_history: dict[str, list[str]] = cache.get(self.nodes_history_key, {})
        self.used_nodes_hash: dict[str, str] = {}
        self.cache: Any = None  # the open shelf, between the start and the end of a run

    @staticmethod
    def create_key(node_hash: str, node_inputs: dict[str, Any]) -> str:
        """sha256 of the node's code hash and each input value's pickle, in input order."""
        import hashlib
        import pickle

        digest = hashlib.sha256(node_hash.encode())
        for value in node_inputs.values():
            digest.update(pickle.dumps(value))
        return digest.hexdigest()

    def run_before_graph_execution(self, *, graph: Any, **future_kwargs: Any) -> None:
        import shelve

        self.cache = shelve.open(self.cache_path)  # noqa: SIM115 -- open for the run, closed after it
        if not self.cache_vars:
            self.cache_vars = [n.name for n in graph.nodes]

    def run_to_execute_node(
        self, *, node_name: str, node_callable: Any, node_kwargs: dict[str, Any], **future_kwargs: Any
    ) -> Any:
        if node_name not in self.cache_vars:
            return node_callable(**node_kwargs)
        import functools

        from hamilton.graph_types import hash_source_code

        function = node_callable
        while isinstance(function, functools.partial):
            function = function.func
        node_hash = hash_source_code(function, strip=True)
        cached = self.cache.get(self.create_key(node_hash, node_kwargs))
        if cached is not None:
            return cached
        self.used_nodes_hash[node_name] = node_hash
        self.nodes_history[node_name] = [*self.nodes_history.get(node_name, []), node_hash]
        return node_callable(**node_kwargs)

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        pass

    def run_after_node_execution(
        self, *, node_name: str, node_kwargs: dict[str, Any], result: Any, **future_kwargs: Any
    ) -> None:
        """Store a result computed on a cache miss."""
        node_hash = self.used_nodes_hash.get(node_name) if node_name in self.cache_vars else None
        if node_hash is not None:
            self.cache[self.create_key(node_hash, node_kwargs)] = result

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Save the history and close the shelf."""
        self.cache[self.nodes_history_key] = self.nodes_history
        self.cache.close()


__all__ = [
    "ERROR_SENTINEL_TAG",
    "INJECTION_ALLOWED",
    "SENTINEL_DEFAULT",
    "CacheAdapter",
    "FunctionInputOutputTypeChecker",
    "GracefulErrorAdapter",
    "NoEdgeAndInputTypeChecking",
    "NodeFilter",
    "PDBDebugger",
    "PrintLn",
    "SlowDownYouMoveTooFast",
    "accept_error_sentinels",
    "should_run_node",
    "wait_random",
]
