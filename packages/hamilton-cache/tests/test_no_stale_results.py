"""The cache never serves a stale or wrong result: each dataflow here, run twice under one cache
with something changed in between, must give exactly what it gives without a cache.

Every scenario was found by trying it; each served a stale value (or crashed) before data
versions were made to cover what they now cover.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import itertools
import logging
import math
import pathlib
import textwrap
import types

import pytest
from conftest import module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, driver


def cached(flow: types.ModuleType, path: pathlib.Path, dynamic: bool = False) -> driver.Driver:
    builder = driver.Builder().with_modules(flow)
    if dynamic:
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    return builder.with_cache(path=path).build()


def uncached(flow: types.ModuleType, dynamic: bool = False) -> driver.Driver:
    builder = driver.Builder().with_modules(flow)
    if dynamic:
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    return builder.build()


# -- collected items keep their order --------------------------------------------------------------
COLLECT = """
from hamilton.htypes import Collect, Parallelizable

def item(items: list) -> Parallelizable[int]:
    for value in items:
        yield value

def squared(item: int) -> int:
    CALLS.append("squared")
    return item * item

def squares(squared: Collect[int]) -> list:
    CALLS.append("squares")
    return list(squared)
"""


def test_collected_items_in_a_new_order_give_the_new_order(tmp_path):
    flow = module(COLLECT)
    assert cached(flow, tmp_path, dynamic=True).execute(["squares"], inputs={"items": [1, 2, 3]}) == {
        "squares": [1, 4, 9]
    }
    flow.CALLS.clear()
    result = cached(flow, tmp_path, dynamic=True).execute(["squares"], inputs={"items": [3, 2, 1]})
    assert result == {"squares": [9, 4, 1]}
    assert flow.CALLS == ["squares"]  # every item was cached; only the collector reran


def test_the_parallelizable_node_is_recorded_with_its_items_as_in_1x(tmp_path):
    dr = cached(module(COLLECT), tmp_path, dynamic=True)
    dr.execute(["squares"], inputs={"items": [1, 2, 3]})
    entries = {entry["node_name"]: entry for entry in dr.cache.metadata_store.get_run(dr.cache.last_run_id)}
    assert set(entries) == {"item", "squared", "squares"}
    assert dr.cache.result_store.get(entries["item"]["data_version"]) == [1, 2, 3]
    assert dr.cache.data_versions[dr.cache.last_run_id]["item"] == {}  # consumers version items one by one


# -- callables are values by what they compute ---------------------------------------------------
CALLABLES = """
import functools
import operator
from typing import Callable

def _scale(k: int):
    def multiply(v):
        return v * k
    return multiply

def operation(kind: str) -> Callable:
    CALLS.append("operation")
    return {
        "add": functools.partial(operator.add, 3),
        "mul": functools.partial(operator.mul, 3),
        "lambda_inc": lambda v: v + 1,
        "lambda_double": lambda v: v * 2,
        "closure_2": _scale(2),
        "closure_5": _scale(5),
        "builtin_abs": abs,
        "builtin_neg": operator.neg,
    }[kind]

def applied(operation: Callable, x: int) -> int:
    CALLS.append("applied")
    return operation(x)
"""


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("add", "mul"),
        ("lambda_inc", "lambda_double"),
        ("closure_2", "closure_5"),
        ("builtin_abs", "builtin_neg"),
    ],
)
def test_a_different_callable_result_recomputes_its_dependents(tmp_path, first, second):
    flow = module(CALLABLES)
    plain = uncached(flow)
    for kind in (first, second):
        expected = plain.execute(["applied"], inputs={"kind": kind, "x": -4})
        assert cached(flow, tmp_path).execute(["applied"], inputs={"kind": kind, "x": -4}) == expected


def test_the_same_callable_result_is_read_back(tmp_path):
    flow = module(CALLABLES)
    cached(flow, tmp_path).execute(["applied"], inputs={"kind": "add", "x": 4})
    flow.CALLS.clear()
    assert cached(flow, tmp_path).execute(["applied"], inputs={"kind": "add", "x": 4}) == {"applied": 7}
    assert flow.CALLS == []


# -- nodes made by a factory: the closure is part of the code ------------------------------------
_modules = itertools.count()


def factory_module(factor: int) -> types.ModuleType:
    def make(k: int):
        def scaled(x: int) -> int:
            return x * k

        return scaled

    return ad_hoc_utils.create_temporary_module(make(factor), module_name=f"factory_flow_{next(_modules)}")


def test_a_node_whose_closure_changed_is_recomputed(tmp_path):
    assert cached(factory_module(2), tmp_path).execute(["scaled"], inputs={"x": 5}) == {"scaled": 10}
    assert cached(factory_module(3), tmp_path).execute(["scaled"], inputs={"x": 5}) == {"scaled": 15}
    assert cached(factory_module(2), tmp_path).execute(["scaled"], inputs={"x": 5}) == {"scaled": 10}


def test_a_node_closing_over_a_value_without_fingerprint_is_recomputed_every_run(tmp_path, caplog):
    """Its closure could change without its source changing: it is never served from the cache,
    and the warning names the variable, its type, and what to do."""
    import threading

    calls = []

    def make(lock):
        def guarded(x: int) -> int:
            with lock:
                calls.append(x)
                return x + 1

        return guarded

    flow = ad_hoc_utils.create_temporary_module(make(threading.Lock()), module_name=f"locked_flow_{next(_modules)}")
    with caplog.at_level(logging.WARNING, logger="hamilton.caching"):
        for _ in range(2):
            assert cached(flow, tmp_path).execute(["guarded"], inputs={"x": 1}) == {"guarded": 2}
    assert calls == [1, 1]
    assert any(
        "Node `guarded` cannot be cached" in message
        and "`lock`" in message
        and "lock" in message.lower()
        and "hash_value.register" in message
        for message in caplog.messages
    ), caplog.messages


def exec_module(body: str) -> types.ModuleType:
    """A module whose functions have no readable source (made with exec, as notebooks and
    code generators do)."""
    flow = types.ModuleType("generated_flow")
    exec(compile(textwrap.dedent(body), "<generated>", "exec"), flow.__dict__)
    return flow


def test_a_node_without_readable_source_is_versioned_by_its_bytecode(tmp_path):
    first = exec_module("def result(x: int) -> int:\n    return x + 1\n")
    second = exec_module("def result(x: int) -> int:\n    return x + 2\n")
    assert cached(first, tmp_path).execute(["result"], inputs={"x": 1}) == {"result": 2}
    assert cached(second, tmp_path).execute(["result"], inputs={"x": 1}) == {"result": 3}
    dr = cached(first, tmp_path)
    assert dr.execute(["result"], inputs={"x": 1}) == {"result": 2}
    assert [e.event_type.value for e in dr.cache.logs(dr.cache.last_run_id)["result"]] == ["get_result"]


# -- objects: class and state, and the class's code ------------------------------------------------
OBJECTS = """
import dataclasses

class Celsius:
    def __init__(self, degrees):
        self.degrees = degrees

    def kelvin(self):
        return self.degrees + 273.15

class Fahrenheit:
    def __init__(self, degrees):
        self.degrees = degrees

    def kelvin(self):
        return (self.degrees - 32) * 5 / 9 + 273.15

@dataclasses.dataclass(frozen=True)
class Reading:
    site: str
    values: tuple

from hamilton.function_modifiers import cache

@cache(behavior="recompute")  # as a loading node would be
def temperature(unit: str) -> object:
    return Celsius(10) if unit == "C" else Fahrenheit(10)

def kelvin(temperature: object) -> float:
    CALLS.append("kelvin")
    return round(temperature.kelvin(), 6)

def reading(site: str) -> Reading:
    return Reading(site, (1.0, 2.0))

def label(reading: Reading) -> str:
    return f"{reading.site}:{sum(reading.values)}"
"""


def test_objects_of_different_classes_with_equal_state_differ(tmp_path):
    flow = module(OBJECTS)
    assert cached(flow, tmp_path).execute(["kelvin"], inputs={"unit": "C"}) == {"kelvin": 283.15}
    assert cached(flow, tmp_path).execute(["kelvin"], inputs={"unit": "F"}) == {"kelvin": round(260.927778, 6)}


def test_a_class_whose_method_changed_recomputes_its_objects_dependents(tmp_path):
    """The object is recomputed with equal state; its class's code counts in its data version."""
    before = ad_hoc_utils.module_from_source("CALLS = []\n" + OBJECTS, "thermometer_flow")
    assert cached(before, tmp_path).execute(["kelvin"], inputs={"unit": "C"}) == {"kelvin": 283.15}
    # Only the method changed (same module, same class name): the nodes' code and the object's
    # state are the same.
    changed = OBJECTS.replace("return self.degrees + 273.15", "return self.degrees + 273.0")
    after = ad_hoc_utils.module_from_source("CALLS = []\n" + changed, "thermometer_flow")
    assert cached(after, tmp_path).execute(["kelvin"], inputs={"unit": "C"}) == {"kelvin": 283.0}


def test_dataclass_results_are_cached_by_value(tmp_path):
    flow = module(OBJECTS)
    assert cached(flow, tmp_path).execute(["label"], inputs={"site": "a"}) == {"label": "a:3.0"}
    dr = cached(flow, tmp_path)
    assert dr.execute(["label"], inputs={"site": "a"}) == {"label": "a:3.0"}
    assert [e.event_type.value for e in dr.cache.logs(dr.cache.last_run_id)["label"]] == ["get_result"]
    assert cached(flow, tmp_path).execute(["label"], inputs={"site": "b"}) == {"label": "b:3.0"}


# -- results the old fingerprints crashed on -------------------------------------------------------
NESTED = """
from typing import Any

def structure(kind: str, depth: int) -> Any:
    if kind == "self_list":
        value = [depth]
        value.append(value)
        return value
    if kind == "self_dict":
        value = {"depth": depth}
        value["me"] = value
        return value
    value = [depth]
    for _ in range(depth):
        value = [value]
    return value

def size(structure: Any) -> int:
    CALLS.append("size")
    count = 0
    while isinstance(structure, list) and structure and isinstance(structure[0], list):
        structure = structure[0]
        count += 1
    return count
"""


@pytest.mark.parametrize(("kind", "depth"), [("self_list", 1), ("self_dict", 1), ("deep", 50_000)])
def test_self_referential_and_deep_results_run_as_without_a_cache(tmp_path, kind, depth):
    flow = module(NESTED)
    expected = uncached(flow).execute(["size"], inputs={"kind": kind, "depth": depth})
    assert cached(flow, tmp_path).execute(["size"], inputs={"kind": kind, "depth": depth}) == expected
    flow.CALLS.clear()
    assert cached(flow, tmp_path).execute(["size"], inputs={"kind": kind, "depth": depth}) == expected
    assert flow.CALLS == []  # fingerprinted, so read back


# -- standard value types --------------------------------------------------------------------------
VALUES = """
from typing import Any

def value(choice: str, values: dict) -> Any:
    return values[choice]

def described(value: Any) -> str:
    CALLS.append("described")
    return f"{type(value).__module__}.{type(value).__qualname__}:{value!r}"
"""

_PARIS = datetime.timezone(datetime.timedelta(hours=1))
_PAIRS = {
    "instant in two zones": (
        datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone.utc),
        datetime.datetime(2024, 1, 1, 13, tzinfo=_PARIS),
    ),
    "naive and aware": (datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)),
    "fold": (datetime.datetime(2024, 10, 27, 2, 30), datetime.datetime(2024, 10, 27, 2, 30, fold=1)),
    "path flavours": (pathlib.PurePosixPath("a/b"), pathlib.PureWindowsPath("a/b")),
    "path and text": (pathlib.PurePosixPath("a/b"), "a/b"),
    "list and tuple": ([1, 2], (1, 2)),
    "int and float": (1, 1.0),
    "zero signs": (0.0, -0.0),
    "ordered dict order": (
        collections.OrderedDict([("a", 1), ("b", 2)]),
        collections.OrderedDict([("b", 2), ("a", 1)]),
    ),
    "set and frozenset": ({1, 2}, frozenset({1, 2})),
    "namedtuple and tuple": (collections.namedtuple("Point", "x y")(1, 2), (1, 2)),
    "dates": (datetime.date(2024, 1, 1), datetime.datetime(2024, 1, 1)),
    "ranges": (range(3), range(0, 3, 2)),
    "defaultdict factories": (collections.defaultdict(list, a=[1]), collections.defaultdict(tuple, a=[1])),
}


@pytest.mark.parametrize("pair", list(_PAIRS), ids=list(_PAIRS))
def test_unequal_standard_values_recompute(tmp_path, pair):
    first, second = _PAIRS[pair]
    flow = module(VALUES)
    plain = uncached(flow)
    values = {"first": first, "second": second}
    for choice in ("first", "second", "first"):
        expected = plain.execute(["described"], inputs={"choice": choice, "values": values})
        assert cached(flow, tmp_path).execute(["described"], inputs={"choice": choice, "values": values}) == expected


# -- numpy arrays, with core alone (their buffer) --------------------------------------------------
ARRAYS = """
from typing import Any

def array(kind: str) -> Any:
    import numpy as np

    base = np.arange(12, dtype="int64").reshape(3, 4)
    return {
        "base": base,
        "float": base.astype("float64"),
        "transposed": base.T,
        "column": base[:, 1],
        "other column": base[:, 2],
        "reshaped": base.reshape(4, 3),
    }[kind]

def summary(array: Any) -> str:
    CALLS.append("summary")
    return f"{array.dtype}{array.shape}{array.tolist()}"
"""


@pytest.mark.parametrize(
    "kinds", [("base", "float"), ("base", "transposed"), ("column", "other column"), ("base", "reshaped")]
)
def test_numpy_arrays_are_fingerprinted_contiguous_or_not(tmp_path, kinds):
    pytest.importorskip("numpy")
    flow = module(ARRAYS)
    plain = uncached(flow)
    for kind in (*kinds, kinds[0]):
        expected = plain.execute(["summary"], inputs={"kind": kind})
        assert cached(flow, tmp_path).execute(["summary"], inputs={"kind": kind}) == expected
    flow.CALLS.clear()
    cached(flow, tmp_path).execute(["summary"], inputs={"kind": kinds[1]})
    assert flow.CALLS == []  # arrays have fingerprints: read back, not recomputed every run


# -- any two inputs, one after the other, give what an uncached run gives ----------------------
@dataclasses.dataclass(frozen=True)
class Box:
    content: object


_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=5) | st.binary(max_size=5)
)
_hashables = st.recursive(
    _scalars, lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3), max_leaves=6
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(_hashables, inner, max_size=3)
        | st.sets(_hashables, max_size=3)
        | st.builds(Box, inner)
    ),
    max_leaves=10,
)

PROPERTY = """
from typing import Any

def value(given: Any) -> Any:
    return given

def observed(value: Any) -> str:
    return repr(canonical(value))
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_values, second=_values)
def test_any_two_values_one_after_the_other_give_the_uncached_results(tmp_path_factory, first, second):
    flow = module(PROPERTY)
    flow.canonical = _canonical
    path = tmp_path_factory.mktemp("cache")
    plain = uncached(flow)
    for given_value in (first, second, first):
        expected = plain.execute(["observed"], inputs={"given": given_value})
        assert cached(flow, path).execute(["observed"], inputs={"given": given_value}) == expected


def _canonical(value):
    """What a node can observe of a value, with dict order left out (as ``==`` does)."""
    if isinstance(value, Box):
        return ("Box", _canonical(value.content))
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value.hex())
    if isinstance(value, dict):
        return ("dict", sorted((repr(_canonical(k)), repr(_canonical(v))) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__qualname__, [_canonical(item) for item in value])
    if isinstance(value, (set, frozenset)):
        return (type(value).__qualname__, sorted(repr(_canonical(item)) for item in value))
    return (type(value).__qualname__, repr(value))
