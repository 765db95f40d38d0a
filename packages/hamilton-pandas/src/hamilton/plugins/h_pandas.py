"""1.x's ``hamilton.plugins.h_pandas``: pandas' ``with_columns`` and the pandas result builders.

``hamilton.base.PandasDataFrameResult`` (and the other pandas names of 1.x's ``hamilton.base``)
resolve here, so they work once ``hamilton-pandas`` is installed.
"""

from __future__ import annotations

import pandas as pd

from hamilton.function_modifiers import recursive
from hamilton.plugins.numpy_extensions import NumpyMatrixResult
from hamilton.plugins.pandas_results import (
    PandasDataFrameResult,
    SimplePythonDataFrameGraphAdapter,
    StrictIndexTypePandasDataFrameResult,
)

__all__ = [
    "NumpyMatrixResult",
    "PandasDataFrameResult",
    "SimplePythonDataFrameGraphAdapter",
    "StrictIndexTypePandasDataFrameResult",
    "with_columns",
]


class with_columns(recursive.with_columns):  # lower case: 1.x's public name
    """Core's :class:`~hamilton.function_modifiers.recursive.with_columns`, for a parameter that
    must be a ``pandas.DataFrame``: column functions run over it and ``select``-ed results are
    appended (aligned on the index). See core's class for the arguments."""

    dataframe_type = pd.DataFrame
