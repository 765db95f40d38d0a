"""``@check_output(schema=<pandera schema>)``: validate a node's result with pandera.

* :class:`PanderaDataFrameValidator` — ``schema=`` a dataframe schema (``DataFrameSchema`` or a
  ``DataFrameModel`` subclass, of ``pandera.pandas`` or ``pandera.polars``) on ``pd.DataFrame``,
  ``pl.DataFrame``, ``pl.LazyFrame`` or a dask DataFrame;
* :class:`PanderaSeriesSchemaValidator` — ``schema=`` a ``pandera.pandas.SeriesSchema`` on
  ``pd.Series`` or a dask Series.

They apply to these types and to subclasses and parametrisations of them
(``pandera.typing.DataFrame[Model]``). Both declare, through ``accepts_arg``, that they take
pandera schemas only: for ``schema={"a": int}`` Hamilton keeps choosing hamilton-narwhals'
mapping validator, and for a pandera schema it chooses these, whatever order the plugins were
loaded in.

Validation is pandera's ``schema.validate(data, lazy=True, inplace=True)``: every failure is
collected into one result (``diagnostics["schema_errors"]`` lists pandera's ``SchemaError`` objects,
``diagnostics["failure_cases"]`` is pandera's table of them). As in 1.x:

* pandas frames are validated in place, so a schema that changes the data (``coerce=True``,
  ``strict="filter"``, ``add_missing_columns=True``) changes the node's result too;
* a dask frame or series is computed to validate it (pandera checks dask data lazily);
* a polars ``LazyFrame`` gets pandera's schema-level checks (column names and types) only,
  unless pandera is configured to check data too (``PANDERA_VALIDATION_DEPTH=SCHEMA_AND_DATA``),
  in which case pandera collects it.

A schema for one library on another library's data (a ``pandera.pandas`` schema on a polars
frame) raises a ``TypeError`` saying which pandera module to take the schema from.
"""

from __future__ import annotations

from hamilton.plugins import library_required

with library_required("pandera", needed_by=__name__, extra="pandera"):
    import pandera  # noqa: F401

import sys
import typing
from typing import Any

from pandera import errors as pandera_errors
from pandera.api.base.model import BaseModel
from pandera.api.base.schema import BaseSchema

from hamilton.data_quality import base


def is_pandera_schema(value: Any) -> bool:
    """Whether ``value`` is a pandera schema object or a ``DataFrameModel`` class (of any backend)."""
    return isinstance(value, BaseSchema) or (isinstance(value, type) and issubclass(value, BaseModel))


def _is_series_schema(value: Any) -> bool:
    series_schema = _series_schema_class()
    return series_schema is not None and isinstance(value, series_schema)


def _series_schema_class() -> type | None:
    """``pandera.pandas.SeriesSchema`` (pandas' backend is the only one with series schemas)."""
    try:
        from pandera.api.pandas.array import SeriesSchema
    except ImportError:  # pandera installed without pandas: no series schema can exist
        return None
    return SeriesSchema


def _schema_name(schema: Any) -> str:
    """``Orders`` for a model class, ``DataFrameSchema 'orders'`` for a named schema, ``DataFrameSchema`` else."""
    if isinstance(schema, type):
        return schema.__name__
    name = getattr(schema, "name", None)
    return f"{type(schema).__name__} {name!r}" if name else type(schema).__name__


def _loaded_class(module: str, name: str) -> type | None:
    """``module.name`` if ``module`` is imported already (never imports it)."""
    cls = getattr(sys.modules.get(module), name, None)
    return cls if isinstance(cls, type) else None


def _dataframe_types() -> tuple[type, ...]:
    candidates = (
        _loaded_class("pandas", "DataFrame"),
        _loaded_class("polars", "DataFrame"),
        _loaded_class("polars", "LazyFrame"),
        _loaded_class("dask.dataframe", "DataFrame"),
    )
    return tuple(cls for cls in candidates if cls is not None)


def _series_types() -> tuple[type, ...]:
    candidates = (_loaded_class("pandas", "Series"), _loaded_class("dask.dataframe", "Series"))
    return tuple(cls for cls in candidates if cls is not None)


def _as_class(datatype: Any) -> type | None:
    """The class of an annotation: itself, or the origin of ``DataFrame[Model]``-like generics."""
    if isinstance(datatype, type):
        return datatype
    origin = typing.get_origin(datatype)
    return origin if isinstance(origin, type) else None


def _is_dask_collection(value: Any) -> bool:
    dask = sys.modules.get("dask")
    return dask is not None and hasattr(dask, "is_dask_collection") and dask.is_dask_collection(value)


def _backend(schema: Any) -> str:
    """The pandera API a schema belongs to: ``"pandas"``, ``"polars"``... (``""`` if unknown)."""
    cls = schema if isinstance(schema, type) else type(schema)
    for klass in cls.__mro__:
        module = klass.__module__ or ""
        if module.startswith("pandera.api."):
            return module.split(".")[2]
    return ""


def _library_of(data: Any) -> str:
    return (type(data).__module__ or "").partition(".")[0]


def _check_backend(schema: Any, data: Any) -> None:
    """Refuse, clearly, a pandas schema on polars data and a polars schema on anything else."""
    backend, library = _backend(schema), _library_of(data)
    if (backend == "polars") != (library == "polars") and backend in ("pandas", "polars"):
        raise TypeError(_mismatch_message(schema, data))


def _mismatch_message(schema: Any, data: Any) -> str:
    data_type = f"{type(data).__module__}.{type(data).__qualname__}"
    backend = _backend(schema) or "another library"
    return (
        f"The pandera schema {_schema_name(schema)} is a schema for {backend} data (pandera.{backend}) and cannot "
        f"validate a {data_type}. Take the schema from the pandera module of that library (pandera.pandas for "
        "pandas and dask, pandera.polars for polars), or return the data the schema describes."
    )


def _validate(schema: Any, data: Any) -> base.ValidationResult:
    _check_backend(schema, data)
    # polars frames are immutable: pandera warns that inplace=True has no effect on them
    options = {"lazy": True} if _backend(schema) == "polars" else {"lazy": True, "inplace": True}
    try:
        result = schema.validate(data, **options)
        if _is_dask_collection(result):  # pandera's checks of dask data run when it is computed
            result.compute()
    except pandera_errors.SchemaErrors as errors:
        return base.ValidationResult(
            passes=False,
            message=str(errors),
            diagnostics={"schema_errors": list(errors.schema_errors), "failure_cases": errors.failure_cases},
        )
    except pandera_errors.SchemaError as error:  # raised alone by some checks even when lazy
        return base.ValidationResult(
            passes=False,
            message=str(error),
            diagnostics={"schema_errors": [error], "failure_cases": getattr(error, "failure_cases", None)},
        )
    except pandera_errors.BackendNotFoundError as error:
        raise TypeError(_mismatch_message(schema, data)) from error
    return base.ValidationResult(
        passes=True,
        message=f"Data passes pandera check for schema {_schema_name(schema)}.",
        diagnostics={"schema": _schema_name(schema)},
    )


class _PanderaValidator(base.BaseDefaultValidator):
    """What both pandera validators share: ``schema=``, the check that it is pandera's, validation."""

    def __init__(self, schema: Any, importance: str):
        super().__init__(importance)
        if not is_pandera_schema(schema):
            raise ValueError(
                f"{type(self).__name__} takes a pandera schema (a pandera DataFrameSchema, SeriesSchema or "
                f"DataFrameModel subclass); got {type(schema).__name__} {schema!r}."
            )
        self.schema = schema

    @classmethod
    def arg(cls) -> str:
        return "schema"

    @classmethod
    def accepts_arg(cls, value: Any) -> bool:
        """Chosen by ``@check_output(schema=...)`` for pandera schemas only (see core's selection by value)."""
        return is_pandera_schema(value)

    @classmethod
    def name(cls) -> str:
        return "pandera_schema_validator"

    def validate(self, data: Any) -> base.ValidationResult:
        return _validate(self.schema, data)


class PanderaDataFrameValidator(_PanderaValidator):
    """``schema=<pandera DataFrameSchema or DataFrameModel>`` on a pandas, polars or dask frame."""

    def __init__(self, schema: Any, importance: str):
        super().__init__(schema, importance)
        if _is_series_schema(schema):
            raise ValueError(
                f"schema= got a pandera {_schema_name(schema)}: a SeriesSchema, which validates a series, not a "
                "dataframe: annotate the function with the series type it returns, or describe the frame with "
                "a pandera DataFrameSchema or DataFrameModel."
            )

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        cls_ = _as_class(datatype)
        types = _dataframe_types()
        return cls_ is not None and bool(types) and issubclass(cls_, types)

    def description(self) -> str:
        return f"Validates that the returned dataframe matches the pandera schema {_schema_name(self.schema)}"


class PanderaSeriesSchemaValidator(_PanderaValidator):
    """``schema=<pandera SeriesSchema>`` on a pandas or dask series."""

    def __init__(self, schema: Any, importance: str):
        super().__init__(schema, importance)
        if not _is_series_schema(schema):
            raise ValueError(
                f"schema= got the pandera schema {_schema_name(schema)}, which validates a dataframe, not a series: "
                "use a pandera SeriesSchema for a series, or annotate the function with the dataframe type it "
                "returns."
            )

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        cls_ = _as_class(datatype)
        types = _series_types()
        return cls_ is not None and bool(types) and issubclass(cls_, types)

    def description(self) -> str:
        return f"Validates that the returned series matches the pandera schema {_schema_name(self.schema)}"


PANDERA_VALIDATORS: list[type[base.BaseDefaultValidator]] = [PanderaDataFrameValidator, PanderaSeriesSchemaValidator]
