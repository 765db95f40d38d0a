"""1.x's pandas validator classes, importable from hamilton.data_quality.default_validators."""

import pickle

import numpy as np
import pandas as pd
import pytest

from hamilton.data_quality import default_validators
from hamilton.data_quality.default_validators import (
    AllowNaNsValidatorPandasSeries,
    DataInRangeValidatorPandasSeries,
    DataInValuesValidatorPandasSeries,
    DataTypeValidatorPandasSeries,
    MaxFractionNansValidatorPandasSeries,
    MaxStandardDevValidatorPandasSeries,
    MeanInRangeValidatorPandasSeries,
    resolve_default_validators,
)
from hamilton.plugins import pandas_validators

ONE_X_NAMES = [
    "AllowNaNsValidatorPandasSeries",
    "DataInRangeValidatorPandasSeries",
    "DataInValuesValidatorPandasSeries",
    "DataTypeValidatorPandasSeries",
    "MaxFractionNansValidatorPandasSeries",
    "MaxStandardDevValidatorPandasSeries",
    "MeanInRangeValidatorPandasSeries",
]


@pytest.mark.parametrize("name", ONE_X_NAMES)
def test_each_name_is_the_class_check_output_selects(name):
    cls = getattr(default_validators, name)
    assert cls is getattr(pandas_validators, name)
    assert cls.__name__ == name
    (resolved,) = resolve_default_validators(pd.Series, "warn", **{cls.arg(): _valid_param(cls)})
    assert type(resolved) is cls


def _valid_param(cls):
    return {
        AllowNaNsValidatorPandasSeries: False,
        DataInRangeValidatorPandasSeries: (0, 1),
        DataInValuesValidatorPandasSeries: [1],
        DataTypeValidatorPandasSeries: np.int64,
        MaxFractionNansValidatorPandasSeries: 0.5,
        MaxStandardDevValidatorPandasSeries: 1.0,
        MeanInRangeValidatorPandasSeries: (0, 1),
    }[cls]


@pytest.mark.parametrize(
    ("cls", "param", "data", "passes"),
    [
        (DataInRangeValidatorPandasSeries, (0, 1), pd.Series([0.1, 0.9]), True),
        (DataInRangeValidatorPandasSeries, (0, 1), pd.Series([-1.0, 0.5]), False),
        (DataInValuesValidatorPandasSeries, ["a", "b"], pd.Series(["a", "b", "a"]), True),
        (DataInValuesValidatorPandasSeries, ["a"], pd.Series(["a", "b"]), False),
        (MaxFractionNansValidatorPandasSeries, 0.5, pd.Series([1.0, None]), True),
        (MaxFractionNansValidatorPandasSeries, 0.5, pd.Series([1.0, None, None]), False),
        (MaxFractionNansValidatorPandasSeries, 0, pd.Series([], dtype=float), True),
        (AllowNaNsValidatorPandasSeries, False, pd.Series([0.1, None]), False),
        (DataTypeValidatorPandasSeries, np.dtype("int64"), pd.Series([1, 2]), True),
        (DataTypeValidatorPandasSeries, np.dtype("int64"), pd.Series([1.0, 2.0]), False),
        (MaxStandardDevValidatorPandasSeries, 0.01, pd.Series([0.1, 0.2, 0.3, 0.4]), False),
        (MeanInRangeValidatorPandasSeries, (0, 1), pd.Series([0.2, 0.4]), True),
    ],
)
def test_the_classes_validate_series_as_in_1x(cls, param, data, passes):
    assert cls(**{cls.arg(): param, "importance": "warn"}).validate(data).passes is passes


def test_validators_pickle_by_reference_to_their_module():
    validator = DataInRangeValidatorPandasSeries(range=(0, 1), importance="fail")
    restored = pickle.loads(pickle.dumps(validator))
    assert type(restored) is DataInRangeValidatorPandasSeries
    assert restored.range == (0, 1)
