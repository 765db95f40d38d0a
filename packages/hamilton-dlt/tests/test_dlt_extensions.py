"""dlt resources as a loader and dlt pipelines as a saver (hamilton.plugins.dlt_extensions).

Destinations are local only: duckdb database files and the filesystem, under tmp_path.
"""

from __future__ import annotations

from typing import Any

import dlt
import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from dlt.destinations import duckdb as duckdb_destination
from dlt.destinations import filesystem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import base, driver, plugins
from hamilton.function_modifiers import load_from, source
from hamilton.io.materialization import from_, to

DLT_COLUMNS = ["_dlt_load_id", "_dlt_id"]


def duckdb_pipeline(tmp_path, name: str = "hamilton_test") -> tuple[dlt.Pipeline, str]:
    database = str(tmp_path / f"{name}.duckdb")
    pipeline = dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(tmp_path / "pipelines"),
        destination=duckdb_destination(credentials=database),
        dataset_name="analytics",
    )
    return pipeline, database


def rows_of(database: str, table: str) -> list[tuple]:
    with duckdb.connect(database, read_only=True) as connection:
        return connection.sql(f"select a, b from analytics.{table} order by a").fetchall()


# -- the saver ----------------------------------------------------------------------------------


def frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(frame, id="pandas"),
        pytest.param(lambda: pa.Table.from_pandas(frame()), id="pyarrow"),
        pytest.param(lambda: pl.from_pandas(frame()), id="polars"),
        pytest.param(lambda: frame().to_dict("records"), id="records"),
    ],
)
def test_materialize_loads_a_node_into_duckdb(tmp_path, make):
    pipeline, database = duckdb_pipeline(tmp_path)
    value = make()

    def table():
        return value

    table.__annotations__["return"] = type(value)  # the node's type: the value's own

    dr = driver.Builder().with_functions(table).build()
    saved, _ = dr.materialize(to.dlt(id="table_to_dlt", dependencies=["table"], pipeline=pipeline, table_name="things"))

    assert rows_of(database, "things") == [(1, "x"), (2, "y"), (3, "z")]
    load = saved["table_to_dlt"]["dlt_metadata"]
    assert load["dataset_name"] == "analytics"
    assert load["load_packages"][0]["state"] == "loaded"


def test_write_disposition_and_primary_key_reach_dlt(tmp_path):
    pipeline, database = duckdb_pipeline(tmp_path)

    def updates() -> pd.DataFrame:
        return pd.DataFrame({"a": [2, 4], "b": ["Y", "W"]})

    dr = driver.Builder().with_functions(updates).build()
    pipeline.run(frame(), table_name="things")
    dr.materialize(
        to.dlt(
            id="merge",
            dependencies=["updates"],
            pipeline=pipeline,
            table_name="things",
            write_disposition="merge",
            primary_key="a",
        )
    )
    assert rows_of(database, "things") == [(1, "x"), (2, "Y"), (3, "z"), (4, "W")]

    dr.materialize(
        to.dlt(
            id="replace", dependencies=["updates"], pipeline=pipeline, table_name="things", write_disposition="replace"
        )
    )
    assert rows_of(database, "things") == [(2, "Y"), (4, "W")]


def test_loading_to_the_filesystem_writes_files(tmp_path):
    pipeline = dlt.pipeline(
        pipeline_name="to_files",
        pipelines_dir=str(tmp_path / "pipelines"),
        destination=filesystem(bucket_url=(tmp_path / "bucket").as_uri()),
        dataset_name="exports",
    )

    def table() -> pd.DataFrame:
        return frame()

    dr = driver.Builder().with_functions(table).build()
    saved, _ = dr.materialize(
        to.dlt(
            id="export", dependencies=["table"], pipeline=pipeline, table_name="things", loader_file_format="parquet"
        )
    )
    files = sorted((tmp_path / "bucket" / "exports" / "things").glob("*.parquet"))
    assert len(files) == 1
    assert pd.read_parquet(files[0])[["a", "b"]].equals(frame())
    jobs = saved["export"]["dlt_metadata"]["load_packages"][0]["jobs"]
    assert any(job["file_path"].endswith(".parquet") for job in jobs)


def test_a_dict_from_combine_is_refused_with_advice(tmp_path):
    pipeline, _ = duckdb_pipeline(tmp_path)

    def first() -> pd.DataFrame:
        return frame()

    def second() -> pd.DataFrame:
        return frame()

    dr = driver.Builder().with_functions(first, second).build()
    with pytest.raises(NotImplementedError, match=r"received a dict.*one to.dlt\(\.\.\.\) per node.*\[record\]"):
        dr.materialize(
            to.dlt(
                id="both",
                dependencies=["first", "second"],
                combine=base.DictResult(),
                pipeline=pipeline,
                table_name="t",
            )
        )


def test_saver_arguments_are_checked(tmp_path):
    from hamilton.plugins.dlt_extensions import DltDestinationSaver

    with pytest.raises(TypeError, match=r"pipeline=.*takes a dlt pipeline.*got str"):
        DltDestinationSaver(pipeline="duckdb", table_name="t")
    with pytest.raises(TypeError, match=r"table_name=.*non-empty str"):
        DltDestinationSaver(pipeline=duckdb_pipeline(tmp_path)[0], table_name="")


# -- the loader ---------------------------------------------------------------------------------


RECORDS = [
    {"id": 1, "name": "ada", "tags": [{"tag": "math"}]},
    {"id": 2, "name": "bob", "tags": []},
]


def test_from_dlt_replaces_a_node_with_the_resource_as_a_dataframe():
    resource = dlt.resource(RECORDS, name="PeopleList")  # dlt normalizes the table name

    def names(people: pd.DataFrame) -> list:
        return people["name"].tolist()

    dr = driver.Builder().with_functions(names).build()
    _, results = dr.materialize(from_.dlt(target="people", resource=resource), additional_vars=["names", "people"])

    assert results["names"] == ["ada", "bob"]
    people = results["people"]
    assert isinstance(people, pd.DataFrame)
    assert set(people.columns) == {"id", "name", *DLT_COLUMNS}  # the nested list is a child table, left out
    assert people["id"].tolist() == [1, 2]


def test_load_from_decorator_and_arrow_typed_nodes():
    resource = dlt.resource([{"x": i} for i in range(5)], name="numbers")

    @load_from.dlt(resource=source("numbers_resource"))
    def total(numbers: pa.Table) -> int:
        return sum(numbers.column("x").to_pylist())

    dr = driver.Builder().with_functions(total).build()
    assert dr.execute(["total"], inputs={"numbers_resource": resource}) == {"total": 10}


def test_an_empty_resource_loads_as_an_empty_frame():
    from hamilton.plugins.dlt_extensions import DltResourceLoader

    loaded, _metadata = DltResourceLoader(resource=dlt.resource([], name="nothing")).load_data(pd.DataFrame)
    assert isinstance(loaded, pd.DataFrame)
    assert len(loaded) == 0


def test_the_loader_leaves_no_pipeline_behind_and_keeps_the_current_one(tmp_path):
    from hamilton.plugins.dlt_extensions import DltResourceLoader

    mine = dlt.pipeline(pipeline_name="users_own", pipelines_dir=str(tmp_path / "pipelines"))
    DltResourceLoader(resource=dlt.resource([{"a": 1}], name="one")).load_data(pd.DataFrame)
    assert dlt.current.pipeline() is mine


def test_loader_arguments_are_checked():
    from hamilton.plugins.dlt_extensions import DltResourceLoader

    with pytest.raises(TypeError, match=r"takes a dlt resource.*got list.*dlt.resource\(records"):
        DltResourceLoader(resource=[{"a": 1}])


def test_formats_are_found_without_importing_the_module_by_hand():
    assert [cls.__name__ for cls in plugins.loaders("dlt")] == ["DltResourceLoader"]
    assert [cls.__name__ for cls in plugins.savers("dlt")] == ["DltDestinationSaver"]


# -- round trip: records through dlt's normalizer come back as they went in ----------------------


records = st.lists(
    st.fixed_dictionaries(
        {
            "number": st.integers(-(2**62), 2**62),
            "ratio": st.floats(allow_nan=False, allow_infinity=False, width=64),
            "label": st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
            "flag": st.booleans(),
        }
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=records)
def test_records_round_trip_through_the_loader(rows: list[dict[str, Any]]):
    from hamilton.plugins.dlt_extensions import DltResourceLoader

    loaded, _ = DltResourceLoader(resource=dlt.resource(rows, name="rows")).load_data(pd.DataFrame)
    back = loaded.drop(columns=DLT_COLUMNS).to_dict("records")
    assert len(back) == len(rows)
    for got, expected in zip(back, rows):
        assert got["number"] == expected["number"]
        assert got["label"] == expected["label"]
        assert bool(got["flag"]) == expected["flag"]
        assert got["ratio"] == expected["ratio"]  # doubles are stored exactly
