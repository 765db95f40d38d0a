"""The engine's hook points: which fire, in which order, with which arguments."""

import sys
from typing import Any

import pytest

from hamilton import base, driver, lifecycle
from hamilton.lifecycle import base as lifecycle_base


def a(x: int) -> int:
    return x + 1


def b(a: int) -> int:
    return a * 2


def broken(a: int) -> int:
    raise RuntimeError("boom")


class Journal(
    lifecycle_base.BasePreDoAnythingHook,
    lifecycle_base.BasePostGraphConstruct,
    lifecycle_base.BasePreGraphExecute,
    lifecycle_base.BasePreNodeExecute,
    lifecycle_base.BasePostNodeExecute,
    lifecycle_base.BasePostGraphExecute,
):
    """Writes every base hook call into a shared list."""

    def __init__(self, log: list, label: str = "j"):
        self.log = log
        self.label = label

    def pre_do_anything(self):
        self.log.append((self.label, "pre_do_anything"))

    def post_graph_construct(self, *, graph, modules, config):
        self.log.append((self.label, "post_graph_construct", sorted(graph.nodes), config))

    def pre_graph_execute(self, *, run_id, graph, final_vars, inputs, overrides):
        self.log.append((self.label, "pre_graph_execute", final_vars, inputs, overrides))

    def pre_node_execute(self, *, run_id, node_, kwargs, task_id=None):
        self.log.append((self.label, "pre_node_execute", node_.name, kwargs, task_id))

    def post_node_execute(self, *, run_id, node_, kwargs, success, error, result, task_id=None):
        self.log.append((self.label, "post_node_execute", node_.name, success, repr(error), result))

    def post_graph_execute(self, *, run_id, graph, success, error, results):
        self.log.append((self.label, "post_graph_execute", success, repr(error), results))


def test_hooks_fire_in_order_with_their_arguments():
    log: list = []
    dr = driver.Builder().with_functions(a, b).with_config({"c": 1}).with_adapters(Journal(log)).build()
    assert [entry[1] for entry in log] == ["pre_do_anything", "post_graph_construct"]
    log.clear()
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 4}
    assert log == [
        ("j", "pre_graph_execute", ["b"], {"x": 1}, None),
        ("j", "pre_node_execute", "a", {"x": 1}, None),
        ("j", "post_node_execute", "a", True, "None", 2),
        ("j", "pre_node_execute", "b", {"a": 2}, None),
        ("j", "post_node_execute", "b", True, "None", 4),
        ("j", "post_graph_execute", True, "None", {"b": 4}),
    ]


def test_several_adapters_are_called_in_the_order_given():
    log: list = []
    dr = driver.Builder().with_functions(a).with_adapters(Journal(log, "first"), Journal(log, "second")).build()
    log.clear()
    dr.execute(["a"], inputs={"x": 1})
    assert [(label, hook) for label, hook, *_ in log] == [
        ("first", "pre_graph_execute"),
        ("second", "pre_graph_execute"),
        ("first", "pre_node_execute"),
        ("second", "pre_node_execute"),
        ("first", "post_node_execute"),
        ("second", "post_node_execute"),
        ("first", "post_graph_execute"),
        ("second", "post_graph_execute"),
    ]


def test_a_failing_node_reaches_post_hooks_then_propagates():
    log: list = []
    dr = driver.Builder().with_functions(a, broken).with_adapters(Journal(log)).build()
    log.clear()
    with pytest.raises(RuntimeError, match="boom"):
        dr.execute(["broken"], inputs={"x": 1})
    assert [entry[1:4] for entry in log[-2:]] == [
        ("post_node_execute", "broken", False),
        ("post_graph_execute", False, "RuntimeError('boom')"),
    ]


def test_missing_inputs_fail_after_pre_graph_and_before_any_node():
    log: list = []
    dr = driver.Builder().with_functions(a, b).with_adapters(Journal(log)).build()
    log.clear()
    with pytest.raises(ValueError, match="Required input x not provided"):
        dr.execute(["b"])
    assert [entry[1] for entry in log] == ["pre_graph_execute", "post_graph_execute"]


def test_unknown_outputs_fail_before_any_hook():
    log: list = []
    dr = driver.Builder().with_functions(a).with_adapters(Journal(log)).build()
    log.clear()
    with pytest.raises(ValueError, match="Unknown nodes"):
        dr.execute(["nope"])
    assert log == []


class Aborting(lifecycle_base.BasePreNodeExecute, lifecycle_base.BasePostNodeExecute):
    def __init__(self):
        self.post_calls = 0

    def pre_node_execute(self, *, run_id, node_, kwargs, task_id=None):
        raise KeyError("refused")

    def post_node_execute(self, **kwargs):
        self.post_calls += 1


def test_a_raising_pre_node_hook_aborts_the_node_without_post_hooks():
    adapter = Aborting()
    dr = driver.Builder().with_functions(a).with_adapters(adapter).build()
    with pytest.raises(KeyError, match="refused"):
        dr.execute(["a"], inputs={"x": 1})
    assert adapter.post_calls == 0


class Doubling(lifecycle.NodeExecutionMethod):
    def run_to_execute_node(self, *, node_name, node_callable, node_kwargs, **future_kwargs):
        return node_callable(**node_kwargs) * 10


def test_node_execution_method_replaces_the_call():
    dr = driver.Builder().with_functions(a, b).with_adapters(Doubling()).build()
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 400}


class Remote(lifecycle_base.BaseDoRemoteExecute):
    def __init__(self):
        self.seen = []

    def do_remote_execute(self, *, node, kwargs, execute_lifecycle_for_node):
        self.seen.append(node.name)
        return execute_lifecycle_for_node(**kwargs)


def test_remote_execute_receives_each_node_lifecycle():
    remote, log = Remote(), []
    dr = driver.Builder().with_functions(a, b).with_adapters(remote, Journal(log)).build()
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 4}
    assert remote.seen == ["a", "b"]
    assert ("j", "pre_node_execute", "b", {"a": 2}, None) in log


class Lenient(base.SimplePythonGraphAdapter):
    """A legacy adapter: accepts every edge and input, records executions."""

    def __init__(self):
        super().__init__()
        self.executed = []

    @staticmethod
    def check_input_type(node_type: type, input_value: Any) -> bool:
        return True

    @staticmethod
    def check_node_type_equivalence(node_type: type, input_type: type) -> bool:
        return True

    def execute_node(self, node, kwargs):
        self.executed.append(node.name)
        return super().execute_node(node, kwargs)


def wants_text(a: str) -> str:
    return a


def test_legacy_adapter_loosens_edges_and_inputs_and_executes_nodes():
    with pytest.raises(ValueError, match="wants_text is expecting a"):
        driver.Builder().with_functions(a, wants_text).build()
    adapter = Lenient()
    dr = driver.Builder().with_functions(a, wants_text).with_adapter(adapter).build()
    assert dr.execute(["wants_text"], inputs={"x": 1.5}) == {"wants_text": 2.5}
    assert adapter.executed == ["a", "wants_text"]


class Upper(base.ResultMixin):
    @staticmethod
    def build_result(**outputs):
        return {key.upper(): value for key, value in outputs.items()}


def test_result_builders_shape_the_result_and_only_one_is_allowed():
    dr = driver.Builder().with_functions(a).with_adapters(Upper()).build()
    assert dr.execute(["a"], inputs={"x": 1}) == {"A": 2}
    with pytest.raises(ValueError, match="do_build_result"):
        driver.Builder().with_functions(a).with_adapters(Upper(), base.DictResult()).build()


class Picky(lifecycle.StaticValidator):
    def run_to_validate_node(self, *, node, **future_kwargs):
        if node.name == "b":
            return False, "b is not allowed"
        return True, None


def test_static_validators_reject_at_build_time():
    with pytest.raises(lifecycle_base.ValidationException, match="b: b is not allowed"):
        driver.Builder().with_functions(a, b).with_adapters(Picky()).build()
    driver.Builder().with_functions(a).with_adapters(Picky()).build()


def test_hook_points_declare_keyword_only_signatures():
    """Core's own points are not validated at import (for speed); this test does it instead."""
    for cls in vars(lifecycle_base).values():
        point = getattr(cls, "_hamilton_lifecycle_point", None) if isinstance(cls, type) else None
        if point is None or cls.__module__ != lifecycle_base.__name__:
            continue
        lifecycle_base._validate_point_signature(cls, point.kind, point.name, cls.__dict__[point.name], point.is_async)


def test_third_party_points_are_validated_when_declared():
    with pytest.raises(lifecycle_base.InvalidLifecycleAdapter, match="keyword-only"):

        @lifecycle_base.base_hook("my_hook")
        class Bad:
            def my_hook(self, positional) -> None:
                pass


class FailingHook(lifecycle.NodeExecutionHook, lifecycle.GraphExecutionHook):
    def __init__(self, fail_at: str):
        self.fail_at = fail_at

    def _maybe_fail(self, point):
        if point == self.fail_at:
            raise LookupError(f"hook failed at {point}")

    def run_before_node_execution(self, **kwargs):
        self._maybe_fail("before_node")

    def run_after_node_execution(self, **kwargs):
        self._maybe_fail("after_node")

    def run_before_graph_execution(self, **kwargs):
        self._maybe_fail("before_graph")

    def run_after_graph_execution(self, **kwargs):
        self._maybe_fail("after_graph")


@pytest.mark.parametrize(
    ("fail_at", "point", "node"),
    [
        ("before_node", "pre_node_execute", "a"),
        ("after_node", "post_node_execute", "a"),
        ("before_graph", "pre_graph_execute", None),
        ("after_graph", "post_graph_execute", None),
    ],
)
def test_a_failing_hook_fails_the_run_naming_the_hook_and_the_node(fail_at, point, node):
    dr = driver.Builder().with_functions(a).with_adapters(FailingHook(fail_at)).build()
    with pytest.raises(LookupError, match=f"hook failed at {fail_at}") as raised:
        dr.execute(["a"], inputs={"x": 1})
    if sys.version_info >= (3, 11):
        (note,) = raised.value.__notes__
        assert f"the {point} hook of FailingHook" in note
        assert (f"for node '{node}'" in note) is (node is not None)


class Recorder(lifecycle.NodeExecutionHook):
    """A NodeExecutionHook recording what the engine hands it."""

    def __init__(self, log: list, label: str):
        self.log = log
        self.label = label

    def run_before_node_execution(self, *, node_name, node_kwargs, node_input_types, node_return_type, **future):
        self.log.append((self.label, "before", node_name, dict(node_kwargs), node_input_types, node_return_type))
        self.log.append((self.label, "extra", sorted(future)))

    def run_after_node_execution(self, *, node_name, result, success, error, **future):
        self.log.append((self.label, "after", node_name, result, success, error))


class BridgeOverride(Recorder):
    """Overrides the 1.x bridge method: the engine must call the override, not skip it."""

    def pre_node_execute(self, *, run_id, node_, kwargs, task_id=None):
        self.log.append((self.label, "own pre", node_.name))


def test_node_execution_hooks_get_1x_arguments_in_adapter_order():
    log: list = []
    adapters = [Recorder(log, "r1"), Journal(log, "j"), BridgeOverride(log, "r2")]
    dr = driver.Builder().with_functions(a, b).with_adapters(*adapters).build()
    log.clear()
    dr.execute(["b"], inputs={"x": 1})
    node_points = {"before", "pre_node_execute", "own pre", "after", "post_node_execute"}
    assert [entry[:2] for entry in log if entry[1] in node_points][:6] == [
        ("r1", "before"),
        ("j", "pre_node_execute"),
        ("r2", "own pre"),
        ("r1", "after"),
        ("j", "post_node_execute"),
        ("r2", "after"),
    ]
    assert ("r1", "before", "b", {"a": 2}, {"a": int}, int) in log
    assert ("r1", "extra", ["node_tags", "run_id", "task_id"]) in log
    assert ("r1", "after", "b", 4, True, None) in log
    assert ("r2", "after", "b", 4, True, None) in log
