"""Data-quality decorators: validate a node's result each time it is computed.

.. code-block:: python

    @check_output(range=(0, 1), data_type=float, importance="fail")
    def conversion_rate(signups: int, visits: int) -> float: ...

    @check_output_custom(MyValidator(importance="warn"))
    def report(rows: list[dict]) -> str: ...

``@check_output(**kwargs)`` picks a default validator per keyword (see
:mod:`hamilton.data_quality.default_validators`; plugins add those of dataframe and column
types); ``@check_output_custom(*validators)`` takes validator objects. For a target node ``t``
(default: the function's final nodes; ``target_`` picks others) they produce, as 1.x does:

* ``t_raw`` — the original computation;
* ``t_<validator.name()>`` per validator (repeats get ``_1``, ``_2``...), a
  :class:`~hamilton.data_quality.base.ValidationResult` tagged
  ``hamilton.data_quality.contains_dq_results=True`` and ``hamilton.data_quality.source_node=t``;
* ``t`` — ``t_raw``'s value, once failed ``"warn"`` validations are logged and failed
  ``"fail"`` ones raised as :class:`~hamilton.data_quality.base.DataValidationError`.

With config ``hamilton.data_quality.mode="hooks"`` the graph keeps the plain ``t`` and the
validators travel on it, run by :class:`hamilton.data_quality.hooks.ValidationHook` (see that
module). Several ``check_output*`` decorators on one node combine their validators.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Collection
from typing import Any

from hamilton.data_quality import base as dq_base
from hamilton.data_quality.hooks import (
    DATA_QUALITY_MODE,
    DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG,
    HOOKS_MODE,
    IS_DATA_VALIDATOR_TAG,
    MODES,
    NODES_MODE,
    VALIDATOR_ATTRIBUTE,
    VALIDATORS_TAG,
    NodeValidators,
    unique_names,
)
from hamilton.function_modifiers import base
from hamilton.function_modifiers.base import InvalidDecoratorException, TargetType
from hamilton.node import DependencyType, Node

_REQUIRED = DependencyType.REQUIRED


def _validator_callable(validator: dq_base.DataValidator, raw_name: str) -> Callable[..., Any]:
    """The callable of a validator node: ``validator.validate(<t_raw>)``, async if it is."""
    if dq_base.is_async_validator(validator):

        async def validate_async(**kwargs: Any) -> Any:
            return await validator.validate(kwargs[raw_name])

        setattr(validate_async, VALIDATOR_ATTRIBUTE, validator)
        return validate_async
    return _Validate(validator, raw_name)


class _Validate:
    """The callable of a sync validator node; a class rather than a closure so that it pickles
    (a validated node inside a ``Parallelizable`` block runs on a process executor)."""

    def __init__(self, validator: dq_base.DataValidator, raw_name: str):
        setattr(self, VALIDATOR_ATTRIBUTE, validator)
        self.raw_name = raw_name
        self.__name__ = "validate"

    def __call__(self, **kwargs: Any) -> Any:
        return getattr(self, VALIDATOR_ATTRIBUTE).validate(kwargs[self.raw_name])


class _ValidatedOutput:
    """The callable of the final node ``t``: act on the validator nodes' results, return ``t_raw``.

    It remembers its validators, so that another ``check_output*`` on ``t`` adds to them.
    """

    def __init__(self, node_name: str, raw_name: str, entries: tuple[tuple[str, dq_base.DataValidator], ...]):
        self.node_name = node_name
        self.raw_name = raw_name
        self.entries = entries
        self.input_names = [f"{node_name}_{name}" for name, _ in entries]

    def __call__(self, **kwargs: Any) -> Any:
        outcomes = [
            (kwargs[input_name], validator) for input_name, (_, validator) in zip(self.input_names, self.entries)
        ]
        dq_base.act_on_results(self.node_name, outcomes)
        return kwargs[self.raw_name]


def _validator_nodes(
    target: Node, raw_name: str, raw_type: Any, named: list[tuple[str, dq_base.DataValidator]]
) -> list[Node]:
    tags = {**target.tags, IS_DATA_VALIDATOR_TAG: True, DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG: target.name}
    return [
        Node(
            f"{target.name}_{name}",
            dq_base.ValidationResult,
            validator.description(),
            _validator_callable(validator, raw_name),
            input_types={raw_name: (raw_type, _REQUIRED)},
            tags=dict(tags),
        )
        for name, validator in named
    ]


def _final_node(target: Node, output: _ValidatedOutput, raw_type: Any) -> Node:
    input_types = {output.raw_name: (raw_type, _REQUIRED)}
    input_types.update((name, (dq_base.ValidationResult, _REQUIRED)) for name in output.input_names)
    return Node(
        target.name,
        target.type,
        target.documentation,
        output,
        input_types=input_types,
        tags=dict(target.tags),
        namespace=target.namespace,
        originating_functions=target.originating_functions,
    )


def _as_nodes(target: Node, validators: list[dq_base.DataValidator]) -> list[Node]:
    """1.x's structure: ``t_raw``, a node per validator, and ``t`` depending on all of them."""
    previous = target.callable if isinstance(target.callable, _ValidatedOutput) else None
    if previous is not None:  # ``t`` is validated already: add validators to the same ``t_raw``
        raw_name, raw_type = previous.raw_name, target.input_types[previous.raw_name][0]
        names = unique_names(validators, taken=[name for name, _ in previous.entries])
        named = list(zip(names, validators))
        output = _ValidatedOutput(target.name, raw_name, previous.entries + tuple(named))
        return [*_validator_nodes(target, raw_name, raw_type, named), _final_node(target, output, raw_type)]
    raw_name = f"{target.name}_raw"
    raw = target.copy_with(include_refs=False, name=raw_name)
    named = list(zip(unique_names(validators), validators))
    output = _ValidatedOutput(target.name, raw_name, tuple(named))
    return [raw, *_validator_nodes(target, raw_name, target.type, named), _final_node(target, output, target.type)]


def _as_declared(target: Node, validators: list[dq_base.DataValidator]) -> list[Node]:
    """Hooks mode: the node itself, its validators added to the :data:`VALIDATORS_TAG` tag."""
    declared = target.tags.get(VALIDATORS_TAG) or NodeValidators()
    return [target.copy_with(include_refs=False, tags={**target.tags, VALIDATORS_TAG: declared.extended(validators)})]


class BaseDataValidationDecorator(base.NodeTransformer):
    """Base of ``check_output``/``check_output_custom``: validates each target node's result.

    Subclasses say which validators apply to a node (:meth:`get_validators`); this class builds
    the nodes (or, in hooks mode, declares the validators on the node).
    """

    def __init__(self, target: TargetType):
        self._early_validate_target(target, allow_multiple=True)
        super().__init__(target=target)

    @abc.abstractmethod
    def get_validators(self, node_to_validate: Node) -> list[dq_base.DataValidator]:
        """The validators to run on ``node_to_validate``'s result."""

    def optional_config(self) -> dict[str, Any]:
        return {DATA_QUALITY_MODE: NODES_MODE}

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        mode = config.get(DATA_QUALITY_MODE, NODES_MODE)
        if mode not in MODES:
            raise InvalidDecoratorException(
                f"Config {DATA_QUALITY_MODE}={mode!r} is not a data-quality mode: use {NODES_MODE!r} (validator "
                f"nodes, the default) or {HOOKS_MODE!r} (validators run by "
                "hamilton.data_quality.hooks.ValidationHook)."
            )
        validators = list(self.get_validators(node_))
        if mode == HOOKS_MODE:
            return _as_declared(node_, validators)
        return _as_nodes(node_, validators)

    def validate(self, fn: Callable) -> None:
        pass


class check_output(BaseDataValidationDecorator):
    """Validate a node's result with default validators, one per keyword argument.

    .. code-block:: python

        @check_output(range=(0, 1), importance="fail")
        def conversion_rate(signups: int, visits: int) -> float: ...

    :param importance: ``"warn"`` (log failures, the default) or ``"fail"`` (raise
        :class:`~hamilton.data_quality.base.DataValidationError`).
    :param default_validator_candidates: the validator classes to choose from (default: those of
        plugins, then :data:`~hamilton.data_quality.default_validators.AVAILABLE_DEFAULT_VALIDATORS`).
    :param target_: the nodes to validate (default: the function's final nodes).
    :param default_validator_kwargs: keyword -> argument of the validator it selects, e.g.
        ``range=(0, 1)``, ``values_in=[...]``, ``data_type=float``, ``allow_none=False``,
        ``contains="x"``, ``does_not_contain="x"``.
    """

    def __init__(
        self,
        importance: str = dq_base.DataValidationLevel.WARN.value,
        default_validator_candidates: list[type[dq_base.BaseDefaultValidator]] | None = None,
        target_: TargetType = None,
        **default_validator_kwargs: Any,
    ):
        super().__init__(target=target_)
        dq_base._level(importance)  # an unknown importance fails at decoration, not at build
        self.importance = importance
        self.default_validator_kwargs = default_validator_kwargs
        self.default_validator_candidates = default_validator_candidates

    def get_validators(self, node_to_validate: Node) -> list[dq_base.DataValidator]:
        from hamilton.data_quality import default_validators

        try:
            return default_validators.resolve_default_validators(
                node_to_validate.type,
                importance=self.importance,
                available_validators=self.default_validator_candidates,
                **self.default_validator_kwargs,
            )
        except ValueError as error:
            raise ValueError(
                f"Could not resolve validators for @check_output for function [{node_to_validate.name}]. Please "
                f"check that `target_` is set correctly if you're using that argument.\nActual error: {error}"
            ) from error


class check_output_custom(BaseDataValidationDecorator):
    """Validate a node's result with the given validator objects.

    .. code-block:: python

        @check_output_custom(NoEmptyRows(importance="fail"), SchemaMatches(schema, importance="warn"))
        def report(rows: list[dict]) -> str: ...

    :param validators: :class:`~hamilton.data_quality.base.DataValidator` objects (each carries
        its own importance).
    :param target_: the nodes to validate (default: the function's final nodes).
    """

    def __init__(self, *validators: dq_base.DataValidator, target_: TargetType = None):
        super().__init__(target=target_)
        not_validators = [v for v in validators if not callable(getattr(v, "validate", None))]
        if not_validators:
            raise InvalidDecoratorException(
                f"@check_output_custom takes validator objects (with validate(), name(), description() and "
                f"importance, e.g. subclasses of hamilton.data_quality.base.DataValidator); got {not_validators}."
            )
        self.validators = list(validators)

    def get_validators(self, node_to_validate: Node) -> list[dq_base.DataValidator]:
        return list(self.validators)
