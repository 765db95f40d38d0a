"""How decorators say where a parameter's value comes from.

* ``value(v)`` — a literal: the parameter is bound to ``v`` and is no longer a dependency;
* ``source("node")`` — another node (or input): the parameter is rewired to depend on it;
* ``group(source("a"), value(1))`` / ``group(x=source("a"))`` — a list/dict of those, for a
  parameter annotated ``list[T]`` / ``dict[str, T]``;
* ``configuration("key")`` — a config value (only meaningful in ``subdag(config=...)``).
"""

from __future__ import annotations

import abc
import dataclasses
import enum
import types
import typing
from typing import Any

from hamilton.function_modifiers.base import InvalidDecoratorException


class ParametrizedDependencySource(enum.Enum):
    LITERAL = "literal"
    UPSTREAM = "upstream"
    GROUPED_LIST = "grouped_list"
    GROUPED_DICT = "grouped_dict"
    CONFIGURATION = "configuration"


class ParametrizedDependency:
    """Where a parameter's value comes from."""

    def get_dependency_type(self) -> ParametrizedDependencySource:
        raise NotImplementedError


class SingleDependency(ParametrizedDependency, abc.ABC):
    """One value: a literal, a node, or a config key."""


@dataclasses.dataclass
class LiteralDependency(SingleDependency):
    value: Any

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.LITERAL


@dataclasses.dataclass
class UpstreamDependency(SingleDependency):
    source: str

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.UPSTREAM


@dataclasses.dataclass
class ConfigDependency(SingleDependency):
    source: str

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.CONFIGURATION


def _element_type(annotation: Any, containers: tuple[type, ...], param_name: str, form: str) -> Any:
    """``T`` of ``list[T]``/``dict[str, T]`` (``Optional[...]`` allowed), or an error."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        candidates = [arg for arg in args if arg is not type(None)]
        if len(candidates) == 1:
            return _element_type(candidates[0], containers, param_name, form)
    origin = typing.get_origin(annotation) or annotation
    if origin in containers:
        return args[-1] if args else Any
    raise InvalidDecoratorException(
        f"Type annotation for {param_name} is {annotation}. All parameters with a group() "
        f"parameterization must be annotated as a {form}: e.g. {form}[int]."
    )


class GroupedDependency(ParametrizedDependency, abc.ABC):
    """Several dependencies gathered into one list or dict parameter."""

    @classmethod
    @abc.abstractmethod
    def resolve_dependency_type(cls, annotation: Any, param_name: str) -> Any:
        """The element type of the parameter's annotation (or an InvalidDecoratorException)."""


@dataclasses.dataclass
class GroupedListDependency(GroupedDependency):
    sources: list[ParametrizedDependency]

    @classmethod
    def resolve_dependency_type(cls, annotation: Any, param_name: str) -> Any:
        return _element_type(annotation, (list, typing.List, typing.Sequence), param_name, "list")  # noqa: UP006

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.GROUPED_LIST


@dataclasses.dataclass
class GroupedDictDependency(GroupedDependency):
    sources: dict[str, ParametrizedDependency]

    @classmethod
    def resolve_dependency_type(cls, annotation: Any, param_name: str) -> Any:
        return _element_type(annotation, (dict, typing.Dict, typing.Mapping), param_name, "dict")  # noqa: UP006

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.GROUPED_DICT


def value(literal_value: Any) -> LiteralDependency:
    """A literal value for a parameter."""
    if isinstance(literal_value, LiteralDependency):
        return literal_value
    return LiteralDependency(value=literal_value)


def source(dependency_on: Any) -> UpstreamDependency:
    """Another node (or input) as a parameter's value."""
    if isinstance(dependency_on, UpstreamDependency):
        return dependency_on
    return UpstreamDependency(source=dependency_on)


def configuration(dependency_on: str) -> ConfigDependency:
    """A config value as a parameter's value (in ``subdag(config=...)``)."""
    return ConfigDependency(source=dependency_on)


def _check_member(dependency: Any) -> None:
    if not isinstance(dependency, (LiteralDependency, UpstreamDependency)):
        raise InvalidDecoratorException(
            f"Dependency: {dependency} is not a valid dependency type for group(), must be a "
            "LiteralDependency or UpstreamDependency (use value(...) or source(...))."
        )


def group(*dependency_args: ParametrizedDependency, **dependency_kwargs: ParametrizedDependency) -> GroupedDependency:
    """A list (positional) or dict (keywords) of ``value``/``source`` dependencies."""
    if dependency_args and dependency_kwargs:
        raise InvalidDecoratorException(
            "group() can either represent a dictionary or a list of dependencies, not both!"
        )
    if not dependency_args and not dependency_kwargs:
        raise InvalidDecoratorException("Either dependency_args or dependency_kwargs must be non-empty for group()!")
    for dependency in (*dependency_args, *dependency_kwargs.values()):
        _check_member(dependency)
    if dependency_args:
        return GroupedListDependency(sources=list(dependency_args))
    return GroupedDictDependency(sources=dict(dependency_kwargs))
