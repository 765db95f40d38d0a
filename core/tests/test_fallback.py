"""``@fallback``: a node takes a substitute (``value(...)`` or ``source(...)``) when an upstream node fails."""

from __future__ import annotations

import logging
import warnings

import pytest
from engine_helpers import build, flow, partial, run

from hamilton import driver
from hamilton.execution import executors
from hamilton.function_modifiers import InvalidDecoratorException, fallback, value


@pytest.fixture(autouse=True)
def _quiet_failures():
    """Failing nodes are logged by the engine; these tests fail nodes on purpose."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def fallback_warnings(record) -> list[str]:
    return [str(warning.message) for warning in record if issubclass(warning.category, UserWarning)]


PRICES = """
import asyncio

from hamilton.function_modifiers import fallback, source, value

CALLS = []

def price(sku: str) -> float:
    CALLS.append("price")
    if sku == "missing":
        raise LookupError(f"no price for {sku}")
    return 2.5

def cached_price(sku: str) -> float:
    CALLS.append("cached_price")
    if sku == "uncached":
        raise ConnectionError("the cache is down")
    return 9.5

@fallback(price=value(0.0))
def total(price: float, qty: int) -> float:
    CALLS.append("total")
    return price * qty

@fallback(price=source("cached_price"))
def total_from_cache(price: float, qty: int) -> float:
    CALLS.append("total_from_cache")
    return price * qty

def doubled_total(total: float) -> float:
    return total * 2
"""

PRICES_ASYNC = (
    PRICES.replace("def price(", "async def price(")
    .replace("def total(", "async def total(")
    .replace("def cached_price(", "async def cached_price(")
)

SOURCES = {"sync": PRICES, "async": PRICES_ASYNC}
HOW = ["execute", "aexecute"]


# -- fail_fast -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("kind", list(SOURCES))
def test_value_fallback_in_fail_fast_warns_naming_both_nodes_and_uses_the_value(kind, how):
    dr = build(flow(SOURCES[kind]))
    with pytest.warns(UserWarning, match="@fallback") as record:
        result = run(dr, how, ["doubled_total"], inputs={"sku": "missing", "qty": 3})
    assert result == {"doubled_total": 0.0}
    [message] = fallback_warnings(record)
    assert "'price'" in message
    assert "'total'" in message
    assert "LookupError" in message


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("kind", list(SOURCES))
def test_source_fallback_in_fail_fast_uses_the_other_nodes_value(kind, how):
    dr = build(flow(SOURCES[kind]))
    with pytest.warns(UserWarning, match="@fallback") as record:
        result = run(dr, how, ["total_from_cache"], inputs={"sku": "missing", "qty": 2})
    assert result == {"total_from_cache": 19.0}
    [message] = fallback_warnings(record)
    assert "'price'" in message
    assert "'total_from_cache'" in message


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("kind", list(SOURCES))
def test_without_a_failure_the_fallback_is_not_used_and_nothing_warns(kind, how):
    module = flow(SOURCES[kind])
    dr = build(module)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run(dr, how, ["total", "total_from_cache"], inputs={"sku": "known", "qty": 2})
    assert result == {"total": 5.0, "total_from_cache": 5.0}
    # a fallback source is a dependency of the node: it is computed with the run
    assert "cached_price" in module.CALLS


@pytest.mark.parametrize("how", HOW)
def test_a_failing_fallback_source_makes_fail_fast_raise(how):
    dr = build(flow(PRICES))
    with pytest.raises(ConnectionError, match="the cache is down"):
        run(dr, how, ["total_from_cache"], inputs={"sku": "uncached", "qty": 2})


def test_a_fallback_source_failing_alongside_the_node_makes_fail_fast_raise():
    module = flow(
        """
from hamilton.function_modifiers import fallback, source

def price(sku: str) -> float:
    raise LookupError("no price")

def cached_price(sku: str) -> float:
    raise ConnectionError("the cache is down")

@fallback(price=source("cached_price"))
def total(price: float, qty: int) -> float:
    return price * qty
"""
    )
    with pytest.raises((LookupError, ConnectionError)):
        build(module).execute(["total"], inputs={"sku": "a", "qty": 1})


OTHER_CONSUMER = """
from hamilton.function_modifiers import fallback, value

def price(sku: str) -> float:
    raise LookupError("no price")

@fallback(price=value(0.0))
def total(price: float, qty: int) -> float:
    return price * qty

def report(price: float) -> str:
    return f"price is {price}"
"""


@pytest.mark.parametrize("how", HOW)
def test_fail_fast_raises_when_another_consumer_has_no_fallback(how):
    dr = build(flow(OTHER_CONSUMER))
    with pytest.raises(LookupError, match="no price"):
        run(dr, how, ["total", "report"], inputs={"sku": "a", "qty": 1})


@pytest.mark.parametrize("how", HOW)
def test_only_the_consumers_in_the_run_count(how):
    """report is not part of this run: every consumer of price in it has a fallback."""
    dr = build(flow(OTHER_CONSUMER))
    with pytest.warns(UserWarning, match="price"):
        assert run(dr, how, ["total"], inputs={"sku": "a", "qty": 1}) == {"total": 0.0}


@pytest.mark.parametrize("how", HOW)
def test_fail_fast_raises_when_the_failed_node_is_requested(how):
    dr = build(flow(PRICES))
    with pytest.raises(LookupError, match="no price"):
        run(dr, how, ["total", "price"], inputs={"sku": "missing", "qty": 1})


# -- keep_going ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("kind", list(SOURCES))
def test_keep_going_records_the_failure_as_recovered(kind, how):
    dr = build(flow(SOURCES[kind]), on_error="keep_going")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # keep_going reports through the error, not a warning
        error = partial(dr, how, ["doubled_total", "total_from_cache"], inputs={"sku": "missing", "qty": 2})
    assert error.results == {"doubled_total": 0.0, "total_from_cache": 19.0}
    assert list(error.failures) == ["price"]
    assert isinstance(error.failures["price"], LookupError)
    assert error.failures["price"].__traceback__ is not None
    assert error.recovered == frozenset({"price"})
    assert error.skipped == []
    assert "recovered" in str(error)


@pytest.mark.parametrize("how", HOW)
def test_keep_going_with_another_consumer_without_fallback_is_not_recovered(how):
    dr = build(flow(OTHER_CONSUMER), on_error="keep_going")
    error = partial(dr, how, ["total", "report"], inputs={"sku": "a", "qty": 1})
    assert error.results == {"total": 0.0}
    assert list(error.failures) == ["price"]
    assert error.recovered == frozenset()
    assert error.skipped == ["report"]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("kind", list(SOURCES))
def test_keep_going_skips_a_node_whose_fallback_source_failed_too(kind, how):
    module = flow(SOURCES[kind].replace('if sku == "uncached"', 'if sku in ("uncached", "missing")'))
    dr = build(module, on_error="keep_going")
    error = partial(dr, how, ["total_from_cache", "total"], inputs={"sku": "missing", "qty": 2})
    assert error.results == {"total": 0.0}
    assert {name: type(exception) for name, exception in error.failures.items()} == {
        "price": LookupError,
        "cached_price": ConnectionError,
    }
    assert error.skipped == ["total_from_cache"]
    assert "total_from_cache" not in module.CALLS


def test_a_failure_whose_consumer_was_skipped_is_not_recovered():
    module = flow(
        """
from hamilton.function_modifiers import fallback, source

def price(sku: str) -> float:
    raise LookupError("no price")

def cached_price(sku: str) -> float:
    raise ConnectionError("the cache is down")

@fallback(price=source("cached_price"))
def total(price: float, qty: int) -> float:
    return price * qty
"""
    )
    dr = build(module, on_error="keep_going")
    error = partial(dr, "execute", ["total"], inputs={"sku": "a", "qty": 1})
    assert error.skipped == ["total"]
    assert error.recovered == frozenset()


def test_several_fallbacks_on_one_node():
    module = flow(
        """
from hamilton.function_modifiers import fallback, source, value

def price(sku: str) -> float:
    raise LookupError("no price")

def rate(sku: str) -> float:
    raise KeyError("no rate")

def default_rate() -> float:
    return 1.5

@fallback(price=value(4.0), rate=source("default_rate"))
def total(price: float, rate: float, qty: int) -> float:
    return price * rate * qty
"""
    )
    with pytest.warns(UserWarning, match="@fallback") as record:
        assert build(module).execute(["total"], inputs={"sku": "a", "qty": 2}) == {"total": 12.0}
    messages = fallback_warnings(record)
    assert any("'price'" in message for message in messages)
    assert any("'rate'" in message for message in messages)
    error = partial(build(module, on_error="keep_going"), "execute", ["total"], inputs={"sku": "a", "qty": 2})
    assert error.results == {"total": 12.0}
    assert error.recovered == frozenset({"price", "rate"})


def test_nodes_downstream_of_a_recovered_node_run():
    module = flow(
        """
from hamilton.function_modifiers import fallback, value

def price(sku: str) -> float:
    raise LookupError("no price")

@fallback(price=value(1.0))
def total(price: float, qty: int) -> float:
    return price * qty

def taxed(total: float) -> float:
    return total * 1.5

def label(taxed: float, sku: str) -> str:
    return f"{sku}: {taxed}"
"""
    )
    error = partial(build(module, on_error="keep_going"), "aexecute", ["label"], inputs={"sku": "a", "qty": 2})
    assert error.results == {"label": "a: 3.0"}
    assert error.skipped == []
    assert error.recovered == frozenset({"price"})


# -- errors at decoration and build time ---------------------------------------------------------------------


def test_a_fallback_for_an_unknown_parameter_is_refused_when_decorating():
    def total(price: float, qty: int) -> float:
        return price * qty

    with pytest.raises(InvalidDecoratorException, match="cost"):
        fallback(cost=value(0.0))(total)


@pytest.mark.parametrize("substitute", [0.0, "cached_price", None, [1]])
def test_a_substitute_must_be_value_or_source(substitute):
    with pytest.raises(InvalidDecoratorException, match="price"):
        fallback(price=substitute)


def test_a_fallback_needs_a_substitute():
    with pytest.raises(InvalidDecoratorException):
        fallback()


def test_a_fallback_on_a_graph_input_is_refused_when_building_the_driver():
    module = flow(
        """
from hamilton.function_modifiers import fallback, value

def price(sku: str) -> float:
    return 1.0

@fallback(qty=value(1))
def total(price: float, qty: int) -> float:
    return price * qty
"""
    )
    with pytest.raises(InvalidDecoratorException) as info:
        driver.Builder().with_modules(module).build()
    assert "'total'" in str(info.value)
    assert "qty" in str(info.value)


# -- visible in the graph ------------------------------------------------------------------------------------


def test_the_fallback_tag_is_visible_on_the_node():
    module = flow(
        """
from hamilton.function_modifiers import fallback, source, value

def price(sku: str) -> float:
    return 1.0

def rate(sku: str) -> float:
    return 1.0

def cached_price(sku: str) -> float:
    return 2.0

@fallback(price=value(0.0))
def total(price: float, qty: int) -> float:
    return price * qty

@fallback(price=source("cached_price"))
def from_cache(price: float) -> float:
    return price

@fallback(price=source("cached_price"), rate=value(1.0))
def both(price: float, rate: float) -> float:
    return price * rate

def plain(price: float) -> float:
    return price
"""
    )
    tags = {variable.name: variable.tags for variable in build(module).list_available_variables()}
    assert tags["total"]["hamilton.fallback"] == "price=value(0.0)"
    assert tags["from_cache"]["hamilton.fallback"] == "price=source(cached_price)"
    assert sorted(tags["both"]["hamilton.fallback"].split("; ")) == ["price=source(cached_price)", "rate=value(1.0)"]
    assert "hamilton.fallback" not in tags["plain"]
    assert "hamilton.fallback" not in tags["price"]


def test_a_fallback_source_is_a_dependency_of_the_node():
    module = flow(PRICES)
    graph = build(module).graph
    dependencies = {node.name for node in graph.nodes["total_from_cache"].dependencies}
    assert dependencies >= {"price", "cached_price", "qty"}


# -- dynamic runs --------------------------------------------------------------------------------------------

PARALLEL = """
from hamilton.function_modifiers import fallback, value
from hamilton.htypes import Collect, Parallelizable

def items(count: int) -> Parallelizable[int]:
    yield from range(count)

def price(items: int) -> float:
    if items % 2:
        raise LookupError(f"no price for item {items}")
    return float(items)

@fallback(price=value(-1.0))
def total(price: float) -> float:
    return price

def gathered(total: Collect[float]) -> list:
    return list(total)
"""

EXECUTORS = {
    "synchronous": lambda: executors.SynchronousLocalTaskExecutor(),
    "threads": lambda: executors.MultiThreadingExecutor(max_tasks=3),
}


def dynamic_driver(module, executor: str, **mode):
    builder = (
        driver.Builder()
        .with_modules(module)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(EXECUTORS[executor]())
    )
    if mode:
        builder = builder.with_execution_mode(**mode)
    return builder.build()


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_fallback_inside_a_parallel_block_in_fail_fast(executor, how):
    dr = dynamic_driver(flow(PARALLEL), executor)
    with pytest.warns(UserWarning, match="price"):
        result = run(dr, how, ["gathered"], inputs={"count": 4})
    assert result == {"gathered": [0.0, -1.0, 2.0, -1.0]}


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_fallback_inside_a_parallel_block_in_keep_going(executor, how):
    dr = dynamic_driver(flow(PARALLEL), executor, on_error="keep_going")
    error = partial(dr, how, ["gathered"], inputs={"count": 4})
    assert error.results == {"gathered": [0.0, -1.0, 2.0, -1.0]}
    assert {name: type(exception) for name, exception in error.failures.items()} == {
        "price[1]": LookupError,
        "price[3]": LookupError,
    }
    assert error.recovered == frozenset({"price[1]", "price[3]"})
    assert error.skipped == []


OUTSIDE_THE_BLOCK = """
import asyncio

from hamilton.function_modifiers import fallback, source
from hamilton.htypes import Collect, Parallelizable

async def rate(region: str) -> float:
    await asyncio.sleep(0)
    raise ConnectionError("rates service down")

def default_rate() -> float:
    return 2.0

def items(count: int) -> Parallelizable[int]:
    yield from range(count)

async def scaled(items: int) -> int:
    return items * 10

def gathered(scaled: Collect[int]) -> list:
    return list(scaled)

@fallback(rate=source("default_rate"))
def priced(gathered: list, rate: float) -> list:
    return [value * rate for value in gathered]
"""


@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_fallback_outside_the_block_of_a_dynamic_run(executor):
    module = flow(OUTSIDE_THE_BLOCK)
    inputs = {"count": 3, "region": "eu"}
    with pytest.warns(UserWarning, match="rate"):
        assert dynamic_driver(module, executor).execute(["priced"], inputs=inputs) == {"priced": [0.0, 20.0, 40.0]}
    error = partial(dynamic_driver(module, executor, on_error="keep_going"), "execute", ["priced"], inputs=inputs)
    assert error.results == {"priced": [0.0, 20.0, 40.0]}
    assert list(error.failures) == ["rate"]
    assert isinstance(error.failures["rate"], ConnectionError)
    assert error.skipped == []


@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_a_recovered_failure_outside_the_block_of_a_dynamic_run_is_reported_recovered(executor):
    dr = dynamic_driver(flow(OUTSIDE_THE_BLOCK), executor, on_error="keep_going")
    error = partial(dr, "execute", ["priced"], inputs={"count": 3, "region": "eu"})
    assert error.recovered == frozenset({"rate"})
