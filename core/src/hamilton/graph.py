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
from enum import Enum

from hamilton import _assembly
from hamilton._gc import collector_paused
from hamilton.errors import DuplicateNodeError, UnknownNodesError, closest_names
from hamilton.graph_utils import find_functions
from hamilton.node import DependencyType, Node

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
    from typing import Any

    from hamilton.execution.plan import ExecutionPlan
    from hamilton.graph_types import HamiltonNode
    from hamilton.lifecycle.base import LifecycleAdapterSet

_PLAN_CACHE_SIZE = 128


class VisualizationNodeModifiers(Enum):
    """How :meth:`Graph.display` / :func:`create_graphviz_graph` emphasise a node (1.x's API):
    ``node_modifiers`` maps node names to sets of these."""

    IS_OUTPUT = 1
    IS_PATH = 2
    IS_USER_INPUT = 3  # inputs are drawn as inputs anyway; kept so 1.x calls need no change
    IS_OVERRIDE = 4


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
    def directional_dfs_traverse(
        self,
        next_nodes_fn: Callable[[Node], Collection[Node]],
        starting_nodes: Iterable[str],
        runtime_inputs: Mapping[str, Any] | None = None,
    ) -> tuple[set[Node], set[Node]]:
        """``(nodes, user_nodes)``: every node reached from ``starting_nodes`` by following
        ``next_nodes_fn``, and the inputs among them. A starting name that is no node but is
        configured or in ``runtime_inputs`` is skipped; any other unknown name raises ``ValueError``."""
        runtime_inputs = runtime_inputs or {}
        starting_nodes = list(starting_nodes)
        unknown = [
            name
            for name in starting_nodes
            if name not in self._nodes and name not in self._config and name not in runtime_inputs
        ]
        if unknown:
            raise UnknownNodesError.for_names(unknown, self._nodes)
        reached: set[Node] = set()
        stack = [self._nodes[name] for name in starting_nodes if name in self._nodes]
        reached.update(stack)
        while stack:
            for next_node in next_nodes_fn(stack.pop()):
                if next_node not in reached:
                    reached.add(next_node)
                    stack.append(next_node)
        return reached, {n for n in reached if n.user_defined}

    def get_upstream_nodes(
        self,
        final_vars: Iterable[str],
        runtime_inputs: Mapping[str, Any] | None = None,
        runtime_overrides: Mapping[str, Any] | None = None,
    ) -> tuple[set[Node], set[Node]]:
        """``(nodes, user_nodes)``: everything needed for ``final_vars``, and its inputs.

        Overridden nodes are included but not what they depend on. Given ``runtime_inputs``
        (even ``{}``), an optional input that is neither given nor configured is left out.
        """
        overrides = set(runtime_overrides or ())
        provided = None if runtime_inputs is None else set(runtime_inputs) | set(self._config)
        optional = DependencyType.OPTIONAL

        def dependencies(node_: Node) -> Collection[Node]:
            if node_.name in overrides:
                return ()
            if provided is None:
                return node_.dependencies
            return [
                dependency
                for dependency in node_.dependencies
                if not (
                    dependency.user_defined
                    and dependency.name not in provided
                    and node_.input_types[dependency.name][1] is optional
                )
            ]

        return self.directional_dfs_traverse(dependencies, final_vars, runtime_inputs)

    def get_downstream_nodes(self, var_changes: Iterable[str]) -> set[Node]:
        return set(self.downstream_of(*var_changes))

    def get_impacted_nodes(self, var_changes: Iterable[str]) -> set[Node]:
        """Deprecated (as in 1.x): use :meth:`get_downstream_nodes`."""
        from hamilton.deprecation import warn_deprecated

        warn_deprecated("Graph.get_impacted_nodes()", instead="Use get_downstream_nodes().")
        return self.get_downstream_nodes(var_changes)

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
        if plan.missing:  # 1.x's error for an input nobody gave
            names = list(plan.missing)
            verb = "was" if len(names) == 1 else "were"
            raise NotImplementedError(f"{', '.join(names)} {verb} expected to be passed in but {verb} not.")
        values = run_plan(plan, {**given, **overrides}, self._adapter, run_id=run_id or "", keep_all=True)
        return values

    # -- 1.x drawing API (graphviz, through the hamilton-viz-graphviz renderer) -------------------
    @staticmethod
    def display(
        nodes: Collection[Node],
        output_file_path: str | None = None,
        render_kwargs: dict | None = None,
        graphviz_kwargs: dict | None = None,
        node_modifiers: Mapping[str, Collection[VisualizationNodeModifiers]] | None = None,
        strictly_display_only_passed_in_nodes: bool = False,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        display_fields: bool = True,
        custom_style_function: Callable | None = None,
        config: Mapping[str, Any] | None = None,
        keep_dot: bool = False,
    ) -> Any:
        """Draw ``nodes`` with graphviz (1.x's low-level API; the driver's ``display_*`` and
        ``visualize_*`` methods are the usual way). Returns the ``graphviz.Digraph``, also
        written to ``output_file_path`` when given (its extension picks the format; ``keep_dot``
        keeps the DOT source beside it); ``None``, with a logged hint, without hamilton-viz-graphviz.
        """
        from hamilton.rendering.requests import resolve_renderer

        renderer = resolve_renderer(None)
        if renderer is None:
            return None
        graph, view = _drawing(nodes, node_modifiers, strictly_display_only_passed_in_nodes, config)
        return renderer.display(
            graph,
            view=view,
            output_file_path=output_file_path,
            render_kwargs=render_kwargs,
            graphviz_kwargs={"comment": "Dependency Graph", **(graphviz_kwargs or {})},
            keep_dot=keep_dot,
            show_legend=show_legend,
            orient=orient,
            hide_inputs=hide_inputs,
            deduplicate_inputs=deduplicate_inputs,
            show_schema=display_fields,
            custom_style_function=custom_style_function,
        )

    def display_all(
        self,
        output_file_path: str | None = "test-output/graph-all.gv",
        render_kwargs: dict | None = None,
        graphviz_kwargs: dict | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        display_fields: bool = True,
        custom_style_function: Callable | None = None,
        keep_dot: bool = False,
    ) -> Any:
        """:meth:`display` of every node, inputs marked, config drawn (1.x's API and default path)."""
        modifiers = {n.name: {VisualizationNodeModifiers.IS_USER_INPUT} for n in self._nodes.values() if n.user_defined}
        return self.display(
            self.get_nodes(),
            output_file_path=output_file_path,
            render_kwargs=render_kwargs,
            graphviz_kwargs=graphviz_kwargs,
            node_modifiers=modifiers,
            show_legend=show_legend,
            orient=orient,
            hide_inputs=hide_inputs,
            deduplicate_inputs=deduplicate_inputs,
            display_fields=display_fields,
            custom_style_function=custom_style_function,
            config=self._config,
            keep_dot=keep_dot,
        )

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
    fg: Graph | None = None,
    allow_module_overrides: bool = False,
) -> dict[str, Node]:
    """1.x helper: the wired node dictionary of ``modules`` (after the nodes of ``fg``, if given;
    unlike 1.x, ``fg`` itself is left unchanged)."""
    if fg is None:
        return dict(
            Graph.from_modules(
                *modules, config=config, adapter=adapter, allow_module_overrides=allow_module_overrides
            ).nodes
        )
    config = dict(config or {})
    adapter = _as_adapter_set(adapter)
    sources: list[Iterable[Callable]] = [[fn for _, fn in find_functions(module)] for module in modules]
    with collector_paused():
        nodes = _assembly.copy_unwired(n for n in fg.get_nodes() if not n.user_defined)
        added = _assembly.collect_nodes(sources, config, allow_overrides=allow_module_overrides)
        clashes = sorted(set(nodes) & set(added))
        if clashes and not allow_module_overrides:
            raise DuplicateNodeError(
                f"Cannot define {clashes} more than once: the graph already has them. Rename the functions, "
                "or pass allow_module_overrides=True."
            )
        nodes.update(added)
        return _assembly.wire(nodes, config, adapter)


def add_dependency(
    func_node: Node,
    func_name: str,
    nodes: dict[str, Node],
    param_name: str,
    param_type: Any,
    adapter: Any,
) -> None:
    """1.x's graph-building step, kept for 1.x compatibility: wire ``func_node``'s parameter
    ``param_name`` to its producer in ``nodes``, in place. A missing producer is added to
    ``nodes`` as an input; an input consumed with two types takes the narrower one; an
    incompatible type raises :class:`~hamilton.errors.TypeMismatchError` (a ``ValueError``).
    ``adapter`` (a :class:`LifecycleAdapterSet`) may accept edges the default rules reject."""
    adapter = _as_adapter_set(adapter)
    check_edge = _assembly.EdgeTypeChecker(adapter.method_for("do_check_edge_types_match") if adapter else None)
    _assembly.add_edge(func_node, nodes, param_name, param_type, check_edge)


def update_dependencies(nodes: dict[str, Node], adapter: Any, reset_dependencies: bool = True) -> dict[str, Node]:
    """1.x helper, kept for 1.x compatibility: ``nodes`` wired to each other (missing inputs
    added). With ``reset_dependencies`` (the default) the nodes are copied without their edges
    first and the given ones are untouched; otherwise ``nodes`` are wired in place."""
    adapter = _as_adapter_set(adapter)
    with collector_paused():
        wired = {name: n.copy(include_refs=False) for name, n in nodes.items()} if reset_dependencies else nodes
        check_edge = _assembly.EdgeTypeChecker(adapter.method_for("do_check_edge_types_match") if adapter else None)
        for consumer in list(wired.values()):
            for param, (param_type, _) in consumer.input_types.items():
                _assembly.add_edge(consumer, wired, param, param_type, check_edge)
    return wired


def _drawing(
    nodes: Collection[Node],
    node_modifiers: Mapping[str, Collection[VisualizationNodeModifiers]] | None,
    strict: bool,
    config: Mapping[str, Any] | None,
) -> tuple[Any, Any]:
    """The public graph and view for 1.x's drawing functions: ``nodes`` (plus, unless ``strict``,
    the nodes they depend on directly), emphasised as ``node_modifiers`` say."""
    from hamilton.graph_types import HamiltonGraph, HamiltonNode
    from hamilton.rendering.model import GraphView

    shown = {n.name: n for n in nodes}
    if not strict:
        for n in list(shown.values()):
            for dependency in n.dependencies:
                shown.setdefault(dependency.name, dependency)
    ordered = sorted(shown.values(), key=lambda n: n.name)  # sets come in any order: draw deterministically
    marked: dict[VisualizationNodeModifiers, set[str]] = {modifier: set() for modifier in VisualizationNodeModifiers}
    for name, modifiers in (node_modifiers or {}).items():
        for modifier in modifiers:
            marked[modifier].add(name)
    view = GraphView(
        outputs=frozenset(marked[VisualizationNodeModifiers.IS_OUTPUT]),
        path=frozenset(marked[VisualizationNodeModifiers.IS_PATH]),
        overrides=frozenset(marked[VisualizationNodeModifiers.IS_OVERRIDE]),
        config=dict(config or {}),
    )
    return HamiltonGraph(nodes=[HamiltonNode.from_node(n) for n in ordered]), view


def create_graphviz_graph(
    nodes: Collection[Node],
    comment: str,
    graphviz_kwargs: dict | None,
    node_modifiers: Mapping[str, Collection[VisualizationNodeModifiers]] | None,
    strictly_display_only_nodes_passed_in: bool,
    show_legend: bool = True,
    orient: str = "LR",
    hide_inputs: bool = False,
    deduplicate_inputs: bool = False,
    display_fields: bool = True,
    custom_style_function: Callable | None = None,
    config: Mapping[str, Any] | None = None,
) -> Any:
    """1.x's drawing function, kept for 1.x compatibility: ``nodes`` as a ``graphviz.Digraph``
    (needs hamilton-viz-graphviz), with ``comment`` at the top of its DOT source."""
    from hamilton import plugins

    graph, view = _drawing(nodes, node_modifiers, strictly_display_only_nodes_passed_in, config)
    return plugins.renderer("graphviz").digraph(
        graph,
        view=view,
        show_legend=show_legend,
        orient=orient,
        hide_inputs=hide_inputs,
        deduplicate_inputs=deduplicate_inputs,
        show_schema=display_fields,
        custom_style_function=custom_style_function,
        graphviz_kwargs={"comment": comment, **(graphviz_kwargs or {})},
    )


def create_networkx_graph(nodes: Collection[Node], user_nodes: Collection[Node], name: str) -> Any:
    """1.x helper, kept for 1.x compatibility: a ``networkx.DiGraph`` named ``name`` with a node
    per name and an edge from each dependency to its consumer (needs networkx)."""
    import networkx

    digraph = networkx.DiGraph(name=name)
    for n in [*nodes, *user_nodes]:
        digraph.add_node(n.name)
    for n in nodes:
        for dependency in n.dependencies:
            digraph.add_edge(dependency.name, n.name)
    return digraph
