"""1.x's ``hamilton.plugins.h_pandera``: ``@check_output()`` with the schema read from the return annotation.

.. code-block:: python

    import pandera.pandas as pa
    from pandera.typing.pandas import DataFrame, Series

    from hamilton.plugins import h_pandera


    class Sales(pa.DataFrameModel):
        region: Series[str]
        amount: Series[float] = pa.Field(ge=0)


    @h_pandera.check_output(importance="fail")
    def sales(raw: pd.DataFrame) -> DataFrame[Sales]: ...

is ``@check_output(schema=Sales, importance="fail")`` on the same function. The annotation may be

* ``pandera.typing.DataFrame[Model]`` (pandas), ``pandera.typing.dask.DataFrame[Model]``,
  ``pandera.typing.polars.DataFrame[Model]`` or ``pandera.typing.polars.LazyFrame[Model]`` —
  ``Model`` a ``DataFrameModel`` of the same library's pandera module (``pandera.pandas`` /
  ``pandera.polars``): the node is validated with ``Model``;
* ``pandera.typing.Series[dtype]`` (pandas, or ``pandera.typing.dask.Series``): the node is
  validated with ``pandera.pandas.SeriesSchema(dtype)`` (1.x refused series annotations).

Any other annotation fails when the dataflow is built, with an
:class:`~hamilton.function_modifiers.InvalidDecoratorException` naming the function.
"""

from __future__ import annotations

import typing
from typing import Any

from hamilton.data_quality import base as dq_base
from hamilton.data_quality import pandera_validators  # needs pandera: a clear ImportError without it
from hamilton.function_modifiers import InvalidDecoratorException
from hamilton.function_modifiers import check_output as _check_output
from hamilton.function_modifiers.base import TargetType
from hamilton.function_modifiers.validation import BaseDataValidationDecorator
from hamilton.node import Node

_HOW = (
    "Annotate the function with pandera.typing.DataFrame[Model] (Model a pandera DataFrameModel; for polars "
    "pandera.typing.polars.DataFrame[Model] or LazyFrame[Model]) or pandera.typing.Series[dtype], or pass the "
    "schema explicitly with @check_output(schema=...)."
)


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__qualname__", None) or repr(annotation)


def _backend_of_typing(origin: type) -> str:
    """``"polars"`` for ``pandera.typing.polars`` generics, ``"pandas"`` for the others (pandas, dask...)."""
    return "polars" if origin.__module__.startswith("pandera.typing.polars") else "pandas"


def schema_from_annotation(annotation: Any, function_name: str) -> Any:
    """The pandera schema a return annotation carries (see the module documentation).

    :raises InvalidDecoratorException: naming ``function_name`` when it carries none.
    """
    from pandera.api.base.model import BaseModel
    from pandera.typing.common import DataFrameBase, SeriesBase

    where = f"@h_pandera.check_output on function [{function_name}]"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if not isinstance(origin, type) or not issubclass(origin, (DataFrameBase, SeriesBase)):
        raise InvalidDecoratorException(
            f"{where}: the return annotation {_type_name(annotation)} carries no pandera schema. {_HOW}"
        )
    if len(args) != 1:
        raise InvalidDecoratorException(
            f"{where}: the return annotation {annotation} has {len(args)} type arguments; it needs exactly one. {_HOW}"
        )
    (argument,) = args
    backend = _backend_of_typing(origin)
    if issubclass(origin, DataFrameBase):
        if not (isinstance(argument, type) and issubclass(argument, BaseModel)):
            raise InvalidDecoratorException(
                f"{where}: {origin.__qualname__}[{_type_name(argument)}] is not parametrised with a pandera "
                f"DataFrameModel subclass. {_HOW}"
            )
        model_backend = pandera_validators._backend(argument)
        if model_backend in ("pandas", "polars") and model_backend != backend:
            raise InvalidDecoratorException(
                f"{where}: {argument.__qualname__} is a pandera.{model_backend} DataFrameModel, but the annotation "
                f"{origin.__module__}.{origin.__qualname__} is a {backend} type. Derive the model from "
                f"pandera.{backend}.DataFrameModel, or annotate the function with the type of the data it returns."
            )
        return argument
    if backend == "polars":
        raise InvalidDecoratorException(
            f"{where}: pandera.polars has no series schemas, so {annotation} cannot be validated on its own. Validate "
            "the column inside a DataFrameModel, or return a pandas series."
        )
    from pandera.api.pandas.array import SeriesSchema

    try:
        return SeriesSchema(argument)
    except Exception as error:  # pandera could not make a dtype of the argument
        raise InvalidDecoratorException(
            f"{where}: pandera cannot build a SeriesSchema of {annotation}: {type(error).__name__}: {error}"
        ) from error


class check_output(BaseDataValidationDecorator):
    """Validate a node's result against the pandera schema of its return annotation.

    :param importance: ``"warn"`` (log failures, the default) or ``"fail"`` (raise
        :class:`~hamilton.data_quality.base.DataValidationError`).
    :param target: the nodes to validate (default: the function's final nodes), as ``target_`` of
        :func:`hamilton.function_modifiers.check_output`; ``target_=`` is accepted as well.
    """

    def __init__(
        self,
        importance: str = dq_base.DataValidationLevel.WARN.value,
        target: TargetType = None,
        *,
        target_: TargetType = None,
    ):
        if target is not None and target_ is not None:
            raise InvalidDecoratorException(
                f"@h_pandera.check_output takes target= or target_= (the same thing), not both: got "
                f"target={target!r}, target_={target_!r}."
            )
        target = target if target is not None else target_
        super().__init__(target)
        try:  # an unknown importance fails at decoration, as @check_output's does
            dq_base.DataValidationLevel(importance)
        except ValueError:
            raise ValueError(
                f"@h_pandera.check_output: {importance!r} is not a valid importance. Use importance='warn' (log "
                "failures) or importance='fail' (raise DataValidationError)."
            ) from None
        self.importance = importance

    def get_validators(self, node_to_validate: Node) -> list[dq_base.DataValidator]:
        schema = schema_from_annotation(node_to_validate.type, node_to_validate.name)
        return _check_output(importance=self.importance, schema=schema, target_=self.target).get_validators(
            node_to_validate
        )
