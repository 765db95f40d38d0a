"""Loaders and savers: classes that move a node's value from and to the outside world.

A loader or saver is a class with

* classmethods ``name()`` (the format users ask for: ``"json"``, ``"csv"``...) and
  ``applicable_types()`` (the types it reads or writes; ``Any`` makes it a fallback);
* a constructor whose parameters are its arguments: ``to.json(path=...)`` and
  ``load_from.json(path=...)`` pass them by keyword. Parameters without a default are required,
  the others optional, and a ``**kwargs`` parameter accepts any further keyword;
* ``load_data(self, type_) -> (value, metadata)`` or ``save_data(self, data) -> metadata``,
  where ``metadata`` is a dict describing what was read or written (path, size...).

The arguments are read from the constructor's signature, so a plain class works, and so do
1.x's ``@dataclasses.dataclass`` subclasses of :class:`DataLoader`/:class:`DataSaver` (a
dataclass's constructor is its fields). Subclassing :class:`DataLoader`/:class:`DataSaver`
supplies ``can_load``/``can_save`` and the type matching of ``applies_to``.
"""

from __future__ import annotations

import abc
import weakref
from collections.abc import Collection
from typing import Any, NamedTuple, Union

from hamilton._introspect import NO_DEFAULT, describe_function, read_signature
from hamilton.htypes import custom_subclass_check


class AdapterArguments(NamedTuple):
    """What a loader/saver constructor accepts: name -> annotation (``Any`` when absent)."""

    required: dict[str, Any]
    optional: dict[str, Any]
    accepts_any: bool  # the constructor has **kwargs

    def names(self) -> list[str]:
        return [*self.required, *self.optional]


_arguments_cache: weakref.WeakKeyDictionary[type, AdapterArguments] = weakref.WeakKeyDictionary()


def adapter_arguments(cls: type) -> AdapterArguments:
    """The arguments of loader/saver class ``cls``, read from its constructor's signature."""
    cached = _arguments_cache.get(cls)
    if cached is not None:
        return cached
    required: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    accepts_any = False
    init = cls.__init__
    if init is not object.__init__:
        try:
            parameters, _ = read_signature(init)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"Cannot read the constructor arguments of {cls.__qualname__} "
                f"({describe_function(init)}): {error}. Give it a plain __init__ with keyword parameters."
            ) from error
        for index, (name, annotation, default, variadic) in enumerate(parameters):
            if index == 0:  # self
                continue
            if variadic:
                accepts_any = accepts_any or _is_var_keyword(init, name)
                continue
            annotation = Any if annotation is NO_DEFAULT else annotation
            (required if default is NO_DEFAULT else optional)[name] = annotation
    arguments = AdapterArguments(required, optional, accepts_any)
    _arguments_cache[cls] = arguments
    return arguments


def _is_var_keyword(init: Any, name: str) -> bool:
    """Whether variadic parameter ``name`` of ``init`` is ``**kwargs`` (not ``*args``)."""
    import inspect

    return inspect.signature(init).parameters[name].kind is inspect.Parameter.VAR_KEYWORD


def declares_any(cls: type) -> bool:
    """Whether ``cls`` lists ``Any`` among its types: it is then a fallback for every type."""
    return any(type_ is Any for type_ in cls.applicable_types())


def loader_applies(cls: type, type_: Any) -> bool:
    """Whether loader ``cls`` produces values usable as ``type_`` (its own ``applies_to`` first)."""
    applies_to = getattr(cls, "applies_to", None)
    if applies_to is not None:
        return bool(applies_to(type_))
    return _loads_into(cls.applicable_types(), type_)


def saver_applies(cls: type, type_: Any) -> bool:
    """Whether saver ``cls`` accepts values of ``type_`` (its own ``applies_to`` first)."""
    applies_to = getattr(cls, "applies_to", None)
    if applies_to is not None:
        return bool(applies_to(type_))
    return _saves_from(cls.applicable_types(), type_)


def _loads_into(applicable: Collection[Any], type_: Any) -> bool:
    """Some type the loader produces fits ``type_`` (``Any`` is handled by selection, as a fallback)."""
    return any(custom_subclass_check(candidate, type_) for candidate in applicable)


def _saves_from(applicable: Collection[Any], type_: Any) -> bool:
    """``type_`` fits some type the saver accepts, or is exactly the union of them."""
    applicable = list(applicable)
    if any(custom_subclass_check(type_, candidate) for candidate in applicable):
        return True
    return len(applicable) > 1 and type_ == Union[tuple(applicable)]


class AdapterCommon(abc.ABC):
    """What loaders and savers share: a format name, the types handled, the arguments."""

    @classmethod
    @abc.abstractmethod
    def applicable_types(cls) -> Collection[type]:
        """The types this class reads or writes (``Any``: every type, as a fallback)."""

    @classmethod
    @abc.abstractmethod
    def applies_to(cls, type_: type) -> bool:
        """Whether this class handles values of ``type_``."""

    @classmethod
    @abc.abstractmethod
    def name(cls) -> str:
        """The format name users ask for (``load_from.<name>``, ``to.<name>``)."""

    @classmethod
    def get_required_arguments(cls) -> dict[str, type]:
        """Constructor arguments without a default: name -> annotation."""
        return dict(adapter_arguments(cls).required)

    @classmethod
    def get_optional_arguments(cls) -> dict[str, type]:
        """Constructor arguments with a default: name -> annotation."""
        return dict(adapter_arguments(cls).optional)

    @classmethod
    def accepts_extra_arguments(cls) -> bool:
        """Whether the constructor takes ``**kwargs`` (any further keyword argument)."""
        return adapter_arguments(cls).accepts_any

    @classmethod
    def can_load(cls) -> bool:
        return False

    @classmethod
    def can_save(cls) -> bool:
        return False


class DataLoader(AdapterCommon, abc.ABC):
    """Reads a value. Implement ``load_data``, ``applicable_types`` and ``name``."""

    @abc.abstractmethod
    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        """The value, as ``type_``, and metadata about where it came from."""

    @classmethod
    def can_load(cls) -> bool:
        return True

    @classmethod
    def applies_to(cls, type_: type) -> bool:
        """True if what this loader produces can be used where ``type_`` is expected."""
        return _loads_into(cls.applicable_types(), type_)


class DataSaver(AdapterCommon, abc.ABC):
    """Writes a value. Implement ``save_data``, ``applicable_types`` and ``name``."""

    @abc.abstractmethod
    def save_data(self, data: Any) -> dict[str, Any]:
        """Write ``data``; return metadata about what was written."""

    @classmethod
    def can_save(cls) -> bool:
        return True

    @classmethod
    def applies_to(cls, type_: type) -> bool:
        """True if this saver accepts values of ``type_``."""
        return _saves_from(cls.applicable_types(), type_)
