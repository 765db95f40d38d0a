"""FutureAdapter's 1.x calling conventions: direct ``do_remote_execute`` calls, ``_new_fn``."""

from concurrent.futures import Future
from typing import Any

from hamilton import driver
from hamilton.lifecycle.api import ResultBuilder
from hamilton.plugins.h_threadpool import FutureAdapter, _new_fn


def _done(value: Any) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def test_new_fn_resolves_futures_and_passes_plain_values():
    assert _new_fn(lambda a, b: a - b, a=_done(5), b=2) == 3


def test_do_remote_execute_takes_the_inputs_spread_and_resolves_futures():
    adapter = FutureAdapter(max_workers=1)
    future = adapter.do_remote_execute(node=None, execute_lifecycle_for_node=lambda a, b: a * b, a=_done(3), b=4)
    assert future.result() == 12


def test_input_types_are_any_even_with_a_result_builder():
    class Ints(ResultBuilder):
        def build_result(self, **outputs: Any) -> Any:
            return sum(outputs.values())

        def input_types(self) -> list[type]:
            return [int]

    assert FutureAdapter(result_builder=Ints()).input_types() == [Any]


def test_do_remote_execute_also_takes_the_inputs_as_a_dict():
    adapter = FutureAdapter(max_workers=1)
    future = adapter.do_remote_execute(node=None, execute_lifecycle_for_node=lambda a: a + 1, kwargs={"a": _done(1)})
    assert future.result() == 2


def test_node_inputs_named_like_the_method_arguments_reach_the_nodes():
    import types

    module = types.ModuleType("threadpool_names_module")
    exec(
        "def node() -> int:\n    return 1\n"
        "def kwargs() -> int:\n    return 2\n"
        "def total(node: int, kwargs: int) -> int:\n    return node + kwargs\n",
        module.__dict__,
    )
    dr = driver.Builder().with_modules(module).with_adapters(FutureAdapter()).build()
    assert dr.execute(["total"]) == {"total": 3}
