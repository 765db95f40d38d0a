"""``hamilton.plugins.h_threadpool.FutureAdapter``: nodes on a thread pool, through the driver."""

from __future__ import annotations

import pickle
import threading

import pytest

from hamilton import ad_hoc_utils, base, driver, lifecycle
from hamilton.plugins.h_threadpool import FutureAdapter

SOURCE = """
import threading

both_started = threading.Barrier(2, timeout=30)  # a hang guard, not a timing assertion

def a(x: int) -> int:
    both_started.wait()  # returns only once b is running too
    return x + 1

def b(x: int) -> int:
    both_started.wait()
    return x + 2

def c(a: int, b: int) -> int:
    return a + b

def boom(a: int) -> int:
    raise ValueError(f"bad {a}")

def after_boom(boom: int) -> int:
    return boom
"""


class Seen(lifecycle.NodeExecutionHook):
    def __init__(self):
        self.before: list[tuple[str, str]] = []
        self.after: list[tuple[str, object, bool]] = []

    def run_before_node_execution(self, *, node_name, **kwargs):
        self.before.append((node_name, threading.current_thread().name))

    def run_after_node_execution(self, *, node_name, result, success, **kwargs):
        self.after.append((node_name, result, success))


def flow():
    return ad_hoc_utils.module_from_source(SOURCE, "threadpool_flow")


def test_independent_nodes_run_at_the_same_time_and_the_result_is_a_dict():
    seen = Seen()
    dr = driver.Builder().with_modules(flow()).with_adapters(FutureAdapter(thread_name_prefix="pool"), seen).build()
    assert dr.execute(["c", "a"], inputs={"x": 1}) == {"c": 5, "a": 2}  # a and b met at the barrier
    assert sorted(name for name, _ in seen.before) == ["a", "b", "c"]
    assert all(thread.startswith("pool") for _, thread in seen.before)  # hooks run on the workers
    assert sorted(seen.after) == [("a", 2, True), ("b", 3, True), ("c", 5, True)]


def test_one_worker_is_enough_for_nodes_that_do_not_wait_on_each_other():
    source = "def a(x: int) -> int:\n    return x + 1\n\ndef b(a: int) -> int:\n    return a * 2\n"
    module = ad_hoc_utils.module_from_source(source, "one_worker")
    dr = driver.Builder().with_modules(module).with_adapters(FutureAdapter(max_workers=1)).build()
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 4}


def test_a_result_builder_shapes_the_resolved_outputs():
    class Summed(lifecycle.ResultBuilder):
        def build_result(self, **outputs):
            return sum(outputs.values())

    dr = driver.Builder().with_modules(flow()).with_adapters(FutureAdapter(result_builder=Summed())).build()
    assert dr.execute(["c", "a"], inputs={"x": 1}) == 7
    legacy = driver.Builder().with_modules(flow()).with_adapters(FutureAdapter(result_builder=base.DictResult()))
    assert legacy.build().execute(["c"], inputs={"x": 1}) == {"c": 5}


def test_a_failing_node_raises_unchanged_and_its_dependents_do_not_run(caplog):
    seen = Seen()
    dr = driver.Builder().with_modules(flow()).with_adapters(FutureAdapter(), seen).build()
    with pytest.raises(ValueError, match="bad 2") as info:
        dr.execute(["after_boom", "c"], inputs={"x": 1})
    assert ("boom", None, False) in seen.after
    assert "after_boom" not in [name for name, _ in seen.before]
    assert "node 'boom' failed" in caplog.text
    notes = getattr(info.value, "__notes__", None)
    if notes is not None:
        assert any("boom" in note for note in notes)


def test_the_adapter_pickles_without_its_threads():
    adapter = pickle.loads(pickle.dumps(FutureAdapter(max_workers=3, thread_name_prefix="p")))
    dr = driver.Builder().with_modules(flow()).with_adapters(adapter).build()
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 5}
    assert adapter.executor._max_workers == 3
