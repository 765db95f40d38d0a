"""Decorators that make several nodes out of one function.

Expanders replace the function's single node by several (at most one expander per function):

* ``@parameterize(out_a={"x": source("a")}, out_b={"x": value(1)})`` — one node per output,
  each with parameters rebound to other nodes or literals; ``@parameterize_sources`` and
  ``@parameterize_values`` are shorthands for the all-``source`` and one-``value`` cases;
* ``@inject(x=source("a"))`` — a single parameterization that keeps the function's name;
* ``@parameterize_extract_columns(ParameterizedExtract(...), ...)`` — ``parameterize`` and
  ``extract_columns`` in one: a frame node ``<fn>__<i>`` per configuration plus its columns.

Single-node transformers keep the function's node and add one node per part of its result:

* ``@extract_columns("a", "b")`` — columns of a dataframe (through the dataframe backend a
  plugin registered for the return type: core has no library-specific code);
* ``@extract_fields({"a": int})`` — keys of a dict (typed by the mapping, ``dict[str, T]`` or a
  ``TypedDict``);
* ``@unpack_fields("a", "b")`` — elements of a tuple.

``parametrized``, ``parametrized_input`` and ``parameterized_inputs`` are deprecated aliases.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from hamilton._introspect import NO_DEFAULT, describe_function, is_coroutine_function, read_signature
from hamilton.deprecation import warn_deprecated
from hamilton.function_modifiers import base
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.dependencies import (
    GroupedDependency,
    GroupedListDependency,
    LiteralDependency,
    ParametrizedDependency,
    UpstreamDependency,
    source,
    value,
)
from hamilton.node import DependencyType, Node, NodeType

_REQUIRED = DependencyType.REQUIRED
_OPTIONAL = DependencyType.OPTIONAL
_SUPPORTED_DEPENDENCIES = (LiteralDependency, UpstreamDependency, GroupedDependency)
_MIGRATION_DOC = "See the docstrings of hamilton.function_modifiers.parameterize and its variants."

# -- calling a node's function differently -----------------------------------------------------

# How a callable made here computes its node, for tools that rebuild the call without Hamilton
# (hamilton.plugins.dask_compile). Set once when the node is built; nothing reads it while running.
#   ("call", original, literals, renamed, grouped): original(**literals, **{param: kwargs[input] for
#       (param, input) in renamed if input in kwargs}, **{param: <group value> for (param, group) in grouped})
#   ("item", input_name, key): kwargs[input_name][key]
#   ("column", backend, frame_name, column): backend.get_column(kwargs[frame_name], column)
CALL_DESCRIPTION = "__hamilton_call__"


def _described(fn: Callable, *description: Any) -> Callable:
    setattr(fn, CALL_DESCRIPTION, description)
    return fn


async def _finish_later(awaitable: Any, finish: Callable[[Any], Any]) -> Any:
    return finish(await awaitable)


def _wrap_call(
    original: Callable,
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    finish: Callable[[Any], Any] | None = None,
) -> Callable:
    """``finish(original(**prepare(kwargs)))``, a coroutine function if ``original`` is one.

    A synchronous ``original`` that returns an awaitable (an async function wrapped by another
    decorator) gets ``finish`` applied once the awaitable is awaited.
    """
    if is_coroutine_function(original):

        async def call_async(**kwargs: Any) -> Any:
            result = await original(**(prepare(kwargs) if prepare else kwargs))
            return finish(result) if finish else result

        return call_async

    def call(**kwargs: Any) -> Any:
        result = original(**(prepare(kwargs) if prepare else kwargs))
        if finish is None:
            return result
        if inspect.isawaitable(result):
            return _finish_later(result, finish)
        return finish(result)

    return call


def _with_result_hook(node_: Node, finish: Callable[[Any], Any]) -> Node:
    """A copy of ``node_`` whose result is passed through ``finish``."""
    return node_.copy_with(include_refs=False, callabl=_wrap_call(node_.callable, finish=finish))


def _return_annotation(fn: Callable, decorator: str) -> Any:
    returns = read_signature(fn)[1]
    if returns is NO_DEFAULT:
        raise InvalidDecoratorException(
            f"Missing type hint for return value in function {fn.__qualname__}. @{decorator} reads the "
            f"return annotation of {describe_function(fn)}: add one."
        )
    return returns


def _is_class(type_: Any) -> bool:
    """A plain class (``list[int]`` passes ``isinstance(..., type)`` on Python 3.10)."""
    return isinstance(type_, type) and typing.get_origin(type_) is None


# -- parameterize: validating and applying parameter bindings -----------------------------------


def _check_dependency_types(mappings: Collection[Mapping[str, Any]], fix: str) -> None:
    unsupported = [
        dep for mapping in mappings for dep in mapping.values() if not isinstance(dep, _SUPPORTED_DEPENDENCIES)
    ]
    if unsupported:
        raise InvalidDecoratorException(
            "@parameterize must specify a dependency type -- either source() or value()."
            f"The following are not allowed: {unsupported}. {fix}"
        )


def _validate_mappings(fn: Callable, mappings: Collection[Mapping[str, Any]], reserve_output_name: bool) -> None:
    """Decoration-time checks of parameter bindings against ``fn``'s signature."""
    parameters = {name: annotation for name, annotation, _, _ in read_signature(fn)[0]}
    unknown = sorted({param for mapping in mappings for param in mapping if param not in parameters})
    if unknown:
        raise InvalidDecoratorException(
            "Parametrization is invalid: the following parameters don't appear in the function itself: "
            f"{', '.join(unknown)}. {describe_function(fn)} takes {list(parameters)}."
        )
    if reserve_output_name and parameterize.RESERVED_KWARG in parameters:
        raise InvalidDecoratorException(
            f"Error function {fn.__module__}.{fn.__name__} cannot have '{parameterize.RESERVED_KWARG}'"
            "as a parameter it is reserved. Rename the parameter: docstrings use {output_name} for the "
            f"name of each produced node ({describe_function(fn)})."
        )
    not_grouped: dict[str, tuple[Any, str]] = {}
    for mapping in mappings:
        for param, dependency in mapping.items():
            if isinstance(dependency, GroupedDependency):
                try:
                    type(dependency).resolve_dependency_type(parameters[param], param)
                except InvalidDecoratorException as error:
                    not_grouped[param] = (parameters[param], str(error))
    if not_grouped:
        listing = ", ".join(f"{param} ({annotation})" for param, (annotation, _) in not_grouped.items())
        reasons = " ".join(reason for _, reason in not_grouped.values())
        raise InvalidDecoratorException(
            f"Validation for fn: {fn.__name__} All parameters with a group() parameterization must be "
            f"annotated as a list: the following are not: {listing}. Annotate them list[T] for "
            f"group(*dependencies) or dict[str, T] for group(**dependencies) ({describe_function(fn)}). {reasons}"
        )


class _KeyAsText(dict):
    """Docstring template values: an unknown ``{key}`` renders as ``key``."""

    def __missing__(self, key: str) -> str:
        return key


def _format_doc(template: str | None, output_name: str, mapping: Mapping[str, Any], fn: Callable) -> str:
    """The docstring of ``output_name``: ``template`` with ``{output_name}`` and bound parameters."""
    if not template:
        return ""
    values = _KeyAsText(output_name=output_name)
    for param, dependency in mapping.items():
        if isinstance(dependency, UpstreamDependency):
            values[param] = dependency.source
        elif isinstance(dependency, LiteralDependency):
            values[param] = dependency.value
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as error:
        raise InvalidDecoratorException(
            f"Function docstring templating is incorrect. Please fix up the docstring {fn.__module__}."
            f"{fn.__name__}. Formatting it for {output_name} failed with {type(error).__name__}: {error}. "
            "Only {output_name} and parameter names may appear in braces; write literal braces as "
            f"{{{{ and }}}} ({describe_function(fn)})."
        ) from error


def _group_value(group: GroupedDependency, kwargs: dict[str, Any]) -> Any:
    def resolve(member: Any) -> Any:
        return kwargs[member.source] if isinstance(member, UpstreamDependency) else member.value

    if isinstance(group, GroupedListDependency):
        return [resolve(member) for member in group.sources]
    return {key: resolve(member) for key, member in group.sources.items()}


def _group_members(group: GroupedDependency) -> list[Any]:
    return list(group.sources) if isinstance(group, GroupedListDependency) else list(group.sources.values())


def _rebind(node_: Node, mapping: Mapping[str, ParametrizedDependency], name: str, doc: str, fn: Callable) -> Node:
    """``node_`` renamed ``name``, its parameters taking their values as ``mapping`` says.

    ``source(x)`` makes the parameter depend on ``x`` (keeping its type and optionality);
    ``value(v)`` binds it; ``group(...)`` depends on every member source (element type of the
    ``list[T]``/``dict[str, T]`` annotation). Other parameters stay as they are.
    """
    # Bindings of parameters the node lacks are ignored here, as in 1.x: validate() (run when the
    # function is decorated) is where unknown parameters are reported.
    inputs: dict[str, tuple[Any, DependencyType]] = {}

    def need(input_name: str, type_: Any, dependency_type: DependencyType) -> None:
        known = inputs.get(input_name)
        if known is None:
            inputs[input_name] = (type_, dependency_type)
        elif dependency_type is _REQUIRED:  # one required use makes the input required
            inputs[input_name] = (known[0], _REQUIRED)

    renamed: list[tuple[str, str]] = []  # (parameter, input feeding it)
    literals: dict[str, Any] = {}
    grouped: list[tuple[str, GroupedDependency]] = []
    for param, (type_, dependency_type) in node_.input_types.items():
        dependency = mapping.get(param)
        if dependency is None:
            renamed.append((param, param))
            need(param, type_, dependency_type)
        elif isinstance(dependency, LiteralDependency):
            literals[param] = dependency.value
        elif isinstance(dependency, UpstreamDependency):
            renamed.append((param, dependency.source))
            need(dependency.source, type_, dependency_type)
        else:
            element_type = type(dependency).resolve_dependency_type(type_, param)
            grouped.append((param, dependency))
            for member in _group_members(dependency):
                if isinstance(member, UpstreamDependency):
                    need(member.source, element_type, _REQUIRED)
    defaults: dict[str, Any] = {}
    for param, input_name in renamed:
        if param in node_.default_parameter_values and inputs[input_name][1] is _OPTIONAL:
            defaults.setdefault(input_name, node_.default_parameter_values[param])

    def arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
        # An optional input nobody gave is absent: the parameter is left out so its default applies.
        bound = dict(literals)
        for param, input_name in renamed:
            if input_name in kwargs:
                bound[param] = kwargs[input_name]
        for param, group in grouped:
            bound[param] = _group_value(group, kwargs)
        return bound

    return Node._from_parts(
        name,
        node_.type,
        doc,
        _described(_wrap_call(node_.callable, prepare=arguments), "call", node_.callable, literals, renamed, grouped),
        node_.node_role,
        inputs,
        dict(node_.tags),
        node_.namespace,
        node_.originating_functions,
        defaults,
    )


def _split_parameterization(output: str, spec: Any) -> tuple[dict[str, Any], bool, str | None]:
    """``(mapping, has_docstring, docstring)`` of one ``parameterize`` keyword argument."""
    docstring = None
    has_docstring = isinstance(spec, tuple)
    if has_docstring:
        if len(spec) != 2:
            raise InvalidDecoratorException(
                f"@parameterize got {spec!r} for {output}: a tuple must be (parameterization dict, docstring)."
            )
        spec, docstring = spec
    if not isinstance(spec, Mapping):
        raise InvalidDecoratorException(
            f"@parameterize got {spec!r} for {output}: give a dict of parameter -> source()/value()/group(), "
            "or a (dict, docstring) tuple."
        )
    return dict(spec), has_docstring, docstring


def _refuse_self(decorator: str, keywords: dict[str, Any], what: str) -> None:
    """``self`` is reserved: 1.x failed on it with "got multiple values for argument 'self'"."""
    if "self" in keywords:
        raise InvalidDecoratorException(
            f"@{decorator}(self=...): 'self' is a reserved name and cannot be used as a{'n' if what[0] in 'aeiou' else ''} "
            f"{what} here. Rename the {what} (e.g. to self_)."
        )


class parameterize(base.NodeExpander):
    """One node per keyword argument, each binding the function's parameters differently.

    .. code-block:: python

        @parameterize(
            revenue_us={"rate": source("us_rate"), "region": value("us")},
            revenue_eu=({"rate": source("eu_rate"), "region": value("eu")}, "Revenue in the EU."),
        )
        def revenue(rate: float, region: str, units: int) -> float:
            \"\"\"Revenue of {region} at {rate}.\"\"\"

    Each key names a node; each value maps parameters to ``source("node")`` (depend on another
    node instead), ``value(v)`` (bind a literal) or ``group(...)`` (a list/dict of those, for a
    ``list[T]``/``dict[str, T]`` parameter), optionally paired with the node's docstring.
    Unmapped parameters stay dependencies. The undecorated node is not kept. Without an explicit
    docstring, the function's is used as a template: ``{output_name}`` is the node name, a
    ``source`` parameter the source's name and a ``value`` parameter the value.
    """

    RESERVED_KWARG = "output_name"

    def __init__(
        self,
        /,
        **parametrization: dict[str, ParametrizedDependency] | tuple[dict[str, ParametrizedDependency], str],
    ):
        _refuse_self(type(self).__name__, parametrization, "output name")
        self.parameterization: dict[str, dict[str, ParametrizedDependency]] = {}
        self.specified_docstrings: dict[str, str | None] = {}
        for output, spec in parametrization.items():
            mapping, has_docstring, docstring = _split_parameterization(output, spec)
            self.parameterization[output] = mapping
            if has_docstring:
                self.specified_docstrings[output] = docstring
        _check_dependency_types(
            self.parameterization.values(),
            "Wrap literals in value(...) and node names in source(...) (configuration() only works in @subdag).",
        )

    def _output_name(self, key: str, own_name: str) -> str:
        """The node name for parameterization ``key`` of a node named ``own_name``."""
        return key

    def _documentation(self, key: str, name: str, template: str | None, fn: Callable) -> str:
        if key in self.specified_docstrings:
            return self.specified_docstrings[key] or ""
        # Formatting is the same on every graph build: memoized per (key, name, template).
        docs = self.__dict__.setdefault("_formatted_docs", {})
        cache_key = (key, name, template)
        if cache_key not in docs:
            docs[cache_key] = _format_doc(template, name, self.parameterization[key], fn)
        return docs[cache_key]

    def validate(self, fn: Callable) -> None:
        _validate_mappings(fn, list(self.parameterization.values()), reserve_output_name=True)
        for key in self.parameterization:
            self._documentation(key, self._output_name(key, fn.__name__), fn.__doc__, fn)

    def expand_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        nodes = []
        for key, mapping in self.parameterization.items():
            name = self._output_name(key, node_.name)
            doc = self._documentation(key, name, node_.documentation, fn)
            nodes.append(_rebind(node_, mapping, name, doc, fn))
        return nodes


class parameterize_sources(parameterize):
    """``parameterize`` where every binding is a ``source``: ``{output: {param: upstream_node}}``.

    .. code-block:: python

        @parameterize_sources(total_us={"sales": "sales_us"}, total_eu={"sales": "sales_eu"})
        def total(sales: list[float]) -> float: ...
    """

    def __init__(self, /, **parameterization: dict[str, str]):
        _refuse_self(type(self).__name__, parameterization, "output name")
        if not parameterization:
            raise ValueError(
                "Cannot pass empty/None dictionary to parameterize_sources. Give one keyword per output, "
                "e.g. @parameterize_sources(out={'param': 'upstream_node'})."
            )
        for output, mapping in parameterization.items():
            if not mapping:
                raise ValueError(
                    f"Error, {output} has a none/empty dictionary mapping. Please fill it. Map each "
                    "parameter to the name of the upstream node feeding it."
                )
            not_names = [name for name in mapping.values() if not isinstance(name, str)]
            if not_names:
                raise InvalidDecoratorException(
                    f"parameterize_sources maps parameters to upstream node names (strings); {output} maps "
                    f"to {not_names}. Use @parameterize with value(...) for literals."
                )
        super().__init__(
            **{
                output: {param: source(name) for param, name in mapping.items()}
                for output, mapping in parameterization.items()
            }
        )


class parameterize_values(parameterize):
    """``parameterize`` binding one parameter to a literal per output.

    .. code-block:: python

        @parameterize_values("rate", {("rate_low", "Low rate."): 0.1, ("rate_high", "High rate."): 0.9})
        def rate(rate: float) -> float: ...

    :param parameter: the parameter to bind.
    :param assigned_output: ``(output name, docstring) -> value``.
    """

    def __init__(self, parameter: str, assigned_output: dict[tuple[str, str], Any]):
        for key in assigned_output:
            if not (isinstance(key, tuple) and len(key) == 2):
                raise InvalidDecoratorException(
                    f"assigned_output key is incorrect: {key}. The parameterized decorator needs a dict of "
                    "[name, doc string] -> value to function. E.g. {('out_name', 'Its docstring.'): 1}."
                )
        super().__init__(
            **{name: ({parameter: value(literal)}, doc) for (name, doc), literal in assigned_output.items()}
        )


class inject(parameterize):
    """Rebind some parameters of the function's node, keeping its name.

    .. code-block:: python

        @inject(parts=group(source("a"), source("b")), scale=value(2))
        def total(parts: list[int], scale: int) -> int: ...

    Like a single :class:`parameterize` whose output is the function itself.
    """

    _OWN_NAME = "__<function_name>"

    def __init__(self, /, **key_mapping: ParametrizedDependency):
        _refuse_self("inject", key_mapping, "parameter")
        super().__init__(**{self._OWN_NAME: key_mapping})

    def _output_name(self, key: str, own_name: str) -> str:
        return own_name


class parametrized(parameterize_values):
    """Deprecated: use :class:`parameterize_values` (same arguments)."""

    def __init__(self, parameter: str, assigned_output: dict[tuple[str, str], Any]):
        warn_deprecated("@parametrized", instead=f"Use @parameterize_values (same arguments). {_MIGRATION_DOC}")
        super().__init__(parameter, assigned_output)


class parameterized_inputs(parameterize_sources):
    """Deprecated: use :class:`parameterize_sources` (same arguments)."""

    def __init__(self, /, **parameterization: dict[str, str]):
        warn_deprecated(
            "@parameterized_inputs", instead=f"Use @parameterize_sources (same arguments). {_MIGRATION_DOC}"
        )
        super().__init__(**parameterization)


class parametrized_input(parameterize):
    """Deprecated: use :class:`parameterize_sources`.

    ``@parametrized_input("x", {"a": ("out_a", "doc")})`` is
    ``@parameterize(out_a=({"x": source("a")}, "doc"))``.
    """

    def __init__(self, parameter: str, variable_inputs: dict[str, tuple[str, str]]):
        warn_deprecated(
            "@parametrized_input",
            instead=f'Use @parameterize_sources(<output>={{"{parameter}": "<input>"}}). {_MIGRATION_DOC}',
        )
        for upstream, output in variable_inputs.items():
            if not (isinstance(output, tuple) and len(output) == 2):
                raise InvalidDecoratorException(
                    f"assigned_output key is incorrect: {upstream}. The parameterized decorator needs a dict "
                    f"of input column -> [name, description] to function. Got {output!r}."
                )
        super().__init__(
            **{name: ({parameter: source(upstream)}, doc) for upstream, (name, doc) in variable_inputs.items()}
        )


# -- dataframe columns --------------------------------------------------------------------------


def _dataframe_backend(frame_type: Any, fn: Callable) -> Any:
    """The dataframe backend registered for ``frame_type``, or the 1.x error."""
    backend = None
    if _is_class(frame_type):
        from hamilton.plugins import dataframe_backend

        backend = dataframe_backend(frame_type)
    if backend is None:
        raise InvalidDecoratorException(
            f"Error {fn} does not output a type we know about. Is it a dataframe type we support? "
            f"{describe_function(fn)} returns {frame_type!r}, which no dataframe backend handles: return a "
            "supported dataframe type, or install/register the plugin for its library "
            '(e.g. pip install "apache-hamilton[pandas]").'
        )
    return backend


def _column_type(backend: Any, frame_type: type) -> Any:
    type_for = getattr(backend, "column_type_for", None)
    column_type = type_for(frame_type) if type_for is not None else getattr(backend, "column_type", None)
    return Any if column_type is None else column_type


def _column_getter(backend: Any, frame_name: str, column: str, where: str) -> Callable:
    def get_column(**kwargs: Any) -> Any:
        frame = kwargs[frame_name]
        try:
            return backend.get_column(frame, column)
        except KeyError:
            raise InvalidDecoratorException(
                f"No such column: {column} produced by {frame_name}. It only produced "
                f"{backend.column_names(frame)}. Fix the column names given to {where}, or pass fill_with= "
                "to add missing columns."
            ) from None

    return _described(get_column, "column", backend, frame_name, column)


def _column_nodes(frame_node: Node, backend: Any, columns: Sequence[tuple[str, str]], fn: Callable) -> list[Node]:
    """One node per ``(column, doc)`` of the frame ``frame_node`` produces."""
    column_type = _column_type(backend, frame_node.type)
    where = f"the decorator on {describe_function(fn)}"
    return [
        Node(
            column,
            column_type,
            doc,
            _column_getter(backend, frame_node.name, column, where),
            input_types={frame_node.name: frame_node.type},
            tags=dict(frame_node.tags),
        )
        for column, doc in columns
    ]


def _filler(backend: Any, columns: Sequence[str], fill_with: Any) -> Callable[[Any], Any]:
    def fill_missing(frame: Any) -> Any:
        present = set(backend.column_names(frame))
        for column in columns:
            if column not in present:
                frame = backend.fill_with_scalar(frame, column, fill_with)
                present.add(column)
        return frame

    return fill_missing


def _renamer(backend: Any, outputs: Sequence[str], frame_name: str) -> Callable[[Any], Any]:
    def rename_positionally(frame: Any) -> Any:
        current = backend.column_names(frame)
        if len(current) != len(outputs):
            raise ValueError(
                f"Length mismatch: Expected axis has {len(current)} elements, new values have {len(outputs)} "
                f"elements. {frame_name} produced columns {current}, renamed positionally to {list(outputs)}: "
                "give one output name per column, or pass reassign_columns=False to extract them by name."
            )
        renamed = backend.with_columns(
            frame, {new: backend.get_column(frame, old) for old, new in zip(current, outputs)}
        )
        return backend.select(renamed, list(outputs))

    return rename_positionally


def _check_column_spec(column: Any) -> None:
    if isinstance(column, str):
        return
    if isinstance(column, tuple) and len(column) == 2 and all(isinstance(part, str) for part in column):
        return
    raise InvalidDecoratorException(
        f"extract_columns got {column!r}: each column must be a name or a (name, docstring) tuple of strings."
    )


class extract_columns(base.SingleNodeNodeTransformer):
    """Keep the dataframe node and add one node per column, named after the column.

    .. code-block:: python

        @extract_columns("spend", ("signups", "Signups per day."))
        def marketing(raw: pd.DataFrame) -> pd.DataFrame: ...

    The return type must be a dataframe type a backend plugin registered; column nodes have that
    backend's column type for it and the frame node's tags. A ``(name, doc)`` tuple sets the
    column node's docstring (else the function's). ``fill_with``: columns the frame lacks are
    added holding that scalar (else a missing column fails when it is computed).
    """

    def __init__(self, *columns: str | tuple[str, str], fill_with: Any = None):
        super().__init__()
        if not columns:
            raise InvalidDecoratorException("Error empty arguments passed to extract_columns decorator.")
        if any(isinstance(column, list) for column in columns):
            raise InvalidDecoratorException("Error list passed in. Please `*` in front of it to expand it.")
        for column in columns:
            _check_column_spec(column)
        self.columns = columns
        self.fill_with = fill_with

    def validate(self, fn: Callable) -> None:
        _dataframe_backend(_return_annotation(fn, "extract_columns"), fn)

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        backend = _dataframe_backend(node_.type, fn)
        columns = [(column, node_.documentation) if isinstance(column, str) else column for column in self.columns]
        frame_node = node_
        if self.fill_with is not None:
            frame_node = _with_result_hook(node_, _filler(backend, [name for name, _ in columns], self.fill_with))
        return [frame_node, *_column_nodes(frame_node, backend, columns, fn)]


@dataclasses.dataclass
class ParameterizedExtract:
    """One configuration of :class:`parameterize_extract_columns`.

    :param outputs: the column nodes to produce.
    :param input_mapping: parameter bindings, as for :class:`parameterize`.
    """

    outputs: tuple[str, ...]
    input_mapping: dict[str, ParametrizedDependency]


class parameterize_extract_columns(base.NodeExpander):
    """:class:`parameterize` and :class:`extract_columns` in one decorator.

    .. code-block:: python

        @parameterize_extract_columns(
            ParameterizedExtract(("low_a", "low_b"), {"threshold": value(0.1)}),
            ParameterizedExtract(("high_a", "high_b"), {"threshold": source("high")}),
        )
        def split(data: pd.DataFrame, threshold: float) -> pd.DataFrame: ...

    For the i-th configuration: a frame node ``<fn>__<i>`` computed with that binding, and one
    node per output column. With ``reassign_columns`` (default) the frame's columns are renamed
    positionally to ``outputs`` first (their counts must match); without it, columns are
    extracted by name.
    """

    def __init__(self, *extract_config: ParameterizedExtract, reassign_columns: bool = True):
        for config in extract_config:
            if not isinstance(config, ParameterizedExtract):
                raise InvalidDecoratorException(
                    f"parameterize_extract_columns takes ParameterizedExtract objects, got {config!r}."
                )
            outputs = config.outputs
            if isinstance(outputs, str) or not outputs or not all(isinstance(name, str) for name in outputs):
                raise InvalidDecoratorException(
                    f"ParameterizedExtract outputs must be a non-empty tuple of column names, got {outputs!r}."
                )
        _check_dependency_types(
            [config.input_mapping for config in extract_config],
            "Wrap literals in value(...) and node names in source(...).",
        )
        self.extract_config = extract_config
        self.reassign_columns = reassign_columns

    def validate(self, fn: Callable) -> None:
        _dataframe_backend(_return_annotation(fn, "parameterize_extract_columns"), fn)
        _validate_mappings(fn, [config.input_mapping for config in self.extract_config], reserve_output_name=False)
        for index, config in enumerate(self.extract_config):
            _format_doc(fn.__doc__, f"{fn.__name__}__{index}", config.input_mapping, fn)

    def expand_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        backend = _dataframe_backend(node_.type, fn)
        nodes: list[Node] = []
        for index, extract in enumerate(self.extract_config):
            name = f"{node_.name}__{index}"
            doc = _format_doc(node_.documentation, name, extract.input_mapping, fn)
            frame_node = _rebind(node_, extract.input_mapping, name, doc, fn)
            if self.reassign_columns:
                frame_node = _with_result_hook(frame_node, _renamer(backend, extract.outputs, name))
            nodes.append(frame_node)
            nodes.extend(_column_nodes(frame_node, backend, [(column, doc) for column in extract.outputs], fn))
        return nodes


# -- dict fields and tuple elements -------------------------------------------------------------


def _is_typeddict(type_: Any) -> bool:
    """A ``TypedDict`` class, from ``typing`` or a backport (which sets the same attributes)."""
    if typing.is_typeddict(type_):
        return True
    return (
        _is_class(type_)
        and issubclass(type_, dict)
        and hasattr(type_, "__total__")
        and hasattr(type_, "__required_keys__")
    )


def _is_type_like(candidate: Any) -> bool:
    return (
        isinstance(candidate, (type, typing.TypeVar))
        or typing.get_origin(candidate) is not None
        or candidate is Any
        or hasattr(candidate, "__supertype__")  # typing.NewType
    )


def _subtype_of(given: Any, declared: Any) -> bool:
    if given == declared:
        return True
    return _is_class(given) and _is_class(declared) and issubclass(given, declared)


_EMPTY_FIELDS = "Error an empty dict, or no dict, passed to extract_fields decorator."


def _typed_fields(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    errors = []
    for name, type_ in mapping.items():
        if not isinstance(name, str):
            errors.append(f"{name} is not a string. All keys must be strings.")
        elif not _is_type_like(type_):
            errors.append(f"{name} does not declare a type. Instead it passes {type_}.")
    if errors:
        raise InvalidDecoratorException(
            f"Error, found these {errors}. Please pass in a dict of string to types. "
            "E.g. @extract_fields({'a': int, 'b': list[str]})."
        )
    return dict(mapping)


def _validate_extract_fields(fields: Any) -> None:
    """Raise unless ``fields`` is a non-empty dict of field name (``str``) -> type.

    The check of an ``extract_fields({...})`` mapping; kept importable under 1.x's private name
    for 1.x compatibility.
    """
    if not isinstance(fields, dict) or not fields:
        raise InvalidDecoratorException(
            f"extract_fields needs a non-empty dict of field name -> type here, got {fields!r}. E.g. "
            "@extract_fields({'a': int, 'b': list[str]})."
        )
    _typed_fields(fields)


def _check_names(names: Sequence[Any]) -> None:
    errors = [f"{name} is not a string. All keys must be strings." for name in names if not isinstance(name, str)]
    if errors:
        raise InvalidDecoratorException(
            f"Error, found these {errors}. Please pass in a dict of string to types. "
            "Field names are strings: @extract_fields('a', 'b') or @extract_fields(['a', 'b'])."
        )


def _typeddict_fields(fields: dict[str, Any] | list[str] | None, output_type: type) -> dict[str, Any]:
    declared = typing.get_type_hints(output_type)
    if fields is None:
        fields = list(declared)
    if not fields:
        raise InvalidDecoratorException(_EMPTY_FIELDS)
    invalid = []
    for name in fields:
        if not isinstance(name, str) or name not in declared:
            invalid.append(f"{name} is not a field in the `TypedDict` {output_type}.")
        elif isinstance(fields, dict) and not _subtype_of(fields[name], declared[name]):
            invalid.append(
                f"Error {name} did not match the TypedDict annotation's field {fields[name]}. Expected {declared[name]}."
            )
    if invalid:
        raise InvalidDecoratorException(
            f"Error {fields} did not match a subset of the TypedDict annotation's fields {declared}. The "
            f"following fields were not valid: {invalid}."
        )
    if isinstance(fields, dict):
        return dict(fields)
    return {name: declared[name] for name in fields}


def _fields_to_extract(fields: dict[str, Any] | list[str] | None, output_type: Any) -> dict[str, Any]:
    """Field name -> type for :class:`extract_fields`, or the 1.x error explaining why not."""
    if _is_typeddict(output_type):
        return _typeddict_fields(fields, output_type)
    if output_type is dict or output_type is typing.Dict:  # noqa: UP006 - the bare typing alias
        if isinstance(fields, dict):
            if not fields:
                raise InvalidDecoratorException(_EMPTY_FIELDS)
            return _typed_fields(fields)
        raise InvalidDecoratorException(
            "When extracting fields from a function that returns a bare `dict` output without type "
            "parameters, you must supply a `dict` mapping field names to types. E.g. "
            "@extract_fields({'a': int}), or annotate the return as dict[str, T]."
        )
    if typing.get_origin(output_type) is not dict:
        raise InvalidDecoratorException(
            "For extracting fields, the decorated function output type must be a `dict` or a "
            "`typing.Dict` with or without type parameters (i.e. `dict[str, int]` or "
            f"`typing.Dict[str, int]`), not: {output_type}"
        )
    type_parameters = typing.get_args(output_type)
    if len(type_parameters) != 2:
        raise InvalidDecoratorException(
            "When extracting fields from a function that returns a generic `dict`, you must specify only "
            f"two type parameters (key, value), not {type_parameters}."
        )
    if fields is None:
        raise InvalidDecoratorException(
            "When extracting fields from a function that returns a generic `dict`, you must supply either "
            "a `dict` (`typing.Dict`) mapping field names to types or alternatively a `list` "
            "(`typing.List`) of field names."
        )
    if not fields:
        raise InvalidDecoratorException(_EMPTY_FIELDS)
    if isinstance(fields, dict):
        return _typed_fields(fields)
    _check_names(fields)
    return dict.fromkeys(fields, type_parameters[1])


def _field_getter(frame_name: str, field: str) -> Callable:
    def get_field(**kwargs: Any) -> Any:
        produced = kwargs[frame_name]
        try:
            return produced[field]
        except KeyError:
            raise InvalidDecoratorException(
                f"No such field: {field} produced by {frame_name}. It only produced {list(produced)}. Fix the "
                "field names given to @extract_fields, or pass fill_with= to add missing fields."
            ) from None

    return _described(get_field, "item", frame_name, field)


def _field_filler(fields: Sequence[str], fill_with: Any) -> Callable[[Any], Any]:
    def fill_missing(produced: Any) -> Any:
        missing = [field for field in fields if field not in produced]
        if not missing:
            return produced
        filled = dict(produced)  # a copy: the function's own dict is left untouched
        filled.update(dict.fromkeys(missing, fill_with))
        return filled

    return fill_missing


def _part_nodes(node_: Node, parts: Mapping[str, Any], getter: Callable[[str, Any], Callable]) -> list[Node]:
    """One node per ``name -> (type, key)`` part of ``node_``'s result."""
    inputs = {node_.name: (node_.type, DependencyType.REQUIRED)}
    return [
        Node._from_parts(
            name,
            type_,
            node_.documentation,
            getter(node_.name, key),
            NodeType.STANDARD,
            inputs,
            dict(node_.tags),
            (),
            None,
            {},
        )
        for name, (type_, key) in parts.items()
    ]


class extract_fields(base.SingleNodeNodeTransformer):
    """Keep the dict node and add one node per field, named after the field.

    .. code-block:: python

        @extract_fields({"mean": float, "count": int})
        def stats(data: list[float]) -> dict: ...

        @extract_fields("mean", "std")  # or ["mean", "std"]: typed by the dict's value type
        def moments(data: list[float]) -> dict[str, float]: ...

        @extract_fields()  # every field of the TypedDict, typed from it
        def summary(data: list[float]) -> Summary: ...

    ``fill_with``: fields the dict lacks are added with that value (else a missing field fails
    when it is computed).
    """

    def __init__(self, fields: dict[str, Any] | list[str] | Any | None = None, *others: str, fill_with: Any = None):
        super().__init__()
        if isinstance(fields, dict):
            if others:
                raise InvalidDecoratorException(
                    f"extract_fields takes either a dict of field name -> type or field names, not both: got "
                    f"{fields} and {list(others)}."
                )
        elif fields is not None:
            fields = (list(fields) if isinstance(fields, list) else [fields]) + list(others)
        self.fields = fields
        self.fill_with = fill_with

    def _fields_for(self, output_type: Any) -> dict[str, Any]:
        """:func:`_fields_to_extract`, memoized per output type (it is the same on every build)."""
        memo = self.__dict__.setdefault("_fields_by_type", {})
        try:
            if output_type not in memo:
                memo[output_type] = _fields_to_extract(self.fields, output_type)
            return memo[output_type]
        except TypeError:  # an unhashable annotation
            return _fields_to_extract(self.fields, output_type)

    def validate(self, fn: Callable) -> None:
        _fields_to_extract(self.fields, _return_annotation(fn, "extract_fields"))

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        fields = self._fields_for(node_.type)
        dict_node = node_
        if self.fill_with is not None:
            dict_node = _with_result_hook(node_, _field_filler(list(fields), self.fill_with))
        parts = {name: (type_, name) for name, type_ in fields.items()}
        return [dict_node, *_part_nodes(dict_node, parts, _field_getter)]


def _tuple_element_types(output_type: Any, count: int) -> list[Any]:
    """The types of the first ``count`` elements of ``tuple[...]`` ``output_type``."""
    if typing.get_origin(output_type) is not tuple:
        raise InvalidDecoratorException(
            "For unpacking fields, the decorated function output type must be either an explicit length "
            "tuple (e.g.`tuple[int, str]`, `typing.Tuple[int, str]`) or an indeterminate length tuple "
            f"(e.g. `tuple[int, ...]`, `typing.Tuple[int, ...]`), not: {output_type}"
        )
    element_types = typing.get_args(output_type)
    if element_types == ((),):  # tuple[()] on Python 3.10
        element_types = ()
    if len(element_types) == 2 and element_types[1] is Ellipsis:
        return [element_types[0]] * count
    if Ellipsis in element_types:  # tuple[int, int, ...] / tuple[..., int]: Python 3.11+ accepts these
        raise InvalidDecoratorException(
            f"Misplaced ellipsis in {output_type}: an indeterminate length tuple is written with a single "
            "element type followed by `...` (e.g. `tuple[int, ...]`)."
        )
    if count > len(element_types):
        raise InvalidDecoratorException(
            f"Number of unpacked fields ({count}) is greater than the number of fields in the output type "
            f"({len(element_types)}): {output_type}"
        )
    return list(element_types[:count])


def _element_getter(tuple_name: str, index: int) -> Callable:
    def get_element(**kwargs: Any) -> Any:
        produced = kwargs[tuple_name]
        try:
            return produced[index]
        except IndexError:
            raise InvalidDecoratorException(
                f"Out of bounds field: {index} produced by {tuple_name}. It only produced {list(produced)} fields."
            ) from None

    return _described(get_element, "item", tuple_name, index)


class unpack_fields(base.SingleNodeNodeTransformer):
    """Keep the tuple node and add one node per element, named in order.

    .. code-block:: python

        @unpack_fields("train", "test")
        def split(data: list[int]) -> tuple[list[int], list[int]]: ...

    The return must be ``tuple[A, B, ...]`` (nodes typed by position; fewer names than elements
    is fine) or ``tuple[T, ...]`` (every node typed ``T``).
    """

    def __init__(self, *fields: str):
        super().__init__()
        if not fields:
            raise InvalidDecoratorException(
                "Error empty arguments passed to unpack_fields decorator. Name the elements to unpack, in order."
            )
        not_names = [field for field in fields if not isinstance(field, str)]
        if not_names:
            raise InvalidDecoratorException(f"unpack_fields takes node names (strings), got {not_names}.")
        self.fields = list(fields)

    def validate(self, fn: Callable) -> None:
        _tuple_element_types(_return_annotation(fn, "unpack_fields"), len(self.fields))

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        types_ = _tuple_element_types(node_.type, len(self.fields))
        parts = {name: (type_, index) for index, (name, type_) in enumerate(zip(self.fields, types_))}
        return [node_, *_part_nodes(node_, parts, _element_getter)]
