"""RayGraphAdapter: the plain driver with one Ray task per node, on a real local Ray."""

import numpy as np
import pandas as pd
import pytest
import ray_nodes_adapter
import ray_nodes_fanout

from hamilton import base, driver
from hamilton.plugins.h_ray import RayGraphAdapter, RayRemoteTraceback

pytestmark = pytest.mark.usefixtures("ray_cluster")


def _driver(result_builder, module=ray_nodes_adapter):
    return driver.Builder().with_modules(module).with_adapters(RayGraphAdapter(result_builder)).build()


def test_pandas_dataframe_result():
    df = _driver(base.PandasDataFrameResult()).execute(["base", "doubled"], inputs={"n": 4})
    pd.testing.assert_frame_equal(df, pd.DataFrame({"base": range(4), "doubled": [0, 2, 4, 6]}))


def test_dict_result_with_an_async_node():
    result = _driver(base.DictResult()).execute(["doubled", "shifted"], inputs={"n": 3})
    assert list(result["doubled"]) == [0, 2, 4]
    assert list(result["shifted"]) == [1, 3, 5]


def test_large_values_stay_in_the_object_store():
    size = 50 * 1024 * 1024
    result = _driver(base.DictResult()).execute(["payload_size"], inputs={"size": size})
    assert result == {"payload_size": size}
    array = np.ones(size // 8)
    same = driver.Builder().with_modules(ray_nodes_adapter).with_adapters(RayGraphAdapter(base.DictResult())).build()
    assert same.execute(["doubled"], inputs={"n": 2}, overrides={"base": array})["doubled"].nbytes == size


def test_a_failing_node_raises_its_own_error_naming_it():
    with pytest.raises(ray_nodes_adapter.NodeError) as caught:
        _driver(base.DictResult()).execute(["after_broken"], inputs={"n": 3})
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "node 'broken' failed" in notes
    assert "ray_nodes_adapter.broken" in notes
    assert isinstance(caught.value.__cause__, RayRemoteTraceback)
    assert "ray_nodes_adapter.py" in str(caught.value.__cause__)


def test_ray_remote_options_are_honoured():
    result = _driver(base.DictResult()).execute(["placed"], inputs={"n": 1})
    assert result["placed"] == {"CPU": 1.0, "hamilton_test_slot": 1.0}


def test_parallelizable_nodes_are_refused_with_a_pointer():
    dr = (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(ray_nodes_fanout)
        .with_adapters(RayGraphAdapter(base.DictResult()))
        .build()
    )
    with pytest.raises(NotImplementedError, match=r"Parallelizable node 'numbers'.*RayTaskExecutor"):
        dr.execute(["total"], inputs={"count": 2})


def test_a_result_builder_is_required():
    with pytest.raises(ValueError, match="result builder"):
        RayGraphAdapter(None)


def test_a_large_graph_runs_node_by_node():
    # Each node's task must carry the node alone: pickling a node with its links to the rest of
    # the graph recursed too deep for the pickler on a few hundred nodes.
    import types

    source = "def n0(x: int) -> int:\n    return x + 1\n" + "def n1(n0: int) -> int:\n    return n0 + 1\n"
    source += "".join(
        f"def n{i}(n{i - 1}: int, n{i - 2}: int) -> int:\n    return n{i - 1} + 1\n" for i in range(2, 400)
    )
    deep = types.ModuleType("deep_chain")  # not in sys.modules: its functions are pickled by value
    exec(source, deep.__dict__)
    dr = driver.Driver({}, deep, adapter=RayGraphAdapter(base.DictResult()))
    assert dr.execute(["n399"], inputs={"x": 0}) == {"n399": 400}
