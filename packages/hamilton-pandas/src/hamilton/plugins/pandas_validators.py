"""The ``@check_output`` validators of ``pandas.Series`` and ``pandas.DataFrame``, bound once.

The checks themselves live in :mod:`hamilton.plugins.narwhals_validators`; this module binds
them to pandas types a single time, so every route to a class gives the same object: the
``hamilton_validators`` hook of the pandas plugin returns :data:`VALIDATORS`, and
``hamilton.data_quality.default_validators.DataInRangeValidatorPandasSeries`` (1.x's import
path, resolved lazily) reads the class from here.

Names follow 1.x: ``<Check>PandasSeries`` (``DataInRangeValidatorPandasSeries``,
``AllowNaNsValidatorPandasSeries``...) and ``SchemaValidatorPandasDataFrame``.
"""

from __future__ import annotations

import pandas as pd

from hamilton.plugins.narwhals_validators import validators_for

VALIDATORS: list[type] = validators_for((pd.Series,), (pd.DataFrame,))

for _cls in VALIDATORS:
    _cls.__module__ = __name__  # importable (and picklable) from here under its own name
    globals()[_cls.__name__] = _cls
del _cls

__all__ = [cls.__name__ for cls in VALIDATORS]  # the bound class names
