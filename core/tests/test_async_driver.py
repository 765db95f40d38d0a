"""The async driver (1.x's ``hamilton.async_driver``), through its public API."""

from __future__ import annotations

import asyncio
import importlib
import pickle
import sys
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, async_driver, base, driver, lifecycle
from hamilton.lifecycle import base as lifecycle_base

SOURCE = """
import asyncio

async def doubled(x: int) -> int:
    await asyncio.sleep(0)
    return x * 2

def plus_one(x: int) -> int:
    return x + 1

async def total(doubled: int, plus_one: int) -> int:
    return doubled + plus_one
"""


def module(source: str = SOURCE, name: str = "async_flow"):
    return ad_hoc_utils.module_from_source(source, name)


def run(coroutine):
    return asyncio.run(coroutine)


async def built(*adapters, source: str = SOURCE):
    return await async_driver.Builder().with_modules(module(source)).with_adapters(*adapters).build()


def test_a_built_driver_mixes_async_and_sync_nodes_and_returns_a_dict():
    async def main():
        dr = await built()
        return await dr.execute(["total", "plus_one"], inputs={"x": 3})

    assert run(main()) == {"total": 10, "plus_one": 4}


@given(st.permutations(["total", "plus_one", "doubled"]))
@settings(max_examples=12)
def test_outputs_come_back_in_sorted_order_of_names_as_in_1x(requested):
    """1.x's async driver returned (and handed its result builder) the outputs sorted by name;
    code reading ``list(result.values())[0]`` depends on it."""

    class SeenOrder(lifecycle.ResultBuilder):
        def build_result(self, **outputs):
            return list(outputs)

    async def main():
        dr = await built()
        by_dict = await dr.execute(requested, inputs={"x": 3})
        raw = await dr.raw_execute(requested, inputs={"x": 3})
        legacy = async_driver.AsyncDriver({}, module(), result_builder=SeenOrder())
        return list(by_dict), list(raw), await legacy.execute(requested, inputs={"x": 3})

    assert run(main()) == (["doubled", "plus_one", "total"],) * 3


def test_outputs_can_be_named_by_function_and_overrides_skip_upstream():
    flow = module()

    async def main():
        dr = await async_driver.Builder().with_modules(flow).build()
        by_function = await dr.execute([flow.total], inputs={"x": 1})
        overridden = await dr.execute(["total"], inputs={"x": 1}, overrides={"doubled": 100})
        return by_function, overridden

    assert run(main()) == ({"total": 4}, {"total": 102})


def test_independent_async_branches_run_concurrently():
    events: list[str] = []
    source = """
import asyncio
events = []

async def left(x: int) -> int:
    events.append("left starts")
    await asyncio.sleep(0)
    events.append("left ends")
    return x

async def right(x: int) -> int:
    events.append("right starts")
    await asyncio.sleep(0)
    events.append("right ends")
    return x

def both(left: int, right: int) -> int:
    return left + right
"""
    flow = module(source, "branches")
    events = flow.events

    async def main():
        dr = await async_driver.Builder().with_modules(flow).build()
        return await dr.execute(["both"], inputs={"x": 2})

    assert run(main()) == {"both": 4}
    # both branches started before either finished: they overlapped on the event loop
    assert events.index("right starts") < events.index("left ends")
    assert events.index("left starts") < events.index("right ends")


def test_a_missing_input_raises_not_implemented_error_naming_it():
    async def main():
        dr = await built()
        await dr.execute(["total"])

    with pytest.raises(NotImplementedError, match="x was expected to be passed in but was not") as info:
        run(main())
    assert "doubled" in str(info.value)
    assert "plus_one" in str(info.value)


def test_inputs_are_not_type_checked_as_in_1x():
    source = "def shout(word: int) -> str:\n    return str(word).upper()\n"

    async def main():
        dr = await built(source=source)
        return await dr.execute(["shout"], inputs={"word": "hi"})

    assert run(main()) == {"shout": "HI"}


def test_awaitable_inputs_are_awaited_once_for_all_consumers():
    calls = []

    async def fetch() -> int:
        calls.append("fetch")
        return 5

    async def main():
        dr = await built()
        return await dr.execute(["total"], inputs={"x": fetch()})

    assert run(main()) == {"total": 16}
    assert calls == ["fetch"]


def test_display_graph_is_refused_and_raw_execute_returns_a_dict():
    async def main():
        dr = async_driver.AsyncDriver({}, module(), result_builder=base.DictResult())
        with pytest.raises(ValueError, match="display_graph=True is not supported for the async graph adapter"):
            await dr.execute(["total"], inputs={"x": 1}, display_graph=True)
        return await dr.raw_execute(["total"], inputs={"x": 1})

    assert run(main()) == {"total": 4}


def test_the_async_builder_refuses_a_legacy_adapter_as_in_1x():
    with pytest.raises(ValueError, match="Use with_adapters instead"):
        async_driver.Builder().with_adapter(base.DictResult())


def test_the_async_builder_caches_async_nodes(tmp_path):
    source = """
import asyncio

CALLS = []

async def fetched(x: int) -> int:
    CALLS.append(x)
    await asyncio.sleep(0)
    return x * 10

def report(fetched: int) -> str:
    return f"got {fetched}"
"""
    flow = module(source, "cached_async_flow")

    async def main():
        dr = await async_driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
        first = await dr.execute(["report"], inputs={"x": 2})
        second = await dr.execute(["report"], inputs={"x": 2})
        return first, second

    pytest.importorskip("hamilton.caching")
    first, second = run(main())
    assert first == second == {"report": "got 20"}
    assert flow.CALLS == [2]  # the second run read the awaited value from the cache


def test_the_async_builder_materializes(tmp_path):
    from hamilton.io.materialization import to

    path = tmp_path / "out.json"

    async def main():
        dr = (
            await async_driver.Builder()
            .with_modules(module())
            .with_materializers(to.json(id="saved", dependencies=["total"], path=str(path), combine=base.DictResult()))
            .build()
        )
        return await dr.execute(["saved"], inputs={"x": 1})

    result = run(main())
    assert "saved" in result
    assert path.read_text().replace(" ", "") == '{"total":4}'


def test_one_result_builder_at_most():
    with pytest.raises(ValueError, match="more than one result builder"):
        async_driver.AsyncDriver({}, module(), result_builder=base.DictResult(), adapters=[base.DictResult()])


def test_a_result_builder_shapes_the_result():
    class Summed(lifecycle.ResultBuilder):
        def build_result(self, **outputs):
            return sum(outputs.values())

    async def main():
        dr = await built(Summed())
        return await dr.execute(["total", "plus_one"], inputs={"x": 3})

    assert run(main()) == 14


def test_a_directly_constructed_driver_returns_what_the_sync_driver_returns():
    async def main():
        dr = async_driver.AsyncDriver({}, module())
        return await dr.execute(["plus_one"], inputs={"x": 1})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the pandas default is deprecated where pandas support is installed
        result = run(main())
        expected_type = type(driver.Driver({}, module()).execute(["plus_one"], inputs={"x": 1}))
    assert type(result) is expected_type


class SyncRecorder(lifecycle.NodeExecutionHook, lifecycle.GraphExecutionHook):
    """The sync hooks: each call is recorded with its arguments."""

    def __init__(self, calls: list[tuple]):
        self.calls = calls

    def run_before_graph_execution(self, *, final_vars, inputs, execution_path, **kwargs):
        self.calls.append(("before graph", final_vars, inputs, sorted(execution_path)))

    def run_after_graph_execution(self, *, success, results, **kwargs):
        self.calls.append(("after graph", success, results))

    def run_before_node_execution(self, *, node_name, node_kwargs, **kwargs):
        self.calls.append(("before node", node_name, node_kwargs))

    def run_after_node_execution(self, *, node_name, result, success, **kwargs):
        self.calls.append(("after node", node_name, result, success))


class Recorder(
    lifecycle_base.BasePreGraphExecuteAsync,
    lifecycle_base.BasePostGraphExecuteAsync,
    lifecycle_base.BasePreNodeExecuteAsync,
    lifecycle_base.BasePostNodeExecuteAsync,
    lifecycle_base.BasePostGraphConstructAsync,
):
    """The async hooks, recording into the same list as its :class:`SyncRecorder`."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.sync = SyncRecorder(self.calls)

    async def ainit(self):
        self.calls.append(("ainit",))

    async def post_graph_construct(self, *, graph, modules, config):
        self.calls.append(("async post_graph_construct",))

    async def pre_graph_execute(self, *, final_vars, **kwargs):
        self.calls.append(("async before graph", final_vars))

    async def post_graph_execute(self, *, success, results, **kwargs):
        self.calls.append(("async after graph", success, results))

    async def pre_node_execute(self, *, node_, kwargs, **other):
        self.calls.append(("async before node", node_.name, kwargs))

    async def post_node_execute(self, *, node_, result, success, error, **other):
        self.calls.append(("async after node", node_.name, result, success, error))


def test_sync_and_async_hooks_fire_in_order_with_their_arguments():
    source = "async def a(x: int) -> int:\n    return x + 1\n\ndef b(a: int) -> int:\n    return a * 2\n"
    recorder = Recorder()

    async def main():
        dr = await built(recorder.sync, recorder, source=source)
        await dr.ainit()  # idempotent
        return await dr.execute(["b"], inputs={"x": 1})

    assert run(main()) == {"b": 4}
    assert recorder.calls == [
        ("async post_graph_construct",),
        ("ainit",),
        ("before graph", ["b"], {"x": 1}, ["a", "b"]),
        ("async before graph", ["b"]),
        ("before node", "a", {"x": 1}),
        ("async before node", "a", {"x": 1}),
        ("after node", "a", 2, True),  # sync hooks see the awaited value (1.x gave them an asyncio.Task)
        ("async after node", "a", 2, True, None),
        ("before node", "b", {"a": 2}),
        ("async before node", "b", {"a": 2}),
        ("after node", "b", 4, True),
        ("async after node", "b", 4, True, None),
        ("after graph", True, {"b": 4}),
        ("async after graph", True, {"b": 4}),
    ]


def test_a_failing_node_reports_to_hooks_cancels_running_siblings_and_propagates_unchanged():
    source = """
import asyncio
state = {"slow cancelled": False}

class Boom(Exception):
    pass

async def slow(x: int) -> int:
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        state["slow cancelled"] = True
        raise
    return x

async def broken(x: int) -> int:
    await asyncio.sleep(0)
    raise Boom("no")

def both(slow: int, broken: int) -> int:
    return slow + broken
"""
    flow = module(source, "failing")
    recorder = Recorder()

    async def main():
        dr = await async_driver.Builder().with_modules(flow).with_adapters(recorder.sync, recorder).build()
        await dr.execute(["both"], inputs={"x": 1})

    with pytest.raises(flow.Boom, match="no") as info:
        run(main())
    assert any("node 'broken' failed" in note for note in getattr(info.value, "__notes__", [])) or sys.version_info < (
        3,
        11,
    )
    assert flow.state["slow cancelled"]
    failed = [call for call in recorder.calls if call[0] == "async after node" and call[1] == "broken"]
    assert failed == [("async after node", "broken", None, False, failed[0][4])]
    assert isinstance(failed[0][4], flow.Boom)
    assert recorder.calls[-2:] == [("after graph", False, None), ("async after graph", False, None)]
    assert not any(call[0] == "before node" and call[1] == "both" for call in recorder.calls)


def test_a_raising_async_hook_fails_the_run_naming_the_adapter():
    class Refuses(lifecycle_base.BasePreNodeExecuteAsync):
        async def pre_node_execute(self, **kwargs):
            raise RuntimeError("refused")

    async def main():
        dr = await built(Refuses())
        await dr.execute(["plus_one"], inputs={"x": 1})

    with pytest.raises(RuntimeError, match="refused") as info:
        run(main())
    if sys.version_info >= (3, 11):
        assert any("Refuses" in note and "plus_one" in note for note in info.value.__notes__)


def test_an_async_node_execution_method_wraps_every_node():
    class Traced(lifecycle_base.BaseDoNodeExecuteAsync):
        def __init__(self):
            self.seen = []

        async def do_node_execute(self, *, run_id, node_, kwargs, task_id=None):
            self.seen.append(node_.name)
            result = node_.callable(**kwargs)
            return (await result) if asyncio.iscoroutine(result) else result

    traced = Traced()

    async def main():
        dr = await built(traced)
        return await dr.execute(["total"], inputs={"x": 2})

    assert run(main()) == {"total": 7}
    assert sorted(traced.seen) == ["doubled", "plus_one", "total"]


def test_parallelizable_nodes_need_dynamic_execution_and_materialize_is_a_coroutine(tmp_path):
    source = """
from hamilton.htypes import Collect, Parallelizable

def items(n: int) -> Parallelizable[int]:
    yield from range(n)

def squared(items: int) -> int:
    return items * items

def summed(squared: Collect[int]) -> int:
    return sum(squared)
"""

    from hamilton.io.materialization import to

    async def refused():
        dr = await built(source=source)
        await dr.execute(["summed"], inputs={"n": 3})

    with pytest.raises(driver.InvalidExecutorException, match="enable_dynamic_execution"):
        run(refused())

    async def dynamic():
        flow = module(source, "async_parallel")
        dr = (
            await async_driver.Builder()
            .with_modules(flow)
            .enable_dynamic_execution(allow_experimental_mode=True)
            .build()
        )
        path = tmp_path / "summed.json"
        saved, others = await dr.materialize(
            to.json(id="save", dependencies=["summed"], path=str(path), combine=base.DictResult()),
            additional_vars=["summed"],
            inputs={"n": 4},
        )
        return saved, others, path.read_text()

    saved, others, text = run(dynamic())
    assert others == {"summed": 14}
    assert "save" in saved
    assert text.replace(" ", "") == '{"summed":14}'


def test_the_deprecated_experimental_path_warns_and_gives_the_same_driver():
    sys.modules.pop("hamilton.experimental.h_async", None)
    with pytest.warns(DeprecationWarning, match="hamilton.async_driver"):
        h_async = importlib.import_module("hamilton.experimental.h_async")
    assert h_async.AsyncDriver is async_driver.AsyncDriver


def test_helpers():
    async def three():
        return 3

    async def main():
        return await async_driver.await_dict_of_tasks({"a": three(), "b": 4}), await async_driver.process_value(5)

    assert run(main()) == ({"a": 3, "b": 4}, 5)
    sync_hook, async_hook = lifecycle.PrintLn(), Recorder()
    assert async_driver.separate_sync_from_async([async_hook, sync_hook]) == ([sync_hook], [async_hook])


def test_a_built_driver_pickles():
    async def main():
        dr = await async_driver.Builder().with_modules(module()).build()
        return pickle.loads(pickle.dumps(dr))

    assert isinstance(run(main()), async_driver.AsyncDriver)


def _chain_source(kinds: list[bool]) -> str:
    """A DAG: node i depends on node i-1 and i-2 (when present); True means ``async def``."""
    lines = ["import asyncio"]
    for i, is_async in enumerate(kinds):
        params = [f"n{j}: int" for j in (i - 1, i - 2) if j >= 0] or ["seed: int"]
        body = " + ".join(p.split(":")[0] for p in params) + f" + {i}"
        prefix = "async def" if is_async else "def"
        wait = "    await asyncio.sleep(0)\n" if is_async else ""
        lines.append(f"{prefix} n{i}({', '.join(params)}) -> int:\n{wait}    return {body}")
    return "\n\n".join(lines) + "\n"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=12), st.integers(-100, 100))
def test_any_mix_of_async_and_sync_nodes_computes_what_plain_calls_compute(kinds, seed):
    flow = module(_chain_source(kinds), "mixed")
    outputs = [f"n{i}" for i in range(len(kinds))]

    async def main():
        dr = await async_driver.Builder().with_modules(flow).build()
        return await dr.execute(outputs, inputs={"seed": seed})

    async def by_hand():
        values: dict[str, int] = {}
        for i, is_async in enumerate(kinds):
            args = [values[f"n{j}"] for j in (i - 1, i - 2) if j >= 0] or [seed]
            result = getattr(flow, f"n{i}")(*args)
            values[f"n{i}"] = await result if is_async else result
        return values

    assert run(main()) == run(by_hand())


def test_a_copied_async_builder_still_builds_async_drivers():
    builder = async_driver.Builder().with_modules(module()).with_config({"unused": 1})
    copy = builder.copy()
    copy.with_config({"other": 2})

    async def main():
        dr = await copy.build()
        return dr, await dr.execute(["plus_one"], inputs={"x": 1})

    dr, result = run(main())
    assert isinstance(copy, async_driver.Builder)
    assert isinstance(dr, async_driver.AsyncDriver)
    assert result == {"plus_one": 2}
    assert builder.config == {"unused": 1}  # the copy is independent


def test_a_prebuilt_graph_runs_on_the_async_driver_alone():
    from hamilton.graph import Graph

    graph = Graph.build(modules=[module()])

    async def main():
        dr = await async_driver.Builder().with_graph(graph).build()
        return await dr.execute(["total"], inputs={"x": 3})

    assert run(main()) == {"total": 10}
    with pytest.raises(ValueError, match="with_graph"):
        async_driver.Builder().with_graph(graph).with_modules(module()).build_without_init()
