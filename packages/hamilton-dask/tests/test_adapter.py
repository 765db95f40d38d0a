"""1.x's DaskGraphAdapter and DaskDataFrameResult, and dask dataframes as column types."""

from __future__ import annotations

import adapter_nodes
import dask
import dask.dataframe as dd
import dask_frame_nodes
import pandas as pd
import pytest
from dask.delayed import Delayed, delayed

from hamilton import base, driver, plugins
from hamilton.plugins import h_dask

SPEND = pd.Series([10.0, 10.0, 20.0, 40.0, 40.0, 50.0])
SIGNUPS = pd.Series([1, 10, 50, 100, 200, 400])


def _local_result(outputs, inputs):
    return driver.Builder().with_modules(adapter_nodes).build().execute(outputs, inputs=inputs)


def test_delayed_nodes_give_the_same_dataframe_as_a_local_run(client):
    outputs = ["spend_per_signup", "avg_3wk_spend", "doubled_spend", "tripled_spend"]
    inputs = {"spend": SPEND, "signups": SIGNUPS}
    dr = driver.Driver({}, adapter_nodes, adapter=h_dask.DaskGraphAdapter(client))
    result = dr.execute(outputs, inputs=inputs)
    assert isinstance(result, pd.DataFrame)  # 1.x's default result builder: pandas
    expected = pd.DataFrame(_local_result(outputs, inputs))
    pd.testing.assert_frame_equal(result, expected)


def test_delayed_inputs_are_accepted_for_any_type(client):
    dr = driver.Driver({}, adapter_nodes, adapter=h_dask.DaskGraphAdapter(client, base.DictResult()))
    result = dr.execute(["total_spend"], inputs={"spend": delayed(lambda: SPEND)()})
    assert result == {"total_spend": float(SPEND.sum())}


def test_compute_at_end_false_returns_the_lazy_result(client):
    adapter = h_dask.DaskGraphAdapter(client, base.DictResult(), compute_at_end=False)
    dr = driver.Driver({}, adapter_nodes, adapter=adapter)
    lazy = dr.execute(["total_spend"], inputs={"spend": SPEND})
    assert isinstance(lazy, Delayed)
    assert lazy.compute(scheduler=client) == {"total_spend": float(SPEND.sum())}


def test_every_node_is_one_task_named_after_it(client):
    adapter = h_dask.DaskGraphAdapter(client, base.DictResult(), compute_at_end=False)
    dr = driver.Driver({}, adapter_nodes, adapter=adapter)
    lazy = dr.execute(["spend_per_signup", "total_spend"], inputs={"spend": SPEND, "signups": SIGNUPS})
    prefixes = {str(key).split("-")[0] for key in dict(lazy.dask)}
    assert {"spend_per_signup", "total_spend", "build_result"} <= prefixes


def test_a_failing_node_raises_its_own_error_naming_the_node(client):
    dr = driver.Driver({}, adapter_nodes, adapter=h_dask.DaskGraphAdapter(client, base.DictResult()))
    with pytest.raises(ZeroDivisionError, match="no budget") as raised:
        dr.execute(["broken"], inputs={"spend": SPEND})
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "'broken'" in notes
    assert "adapter_nodes" in notes


def test_a_wrong_input_type_is_still_refused(client):
    dr = driver.Driver({}, adapter_nodes, adapter=h_dask.DaskGraphAdapter(client))
    with pytest.raises(ValueError, match="spend"):
        dr.execute(["total_spend"], inputs={"spend": "not a series"})


def test_without_delayed_dask_collections_flow_through_and_are_computed(client):
    adapter = h_dask.DaskGraphAdapter(client, base.DictResult(), use_delayed=False)
    dr = driver.Driver({}, adapter_nodes, adapter=adapter)
    lazy_spend = dd.from_pandas(SPEND, npartitions=2)
    result = dr.execute(["doubled_spend"], inputs={"spend": lazy_spend})
    pd.testing.assert_series_equal(result["doubled_spend"], SPEND * 2)


def test_without_delayed_and_compute_the_result_stays_a_dask_collection(client):
    adapter = h_dask.DaskGraphAdapter(client, h_dask.DaskDataFrameResult(), use_delayed=False, compute_at_end=False)
    dr = driver.Driver({}, adapter_nodes, adapter=adapter)
    result = dr.execute(["doubled_spend"], inputs={"spend": dd.from_pandas(SPEND, npartitions=2)})
    assert isinstance(result, dd.DataFrame)
    assert result.compute()["doubled_spend"].tolist() == (SPEND * 2).tolist()


def test_type_rules_accept_dask_collections_for_pandas_annotations():
    series = dd.from_pandas(SPEND, npartitions=1)
    frame = series.to_frame()
    adapter = h_dask.DaskGraphAdapter
    assert adapter.check_input_type(pd.Series, series)
    assert adapter.check_input_type(pd.DataFrame, frame)
    assert adapter.check_input_type(str, delayed(1))
    assert not adapter.check_input_type(int, "text")
    assert adapter.check_node_type_equivalence(dd.Series, pd.Series)
    assert not adapter.check_node_type_equivalence(pd.Series, dd.Series)


def test_extract_columns_works_on_a_dask_dataframe_lazily():
    raw = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": [10, 20, 30]}), npartitions=2)
    dr = driver.Builder().with_modules(dask_frame_nodes).build()
    result = dr.execute(["a_plus_b"], inputs={"raw": raw})
    assert isinstance(result["a_plus_b"], dd.Series)  # nothing computed yet
    assert result["a_plus_b"].compute().tolist() == [11, 22, 33]


def test_extract_columns_names_a_missing_column_of_a_dask_dataframe():
    raw = dd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1)
    dr = driver.Builder().with_modules(dask_frame_nodes).build()
    with pytest.raises(Exception, match="No such column: b"):
        dr.execute(["a_plus_b"], inputs={"raw": raw})


def test_the_dask_backend_and_result_builder_are_plugins():
    frame = dd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1)
    backend = plugins.dataframe_backend(frame)
    assert backend.name == "dask"
    assert backend.schema(frame) == {"x": "int64"}
    assert backend.column_names(backend.with_columns(frame, {"y": frame["x"] * 2})) == ["x", "y"]
    builder = plugins.result_builder("dask_dataframe")
    built = builder.build_result(x=pd.Series([1, 2]), y=5)
    assert built.compute().to_dict("list") == {"x": [1, 2], "y": [5, 5]}


def test_the_dataframe_result_needs_an_output():
    with pytest.raises(ValueError, match="at least one output"):
        h_dask.DaskDataFrameResult.build_result()


def test_1x_module_level_names_of_dask_extensions():
    from hamilton.plugins import dask_extensions

    assert dask_extensions.DATAFRAME_TYPE is dd.DataFrame
    assert dask_extensions.COLUMN_TYPE is dd.Series
    frame = dd.from_pandas(pd.DataFrame({"x": [1]}), npartitions=1)
    assert dask_extensions.get_column_dask(frame, "x").compute().tolist() == [1]
    assert dask.compute(dask_extensions.fill_with_scalar_dask(frame, "z", 3))[0]["z"].tolist() == [3]
