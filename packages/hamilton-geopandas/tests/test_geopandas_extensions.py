"""hamilton-geopandas through the public API: driver runs on real GeoDataFrames (files in tmp_path)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from hamilton import base, driver, plugins
from hamilton.data_quality.base import DataValidationError
from hamilton.fingerprinting import hash_value
from hamilton.function_modifiers import check_output, extract_columns
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.recursive import with_columns
from hamilton.io.materialization import to
from hamilton.plugins.testing import (
    DataFrameBackendContract,
    IntegrationContract,
    assert_fingerprints_differ,
    assert_fingerprints_equal,
)

CRS = "EPSG:3857"  # projected: buffers and areas are meaningful


def make_cities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["a", "b", "c"], "population": [10, 20, 30]},
        geometry=[Point(0, 0), Point(10, 0), Point(0, 10)],
        crs=CRS,
    )


# -- extract_columns ---------------------------------------------------------------------------


def test_extract_columns_types_columns_as_geoseries_and_serves_both_annotations():
    @extract_columns("name", "population", "geometry")
    def cities() -> gpd.GeoDataFrame:
        return make_cities()

    def zones(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
        return geometry.buffer(1.0)

    def doubled(population: pd.Series) -> pd.Series:
        return population * 2

    dr = driver.Builder().with_functions(cities, zones, doubled).build()
    types = {variable.name: variable.type for variable in dr.list_available_variables()}
    assert types["name"] is gpd.GeoSeries
    assert types["geometry"] is gpd.GeoSeries

    result = dr.execute(["name", "geometry", "zones", "doubled"])
    assert isinstance(result["geometry"], gpd.GeoSeries)
    assert result["geometry"].crs == CRS
    assert isinstance(result["zones"], gpd.GeoSeries)
    assert result["zones"].crs == CRS
    assert result["zones"].area.round(2).tolist() == [3.14] * 3
    # not a geometry column: what indexing the frame gives, as in 1.x
    assert type(result["name"]) is pd.Series
    assert result["name"].tolist() == ["a", "b", "c"]
    assert result["doubled"].tolist() == [20, 40, 60]


def test_fill_with_adds_columns_and_keeps_the_frame_geo_without_changing_the_input():
    source = make_cities()

    @extract_columns("name", "country", fill_with="FR")
    def cities() -> gpd.GeoDataFrame:
        return source

    result = driver.Builder().with_functions(cities).build().execute(["cities", "country"])
    frame = result["cities"]
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.geometry.name == "geometry"
    assert frame.crs == CRS
    assert list(frame.columns) == ["name", "population", "geometry", "country"]
    assert result["country"].tolist() == ["FR"] * 3
    assert "country" not in source.columns  # 1.x changed the frame in place; 2.0 copies


def test_a_missing_column_fails_naming_column_node_and_function():
    @extract_columns("name", "altitude")
    def cities() -> gpd.GeoDataFrame:
        return make_cities()

    dr = driver.Builder().with_functions(cities).build()
    with pytest.raises(InvalidDecoratorException) as info:
        dr.execute(["altitude"])
    message = str(info.value)
    assert "No such column: altitude produced by cities" in message
    assert "test_a_missing_column_fails_naming_column_node_and_function" in message  # the function


def test_a_second_geometry_column_is_a_geoseries_too():
    @extract_columns("geometry", "centre")
    def parcels() -> gpd.GeoDataFrame:
        frame = gpd.GeoDataFrame({"id": [1]}, geometry=[Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])], crs=CRS)
        frame["centre"] = frame.geometry.centroid
        return frame

    result = driver.Builder().with_functions(parcels).build().execute(["centre"])
    assert isinstance(result["centre"], gpd.GeoSeries)
    assert result["centre"].iloc[0].equals(Point(1, 1))
    assert result["centre"].crs == CRS


def test_extract_columns_gives_the_same_result_types_as_pandas_would():
    """An extracted geometry column and a GeoDataFrame build a result like any pandas values."""

    @extract_columns("name", "geometry")
    def cities() -> gpd.GeoDataFrame:
        return make_cities()

    dr = driver.Builder().with_functions(cities).with_adapters(base.PandasDataFrameResult()).build()
    table = dr.execute(["name", "geometry"])
    assert type(table) is pd.DataFrame  # as 1.x: pandas' constructor, geometry dtype kept
    assert isinstance(table["geometry"].dtype, gpd.array.GeometryDtype)
    assert table["name"].tolist() == ["a", "b", "c"]
    single = dr.execute(["cities"])
    assert isinstance(single, gpd.GeoDataFrame)
    assert single.crs == CRS


# -- with_columns (core's dataframe-agnostic decorator) ------------------------------------------


def test_with_columns_appends_and_keeps_the_frame_geo():
    def area(geometry: gpd.GeoSeries) -> pd.Series:
        return geometry.buffer(1.0).area.round(2)

    def big(population: pd.Series) -> pd.Series:
        return population > 15

    @with_columns(area, big, columns_to_pass=["geometry", "population"], select=["area", "big"])
    def enriched(cities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return cities

    result = (
        driver.Builder()
        .with_functions(enriched)
        .build()
        .execute(["enriched"], inputs={"cities": make_cities()})["enriched"]
    )
    assert isinstance(result, gpd.GeoDataFrame)
    assert result.crs == CRS
    assert list(result.columns) == ["name", "population", "geometry", "area", "big"]
    assert result["area"].tolist() == [3.14] * 3
    assert result["big"].tolist() == [False, True, True]


# -- validators and savers from hamilton-pandas apply ---------------------------------------------


def test_pandas_validators_apply_to_geoseries():
    @check_output(allow_nans=False, importance="fail")
    def shapes() -> gpd.GeoSeries:
        return gpd.GeoSeries([Point(0, 0), None], crs=CRS)

    with pytest.raises(DataValidationError, match="shapes"):
        driver.Builder().with_functions(shapes).build().execute(["shapes"])


def test_to_parquet_writes_geoparquet_and_to_csv_wkt(tmp_path):
    def cities() -> gpd.GeoDataFrame:
        return make_cities()

    dr = driver.Builder().with_functions(cities).build()
    dr.materialize(
        to.parquet(id="as_parquet", dependencies=["cities"], path=str(tmp_path / "cities.parquet")),
        to.csv(id="as_csv", dependencies=["cities"], path=str(tmp_path / "cities.csv")),
    )
    back = gpd.read_parquet(tmp_path / "cities.parquet")
    assert back.crs == CRS
    assert back.geometry.equals(make_cities().geometry)
    assert "POINT (10 0)" in (tmp_path / "cities.csv").read_text()


# -- fingerprints ---------------------------------------------------------------------------


def test_fingerprints_cover_geometry_crs_and_values():
    cities = make_cities()
    moved = cities.copy()
    moved.loc[1, "geometry"] = Point(10, 1)
    other_crs = cities.set_crs("EPSG:4326", allow_override=True)
    renamed_geometry = cities.rename_geometry("where")
    assert_fingerprints_differ([cities, moved, other_crs, renamed_geometry, pd.DataFrame(cities)])
    assert_fingerprints_differ([cities.geometry, other_crs.geometry, moved.geometry])
    assert_fingerprints_equal(cities, make_cities(), cities.copy())
    assert_fingerprints_equal(cities.geometry, make_cities().geometry)


coordinates = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(coordinates, coordinates), min_size=1, max_size=30), st.data())
def test_fingerprints_of_random_points(points, data):
    frame = gpd.GeoDataFrame({"i": range(len(points))}, geometry=[Point(x, y) for x, y in points], crs=CRS)
    assert_fingerprints_equal(frame, frame.copy(deep=True))
    index = data.draw(st.integers(0, len(points) - 1))
    x, y = points[index]
    shifted = frame.copy()
    shifted.loc[index, "geometry"] = Point(x + 1.0, y)
    assert hash_value(frame) != hash_value(shifted)


# -- the column backend ---------------------------------------------------------------------


class TestGeoPandasBackendContract(DataFrameBackendContract):
    def make_backend(self):
        return plugins.dataframe_backend(gpd.GeoDataFrame)

    def make_frame(self):
        return gpd.GeoDataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})

    def test_column_type(self):
        # Replaces the kit's check: 1.x typed every extracted column GeoSeries, but indexing a
        # GeoDataFrame gives a GeoSeries only for geometry columns (ints here are a pd.Series).
        backend = self.make_backend()
        assert backend.column_type_for(gpd.GeoDataFrame) is gpd.GeoSeries
        assert isinstance(backend.get_column(self.make_frame(), "a"), pd.Series)
        assert isinstance(backend.get_column(make_cities(), "geometry"), gpd.GeoSeries)


def test_schema_names_geometry_columns():
    backend = plugins.dataframe_backend(gpd.GeoDataFrame)
    assert backend.schema(make_cities()) == {"name": "str", "population": "int64", "geometry": "geometry"}


# -- 1.x's module ---------------------------------------------------------------------------


def test_1x_module_names():
    from hamilton.plugins import geopandas_extensions

    assert geopandas_extensions.DATAFRAME_TYPE is gpd.GeoDataFrame
    assert geopandas_extensions.COLUMN_TYPE is gpd.GeoSeries
    cities = make_cities()
    assert geopandas_extensions.get_column_geopandas(cities, "geometry").crs == CRS
    filled = geopandas_extensions.fill_with_scalar_geopandas(cities, "zero", 0)
    assert isinstance(filled, gpd.GeoDataFrame)
    assert filled["zero"].tolist() == [0, 0, 0]
    geopandas_extensions.register_types()  # harmless, twice too


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_importing_by_hand_registers_when_autoloading_is_off():
    code = """
        import geopandas as gpd
        from shapely.geometry import Point
        from hamilton import driver
        from hamilton.function_modifiers import extract_columns
        from hamilton.function_modifiers.base import InvalidDecoratorException

        def cities() -> gpd.GeoDataFrame:
            return gpd.GeoDataFrame({"n": [1]}, geometry=[Point(0, 0)])

        try:
            extract_columns("n")(cities)
        except InvalidDecoratorException:
            print("unknown before the import")
        import hamilton.plugins.geopandas_extensions  # 1.x's way
        dr = driver.Builder().with_functions(extract_columns("n")(cities)).build()
        print(dr.execute(["n"])["n"].tolist())
    """
    done = _run(code, HAMILTON_AUTOLOAD_EXTENSIONS="0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["unknown before the import", "[1]"]


def test_column_types_do_not_depend_on_which_plugin_loaded_first():
    code = """
        import geopandas as gpd
        import pandas as pd
        from hamilton import plugins
        from hamilton.function_modifiers import extract_columns

        assert plugins.dataframe_backend(pd.DataFrame).name == "pandas"  # pandas' plugin first

        @extract_columns("geometry")
        def cities() -> gpd.GeoDataFrame:
            return gpd.GeoDataFrame(geometry=[])

        print(plugins.dataframe_backend(gpd.GeoDataFrame).name)
    """
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "geopandas"


class TestGeoPandasIntegration(IntegrationContract):
    library = "geopandas"
    extra = "geopandas"
    modules = ("hamilton.plugins.geopandas_extensions",)
    entry_point = "geopandas"
