"""``DaskDataFrameResult``: a run's outputs as one dask DataFrame (needs ``dask[dataframe]``)."""

from __future__ import annotations

from typing import Any

from hamilton import base


class DaskDataFrameResult(base.ResultMixin):
    """Joins the outputs into a dask DataFrame, column by column, on their index (outer join).

    * a pandas or dask Series becomes a column named after its output;
    * a pandas or dask DataFrame contributes every column, named ``<output>.<column>``;
    * a numpy array, list or tuple becomes a column (index ``0..n-1``);
    * a scalar (a Python value or a dask scalar such as ``series.sum()``) is repeated over the
      index of the first Series/DataFrame output *before* it; a scalar that comes first has
      nothing to take a length from and fills one row. Order the outputs to choose.

    The result stays lazy: call ``.compute()`` (``DaskGraphAdapter`` computes it at the end).
    """

    @staticmethod
    def build_result(**outputs: Any) -> Any:
        import dask.dataframe as dd

        if not outputs:
            raise ValueError("DaskDataFrameResult needs at least one output to build a DataFrame from.")
        columns: list[Any] = []
        first: Any = None  # the first Series/DataFrame output's first column: the index scalars take
        for name, value in outputs.items():
            pieces = _as_columns(name, value)
            if pieces is None:  # a scalar
                columns.append(_broadcast(name, value, first))
                continue
            if first is None:
                first = pieces[0]
            columns.extend(pieces)
        if len(columns) == 1:
            return columns[0].to_frame()
        return dd.concat(columns, axis=1, join="outer")

    def output_type(self) -> type:
        import dask.dataframe as dd

        return dd.DataFrame


def _as_columns(name: str, value: Any) -> list[Any] | None:
    """``value`` as named dask Series, or ``None`` for a scalar."""
    import dask.dataframe as dd
    import numpy as np
    import pandas as pd

    if isinstance(value, dd.DataFrame):
        return [value[column].rename(f"{name}.{column}") for column in value.columns]
    if isinstance(value, dd.Series):
        return [value.rename(name)]
    if isinstance(value, pd.DataFrame):
        frame = dd.from_pandas(value, npartitions=1)
        return [frame[column].rename(f"{name}.{column}") for column in value.columns]
    if isinstance(value, pd.Series):
        return [dd.from_pandas(value.rename(name), npartitions=1)]
    if isinstance(value, (np.ndarray, list, tuple)):
        return [dd.from_pandas(pd.Series(list(value) if not isinstance(value, np.ndarray) else value, name=name), 1)]
    return None


def _broadcast(name: str, value: Any, first: Any) -> Any:
    """The scalar ``value`` as a column over ``first``'s index (one row when there is none yet)."""
    import dask.dataframe as dd
    import pandas as pd

    if first is None:
        if _is_dask_scalar(value):
            from dask import delayed

            return dd.from_delayed([delayed(_one_row)(value, name)], meta=pd.Series(dtype=value.dtype, name=name))
        return dd.from_pandas(pd.Series([value], name=name), npartitions=1)
    return first.map_partitions(_repeat_over, value, name)


def _is_dask_scalar(value: Any) -> bool:
    import dask

    return dask.is_dask_collection(value) and not hasattr(value, "columns") and not hasattr(value, "index")


def _repeat_over(partition: Any, value: Any, name: str) -> Any:
    """``value`` in every row of ``partition``'s index (runs on each partition)."""
    import pandas as pd

    return pd.Series([value] * len(partition), index=partition.index, name=name)


def _one_row(value: Any, name: str) -> Any:
    import pandas as pd

    return pd.Series([value], name=name)
