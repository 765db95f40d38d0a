"""The ``pydantic`` plugin: ``@check_output(model=...)`` validates a node's result with pydantic.

Entry point ``pydantic``: loaded when the graph of a ``@check_output(model=...)`` is built (core
loads the plugin named after the library of the argument's type, and every plugin when a keyword
finds no validator). It contributes :class:`PydanticModelValidator`, the
default validator of the keyword ``model`` for nodes annotated with a pydantic model or a
``dict``:

.. code-block:: python

    @check_output(model=Order, importance="fail")
    def order(raw: dict) -> dict: ...

Validation is strict (pydantic's strict mode): the result is never coerced, so ``{"id": "1"}``
fails for ``id: int``. Hamilton passes the result on unchanged, so a value that would only pass
after conversion is reported rather than silently differing from the model.

Importing this module by hand (1.x's way, with automatic loading of extensions switched off)
registers the plugin, so ``@check_output(model=...)`` finds the validator then too.
:mod:`hamilton.plugins.h_pydantic` has the decorator that takes the model from the function's
return annotation.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hamilton.plugins import library_required, register_unless_automatic

with library_required("pydantic", needed_by=__name__, extra="pydantic"):
    import pydantic

if int(pydantic.VERSION.partition(".")[0]) < 2:
    raise ImportError(
        f"hamilton.plugins.pydantic_extensions needs pydantic>=2.0; pydantic {pydantic.VERSION} is installed. "
        'Upgrade it with: pip install -U "apache-hamilton[pydantic]"'
    )

from pydantic import BaseModel, TypeAdapter, ValidationError

from hamilton.data_quality import base
from hamilton.htypes import custom_subclass_check, type_repr
from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

ENTRY_POINT = "pydantic"  # this plugin's entry-point name (the library it serves)

COLUMN_FRIENDLY_DF_TYPE = False  # 1.x's flag: pydantic models are not dataframes with columns

__all__ = ["COLUMN_FRIENDLY_DF_TYPE", "InvalidModelError", "PydanticModelValidator", "register_validators"]


class InvalidModelError(ValueError):
    """``model=`` is something pydantic cannot validate against."""


def _first_line(error: BaseException) -> str:
    return str(error).partition("\n")[0]  # pydantic's own words; the rest is generic advice


def _adapter(model: Any) -> TypeAdapter | None:
    """Pydantic's validator for ``model``; ``None`` while it refers to types not defined yet.

    (Older pydantic raises for such a model here; newer pydantic when validating.)
    """
    try:
        return TypeAdapter(model)
    except NameError:  # PydanticUndefinedAnnotation: completed later, or reported when validating
        return None
    except (pydantic.PydanticUserError, TypeError) as error:
        raise InvalidModelError(
            f"model={model!r} is not something pydantic can validate against: pass a subclass of "
            "pydantic.BaseModel (or another type pydantic accepts, e.g. a TypedDict). Pydantic said: "
            f"{_first_line(error)}"
        ) from error


class PydanticModelValidator(base.BaseDefaultValidator):
    """``@check_output(model=Model)``: the result is valid for ``Model`` in pydantic's strict mode.

    Applies to nodes annotated with a pydantic model or a ``dict`` (a model's plain form). The
    result passes as it is, never converted: ``{"price": "9.5"}`` fails for ``price: float``.
    An instance of the model passes as pydantic's ``revalidate_instances`` setting says: by
    default pydantic trusts instances (they were validated when created); a model configured
    with ``revalidate_instances="always"`` has its instances' fields checked too.

    :param model: the pydantic model (or another type pydantic validates, such as a
        ``TypedDict``, or ``Optional[Model]``).
    :param importance: ``"warn"`` (log failures) or ``"fail"`` (raise
        :class:`~hamilton.data_quality.base.DataValidationError`).
    :raises InvalidModelError: (a ``ValueError``) when pydantic cannot validate against ``model``.
    """

    def __init__(self, model: Any, importance: str):
        super().__init__(importance)
        self.model = model
        self._model_adapter = _adapter(model)

    def __getstate__(self) -> dict[str, Any]:  # the adapter is rebuilt, not pickled
        state = dict(self.__dict__)
        state.pop("_model_adapter", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._model_adapter = _adapter(self.model)

    @classmethod
    def applies_to(cls, datatype: Any) -> bool:
        return custom_subclass_check(datatype, BaseModel) or custom_subclass_check(datatype, dict)

    @classmethod
    def arg(cls) -> str:
        return "model"

    @classmethod
    def name(cls) -> str:
        return "pydantic_validator"

    def description(self) -> str:
        return "Validates that the returned object is compatible with the specified pydantic model"

    def _completed_adapter(self) -> TypeAdapter:
        """The adapter of a model that referred to types not defined when it was first built."""
        problem: BaseException | None = None
        adapter = None
        try:
            rebuild = getattr(self.model, "model_rebuild", None)
            if rebuild is not None:
                rebuild()
            adapter = _adapter(self.model)
        except (pydantic.PydanticUserError, NameError) as error:
            problem = error
        if adapter is None:
            said = f" ({_first_line(problem)})" if problem is not None else ""
            raise InvalidModelError(
                f"Cannot validate against model {type_repr(self.model)}: it refers to types that are not "
                f"defined{said}. Define every type the model refers to, then call its model_rebuild()."
            ) from problem
        return adapter

    def _validate(self, data: Any) -> None:
        """Validate strictly; raises pydantic's ``ValidationError`` when ``data`` does not fit."""
        for last_try in (False, True):
            if self._model_adapter is None:
                self._model_adapter = self._completed_adapter()
            try:
                self._model_adapter.validate_python(data, strict=True)
                return
            except pydantic.PydanticUserError as error:  # "not fully defined": types defined after it
                if last_try:
                    raise InvalidModelError(
                        f"Cannot validate against model {type_repr(self.model)}: {_first_line(error)} Define "
                        "every type the model refers to, then call its model_rebuild()."
                    ) from error
                self._model_adapter = None

    def validate(self, data: Any) -> base.ValidationResult:
        try:
            self._validate(data)
        except ValidationError as error:
            return base.ValidationResult(passes=False, message=str(error), diagnostics={"model_errors": error.errors()})
        return base.ValidationResult(
            passes=True, message=f"Data passes pydantic check for model {type_repr(self.model)}"
        )


VALIDATORS: list[type[base.BaseDefaultValidator]] = [PydanticModelValidator]


@hookimpl
def hamilton_validators() -> Collection[type]:
    return list(VALIDATORS)


def register_validators() -> None:
    """Register this plugin by hand, so ``@check_output(model=...)`` finds its validator.

    Automatic loading does this when needed; call it (or just import this module) when
    automatic loading of extensions is switched off. Registering twice is harmless.
    """
    import sys

    from hamilton import plugins

    plugins.register(sys.modules[__name__])


# 1.x registered on import: with automatic loading off, so does a module imported by hand.
register_unless_automatic(__name__, ENTRY_POINT)
