"""Fingerprints of GeoDataFrames, GeoSeries and geometry arrays, for caching.

pandas' fingerprints would take a GeoDataFrame as a DataFrame: its geometry column element by
element as Python objects, and without its coordinate reference system — two frames differing
only in CRS (``set_crs(..., allow_override=True)``) would look alike. Here a geometry column adds
its CRS (as WKT) and its geometries as WKB (with SRID and Z), in one buffer; every other column,
the index, the column labels, ``attrs`` and the active geometry column's name go as pandas'
fingerprints take them.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from geopandas.array import GeometryArray

from hamilton import fingerprinting
from hamilton.fingerprinting import UNHASHABLE, Hasher
from hamilton.plugins.fingerprint_buffers import qualified_name
from hamilton.plugins.numpy_fingerprints import add_ndarray
from hamilton.plugins.pandas_fingerprints import add_values, frame_fingerprinter, series_fingerprinter


def add_geometries(hasher: Hasher, values: GeometryArray, depth: int = 0) -> bool:
    """A geometry array: its CRS, where values are missing, and the others' WKB."""
    crs = values.crs
    hasher.add_text("geometry").add_int(len(values)).add_text(crs.to_wkt() if crs is not None else "")
    geometries = np.asarray(values, dtype=object)
    missing = shapely.is_missing(geometries)
    if not add_ndarray(hasher, missing, depth):
        return False
    wkb = shapely.to_wkb(geometries[~missing], include_srid=True, output_dimension=3)
    lengths = np.fromiter((len(item) for item in wkb), dtype=np.int64, count=len(wkb))
    if not add_ndarray(hasher, lengths, depth):
        return False
    hasher.add_buffer(b"".join(wkb))
    return True


def _add_column(hasher: Hasher, values: Any, depth: int) -> bool:
    if isinstance(values, GeometryArray):
        return add_geometries(hasher, values, depth)
    return add_values(hasher, values, depth)


hash_geodataframe = frame_fingerprinter("geopandas.GeoDataFrame", _add_column)  # see the module docstring
hash_geoseries = series_fingerprinter("geopandas.GeoSeries", _add_column)


def hash_geometry_array(values: GeometryArray, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("geopandas.GeometryArray").add_text(qualified_name(type(values)))
    return hasher.hexdigest() if add_geometries(hasher, values, depth) else UNHASHABLE


FINGERPRINTERS = {
    gpd.GeoDataFrame: hash_geodataframe,
    gpd.GeoSeries: hash_geoseries,
    GeometryArray: hash_geometry_array,
}
