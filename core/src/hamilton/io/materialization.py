"""Materialization: saving outputs and loading inputs as part of a run, chosen at run time.

::

    from hamilton.io.materialization import from_, to

    metadata, extra = dr.materialize(
        from_.json(target="settings", path="settings.json"),
        to.json(id="report_to_json", dependencies=["report"], path="report.json"),
        additional_vars=["summary"],
    )

``to.<format>(id, dependencies, combine=None, **arguments)`` adds a node ``id`` that saves its
dependency (or, with several, the ``combine`` result builder's output, computed by node
``<id>_build_result``) and returns the saver's metadata. ``from_.<format>(target, **arguments)``
replaces node (or input) ``target`` by a loader: nodes ``load_data.<target>`` and ``<target>``.
Arguments are literals, ``value(...)`` or ``source("node")``. ``Builder.with_materializers``
adds the same nodes to a driver's graph for good.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Sequence
from typing import Any, Protocol, runtime_checkable

from hamilton.common import convert_output_values
from hamilton.function_modifiers.adapters import (
    AdapterFactory,
    load_node,
    loader_tags,
    resolve_adapter_class,
    save_node,
    saver_factory,
    select_node,
)
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.dependencies import LiteralDependency, UpstreamDependency
from hamilton.io import formats
from hamilton.io.data_adapters import adapter_arguments
from hamilton.node import Node

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hamilton.graph import Graph


def process_kwargs(kwargs: dict[str, Any]) -> dict[str, LiteralDependency | UpstreamDependency]:
    """Loader/saver arguments as dependencies: literals become ``value(...)``."""
    return {
        name: given if isinstance(given, (LiteralDependency, UpstreamDependency)) else LiteralDependency(value=given)
        for name, given in kwargs.items()
    }


class MaterializerFactory:
    """What ``to.<format>(...)`` returns: the nodes saving ``dependencies`` under node ``id``."""

    def __init__(
        self,
        id: str,
        savers: Sequence[type],
        result_builder: Any,
        dependencies: Sequence[Any],
        **data_saver_kwargs: Any,
    ):
        self.id = id
        self.savers = list(savers)
        self.result_builder = result_builder
        self.dependencies = [dependencies] if isinstance(dependencies, str) else list(dependencies)
        self.data_saver_kwargs = process_kwargs(data_saver_kwargs)

    def sanitize_dependencies(self, module_set: Collection[str]) -> MaterializerFactory:
        """A copy whose dependencies are node names (functions and nodes converted)."""
        return MaterializerFactory(
            self.id,
            self.savers,
            self.result_builder,
            convert_output_values(self.dependencies, module_set, given_to="materializer"),
            **self.data_saver_kwargs,
        )

    def _saved(self, graph: Graph) -> tuple[list[Node], str, Any]:
        """The extra node combining several dependencies (if any), and the name and type saved."""
        missing = [name for name in self.dependencies if name not in graph]
        if missing:
            raise ValueError(f"Materializer {self.id} has dependencies that are not in the graph: {missing}.")
        if self.result_builder is None:
            if len(self.dependencies) != 1:
                raise ValueError(
                    "Must specify result builder via combine= key word argument if the materializer has more "
                    "than one dependency it is materializing. Otherwise we have no way to join them and know "
                    f"what to pass! See materializer {self.id}."
                )
            (name,) = self.dependencies
            return [], name, graph[name].type
        combined = f"{self.id}_build_result"
        builder = self.result_builder
        output_type = builder.output_type() if hasattr(builder, "output_type") else Any

        def build_result(**outputs: Any) -> Any:
            return builder.build_result(**outputs)

        combine_node = Node(
            combined,
            output_type,
            f"Builds the result for {self.id} materializer",
            callabl=build_result,
            input_types={name: graph[name].type for name in self.dependencies},
        )
        return [combine_node], combined, output_type

    def generate_nodes(self, fn_graph: Graph) -> list[Node]:
        extra, saved, saved_type = self._saved(fn_graph)
        factory = saver_factory(saved_type, self.savers, self.data_saver_kwargs)
        if factory is None:
            raise InvalidDecoratorException(
                f"No saver class found for type: {saved_type} specified by output type: {saved_type} in node: "
                f"{saved} (materializer {self.id}). Savers of this format: {self.savers}."
            )
        return [*extra, save_node(self.id, factory, saved, saved_type, None)]


class ExtractorFactory:
    """What ``from_.<format>(...)`` returns: a loader replacing node (or input) ``target``."""

    def __init__(self, target: str, loaders: Sequence[type], **data_loader_kwargs: Any):
        self.target = target
        self.loaders = list(loaders)
        self.data_loader_kwargs = process_kwargs(data_loader_kwargs)

    def _target_type(self, fn_graph: Graph) -> Any:
        """The type of the node (or input) ``target``: an input a graph's nodes only declare as a
        parameter (a graph of unwired nodes has no node for it) counts too."""
        if self.target in fn_graph:
            return fn_graph[self.target].type
        for node_ in fn_graph.values():
            if self.target in node_.input_types:
                return node_.input_types[self.target][0]
        from hamilton.errors import closest_names

        close = closest_names(self.target, list(fn_graph))
        raise ValueError(
            f"Could not find node with name: {self.target} in function graph. "
            + (f"Did you mean {', '.join(close)}? " if close else "")
            + "from_(target=...) replaces a node or input of the graph with loaded data."
        )

    def generate_nodes(self, fn_graph: Graph) -> list[Node]:
        type_ = self._target_type(fn_graph)
        loader_cls = resolve_adapter_class(type_, self.loaders, "loader", _format_name(self.loaders))
        if loader_cls is None:
            raise InvalidDecoratorException(
                f"Could not resolve loader for type: {type_} given possibilities: {self.loaders} "
            )
        factory = AdapterFactory(loader_cls, **self.data_loader_kwargs)
        loaded = load_node(f"load_data.{self.target}", factory, type_, self.target, None)
        tags = loader_tags(loader_cls.name(), loader_cls.__qualname__, self.target, False)
        return [loaded, select_node(self.target, loaded, type_, tags, None)]


def _format_name(classes: Sequence[type]) -> str | None:
    return classes[0].name() if classes else None


def modify_graph(
    fn_graph: Graph,
    materializer_factories: Sequence[MaterializerFactory],
    extractor_factories: Sequence[ExtractorFactory],
) -> Graph:
    """``fn_graph`` with the materializers' and extractors' nodes added (a new graph)."""
    nodes: list[Node] = []
    for extractor in extractor_factories:
        nodes.extend(extractor.generate_nodes(fn_graph))
    # As in 1.x, a repeated materializer id means the last one given.
    for materializer in {m.id: m for m in materializer_factories}.values():
        nodes.extend(materializer.generate_nodes(fn_graph))
    replaced = {extractor.target for extractor in extractor_factories}
    names = [n.name for n in nodes]
    duplicates = {name for name in names if names.count(name) > 1 or (name in fn_graph and name not in replaced)}
    if duplicates:
        raise ValueError(
            f"Duplicate node names found: {duplicates}. A materializer id must not be the name of a node "
            "of the graph or of another materializer: choose another id."
        )
    return fn_graph.with_nodes(nodes)


# --------------------------------------------------------------------------------------------
# to.<format> / from_.<format>
# --------------------------------------------------------------------------------------------


def _keyword_parameters(classes: Sequence[type]) -> tuple[list[inspect.Parameter], bool]:
    """Keyword-only parameters (default ``None``) for every argument of ``classes``; and whether
    some class takes ``**kwargs``."""
    parameters: dict[str, inspect.Parameter] = {}
    accepts_any = False
    for cls in classes:
        arguments = adapter_arguments(cls)
        accepts_any = accepts_any or arguments.accepts_any
        for name, annotation in {**arguments.required, **arguments.optional}.items():
            parameters.setdefault(
                name, inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
            )
    return list(parameters.values()), accepts_any


def _check_keywords(call: str, given: dict[str, Any], known: Collection[str], accepts_any: bool) -> None:
    unknown = sorted(set(given) - set(known))
    if unknown and not accepts_any:
        raise TypeError(
            f"{call}() got an unexpected keyword argument {unknown[0]!r}. Its formats accept: {sorted(known)}."
        )


def partial_materializer(savers: Sequence[type]) -> Callable[..., MaterializerFactory]:
    """``to.<format>``: ``(id, dependencies, combine=None, **saver_arguments) -> MaterializerFactory``."""
    name = _format_name(savers)
    keywords, accepts_any = _keyword_parameters(savers)
    known = [parameter.name for parameter in keywords]

    def create_materializer(
        id: str,
        dependencies: Sequence[Any],
        combine: Any = None,
        **kwargs: Any,
    ) -> MaterializerFactory:
        _check_keywords(f"to.{name}", kwargs, known, accepts_any)
        return MaterializerFactory(id, savers, combine, dependencies, **kwargs)

    positional = [
        inspect.Parameter("id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
        inspect.Parameter("dependencies", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=list[str]),
        inspect.Parameter("combine", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None),
    ]
    extra = [inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)] if accepts_any else []
    create_materializer.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        positional + keywords + extra, return_annotation=MaterializerFactory
    )
    create_materializer.__name__ = create_materializer.__qualname__ = f"to.{name}"
    return create_materializer


def partial_extractor(loaders: Sequence[type]) -> Callable[..., ExtractorFactory]:
    """``from_.<format>``: ``(target, **loader_arguments) -> ExtractorFactory``."""
    name = _format_name(loaders)
    keywords, accepts_any = _keyword_parameters(loaders)
    known = [parameter.name for parameter in keywords]

    def create_extractor(target: str, **kwargs: Any) -> ExtractorFactory:
        _check_keywords(f"from_.{name}", kwargs, known, accepts_any)
        return ExtractorFactory(target, loaders, **kwargs)

    extra = [inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)] if accepts_any else []
    create_extractor.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("target", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str), *keywords, *extra],
        return_annotation=ExtractorFactory,
    )
    create_extractor.__name__ = create_extractor.__qualname__ = f"from_.{name}"
    return create_extractor


@runtime_checkable
class _MaterializerFactoryProtocol(Protocol):
    """The shape of ``to.<format>``; kept for 1.x compatibility (isinstance checks it is callable)."""

    def __call__(
        self, id: str, dependencies: Sequence[Any], combine: Any = None, **kwargs: Any
    ) -> MaterializerFactory: ...


@runtime_checkable
class _ExtractorFactoryProtocol(Protocol):
    """The shape of ``from_.<format>``; kept for 1.x compatibility (isinstance checks it is callable)."""

    def __call__(self, target: str, **kwargs: Any) -> ExtractorFactory: ...


_factories: dict[tuple, Callable[..., Any]] = {}


class _Formats(type):
    """Attribute access by format name on :class:`Materialize` / :class:`Extract`."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):  # dunder and private probes (pickle, inspect, pytest) are not formats
            raise AttributeError(name)
        classes = formats.classes(cls._kind, name)
        if not classes:
            raise AttributeError(cls._unknown(name))
        key = (cls._kind, name, tuple(classes))  # a new class for the format makes a new factory
        factory = _factories.get(key)
        if factory is None:
            factory = _factories[key] = cls._factory(classes)
        return factory

    def __dir__(cls) -> list[str]:
        return sorted({*super().__dir__(), *formats.names(cls._kind)})


class Materialize(metaclass=_Formats):
    """``to.<format>(id=..., dependencies=[...], combine=None, **arguments)``."""

    _kind = "saver"
    _factory = staticmethod(partial_materializer)

    @staticmethod
    def _unknown(name: str) -> str:
        return (
            f"No data materializer named: {name}. Available materializers are: {formats.names('saver')}. If "
            "you've gotten to this point, you either (1) have created the custom materializer and not "
            "registered it (call hamilton.registry.register_adapter(YourSaver)), (2) spelled the materializer "
            "name wrong, or (3) are trying to use a materializer whose plugin is not installed."
        )


class Extract(metaclass=_Formats):
    """``from_.<format>(target=..., **arguments)``."""

    _kind = "loader"
    _factory = staticmethod(partial_extractor)

    @staticmethod
    def _unknown(name: str) -> str:
        return (
            f"No data loader named: {name}. Available loaders are: {formats.names('loader')}. If you've gotten "
            "to this point, you either (1) spelled the loader name wrong, (2) have not registered your loader "
            "(call hamilton.registry.register_adapter(YourLoader)), or (3) are trying to use a loader whose "
            "plugin is not installed."
        )


to = Materialize
from_ = Extract
