"""Loading and saving through decorators: ``load_from``, ``save_to``, ``dataloader``, ``datasaver``.

* ``@load_from.<format>(path=..., inject_=None)`` feeds a parameter from a loader: nodes
  ``<fn>.load_data.<param>`` (``(value, metadata)``) and ``<fn>.select_data.<param>`` (the value);
* ``@save_to.<format>(path=..., output_name_=None, target_=None)`` adds a node ``save.<node>``
  (or ``output_name_``) that saves the function's result and returns the saver's metadata;
* ``@dataloader()`` turns a function returning ``(value, metadata)`` into ``<fn>.loader`` and
  ``<fn>``; ``@datasaver()`` marks a function returning metadata as a saver.

Format arguments are literals, ``value(...)`` or ``source("node")`` (read at run time). Formats
and the choice among classes sharing a name are those of :mod:`hamilton.io.formats`.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Collection, Sequence
from typing import Any

from hamilton._introspect import NO_DEFAULT, describe_function, read_signature
from hamilton.function_modifiers.base import (
    InvalidDecoratorException,
    NodeCreator,
    NodeInjector,
    NodeTransformer,
)
from hamilton.function_modifiers.dependencies import (
    LiteralDependency,
    ParametrizedDependency,
    UpstreamDependency,
)
from hamilton.io import formats
from hamilton.io._calls import run_loader, run_saver
from hamilton.io.data_adapters import adapter_arguments
from hamilton.node import DependencyType, Node

LOADER_TAG = "hamilton.data_loader"
LOADER_HAS_METADATA_TAG = "hamilton.data_loader.has_metadata"
LOADER_SOURCE_TAG = "hamilton.data_loader.source"
LOADER_CLASSNAME_TAG = "hamilton.data_loader.classname"
LOADER_NODE_TAG = "hamilton.data_loader.node"
SAVER_TAG = "hamilton.data_saver"
SAVER_SINK_TAG = "hamilton.data_saver.sink"
SAVER_CLASSNAME_TAG = "hamilton.data_saver.classname"


# --------------------------------------------------------------------------------------------
# An adapter class bound to the user's arguments
# --------------------------------------------------------------------------------------------


def _as_dependency(name: str, given: Any, adapter_cls: type) -> LiteralDependency | UpstreamDependency:
    if isinstance(given, (LiteralDependency, UpstreamDependency)):
        return given
    if isinstance(given, ParametrizedDependency):
        raise InvalidDecoratorException(
            f"Argument {name}={given!r} for {adapter_cls.__qualname__} must be a literal, value(...) or "
            "source(...); group() and configuration() are not supported for loaders and savers."
        )
    return LiteralDependency(value=given)


def resolve_kwargs(kwargs: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Split loader/saver arguments into ``(argument -> upstream node, argument -> literal)``.

    ``source("n")`` arguments go to the first dict (as ``"n"``); ``value(v)`` and bare literals
    to the second (as ``v``). Kept for 1.x compatibility: :class:`AdapterFactory` does this.
    """
    dependencies: dict[str, str] = {}
    literals: dict[str, Any] = {}
    for name, given in kwargs.items():
        if isinstance(given, UpstreamDependency):
            dependencies[name] = given.source
        elif isinstance(given, LiteralDependency):
            literals[name] = given.value
        else:
            literals[name] = given
    return dependencies, literals


class AdapterFactory:
    """A loader/saver class bound to arguments: literals now, ``source(...)`` values at run time."""

    def __init__(self, adapter_cls: type, **kwargs: Any):
        self.adapter_cls = adapter_cls
        self.kwargs = {name: _as_dependency(name, given, adapter_cls) for name, given in kwargs.items()}
        check_arguments(adapter_cls, self.kwargs, "loader" if getattr(adapter_cls, "can_load", bool)() else "saver")

    def upstream(self) -> dict[str, str]:
        """Argument name -> the node whose value it takes (the ``source(...)`` arguments)."""
        return {name: dep.source for name, dep in self.kwargs.items() if isinstance(dep, UpstreamDependency)}

    def upstream_types(self) -> dict[str, tuple[Any, DependencyType]]:
        """Node name -> (declared type of the argument it feeds, whether it is required).

        A source for an argument with a default is an optional dependency: when that node is
        not available, the class's default applies.
        """
        arguments = adapter_arguments(self.adapter_cls)
        return {
            node_name: (arguments.required[argument], DependencyType.REQUIRED)
            if argument in arguments.required
            else (arguments.optional.get(argument, Any), DependencyType.OPTIONAL)
            for argument, node_name in self.upstream().items()
        }

    def create(self, **upstream_values: Any) -> Any:
        """An instance, given the values of the upstream nodes (by node name)."""
        arguments = {}
        for name, dep in self.kwargs.items():
            if isinstance(dep, LiteralDependency):
                arguments[name] = dep.value
            elif dep.source in upstream_values:
                arguments[name] = upstream_values[dep.source]
        return self.adapter_cls(**arguments)

    create_loader = create
    create_saver = create

    def for_value(self, value: Any) -> AdapterFactory:
        """The factory to use for ``value`` (this one: its class was chosen by declared type)."""
        return self


class SaverByValueType:
    """The saver of a node declared ``Any``/``object``: chosen from the value's own type, when the
    node runs (its library's plugin is loaded then if needed)."""

    adapter_cls = None

    def __init__(self, format_name: str, saver_classes: Sequence[type], kwargs: dict[str, Any]):
        self.format_name = format_name
        self.kwargs = kwargs
        errors = []
        for cls in saver_classes:  # the arguments must suit some class of the format
            try:
                self._template = AdapterFactory(cls, **kwargs)
                break
            except InvalidDecoratorException as error:
                errors.append(error)
        else:
            raise errors[-1]

    def upstream_types(self) -> dict[str, tuple[Any, DependencyType]]:
        return dict.fromkeys(self._template.upstream().values(), (Any, DependencyType.REQUIRED))

    def for_value(self, value: Any) -> AdapterFactory:
        saver_cls = formats.select_for_value("saver", self.format_name, value)
        if saver_cls is None:
            raise TypeError(
                f"No {self.format_name!r} saver handles values of type {type(value).__qualname__}. Savers of "
                f"this format: {formats.classes('saver', self.format_name)}. Annotate the node with a type one of "
                "them handles, install the plugin for this type, or use another format."
            )
        return AdapterFactory(saver_cls, **self.kwargs)


def saver_factory(
    type_: Any, saver_classes: Sequence[type], kwargs: dict[str, Any]
) -> AdapterFactory | SaverByValueType | None:
    """How to save values of declared type ``type_``: a class chosen now, or by each value's type
    when the declaration says nothing (``Any``/``object``); ``None`` if no class serves ``type_``."""
    format_name = _format_of(saver_classes)
    saver_cls = resolve_adapter_class(type_, saver_classes, "saver", format_name)
    if saver_cls is not None:
        return AdapterFactory(saver_cls, **kwargs)
    if (type_ is Any or type_ is object) and format_name is not None:
        return SaverByValueType(format_name, saver_classes, kwargs)
    return None


def check_arguments(adapter_cls: type, given: Collection[str], kind: str) -> None:
    """Raise (with 1.x's messages) if required arguments are missing or unknown ones are given."""
    arguments = adapter_arguments(adapter_cls)
    missing = set(arguments.required) - set(given)
    if missing:
        raise InvalidDecoratorException(
            f"Missing required parameters for adapter : {adapter_cls}: {missing}. Required parameters/types are: "
            f"{arguments.required}. Optional parameters/types are: {arguments.optional}. "
        )
    extra = set(given) - set(arguments.required) - set(arguments.optional)
    if extra and not arguments.accepts_any:
        raise InvalidDecoratorException(
            f"Extra parameters for {kind}: {adapter_cls} {extra}. Choices for parameters are: "
            f"{ {**arguments.required, **arguments.optional}.keys() }."
        )


def resolve_adapter_class(
    type_: Any, adapter_classes: Sequence[type], kind: str = "loader", format_name: str | None = None
) -> type | None:
    """The class among ``adapter_classes`` serving ``type_`` (see :func:`hamilton.io.formats.pick`).

    With ``format_name``, the plugin of ``type_``'s library is loaded first (if that adds classes,
    every class of the format is considered), and a miss loads the remaining plugins and retries.
    """
    if format_name is not None and formats.load_library_plugin(type_):
        return formats.select(kind, format_name, type_)
    chosen = formats.pick(kind, list(adapter_classes), type_)
    if chosen is None and format_name is not None:
        chosen = formats.select(kind, format_name, type_)
    return chosen


def _format_of(adapter_classes: Sequence[type]) -> str | None:
    return adapter_classes[0].name() if adapter_classes else None


# --------------------------------------------------------------------------------------------
# Node builders, shared with hamilton.io.materialization
# --------------------------------------------------------------------------------------------


def loader_tags(format_name: str, classname: str, target: str, has_metadata: bool) -> dict[str, Any]:
    return {
        LOADER_TAG: True,
        LOADER_HAS_METADATA_TAG: has_metadata,
        LOADER_SOURCE_TAG: format_name,
        LOADER_CLASSNAME_TAG: classname,
        LOADER_NODE_TAG: target,
    }


def saver_tags(sink: str, classname: str) -> dict[str, Any]:
    return {SAVER_TAG: True, SAVER_SINK_TAG: sink, SAVER_CLASSNAME_TAG: classname}


def loaded_type(type_: Any) -> Any:
    """The declared type of a ``load_data`` node (1.x declares metadata first, though the value is
    ``(data, metadata)``; kept for graphs and tools that read it)."""
    return tuple[dict[str, Any], type_]


def load_node(name: str, factory: AdapterFactory, type_: Any, target: str, origin: Callable | None) -> Node:
    """The node that runs the loader and returns ``(value, metadata)``."""
    format_name = factory.adapter_cls.name()
    described = describe_function(origin) if origin is not None else ""

    def load_data(**upstream: Any) -> tuple[Any, dict]:
        return run_loader(factory.create(**upstream), type_, name, format_name, described)

    return Node(
        name,
        loaded_type(type_),
        callabl=load_data,
        input_types=factory.upstream_types(),
        tags=loader_tags(format_name, factory.adapter_cls.__qualname__, target, True),
        originating_functions=(origin,) if origin is not None else None,
    )


def select_node(name: str, load_node_: Node, type_: Any, tags: dict[str, Any], origin: Callable | None) -> Node:
    """The node returning the value part of a loader's ``(value, metadata)``."""
    source = load_node_.name

    def select_data(**loaded: Any) -> Any:
        return loaded[source][0]

    return Node(
        name,
        type_,
        callabl=select_data,
        input_types={source: load_node_.type},
        tags=tags,
        originating_functions=(origin,) if origin is not None else None,
    )


def save_node(
    name: str, factory: AdapterFactory | SaverByValueType, saved: str, saved_type: Any, origin: Callable | None
) -> Node:
    """The node that saves the value of node ``saved`` and returns the saver's metadata."""
    if factory.adapter_cls is not None:
        format_name, classname = factory.adapter_cls.name(), factory.adapter_cls.__qualname__
    else:
        format_name, classname = factory.format_name, f"({factory.format_name} saver chosen by value type)"
    described = describe_function(origin) if origin is not None else ""

    def save_data(**values: Any) -> Any:
        value = values[saved]
        return run_saver(factory.for_value(value).create(**values), value, name, format_name, described)

    return Node(
        name,
        dict[str, Any],
        callabl=save_data,
        input_types={**factory.upstream_types(), saved: saved_type},
        tags=saver_tags(format_name, classname),
        originating_functions=(origin,) if origin is not None else None,
    )


# --------------------------------------------------------------------------------------------
# load_from
# --------------------------------------------------------------------------------------------


def _parameters(fn: Callable) -> dict[str, Any]:
    """Parameter name -> annotation (``Any`` when missing), without ``*args``/``**kwargs``."""
    parameters, _ = read_signature(fn)
    return {
        name: Any if annotation is NO_DEFAULT else annotation
        for name, annotation, _, variadic in parameters
        if not variadic
    }


class LoadFromDecorator(NodeInjector):
    """Feeds one parameter of the function from a loader (``load_from.<format>(...)``)."""

    def __init__(self, loader_classes: Sequence[type], inject_: str | None = None, **kwargs: Any):
        self.loader_classes = list(loader_classes)
        self.inject = inject_
        self.kwargs = kwargs

    def _target(self, fn: Callable) -> tuple[str, Any]:
        parameters = _parameters(fn)
        if not parameters:
            raise InvalidDecoratorException(
                f"The function: {fn.__qualname__} has no parameters. load_from injects loaded data into a "
                f"parameter: add one to {describe_function(fn)}."
            )
        if self.inject is not None:
            if self.inject not in parameters:
                raise InvalidDecoratorException(
                    f"Invalid inject parameter: {self.inject} for fn: {fn.__qualname__}. Choose one of its "
                    f"parameters: {list(parameters)}."
                )
            return self.inject, parameters[self.inject]
        if len(parameters) != 1:
            raise InvalidDecoratorException(
                "If you have multiple parameters in the signature, you must pass `inject_` to the load_from "
                f"decorator for function: {fn.__qualname__}"
            )
        return next(iter(parameters.items()))

    def _factory(self, fn: Callable) -> tuple[str, Any, AdapterFactory]:
        param, type_ = self._target(fn)
        loader_cls = resolve_adapter_class(type_, self.loader_classes, "loader", _format_of(self.loader_classes))
        if loader_cls is None:
            raise InvalidDecoratorException(
                f"No loader class found for type: {type_} specified by parameter: {param} in function: "
                f"{fn.__qualname__}"
            )
        return param, type_, AdapterFactory(loader_cls, **self.kwargs)

    def validate(self, fn: Callable) -> None:
        self._factory(fn)

    def inject_nodes(
        self, params: dict[str, type], config: dict[str, Any], fn: Callable
    ) -> tuple[list[Node], dict[str, str]]:
        param, type_, factory = self._factory(fn)
        if param not in params:
            raise InvalidDecoratorException(
                f"Parameter {param!r} of {describe_function(fn)} is already fed by another decorator; "
                "load_from needs a parameter that is still a dependency."
            )
        loaded = load_node(f"{fn.__name__}.load_data.{param}", factory, type_, param, fn)
        tags = {**loaded.tags, LOADER_HAS_METADATA_TAG: False}
        selected = select_node(f"{fn.__name__}.select_data.{param}", loaded, type_, tags, fn)
        return [loaded, selected], {param: selected.name}


class _FormatAccess(type):
    """``load_from.json`` / ``save_to.csv``: attribute access by format name."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):  # dunder and private probes (pickle, inspect, pytest) are not formats
            raise AttributeError(name)
        return cls._for_format(name)

    def __dir__(cls) -> list[str]:
        return sorted({*super().__dir__(), *formats.names(cls._kind)})


class load_from(metaclass=_FormatAccess):
    """``@load_from.<format>(inject_=None, **arguments)``: feed a parameter from a loader.

    ::

        @load_from.json(path=source("config_path"))
        def settings(config: dict) -> dict:
            return config
    """

    _kind = "loader"

    @classmethod
    def _for_format(cls, name: str) -> Callable[..., LoadFromDecorator]:
        classes = formats.classes("loader", name)
        if not classes:
            raise AttributeError(
                f"No loader named: {name} available for load_from. Available loaders are: "
                f"{formats.names('loader')}. If you've gotten to this point, you either (1) spelled the loader "
                "name wrong, (2) are trying to use a loader that does not exist (yet): install the plugin "
                "providing it, or register your own with hamilton.registry.register_adapter()."
            )

        def decorator(inject_: str | None = None, **kwargs: Any) -> LoadFromDecorator:
            return LoadFromDecorator(classes, inject_=inject_, **kwargs)

        decorator.__name__ = decorator.__qualname__ = f"load_from.{name}"
        return decorator


# --------------------------------------------------------------------------------------------
# save_to
# --------------------------------------------------------------------------------------------


class SaveToDecorator(NodeTransformer):
    """Adds a node saving the function's result (``save_to.<format>(...)``); the result stays a node."""

    def __init__(
        self, saver_classes_: Sequence[type], output_name_: str | None = None, target_: str | None = None, **kwargs: Any
    ):
        super().__init__(target=target_)
        self.saver_classes = list(saver_classes_)
        self.output_name = output_name_
        self.kwargs = kwargs

    def validate(self, fn: Callable) -> None:
        """Nothing to check yet: the saver class, and so its arguments, depend on the node's type,
        known when the graph is built (where 1.x reports these errors too)."""

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        factory = saver_factory(node_.type, self.saver_classes, self.kwargs)
        if factory is None:
            raise InvalidDecoratorException(
                f"No saver class found for type: {node_.type} specified by output type: {node_.type} in node: "
                f"{node_.name} generated by function: {fn.__qualname__}."
            )
        name = self.output_name or f"save.{node_.name}"
        return [node_, save_node(name, factory, node_.name, node_.type, fn)]


class save_to(metaclass=_FormatAccess):
    """``@save_to.<format>(output_name_=None, target_=None, **arguments)``: save the result too.

    ::

        @save_to.json(path=source("report_path"))
        def report(totals: dict) -> dict:
            return totals
    """

    _kind = "saver"

    @classmethod
    def _for_format(cls, name: str) -> Callable[..., SaveToDecorator]:
        classes = formats.classes("saver", name)
        if not classes:
            raise AttributeError(
                f"No saver named: {name} available for save_to. Available data savers are: "
                f"{formats.names('saver')}. If you've gotten to this point, you either (1) spelled the saver "
                "name wrong, (2) are trying to use a saver that does not exist (yet): install the plugin "
                "providing it, or register your own with hamilton.registry.register_adapter()."
            )

        def decorator(output_name_: str | None = None, target_: str | None = None, **kwargs: Any) -> SaveToDecorator:
            return SaveToDecorator(classes, output_name_=output_name_, target_=target_, **kwargs)

        decorator.__name__ = decorator.__qualname__ = f"save_to.{name}"
        return decorator


# --------------------------------------------------------------------------------------------
# dataloader / datasaver
# --------------------------------------------------------------------------------------------


def _return_annotation(fn: Callable) -> Any:
    return read_signature(fn)[1]


class dataloader(NodeCreator):
    """A function returning ``(value, metadata)`` is a loader: nodes ``<fn>.loader`` (the pair)
    and ``<fn>`` (the value, typed by the first element of the return annotation)."""

    def validate(self, fn: Callable) -> None:
        annotation = _return_annotation(fn)
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is not tuple or not args:
            raise InvalidDecoratorException(f"Function: {fn.__qualname__} must return a tuple.")
        if len(args) != 2:
            raise InvalidDecoratorException(f"Function: {fn.__qualname__} must return a tuple of length 2.")
        metadata = args[1]
        if not (metadata is dict or typing.get_origin(metadata) is dict):
            raise InvalidDecoratorException(
                f"Function: {fn.__qualname__} must return a tuple of type (SOME_TYPE, dict)."
            )
        key_type = typing.get_args(metadata)[:1]
        if key_type and key_type[0] is not str:
            raise InvalidDecoratorException(
                f"Function: {fn.__qualname__} must return a tuple of type (SOME_TYPE, dict[str, ...]). Instead got "
                f"(SOME_TYPE, dict[{key_type[0]}, ...]"
            )

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        name = fn.__name__
        value_type = typing.get_args(_return_annotation(fn))[0]
        raw = Node.from_fn(fn, name=f"{name}.loader")
        for tag, value in loader_tags("loader", f"{name}()", name, True).items():
            raw.add_tag(tag, value)
        value_node = select_node(name, raw, value_type, loader_tags(name, f"{name}()", name, False), fn)
        return [raw, value_node]


class datasaver(NodeCreator):
    """A function that saves its inputs and returns metadata (annotated ``-> dict``) is a saver."""

    def validate(self, fn: Callable) -> None:
        annotation = _return_annotation(fn)
        if annotation is NO_DEFAULT:
            raise InvalidDecoratorException(f"Function: {fn.__qualname__} must have a return annotation.")
        if annotation is not dict:  # 1.x accepts exactly `dict` (not dict[str, Any])
            raise InvalidDecoratorException(f"Function: {fn.__qualname__} must return a dict.")

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        node_ = Node.from_fn(fn)
        for tag, value in saver_tags(fn.__name__, f"{fn.__name__}()").items():
            node_.add_tag(tag, value)
        return [node_]


__all__ = [
    "AdapterFactory",
    "LoadFromDecorator",
    "SaveToDecorator",
    "dataloader",
    "datasaver",
    "load_from",
    "resolve_adapter_class",
    "resolve_kwargs",
    "save_to",
]
