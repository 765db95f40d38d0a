"""Metadata decorators: they only add tags to the nodes a function produces.

* ``@tag(owner="me")`` — user tags (validated; some namespaces are reserved for Hamilton);
* ``@tag_outputs(col_a={"owner": "me"})`` — tags per produced node, by name;
* ``@schema.output(("a", "int"), ...)`` — the schema of a dataframe-valued node;
* ``@ray_remote_options(num_gpus=1)`` — options for the Ray executor, JSON-encoded;
* ``@cache(behavior="recompute", format="parquet")`` — caching instructions for the cache.

All are :class:`~hamilton.function_modifiers.base.NodeDecorator`s: they run last, after every
node-creating decorator, and target the function's final nodes unless told otherwise
(``target_``). Stacked tag decorators apply from the ``def`` outwards, so the outer one wins.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import Any, Literal, Union

from hamilton._introspect import describe_function
from hamilton.function_modifiers.base import (
    InvalidDecoratorException,
    NodeDecorator,
    TargetType,
    get_node_decorators,
)
from hamilton.node import Node

TagValue = Union[str, list[str]]

RAY_REMOTE_TAG_NAMESPACE = "ray_remote"
INTERNAL_SCHEMA_OUTPUT_KEY = "hamilton.internal.schema_output"

CACHE_BEHAVIORS = Literal["default", "recompute", "ignore", "disable"]
CACHE_MATERIALIZERS = Literal["json", "file", "pickle", "parquet", "csv", "feather", "orc", "excel"]
_CACHE_BEHAVIOR_VALUES = ("default", "recompute", "ignore", "disable")


def _check_target(target: Any, decorator: str) -> None:
    """Reject a ``target_`` that is not a name, a collection of names, ``None`` or ``...``."""
    if target is None or target is ... or isinstance(target, str):
        return
    if isinstance(target, Collection) and all(isinstance(name, str) for name in target):
        return
    raise InvalidDecoratorException(
        f"Invalid target: {target!r}. target_ of @{decorator} must be a node name, a collection of node "
        "names, None (the function's final nodes) or ... (every node it produces)."
    )


class tag(NodeDecorator):
    """Add tags to the function's final nodes (or to ``target_``).

    Keys are dot-separated paths of Python identifiers (``"team.owner"``) whose first part is
    not a reserved namespace (:attr:`RESERVED_TAG_NAMESPACES`); values are strings or
    non-empty lists of distinct strings. Tags merge into the node's existing tags.

    :param target_: the nodes to tag (default: the function's final nodes, so with
        ``extract_columns`` the columns are tagged but not the dataframe node).
    :param bypass_reserved_namespaces_: allow reserved namespaces (for Hamilton's own use).
    :param tags: the tags.
    """

    RESERVED_TAG_NAMESPACES = ["hamilton", "data_quality", "gdpr", "ccpa", "dag", "module", "ray_remote"]

    def __init__(self, /, *, target_: TargetType = None, bypass_reserved_namespaces_: bool = False, **tags: TagValue):
        _check_target(target_, type(self).__name__)
        super().__init__(target=target_)
        self.tags = tags
        self.bypass_reserved_namespaces = bypass_reserved_namespaces_

    def _key_allowed(self, key: str) -> bool:
        """Whether ``key`` is a valid path of identifiers outside the reserved namespaces."""
        parts = key.split(".")
        if not all(part.isidentifier() for part in parts):
            return False
        return self.bypass_reserved_namespaces or parts[0] not in self.RESERVED_TAG_NAMESPACES

    @staticmethod
    def _value_allowed(value: Any) -> bool:
        """Whether ``value`` is a string or a non-empty list of distinct strings."""
        if isinstance(value, str):
            return True
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(item, str) for item in value)
            and len(set(value)) == len(value)
        )

    def validate(self, fn: Callable) -> None:
        invalid = [
            f"{key}={value}"
            for key, value in self.tags.items()
            if not (self._key_allowed(key) and self._value_allowed(value))
        ]
        if invalid:
            raise InvalidDecoratorException(
                f"The following tags are invalid as tags: {','.join(invalid)} Tag keys can be split by ., to "
                "represent a hierarchy, but each element of the hierarchy must be a valid python identifier. "
                "Paths components also cannot be empty. The value can only be a string, or a list of strings. "
                f"Note that the following top-level prefixes are reserved as well: {self.RESERVED_TAG_NAMESPACES}"
                f" -- on {describe_function(fn)}. Rename the key, or use a string or a non-empty list of "
                "distinct strings as the value."
            )

    def decorate_node(self, node_: Node) -> Node:
        return node_.copy_with(tags={**node_.tags, **self.tags})


class tag_outputs(NodeDecorator):
    """Tag produced nodes by name: ``@tag_outputs(col_a={"owner": "me"}, df={"kind": "raw"})``.

    Every produced node is considered; names that match no node are ignored. As in 1.x the tag
    keys and values are not checked (use :class:`tag` for validated tags).
    """

    def __init__(self, /, **tag_mapping: Mapping[str, TagValue]):
        super().__init__(target=...)
        self.tag_mapping = tag_mapping

    def validate(self, fn: Callable) -> None:
        wrong = {name: tags for name, tags in self.tag_mapping.items() if not isinstance(tags, Mapping)}
        if wrong:
            raise InvalidDecoratorException(
                f"@tag_outputs on {describe_function(fn)} maps node names to tag dictionaries; got "
                f"{wrong}. Write e.g. @tag_outputs(node_name={{'key': 'value'}})."
            )

    def decorate_node(self, node_: Node) -> Node:
        tags = self.tag_mapping.get(node_.name)
        if tags is None:
            return node_
        return node_.copy_with(tags={**node_.tags, **tags})


def _registered_dataframe_types() -> dict[str, Any]:
    """Registered dataframe types by backend name, for error messages (loads every plugin)."""
    from hamilton import plugins

    plugins.load_all()
    by_backend: dict[str, list[type]] = {}
    for type_ in plugins.dataframe_types():
        backend = plugins.dataframe_backend(type_)
        by_backend.setdefault(getattr(backend, "name", type(backend).__name__), []).append(type_)
    return {name: types[0] if len(types) == 1 else types for name, types in by_backend.items()}


class SchemaOutput(tag):
    """What :meth:`schema.output` returns: tags a dataframe node with its schema.

    The tag ``hamilton.internal.schema_output`` holds ``"name=type,..."``. The target must have
    a registered dataframe type (checked when the graph is built); at most one per function.
    """

    def __init__(self, *fields: tuple[str, str], target_: str | None = None):
        for field in fields:
            if not (isinstance(field, (tuple, list)) and len(field) == 2):  # 1.x unpacked lists too
                raise InvalidDecoratorException(
                    f"schema.output takes (name, type) pairs, e.g. schema.output(('a', 'int'), ('b', 'float')); "
                    f"got {field!r}."
                )
        schema_value = ",".join(f"{name}={type_}" for name, type_ in fields)
        super().__init__(
            target_=target_, bypass_reserved_namespaces_=True, **{INTERNAL_SCHEMA_OUTPUT_KEY: schema_value}
        )

    def validate(self, fn: Callable) -> None:
        super().validate(fn)
        # One per function (1.x); checked here rather than through allows_multiple(), which would
        # also forbid every other tag decorator below it in the same step.
        if any(isinstance(d, SchemaOutput) for d in get_node_decorators(fn, {})[self.get_lifecycle_name()]):
            raise ValueError(
                f"Got multiple decorators for decorator @{SchemaOutput}. Only one allowed. "
                f"{describe_function(fn)} has two @schema.output: describe all fields in one."
            )

    def validate_node(self, node_: Node) -> None:
        from hamilton.plugins import dataframe_backend

        if dataframe_backend(node_.type) is None:
            raise InvalidDecoratorException(
                f"Node {node_.name} has type {node_.type} which is not a registered type for a dataset. "
                f"Registered types are {_registered_dataframe_types()}. If you found this, either (a) ensure "
                "you have the right package installed, or (b) reach out to the team to figure out how to add "
                f"yours. The node is defined at {node_.location()}; point target_ at the node returning the "
                "dataframe (with extract_columns the default targets the columns, not the dataframe)."
            )


class schema:
    """Schema annotations: ``@schema.output(("a", "int"), ("b", "float"))``."""

    INTERNAL_SCHEMA_OUTPUT_KEY = INTERNAL_SCHEMA_OUTPUT_KEY

    @staticmethod
    def output(*fields: tuple[str, str], target_: str | None = None) -> SchemaOutput:
        """Declare the columns of a dataframe-valued node as ``(name, type)`` pairs.

        :param fields: ``(column name, type name)`` pairs, in order.
        :param target_: the node to annotate (default: the function's final node).
        """
        return SchemaOutput(*fields, target_=target_)


class RayRemote(tag):
    """Tags ``ray_remote.<option> = json.dumps(value)``, read by the Ray executor."""

    def __init__(self, /, **options: int | dict[str, int]):
        tags = {}
        for option, value in options.items():
            try:
                tags[f"{RAY_REMOTE_TAG_NAMESPACE}.{option}"] = json.dumps(value)
            except TypeError as error:
                raise TypeError(
                    f"{error}. ray_remote_options({option}=...) values must be JSON-serializable."
                ) from error
        super().__init__(bypass_reserved_namespaces_=True, **tags)


def ray_remote_options(**kwargs: int | dict[str, int]) -> RayRemote:
    """Options for ``ray.remote`` when the node runs on Ray: ``@ray_remote_options(num_gpus=1)``."""
    return RayRemote(**kwargs)


class cache(NodeDecorator):
    """Tell the cache how to treat nodes: ``@cache(behavior="recompute", format="parquet")``.

    Only tags the nodes (``cache.behavior``, ``cache.format``); the caching engine reads them.

    :param behavior: ``"default"``, ``"recompute"``, ``"ignore"`` or ``"disable"`` (any case).
    :param format: the name of a registered saver/loader pair to store results with.
    :param target_: the nodes to tag (default: every node the function produces).
    """

    BEHAVIOR_KEY = "cache.behavior"
    FORMAT_KEY = "cache.format"

    def __init__(
        self,
        *,
        behavior: CACHE_BEHAVIORS | None = None,
        format: CACHE_MATERIALIZERS | str | None = None,  # 1.x's parameter name
        target_: TargetType = ...,
    ):
        _check_target(target_, "cache")
        super().__init__(target=target_)
        self.cache_tags: dict[str, str] = {}
        if behavior is not None:
            self.cache_tags[cache.BEHAVIOR_KEY] = behavior
        if format is not None:
            self.cache_tags[cache.FORMAT_KEY] = format

    def validate(self, fn: Callable) -> None:
        behavior = self.cache_tags.get(cache.BEHAVIOR_KEY)
        if behavior is not None and (not isinstance(behavior, str) or behavior.lower() not in _CACHE_BEHAVIOR_VALUES):
            raise InvalidDecoratorException(
                f"{behavior} is an invalid `CachingBehavior` value. @cache on {describe_function(fn)} takes "
                f"behavior= one of {list(_CACHE_BEHAVIOR_VALUES)} (any case)."
            )
        format_ = self.cache_tags.get(cache.FORMAT_KEY)
        if format_ is not None and not isinstance(format_, str):
            raise InvalidDecoratorException(
                f"@cache on {describe_function(fn)} takes format= as the name of a saver/loader pair "
                f"(e.g. 'json', 'parquet'); got {format_!r}."
            )

    def decorate_node(self, node_: Node) -> Node:
        return node_.copy_with(tags={**node_.tags, **self.cache_tags})
