"""Data validators: what ``@check_output``/``@check_output_custom`` run on a node's result.

A :class:`DataValidator` checks one value and returns a :class:`ValidationResult`; its
``importance`` says what a failure does: ``"warn"`` logs it (:func:`act_warn`), ``"fail"``
raises :class:`DataValidationError` (:func:`act_fail_bulk`). A :class:`BaseDefaultValidator`
is one ``@check_output`` can pick by keyword: ``@check_output(range=(0, 1))`` uses the first
default validator whose ``arg()`` is ``"range"`` and that ``applies_to`` the node's type (see
:mod:`hamilton.data_quality.default_validators`).
"""

from __future__ import annotations

import abc
import dataclasses
import enum

from hamilton._introspect import is_coroutine_function

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any


class DataValidationError(Exception):
    """Raised when validators of importance ``"fail"`` fail; ``args[0]`` lists their messages."""


class DataValidationLevel(enum.Enum):
    """What a failed validation does: log a warning, or fail the run."""

    WARN = "warn"
    FAIL = "fail"


def _level(importance: str | DataValidationLevel) -> DataValidationLevel:
    try:
        return DataValidationLevel(importance)
    except ValueError:
        raise ValueError(
            f"{importance!r} is not a valid DataValidationLevel. Use importance='warn' (log failures) or "
            "importance='fail' (raise DataValidationError)."
        ) from None


@dataclasses.dataclass
class ValidationResult:
    """The outcome of one validation: whether it ``passes``, a ``message`` and ``diagnostics``."""

    passes: bool
    message: str
    diagnostics: dict[str, Any] = dataclasses.field(default_factory=dict)


class DataValidator(abc.ABC):
    """Checks a value; see the module docstring.

    :param importance: ``"warn"`` or ``"fail"`` (or a :class:`DataValidationLevel`).
    """

    def __init__(self, importance: str):
        self._importance = _level(importance)

    @property
    def importance(self) -> DataValidationLevel:
        return self._importance

    @abc.abstractmethod
    def applies_to(self, datatype: type[type]) -> bool:
        """Whether this validator can check values of ``datatype``."""

    @abc.abstractmethod
    def description(self) -> str:
        """What this validator checks (the docstring of its validator node)."""

    @classmethod
    @abc.abstractmethod
    def name(cls) -> str:
        """A short name; validator nodes are named ``<node>_<name>``."""

    @abc.abstractmethod
    def validate(self, dataset: Any) -> ValidationResult:
        """Check ``dataset`` (the node's result)."""


class AsyncDataValidator(DataValidator, abc.ABC):
    """A validator whose ``validate`` is a coroutine (needs an async driver to run)."""

    @abc.abstractmethod
    async def validate(self, dataset: Any) -> ValidationResult:
        """Check ``dataset`` (the node's result)."""


class BaseDefaultValidator(DataValidator, abc.ABC):
    """A validator ``@check_output`` selects by keyword.

    Subclasses take the keyword's value and ``importance`` as constructor arguments named
    ``<arg()>`` and ``importance``: ``@check_output(range=(0, 1))`` constructs
    ``Cls(range=(0, 1), importance="warn")``.
    """

    @classmethod
    @abc.abstractmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        """Whether this validator can check values of ``datatype``."""

    @classmethod
    @abc.abstractmethod
    def arg(cls) -> str:
        """The ``@check_output`` keyword selecting this validator (e.g. ``"range"``)."""

    @classmethod
    def name(cls) -> str:
        return f"{cls.arg()}_validator"


class AsyncBaseDefaultValidator(BaseDefaultValidator, abc.ABC):
    """A default validator whose ``validate`` is a coroutine."""

    @abc.abstractmethod
    async def validate(self, dataset: Any) -> ValidationResult:
        """Check ``dataset`` (the node's result)."""


def is_async_validator(validator: DataValidator) -> bool:
    """Whether ``validator.validate`` is a coroutine function."""
    return is_coroutine_function(validator.validate)


def _failure_message(node_name: str, result: ValidationResult, validator: DataValidator) -> str:
    return (
        f"[{node_name}:{validator.name()}] validator failed. Message was: {result.message}. "
        f"Diagnostic information is: {result.diagnostics}."
    )


def act_warn(node_name: str, validation_result: ValidationResult, validator: DataValidator) -> None:
    """Log a failed validation of importance ``"warn"`` (logger ``hamilton.data_quality.base``)."""
    import logging

    logging.getLogger(__name__).warning(_failure_message(node_name, validation_result, validator))


def act_fail_bulk(node_name: str, failures: list[tuple[ValidationResult, DataValidator]]) -> None:
    """Log each failed validation of importance ``"fail"``, then raise them together.

    :raises DataValidationError: with the list of messages, if ``failures`` is not empty.
    """
    if not failures:
        return
    import logging

    logger = logging.getLogger(__name__)
    messages = []
    for result, validator in failures:
        message = _failure_message(node_name, result, validator) + "\n"
        logger.error(message)
        messages.append(message)
    raise DataValidationError(messages)


def _not_awaited(validator: DataValidator, node_name: str) -> TypeError:
    return TypeError(
        f"Validator {validator.name()} of node {node_name} is asynchronous: its validate() returned a coroutine, "
        "which a synchronous run cannot await. Run the dataflow with the async driver, or make validate() "
        "synchronous."
    )


def check_results(
    node_name: str, outcomes: list[tuple[Any, DataValidator]]
) -> list[tuple[ValidationResult, DataValidator]]:
    """``outcomes`` (what each validator returned, and the validator), checked to be results.

    :raises TypeError: when a validator returned something else — a coroutine (an async
        validator in a synchronous run; every pending coroutine is closed first) or any other
        non-:class:`ValidationResult`.
    """
    pending = [(outcome, validator) for outcome, validator in outcomes if hasattr(outcome, "__await__")]
    if pending:
        for coroutine, _ in pending:
            close = getattr(coroutine, "close", None)
            if close is not None:
                close()  # no "coroutine was never awaited" warning on top of the error
        raise _not_awaited(pending[0][1], node_name)
    for outcome, validator in outcomes:
        if not isinstance(outcome, ValidationResult):
            raise TypeError(
                f"Validator {validator.name()} ({type(validator).__qualname__}) of node {node_name} returned "
                f"{type(outcome).__name__} {outcome!r}; validate() must return a "
                "hamilton.data_quality.base.ValidationResult."
            )
    return outcomes


def act_on_results(node_name: str, outcomes: list[tuple[Any, DataValidator]]) -> None:
    """What failed validations of one node do, as ``@check_output`` does it.

    Failed ``"warn"`` validations are logged one by one (:func:`act_warn`); failed ``"fail"``
    ones are then logged and raised together (:func:`act_fail_bulk`).

    :param outcomes: ``(result, validator)`` pairs, in validator order.
    :raises DataValidationError: when a ``"fail"`` validation failed.
    :raises TypeError: when a validator did not return a :class:`ValidationResult`.
    """
    failures = []
    for result, validator in check_results(node_name, outcomes):
        if result.passes:
            continue
        if _level(validator.importance) is DataValidationLevel.FAIL:
            failures.append((result, validator))
        else:
            act_warn(node_name, result, validator)
    act_fail_bulk(node_name, failures)
