"""How decorators say where a parameter's value comes from.

* ``value(v)`` — a literal: the parameter is bound to ``v`` and is no longer a dependency;
* ``source("node")`` — another node (or input): the parameter is rewired to depend on it;
* ``group(source("a"), value(1))`` / ``group(x=source("a"))`` — a list/dict of those, for a
  parameter annotated ``list[T]`` / ``dict[str, T]``;
* ``configuration("key")`` — a config value (only meaningful in ``subdag(config=...)``).
"""

from __future__ import annotations

import abc
import collections.abc
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


def _without_optional(annotation: Any) -> Any:
    """``T`` for ``Optional[T]`` / ``T | None``; the annotation itself otherwise."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        candidates = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(candidates) == 1:
            return candidates[0]
    return annotation


def _is_subclass(origin: Any, parent: type) -> bool:
    return isinstance(origin, type) and issubclass(origin, parent)


def _list_element_type(annotation: Any, param_name: str) -> Any:
    """``T`` of a sequence annotation with exactly one type argument (``list[T]``, ``Sequence[T]``).

    A bare ``list``/``List`` is refused, as in 1.x: without the element type the types of the
    grouped dependencies cannot be checked.
    """
    annotation = _without_optional(annotation)
    origin = typing.get_origin(annotation) or annotation
    args = typing.get_args(annotation)
    if not _is_subclass(origin, collections.abc.Sequence):
        raise InvalidDecoratorException(
            f"Type: {annotation} for parameter: {param_name} needs to be sequence to use the group() "
            "dependency specification (e.g. list[int]). Otherwise Hamilton cannot validate that the types "
            "are correct."
        )
    if len(args) != 1 or args[0] is Ellipsis:
        raise InvalidDecoratorException(
            f"Type: {annotation} for parameter: {param_name} needs to be sequence with one type argument to use "
            "the group() dependency specification (e.g. list[int]). Otherwise Hamilton cannot validate that the "
            "types are correct."
        )
    return args[0]


def _dict_element_type(annotation: Any, param_name: str) -> Any:
    """``T`` of a mapping annotation with ``str`` keys (``dict[str, T]``, ``Mapping[str, T]``).

    A bare ``dict``/``Dict`` or non-``str`` keys are refused, as in 1.x: group(**kwargs) makes
    string keys, and the value type is needed to check the grouped dependencies.
    """
    annotation = _without_optional(annotation)
    origin = typing.get_origin(annotation) or annotation
    args = typing.get_args(annotation)
    if not _is_subclass(origin, collections.abc.Mapping):
        raise InvalidDecoratorException(
            f"Type: {annotation} for parameter: {param_name} needs to be a mapping type to use the group() "
            "dependency specification with **kwargs (e.g. dict[str, int]). Otherwise Hamilton cannot validate "
            "that the types are correct!"
        )
    if len(args) != 2 or args[0] is not str:
        raise InvalidDecoratorException(
            f"Type: {annotation} for parameter: {param_name} needs to be a mapping with types [str, Type] to use "
            "the group() dependency specification with **kwargs (e.g. dict[str, int]). Otherwise Hamilton cannot "
            "validate that the types are correct."
        )
    return args[1]


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
        return _list_element_type(annotation, param_name)

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.GROUPED_LIST


@dataclasses.dataclass
class GroupedDictDependency(GroupedDependency):
    sources: dict[str, ParametrizedDependency]

    @classmethod
    def resolve_dependency_type(cls, annotation: Any, param_name: str) -> Any:
        return _dict_element_type(annotation, param_name)

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


def _validate_group_params(
    dependency_args: typing.Sequence[ParametrizedDependency], dependency_kwargs: dict[str, ParametrizedDependency]
) -> None:
    """Raise unless exactly one of ``dependency_args``/``dependency_kwargs`` is given and every
    member is a ``value(...)``/``source(...)``.

    The check behind :func:`group`; kept importable under 1.x's private name for 1.x compatibility.
    """
    if dependency_args and dependency_kwargs:
        raise InvalidDecoratorException(
            "group() can either represent a dictionary or a list of dependencies, not both!"
        )
    if not dependency_args and not dependency_kwargs:
        raise InvalidDecoratorException("Either dependency_args or dependency_kwargs must be non-empty for group()!")
    for dependency in (*dependency_args, *dependency_kwargs.values()):
        if not isinstance(dependency, (LiteralDependency, UpstreamDependency)):
            raise InvalidDecoratorException(
                f"Dependency: {dependency} is not a valid dependency type for group(), must be a "
                "LiteralDependency or UpstreamDependency (use value(...) or source(...))."
            )


def group(*dependency_args: ParametrizedDependency, **dependency_kwargs: ParametrizedDependency) -> GroupedDependency:
    """A list (positional) or dict (keywords) of ``value``/``source`` dependencies."""
    _validate_group_params(dependency_args, dependency_kwargs)
    if dependency_args:
        return GroupedListDependency(sources=list(dependency_args))
    return GroupedDictDependency(sources=dict(dependency_kwargs))
