"""The ``geopandas`` plugin: GeoDataFrames and GeoSeries as Hamilton dataframes (1.x's module).

Entry point ``geopandas`` in the ``hamilton.plugins`` group: Hamilton loads it lazily, the first
time a geopandas type is dispatched (``@extract_columns`` on a function returning a
``GeoDataFrame``, a GeoDataFrame to fingerprint or validate). Importing it by hand (1.x's
``from hamilton.plugins import geopandas_extensions``) is harmless, and registers it when automatic
loading of extensions is switched off (``HAMILTON_AUTOLOAD_EXTENSIONS=0``), as 1.x did.

A GeoDataFrame is a pandas DataFrame, and hamilton-pandas serves it wherever a pandas frame is
accepted: its savers (``to.parquet`` writes GeoParquet, ``to.csv`` geometries as WKT — geopandas'
own methods), its result builders and its ``@check_output`` validators. This plugin adds what
pandas cannot know:

* the column backend of ``GeoDataFrame`` (:class:`~hamilton.plugins.geopandas_backend.GeoPandasBackend`):
  ``@extract_columns`` makes nodes typed ``GeoSeries`` (1.x's :data:`COLUMN_TYPE`), and adding
  columns keeps the frame a GeoDataFrame;
* pandas' ``@check_output`` validators and fingerprints, registered for the geopandas types too,
  so they apply without loading every other plugin first.

1.x had no geopandas-specific loaders or savers; neither has this distribution.
"""

from hamilton.plugins import library_required, register_unless_automatic

with library_required("geopandas", needed_by=__name__, extra="geopandas"):
    import geopandas as gpd

from collections.abc import Callable, Collection, Mapping
from typing import Any

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"
ENTRY_POINT = "geopandas"  # this plugin's entry-point name (the library it serves)

# 1.x's names for the types this module registered.
DATAFRAME_TYPE = gpd.GeoDataFrame
COLUMN_TYPE = gpd.GeoSeries


def get_column_geopandas(df: gpd.GeoDataFrame, column_name: str) -> Any:
    """1.x's column getter of ``extract_columns``: ``df[column_name]`` (a GeoSeries for a geometry column)."""
    return df[column_name]


def fill_with_scalar_geopandas(df: gpd.GeoDataFrame, column_name: str, value: Any) -> gpd.GeoDataFrame:
    """1.x's filler of ``extract_columns(fill_with=...)``: a new frame with the column added (1.x changed ``df``)."""
    return df.assign(**{column_name: value})


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    from hamilton.plugins.geopandas_backend import GeoPandasBackend

    return [GeoPandasBackend()]


@hookimpl
def hamilton_validators() -> Collection[type]:
    # pandas' classes (they apply to subclasses of pd.Series/pd.DataFrame): registered here as well,
    # so @check_output on a GeoSeries finds them whether or not the pandas plugin has loaded yet.
    from hamilton.plugins.pandas_validators import VALIDATORS

    return list(VALIDATORS)


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton.plugins.geopandas_fingerprints import FINGERPRINTERS

    return FINGERPRINTERS


def register_types() -> None:
    """Register this plugin by hand, so ``@extract_columns`` handles GeoDataFrames.

    Automatic loading does this when needed; 1.x called it on import, and so does this module when
    automatic loading of extensions is switched off. Registering twice is harmless.
    """
    import sys

    from hamilton import plugins

    plugins.register(sys.modules[__name__])


# 1.x registered on import: with automatic loading off, so does a module imported by hand.
register_unless_automatic(__name__, ENTRY_POINT)
