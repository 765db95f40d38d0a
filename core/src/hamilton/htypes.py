"""Type utilities: the rules that decide whether one node may feed another, and input checks.

These are Hamilton 1.x's compatibility rules, implemented on :mod:`typing` alone (no
``typing_inspect``/``typing_extensions``):

* an edge ``producer -> consumer parameter`` is accepted by :func:`types_match`;
* a value given by the user for an external input is accepted by :func:`check_input_type`;
* :func:`check_instance` is the deep runtime check used by type-checking adapters.
"""

from __future__ import annotations

import collections.abc
import types
import typing
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar, Union, get_args, get_origin

_T = TypeVar("_T")
SequentialElement = TypeVar("SequentialElement", covariant=True)
ParallelizableElement = TypeVar("ParallelizableElement", covariant=True)
CollectElement = TypeVar("CollectElement", covariant=True)

# typing.Annotated is the same object as typing_extensions.Annotated on every supported Python.
column = typing.Annotated
_ANNOTATED = typing.Annotated

_UNION_TYPES: tuple = (Union, types.UnionType)
_LITERAL = typing.Literal


class InvalidTypeException(Exception):
    """An annotation Hamilton cannot use (e.g. a malformed ``column[...]`` annotation)."""


class Parallelizable(Iterable[ParallelizableElement], Protocol[ParallelizableElement]):
    """Return annotation of a node whose items fan out into parallel branches.

    The function may ``yield`` items or return any iterable of them.
    """


class Collect(Iterable[CollectElement], Protocol[CollectElement]):
    """Parameter annotation of the node that gathers the items of a parallel block."""


def is_parallelizable_type(type_: Any) -> bool:
    """True for ``Parallelizable[...]`` (and the bare class)."""
    return type_ is Parallelizable or get_origin(type_) is Parallelizable


def is_collect_type(type_: Any) -> bool:
    """True for ``Collect[...]`` (and the bare class)."""
    return type_ is Collect or get_origin(type_) is Collect


def get_type_information(type_: Any) -> tuple[Any, list]:
    """Split ``Annotated[base, *metadata]`` into ``(base, [metadata...])``; other types pass."""
    if get_origin(type_) is _ANNOTATED:
        base, *metadata = get_args(type_)
        return base, list(metadata)
    return type_, []


def _column_types(base: Any) -> set[Any]:
    """Column types of the registered dataframe backends (loading the plugin of ``base``'s library)."""
    from hamilton import plugins

    if isinstance(base, type):
        plugins.load((base.__module__ or "").partition(".")[0])
    column_types = set()
    for frame_type in plugins.dataframe_types():
        backend = plugins.dataframe_backend(frame_type)
        type_for = getattr(backend, "column_type_for", None)
        column_type = type_for(frame_type) if type_for is not None else getattr(backend, "column_type", None)
        if column_type is not None:
            column_types.add(column_type)
    return column_types


def validate_type_annotation(annotation: Any) -> bool:
    """Check a legacy ``column[SeriesType, element_type]`` annotation (other types pass).

    The base must be the column type of a registered dataframe backend (e.g. ``pd.Series``),
    with exactly one annotation: a subclass of ``int``, ``float``, ``str`` or ``bool``.
    """
    base, metadata = get_type_information(annotation)
    if not metadata:
        return True
    if base not in _column_types(base):
        raise InvalidTypeException(
            f"Hamilton only accepts annotated types of series or equivalent. Got {base}. Annotate a "
            "column type of an installed dataframe plugin, e.g. column[pd.Series, int]."
        )
    element = metadata[0]
    if len(metadata) != 1 or not (isinstance(element, type) and issubclass(element, (int, float, str, bool))):
        raise InvalidTypeException(
            f"Hamilton only accepts one annotation, a subclass of int, float, str or bool, on {base}. Got {metadata}."
        )
    return True


def _strip_annotated(type_: Any) -> Any:
    while get_origin(type_) is _ANNOTATED:
        type_ = get_args(type_)[0]
    return type_


def _is_union(type_: Any) -> bool:
    return get_origin(type_) in _UNION_TYPES


def _safe_issubclass(candidate: Any, parent: Any) -> bool:
    try:
        return isinstance(candidate, type) and issubclass(candidate, parent)
    except TypeError:  # protocols, special forms...
        return False


def _generic_model_origin(type_: Any) -> Any:
    """``Model`` for a parametrized pydantic generic model ``Model[int]`` (a subclass pydantic
    creates, not a typing alias), else ``None``; read from the class, never importing pydantic."""
    metadata = getattr(type_, "__pydantic_generic_metadata__", None) if isinstance(type_, type) else None
    return metadata.get("origin") if isinstance(metadata, dict) else None


def custom_subclass_check(requested_type: Any, param_type: Any) -> bool:
    """Whether a value of ``requested_type`` (producer) can be passed as ``param_type``.

    Accepts subclasses, ``Union``/``Optional`` members, ``Parallelizable``/``Collect`` element
    types, ``Annotated`` on either side, and generics whose origins are subclasses; type
    arguments are compared only when both sides have them.
    """
    requested_type = _strip_annotated(requested_type)
    param_type = _strip_annotated(param_type)
    if param_type is Any or requested_type == param_type:
        return True
    if get_origin(requested_type) is Parallelizable:
        return custom_subclass_check(get_args(requested_type)[0], param_type)
    if get_origin(param_type) is Collect:
        return custom_subclass_check(requested_type, get_args(param_type)[0])
    if _is_union(param_type):
        if _is_union(requested_type):
            return all(custom_subclass_check(member, param_type) for member in get_args(requested_type))
        return any(custom_subclass_check(requested_type, member) for member in get_args(param_type))
    model_origin = _generic_model_origin(param_type)
    if model_origin is not None and requested_type is model_origin:
        return True  # a generic pydantic model feeds its parametrized form, as list feeds list[int]
    requested_origin = get_origin(requested_type) or requested_type
    param_origin = get_origin(param_type) or param_type
    if not _safe_issubclass(requested_origin, param_origin):
        return False
    requested_args, param_args = get_args(requested_type), get_args(param_type)
    if requested_args and param_args:
        return requested_args == param_args
    return True


def types_match(param_type: Any, required_node_type: Any) -> bool:
    """Whether a node of type ``required_node_type`` may feed a parameter of ``param_type``."""
    if required_node_type is Any or param_type == required_node_type:
        return True
    if isinstance(param_type, TypeVar) or isinstance(required_node_type, TypeVar):
        return False
    return custom_subclass_check(required_node_type, param_type)


# Abstract collections: a value that is an instance is judged by its first element.
_ABSTRACT_COLLECTIONS = (
    collections.abc.Iterable,
    collections.abc.Collection,
    collections.abc.Sequence,
    collections.abc.MutableSequence,
    collections.abc.Set,
    collections.abc.MutableSet,
    frozenset,
)
_MISSING = object()


def _first_element(value: Any) -> Any:
    """The first element of a collection (``_MISSING`` when empty or a one-shot iterator)."""
    if isinstance(value, collections.abc.Sequence):
        return value[0] if len(value) else _MISSING
    if iter(value) is value:  # an iterator: peeking would consume the user's data
        return _MISSING
    return next(iter(value), _MISSING)


def check_input_type(node_type: Any, input_value: Any) -> bool:
    """Whether a user-supplied ``input_value`` is acceptable for an input of ``node_type``.

    Like 1.x this is a shallow check: a value whose type is the annotation's origin passes
    (``list[int]`` accepts any list); other collections are judged by their first element
    (``Sequence[int]`` rejects ``["a"]``; as in 1.x, any sequence may stand in for a
    ``list[...]`` and any iterable for a ``set[...]``). ``None``
    handling is up to the caller (the driver always accepts it).
    """
    node_type = _strip_annotated(node_type)
    if node_type is Any or isinstance(node_type, TypeVar):
        return True
    origin = get_origin(node_type)
    if origin is None:
        supertype = getattr(node_type, "__supertype__", None)  # typing.NewType
        if supertype is not None:
            return check_input_type(supertype, input_value)
        try:
            return isinstance(input_value, node_type)
        except TypeError:  # a non-runtime Protocol or another form isinstance cannot check
            return True
    if origin in _UNION_TYPES:
        return any(check_input_type(member, input_value) for member in get_args(node_type))
    if origin is _LITERAL:
        return input_value in get_args(node_type)
    if origin is Parallelizable or origin is Collect:
        return isinstance(input_value, collections.abc.Iterable)
    if type(input_value) is origin:
        return True
    if origin is list:
        container_ok = isinstance(input_value, collections.abc.Sequence)
    elif origin is set:
        container_ok = isinstance(input_value, collections.abc.Iterable)
    elif origin in _ABSTRACT_COLLECTIONS:
        container_ok = _safe_isinstance(input_value, origin)
    else:
        return _safe_isinstance(input_value, origin)
    args = get_args(node_type)
    if not container_ok or not args:
        return container_ok
    first = _first_element(input_value)
    return first is _MISSING or check_input_type(args[0], first)


def _safe_isinstance(value: Any, class_: Any) -> bool:
    try:
        return isinstance(value, class_)
    except TypeError:
        return True


def check_instance(obj: Any, type_: Any) -> bool:
    """Deep runtime check of ``obj`` against ``type_`` (element types of containers included)."""
    type_ = _strip_annotated(type_)
    if type_ is Any or isinstance(type_, TypeVar):
        return True
    if type_ is None or type_ is type(None):
        return obj is None
    origin = get_origin(type_)
    if origin is None:
        supertype = getattr(type_, "__supertype__", None)
        if supertype is not None:
            return check_instance(obj, supertype)
        return _safe_isinstance(obj, type_)
    args = get_args(type_)
    if origin in _UNION_TYPES:
        return any(check_instance(obj, member) for member in args)
    if origin is _LITERAL:
        return obj in args
    if not _safe_isinstance(obj, origin):
        return False
    if not args:
        return True
    if isinstance(obj, collections.abc.Mapping):
        key_type, value_type = (args + (Any, Any))[:2]
        return all(check_instance(k, key_type) and check_instance(v, value_type) for k, v in obj.items())
    if isinstance(obj, tuple) and origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return all(check_instance(item, args[0]) for item in obj)
        return len(args) == len(obj) and all(check_instance(item, arg) for item, arg in zip(obj, args))
    if isinstance(obj, (list, set, frozenset, collections.abc.Sequence)) and not isinstance(obj, (str, bytes)):
        return all(check_instance(item, args[0]) for item in obj)
    return True


def get_type_as_string(type_: Any) -> str | None:
    """A short readable name: ``int``, ``DataFrame``, ``list`` for ``list[int]``, ``Optional``."""
    type_ = _strip_annotated(type_)
    name = getattr(type_, "__name__", None)
    if name is not None:
        return name
    name = getattr(type_, "_name", None)  # typing special forms and aliases (Optional, Dict)
    if name is not None:
        return name
    origin = get_origin(type_)
    if origin is not None:
        return get_type_as_string(origin)
    return repr(type_)


def type_repr(type_: Any) -> str:
    """A full, readable rendering of a type for error messages (``list[int]``, ``m.Child``)."""
    if isinstance(type_, type) and not get_args(type_):
        module = type_.__module__
        return type_.__qualname__ if module == "builtins" else f"{module}.{type_.__qualname__}"
    return repr(type_).replace("typing.", "")
