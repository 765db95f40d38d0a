"""Run Kedro pipelines with Hamilton (1.x's module ``hamilton.plugins.h_kedro``).

A Kedro node names the datasets its function reads and writes; a Hamilton node is named after
the value it computes and its parameters name the values it needs. The conversion follows from
that:

* each output dataset of a Kedro node becomes a Hamilton node of that name;
* a Kedro node with several outputs (a list, or a dict of returned keys to dataset names) also
  gets a node named after its function, computing ``{dataset name: value}``; the output nodes
  pick their value from it (1.x's ``@extract_fields`` shape). A Kedro node without outputs
  becomes one node named after its function;
* inputs keep their dataset names, and ``params:<name>`` becomes the Hamilton input ``<name>``
  (pass it in ``inputs=`` or through the builder's config). ``parameters`` stays ``parameters``.

Types come from the functions' annotations (``Any`` where there are none). Nodes are tagged with
``module``, ``kedro.node_name`` and, when the Kedro node has tags, ``kedro.tags`` (a list), so
``dr.list_available_variables(tag_filter={"kedro.tags": "training"})`` selects by Kedro tag.

What a driver has no equivalent for is refused with an error naming the Kedro node: ``confirms=``
(it needs Kedro's DataCatalog), one dataset used under several transcodings (``data@pandas`` and
``data@spark`` are converted through the catalog), and names that would clash in Hamilton.
"""

from __future__ import annotations

import functools
import inspect
import operator
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from hamilton.plugins import library_required

with library_required("kedro", needed_by=__name__, extra="kedro", distribution="Kedro"):
    from kedro.pipeline.node import Node as KNode
    from kedro.pipeline.pipeline import Pipeline as KPipeline

from hamilton import driver
from hamilton import graph as hamilton_graph
from hamilton.node import DependencyType
from hamilton.node import Node as HNode

PARAMS_PREFIX = "params:"
TRANSCODING_SEPARATOR = "@"
NODE_NAME_TAG = "kedro.node_name"
NODE_TAGS_TAG = "kedro.tags"

__all__ = ["expand_k_node", "k_node_to_h_nodes", "kedro_pipeline_to_driver"]


class KedroConversionError(ValueError):
    """A Kedro pipeline uses something a Hamilton driver cannot reproduce."""


# -- helpers --------------------------------------------------------------------------------


def _where(func: Callable) -> str:
    """``module.qualname (file:line)`` of a Kedro node's function, for error messages."""
    target = inspect.unwrap(func) if callable(func) else func
    if isinstance(target, functools.partial):
        target = target.func
    module = getattr(target, "__module__", None) or "?"
    name = getattr(target, "__qualname__", None) or repr(target)
    code = getattr(target, "__code__", None)
    if code is None:
        return f"{module}.{name}"
    return f"{module}.{name} ({code.co_filename}:{code.co_firstlineno})"


def _describe(k_node: KNode) -> str:
    return f"Kedro node '{k_node.name}' (function {_where(k_node.func)})"


def hamilton_name(dataset: str) -> str:
    """The Hamilton node/input name of a Kedro dataset: ``params:x`` becomes ``x``."""
    return dataset[len(PARAMS_PREFIX) :] if dataset.startswith(PARAMS_PREFIX) else dataset


def _function_name(k_node: KNode) -> str:
    """The name of the node computing a Kedro node's function (several outputs, or none)."""
    func = k_node.func
    name = getattr(func, "__name__", None)
    if name is None and isinstance(func, functools.partial):
        name = getattr(func.func, "__name__", None)
    if not name or not name.isidentifier():  # a lambda, or a callable object
        name = k_node.name
    if k_node.namespace and not name.startswith(k_node.namespace + "."):
        name = f"{k_node.namespace}.{name}"
    return name


def _signature(func: Callable) -> inspect.Signature | None:
    try:
        return inspect.signature(func)
    except (TypeError, ValueError):  # builtins and some C callables have none
        return None


def _type_hints(func: Callable) -> dict[str, Any]:
    """Evaluated annotations of ``func`` (string annotations resolved); raw ones if that fails."""
    target = func.func if isinstance(func, functools.partial) else func
    if not isinstance(target, (types.FunctionType, types.MethodType)):
        target = getattr(target, "__call__", target)  # noqa: B004 (callable objects)
    try:
        return typing.get_type_hints(target)
    except Exception:  # unresolvable forward references: fall back to what is written
        annotations = getattr(target, "__annotations__", None)
        return {k: v for k, v in (annotations or {}).items() if not isinstance(v, str)}


def _return_type(func: Callable) -> Any:
    hints = _type_hints(func)
    if "return" not in hints:
        return Any
    returned = hints["return"]
    return type(None) if returned is None else returned


def _input_types(k_node: KNode) -> dict[str, Any]:
    """Dataset name -> the annotation of the parameter it is bound to (``Any`` without one)."""
    datasets = k_node.inputs
    types_: dict[str, Any] = dict.fromkeys(datasets, Any)
    signature = _signature(k_node.func)
    if signature is None:
        return types_
    raw = k_node._inputs  # str, list or {parameter: dataset}, as given to kedro's node()
    try:
        if isinstance(raw, dict):
            bound = signature.bind_partial(**raw)
        elif isinstance(raw, str):
            bound = signature.bind_partial(raw)
        else:
            bound = signature.bind_partial(*(raw or []))
    except TypeError:  # Kedro validated the binding; keep Any if the signature disagrees
        return types_
    hints = _type_hints(k_node.func)
    for parameter, given in bound.arguments.items():
        annotation = hints.get(parameter, Any)
        if annotation is None:
            annotation = type(None)
        kind = signature.parameters[parameter].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            names: Iterable[str] = given
        elif kind is inspect.Parameter.VAR_KEYWORD:
            names = given.values()
        else:
            names = [given]
        for dataset in names:
            if types_.get(dataset, Any) is Any:
                types_[dataset] = annotation
    return types_


def _call_kedro_function(k_node: KNode) -> Callable[..., Any]:
    """A callable taking the Hamilton inputs by name and calling the Kedro node's function the
    way Kedro binds it (positionally for a str or list of inputs, by keyword for a dict)."""
    func = k_node.func
    raw = k_node._inputs
    if isinstance(raw, dict):
        keywords = {parameter: hamilton_name(dataset) for parameter, dataset in raw.items()}

        def call(**kwargs: Any) -> Any:
            return func(**{parameter: kwargs[name] for parameter, name in keywords.items()})

    else:
        positional = [hamilton_name(dataset) for dataset in ([raw] if isinstance(raw, str) else (raw or []))]

        def call(**kwargs: Any) -> Any:
            return func(*(kwargs[name] for name in positional))

    return call


def _as_output_mapping(k_node: KNode, result: Any) -> dict[str, Any]:
    """``{dataset name: value}`` of a Kedro node with several outputs, checked as Kedro does."""
    outputs = k_node._outputs
    if inspect.isgenerator(result):
        raise KedroConversionError(
            f"{_describe(k_node)} returned a generator for its outputs {k_node.outputs}: Kedro saves "
            "such chunks one by one through its DataCatalog, which a Hamilton driver does not use. "
            "Return the values themselves (or give the node a single output)."
        )
    if isinstance(outputs, dict):
        if not isinstance(result, Mapping):
            raise KedroConversionError(
                f"{_describe(k_node)} declares its outputs as a dict {outputs}, so its function must "
                f"return a dict with the keys {sorted(outputs)}; it returned {type(result).__name__}."
            )
        missing = sorted(set(outputs) - set(result))
        if missing:
            raise KedroConversionError(
                f"{_describe(k_node)} returned a dict without the keys {missing} its outputs {outputs} "
                f"name (it returned the keys {sorted(map(str, result))})."
            )
        return {dataset: result[key] for key, dataset in outputs.items()}
    if not isinstance(result, (list, tuple)):
        raise KedroConversionError(
            f"{_describe(k_node)} declares the outputs {list(outputs)}, so its function must return a "
            f"list or tuple of {len(outputs)} values; it returned {type(result).__name__}."
        )
    if len(result) != len(outputs):
        raise KedroConversionError(
            f"{_describe(k_node)} declares {len(outputs)} outputs {list(outputs)} but its function "
            f"returned {len(result)} values."
        )
    return dict(zip(outputs, result))


def _output_types(k_node: KNode) -> dict[str, Any]:
    """The type of each output of a multi-output Kedro node, from the return annotation when it
    says (``tuple[A, B]``, ``list[A]``, ``dict[str, A]``); ``Any`` otherwise."""
    outputs = k_node.outputs
    returned = _return_type(k_node.func)
    origin, arguments = typing.get_origin(returned), typing.get_args(returned)
    if isinstance(k_node._outputs, dict):
        if origin in (dict, Mapping) and len(arguments) == 2:
            return dict.fromkeys(outputs, arguments[1])
        return dict.fromkeys(outputs, Any)
    if origin is tuple and len(arguments) == len(outputs) and Ellipsis not in arguments:
        return dict(zip(outputs, arguments))
    if origin in (list, tuple, Sequence) and len(arguments) in (1, 2) and (len(arguments) == 1 or arguments[1] is ...):
        return dict.fromkeys(outputs, arguments[0])
    return dict.fromkeys(outputs, Any)


def _tags(k_node: KNode) -> dict[str, Any]:
    func = k_node.func.func if isinstance(k_node.func, functools.partial) else k_node.func
    tags: dict[str, Any] = {"module": getattr(func, "__module__", None) or "", NODE_NAME_TAG: k_node.name}
    if k_node.tags:
        tags[NODE_TAGS_TAG] = sorted(k_node.tags)
    return tags


# -- 1.x's conversion functions -------------------------------------------------------------


def expand_k_node(base_node: HNode, outputs: list[str]) -> list[HNode]:
    """``base_node`` followed by one node per name in ``outputs``, each picking its value from
    ``base_node``'s result — what ``@extract_fields`` does, for a Kedro node with several outputs.

    ``base_node`` may return a mapping (keyed by the output names) or a sequence (one value per
    output, in order); the returned base node always computes the mapping ``{output: value}``.
    """
    outputs = list(outputs)
    if len(set(outputs)) != len(outputs) or not outputs:
        raise ValueError(f"expand_k_node() needs distinct output names; got {outputs} for node '{base_node.name}'.")
    if base_node.name in outputs:
        raise KedroConversionError(
            f"Node '{base_node.name}' cannot be both the node computing several outputs and one of "
            f"them ({outputs}): rename the function or the dataset."
        )

    def to_mapping(result: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(result, Mapping):
            missing = [name for name in outputs if name not in result]
            if missing:
                raise KedroConversionError(
                    f"Node '{base_node.name}' returned a mapping without {missing}, which its outputs {outputs} need."
                )
            return {name: result[name] for name in outputs}
        if isinstance(result, (list, tuple)) and len(result) == len(outputs):
            return dict(zip(outputs, result))
        raise KedroConversionError(
            f"Node '{base_node.name}' must return a mapping with the keys {outputs} or a list/tuple of "
            f"{len(outputs)} values; it returned {type(result).__name__}."
        )

    base = base_node.transform_output(to_mapping, dict)
    tags = {key: value for key, value in base_node.tags.items() if key != "hamilton.config"}
    field_types = _field_types(base_node.type, outputs)
    nodes = [base]
    for name in outputs:
        nodes.append(
            HNode(
                name=name,
                typ=field_types[name],
                doc_string=f"Output '{name}' of {base_node.name}.",
                callabl=_field_getter(base.name, name),
                input_types={base.name: (dict, DependencyType.REQUIRED)},
                tags=dict(tags),
                originating_functions=base_node.originating_functions,
            )
        )
    return nodes


def _field_types(returned: Any, outputs: list[str]) -> dict[str, Any]:
    origin, arguments = typing.get_origin(returned), typing.get_args(returned)
    if origin is tuple and len(arguments) == len(outputs) and Ellipsis not in arguments:
        return dict(zip(outputs, arguments))
    return dict.fromkeys(outputs, Any)


def _field_getter(base_name: str, field: str) -> Callable[..., Any]:
    def pick(**kwargs: Any) -> Any:
        return kwargs[base_name][field]

    pick.__name__ = f"pick_{field}".replace(".", "_")
    return pick


def k_node_to_h_nodes(node: KNode) -> list[HNode]:
    """The Hamilton nodes of one Kedro node (see the module docstring).

    One output: one node named after it, typed by the function's return annotation. Several
    outputs: the node named after the function (``{dataset: value}``) plus one node per output.
    No output: one node named after the function.
    """
    if not isinstance(node, KNode):
        raise TypeError(
            f"k_node_to_h_nodes() takes a kedro.pipeline.Node (made with kedro.pipeline.node(...)); "
            f"got {type(node).__name__}: {node!r}."
        )
    if node.confirms:
        raise KedroConversionError(
            f"{_describe(node)} sets confirms={node.confirms}: Kedro confirms those datasets through "
            "its DataCatalog after the node runs, and a Hamilton driver has no catalog. Remove "
            "confirms= from the node for the Hamilton run (or confirm them after it)."
        )
    by_name: dict[str, set[str]] = {}
    for dataset in node.inputs:
        by_name.setdefault(hamilton_name(dataset), set()).add(dataset)
    for name, datasets in by_name.items():
        if len(datasets) > 1:
            raise KedroConversionError(
                f"{_describe(node)} reads both {sorted(datasets)}, which would both become the Hamilton "
                f"input '{name}' (parameters lose their 'params:' prefix). Rename the parameter or the dataset."
            )
    call = _call_kedro_function(node)
    input_types = {
        hamilton_name(dataset): (type_, DependencyType.REQUIRED) for dataset, type_ in _input_types(node).items()
    }
    documentation = inspect.getdoc(node.func) or ""
    origin = (node.func,)
    outputs = node.outputs
    if len(outputs) == 1:
        return [
            HNode(
                name=outputs[0],
                typ=_return_type(node.func),
                doc_string=documentation,
                callabl=call,
                input_types=input_types,
                tags=_tags(node),
                originating_functions=origin,
            )
        ]

    base_name = _function_name(node)
    if not outputs:
        return [
            HNode(
                name=base_name,
                typ=_return_type(node.func),
                doc_string=documentation,
                callabl=call,
                input_types=input_types,
                tags=_tags(node),
                originating_functions=origin,
            )
        ]

    def compute_outputs(**kwargs: Any) -> dict[str, Any]:
        return _as_output_mapping(node, call(**kwargs))

    base = HNode(
        name=base_name,
        typ=dict,
        doc_string=documentation,
        callabl=compute_outputs,
        input_types=input_types,
        tags=_tags(node),
        originating_functions=origin,
    )
    if base_name in outputs:
        raise KedroConversionError(
            f"{_describe(node)} has several outputs {outputs}, one of them named like its function "
            f"'{base_name}', which names the Hamilton node computing them all. Give the Kedro node "
            "another function name, or rename that dataset."
        )
    expanded = expand_k_node(base, outputs)
    types_ = _output_types(node)
    return [expanded[0], *(n.copy_with(include_refs=False, typ=types_[n.name]) for n in expanded[1:])]


# -- pipelines --------------------------------------------------------------------------------


def _as_pipeline(pipelines: Sequence[Any]) -> KPipeline:
    if not pipelines:
        raise ValueError("kedro_pipeline_to_driver() needs at least one Kedro Pipeline.")
    for position, pipeline in enumerate(pipelines):
        if not isinstance(pipeline, KPipeline):
            hint = " Wrap nodes in kedro.pipeline.Pipeline([...])." if isinstance(pipeline, (KNode, list)) else ""
            raise TypeError(
                f"kedro_pipeline_to_driver() takes Kedro Pipelines; argument {position} is a "
                f"{type(pipeline).__name__}: {pipeline!r}.{hint}"
            )
    # Kedro's own union (``+``): shared nodes are kept once; two nodes writing one dataset are refused.
    return functools.reduce(operator.add, pipelines)


def _check_pipeline(pipeline: KPipeline) -> None:
    """Refuse what would silently change meaning as a Hamilton graph (see the module docstring)."""
    producers = {output: k_node for k_node in pipeline.nodes for output in k_node.outputs}
    transcoded: dict[str, dict[str, KNode]] = {}
    for k_node in pipeline.nodes:
        for dataset in [*k_node.inputs, *k_node.outputs]:
            base, separator, _ = dataset.partition(TRANSCODING_SEPARATOR)
            if separator:
                transcoded.setdefault(base, {}).setdefault(dataset, k_node)
    for base, variants in transcoded.items():
        if len(variants) > 1 or base in producers:
            users = "; ".join(f"'{name}' by {_describe(k_node)}" for name, k_node in variants.items())
            raise KedroConversionError(
                f"Dataset '{base}' is used under several transcodings ({users}). Kedro converts "
                "between them by saving and loading through its DataCatalog; a Hamilton driver "
                "passes values in memory and has no catalog. Use one name for the dataset in every "
                "node of the pipeline you convert."
            )
    for k_node in pipeline.nodes:
        for dataset in k_node.inputs:
            if dataset.startswith(PARAMS_PREFIX) and hamilton_name(dataset) in producers:
                raise KedroConversionError(
                    f"{_describe(k_node)} reads the parameter '{dataset}', which becomes the Hamilton "
                    f"input '{hamilton_name(dataset)}' — but {_describe(producers[hamilton_name(dataset)])} "
                    "outputs a dataset of that name. Rename the parameter or the dataset."
                )


def _hamilton_nodes(pipeline: KPipeline) -> list[HNode]:
    nodes: dict[str, HNode] = {}
    made_by: dict[str, KNode] = {}
    for k_node in pipeline.nodes:
        for h_node in k_node_to_h_nodes(k_node):
            if h_node.name in nodes:
                raise KedroConversionError(
                    f"{_describe(made_by[h_node.name])} and {_describe(k_node)} both become the "
                    f"Hamilton node '{h_node.name}' (a node with several outputs, or none, is named "
                    "after its function). Give one of the functions another name, or give the nodes "
                    "a namespace."
                )
            nodes[h_node.name] = h_node
            made_by[h_node.name] = k_node
    return list(nodes.values())


def kedro_pipeline_to_driver(*pipelines: KPipeline, builder: driver.Builder | None = None) -> driver.Driver:
    """A Hamilton driver running one or more Kedro pipelines (their union, as Kedro's ``+``).

    :param pipelines: Kedro ``Pipeline`` objects.
    :param builder: a ``driver.Builder`` whose settings the driver gets: adapters (trackers,
        result builders...), materializers, execution settings, and config (values for inputs
        such as Kedro parameters). Functions and modules given to it join the graph, next to the
        Kedro nodes (a name defined by both is an error).
    :return: the driver; request Kedro datasets by name, pass the pipeline's free inputs (and
        its ``params:`` without the prefix) as ``inputs=``.
    """
    pipeline = _as_pipeline(pipelines)
    _check_pipeline(pipeline)
    kedro_nodes = _hamilton_nodes(pipeline)

    builder = builder.copy() if builder is not None else driver.Builder()
    adapters = list(builder.adapters)
    if builder.legacy_graph_adapter is not None:
        adapters.append(builder.legacy_graph_adapter)
    adapter = driver.Driver.normalize_adapter_input(adapters, use_legacy_adapter=False)
    if builder.graph is not None:
        if builder.modules or builder.functions or builder.config:
            raise ValueError(
                "The builder given to kedro_pipeline_to_driver() has a graph (with_graph) and also "
                "modules, functions or config: a Graph comes with its own. Use one or the other."
            )
        base = builder.graph
    else:
        base = hamilton_graph.Graph.build(
            modules=builder.modules,
            functions=builder.functions,
            config=builder.config,
            adapter=adapter,
            allow_module_overrides=builder._allow_module_overrides,
        )
    defined = {n.name: n for n in base.get_nodes() if not n.user_defined}
    clashes = sorted(n.name for n in kedro_nodes if n.name in defined)
    if clashes:
        raise KedroConversionError(
            f"The Kedro pipeline and the builder's functions both define {clashes} (e.g. "
            f"{defined[clashes[0]].location()}). Rename one of them."
        )
    graph = base.with_nodes(kedro_nodes)
    builder.modules, builder.functions, builder.config = [], [], {}
    builder.graph = graph
    return builder.build()
