"""``@check_output`` validators of columns and frames, written once through narwhals.

1.x had them for pandas only (``allow_nans``, ``range``, ``values_in``, ``data_type``,
``max_fraction_nans``, ``max_standard_dev``, ``mean_in_range`` on a series; pandera's
``schema`` on a frame). Here each check is implemented against narwhals, and
:func:`validators_for` binds the classes to one library's native types, so a plugin returns
``validators_for((pl.Series,), (pl.DataFrame,))`` from its ``hamilton_validators`` hook and
gets the same keywords, messages and semantics as pandas.

Missing values: a null — and a NaN in a float column — counts as missing ("Nan" in 1.x's
messages), whatever the library's own convention.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import narwhals.stable.v1 as nw

from hamilton.data_quality import base


def _series(data: Any) -> Any:
    return nw.from_native(data, series_only=True)


def _missing_mask(series: Any) -> Any:
    """True where a value is null, or NaN in a float column."""
    mask = series.is_null()
    if series.dtype.is_float():
        mask = mask | series.is_nan().fill_null(False)
    return mask


def _present(series: Any) -> Any:
    """The series without its missing values (see :func:`_missing_mask`)."""
    return series.filter(~_missing_mask(series))


def _percent(fraction: float) -> str:
    return f"{fraction:.2%}"


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)


class _BoundValidator(base.BaseDefaultValidator, abc.ABC):
    """A validator that applies to a set of native types, filled in by :func:`validators_for`."""

    native_types: ClassVar[tuple[type, ...]] = ()

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return isinstance(datatype, type) and bool(cls.native_types) and issubclass(datatype, cls.native_types)


# -- series validators ---------------------------------------------------------------------------


class DataInRangeValidator(_BoundValidator):
    """``range=(low, high)``: every value lies in ``[low, high]``; a missing value lies outside."""

    def __init__(self, range: tuple[float, float], importance: str):
        super().__init__(importance)
        self.range = range

    @classmethod
    def arg(cls) -> str:
        return "range"

    def description(self) -> str:
        return f"Validates that the datapoint falls within the range ({self.range[0]}, {self.range[1]})"

    def validate(self, data: Any) -> base.ValidationResult:
        low, high = self.range
        series = _series(data)
        in_range = int(series.is_between(low, high, closed="both").fill_null(False).sum())
        out_range = len(series) - in_range
        return base.ValidationResult(
            passes=out_range == 0,
            message=f"Series contains {in_range} values in range ({low},{high}), and {out_range} outside.",
            diagnostics={"range": self.range, "in_range": in_range, "out_range": out_range, "data_size": len(series)},
        )


class DataInValuesValidator(_BoundValidator):
    """``values_in=[...]``: every present value is one of them (missing values are ignored)."""

    def __init__(self, values_in: Iterable[Any], importance: str):
        super().__init__(importance)
        self.values = list(values_in)

    @classmethod
    def arg(cls) -> str:
        return "values_in"

    def description(self) -> str:
        return f"Validates that all data points are from a fixed set of values: ({self.values}), ignoring NA values."

    def validate(self, data: Any) -> base.ValidationResult:
        present = _present(_series(data))
        correct = int(present.is_in(self.values).sum())
        incorrect = len(present) - correct
        message = f"Series contains {correct} correct values, and {incorrect} incorrect values."
        if incorrect:
            message += f" Valid values are: {self.values}."
        return base.ValidationResult(
            passes=incorrect == 0,
            message=message,
            diagnostics={
                "values": self.values,
                "correct_values_count": correct,
                "incorrect_values_count": incorrect,
                "data_size": len(present),
            },
        )


class MaxFractionNansValidator(_BoundValidator):
    """``max_fraction_nans=f``: at most that fraction (0 to 1) of the values is missing."""

    def __init__(self, max_fraction_nans: float, importance: str):
        super().__init__(importance)
        if not 0 <= max_fraction_nans <= 1:
            raise ValueError(
                f"Maximum fraction allowed to be nan must be in range [0,1]; got max_fraction_nans={max_fraction_nans!r}."
            )
        self.max_fraction_nans = max_fraction_nans

    @classmethod
    def arg(cls) -> str:
        return "max_fraction_nans"

    def description(self) -> str:
        return f"Validates that no more than {_percent(self.max_fraction_nans)} of the data is Nan."

    def validate(self, data: Any) -> base.ValidationResult:
        series = _series(data)
        total = len(series)
        missing = int(_missing_mask(series).sum())
        fraction = missing / total if total else 0.0
        passes = fraction <= self.max_fraction_nans
        return base.ValidationResult(
            passes=passes,
            message=f"Out of {total} items in the series, {missing} of them are Nan, representing: "
            f"{_percent(fraction)}. Max allowable Nans is: {_percent(self.max_fraction_nans)}, so this "
            f"{'passes' if passes else 'does not pass'}.",
            diagnostics={
                "total_nan": missing,
                "total_length": total,
                "fraction_na": fraction,
                "max_fraction_na": self.max_fraction_nans,
            },
        )


class AllowNaNsValidator(MaxFractionNansValidator):
    """``allow_nans=False``: no value is missing (``True`` is refused: it would check nothing)."""

    def __init__(self, allow_nans: bool, importance: str):
        if allow_nans:
            raise ValueError(
                "Only allowed to block Nans with this validator: pass allow_nans=False, or leave it out, or "
                f"allow some with {MaxFractionNansValidator.arg()}=<fraction>."
            )
        super().__init__(max_fraction_nans=0, importance=importance)

    @classmethod
    def arg(cls) -> str:
        return "allow_nans"


def dtype_matches(series: Any, expected: Any) -> bool:
    """Whether the narwhals ``series``' type is ``expected``: a Python type (``int``, ``float``,
    ``bool``, ``str``), a narwhals dtype, the library's own dtype, or a numpy type/abstract type
    (``np.integer``, ``np.number``: 1.x's ``np.issubdtype`` rule)."""
    dtype = series.dtype
    by_python_type = {
        bool: lambda: dtype == nw.Boolean,
        int: lambda: dtype.is_integer(),
        float: lambda: dtype.is_float(),
        str: lambda: dtype == nw.String,
    }
    if expected in by_python_type:
        return by_python_type[expected]()
    if isinstance(expected, nw.dtypes.DType) or (isinstance(expected, type) and issubclass(expected, nw.dtypes.DType)):
        return bool(dtype == expected)
    native_dtype = getattr(series.to_native(), "dtype", None)
    try:
        if native_dtype == expected:
            return True
    except TypeError:
        pass
    try:
        import numpy as np
    except ImportError:
        return False
    # pandas' extension dtypes (Float64Dtype, Int64Dtype, BooleanDtype) give their numpy scalar
    # type as .type: @check_output(data_type=np.float64) accepts a nullable Float64 column, as in 1.x
    for candidate in (native_dtype, getattr(native_dtype, "type", None)):
        try:
            if candidate is not None and np.issubdtype(candidate, expected):
                return True
        except TypeError:
            pass
    return False


class DataTypeValidator(_BoundValidator):
    """``data_type=T``: the column's type is ``T`` (see :func:`dtype_matches`)."""

    def __init__(self, data_type: Any, importance: str):
        super().__init__(importance)
        self.datatype = data_type

    @classmethod
    def arg(cls) -> str:
        return "data_type"

    def description(self) -> str:
        return f"Validates that the datatype of the series is a subclass of: {self.datatype}"

    def validate(self, data: Any) -> base.ValidationResult:
        series = _series(data)
        passes = dtype_matches(series, self.datatype)
        actual = getattr(data, "dtype", series.dtype)
        return base.ValidationResult(
            passes=passes,
            message=f"Requires subclass of datatype: {self.datatype}. Got datatype: {actual}. This "
            f"{'is' if passes else 'is not'} a match.",
            diagnostics={"required_dtype": self.datatype, "actual_dtype": actual},
        )


class MaxStandardDevValidator(_BoundValidator):
    """``max_standard_dev=x``: the sample standard deviation of the present values is at most ``x``."""

    def __init__(self, max_standard_dev: float, importance: str):
        super().__init__(importance)
        self.max_standard_dev = max_standard_dev

    @classmethod
    def arg(cls) -> str:
        return "max_standard_dev"

    def description(self) -> str:
        return f"Validates that the standard deviation of a series is no greater than : {self.max_standard_dev}"

    def validate(self, data: Any) -> base.ValidationResult:
        standard_dev = _as_float(_present(_series(data)).std())
        passes = standard_dev is not None and standard_dev <= self.max_standard_dev
        return base.ValidationResult(
            passes=passes,
            message=f"Max allowable standard dev is: {self.max_standard_dev}. Dataset stddev is : {standard_dev}. "
            f"This {'passes' if passes else 'does not pass'}.",
            diagnostics={"standard_dev": standard_dev, "max_standard_dev": self.max_standard_dev},
        )


class MeanInRangeValidator(_BoundValidator):
    """``mean_in_range=(low, high)``: the mean of the present values lies in ``[low, high]``."""

    def __init__(self, mean_in_range: tuple[float, float], importance: str):
        super().__init__(importance)
        self.mean_in_range = mean_in_range

    @classmethod
    def arg(cls) -> str:
        return "mean_in_range"

    def description(self) -> str:
        low, high = self.mean_in_range
        return f"Validates that a series has mean in range [{low}, {high}]"

    def validate(self, data: Any) -> base.ValidationResult:
        low, high = self.mean_in_range
        mean = _as_float(_present(_series(data)).mean())
        passes = mean is not None and low <= mean <= high
        return base.ValidationResult(
            passes=passes,
            message=f"Dataset has mean: {mean}. This {'is' if passes else 'is not'} in the required range: "
            f"[{low}, {high}].",
            diagnostics={"dataset_mean": mean, "mean_in_range": self.mean_in_range},
        )


SERIES_VALIDATORS: tuple[type[_BoundValidator], ...] = (
    AllowNaNsValidator,
    DataInRangeValidator,
    DataInValuesValidator,
    DataTypeValidator,
    MaxFractionNansValidator,
    MaxStandardDevValidator,
    MeanInRangeValidator,
)


# -- frame validators ----------------------------------------------------------------------------


def _is_pandera_schema(schema: Any) -> bool:
    return type(schema).__module__.partition(".")[0] == "pandera"


class SchemaValidator(_BoundValidator):
    """``schema=...``: the frame has the given columns and types.

    Takes ``{column: type}`` (types as :func:`dtype_matches` understands them; extra columns are
    allowed) or, when pandera is installed, a ``pandera.DataFrameSchema`` (validated lazily, every
    failure reported).
    """

    def __init__(self, schema: Mapping[str, Any] | Any, importance: str):
        super().__init__(importance)
        if not isinstance(schema, Mapping) and not _is_pandera_schema(schema):
            raise ValueError(
                f"schema= takes a mapping of column name to type (e.g. {{'a': int, 'b': float}}) or a "
                f"pandera.DataFrameSchema; got {type(schema).__name__} {schema!r}."
            )
        self.schema = schema

    @classmethod
    def arg(cls) -> str:
        return "schema"

    def description(self) -> str:
        return f"Validates that the dataframe matches the schema {self.schema}"

    def validate(self, data: Any) -> base.ValidationResult:
        if _is_pandera_schema(self.schema):
            return self._validate_pandera(data)
        frame = nw.from_native(data)
        present = set(frame.columns)
        missing = [name for name in self.schema if name not in present]
        eager = frame.head(0).collect() if isinstance(frame, nw.LazyFrame) else frame
        wrong = {
            name: str(eager.schema[name])
            for name, expected in self.schema.items()
            if name in present and not dtype_matches(eager.get_column(name), expected)
        }
        passes = not missing and not wrong
        message = "The dataframe matches the schema." if passes else "The dataframe does not match the schema:"
        if missing:
            message += f" missing columns {missing}."
        if wrong:
            message += f" columns of the wrong type {wrong} (expected {[self.schema[n] for n in wrong]})."
        return base.ValidationResult(
            passes=passes,
            message=message,
            diagnostics={"missing_columns": missing, "wrong_types": wrong, "schema": dict(self.schema)},
        )

    def _validate_pandera(self, data: Any) -> base.ValidationResult:
        import pandera.errors

        try:
            self.schema.validate(data, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            return base.ValidationResult(
                passes=False,
                message=str(errors),
                diagnostics={"schema_errors": getattr(errors, "failure_cases", None)},
            )
        return base.ValidationResult(passes=True, message="Data passes pandera check.")


FRAME_VALIDATORS: tuple[type[_BoundValidator], ...] = (SchemaValidator,)


def _library_prefix(types: tuple[type, ...]) -> str:
    """``"PandasSeries"`` for ``(pd.Series,)``: gives the bound classes 1.x-like names."""
    if not types:
        return ""
    first = types[0]
    return (first.__module__ or "").partition(".")[0].capitalize() + first.__name__


def _bind(validator: type[_BoundValidator], types: tuple[type, ...]) -> type[_BoundValidator]:
    return type(
        f"{validator.__name__}{_library_prefix(types)}",
        (validator,),
        {"native_types": tuple(types), "__module__": __name__, "__doc__": validator.__doc__},
    )


def validators_for(series_types: tuple[type, ...], dataframe_types: tuple[type, ...]) -> list[type]:
    """The validator classes for one library: series checks for ``series_types``, frame checks
    for ``dataframe_types`` — what a plugin's ``hamilton_validators`` hook returns."""
    return [_bind(validator, tuple(series_types)) for validator in SERIES_VALIDATORS if series_types] + [
        _bind(validator, tuple(dataframe_types)) for validator in FRAME_VALIDATORS if dataframe_types
    ]
