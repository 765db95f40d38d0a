"""1.x's lifecycle registration API, adapter-set views, calling conventions and CacheAdapter."""

import pytest

from hamilton import driver
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.execution.executors import SynchronousLocalTaskExecutor
from hamilton.htypes import Collect, Parallelizable
from hamilton.lifecycle import api, base
from hamilton.lifecycle.base import InvalidLifecycleAdapter, LifecycleAdapterSet, validate_lifecycle_adapter_function


def _hook(self, *, run_id: str) -> None:
    pass


def _method(self, *, a: int) -> int:
    return a


def _positional(self, a: int) -> int:
    return a


def _unannotated(self, *, a):
    return a


@pytest.mark.parametrize(
    ("fn", "returns_value", "return_type"),
    [(_hook, False, None), (_method, True, None), (_method, True, int), (_unannotated, False, None)],
)
def test_valid_point_signatures(fn, returns_value, return_type):
    validate_lifecycle_adapter_function(fn, returns_value=returns_value, return_type=return_type)


@pytest.mark.parametrize(
    ("fn", "returns_value", "return_type", "complaint"),
    [
        (_positional, True, None, "keyword-only"),
        (_method, False, None, "must not return"),
        (_unannotated, True, None, "no return annotation"),
        (_method, True, str, "must return"),
    ],
)
def test_invalid_point_signatures(fn, returns_value, return_type, complaint):
    with pytest.raises(InvalidLifecycleAdapter, match=complaint):
        validate_lifecycle_adapter_function(fn, returns_value=returns_value, return_type=return_type)


def test_registration_namespace_marks_classes_with_1x_attributes():
    @base.lifecycle.base_hook("my_1x_hook")
    class MyHook:
        async def my_1x_hook(self, *, value: int) -> None:
            pass

    @base.lifecycle.base_method("my_1x_method")
    class MyMethod:
        def my_1x_method(self, *, value: int) -> int:
            return value

    assert getattr(MyHook, base.ASYNC_HOOK) == "my_1x_hook"
    assert "my_1x_hook" in base.REGISTERED_ASYNC_HOOKS
    assert getattr(MyMethod, base.SYNC_METHOD) == "my_1x_method"
    assert "my_1x_method" in base.REGISTERED_SYNC_METHODS


class Both(api.NodeExecutionHook, api.StaticValidator):
    def run_before_node_execution(self, **future):
        pass

    def run_after_node_execution(self, **future):
        pass

    def run_to_validate_node(self, *, node, **future):
        return True, None

    def run_to_validate_graph(self, *, graph, **future):
        return True, None


def test_adapter_set_exposes_its_index_by_point():
    adapter = Both()
    adapters = LifecycleAdapterSet(adapter)
    assert adapters.sync_hooks == {"pre_node_execute": [adapter], "post_node_execute": [adapter]}
    assert adapters.sync_validators == {"validate_graph": [adapter], "validate_node": [adapter]}
    assert adapters.sync_methods == adapters.async_methods == adapters.async_hooks == {}


def fan_out(n: int) -> Parallelizable[int]:
    yield from range(n)


def doubled(fan_out: int) -> int:
    return fan_out * 2


def total(doubled: Collect[int]) -> int:
    return sum(doubled)


def test_task_hooks_alone_receive_a_run_id():
    """A run makes a run id for any adapter that is given one, not only graph or node hooks."""
    seen = []

    class Grouping(api.TaskGroupingHook):
        def run_after_task_grouping(self, *, run_id, task_ids, **future):
            seen.append(run_id)

        def run_after_task_expansion(self, *, run_id, task_id, parameters, **future):
            seen.append(run_id)

    dr = (
        driver.Builder()
        .with_functions(fan_out, doubled, total)
        .with_adapters(Grouping())
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(SynchronousLocalTaskExecutor())
        .build()
    )
    assert dr.execute(["total"], inputs={"n": 3}) == {"total": 6}
    assert len(seen) == 2
    assert len(set(seen)) == 1
    assert len(seen[0]) > 10


def a(x: int) -> int:
    return x + 1


def b(a: int) -> int:
    return a * 2


class SpreadRemote(base.BaseDoRemoteExecute):
    """A 1.x-style remote executor: the node's inputs come spread as keywords."""

    def __init__(self):
        self.seen = []

    def do_remote_execute(self, *, node, execute_lifecycle_for_node, **kwargs) -> object:
        self.seen.append((node.name, kwargs))
        return execute_lifecycle_for_node(**kwargs)


class DictRemote(base.BaseDoRemoteExecute):
    """The declared convention: the node's inputs as one ``kwargs`` dict."""

    def __init__(self):
        self.seen = []

    def do_remote_execute(self, *, node, kwargs, execute_lifecycle_for_node) -> object:
        self.seen.append((node.name, kwargs))
        return execute_lifecycle_for_node(**kwargs)


@pytest.mark.parametrize("remote_class", [SpreadRemote, DictRemote])
def test_remote_execute_accepts_both_calling_conventions(remote_class):
    remote = remote_class()
    dr = driver.Builder().with_functions(a, b).with_adapters(remote).build()
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 4}
    assert remote.seen == [("a", {"x": 1}), ("b", {"a": 2})]


def test_cache_adapter_is_deprecated_and_reuses_results(tmp_path):
    from hamilton.lifecycle.default import CacheAdapter

    calls = []

    def slow(x: int) -> int:
        calls.append(x)
        return x * 100

    path = str(tmp_path / "cache")
    for _ in range(2):
        with pytest.warns(RemovedInHamilton3Warning, match="with_cache"):
            cache = CacheAdapter(cache_path=path)
        dr = driver.Builder().with_functions(slow).with_adapters(cache).build()
        assert dr.execute(["slow"], inputs={"x": 3}) == {"slow": 300}
    assert calls == [3]  # the second run loaded the result
    assert len(cache.nodes_history["slow"]) == 1
