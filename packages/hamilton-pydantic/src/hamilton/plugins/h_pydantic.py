"""Validate a node's result against the pydantic model of its return annotation (Hamilton 1.x's
``hamilton.plugins.h_pydantic``).

.. code-block:: python

    from pydantic import BaseModel

    from hamilton.plugins import h_pydantic


    class Order(BaseModel):
        id: int
        total: float


    @h_pydantic.check_output(importance="fail")
    def order(raw: dict) -> Order:
        return Order(**raw)  # or a dict, validated as an Order

:class:`check_output` validates with
:class:`~hamilton.plugins.pydantic_extensions.PydanticModelValidator` (pydantic's strict mode:
nothing is coerced), exactly as ``@function_modifiers.check_output(model=Order)`` does, taking
the model from the annotation. The annotation may also be ``Optional[Order]``,
``Union[Order, Refund]`` or ``Annotated[Order, ...]``: the result is validated against it as
written (``None`` passes ``Optional[Order]``).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from hamilton.data_quality import base as dq_base
from hamilton.function_modifiers.base import InvalidDecoratorException, TargetType
from hamilton.function_modifiers.validation import BaseDataValidationDecorator
from hamilton.htypes import type_repr
from hamilton.node import Node

# First: without pydantic, this raises the ImportError that says what to install.
from hamilton.plugins.pydantic_extensions import BaseModel, PydanticModelValidator

__all__ = ["check_output"]

_UNIONS = (typing.Union, getattr(types, "UnionType", typing.Union))


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _models_in(annotation: Any) -> bool:
    """Whether ``annotation`` is a model, or ``Annotated``/``Optional``/``Union`` of models only."""
    if _is_model(annotation):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in _UNIONS:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return bool(members) and all(_models_in(member) for member in members)
    return False


class check_output(BaseDataValidationDecorator):
    """Validate the result of the decorated function against the pydantic model it is annotated
    to return (``-> MyModel``), in pydantic's strict mode (requires ``pydantic>=2``).

    The function may return an instance of the model or its plain form (a ``dict``). For a model
    other than the annotation, use ``@function_modifiers.check_output(model=MyModel)``.

    :param importance: ``"warn"`` (log failures, the default) or ``"fail"`` (raise
        :class:`~hamilton.data_quality.base.DataValidationError` naming the node and pydantic's
        errors).
    :param target: the nodes to validate (default: the function's final nodes), as ``target_``
        of ``@check_output``.
    :raises InvalidDecoratorException: when the graph is built, if a validated node's type is
        not a pydantic model (or ``Optional``/``Union``/``Annotated`` of models).
    """

    def __init__(
        self,
        importance: str = dq_base.DataValidationLevel.WARN.value,
        target: TargetType = None,
    ):
        super().__init__(target)
        try:
            dq_base.DataValidationLevel(importance)
        except ValueError:
            raise ValueError(
                f"h_pydantic.check_output(importance={importance!r}): importance is 'warn' (log failures) or "
                "'fail' (raise DataValidationError)."
            ) from None
        self.importance = importance
        self.target = target

    def get_validators(self, node_to_validate: Node) -> list[dq_base.DataValidator]:
        output_type = node_to_validate.type
        if not _models_in(output_type):
            raise InvalidDecoratorException(
                f"Output of function {node_to_validate.name} must be a Pydantic model: @h_pydantic.check_output "
                f"validates against the return annotation, and {node_to_validate.name} is annotated "
                f"{type_repr(output_type)}. Annotate it with a subclass of pydantic.BaseModel, or validate another "
                "type with @check_output(model=MyModel)."
            )
        return [PydanticModelValidator(model=output_type, importance=self.importance)]
