"""Kedro pipelines run by Hamilton drivers (hamilton.plugins.h_kedro), against real Kedro.

Kedro itself is the oracle: the values a converted driver computes are compared with those of
Kedro's own ``Node.run`` applied in the pipeline's (topological) order.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kedro.pipeline import Pipeline, node

from hamilton import driver, lifecycle
from hamilton.plugins import h_kedro


def run_with_kedro(pipeline: Pipeline, inputs: dict[str, Any]) -> dict[str, Any]:
    """Every dataset of ``pipeline`` computed by Kedro's nodes, in Kedro's order."""
    values = dict(inputs)
    for k_node in pipeline.nodes:
        values.update(k_node.run({name: values[name] for name in k_node.inputs}))
    return values


# -- a small, realistic pipeline ------------------------------------------------------------


def split_data(data: pd.DataFrame, ratio: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Splits rows into train and test."""
    cut = int(len(data) * ratio)
    return data.iloc[:cut], data.iloc[cut:]


def summarize(train: pd.DataFrame, test: pd.DataFrame) -> dict:
    return {"train_rows": len(train), "test_rows": len(test), "train_sum": int(train["x"].sum())}


def moments(train: pd.DataFrame) -> dict:
    return {"mean": float(train["x"].mean()), "max": int(train["x"].max())}


def describe(summary: dict, mean: float, largest: int, label: str = "run") -> str:
    return f"{label}: {summary['train_rows']}/{summary['test_rows']} mean={mean:.2f} max={largest}"


def make_pipeline() -> Pipeline:
    return Pipeline(
        [
            node(split_data, inputs=["raw", "params:ratio"], outputs=["train", "test"], name="split"),
            # dict inputs, in another order than the function's parameters
            node(summarize, inputs={"test": "test", "train": "train"}, outputs="summary", tags=["reporting"]),
            # dict outputs whose keys differ from the dataset names
            node(moments, inputs="train", outputs={"mean": "train_mean", "max": "train_max"}),
            node(describe, inputs=["summary", "train_mean", "train_max", "params:label"], outputs="report"),
        ]
    )


RAW = pd.DataFrame({"x": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]})


def test_a_converted_pipeline_computes_what_kedro_computes():
    pipeline = make_pipeline()
    dr = h_kedro.kedro_pipeline_to_driver(pipeline)

    outputs = ["report", "summary", "train_mean", "train_max"]
    result = dr.execute(outputs, inputs={"raw": RAW, "ratio": 0.6, "label": "v1"})

    expected = run_with_kedro(pipeline, {"raw": RAW, "params:ratio": 0.6, "params:label": "v1"})
    assert {name: result[name] for name in outputs} == {name: expected[name] for name in outputs}
    assert result["report"] == "v1: 6/4 mean=3.83 max=9"


def test_the_graph_has_kedro_datasets_as_nodes_and_parameters_as_inputs():
    dr = h_kedro.kedro_pipeline_to_driver(make_pipeline())
    variables = {v.name: v for v in dr.list_available_variables()}

    assert set(variables) == {
        "raw", "ratio", "label",  # inputs; params: dropped
        "split_data", "train", "test",  # several outputs: a node named after the function
        "summary",
        "moments", "train_mean", "train_max",
        "report",
    }  # fmt: skip
    assert variables["raw"].is_external_input
    assert variables["ratio"].is_external_input
    assert variables["train"].type is pd.DataFrame  # from tuple[pd.DataFrame, pd.DataFrame]
    assert variables["ratio"].type is float  # from the parameter's annotation
    assert variables["report"].type is str
    assert variables["summary"].tags["kedro.tags"] == ["reporting"]
    assert variables["train"].tags["kedro.node_name"] == "split"
    assert variables["split_data"].documentation == "Splits rows into train and test."
    reporting = dr.list_available_variables(tag_filter={"kedro.tags": "reporting"})
    assert [v.name for v in reporting] == ["summary"]
    assert [v.name for v in dr.what_is_upstream_of("summary")] != []


def test_several_pipelines_are_joined_and_shared_nodes_kept_once():
    first = make_pipeline()
    second = Pipeline([node(moments, inputs="train", outputs={"mean": "train_mean", "max": "train_max"})])
    dr = h_kedro.kedro_pipeline_to_driver(first, second)
    result = dr.execute(["train_max"], inputs={"raw": RAW, "ratio": 0.5})
    assert result["train_max"] == 5


def test_the_builder_brings_adapters_config_and_functions():
    seen = []

    class Recorder(lifecycle.NodeExecutionHook):
        def run_before_node_execution(self, *, node_name, **kwargs):
            seen.append(node_name)

        def run_after_node_execution(self, **kwargs):
            pass

    def report_length(report: str) -> int:  # a Hamilton function reading a Kedro dataset
        return len(report)

    builder = (
        driver.Builder()
        .with_adapters(Recorder())
        .with_config({"ratio": 0.5, "label": "cfg"})  # Kedro parameters as config
        .with_functions(report_length)
    )
    dr = h_kedro.kedro_pipeline_to_driver(make_pipeline(), builder=builder)

    result = dr.execute(["report_length", "report"], inputs={"raw": RAW})
    assert result["report_length"] == len(result["report"])
    assert result["report"].startswith("cfg: 5/5")
    assert {"split_data", "train", "summary", "report", "report_length"} <= set(seen)
    # the builder given is left as it was
    assert builder.graph is None
    assert builder.functions == [report_length]


def test_k_node_to_h_nodes_follows_the_output_shapes():
    def one(a: int) -> int:
        return a + 1

    def pair(a: int) -> tuple[int, str]:
        return a, str(a)

    def nothing(a: int) -> None:
        return None

    [single] = h_kedro.k_node_to_h_nodes(node(one, "a", "b"))
    assert (single.name, single.type, single(a=1)) == ("b", int, 2)

    base, first, second = h_kedro.k_node_to_h_nodes(node(pair, "a", ["n", "s"]))
    assert (base.name, first.name, second.name) == ("pair", "n", "s")
    assert (first.type, second.type) == (int, str)
    assert base(a=7) == {"n": 7, "s": "7"}

    [side_effect] = h_kedro.k_node_to_h_nodes(node(nothing, "a", None))
    assert side_effect.name == "nothing"
    assert side_effect.type is type(None)


def test_namespaced_nodes_and_lambdas_get_distinct_names():
    def halves(a: int) -> list:
        return [a // 2, a - a // 2]

    template = Pipeline([node(halves, "a", ["low", "high"])])
    from kedro.pipeline import pipeline as modular_pipeline

    both = modular_pipeline(template, namespace="left") + modular_pipeline(template, namespace="right")
    dr = h_kedro.kedro_pipeline_to_driver(both)
    result = dr.execute(["left.high", "right.low"], inputs={"left.a": 5, "right.a": 9})
    assert result == {"left.high": 3, "right.low": 4}
    assert {"left.halves", "right.halves"} <= {v.name for v in dr.list_available_variables()}

    lam = node(lambda a: [a, a], "a", ["c", "d"], name="twice")
    assert h_kedro.k_node_to_h_nodes(lam)[0].name == "twice"


def test_functions_taking_var_positional_and_partials():
    def total(*values: int) -> int:
        return sum(values)

    scaled = functools.partial(lambda factor, x: factor * x, 3)
    pipeline = Pipeline([node(total, ["a", "b", "c"], "s"), node(scaled, "s", "scaled", name="scale")])
    dr = h_kedro.kedro_pipeline_to_driver(pipeline)
    assert dr.execute(["scaled"], inputs={"a": 1, "b": 2, "c": 3}) == {"scaled": 18}


# -- property: any small DAG of Kedro nodes computes the same values -------------------------


def add_all(*values: int) -> int:
    return sum(values) + 1


def spread(*values: int) -> list:
    total = sum(values)
    return [total * 2, total - 3]


def keyed(*values: int) -> dict:
    total = sum(values)
    return {"first": total % 7, "second": total * 3}


def renamed(func, name):
    def call(*values: int) -> Any:
        return func(*values)

    call.__name__ = call.__qualname__ = name
    return call


@st.composite
def kedro_dags(draw):
    available = ["in0", "in1"]
    nodes = []
    for index in range(draw(st.integers(1, 7))):
        inputs = draw(st.lists(st.sampled_from(available), min_size=1, max_size=3, unique=True))
        shape = draw(st.sampled_from(["one", "list", "dict"]))
        if shape == "one":
            outputs: Any = f"d{index}"
            produced = [outputs]
            func = add_all
        elif shape == "list":
            outputs = [f"d{index}a", f"d{index}b"]
            produced = outputs
            func = renamed(spread, f"spread{index}")  # several outputs: named after the function
        else:
            outputs = {"first": f"d{index}x", "second": f"d{index}y"}
            produced = list(outputs.values())
            func = renamed(keyed, f"keyed{index}")
        nodes.append(node(func, inputs, outputs, name=f"n{index}"))
        available.extend(produced)
    return Pipeline(nodes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pipeline=kedro_dags(), in0=st.integers(-100, 100), in1=st.integers(-100, 100))
def test_any_small_pipeline_matches_kedro(pipeline, in0, in1):
    expected = run_with_kedro(pipeline, {"in0": in0, "in1": in1})
    datasets = sorted({name for k_node in pipeline.nodes for name in k_node.outputs})
    dr = h_kedro.kedro_pipeline_to_driver(pipeline)
    free = {name: value for name, value in {"in0": in0, "in1": in1}.items() if name in pipeline.inputs()}
    result = dr.execute(datasets, inputs=free)
    assert result == {name: expected[name] for name in datasets}


# -- what a driver cannot reproduce is refused, naming the Kedro node -----------------------


def test_confirms_is_refused():
    def identity(a: int) -> int:
        return a

    pipeline = Pipeline([node(identity, "a", "b", name="keeper", confirms="a")])
    with pytest.raises(h_kedro.KedroConversionError, match=r"Kedro node 'keeper'.*confirms=\['a'\]"):
        h_kedro.kedro_pipeline_to_driver(pipeline)


def test_a_dataset_under_two_transcodings_is_refused():
    def make(a: int) -> int:
        return a

    def use(b: int) -> int:
        return b

    pipeline = Pipeline([node(make, "a", "table@pandas", name="writer"), node(use, "table@spark", "c", name="reader")])
    with pytest.raises(h_kedro.KedroConversionError, match=r"Dataset 'table'.*'table@pandas'.*'table@spark'"):
        h_kedro.kedro_pipeline_to_driver(pipeline)


def test_one_transcoding_used_consistently_converts():
    def make(a: int) -> int:
        return a * 2

    def use(b: int) -> int:
        return b + 1

    pipeline = Pipeline([node(make, "a", "table@pandas"), node(use, "table@pandas", "c")])
    assert h_kedro.kedro_pipeline_to_driver(pipeline).execute(["c"], inputs={"a": 2}) == {"c": 5}


def test_a_parameter_named_like_a_dataset_is_refused():
    def make(a: int) -> int:
        return a

    def use(b: int, rate: int) -> int:
        return b * rate

    pipeline = Pipeline([node(make, "a", "rate", name="maker"), node(use, ["a", "params:rate"], "c", name="user")])
    with pytest.raises(h_kedro.KedroConversionError, match=r"'user'.*'params:rate'.*'maker'"):
        h_kedro.kedro_pipeline_to_driver(pipeline)


def test_two_nodes_becoming_one_hamilton_node_are_refused():
    def log(a: int) -> None:
        print(a)

    pipeline = Pipeline([node(log, "a", None, name="log_a"), node(log, "b", None, name="log_b")])
    with pytest.raises(h_kedro.KedroConversionError, match=r"'log_a'.*'log_b'.*Hamilton node 'log'"):
        h_kedro.kedro_pipeline_to_driver(pipeline)


def test_a_builder_function_clashing_with_a_dataset_is_refused():
    def report(x: int) -> int:
        return x

    builder = driver.Builder().with_functions(report)
    with pytest.raises(h_kedro.KedroConversionError, match=r"both define \['report'\]"):
        h_kedro.kedro_pipeline_to_driver(make_pipeline(), builder=builder)


def test_arguments_that_are_not_pipelines_are_refused():
    k_node = node(summarize, ["train", "test"], "summary")
    with pytest.raises(TypeError, match=r"argument 0 is a Node.*Pipeline\(\[\.\.\.\]\)"):
        h_kedro.kedro_pipeline_to_driver(k_node)
    with pytest.raises(ValueError, match="at least one"):
        h_kedro.kedro_pipeline_to_driver()
    with pytest.raises(TypeError, match=r"kedro\.pipeline\.Node"):
        h_kedro.k_node_to_h_nodes(summarize)


def test_a_function_returning_the_wrong_shape_fails_naming_the_node():
    def not_a_pair(a: int) -> int:
        return a

    pipeline = Pipeline([node(not_a_pair, "a", ["b", "c"], name="pairing")])
    dr = h_kedro.kedro_pipeline_to_driver(pipeline)
    with pytest.raises(h_kedro.KedroConversionError, match=r"'pairing'.*2 values; it returned int"):
        dr.execute(["b"], inputs={"a": 1})


def test_a_parameter_and_a_dataset_of_one_name_in_one_node_are_refused():
    def scale(rate: int, other: int) -> int:
        return rate * other

    with pytest.raises(h_kedro.KedroConversionError, match=r"reads both \['params:rate', 'rate'\]"):
        h_kedro.k_node_to_h_nodes(node(scale, ["rate", "params:rate"], "scaled", name="scaler"))
