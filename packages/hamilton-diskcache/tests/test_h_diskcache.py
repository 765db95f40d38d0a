"""1.x's DiskCacheAdapter through Driver runs: hits across drivers and processes, and above all
never a stale value — the key changes whenever a node's code or any of its inputs does."""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, driver, plugins
from hamilton.io.materialization import from_
from hamilton.plugins import h_diskcache
from hamilton.plugins.h_diskcache import DiskCacheAdapter
from hamilton.plugins.testing import IntegrationContract

fs_settings = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Runs:
    """Counts executions. An object (not plain data) so the cache does not version it as a global."""

    def __init__(self):
        self.names: list[str] = []

    def __call__(self, name: str) -> None:
        self.names.append(name)


def flow(source: str):
    """A module from ``source`` (inspect.getsource works on it) with a fresh ``RUNS`` counter."""
    module = ad_hoc_utils.module_from_source(textwrap.dedent(source), f"diskcache_flow_{uuid.uuid4().hex}")
    module.RUNS = Runs()
    return module


def run(module, cache_path, outputs, inputs=None, **adapter_options):
    """Execute with a new DiskCacheAdapter and a new driver; (results, names of nodes executed)."""
    module.RUNS.names.clear()
    adapter = DiskCacheAdapter(cache_path=str(cache_path), **adapter_options)
    dr = driver.Builder().with_modules(module).with_adapters(adapter).build()
    results = dr.execute(outputs, inputs=inputs or {})
    return results, list(module.RUNS.names)


CHAIN = """
def base(x: int) -> int:
    RUNS("base")
    return x + 1

def doubled(base: int) -> int:
    RUNS("doubled")
    return base * 2
"""


def test_a_new_driver_reuses_stored_results(tmp_path):
    module = flow(CHAIN)
    assert run(module, tmp_path, ["doubled"], {"x": 1}) == ({"doubled": 4}, ["base", "doubled"])
    assert run(module, tmp_path, ["doubled"], {"x": 1}) == ({"doubled": 4}, [])
    # another input: computed again, and the first input's results are still there
    assert run(module, tmp_path, ["doubled"], {"x": 2}) == ({"doubled": 6}, ["base", "doubled"])
    assert run(module, tmp_path, ["doubled"], {"x": 1}) == ({"doubled": 4}, [])


def test_the_same_adapter_across_runs(tmp_path):
    module = flow(CHAIN)
    adapter = DiskCacheAdapter(cache_path=str(tmp_path))
    dr = driver.Builder().with_modules(module).with_adapters(adapter).build()
    assert dr.execute(["doubled"], inputs={"x": 3}) == {"doubled": 8}
    assert dr.execute(["doubled"], inputs={"x": 3}) == {"doubled": 8}  # the cache reopens after closing
    assert module.RUNS.names == ["base", "doubled"]


def test_hits_across_processes(tmp_path):
    (tmp_path / "chain_flow.py").write_text(
        "import collections\nRUNS = collections.Counter()\n"
        + CHAIN.replace('RUNS("base")', 'RUNS["base"] += 1').replace('RUNS("doubled")', 'RUNS["doubled"] += 1')
    )
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import chain_flow
        from hamilton import driver
        from hamilton.plugins import h_diskcache
        adapter = h_diskcache.DiskCacheAdapter(cache_path={str(tmp_path / "cache")!r})
        dr = driver.Builder().with_modules(chain_flow).with_adapters(adapter).build()
        print(json.dumps([dr.execute(["doubled"], inputs={{"x": 5}}), dict(chain_flow.RUNS)]))
        """
    )
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == [{"doubled": 12}, {"base": 1, "doubled": 1}]
    assert outputs[1] == [{"doubled": 12}, {}]


# -- never a stale value: inputs ------------------------------------------------------------

inputs_ = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.binary(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=12,
)

ECHO = """
from typing import Any

def echo(a: Any, b: int) -> str:
    RUNS("echo")
    return repr((a, b))
"""


@fs_settings
@given(first=inputs_, second=inputs_, b=st.integers(-3, 3))
def test_any_change_of_an_input_changes_the_key(tmp_path, first, second, b):
    """repr() tells 1 from 1.0 from True, -0.0 from 0.0, [1] from (1,): the result must be that
    of the current input, whatever was computed before."""
    module = flow(ECHO)
    cache = tmp_path / uuid.uuid4().hex
    assert run(module, cache, ["echo"], {"a": first, "b": b})[0] == {"echo": repr((first, b))}
    assert run(module, cache, ["echo"], {"a": first, "b": b}) == ({"echo": repr((first, b))}, [])  # a hit
    assert run(module, cache, ["echo"], {"a": second, "b": b})[0] == {"echo": repr((second, b))}
    assert run(module, cache, ["echo"], {"a": first, "b": b + 1})[0] == {"echo": repr((first, b + 1))}
    assert run(module, cache, ["echo"], {"a": first, "b": b}) == ({"echo": repr((first, b))}, [])


def test_which_optional_inputs_are_given_is_part_of_the_key(tmp_path):
    """1.x keyed only the values: f(a=1) and f(b=1) shared a result."""
    module = flow(
        """
        def pair(a: int = 0, b: int = 0) -> str:
            RUNS("pair")
            return f"{a},{b}"
        """
    )
    assert run(module, tmp_path, ["pair"], {"a": 1})[0] == {"pair": "1,0"}
    assert run(module, tmp_path, ["pair"], {"b": 1})[0] == {"pair": "0,1"}
    assert run(module, tmp_path, ["pair"], {"a": 1, "b": 1})[0] == {"pair": "1,1"}
    assert run(module, tmp_path, ["pair"], {"b": 1}) == ({"pair": "0,1"}, [])


# -- never a stale value: code --------------------------------------------------------------

BODY = """
K = {k}

def scaled(a: int, b: int = {default}) -> int:
    RUNS("scaled")
    return a * {multiplier} + b + K{extra}
"""


@fs_settings
@given(
    versions=st.lists(
        st.fixed_dictionaries(
            {
                "k": st.integers(-2, 2),
                "default": st.integers(-2, 2),
                "multiplier": st.integers(-2, 2),
                "extra": st.sampled_from(["", " - 1", "  # a comment"]),
            }
        ),
        min_size=2,
        max_size=4,
    ),
    a=st.integers(-5, 5),
)
def test_any_change_of_the_code_changes_the_key(tmp_path, versions, a):
    """A body, a default argument or a module constant the node reads: each version of the code
    gets its own result; a comment alone does not matter."""
    cache = tmp_path / uuid.uuid4().hex
    for version in versions:
        module = flow(BODY.format(**version))
        expected = a * version["multiplier"] + version["default"] + version["k"] - (version["extra"] == " - 1")
        assert run(module, cache, ["scaled"], {"a": a})[0] == {"scaled": expected}
    # the last version again, in a new module: stored already
    assert run(flow(BODY.format(**versions[-1])), cache, ["scaled"], {"a": a})[1] == []


def test_docstrings_and_comments_do_not_invalidate(tmp_path):
    plain = "def f(a: int) -> int:\n    RUNS('f')\n    return a + 1\n"
    documented = 'def f(a: int) -> int:\n    """Adds one."""\n    RUNS("f")  # count\n    return a + 1\n'
    assert run(flow(plain), tmp_path, ["f"], {"a": 1}) == ({"f": 2}, ["f"])
    assert run(flow(documented), tmp_path, ["f"], {"a": 1}) == ({"f": 2}, [])


def test_same_module_helpers_are_part_of_the_code(tmp_path):
    source = """
    def _helper(a):
        return a + {n}

    def f(a: int) -> int:
        RUNS("f")
        return _helper(a)
    """
    assert run(flow(source.format(n=1)), tmp_path, ["f"], {"a": 1}) == ({"f": 2}, ["f"])
    assert run(flow(source.format(n=5)), tmp_path, ["f"], {"a": 1}) == ({"f": 6}, ["f"])
    assert run(flow(source.format(n=1)), tmp_path, ["f"], {"a": 1}) == ({"f": 2}, [])


@fs_settings
@given(first=st.integers(-3, 3), second=st.integers(-3, 3))
def test_values_a_node_function_closes_over(tmp_path, first, second):
    def make(k):
        def closing(a: int) -> int:
            return a + k

        return ad_hoc_utils.create_temporary_module(closing)

    cache = tmp_path / uuid.uuid4().hex
    for k in (first, second, first):
        dr = driver.Builder().with_modules(make(k)).with_adapters(DiskCacheAdapter(cache_path=str(cache))).build()
        assert dr.execute(["closing"], inputs={"a": 10}) == {"closing": 10 + k}


DECORATED = """
from hamilton.function_modifiers import extract_fields, parameterize, pipe_input, step, value

def _add(v: int, n: int) -> int:
    return v + n

@parameterize(plus_one={"k": value(1)}, plus_two={"k": value(2)})
def plus(x: int, k: int) -> int:
    RUNS("plus")
    return x + k

@extract_fields({"low": int, "high": int})
def bounds(x: int) -> dict:
    RUNS("bounds")
    return {"low": x - 1, "high": x + 1}

@pipe_input(step(_add, n=value(STEP)))
def piped(x: int) -> int:
    RUNS("piped")
    return x * 10
"""


def test_nodes_made_by_decorators_keep_their_own_results(tmp_path):
    """Hamilton's generic wrappers run these nodes: 1.x keyed siblings alike (plus_two got plus_one's value)."""
    outputs = ["plus_one", "plus_two", "low", "high", "piped"]
    expected = {"plus_one": 6, "plus_two": 7, "low": 4, "high": 6, "piped": 80}
    module = flow("STEP = 3\n" + DECORATED)
    assert run(module, tmp_path, outputs, {"x": 5}) == (expected, ["plus", "plus", "bounds", "piped"])
    assert run(module, tmp_path, outputs, {"x": 5}) == (expected, [])
    changed = flow("STEP = 4\n" + DECORATED)  # a value a decorator reads
    assert run(changed, tmp_path, ["piped"], {"x": 5}) == ({"piped": 90}, ["piped"])


PARALLEL = """
from hamilton.htypes import Collect, Parallelizable

def item(n: int) -> Parallelizable[int]:
    for i in range(n):
        yield i

def squared(item: int) -> int:
    RUNS(item)
    return item * item

def total(squared: Collect[int]) -> int:
    return sum(squared)
"""


def test_parallel_items_on_threads(tmp_path):
    from hamilton.execution import executors

    module = flow(PARALLEL)
    for n, expected_runs in ((6, [0, 1, 2, 3, 4, 5]), (6, []), (8, [6, 7])):
        module.RUNS.names.clear()
        dr = (
            driver.Builder()
            .with_modules(module)
            .enable_dynamic_execution(allow_experimental_mode=True)
            .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=4))
            .with_adapters(DiskCacheAdapter(cache_path=str(tmp_path)))
            .build()
        )
        assert dr.execute(["total"], inputs={"n": n}) == {"total": sum(i * i for i in range(n))}
        assert sorted(module.RUNS.names) == expected_runs


# -- choosing nodes ---------------------------------------------------------------------------

STATEFUL = """
def reading(x: int) -> int:
    RUNS("reading")
    return x + STATE.value

def other(x: int) -> int:
    RUNS("other")
    return x
"""


class State:
    value = 0


def test_force_compute_recomputes_and_replaces(tmp_path):
    module = flow(STATEFUL)
    module.STATE = State()  # an object: invisible to the key, as a file or a database would be
    assert run(module, tmp_path, ["reading", "other"], {"x": 1})[0] == {"reading": 1, "other": 1}
    module.STATE.value = 100
    assert run(module, tmp_path, ["reading"], {"x": 1}) == ({"reading": 1}, [])  # stale, as documented
    forced = run(module, tmp_path, ["reading", "other"], {"x": 1}, force_compute=["reading"])
    assert forced == ({"reading": 101, "other": 1}, ["reading"])
    assert run(module, tmp_path, ["reading"], {"x": 1}) == ({"reading": 101}, [])  # the new result was stored


def test_cache_vars_selects_nodes(tmp_path):
    module = flow(STATEFUL)
    module.STATE = State()
    run(module, tmp_path, ["reading", "other"], {"x": 1}, cache_vars=["other"])
    assert run(module, tmp_path, ["reading", "other"], {"x": 1}, cache_vars=["other"])[1] == ["reading"]


def test_loaders_are_not_cached_unless_named(tmp_path):
    module = flow("def total(numbers: list) -> int:\n    RUNS('total')\n    return sum(numbers)\n")
    data = tmp_path / "numbers.json"

    def materialize(**options):
        adapter = DiskCacheAdapter(cache_path=str(tmp_path / "cache"), **options)
        dr = driver.Builder().with_modules(module).with_adapters(adapter).build()
        return dr.materialize(from_.json(target="numbers", path=str(data)), additional_vars=["total"])[1]

    data.write_text("[1, 2]")
    assert materialize() == {"total": 3}
    data.write_text("[1, 2, 3]")  # the same path, another content
    assert materialize() == {"total": 6}


def test_none_results_are_not_served(tmp_path):
    module = flow("def nothing(x: int) -> None:\n    RUNS('nothing')\n")
    run(module, tmp_path, ["nothing"], {"x": 1})
    assert run(module, tmp_path, ["nothing"], {"x": 1})[1] == ["nothing"]


def test_unpicklable_inputs_and_results_run_uncached(tmp_path, caplog):
    module = flow(
        """
        import threading

        def locked(lock: object) -> str:
            RUNS("locked")
            return type(lock).__name__

        def making(x: int) -> object:
            RUNS("making")
            return threading.Lock()
        """
    )
    caplog.set_level(logging.WARNING, logger=h_diskcache.__name__)
    for _ in range(2):
        results, ran = run(module, tmp_path, ["locked", "making"], {"lock": threading.Lock(), "x": 1})
        assert results["locked"] == "lock"
        assert ran == ["locked", "making"]
    assert "locked" in caplog.text
    assert "making" in caplog.text


def test_a_node_changing_its_inputs_is_not_stored(tmp_path):
    module = flow(
        """
        def grow(items: list) -> int:
            RUNS("grow")
            items.append(0)
            return len(items)
        """
    )
    assert run(module, tmp_path, ["grow"], {"items": [1]})[0] == {"grow": 2}
    # [1, 0] is what the stored key would have said after the node ran: it must not hit
    assert run(module, tmp_path, ["grow"], {"items": [1, 0]})[0] == {"grow": 3}


# -- eviction -------------------------------------------------------------------------------


def test_evict_all_except_driver_keeps_the_current_code(tmp_path):
    old = flow("def f(a: int) -> int:\n    RUNS('f')\n    return a\n")
    new = flow("def f(a: int) -> int:\n    RUNS('f')\n    return a * 2\n")
    for a in (1, 2):
        run(old, tmp_path, ["f"], {"a": a})
        run(new, tmp_path, ["f"], {"a": a})
    adapter = DiskCacheAdapter(cache_path=str(tmp_path))
    dr = driver.Builder().with_modules(new).with_adapters(adapter).build()
    report = h_diskcache.evict_all_except_driver(dr)
    assert report["eviction_counter"] == 1
    assert report["evicted_size_mb"] >= 0
    new.RUNS.names.clear()
    assert dr.execute(["f"], inputs={"a": 2}) == {"f": 4}
    assert new.RUNS.names == []
    assert run(new, tmp_path, ["f"], {"a": 1}) == ({"f": 2}, [])
    assert run(old, tmp_path, ["f"], {"a": 1}) == ({"f": 1}, ["f"])  # evicted


def test_evict_all_except_driver_needs_one_adapter(tmp_path):
    dr = driver.Builder().with_modules(flow(CHAIN)).build()
    with pytest.raises(AssertionError, match="exactly one"):
        h_diskcache.evict_all_except_driver(dr)


# -- the plugin -----------------------------------------------------------------------------


def test_the_adapter_plugin(tmp_path):
    adapter = plugins.adapter("diskcache", cache_path=str(tmp_path), cache_vars=["base"])
    assert isinstance(adapter, DiskCacheAdapter)
    assert adapter.cache_vars == ["base"]
    module = flow(CHAIN)
    dr = driver.Builder().with_modules(module).with_adapters(adapter).build()
    assert dr.execute(["doubled"], inputs={"x": 1}) == {"doubled": 4}


def test_the_adapter_pickles(tmp_path):
    adapter = DiskCacheAdapter(cache_path=str(tmp_path))
    copy = pickle.loads(pickle.dumps(adapter))
    assert copy.cache_path == str(tmp_path)
    assert copy.cache.directory == adapter.cache.directory


def test_cache_settings_reach_diskcache(tmp_path):
    adapter = DiskCacheAdapter(cache_path=str(tmp_path), size_limit=2**20)
    assert adapter.cache.size_limit == 2**20


def test_a_string_for_a_list_is_refused(tmp_path):
    with pytest.raises(TypeError, match="cache_vars"):
        DiskCacheAdapter(cache_vars="node", cache_path=str(tmp_path))


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env={**os.environ, **env}
    )


def test_a_dataflow_without_it_loads_nothing_of_it():
    code = (
        "import sys\n"
        "from hamilton import ad_hoc_utils, driver, plugins\n"
        "def a() -> int:\n    return 1\n"
        "dr = driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(a)).build()\n"
        "assert dr.execute(['a'])['a'] == 1\n"
        "plugins.load_all()  # even loading every plugin imports neither the adapter nor diskcache\n"
        "assert 'diskcache' not in sys.modules and 'hamilton.plugins.h_diskcache' not in sys.modules\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr


class TestDiskcacheIntegration(IntegrationContract):
    library = "diskcache"
    extra = "diskcache"
    modules = ("hamilton.plugins.h_diskcache",)
    entry_point = "diskcache"
    # diskcache_extensions imports nothing of diskcache, but without it raises ModuleNotFoundError
    # (name="diskcache"): the plugin is listed "inactive needs diskcache", as the default expects
