"""Small 1.x behaviours of hamilton.function_modifiers.macros (checked on 1.90.0)."""

from hamilton.function_modifiers.dependencies import source, value
from hamilton.function_modifiers.macros import pipe_output, step
from hamilton.node import Node


def _add(x: int, y: int, z: int = 0) -> int:
    return x + y + z


def result(foo: int) -> int:
    return foo


def test_pipe_output_final_node_returns_its_one_argument_whatever_its_name():
    decorator = pipe_output(step(_add, source("y_src"), z=value(100)).named("node_1"), namespace=None)
    final = {n.name: n for n in decorator.transform_dag([Node.from_fn(result)], {}, result)}["result"]
    assert list(final.input_types) == ["node_1"]
    assert final(node_1=5) == 5
    assert final(foo=5) == 5  # called directly under the function's own parameter name, as 1.x allows
