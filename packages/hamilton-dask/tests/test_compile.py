"""compile_graph: a Hamilton request as a plain dask graph, same values as dr.execute, no Hamilton on workers."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import dask
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver
from hamilton.function_modifiers import (
    check_output,
    config,
    does,
    extract_columns,
    extract_fields,
    group,
    parameterize,
    pipe_input,
    source,
    step,
    subdag,
    unpack_fields,
    value,
)
from hamilton.htypes import Collect, Parallelizable
from hamilton.lifecycle import GraphExecutionHook, NodeExecutionHook
from hamilton.plugins.dask_compile import CompiledGraph, CompileError, compile_graph

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # the resource module must be importable here and (inherited) on the workers
    sys.path.insert(0, HERE)
fns = importlib.import_module("compile_functions")

# Hamilton decorators applied once to the Hamilton-free functions (they record themselves on the
# function object; the functions still pickle by reference to compile_functions).
parameterize(
    tripled={"value": source("doubled"), "factor": value(3)},
    scaled_input={"value": source("x"), "factor": source("factor")},
)(fns.times)
parameterize(grouped={"values": group(source("doubled"), value(5)), "weights": group(w=source("x"), v=value(7))})(
    fns.collected
)
extract_fields({"low": int, "high": int})(fns.stats)
unpack_fields("plus", "minus")(fns.split)
extract_columns("col_a", "col_b")(fns.table)
config.when(speed="fast")(fns.mode__fast)
config.when(speed="slow")(fns.mode__slow)

PLAIN = [fns.doubled, fns.scaled_sum, fns.combined]
DECORATED = [
    fns.times,
    fns.collected,
    fns.stats,
    fns.split,
    fns.table,
    fns.from_columns,
    fns.mode__fast,
    fns.mode__slow,
]
EVERYTHING = ["doubled", "scaled_sum", "combined", "tripled", "scaled_input", "grouped", "low", "high", "stats"]
EVERYTHING += ["plus", "minus", "split", "col_a", "col_b", "from_columns", "mode"]


def _driver(*functions: Any, cfg: dict | None = None, adapters: tuple = ()) -> driver.Driver:
    builder = driver.Builder().with_config(cfg or {}).with_functions(*functions)
    return builder.with_adapters(*adapters).build() if adapters else builder.build()


def _same(left: dict, right: dict) -> None:
    assert list(left) == list(right)
    for name, expected in right.items():
        if isinstance(expected, (pd.Series, pd.DataFrame)):
            assert_pandas_equal(left[name], expected)
        else:
            assert left[name] == expected, name


def assert_pandas_equal(actual: Any, expected: Any) -> None:
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(actual, expected)
    else:
        pd.testing.assert_frame_equal(actual, expected)


def _check(dr: driver.Driver, outputs: list[str], inputs: dict | None = None, overrides: dict | None = None) -> dict:
    compiled = compile_graph(dr, outputs, inputs=inputs, overrides=overrides)
    expected = dr.execute(outputs, inputs=inputs, overrides=overrides)
    _same(compiled.compute(scheduler="sync"), expected)
    _same(dict(zip(compiled.keys, dask.get(compiled.graph, list(compiled.keys)))), expected)
    return expected


# -- same values as dr.execute -------------------------------------------------------------------


def test_plain_functions_defaults_and_optional_inputs():
    dr = _driver(*PLAIN)
    assert _check(dr, ["combined"], inputs={"x": 2}) == {"combined": 4 + 40}  # y and bonus take their defaults
    assert _check(dr, ["combined", "scaled_sum"], inputs={"x": 2, "y": 3, "bonus": 1})["scaled_sum"] == 13


def test_inputs_and_overrides_are_literals_and_outputs_may_echo_them():
    dr = _driver(*PLAIN)
    result = _check(dr, ["combined", "x", "doubled"], inputs={"x": 2}, overrides={"doubled": 100})
    assert result == {"combined": 100 + 1000, "x": 2, "doubled": 100}
    compiled = compile_graph(dr, ["combined"], inputs={"x": 2}, overrides={"doubled": 100})
    assert "x" not in compiled.graph  # upstream of an override is not computed, as in dr.execute


def label(name: str, doubled: int) -> str:
    return f"{name}={doubled}"


@parameterize(labelled={"name": value("doubled")})
def labelled_template(name: str, doubled: int) -> str:
    return f"{name}:{doubled}"


def test_literal_strings_equal_to_node_names_stay_literals():
    dr = _driver(fns.doubled, label, labelled_template)
    result = _check(dr, ["label", "labelled"], inputs={"x": 2, "name": "doubled"})
    assert result == {"label": "doubled=4", "labelled": "doubled:4"}


def positional_only(doubled: int, /, y: int = 1) -> int:
    return doubled - y


def test_functions_are_called_as_hamilton_calls_them():
    dr = _driver(fns.doubled, positional_only)
    assert _check(dr, ["positional_only"], inputs={"x": 5}) == {"positional_only": 9}
    assert _check(dr, ["positional_only"], inputs={"x": 5, "y": 4}) == {"positional_only": 6}


def test_decorators_that_rebind_or_extract():
    dr = _driver(*PLAIN, *DECORATED, cfg={"speed": "fast"})
    result = _check(dr, EVERYTHING, inputs={"x": 2, "factor": 5})
    assert result["tripled"] == 12
    assert result["scaled_input"] == 10
    assert result["grouped"] == 4 + 5 + 2 + 7
    assert (result["low"], result["high"], result["plus"], result["minus"]) == (3, 5, 4, -4)
    assert result["from_columns"] == 2 + 3 + 20
    assert result["mode"] == "fast-4"
    assert _check(_driver(*PLAIN, *DECORATED, cfg={"speed": "slow"}), ["mode"], inputs={"x": 1}) == {"mode": "slow-2"}


def test_compiled_graph_composes_as_delayed():
    compiled = compile_graph(_driver(*PLAIN), ["doubled", "combined"], inputs={"x": 1})
    assert isinstance(compiled, CompiledGraph)
    delayed = compiled.to_delayed()
    assert dask.compute(delayed["combined"] + 1, scheduler="sync") == (2 + 20 + 1,)


def test_missing_inputs_and_unknown_outputs_raise_as_dr_execute_does():
    dr = _driver(*PLAIN)
    with pytest.raises(ValueError) as expected:
        dr.execute(["combined"])
    with pytest.raises(type(expected.value), match="Required input x not provided"):
        compile_graph(dr, ["combined"])
    with pytest.raises(ValueError, match="nope"):
        compile_graph(dr, ["nope"], inputs={"x": 1})


@st.composite
def dataflows(draw: Any) -> tuple[str, list[str], dict[str, int], dict[str, int]]:
    """Source of a module of n arithmetic nodes over inputs i0..i2, plus outputs/inputs/overrides."""
    count = draw(st.integers(1, 8))
    lines, names = [], ["i0", "i1", "i2"]
    for index in range(count):
        deps = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
        coefficient = draw(st.integers(-3, 3))
        optional = draw(st.booleans())
        params = [f"{dep}: int" for dep in deps] + ([f"k{index}: int = {coefficient}"] if optional else [])
        body = " + ".join([f"{coefficient} * {dep}" for dep in deps] + [f"k{index}" if optional else "1"])
        lines.append(f"def n{index}({', '.join(params)}) -> int:\n    return {body}\n")
        names.append(f"n{index}")
    nodes = names[3:]
    outputs = draw(st.lists(st.sampled_from(nodes), min_size=1, unique=True))
    inputs = {name: draw(st.integers(-5, 5)) for name in ["i0", "i1", "i2"] + [f"k{i}" for i in range(count)]}
    inputs = {name: number for name, number in inputs.items() if draw(st.booleans()) or name.startswith("i")}
    overrides = {name: draw(st.integers(-9, 9)) for name in draw(st.lists(st.sampled_from(nodes), unique=True))}
    return "\n".join(lines), outputs, inputs, overrides


@settings(max_examples=40, deadline=None)
@given(dataflows())
def test_random_dataflows_compute_as_dr_execute(flow: tuple[str, list[str], dict[str, int], dict[str, int]]):
    from hamilton.ad_hoc_utils import module_from_source

    source_code, outputs, inputs, overrides = flow
    module = module_from_source(source_code)
    dr = driver.Builder().with_modules(module).build()
    compiled = compile_graph(dr, outputs, inputs=inputs, overrides=overrides)
    assert dict(zip(compiled.keys, dask.get(compiled.graph, list(compiled.keys)))) == dr.execute(
        outputs, inputs=inputs, overrides=overrides
    )


# -- refused ------------------------------------------------------------------------------------


def _refused(dr: driver.Driver, outputs: list[str], inputs: dict | None = None) -> CompileError:
    with pytest.raises(CompileError) as caught:
        compile_graph(dr, outputs, inputs=inputs)
    assert "DaskGraphAdapter" in str(caught.value)
    return caught.value


def _positive(x: int) -> int:
    return abs(x) + 1


@check_output(range=(0, 100))
def checked(x: int) -> int:
    return x


@pipe_input(step(_positive))
def piped(x: int) -> int:
    return x


def _add(a: int, b: int) -> int:
    return a + b


@does(_add)
def summed(a: int, b: int) -> int:
    pass


def inner(x: int) -> int:
    return x + 1


@subdag(inner, inputs={"x": source("x")})
def nested(inner: int) -> int:
    return inner


def fan(x: int) -> Parallelizable[int]:
    yield from range(x)


def gather(fan: Collect[int]) -> int:
    return sum(fan)


async def awaited(x: int) -> int:
    return x


@extract_fields({"a": int, "b": int}, fill_with=0)
def filled(x: int) -> dict:
    return {"a": x}


@pytest.mark.parametrize(
    ("functions", "output", "node", "says"),
    [
        ([checked], "checked", "checked", "@check_output"),
        ([piped], "piped", "piped", "@pipe_input"),
        ([summed], "summed", "summed", "@does"),
        ([nested], "nested", "nested.inner", "subdag"),
        ([awaited], "awaited", "awaited", "async def"),
        ([filled], "a", "filled", "@extract_fields"),
    ],
    ids=["check_output", "pipe_input", "does", "subdag", "async", "fill_with"],
)
def test_refuses_nodes_that_need_hamilton_naming_them(functions, output, node, says):
    error = _refused(_driver(*functions), [output], inputs={"x": 1, "a": 1, "b": 2})
    assert f"node '{node}'" in str(error)
    assert says in str(error)
    assert node in error.nodes
    assert "test_compile" in str(error)  # the user's function and where it is defined


def test_refuses_parallelizable_and_collect():
    dr = driver.Builder().with_functions(fan, gather).enable_dynamic_execution(allow_experimental_mode=True).build()
    error = _refused(dr, ["gather"], inputs={"x": 3})
    assert "node 'fan'" in str(error)
    assert "node 'gather'" in str(error)
    assert "Parallelizable" in str(error)


class Recorder(NodeExecutionHook):
    def run_before_node_execution(self, **kwargs: Any) -> None:
        pass

    def run_after_node_execution(self, **kwargs: Any) -> None:
        pass


def test_refuses_adapters_with_node_hooks_and_legacy_graph_adapters():
    from hamilton import base

    error = _refused(_driver(*PLAIN, adapters=(Recorder(),)), ["doubled"], inputs={"x": 1})
    assert "Recorder" in str(error)
    assert "pre_node_execute" in str(error)
    legacy = driver.Driver({}, adapter=base.SimplePythonGraphAdapter(base.DictResult()), _functions=PLAIN)
    assert "legacy graph adapter SimplePythonGraphAdapter" in str(_refused(legacy, ["doubled"], inputs={"x": 1}))


class RunObserver(GraphExecutionHook):
    def run_before_graph_execution(self, **kwargs: Any) -> None:
        pass

    def run_after_graph_execution(self, **kwargs: Any) -> None:
        pass


def test_refuses_graph_hooks_and_keep_going():
    error = _refused(_driver(*PLAIN, adapters=(RunObserver(),)), ["doubled"], inputs={"x": 1})
    assert "RunObserver" in str(error)
    assert "pre_graph_execute, post_graph_execute" in str(error)
    keep_going = driver.Builder().with_functions(*PLAIN).with_execution_mode(on_error="keep_going").build()
    assert "keep_going" in str(_refused(keep_going, ["doubled"], inputs={"x": 1}))


def test_result_builders_are_not_refused_nor_applied():
    from hamilton import base

    dr = driver.Builder().with_functions(*PLAIN).with_adapters(base.PandasDataFrameResult()).build()
    assert compile_graph(dr, ["doubled"], inputs={"x": 1}).compute(scheduler="sync") == {"doubled": 2}


# -- on a cluster whose workers cannot import Hamilton ---------------------------------------------


@pytest.fixture(scope="module")
def hamilton_free_client():
    distributed = pytest.importorskip("distributed")
    preload = os.path.join(HERE, "compile_block_hamilton.py")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            preload=[preload],
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_workers_cannot_import_hamilton_but_can_import_the_functions(hamilton_free_client):
    futures = [
        hamilton_free_client.submit(fns.where_is_hamilton, pure=False, workers=[address])
        for address in hamilton_free_client.scheduler_info()["workers"]
    ]
    for future in futures:
        with pytest.raises(ModuleNotFoundError, match="blocked on this worker"):
            future.result()
    paths = hamilton_free_client.run(lambda: sys.path)
    assert all(HERE in path for path in paths.values())  # spawned workers inherit the client's sys.path


def test_compiled_graph_runs_on_hamilton_free_workers(hamilton_free_client):
    dr = _driver(*PLAIN, *DECORATED, cfg={"speed": "fast"})
    inputs = {"x": 3, "factor": 2}
    compiled = compile_graph(dr, EVERYTHING, inputs=inputs)
    expected = dr.execute(EVERYTHING, inputs=inputs)
    _same(compiled.compute(client=hamilton_free_client), expected)
    _same(dict(zip(compiled.keys, hamilton_free_client.get(compiled.graph, list(compiled.keys)))), expected)
    assert dask.compute(compiled.to_delayed(), scheduler=hamilton_free_client)[0]["combined"] == expected["combined"]
