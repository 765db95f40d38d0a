"""The column backend of geopandas: ``GeoDataFrame`` frames, ``GeoSeries`` columns (1.x's types).

A GeoDataFrame is a pandas DataFrame, so this is the pandas backend with geopandas' types:

* extracted column nodes are typed ``GeoSeries``, as 1.x declared them, so a function may take
  a geometry column as ``gpd.GeoSeries`` and any column as ``pd.Series``. The values are what
  indexing the frame gives: a ``GeoSeries`` for a geometry column, a ``pd.Series`` for the others;
* adding columns (``fill_with``, ``with_columns``) keeps the frame a GeoDataFrame, with its active
  geometry column and CRS;
* schema capture names geometry columns ``geometry`` (narwhals does not know the dtype).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from hamilton.plugins.pandas_backend import PandasBackend


class GeoPandasBackend(PandasBackend):
    """``geopandas.GeoDataFrame`` frames, ``geopandas.GeoSeries`` columns."""

    def __init__(self) -> None:
        super().__init__()
        self.name = "geopandas"
        self.dataframe_types = (gpd.GeoDataFrame,)
        self.column_type = gpd.GeoSeries

    def fill_with_scalar(self, df: gpd.GeoDataFrame, name: str, value: Any) -> gpd.GeoDataFrame:
        return df.assign(**{name: value})

    def with_columns(self, df: gpd.GeoDataFrame, columns: Mapping[str, Any]) -> gpd.GeoDataFrame:
        return df.assign(**{str(name): value for name, value in columns.items()}) if columns else df

    def schema(self, df: gpd.GeoDataFrame) -> dict[str, str]:
        geometry = {str(name) for name, dtype in df.dtypes.items() if isinstance(dtype, gpd.array.GeometryDtype)}
        if not geometry:
            return super().schema(df)
        other = super().schema(df.drop(columns=list(geometry)))
        return {str(name): "geometry" if str(name) in geometry else other[str(name)] for name in df.columns}
