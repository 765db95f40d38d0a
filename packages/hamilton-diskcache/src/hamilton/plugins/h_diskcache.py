"""1.x's ``DiskCacheAdapter``: node results kept in a :class:`diskcache.Cache` across runs.

A node's result is stored under a key made of its code and its inputs, and a later run (by the
same or another driver, in this process or another) that computes the node with the same code
and the same inputs gets the stored result instead of running the function::

    from hamilton import driver
    from hamilton.plugins import h_diskcache

    dr = driver.Builder().with_modules(my_flow).with_adapters(h_diskcache.DiskCacheAdapter()).build()

The key (1.x's: a tuple ``(code_hash, *input_values)``, which diskcache pickles):

* ``code_hash`` is :func:`hamilton.graph_types.hash_source_code` of the node's function (without
  docstrings, comments and layout) for a plain function. When that source does not say everything
  the node computes, more goes into it: the node's name, the functions it came from (decorators
  included), the values its function closes over, its default arguments, the plain-data module
  globals and same-module helper functions it references (recursively). A node built by a
  decorator (``@parameterize``, ``@extract_fields``, ``@pipe``...) runs Hamilton's generic
  wrapper: 1.x keyed all of them by that wrapper's source alone, so sibling nodes shared results.
* the input values, in the order of the function's parameters. When the node is called with
  other keyword arguments than its parameters (an optional input not given), their names go into
  ``code_hash`` too, so ``f(a=1)`` and ``f(b=1)`` never share a key.

What the key cannot see — a file a node reads, a helper from another module, a class's methods,
a global object that is not plain data — is your business: leave such nodes out with
``cache_vars`` or list them in ``force_compute``. Loader and saver nodes (``from_``/``to``,
``@load_from``/``@save_to``, ``@dataloader``/``@datasaver``) read or write outside data and are
only cached when named in ``cache_vars``.

Never served from the cache: a ``None`` result (as in 1.x), and nothing is stored for a node
whose inputs cannot be pickled, that changed its inputs while running, or whose result cannot be
pickled (each logs a warning; the run goes on).
"""

from __future__ import annotations

from hamilton.plugins import library_required

with library_required("diskcache", needed_by=__name__, extra="diskcache"):
    import diskcache

import functools
import hashlib
import inspect
import logging
import marshal
import pickle
import threading
import types
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from hamilton import graph_types, lifecycle

if TYPE_CHECKING:
    from hamilton import driver, node

logger = logging.getLogger(__name__)

MAX_KWARGS_REPR_LENGTH = 200  # longest input listing in the debug log lines

# Tags Hamilton puts on the nodes of loaders and savers: they touch outside data (files, tables),
# which their inputs (a path) do not describe, so they are cached only when asked for by name.
_IO_TAGS = ("hamilton.data_loader", "hamilton.data_saver")
_MAX_DEPTH = 40  # how deep the code description follows closures and helpers


def _bytes_to_mb(kb: int) -> float:
    """Bytes as megabytes (1.x's name; the argument is in bytes)."""
    return kb / (1024**2)


# --------------------------------------------------------------------------------------------
# Eviction
# --------------------------------------------------------------------------------------------


def evict_all_except(nodes_to_keep: dict[str, node.Node], cache: diskcache.Cache) -> int:
    """Evict every stored version of every node, except the current code of ``nodes_to_keep``.

    ``nodes_to_keep`` maps node names to nodes (``dr.graph.nodes``). A kept node keeps the
    results of its current code for every input seen; older code versions, and nodes not in
    ``nodes_to_keep``, are evicted. Returns how many node versions were evicted.
    """
    history: dict[str, list[str]] = cache.get(DiskCacheAdapter.nodes_history_key) or {}
    kept_history: dict[str, list[str]] = {}
    evicted = 0
    for node_name, versions in history.items():
        keep = None
        if node_name in nodes_to_keep:
            kept = nodes_to_keep[node_name]
            keep = _code_hash(kept.callable, node_name, _originating(kept))
            if keep in versions:
                kept_history[node_name] = [keep]
        for version in dict.fromkeys(versions):  # each version once, in order
            if version != keep:
                cache.evict(tag=_tag(node_name, version))
                evicted += 1
    cache.set(DiskCacheAdapter.nodes_history_key, kept_history)
    return evicted


def evict_all_except_driver(dr: driver.Driver) -> dict:
    """:func:`evict_all_except` for the cache of the one ``DiskCacheAdapter`` of ``dr``, keeping
    the current code of ``dr``'s nodes.

    Returns ``{"evicted_size_mb", "eviction_counter", "size_after"}`` (sizes in megabytes).
    """
    adapters = [adapter for adapter in dr.adapter.adapters if isinstance(adapter, DiskCacheAdapter)]
    if len(adapters) != 1:
        raise AssertionError(
            f"evict_all_except_driver needs a Driver with exactly one h_diskcache.DiskCacheAdapter; "
            f"this one has {len(adapters)}. Pass it to Builder().with_adapters(...), or call "
            "evict_all_except(nodes_to_keep=dr.graph.nodes, cache=adapter.cache) yourself."
        )
    adapter = adapters[0]
    cache = adapter.cache
    before = cache.volume()
    evicted = evict_all_except(nodes_to_keep=dr.graph.nodes, cache=cache)
    after = cache.volume()
    # The adapter must not write the evicted versions back into the history after its next run.
    adapter.nodes_history = cache.get(DiskCacheAdapter.nodes_history_key) or {}
    logger.info("Evicted: %.2f MB", _bytes_to_mb(before - after))
    logger.debug("Evicted %d entries", evicted)
    logger.debug("Cache size after: %.2f MB", _bytes_to_mb(after))
    return {
        "evicted_size_mb": _bytes_to_mb(before - after),
        "eviction_counter": evicted,
        "size_after": _bytes_to_mb(after),
    }


# --------------------------------------------------------------------------------------------
# The code hash
# --------------------------------------------------------------------------------------------


class _Unversionable(Exception):
    """Part of a node's code has no stable description: the node is not cached."""


def _tag(node_name: str, code_hash: str) -> str:
    return f"{node_name}.{code_hash}"


def _originating(node_: Any) -> Sequence[Callable] | None:
    return getattr(node_, "originating_functions", None)


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _code_names(code: types.CodeType) -> set[str]:
    """Global names a code object (and the code nested in it: lambdas, comprehensions) reads."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _is_plain_data(value: Any) -> bool:
    """Numbers, strings and containers of them: what a module-level constant usually is."""
    kind = type(value)  # exactly these types: a subclass (a Counter, a custom list) is an object
    if kind in _PLAIN:
        return True
    if kind in (tuple, list, frozenset, set):
        return all(_is_plain_data(item) for item in value)
    if kind is dict:
        return all(_is_plain_data(k) and _is_plain_data(v) for k, v in value.items())
    return False


def _referenced_globals(function: types.FunctionType) -> list[tuple[str, Any]]:
    """The module globals ``function`` reads that the cache versions: plain data and functions of
    the same module (other modules' functions, classes, modules and objects are not followed)."""
    found = []
    namespace = function.__globals__
    for name in sorted(_code_names(function.__code__)):
        if name not in namespace:
            continue
        value = namespace[name]
        if isinstance(value, types.FunctionType):
            if value.__module__ == function.__module__:
                found.append((name, value))
        elif _is_plain_data(value):
            found.append((name, value))
    return found


def _has_hidden_state(function: types.FunctionType) -> bool:
    return bool(
        function.__closure__ or function.__defaults__ or function.__kwdefaults__ or _referenced_globals(function)
    )


def _source_hash(function: types.FunctionType) -> str:
    try:
        return graph_types.code_version(function)
    except (OSError, TypeError):  # no source (exec'd code, a REPL): the compiled code instead
        return "bytecode:" + hashlib.sha256(marshal.dumps(function.__code__)).hexdigest()


def _describe(value: Any, seen: dict[int, tuple[Any, str]], depth: int) -> str:
    """A text standing for what ``value`` computes or holds, stable across runs.

    ``seen`` maps ``id()`` to ``(object, text)``: holding the object keeps its id from being
    reused by a temporary made later in the same description.
    """
    if depth > _MAX_DEPTH:
        raise _Unversionable("its code references itself too deeply")
    if id(value) in seen:  # described already (shared helpers, cycles)
        return seen[id(value)][1]
    if isinstance(value, _PLAIN):
        return f"{type(value).__name__}:{value!r}"
    seen[id(value)] = (value, f"<ref {len(seen)}>")
    step = depth + 1
    if isinstance(value, types.FunctionType):
        parts = ["function", _source_hash(value)]  # the source names it; its module does not matter
        if value.__defaults__ or value.__kwdefaults__:
            parts.append("defaults " + _describe((value.__defaults__, value.__kwdefaults__), seen, step))
        for name, cell in zip(value.__code__.co_freevars, value.__closure__ or (), strict=False):
            try:
                contents = cell.cell_contents
            except ValueError:  # a cell not filled yet
                parts.append(f"closure {name}: <empty>")
                continue
            parts.append(f"closure {name}: " + _describe(contents, seen, step))
        for name, referenced in _referenced_globals(value):
            parts.append(f"global {name}: " + _describe(referenced, seen, step))
        text = "(" + "; ".join(parts) + ")"
    elif isinstance(value, functools.partial):
        text = "partial(" + ", ".join(_describe(x, seen, step) for x in (value.func, value.args, value.keywords)) + ")"
    elif isinstance(value, types.MethodType):
        text = "method(" + _describe(value.__func__, seen, step) + " of " + _describe(value.__self__, seen, step) + ")"
    elif isinstance(value, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        owner = getattr(value, "__self__", None)
        owned = "" if owner is None or isinstance(owner, types.ModuleType) else " of " + _describe(owner, seen, step)
        text = f"builtin {getattr(value, '__module__', None)}.{value.__qualname__}{owned}"
    elif isinstance(value, types.ModuleType):
        text = f"module {value.__name__}"
    elif isinstance(value, type):
        text = f"class {value.__module__}.{value.__qualname__}"
    elif isinstance(value, (list, tuple)):
        text = f"{type(value).__name__}[" + ", ".join(_describe(x, seen, step) for x in value) + "]"
    elif isinstance(value, dict):
        items = (f"{_describe(k, seen, step)}: {_describe(v, seen, step)}" for k, v in value.items())
        text = f"{type(value).__name__}{{" + ", ".join(items) + "}"
    elif isinstance(value, (set, frozenset)):
        text = f"{type(value).__name__}{{" + ", ".join(sorted(_describe(x, seen, step) for x in value)) + "}"
    elif callable(value) and hasattr(value, "__dict__"):  # a callable object: what it holds
        attributes = ", ".join(f"{k}={_describe(v, seen, step)}" for k, v in sorted(vars(value).items()))
        text = f"object {type(value).__module__}.{type(value).__qualname__}({attributes})"
    else:
        try:
            text = f"pickle {type(value).__qualname__}:" + hashlib.sha256(pickle.dumps(value, protocol=4)).hexdigest()
        except Exception as error:
            if hasattr(value, "__dict__"):
                attributes = ", ".join(f"{k}={_describe(v, seen, step)}" for k, v in sorted(vars(value).items()))
                text = f"object {type(value).__module__}.{type(value).__qualname__}({attributes})"
            else:
                raise _Unversionable(
                    f"it uses a {type(value).__module__}.{type(value).__qualname__} that cannot be pickled ({error})"
                ) from error
    seen[id(value)] = (value, text)
    return text


def _code_hash(node_callable: Any, node_name: str, originating: Sequence[Callable] | None = None) -> str:
    """The code part of a node's cache key (see the module docstring).

    A plain function whose source says everything it computes gets 1.x's
    ``hash_source_code(function, strip=True)``; anything else a digest of its full description.
    Raises ``_Unversionable`` when part of the code has no stable description.
    """
    plain = isinstance(node_callable, types.FunctionType) and (
        not originating or (len(originating) == 1 and originating[0] is node_callable)
    )
    if plain and not _has_hidden_state(node_callable):
        return _source_hash(node_callable)
    seen: dict[int, tuple[Any, str]] = {}
    parts = [f"node {node_name}", _describe(node_callable, seen, 0)]
    parts += [_describe(function, seen, 0) for function in originating or ()]
    return _sha256(*parts)


def _parameter_names(node_callable: Any) -> tuple[str, ...] | None:
    """The callable's parameters in order, or ``None`` if it takes ``*args``/``**kwargs``."""
    try:
        parameters = inspect.signature(node_callable).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
        return None
    return tuple(p.name for p in parameters)


# --------------------------------------------------------------------------------------------
# The adapter
# --------------------------------------------------------------------------------------------


class _Pending:
    """What ``run_to_execute_node`` decided for one node execution, for ``run_after_node_execution``."""

    __slots__ = ("code_hash", "from_cache", "key", "key_bytes", "kwargs", "node_name", "overwrite")

    def __init__(self, node_name: str, kwargs: dict, key: tuple | None, key_bytes: bytes | None, code_hash: str | None):
        self.node_name = node_name
        self.kwargs = kwargs  # held, so that its id() is not reused before the post hook
        self.key = key
        self.key_bytes = key_bytes
        self.code_hash = code_hash
        self.from_cache = False
        self.overwrite = False


class DiskCacheAdapter(
    lifecycle.NodeExecutionHook,
    lifecycle.GraphExecutionHook,
    lifecycle.NodeExecutionMethod,
):
    """Caches node results in a :class:`diskcache.Cache` at ``cache_path``, keyed by each node's
    code and input values, so later runs (any driver, any process) skip nodes already computed.

    :param cache_vars: the nodes to cache; empty or ``None`` caches every node (loaders and
        savers only when named here).
    :param cache_path: the cache's folder (created if missing), by default the current one.
    :param force_compute: nodes always computed, their new result replacing the stored one.
        Not in 1.x, where this keyword went on to ``diskcache.Cache`` as a setting and did nothing.
    :param cache_settings: passed on to ``diskcache.Cache`` (``size_limit``, ``eviction_policy``...).
    """

    nodes_history_key: str = "_nodes_history"

    def __init__(
        self,
        cache_vars: list[str] | None = None,
        cache_path: str = ".",
        force_compute: Collection[str] | None = None,
        **cache_settings: Any,
    ):
        if isinstance(cache_vars, str) or isinstance(force_compute, str):
            which = "cache_vars" if isinstance(cache_vars, str) else "force_compute"
            raise TypeError(f"DiskCacheAdapter: {which} takes a list of node names, not the string {which!r}.")
        self.cache_vars = list(cache_vars or [])
        self.cache_path = cache_path
        self.force_compute = set(force_compute or ())
        self.cache = diskcache.Cache(directory=cache_path, **cache_settings)
        self.nodes_history: dict[str, list[str]] = self.cache.get(DiskCacheAdapter.nodes_history_key) or {}
        self.used_nodes_hash: dict[str, str] = {}
        self._pending: dict[int, _Pending] = {}
        # (node name, id(callable)) -> (callable, code hash, why not cacheable, parameter names)
        self._hashes: dict[tuple[str, int], tuple[Any, str | None, str | None, tuple[str, ...] | None]] = {}
        self._warned: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    # -- which nodes -----------------------------------------------------------------------
    def _caches(self, node_name: str, node_tags: dict | None) -> bool:
        if self.cache_vars:
            return node_name in self.cache_vars
        return not any((node_tags or {}).get(tag) for tag in _IO_TAGS)

    def _warn_once(self, node_name: str, reason: str) -> None:
        if (node_name, reason) not in self._warned:
            self._warned.add((node_name, reason))
            logger.warning("DiskCacheAdapter: node `%s` is not cached: %s.", node_name, reason)

    def _node_code_hash(
        self, node_name: str, node_callable: Any, originating: Any
    ) -> tuple[str | None, str | None, tuple[str, ...] | None]:
        """(code hash, None, parameter names), or (None, why it cannot be cached, ...);
        remembered until the next run starts."""
        memo_key = (node_name, id(node_callable))
        remembered = self._hashes.get(memo_key)
        if remembered is not None and remembered[0] is node_callable:
            return remembered[1:]
        try:
            code_hash, reason = _code_hash(node_callable, node_name, originating), None
        except _Unversionable as error:
            code_hash, reason = None, str(error)
        parameters = _parameter_names(node_callable)
        self._hashes[memo_key] = (node_callable, code_hash, reason, parameters)
        return code_hash, reason, parameters

    @staticmethod
    def _key(code_hash: str, parameters: tuple[str, ...] | None, node_kwargs: dict) -> tuple:
        names = tuple(node_kwargs)
        if names == parameters:
            return (code_hash, *node_kwargs.values())  # 1.x's key
        ordered = sorted(names)
        return (_sha256(code_hash, "kwargs", *ordered), *(node_kwargs[name] for name in ordered))

    # -- lifecycle ---------------------------------------------------------------------------
    def run_before_graph_execution(self, **kwargs: Any) -> None:
        self._hashes.clear()  # globals may have changed between runs: describe the code afresh

    def do_node_execute(self, *, run_id: str, node_: Any, kwargs: dict[str, Any], task_id: str | None = None) -> Any:
        return self.run_to_execute_node(
            node_name=node_.name,
            node_tags=node_.tags,
            node_callable=node_.callable,
            node_kwargs=kwargs,
            task_id=task_id,
            originating_functions=_originating(node_),
        )

    def run_to_execute_node(
        self, *, node_name: str, node_callable: Any, node_kwargs: dict[str, Any], **kwargs: Any
    ) -> Any:
        """Return the stored result for this code and these inputs, or compute it."""
        if not self._caches(node_name, kwargs.get("node_tags")):
            return node_callable(**node_kwargs)
        code_hash, reason, parameters = self._node_code_hash(
            node_name, node_callable, kwargs.get("originating_functions")
        )
        if code_hash is None:
            self._warn_once(node_name, f"its code cannot be versioned: {reason}")
            return node_callable(**node_kwargs)
        self.used_nodes_hash[node_name] = code_hash
        key = self._key(code_hash, parameters, node_kwargs)
        try:
            key_bytes = pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            self._warn_once(
                node_name, f"an input cannot be pickled into the cache key ({type(error).__name__}: {error})"
            )
            return node_callable(**node_kwargs)
        pending = _Pending(node_name, node_kwargs, key, key_bytes, code_hash)
        with self._lock:
            self._pending[id(node_kwargs)] = pending

        if node_name in self.force_compute:
            pending.overwrite = True
        else:
            try:
                from_cache = self.cache.get(key=key, default=None)
            except Exception as error:  # an entry that no longer unpickles (a class renamed...)
                logger.warning(
                    "DiskCacheAdapter: node `%s`: reading the cache failed (%s); computing it.", node_name, error
                )
                from_cache = None
            if from_cache is not None:
                pending.from_cache = True
                self._log(node_name, node_kwargs, "from cache")
                return from_cache
        self._log(node_name, node_kwargs, "executed")
        with self._lock:
            versions = self.nodes_history.setdefault(node_name, [])
            if code_hash not in versions:
                versions.append(code_hash)
        return node_callable(**node_kwargs)

    @staticmethod
    def _log(node_name: str, node_kwargs: dict, what: str) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            shown = repr(node_kwargs)
            if len(shown) > MAX_KWARGS_REPR_LENGTH:
                shown = shown[:MAX_KWARGS_REPR_LENGTH] + "..."
            logger.debug("%s %s: %s", node_name, shown, what)

    def run_after_node_execution(self, *, node_name: str, node_kwargs: dict, result: Any, **kwargs: Any) -> None:
        """Store a computed result under the key taken before the node ran."""
        with self._lock:
            pending = self._pending.pop(id(node_kwargs), None)
        if pending is None or pending.kwargs is not node_kwargs or pending.node_name != node_name:
            if "run_id" not in kwargs:  # called by hand, as 1.x's tests do: 1.x's behaviour
                self._store_1x(node_name, node_kwargs, result)
            return  # in a run: the node was not cached (not selected, or no usable key)
        if pending.from_cache or not kwargs.get("success", True) or result is None:
            return
        try:
            unchanged = pickle.dumps(pending.key, protocol=pickle.HIGHEST_PROTOCOL) == pending.key_bytes
        except Exception:
            unchanged = False
        if not unchanged:
            self._warn_once(node_name, "it changed (or unpickled differently) its input values while running")
            return
        self._store(node_name, pending.key, result, _tag(node_name, pending.code_hash), pending.overwrite)

    def _store_1x(self, node_name: str, node_kwargs: dict, result: Any) -> None:
        if not self._caches(node_name, None) or result is None:
            return
        code_hash = self.used_nodes_hash.get(node_name)
        if code_hash is not None:
            self._store(node_name, (code_hash, *node_kwargs.values()), result, _tag(node_name, code_hash), False)

    def _store(self, node_name: str, key: tuple, result: Any, tag: str, overwrite: bool) -> None:
        try:
            if overwrite:
                self.cache.set(key=key, value=result, tag=tag)
            else:
                self.cache.add(key=key, value=result, tag=tag)  # keeps an entry already there
        except Exception as error:
            self._warn_once(node_name, f"its result cannot be stored ({type(error).__name__}: {error})")

    def run_after_graph_execution(self, *args: Any, **kwargs: Any) -> None:
        """Record which code versions ran (for eviction) and close the cache (it reopens when used)."""
        with self.cache.transact():
            stored = self.cache.get(DiskCacheAdapter.nodes_history_key) or {}
            merged = {name: list(versions) for name, versions in stored.items()}
            for name, versions in self.nodes_history.items():
                known = merged.setdefault(name, [])
                known.extend(v for v in versions if v not in known)
            self.cache.set(DiskCacheAdapter.nodes_history_key, merged)
        self.nodes_history = merged
        with self._lock:
            self._pending.clear()
        logger.info("Cache size: %.2f MB", _bytes_to_mb(self.cache.volume()))
        self.cache.close()

    def run_before_node_execution(self, *args: Any, **kwargs: Any) -> None:
        pass

    # -- pickling (process-based executors ship adapters to their workers) -------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        for transient in ("_pending", "_hashes", "_lock"):
            state.pop(transient, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._pending, self._hashes, self._lock = {}, {}, threading.Lock()
