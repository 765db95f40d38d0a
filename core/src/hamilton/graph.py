"""The dataflow graph as a first-class, immutable value.

A :class:`Graph` is built once — from modules, from plain functions, or from nodes — and can
then be inspected, passed to any number of drivers (``Builder().with_graph(g)``), pickled and
compared. Nothing about it requires a module. ``FunctionGraph`` (1.x's name) is the same class.

The graph also owns execution planning: a plan depends only on the graph and on the *names* of
requested outputs, inputs and overrides, so plans are memoized per graph and repeated runs skip
the traversal entirely.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

from hamilton import _assembly
from hamilton._gc import collector_paused
from hamilton.errors import UnknownNodesError, closest_names
from hamilton.graph_utils import find_functions
from hamilton.node import Node

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
    from typing import Any

    from hamilton.execution.plan import ExecutionPlan
    from hamilton.graph_types import HamiltonNode
    from hamilton.lifecycle.base import LifecycleAdapterSet

_PLAN_CACHE_SIZE = 128


def _as_adapter_set(adapter: Any) -> LifecycleAdapterSet | None:
    if adapter is None:
        return None
    from hamilton.lifecycle.base import LifecycleAdapterSet

    if isinstance(adapter, LifecycleAdapterSet):
        return adapter
    return LifecycleAdapterSet(*(adapter if isinstance(adapter, (list, tuple)) else [adapter]))


class Graph(Mapping):
    """An immutable dataflow graph: a mapping of node name to :class:`~hamilton.node.Node`.

    Build one with :meth:`from_modules`, :meth:`from_functions` or :meth:`from_nodes`.
    """

    def __init__(
        self,
        nodes: dict[str, Node],
        config: dict[str, Any] | None = None,
        adapter: Any = None,
        *,
        modules: Sequence[types.ModuleType] = (),
    ):
        """Wrap already-wired ``nodes`` (1.x's ``FunctionGraph(nodes, config, adapter)``).

        Use the ``from_*`` constructors to build a graph from functions or unwired nodes.
        """
        self._nodes = nodes
        self._config = dict(config or {})
        self._adapter = _as_adapter_set(adapter)
        self._modules = tuple(modules)
        self._plans: dict[tuple, ExecutionPlan] = {}
        self._public: dict[str, HamiltonNode] = {}  # memoized public views, see public_nodes()
        self._public_all: list[HamiltonNode] | None = None

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        *,
        modules: Sequence[types.ModuleType] = (),
        functions: Sequence[Callable] = (),
        config: dict[str, Any] | None = None,
        adapter: Any = None,
        allow_module_overrides: bool = False,
    ) -> Graph:
        """Build a graph from modules and/or functions (functions come after the modules)."""
        config = dict(config or {})
        adapter = _as_adapter_set(adapter)
        sources: list[Iterable[Callable]] = [[fn for _, fn in find_functions(module)] for module in modules]
        if functions:
            sources.append(_check_functions(functions))
        with collector_paused():
            nodes = _assembly.collect_nodes(sources, config, allow_overrides=allow_module_overrides)
            _assembly.wire(nodes, config, adapter)
        return cls(nodes, config, adapter, modules=modules)

    @classmethod
    def from_modules(
        cls,
        *modules: types.ModuleType,
        config: dict[str, Any] | None = None,
        adapter: Any = None,
        allow_module_overrides: bool = False,
    ) -> Graph:
        """The graph of every public function defined in ``modules``."""
        return cls.build(modules=modules, config=config, adapter=adapter, allow_module_overrides=allow_module_overrides)

    @classmethod
    def from_functions(cls, *functions: Callable, config: dict[str, Any] | None = None, adapter: Any = None) -> Graph:
        """The graph of exactly these functions — no module needed (lambdas need annotations)."""
        return cls.build(functions=functions, config=config, adapter=adapter)

    @classmethod
    def from_nodes(cls, nodes: Iterable[Node], config: dict[str, Any] | None = None, adapter: Any = None) -> Graph:
        """The graph of these nodes (copied, then wired like nodes built from functions)."""
        config = dict(config or {})
        adapter = _as_adapter_set(adapter)
        with collector_paused():
            wired = _assembly.copy_unwired(nodes)
            _assembly.wire(wired, config, adapter)
        return cls(wired, config, adapter)

    def with_nodes(self, nodes: Mapping[str, Node] | Iterable[Node]) -> Graph:
        """A new graph with ``nodes`` added (replacing same-named ones); this one is unchanged."""
        new_nodes = list(nodes.values()) if isinstance(nodes, Mapping) else list(nodes)
        replaced = {n.name for n in new_nodes}
        kept = [n for n in self._nodes.values() if n.name not in replaced]
        graph = Graph.from_nodes(kept + new_nodes, self._config, self._adapter)
        graph._modules = self._modules
        return graph

    # -- mapping & attributes ----------------------------------------------------------------
    def __getitem__(self, name: str) -> Node:
        try:
            return self._nodes[name]
        except KeyError:
            hint = closest_names(name, self._nodes)
            raise KeyError(
                f"{name!r} is not a node of this graph." + (f" Did you mean {', '.join(hint)}?" if hint else "")
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __repr__(self) -> str:
        shown = ", ".join(list(self._nodes)[:8])
        more = ", ..." if len(self._nodes) > 8 else ""
        return f"Graph({len(self._nodes)} nodes: {shown}{more})"

    def __getstate__(self) -> dict:
        # Modules pickle by name (they are re-imported); plans are rebuilt on demand.
        state = dict(self.__dict__)
        state["_plans"] = {}
        state["_public"] = {}
        state["_public_all"] = None
        state["_modules"] = [module.__name__ for module in self._modules]
        return state

    def __setstate__(self, state: dict) -> None:
        import importlib

        state["_modules"] = tuple(importlib.import_module(name) for name in state["_modules"])
        self.__dict__.update(state)

    @property
    def nodes(self) -> Mapping[str, Node]:
        """Node name -> node, read-only, in definition order."""
        return types.MappingProxyType(self._nodes)

    @property
    def config(self) -> Mapping[str, Any]:
        """The configuration the graph was built with (its keys are also inputs)."""
        return types.MappingProxyType(self._config)

    @property
    def adapter(self) -> LifecycleAdapterSet | None:
        return self._adapter

    @property
    def modules(self) -> tuple[types.ModuleType, ...]:
        """The modules the graph was built from (empty when built from functions or nodes)."""
        return self._modules

    def get_nodes(self) -> list[Node]:
        return list(self._nodes.values())

    def public_nodes(self, nodes: Iterable[Node] | None = None) -> list[HamiltonNode]:
        """:class:`~hamilton.graph_types.HamiltonNode` views of ``nodes`` (default: all), made once
        per node since the graph is immutable: drawing a large graph again costs no conversion.
        The views are shared, so treat them as read-only (``list_available_variables`` gives
        fresh ones)."""
        if nodes is not None:
            return self._views(nodes)
        if self._public_all is None:
            self._public_all = self._views(self._nodes.values())
        return list(self._public_all)

    def _views(self, nodes: Iterable[Node]) -> list[HamiltonNode]:
        from hamilton.graph_types import HamiltonNode

        public, own_nodes = self._public, self._nodes
        views = []
        with collector_paused():  # bulk construction of objects that stay alive
            for node_ in nodes:
                own = own_nodes.get(node_.name) is node_  # a foreign node of the same name is not memoized
                view = public.get(node_.name) if own else None
                if view is None:
                    view = HamiltonNode.from_node(node_)
                    if own:
                        public[node_.name] = view
                views.append(view)
        return views

    # -- traversal -------------------------------------------------------------------------
    def _require(self, names: Iterable[str]) -> list[Node]:
        names = list(names)
        unknown = [name for name in names if name not in self._nodes]
        if unknown:
            raise UnknownNodesError.for_names(unknown, self._nodes)
        return [self._nodes[name] for name in names]

    def _closure(self, start: Iterable[Node], neighbours: Callable[[Node], Iterable[Node]]) -> list[Node]:
        seen: set[str] = set()
        stack = list(start)
        while stack:
            node_ = stack.pop()
            if node_.name in seen:
                continue
            seen.add(node_.name)
            stack.extend(neighbours(node_))
        return [n for n in self._nodes.values() if n.name in seen]

    def upstream_of(self, *names: str) -> list[Node]:
        """The named nodes and everything they (transitively) depend on, inputs included."""
        return self._closure(self._require(names), lambda n: n.dependencies)

    def downstream_of(self, *names: str) -> list[Node]:
        """The named nodes and everything that (transitively) depends on them."""
        return self._closure(self._require(names), lambda n: n.depended_on_by)

    def path_between(self, upstream: str, downstream: str) -> list[Node]:
        """Nodes on any path from ``upstream`` to ``downstream`` (inclusive); ``[]`` if none."""
        if upstream not in self._nodes:
            raise ValueError(f"Upstream node {upstream} not found in graph.")
        if downstream not in self._nodes:
            raise ValueError(f"Downstream node {downstream} not found in graph.")
        below = {n.name for n in self.downstream_of(upstream)}
        if downstream not in below:
            return []
        return [n for n in self.upstream_of(downstream) if n.name in below]

    def find_cycle(self, names: Iterable[str] | None = None) -> list[str] | None:
        """A cycle among the nodes upstream of ``names`` (default: the whole graph), or ``None``.

        The cycle is returned as a path ``[a, b, ..., a]`` following dependencies.
        """
        from hamilton.execution.plan import find_cycle

        roots = self._require(names) if names is not None else list(self._nodes.values())
        return find_cycle(roots)

    # -- planning --------------------------------------------------------------------------
    def plan(
        self,
        final_vars: Sequence[str],
        input_names: Collection[str] = (),
        override_names: Collection[str] = (),
    ) -> ExecutionPlan:
        """The (memoized) execution plan for these output, input and override names."""
        key = (tuple(final_vars), frozenset(input_names), frozenset(override_names))
        plan = self._plans.get(key)
        if plan is None:
            from hamilton.execution.plan import make_plan

            with collector_paused():
                plan = make_plan(self._nodes, key[0], key[1], key[2])
            if len(self._plans) >= _PLAN_CACHE_SIZE:
                self._plans.pop(next(iter(self._plans)))
            self._plans[key] = plan
        return plan

    def execution_path(
        self, final_vars: Sequence[str], inputs: Mapping[str, Any], overrides: Mapping[str, Any]
    ) -> list[str]:
        """Names of the non-input nodes a run of ``final_vars`` computes or takes from overrides."""
        plan = self.plan(final_vars, set(inputs) | set(self._config), overrides)
        return [step.name for step in plan.steps] + list(plan.overridden)

    # -- 1.x FunctionGraph API -------------------------------------------------------------------
    def get_upstream_nodes(
        self,
        final_vars: Iterable[str],
        runtime_inputs: Mapping[str, Any] | None = None,
        runtime_overrides: Mapping[str, Any] | None = None,
    ) -> tuple[set[Node], set[Node]]:
        """``(nodes, user_nodes)``: everything needed for ``final_vars``, and its inputs."""
        overrides = set(runtime_overrides or ())
        needed = self._closure(self._require(final_vars), lambda n: () if n.name in overrides else n.dependencies)
        return set(needed), {n for n in needed if n.user_defined}

    def get_downstream_nodes(self, var_changes: Iterable[str]) -> set[Node]:
        return set(self.downstream_of(*var_changes))

    def nodes_between(self, start: str, end: str) -> set[Node]:
        return set(self.path_between(start, end))

    def has_cycles(self, nodes: Iterable[Node] | None = None, user_nodes: Iterable[Node] | None = None) -> bool:
        roots = [n.name for n in nodes] if nodes is not None else None
        return self.find_cycle(roots) is not None

    def get_cycles(
        self, nodes: Iterable[Node] | None = None, user_nodes: Iterable[Node] | None = None
    ) -> list[list[str]]:
        cycle = self.find_cycle([n.name for n in nodes] if nodes is not None else None)
        return [cycle[:-1]] if cycle else []

    def execute(
        self,
        nodes: Collection[Node] | None = None,
        computed: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
        run_id: str | None = None,
    ) -> dict[str, Any]:
        """Compute ``nodes`` (default: all) and return every value computed or given."""
        from hamilton.execution.runner import run_plan

        final_vars = [n.name for n in (nodes if nodes is not None else self._nodes.values()) if not n.user_defined]
        given = {**self._config, **(inputs or {})}
        overrides = {**(computed or {}), **(overrides or {})}
        plan = self.plan(final_vars, given, overrides)
        plan.raise_for_missing_inputs()
        values = run_plan(plan, {**given, **overrides}, self._adapter, run_id=run_id or "", keep_all=True)
        return values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Graph):
            return NotImplemented
        return self._nodes == other._nodes and self._config == other._config


FunctionGraph = Graph


def _check_functions(functions: Sequence[Callable]) -> list[Callable]:
    checked = []
    for fn in functions:
        if isinstance(fn, types.ModuleType):
            raise TypeError(f"{fn.__name__} is a module: pass modules with with_modules()/from_modules().")
        if not callable(fn):
            raise TypeError(f"{fn!r} is not a function; only functions can become nodes.")
        checked.append(fn)
    return checked


def create_function_graph(
    *modules: types.ModuleType,
    config: dict[str, Any],
    adapter: Any = None,
    allow_module_overrides: bool = False,
) -> dict[str, Node]:
    """1.x helper: the wired node dictionary of ``modules``."""
    return dict(
        Graph.from_modules(
            *modules, config=config, adapter=adapter, allow_module_overrides=allow_module_overrides
        ).nodes
    )
