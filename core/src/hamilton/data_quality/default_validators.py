"""The validators ``@check_output`` selects by keyword, and how it selects them.

Core ships validators of plain Python values (numbers, strings, ``None``). Validators of
dataframe and column types (``allow_nans``, ``range`` on a series, ``max_fraction_nans``,
``mean_in_range``, ``schema``...) come from plugins, through the ``hamilton_validators`` hook:
:func:`resolve_default_validators` loads the plugin named after the output type's library and
searches the validators plugins contributed (the most recently registered plugin first) before
:data:`AVAILABLE_DEFAULT_VALIDATORS`.

=====================  ===================================  =====================================
keyword (``arg()``)    class                                applies to
=====================  ===================================  =====================================
``range``              :class:`DataInRangeValidatorPrimitives`    ``numbers.Real`` (int, float, bool)
``values_in``          :class:`DataInValuesValidatorPrimitives`   ``numbers.Real`` and ``str``
``data_type``          :class:`DataTypeValidatorPrimitives`       ``numbers.Real`` and ``str``
``allow_none``         :class:`AllowNoneValidator`                every type
``contains``           :class:`StrContainsValidator`              exactly ``str``
``does_not_contain``   :class:`StrDoesNotContainValidator`        exactly ``str``
=====================  ===================================  =====================================

Selection by argument value: a validator class may define an optional classmethod
``accepts_arg(value) -> bool``. Among the candidates whose ``arg()`` is the keyword and that
apply to the type, one whose ``accepts_arg`` answers ``True`` wins (the first in search order);
one that answers ``False`` is skipped; otherwise the first class without ``accepts_arg`` is
taken, as before. So a specific validator (hamilton-pandera's, for ``schema=<pandera schema>``)
is chosen over a general one for the same keyword (hamilton-narwhals' ``schema=``, which also
takes a mapping) whatever order their plugins were loaded in. The plugin named after the
library of each argument's type is loaded too (``schema=pa.DataFrameSchema(...)`` loads the
``pandera`` plugin), never importing anything else.

1.x's pandas validator classes (``DataInRangeValidatorPandasSeries``...) stay importable from
this module: they are loaded from the pandas plugin on first access (module ``__getattr__``).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

from hamilton._moved import MovedName, resolve_moved
from hamilton.data_quality import base

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any


def _is_subclass(datatype: Any, classes: type | tuple[type, ...]) -> bool:
    """``issubclass`` that answers ``False`` for annotations that are not classes (``Optional[int]``)."""
    return isinstance(datatype, type) and issubclass(datatype, classes)


class DataInRangeValidatorPrimitives(base.BaseDefaultValidator):
    """``range=(low, high)``: the number lies within ``[low, high]`` (bounds included)."""

    def __init__(self, range: tuple[numbers.Real, numbers.Real], importance: str):
        super().__init__(importance)
        self.range = range

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return _is_subclass(datatype, numbers.Real)

    @classmethod
    def arg(cls) -> str:
        return "range"

    def description(self) -> str:
        return f"Validates that the datapoint falls within the range {self.range}"

    def validate(self, data: Any) -> base.ValidationResult:
        low, high = self.range
        try:
            passes = bool(low <= data <= high)
        except TypeError:  # None, a string...: not a number, so not in the range
            passes = False
        verb = "falls" if passes else "does not fall"
        return base.ValidationResult(
            passes=passes,
            message=f"Data point {data} {verb} within acceptable range: {self.range}",
            diagnostics={"range": self.range, "value": data},
        )


class DataInValuesValidatorPrimitives(base.BaseDefaultValidator):
    """``values_in=[...]``: the value is one of the given values."""

    def __init__(self, values_in: Iterable[Any], importance: str):
        super().__init__(importance)
        self.values = frozenset(values_in)

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return _is_subclass(datatype, (numbers.Real, str))

    @classmethod
    def arg(cls) -> str:
        return "values_in"

    def description(self) -> str:
        return f"Validates that python values are from a fixed set of values: ({self.values})."

    def validate(self, data: Any) -> base.ValidationResult:
        try:
            passes = data in self.values
        except TypeError:  # unhashable: cannot be one of the (hashable) allowed values
            passes = False
        message = f"Primitive python value was valid is {passes}."
        if not passes:
            message += f" Correct possible values are {self.values}."
        return base.ValidationResult(
            passes=passes,
            message=message,
            diagnostics={
                "values": self.values,
                "was_correct": passes,
                "incorrect_value": None if passes else data,
                "data_size": 1,
            },
        )


class DataTypeValidatorPrimitives(base.BaseDefaultValidator):
    """``data_type=T``: the value is an instance of ``T``."""

    def __init__(self, data_type: type[type], importance: str):
        super().__init__(importance)
        self.datatype = data_type

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return _is_subclass(datatype, (numbers.Real, str, bool))

    @classmethod
    def arg(cls) -> str:
        return "data_type"

    def description(self) -> str:
        return f"Validates that the datatype of the value is a subclass of: {self.datatype}"

    def validate(self, data: Any) -> base.ValidationResult:
        passes = isinstance(data, self.datatype)
        match = "a match" if passes else "not a match"
        return base.ValidationResult(
            passes=passes,
            message=f"Requires data type: {self.datatype}. Got data type: {type(data)}. This is {match}.",
            diagnostics={"required_data_type": self.datatype, "actual_data_type": type(data)},
        )


class AllowNoneValidator(base.BaseDefaultValidator):
    """``allow_none=False``: the value is not ``None`` (``allow_none=True`` checks nothing)."""

    def __init__(self, allow_none: bool, importance: str):
        super().__init__(importance)
        self.allow_none = allow_none

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return True

    @classmethod
    def arg(cls) -> str:
        return "allow_none"

    def description(self) -> str:
        return "No-op validator." if self.allow_none else "Validates that an output is not None"

    def validate(self, data: Any) -> base.ValidationResult:
        if data is not None:
            return base.ValidationResult(passes=True, message="Data is not None")
        if self.allow_none:
            return base.ValidationResult(passes=True, message="Data is None, which is allowed (allow_none=True)")
        return base.ValidationResult(passes=False, message="Data is not allowed to be None, got None")


def _as_list(substrings: str | list[str]) -> list[str]:
    return [substrings] if isinstance(substrings, str) else list(substrings)


def _contained(substrings: list[str], data: Any) -> list[bool]:
    """For each substring, whether ``data`` contains it (a non-string contains nothing)."""
    return [isinstance(data, str) and substring in data for substring in substrings]


class StrContainsValidator(base.BaseDefaultValidator):
    """``contains="x"`` or ``contains=["x", "y"]``: the string contains every one of them."""

    def __init__(self, contains: str | list[str], importance: str):
        super().__init__(importance)
        self.contains = _as_list(contains)

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return datatype is str

    @classmethod
    def arg(cls) -> str:
        return "contains"

    def description(self) -> str:
        return f"Validates that a string contains {self.contains} within it."

    def validate(self, data: Any) -> base.ValidationResult:
        if all(_contained(self.contains, data)):
            return base.ValidationResult(passes=True, message="All good.")
        return base.ValidationResult(
            passes=False,
            message=f"String did not contain {self.contains}",
            diagnostics={"contains": self.contains, "data": data},
        )


class StrDoesNotContainValidator(base.BaseDefaultValidator):
    """``does_not_contain="x"`` or ``does_not_contain=["x", "y"]``: the string contains none of them."""

    def __init__(self, does_not_contain: str | list[str], importance: str):
        super().__init__(importance)
        self.does_not_contain = _as_list(does_not_contain)

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return datatype is str

    @classmethod
    def arg(cls) -> str:
        return "does_not_contain"

    def description(self) -> str:
        return f"Validates that a string does not contain {self.does_not_contain} within it."

    def validate(self, data: Any) -> base.ValidationResult:
        if not any(_contained(self.does_not_contain, data)):
            return base.ValidationResult(passes=True, message="All good.")
        return base.ValidationResult(
            passes=False,
            message=f"String did contain {self.does_not_contain}",
            diagnostics={"does_not_contain": self.does_not_contain, "data": data},
        )


# Core's default validators, in search order (plugin-contributed validators are searched first).
AVAILABLE_DEFAULT_VALIDATORS: list[type[base.BaseDefaultValidator]] = [
    DataInRangeValidatorPrimitives,
    DataInValuesValidatorPrimitives,
    DataTypeValidatorPrimitives,
    AllowNoneValidator,
    StrContainsValidator,
    StrDoesNotContainValidator,
]

_NO_PLUGIN_LIBRARIES = frozenset(("builtins", "typing", "collections", "numbers"))


def _library(output_type: Any) -> str:
    """The top-level module of ``output_type`` (of its origin for ``list[int]``-like annotations)."""
    origin = getattr(output_type, "__origin__", output_type)
    return (getattr(origin, "__module__", None) or "").partition(".")[0]


def _candidates(output_type: Any, load_all: bool, values: Iterable[Any] = ()) -> list[type]:
    """Plugin-contributed validators (newest plugin first), then :data:`AVAILABLE_DEFAULT_VALIDATORS`.

    The plugins named after the output type's library and after the library of each argument
    value's type are loaded first; with ``load_all`` every plugin not loaded yet is too.
    """
    from hamilton.plugins._manager import system

    plugins = system()
    if load_all:
        plugins.load_all()
    else:
        # Optional[pd.Series] needs the pandas plugin; schema=pa.DataFrameSchema(...) the pandera one
        libraries = [_library(member) for member in _member_types(output_type)]
        libraries += [_library(type(value)) for value in values]
        for library in dict.fromkeys(libraries):
            if library and library not in _NO_PLUGIN_LIBRARIES:
                plugins.load(library)
    return plugins.registry.validator_classes() + list(AVAILABLE_DEFAULT_VALIDATORS)


def _applies(validator_cls: type, output_type: Any) -> bool:
    try:
        return bool(validator_cls.applies_to(output_type))
    except TypeError:  # e.g. issubclass() on an annotation that is not a class
        return False


_NO_VALUE = object()  # "the argument value is not known": accepts_arg is not consulted


def _find(key: str, output_type: Any, candidates: list[type], value: Any = _NO_VALUE) -> type | None:
    """The first candidate for ``key`` that applies to ``output_type``, preferring one that
    declares it accepts ``value`` (``accepts_arg(value)`` is ``True``) and skipping those that
    decline it (see the module documentation)."""
    fallback = None
    for validator_cls in candidates:
        if validator_cls.arg() != key or not _applies(validator_cls, output_type):
            continue
        accepts_arg = getattr(validator_cls, "accepts_arg", None) if value is not _NO_VALUE else None
        if accepts_arg is None:
            if fallback is None:
                fallback = validator_cls
        elif accepts_arg(value):
            return validator_cls
    return fallback


def _member_types(output_type: Any) -> list[Any]:
    """The types a value annotated ``output_type`` can have, as validators see them.

    ``Annotated[T, ...]`` is ``T``; ``Optional[T]`` is ``T`` (``None`` is left to the validator
    and to ``allow_none``); ``Union[A, B]`` is ``[A, B]``. Any other annotation is itself.
    """
    if type(output_type) is type:  # the common case: a plain class, no typing import
        return [output_type]
    import types
    import typing

    if getattr(output_type, "__metadata__", None) is not None and hasattr(output_type, "__origin__"):
        return _member_types(output_type.__origin__)  # Annotated[T, ...]
    if typing.get_origin(output_type) in (typing.Union, getattr(types, "UnionType", typing.Union)):
        members = [m for arg in typing.get_args(output_type) if arg is not type(None) for m in _member_types(arg)]
        return list(dict.fromkeys(members)) or [output_type]
    return [output_type]


def _find_for_members(key: str, output_type: Any, candidates: list[type], value: Any = _NO_VALUE) -> type | None:
    """The validator for ``key`` on ``output_type``, looking through ``Optional``/``Annotated``/``Union``.

    A validator applying to the annotation itself wins; otherwise the one every member type
    agrees on. ``None`` when no member has one.

    :raises ValueError: when the members of a ``Union`` resolve to different validators (or some
        to none): the message says which validator applies to which member.
    """
    found = _find(key, output_type, candidates, value)
    if found is not None:
        return found
    members = _member_types(output_type)
    if members == [output_type]:
        return None
    by_member = {member: _find(key, member, candidates, value) for member in members}
    chosen = set(by_member.values())
    if len(chosen) == 1:
        return chosen.pop()
    if chosen == {None}:
        return None
    listing = "; ".join(
        f"{getattr(m, '__name__', m)} -> {cls.__name__ if cls is not None else 'no validator'}"
        for m, cls in by_member.items()
    )
    raise ValueError(
        f"The members of {output_type} do not agree on a validator for {key}=...: {listing}. Annotate the "
        f"function with one of the member types, or validate with @check_output_custom."
    )


def resolve_default_validators(
    output_type: type[type],
    importance: str,
    available_validators: list[type[base.BaseDefaultValidator]] | None = None,
    **default_validator_kwargs: Any,
) -> list[base.BaseDefaultValidator]:
    """One validator per keyword: the first candidate whose ``arg()`` is the keyword and that
    ``applies_to(output_type)`` — one whose optional ``accepts_arg(value)`` is ``True`` first, none
    whose ``accepts_arg(value)`` is ``False`` — constructed as ``Cls(<keyword>=value, importance=importance)``.
    ``Optional[T]`` and ``Annotated[T, ...]`` resolve as ``T``; a ``Union`` resolves when all its
    members agree on the validator.

    :param available_validators: the candidates, in search order (default: plugin-contributed
        validators, then :data:`AVAILABLE_DEFAULT_VALIDATORS`).
    :raises ValueError: when no candidate fits a keyword.
    """
    searched_plugins = available_validators is None
    values = default_validator_kwargs.values()
    candidates = _candidates(output_type, False, values) if searched_plugins else list(available_validators)
    validators = []
    for key, value in default_validator_kwargs.items():
        validator_cls = _find_for_members(key, output_type, candidates, value)
        if validator_cls is None and searched_plugins:  # a plugin not loaded yet may provide it
            candidates = _candidates(output_type, load_all=True)
            validator_cls = _find_for_members(key, output_type, candidates, value)
        if validator_cls is None:
            applicable = sorted({cls.arg() for cls in candidates if _applies(cls, output_type)})
            raise ValueError(
                f"No registered subclass of BaseDefaultValidator is available for arg: {key} and type "
                f"{output_type}. This either means (a) this arg-type contribution isn't supported or (b) this "
                "has not been added yet (but should be). In the case of (b), we welcome contributions. Get "
                f"started at github.com/dagworks-inc/hamilton. Keywords available for this type: {applicable}. "
                "Validators of dataframe and column types come from plugins (e.g. pip install "
                '"apache-hamilton[pandas]"); for anything else write a DataValidator and use '
                "@check_output_custom."
            )
        validators.append(validator_cls(**{key: value, "importance": importance}))
    return validators


# 1.x defined its pandas validators in this module. They live in the pandas plugin now
# (hamilton-pandas) and stay importable from here, resolved on first use so that core never
# imports pandas by itself. They are deliberately not in AVAILABLE_DEFAULT_VALIDATORS: the
# pandas plugin contributes them to @check_output through its hamilton_validators hook.
_MOVED = {
    name: MovedName("hamilton.plugins.pandas_validators", "hamilton-pandas", "pandas")
    for name in (
        "AllowNaNsValidatorPandasSeries",
        "DataInRangeValidatorPandasSeries",
        "DataInValuesValidatorPandasSeries",
        "DataTypeValidatorPandasSeries",
        "MaxFractionNansValidatorPandasSeries",
        "MaxStandardDevValidatorPandasSeries",
        "MeanInRangeValidatorPandasSeries",
    )
}


def __getattr__(name: str) -> Any:
    """1.x's ``<Check>ValidatorPandasSeries`` classes, from the pandas plugin (kept for 1.x compatibility).

    :raises ImportError: naming ``pip install "apache-hamilton[pandas]"`` when the plugin is missing.
    """
    return resolve_moved(__name__, name, _MOVED)
