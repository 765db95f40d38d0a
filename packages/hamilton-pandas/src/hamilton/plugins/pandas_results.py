"""1.x's pandas result builders: a run's outputs as one ``pandas.DataFrame``.

The rules are 1.x's, because code written for 1.x depends on them:

* one output that is a DataFrame is returned as it is;
* outputs that are all scalars (nothing list-like) become a one-row frame;
* when a DataFrame is among several outputs, its columns are named ``<output>.<column>``, and an
  output whose name is already taken raises ``ValueError``;
* otherwise ``pd.DataFrame(outputs)``: series are aligned on their index (an outer join), and
  scalars are broadcast.

Index types are compared first and mismatches logged as warnings (logger ``hamilton.base``, as
in 1.x); :class:`StrictIndexTypePandasDataFrameResult` raises instead.

Under pandas' copy-on-write (always on from pandas 3) the frame is built without copying the
columns — safe, since neither side can change the other — which is what makes building a frame
from hundreds of large series cheap.
"""

from __future__ import annotations

import collections
import logging
from typing import Any

import pandas as pd

from hamilton import htypes
from hamilton.base import HamiltonGraphAdapter, ResultMixin
from hamilton.node import Node

logger = logging.getLogger("hamilton.base")  # 1.x logged these warnings there; keep filters working

NO_INDEX = "no-index"
IndexGroups = dict[str, list[str]]


def _copy_on_write() -> bool:
    """Whether pandas shares memory safely between frames (copy-on-write)."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    return pd.options.mode.copy_on_write is True


def _index_key(index: pd.Index) -> str:
    """How an index type is identified in messages: ``"RangeIndex:::int64"``."""
    return f"{type(index).__name__}:::{index.dtype}"


_TIME_INDEX = getattr(pd.core.indexes.extension, "NDArrayBackedExtensionIndex", ())  # datetime, period, category...
_DEFAULT_INDEX_KEY = _index_key(pd.RangeIndex(3))  # what a bare pd.Index output counts as (1.x)


class PandasDataFrameResult(ResultMixin):
    """Builds a ``pandas.DataFrame`` from the outputs (see the module docstring for the rules).

    Use it as ``Builder().with_adapters(PandasDataFrameResult())`` or
    ``SimplePythonGraphAdapter(PandasDataFrameResult())``.
    """

    @staticmethod
    def pandas_index_types(outputs: dict[str, Any]) -> tuple[IndexGroups, IndexGroups, IndexGroups]:
        """Outputs grouped by index type: (all index types, time/categorical index types, no index)."""
        all_index_types: IndexGroups = collections.defaultdict(list)
        time_indexes: IndexGroups = collections.defaultdict(list)
        no_indexes: IndexGroups = collections.defaultdict(list)
        for name, value in outputs.items():
            if isinstance(value, (pd.DataFrame, pd.Series)):
                key = _index_key(value.index)
                if _TIME_INDEX and isinstance(value.index, _TIME_INDEX):
                    time_indexes[key].append(name)
            elif isinstance(value, pd.Index):
                key = _DEFAULT_INDEX_KEY
            else:
                key = NO_INDEX
                no_indexes[key].append(name)
            all_index_types[key].append(name)
        return all_index_types, time_indexes, no_indexes

    @staticmethod
    def check_pandas_index_types_match(
        all_index_types: IndexGroups, time_indexes: IndexGroups, no_indexes: IndexGroups
    ) -> bool:
        """Whether the index types match; logs a warning describing any mismatch (1.x's rules)."""
        with_index = len(all_index_types) - len(no_indexes)
        types_match = True
        if len(time_indexes) > 1:
            logger.warning(
                "WARNING: Time/Categorical index type mismatches detected - check output to ensure Pandas is doing "
                "what you intend to do. Else change the index types to match. Set logger to debug to see index types."
            )
            types_match = False
        if with_index > 1 and len(all_index_types) > len(time_indexes):
            logger.warning(
                "WARNING: Multiple index types detected - check output to ensure Pandas is doing what you intend to "
                "do. Else change the index types to match. Set logger to debug to see index types."
            )
            types_match = False
        elif with_index == 1 and no_indexes:
            logger.warning(
                f"WARNING: a single pandas index was found, but there are also {len(no_indexes[NO_INDEX])} outputs "
                "without an index. Please check whether the dataframe created matches what what you expect to happen."
            )
        elif len(no_indexes) == len(all_index_types):
            logger.warning(
                "It appears no Pandas index type was detected (ignore this warning if you're using DASK for now.) "
                "Please check whether the dataframe created matches what what you expect to happen."
            )
            types_match = False
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(f"Index types encountered:\n{dict(all_index_types)}.")
        return types_match

    @staticmethod
    def build_result(**outputs: Any) -> pd.DataFrame:
        PandasDataFrameResult.check_pandas_index_types_match(*PandasDataFrameResult.pandas_index_types(outputs))
        return _build_dataframe(outputs)

    @staticmethod
    def build_dataframe_with_dataframes(outputs: dict[str, Any]) -> pd.DataFrame:
        """A frame of the outputs, DataFrame outputs flattened into ``<output>.<column>`` columns."""
        flattened: dict[str, Any] = {}
        for name, value in outputs.items():
            if isinstance(value, pd.DataFrame):
                flattened.update((f"{name}.{column}", series) for column, series in value.items())
                continue
            if name in flattened:
                is_series = isinstance(value, pd.Series)
                raise ValueError(
                    f"{'Series' if is_series else 'Non series output'} {name} already exists in the output. "
                    f"Please rename {'the series' if is_series else 'this output'} to avoid this error, or determine "
                    f"from where the initial {'series' if is_series else 'value'} is being added; it may be coming "
                    "from a dataframe that is being unpacked. (A DataFrame output's columns are named "
                    "'<output>.<column>'.)"
                )
            flattened[name] = value
        return _frame(flattened)

    def input_types(self) -> list[type]:
        return [Any]

    def output_type(self) -> type:
        return pd.DataFrame


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    """``pd.DataFrame(columns)``, without copying the columns when copy-on-write makes that safe."""
    return pd.DataFrame(columns, copy=False) if _copy_on_write() else pd.DataFrame(columns)


def _build_dataframe(outputs: dict[str, Any]) -> pd.DataFrame:
    if len(outputs) == 1:
        (value,) = outputs.values()
        if isinstance(value, pd.DataFrame):
            return value
    if not any(pd.api.types.is_list_like(value) for value in outputs.values()):
        return pd.DataFrame([outputs])  # only scalars: one row
    if any(isinstance(value, pd.DataFrame) for value in outputs.values()):
        return PandasDataFrameResult.build_dataframe_with_dataframes(outputs)
    return _frame(outputs)  # aligns series on their index (outer join), broadcasts scalars


class StrictIndexTypePandasDataFrameResult(PandasDataFrameResult):
    """Like :class:`PandasDataFrameResult`, but raises ``ValueError`` when index types differ.

    Outputs without an index (scalars) are fine as long as the others share one index type.
    """

    @staticmethod
    def build_result(**outputs: Any) -> pd.DataFrame:
        groups = PandasDataFrameResult.pandas_index_types(outputs)
        if not PandasDataFrameResult.check_pandas_index_types_match(*groups):
            import pprint

            raise ValueError(
                "Error: pandas index types did not match exactly. "
                f"Found the following indexes:\n{pprint.pformat(dict(groups[0]))}\n"
                "Give the outputs the same index type, or use PandasDataFrameResult to align them anyway."
            )
        return _build_dataframe(outputs)


class SimplePythonDataFrameGraphAdapter(HamiltonGraphAdapter, PandasDataFrameResult):
    """1.x's original adapter: runs nodes in-process and returns a ``pandas.DataFrame``."""

    @staticmethod
    def check_input_type(node_type: type, input_value: Any) -> bool:
        return htypes.check_input_type(node_type, input_value)

    @staticmethod
    def check_node_type_equivalence(node_type: type, input_type: type) -> bool:
        return node_type == input_type

    def execute_node(self, node: Node, kwargs: dict[str, Any]) -> Any:
        return node.callable(**kwargs)
