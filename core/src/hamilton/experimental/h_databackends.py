"""Abstract dataframe and column types, one per library, for ``isinstance`` without the import.

Kept for 1.x compatibility (1.x's ``hamilton.experimental.h_databackends``). Each class answers
``isinstance``/``issubclass`` for its library's type (see :mod:`hamilton.experimental.databackend`)
and can be a ``functools.singledispatch`` key, so code can dispatch on pandas, polars... values
while importing none of them::

    @functools.singledispatch
    def row_count(df) -> int: ...

    @row_count.register
    def _(df: h_databackends.AbstractPandasDataFrame) -> int:
        return len(df.index)

:data:`DATAFRAME_TYPES` and :data:`COLUMN_TYPES` group them for ``isinstance(x, DATAFRAME_TYPES)``.
"""

from __future__ import annotations

from hamilton.experimental.databackend import AbstractBackend


class AbstractPyArrowDataFrame(AbstractBackend):
    _backends = [("pyarrow", "Table"), ("pyarrow", "RecordBatch")]


class AbstractPyarrowColumn(AbstractBackend):
    _backends = [("pyarrow", "Array"), ("pyarrow", "ChunkedArray")]


class AbstractIbisDataFrame(AbstractBackend):
    _backends = [("ibis.expr.types", "Table")]


class AbstractIbisColumn(AbstractBackend):
    _backends = [("ibis.expr.types", "Column")]


class AbstractPandasDataFrame(AbstractBackend):
    _backends = [("pandas", "DataFrame")]


class AbstractPandasColumn(AbstractBackend):
    _backends = [("pandas", "Series")]


class AbstractPolarsDataFrame(AbstractBackend):
    _backends = [("polars", "DataFrame")]


class AbstractPolarsColumn(AbstractBackend):
    _backends = [("polars", "Series")]


class AbstractLazyPolarsDataFrame(AbstractBackend):
    _backends = [("polars", "LazyFrame")]


class AbstractVaexDataFrame(AbstractBackend):
    _backends = [("vaex.dataframe", "DataFrame")]


class AbstractVaexColumn(AbstractBackend):
    _backends = [("vaex.expression", "Expression")]


class AbstractDaskDataFrame(AbstractBackend):
    _backends = [("dask.dataframe", "DataFrame")]


class AbstractDaskColumn(AbstractBackend):
    _backends = [("dask.dataframe", "Series")]


class AbstractSparkSQLDataFrame(AbstractBackend):
    _backends = [("pyspark.sql", "DataFrame")]


class AbstractSparkPandasDataFrame(AbstractBackend):
    _backends = [("pyspark.pandas", "DataFrame")]


class AbstractSparkPandasColumn(AbstractBackend):
    _backends = [("pyspark.pandas", "Series")]


class AbstractGeoPandasDataFrame(AbstractBackend):
    _backends = [("geopandas", "GeoDataFrame")]


class AbstractGeoPandasColumn(AbstractBackend):
    _backends = [("geopandas", "GeoSeries")]


class AbstractCuDFDataFrame(AbstractBackend):
    _backends = [("cudf", "DataFrame")]


class AbstractModinDataFrame(AbstractBackend):
    _backends = [("modin.pandas", "DataFrame")]


class AbstractNumpyArray(AbstractBackend):
    _backends = [("numpy", "ndarray")]


def register_backends() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """The abstract types of this module, as ``(dataframe types, column types)``.

    A type counts as a dataframe type when its name contains ``DataFrame`` and as a column type
    when it contains ``Column`` (so :class:`AbstractNumpyArray` is in neither).
    """
    backends = [
        value for name, value in globals().items() if name.startswith("Abstract") and value is not AbstractBackend
    ]
    dataframes = tuple(b for b in backends if "DataFrame" in b.__name__)
    columns = tuple(b for b in backends if "Column" in b.__name__)
    return dataframes, columns


DATAFRAME_TYPES, COLUMN_TYPES = register_backends()
