"""The execution engine: order, freeing of intermediates, failures, cycles, size limits."""

import gc
import sys
import weakref

import pytest

from hamilton import ad_hoc_utils, driver, lifecycle
from hamilton.errors import GraphCycleError
from hamilton.graph import Graph
from hamilton.node import DependencyType, Node


def _chain_nodes(length: int) -> list[Node]:
    """A chain built from nodes directly (generating 100k functions would only test compile())."""

    def first(x: int) -> int:
        return x

    nodes = [Node("n0", int, callabl=first, input_types={"x": int})]
    for index in range(1, length):
        previous = f"n{index - 1}"
        nodes.append(
            Node(
                f"n{index}", int, callabl=lambda **kwargs: next(iter(kwargs.values())) + 1, input_types={previous: int}
            )
        )
    return nodes


def test_a_100_000_node_chain_builds_and_executes():
    graph = Graph.from_nodes(_chain_nodes(100_000))
    dr = driver.Builder().with_graph(graph).build()
    assert dr.execute(["n99999"], inputs={"x": 1}) == {"n99999": 100_000}


def test_a_deep_chain_of_real_functions_runs_positionally():
    source = "def n0(x: int) -> int:\n    return x\n" + "".join(
        f"def n{i}(n{i - 1}: int) -> int:\n    return n{i - 1} + 1\n" for i in range(1, 3000)
    )
    module = ad_hoc_utils.module_from_source(source)
    dr = driver.Builder().with_modules(module).build()
    assert dr.execute(["n2999"], inputs={"x": 0}) == {"n2999": 2999}
    assert sys.getrecursionlimit() < 3000 * 2  # the run above could not have recursed per node


class _Recorder(lifecycle.NodeExecutionHook):
    def __init__(self):
        self.order = []

    def run_before_node_execution(self, *, node_name, **kwargs):
        self.order.append(node_name)

    def run_after_node_execution(self, **kwargs):
        pass


def test_order_is_depth_first_from_each_output_with_parameters_in_order():
    def a(x: int) -> int:
        return x

    def b(a: int) -> int:
        return a

    def c(y: int) -> int:
        return y

    def d(c: int, b: int) -> int:
        return c + b

    def e(a: int) -> int:
        return a

    recorder = _Recorder()
    dr = driver.Builder().with_functions(a, b, c, d, e).with_adapters(recorder).build()
    dr.execute(["e", "d"], inputs={"x": 1, "y": 2})
    assert recorder.order == ["a", "e", "c", "b", "d"]


class _Big:
    pass


def test_intermediate_values_are_freed_once_no_longer_needed():
    alive = {}

    def big() -> _Big:
        value = _Big()
        alive["big"] = weakref.ref(value)
        return value

    def small(big: _Big) -> int:
        return 1

    def later(small: int) -> bool:
        gc.collect()
        return alive["big"]() is None

    dr = driver.Builder().with_functions(big, small, later).build()
    assert dr.execute(["later"]) == {"later": True}
    # requested outputs are kept, of course
    result = dr.execute(["later", "big"])
    assert result["later"] is False
    assert isinstance(result["big"], _Big)


def test_a_failing_node_raises_the_original_error_with_a_note_naming_it(caplog):
    def source() -> int:
        return 0

    def ratio(source: int) -> float:
        return 1 / source

    dr = driver.Builder().with_functions(source, ratio).build()
    with pytest.raises(ZeroDivisionError) as raised:
        dr.execute(["ratio"])
    if sys.version_info >= (3, 11):
        (note,) = raised.value.__notes__
        assert "node 'ratio'" in note
        assert "test_execution.py" in note
    assert "ratio" in caplog.text


def test_cycles_are_reported_with_their_path_and_location():
    def a(b: int) -> int:
        return b

    def b(a: int) -> int:
        return a

    def fine(x: int) -> int:
        return x

    dr = driver.Builder().with_functions(a, b, fine).build()  # building succeeds, as in 1.x
    assert dr.execute(["fine"], inputs={"x": 1}) == {"fine": 1}
    with pytest.raises(GraphCycleError) as raised:
        dr.execute(["a"])
    assert raised.value.cycle == ["a", "b", "a"]
    assert "a -> b -> a" in str(raised.value)
    assert "test_execution.py" in str(raised.value)
    with pytest.raises(RecursionError):  # 1.x users caught RecursionError here
        dr.execute(["b"])
    assert dr.has_cycles(["a"])
    assert not dr.has_cycles(["fine"])


def test_optional_parameter_in_the_middle_is_pruned_and_later_ones_still_passed():
    def out(first: int, middle: int = 10, last: int = 100) -> int:
        return first + middle + last

    dr = driver.Builder().with_functions(out).build()
    assert dr.execute(["out"], inputs={"first": 1, "last": 3}) == {"out": 14}


def test_keyword_only_parameters_and_callable_objects():
    def kw(a: int, *, scale: int = 2) -> int:
        return a * scale

    class Adder:
        def __call__(self, kw: int) -> int:
            return kw + 1

    adder = Node("added", int, callabl=Adder(), input_types={"kw": int})
    graph = Graph.from_nodes([Node.from_fn(kw), adder])
    dr = driver.Builder().with_graph(graph).build()
    assert dr.execute(["added"], inputs={"a": 2}) == {"added": 5}
    assert dr.execute(["added"], inputs={"a": 2, "scale": 10}) == {"added": 21}


def test_graph_execute_returns_every_computed_value():
    def a(x: int) -> int:
        return x + 1

    def b(a: int) -> int:
        return a + 1

    graph = Graph.from_functions(a, b)
    assert graph.execute(inputs={"x": 0}) == {"x": 0, "a": 1, "b": 2}


def test_optional_dependency_on_a_node_is_computed():
    def base() -> int:
        return 5

    def user(base: int = 0) -> int:
        return base

    assert driver.Builder().with_functions(base, user).build().execute(["user"]) == {"user": 5}


def test_node_input_types_given_as_plain_types_are_required():
    node_ = Node("n", int, callabl=lambda **kw: 1, input_types={"a": int, "b": (int, DependencyType.OPTIONAL)})
    assert node_.requires("a")
    assert not node_.requires("b")


def test_derived_nodes_of_async_functions_stay_awaitable():
    import asyncio

    async def fetch(x: int) -> int:
        return x + 1

    node_ = Node.from_fn(fetch).reassign_inputs(input_names={"x": "y"}).transform_output(lambda r, kw: r * 10, int)
    assert asyncio.run(node_(y=1)) == 20
