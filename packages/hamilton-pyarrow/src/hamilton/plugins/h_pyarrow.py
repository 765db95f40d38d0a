"""``PyarrowTableResult``: a run's single dataframe output as a ``pyarrow.Table`` (1.x's
``hamilton.plugins.h_pyarrow``).

Useful on its own (``Builder().with_adapters(PyarrowTableResult())``) and as the ``combine=`` of
a materializer whose saver takes Arrow tables. It converts one frame of any library: pyarrow
tables and record batches, pandas (the index is dropped, as 1.x did), polars (eager or lazy),
and anything implementing the Arrow PyCapsule interface, supported by narwhals, or implementing
the dataframe interchange protocol (the only route 1.x had).
"""

from __future__ import annotations

from typing import Any

from hamilton.plugins import library_required

with library_required("pyarrow", needed_by=__name__, extra="pyarrow"):
    import pyarrow

from hamilton.experimental import h_databackends
from hamilton.lifecycle.api import ResultBuilder


def _narwhals_table(value: Any) -> pyarrow.Table | None:
    try:
        import narwhals.stable.v1 as nw
    except ImportError:
        return None
    frame = nw.from_native(value, pass_through=True)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    if isinstance(frame, nw.DataFrame):
        return frame.to_arrow()
    return None


def to_pyarrow_table(value: Any, name: str = "value") -> pyarrow.Table:
    """``value`` (a dataframe of any supported library) as a ``pyarrow.Table``.

    :param name: what to call ``value`` in the error message (e.g. the output's name).
    :raises TypeError: ``value`` is not a dataframe any route can convert.
    """
    if isinstance(value, pyarrow.Table):
        return value
    if isinstance(value, pyarrow.RecordBatch):
        return pyarrow.Table.from_batches([value])
    if isinstance(value, h_databackends.AbstractPandasDataFrame):
        return pyarrow.Table.from_pandas(value, preserve_index=False)
    if isinstance(value, h_databackends.AbstractLazyPolarsDataFrame):
        return value.collect().to_arrow()
    if isinstance(value, h_databackends.AbstractPolarsDataFrame):
        return value.to_arrow()
    if isinstance(value, (pyarrow.Array, pyarrow.ChunkedArray, h_databackends.COLUMN_TYPES)):
        pass  # a column is not a table: fall through to the error
    elif hasattr(value, "__arrow_c_stream__"):  # the Arrow PyCapsule interface
        return pyarrow.table(value)
    else:
        table = _narwhals_table(value)
        if table is not None:
            return table
        if hasattr(value, "__dataframe__"):  # the dataframe interchange protocol
            from pyarrow.interchange import from_dataframe

            return from_dataframe(value, allow_copy=True)
    raise TypeError(
        f"PyarrowTableResult cannot turn {name!r}, a {type(value).__module__}.{type(value).__qualname__}, into a "
        "pyarrow.Table: it takes one dataframe (pyarrow, pandas, polars, or a frame implementing the Arrow "
        "PyCapsule interface or the dataframe interchange protocol). Request a dataframe node, or build one "
        "from your columns in a node of its own."
    )


class PyarrowTableResult(ResultBuilder):
    """The run's only requested output, a dataframe, as a ``pyarrow.Table``.

    Requesting more than one output raises ``AssertionError`` (as in 1.x): there is no rule to
    join frames; combine them in a node and request that node.
    """

    def output_type(self) -> type:
        return pyarrow.Table

    def build_result(self, **outputs: Any) -> pyarrow.Table:
        if len(outputs) != 1:
            raise AssertionError(
                f"PyarrowTableResult takes exactly one output (one dataframe), got {len(outputs)}: {sorted(outputs)}. "
                "Request a single node (with a materializer: a single entry in dependencies=[...]), or join the "
                "frames in a node of your own and request that one."
            )
        ((name, value),) = outputs.items()
        return to_pyarrow_table(value, name)
