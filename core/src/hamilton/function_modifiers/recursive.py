"""Reusing a set of functions as a namespaced part of a bigger dataflow.

* ``@subdag(module_or_functions..., inputs=..., config=..., namespace=..., final_node_name=...,
  external_inputs=...)`` — builds the nodes of the given modules/functions (same discovery rules
  as the driver) under the namespace ``ns`` (default: the function name): every inner node is
  renamed ``ns.<node>`` and tagged ``hamilton.non_final_node``. The decorated function becomes
  the final node and reads the subdag's results through its parameters (``ns.<param>``).
  Inner parameters that nothing inside produces stay un-namespaced: the outer graph provides
  them.
* ``@parameterized_subdag(..., **{name: SubdagParams})`` — one subdag per ``name``, whose
  namespace and final node are both called ``name``.
* ``@with_columns(...)`` — runs column functions over the frame passed in one of the function's
  parameters and appends the selected results; dataframe-agnostic (the library is found from the
  parameter's annotation through :func:`hamilton.plugins.dataframe_backend`).
"""

from __future__ import annotations

import collections
import inspect
import types
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, TypedDict

from hamilton import _assembly, graph_utils
from hamilton._introspect import describe_function
from hamilton.function_modifiers.base import InvalidDecoratorException, NodeCreator, NodeInjector, NodeTransformer
from hamilton.function_modifiers.dependencies import (
    ConfigDependency,
    LiteralDependency,
    ParametrizedDependency,
    UpstreamDependency,
)
from hamilton.node import Node

NON_FINAL_TAG = NodeTransformer.NON_FINAL_TAG
NON_FINAL_TAGS = {NON_FINAL_TAG: True}  # 1.x's name for the tags every inner node gets

# --------------------------------------------------------------------------------------------
# Shared helpers: collecting, namespacing and creating nodes
# --------------------------------------------------------------------------------------------


def assign_namespace(node_name: str, namespace: str) -> str:
    """``namespace.node_name``: the name a subdag gives its inner nodes."""
    return f"{namespace}.{node_name}"


def collect_functions(load_from: Sequence[types.ModuleType | Callable]) -> list[Callable]:
    """The functions of ``load_from``: each module's public functions, callables as given."""
    if not load_from:
        raise ValueError(
            "No functions were passed to subdag(load_from=...). Pass the modules or functions the "
            "subdag is made of as positional arguments, e.g. @subdag(my_module, ...)."
        )
    functions: list[Callable] = []
    for item in load_from:
        if isinstance(item, types.ModuleType):
            functions.extend(fn for _, fn in graph_utils.find_functions(item))
        elif callable(item):
            functions.append(item)
        else:
            raise InvalidDecoratorException(
                f"Cannot build a subdag from {item!r}: pass modules or functions (not their names)."
            )
    return functions


def collect_nodes(functions: Iterable[Callable], config: dict[str, Any]) -> list[Node]:
    """The nodes ``functions`` define under ``config``, each tagged as non-final.

    A function listed twice counts once. Name clashes are reported once the nodes are
    namespaced, by the graph assembly (so the message names ``ns.node``, as in 1.x).
    """
    seen: set[int] = set()
    nodes: list[Node] = []
    for fn in functions:
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        for node_ in _assembly.nodes_from_function(fn, config):
            nodes.append(node_.copy_with(include_refs=False, tags={**node_.tags, **NON_FINAL_TAGS}))
    return nodes


def add_namespace(nodes: Sequence[Node], namespace: str, also_local: Iterable[str] = ()) -> list[Node]:
    """``nodes`` renamed ``namespace.<name>``; dependencies on each other (or on ``also_local``
    names) are renamed too, every other dependency is left to the outer graph."""
    local = {n.name for n in nodes} | set(also_local)
    namespaced = []
    for node_ in nodes:
        renames = {dep: assign_namespace(dep, namespace) for dep in node_.input_types if dep in local}
        moved = node_.reassign_inputs(input_names=renames) if renames else node_
        namespaced.append(
            moved.copy_with(include_refs=False, name=assign_namespace(node_.name, namespace), namespace=())
        )
    return namespaced


def static_node(name: str, value: Any, tags: dict[str, Any] | None = None) -> Node:
    """A node with no dependencies that always returns ``value`` (typed ``type(value)``)."""

    def constant() -> Any:
        return value

    return Node(name, type(value), callabl=constant, input_types={}, tags=dict(tags or {}))


def identity_node(name: str, source: str, type_: Any, tags: dict[str, Any] | None = None) -> Node:
    """A node that returns the value of the node ``source`` unchanged."""

    def identity(**kwargs: Any) -> Any:
        return kwargs[source]

    return Node(name, type_, callabl=identity, input_types={source: type_}, tags=dict(tags or {}))


# --------------------------------------------------------------------------------------------
# subdag
# --------------------------------------------------------------------------------------------


def _check_inputs(inputs: Mapping[str, Any], config: Mapping[str, Any]) -> None:
    if not isinstance(inputs, Mapping):
        raise InvalidDecoratorException(f"inputs= must be a dict of name -> source()/value(), got {inputs!r}.")
    if not isinstance(config, Mapping):
        raise InvalidDecoratorException(f"config= must be a dict of config key -> value, got {config!r}.")
    shared = set(config).intersection(inputs)
    if shared:
        raise InvalidDecoratorException(
            f"Config keys {shared} are shared with inputs. This is not allowed.Instead, please specify the "
            "inputs you need *just* as part of the config. That way, you only write them once! Or, if you "
            "don't need them as a config item,just use them in inputs."
        )
    for key, dependency in inputs.items():
        if not isinstance(dependency, (UpstreamDependency, LiteralDependency)):
            raise InvalidDecoratorException(
                f"Input {key} must be either an UpstreamDependency or a LiteralDependency , not "
                f"{type(dependency)}. Use source('node') or value(literal)."
            )


def _validate_config_inputs(config: Mapping[str, Any], inputs: Mapping[str, Any]) -> None:
    """Raise unless a subdag's ``config=`` and ``inputs=`` can go together.

    Kept for 1.x compatibility (1.x's internal name, with its argument order): no key may be in
    both, and every input must be ``source(...)`` or ``value(...)``.
    """
    _check_inputs(inputs, config)


def resolve_subdag_config(
    config: Mapping[str, Any], subdag_config: Mapping[str, Any], fn_name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(config the subdag sees, evaluated decorator config)``.

    The subdag sees the outer config overlaid with its own ``config=`` (which wins): literals and
    ``value(v)`` as given, ``configuration("k")`` copies the config value ``k``.
    """
    merged = dict(config)
    evaluated: dict[str, Any] = {}
    for key, item in subdag_config.items():
        if isinstance(item, ConfigDependency):
            if item.source not in merged:
                raise InvalidDecoratorException(
                    f"Source {item.source} was not found in the configuration. This is required for the "
                    f"{fn_name} subdag. Add it with Builder().with_config({{{item.source!r}: ...}})."
                )
            resolved = merged[item.source]
        elif isinstance(item, LiteralDependency):
            resolved = item.value
        elif isinstance(item, ParametrizedDependency):
            raise InvalidDecoratorException(
                f"`{item!r}` is not allowed in the config= part of the subdag decorator. Please use "
                f"`configuration()` or `value()` or literal python values. (subdag {fn_name})"
            )
        else:
            resolved = item
        merged[key] = evaluated[key] = resolved
    return merged, evaluated


def _resolve_subdag_configuration(
    configuration: Mapping[str, Any], fields: Mapping[str, Any], function_name: str
) -> dict[str, Any]:
    """The config a subdag sees (see :func:`resolve_subdag_config`); kept for 1.x compatibility."""
    return resolve_subdag_config(configuration, fields, function_name)[0]


class subdag(NodeCreator):  # lower case: 1.x's public name
    """Include the dataflow of modules/functions as a namespaced subdag feeding this function.

    :param load_from: modules (their public functions) and/or functions making up the subdag.
    :param inputs: ``{name: source("outer") | value(v)}`` — what the subdag's parameter ``name``
        is: ``value`` becomes a node ``ns.name`` returning ``v``; ``source`` a node ``ns.name``
        returning the outer node (created only if something inside uses it).
    :param config: config keys for the subdag, overlaid on the outer config: literals,
        ``value(v)`` or ``configuration("outer_key")``. Each also becomes a node ``ns.key``.
    :param namespace: prefix of the inner nodes (default: the function name).
    :param final_node_name: name of the function's node (default: the function name).
    :param external_inputs: parameters of the function taken from the outer graph rather than
        from the subdag (``ns.<param>``).
    """

    def __init__(
        self,
        *load_from: types.ModuleType | Callable,
        inputs: dict[str, ParametrizedDependency] | None = None,
        config: dict[str, Any] | None = None,
        namespace: str | None = None,
        final_node_name: str | None = None,
        external_inputs: list[str] | None = None,
    ):
        self.subdag_functions = collect_functions(load_from)
        self.inputs = inputs if inputs is not None else {}
        self.config = config if config is not None else {}
        _check_inputs(self.inputs, self.config)
        self.namespace = namespace
        self.final_node_name = final_node_name
        if isinstance(external_inputs, str):
            external_inputs = [external_inputs]
        self.external_inputs = list(external_inputs or [])

    # Kept for 1.x compatibility, where this helper was a static method of subdag.
    collect_functions = staticmethod(collect_functions)

    def validate(self, fn: Callable) -> None:
        pass

    def required_config(self) -> list[str] | None:
        return None  # the subdag's own decorators may read any key

    def _static_nodes(self, nodes: Sequence[Node], namespace: str, evaluated_config: dict[str, Any]) -> list[Node]:
        """Nodes for ``inputs`` and ``config`` entries (already namespaced)."""
        consumer_types: dict[str, Any] = {}
        for node_ in nodes:
            for name, (type_, _) in node_.input_types.items():
                consumer_types.setdefault(name, type_)
        static = []
        for key, dependency in self.inputs.items():
            name = assign_namespace(key, namespace)
            if isinstance(dependency, LiteralDependency):
                static.append(static_node(name, dependency.value, NON_FINAL_TAGS))
            elif name in consumer_types:  # a source() only matters if something inside reads it
                static.append(identity_node(name, dependency.source, consumer_types[name], NON_FINAL_TAGS))
        for key, value in evaluated_config.items():
            static.append(static_node(assign_namespace(key, namespace), value, NON_FINAL_TAGS))
        return static

    def _final_node(self, fn: Callable, name: str, namespace: str) -> Node:
        node_ = Node.from_fn(fn, name=name)
        renames = {
            param: assign_namespace(param, namespace)
            for param in node_.input_types
            if param not in self.external_inputs
        }
        return node_.reassign_inputs(input_names=renames) if renames else node_

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        namespace = self.namespace if self.namespace is not None else fn.__name__
        final_name = self.final_node_name if self.final_node_name is not None else fn.__name__
        subdag_config, evaluated = resolve_subdag_config(config, self.config, fn.__name__)
        inner = collect_nodes(self.subdag_functions, subdag_config)
        nodes = add_namespace(inner, namespace, also_local=[*self.inputs, *self.config])
        nodes += self._static_nodes(nodes, namespace, evaluated)
        nodes.append(self._final_node(fn, final_name, namespace))
        return nodes


# --------------------------------------------------------------------------------------------
# parameterized_subdag
# --------------------------------------------------------------------------------------------


class SubdagParams(TypedDict, total=False):
    """One parameterization of :class:`parameterized_subdag` (every key optional)."""

    inputs: dict[str, ParametrizedDependency]
    config: dict[str, Any]
    external_inputs: list[str]


_SUBDAG_PARAMS_KEYS = frozenset(SubdagParams.__annotations__)


class parameterized_subdag(NodeCreator):  # lower case: 1.x's public name
    """One :class:`subdag` per keyword: ``name={"inputs": ..., "config": ..., "external_inputs": ...}``.

    Each subdag's namespace and final node are both called ``name``. Its ``inputs`` and ``config``
    are the shared ones updated with the parameterization's; its ``external_inputs`` are the
    parameterization's if given, else the shared ones (1.x's rule).
    """

    def __init__(
        self,
        *load_from: types.ModuleType | Callable,
        inputs: dict[str, ParametrizedDependency] | None = None,
        config: dict[str, Any] | None = None,
        external_inputs: list[str] | None = None,
        **parameterization: SubdagParams,
    ):
        self.load_from = load_from
        self.inputs = inputs if inputs is not None else {}
        self.config = config if config is not None else {}
        self.external_inputs = external_inputs if external_inputs is not None else []
        self.parameterization = parameterization

    def _subdags(self) -> list[subdag]:
        return [
            subdag(
                *self.load_from,
                inputs={**self.inputs, **params.get("inputs", {})},
                config={**self.config, **params.get("config", {})},
                external_inputs=params.get("external_inputs", self.external_inputs),
                namespace=name,
                final_node_name=name,
            )
            for name, params in self.parameterization.items()
        ]

    def validate(self, fn: Callable) -> None:
        if not self.parameterization:
            raise InvalidDecoratorException(
                f"@parameterized_subdag on {describe_function(fn)} has no parameterization, so it would "
                "define no node. Pass one keyword per subdag: name={'inputs': {...}, 'config': {...}}."
            )
        for name, params in self.parameterization.items():
            unknown = set(params) - _SUBDAG_PARAMS_KEYS if isinstance(params, Mapping) else None
            if unknown is None or unknown:
                raise InvalidDecoratorException(
                    f"Parameterization {name} of @parameterized_subdag on {describe_function(fn)} must be a "
                    f"dict with keys among {sorted(_SUBDAG_PARAMS_KEYS)}, got {params!r}."
                )
        self._subdags()  # the misuse checks of subdag() run now, at decoration, as in 1.x

    def required_config(self) -> list[str] | None:
        return None

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        return [node_ for generator in self._subdags() for node_ in generator.generate_nodes(fn, config)]


# --------------------------------------------------------------------------------------------
# with_columns
# --------------------------------------------------------------------------------------------


class UnsupportedDataframeTypeError(InvalidDecoratorException, NotImplementedError):
    """``with_columns`` was pointed at a parameter whose type no dataframe backend handles.

    Also a ``NotImplementedError``, which 1.x raised in this case.
    """


def _parameter_names(fn: Callable) -> list[str]:
    # Names only: annotations are not evaluated at decoration time (they may be forward refs).
    return list(inspect.signature(fn).parameters)


class with_columns(NodeInjector):  # lower case: 1.x's public name
    """Compute columns with a subdag and append them to a dataframe parameter of the function.

    Exactly one of these says how the subdag reads the frame (the function's first parameter,
    or ``on_input``):

    * ``columns_to_pass=["a", "b"]`` — nodes ``ns.a``, ``ns.b`` extract those columns of the
      first parameter's frame; the subdag's parameters ``a``/``b`` read them;
    * ``pass_dataframe_as="df"`` — the subdag's parameter ``df`` receives the first parameter's
      frame (node ``ns.df``); the subdag extracts what it needs;
    * ``on_input="param"`` — the frame is the parameter ``param``; the subdag's parameters all
      come from the outer graph.

    ``select`` names the subdag nodes appended as columns (default: every node typed as a column
    of the frame's library; when given, nodes not needed for them are dropped). Node
    ``ns._append`` adds them to the frame, and the function's parameter is rewired to it.
    ``namespace`` defaults to the function name; ``config_required`` limits the config the
    subdag sees (default: all of it).

    Plugins may pin ``dataframe_type`` in a subclass; then the parameter must be annotated with
    exactly that type.
    """

    dataframe_type: type | None = None

    def __init__(
        self,
        *load_from: Callable | types.ModuleType,
        columns_to_pass: list[str] | None = None,
        pass_dataframe_as: str | None = None,
        on_input: str | None = None,
        select: list[str] | None = None,
        namespace: str | None = None,
        config_required: list[str] | None = None,
    ):
        self.subdag_functions = collect_functions(load_from)
        given = [option for option in (columns_to_pass, pass_dataframe_as, on_input) if option is not None]
        if len(given) != 1:
            raise ValueError(
                "You must specify only one of ``columns_to_pass``, ``pass_dataframe_as``, and ``on_input``. "
                "This is because specifying ``pass_dataframe_as`` or ``on_input`` injects into the set of "
                "columns, allowing you to perform your own extractionfrom the dataframe. We then execute all "
                "columns in the subdagin order, passing in that initial dataframe. If you wantto reference "
                "columns in your code, you'll have to specify the set of initial columns, and allow the subdag "
                "decorator to inject the dataframe through. The initial columns tell us which parameters to take "
                "from that dataframe, so we canfeed the right data into the right columns. "
                f"(Got {len(given)} of them.)"
            )
        for option_name, option in (("pass_dataframe_as", pass_dataframe_as), ("on_input", on_input)):
            if option is not None and not isinstance(option, str):
                raise InvalidDecoratorException(
                    f"{option_name} must be a single parameter name (a str), got {option!r}."
                )
        self.columns_to_pass = list(columns_to_pass) if columns_to_pass is not None else None
        self.pass_dataframe_as = pass_dataframe_as
        self.on_input = on_input
        self.select = list(select) if select is not None else None
        self.namespace = namespace
        self.config_required = config_required

    def required_config(self) -> list[str] | None:
        return self.config_required

    @staticmethod
    def contains_duplicates(nodes_: Sequence[Node]) -> bool:
        """Whether two of ``nodes_`` share a name (an extracted column clashing with a subdag node)."""
        names = [n.name for n in nodes_]
        return len(set(names)) != len(names)

    def _missing_parameter(self, fn: Callable, parameter: str) -> InvalidDecoratorException:
        return InvalidDecoratorException(
            f"Function: {fn.__name__} does not have the parameter {parameter} as a dependency. @with_columns "
            "requires the parameter names to match the function parameters. If you wish do not wish to use the "
            "first argument, please use ``pass_dataframe_as`` or ``on_input`` option. It might not be compatible "
            f"with some other decorators. ({describe_function(fn)})"
        )

    def _target_parameter(self, fn: Callable) -> str:
        """The parameter holding the frame: ``on_input``, else the first parameter."""
        names = _parameter_names(fn)
        if self.on_input is not None:
            if self.on_input not in names:
                raise self._missing_parameter(fn, self.on_input)
            return self.on_input
        if not names:
            raise ValueError(
                f"Function {fn.__qualname__} has no parameters, but was decorated with with_columns. with_columns "
                f"requires the first parameter to be a dataframe or using the on_input argument. ({describe_function(fn)})"
            )
        return names[0]

    def validate(self, fn: Callable) -> None:
        self._target_parameter(fn)

    def _backend(self, fn: Callable, parameter: str, frame_type: Any) -> Any:
        if self.dataframe_type is not None and frame_type != self.dataframe_type:
            raise InvalidDecoratorException(
                "The selected dataframe parameter is not the correct dataframe type. You selected a parameter of "
                f"type {frame_type}, but we expect to get {self.dataframe_type} (parameter {parameter} of "
                f"{describe_function(fn)})."
            )
        from hamilton.plugins import dataframe_backend

        backend = dataframe_backend(frame_type) if isinstance(frame_type, type) else None
        if backend is None:
            raise UnsupportedDataframeTypeError(
                f"Cannot get column type for [{frame_type}]. @with_columns on {describe_function(fn)} reads the "
                f"dataframe from parameter {parameter}, but no dataframe backend handles that type. Annotate it "
                "with a dataframe type of an installed plugin (e.g. pandas.DataFrame with hamilton's pandas plugin), "
                "or point on_input at the dataframe parameter."
            )
        return backend

    def _entry_nodes(self, parameter: str, frame_type: Any, column_type: Any, backend: Any) -> list[Node]:
        """The nodes through which the subdag reads the frame (before namespacing)."""
        if self.pass_dataframe_as is not None:
            # Non-final, so that a subdag not reading it leaves no stray sink for @tag & co.
            return [identity_node(self.pass_dataframe_as, parameter, frame_type, NON_FINAL_TAGS)]
        return [_column_node(name, parameter, frame_type, column_type, backend) for name in self.columns_to_pass or ()]

    def _selected(self, fn: Callable, nodes: list[Node], column_type: Any) -> tuple[list[str], list[Node]]:
        """``(names appended as columns, nodes kept)``."""
        if self.select is None:
            return [n.name for n in nodes if n.type == column_type], nodes
        known = {n.name for n in nodes}
        if any(name not in known for name in self.select):
            raise ValueError(
                f"At least one of the selected nodes is not not in the DAG. You selected: {self.select}, but we "
                f"only found nodes: {nodes}. Fix select= of @with_columns on {describe_function(fn)}."
            )
        needed = _upstream_names(self.select, nodes)
        if not needed:
            raise ValueError(
                f"No nodes found upstream from select columns: {self.select} for function: {fn.__qualname__}"
            )
        return list(self.select), [n for n in nodes if n.name in needed]

    def inject_nodes(
        self, params: dict[str, type], config: dict[str, Any], fn: Callable
    ) -> tuple[list[Node], dict[str, str]]:
        parameter = self._target_parameter(fn)
        if parameter not in params:
            raise self._missing_parameter(fn, parameter)
        frame_type = params[parameter]
        backend = self._backend(fn, parameter, frame_type)
        column_type = backend.column_type_for(frame_type)
        if column_type is None and (self.columns_to_pass or self.select is None):
            raise UnsupportedDataframeTypeError(
                f"Cannot get column type for [{frame_type}]: the {backend.name} backend has no column type, so "
                f"@with_columns on {describe_function(fn)} cannot extract columns_to_pass or pick the columns to "
                "append. Use pass_dataframe_as or on_input, and name the columns with select=."
            )
        namespace = self.namespace if self.namespace is not None else fn.__name__
        nodes = self._entry_nodes(parameter, frame_type, column_type, backend) + collect_nodes(
            self.subdag_functions, config
        )
        if self.contains_duplicates(nodes):
            clashes = sorted(name for name, count in collections.Counter(n.name for n in nodes).items() if count > 1)
            raise ValueError(
                "You can only specify columns once. You used `columns_to_pass` and we extract the columns for you. "
                "In this case they cannot be overwritten -- only new columns get appended. If you want to modify "
                "in-place columns pass in a dataframe and extract + modify the columns and afterwards select them. "
                f"(@with_columns on {describe_function(fn)} defines {clashes} twice.)"
            )
        selected, nodes = self._selected(fn, nodes, column_type)
        types_by_name = {n.name: n.type for n in nodes}
        namespaced = add_namespace(nodes, namespace)
        append = _append_node(
            assign_namespace("_append", namespace),
            {assign_namespace(name, namespace): (name, types_by_name[name]) for name in selected},
            parameter,
            frame_type,
            backend,
        )
        return [*namespaced, append], {parameter: append.name}


# Kept for 1.x compatibility: 1.x's base class of the per-library ``with_columns`` decorators.
# Here one dataframe-agnostic class is that base (the plugins' ``with_columns`` subclass it); a new
# dataframe library is supported by registering a dataframe backend, not by 1.x's abstract hooks
# (get_initial_nodes, get_subdag_nodes, chain_subdag_nodes), which are not called.
with_columns_base = with_columns


def _upstream_names(roots: Collection[str], nodes: Sequence[Node]) -> set[str]:
    """Names of ``roots`` and every node among ``nodes`` they (transitively) depend on."""
    by_name = {n.name: n for n in nodes}
    seen: set[str] = set()
    stack = [name for name in roots if name in by_name]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(dep for dep in by_name[name].input_types if dep in by_name)
    return seen


def _column_node(name: str, parameter: str, frame_type: Any, column_type: Any, backend: Any) -> Node:
    """A node extracting column ``name`` from the frame in ``parameter``."""

    def extract_column(**kwargs: Any) -> Any:
        frame = kwargs[parameter]
        try:
            return backend.get_column(frame, name)
        except KeyError:
            raise KeyError(
                f"with_columns: the dataframe {parameter} has no column {name!r} (it has "
                f"{backend.column_names(frame)}). Fix columns_to_pass."
            ) from None

    return Node(name, column_type, callabl=extract_column, input_types={parameter: frame_type})


def _append_node(name: str, columns: dict[str, tuple[str, Any]], parameter: str, frame_type: Any, backend: Any) -> Node:
    """A node returning the frame in ``parameter`` with ``columns`` (input -> (column, type)) set."""

    def append_columns(**kwargs: Any) -> Any:
        return backend.with_columns(kwargs[parameter], {column: kwargs[key] for key, (column, _) in columns.items()})

    input_types = {key: type_ for key, (_, type_) in columns.items()}
    input_types[parameter] = frame_type
    return Node(name, frame_type, callabl=append_columns, input_types=input_types)
