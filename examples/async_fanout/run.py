"""Async nodes calling a (local) HTTP API, run by the ordinary driver: python examples/async_fanout/run.py

Four short parts, all on the same dataflow (``fanout.py``) and the same local server
(``item_server.py``, which answers every request after ``LATENCY`` seconds):

1. ``dr.execute`` (sync) on a graph with ``async def`` nodes: the independent requests overlap;
2. a ``Parallelizable`` fan-out over ids: at most ``LIMIT`` requests at once, set by the
   remote executor's ``max_tasks``;
3. ``on_error="keep_going"``: one id is unknown (404); the run still computes what it can and
   raises ``PartialExecutionError`` carrying the failures, the skipped nodes and the results;
4. ``await dr.aexecute(...)`` from async code, e.g. a web handler.
"""

import asyncio
import math
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import fanout
from item_server import ItemServer

from hamilton import driver
from hamilton.errors import PartialExecutionError
from hamilton.execution import executors

LATENCY = 0.05  # seconds the server takes to answer each request
LIMIT = 4  # at most this many item requests at once in the fan-out
ITEM_IDS = list(range(1, 13))  # 12 items: 3 rounds of 4


def plain_dag(server: ItemServer) -> None:
    """No special setup: the driver sees the async nodes and runs them on an event loop."""
    dr = driver.Builder().with_modules(fanout).build()
    server.reset_stats()
    started = time.perf_counter()
    results = dr.execute(["product_page"], inputs={"base_url": server.base_url, "product_id": 1})
    elapsed = time.perf_counter() - started
    print("1. plain DAG, sync dr.execute(): product, stock and reviews are fetched together")
    print(f"   {results['product_page']}")
    print(f"   server: {server.requests} requests, max in flight {server.max_in_flight}")
    print(
        f"   took {elapsed:.2f} s; one after another: {server.requests} x {LATENCY} s = {server.requests * LATENCY:.2f} s"
    )


def fan_out(server: ItemServer) -> None:
    """Items of a Parallelizable block run as tasks on the remote executor: its max_tasks is the limit."""
    dr = (
        driver.Builder()
        .with_modules(fanout)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=LIMIT))
        .build()
    )
    server.reset_stats()
    started = time.perf_counter()
    results = dr.execute(["catalog_report"], inputs={"base_url": server.base_url, "item_ids": ITEM_IDS})
    elapsed = time.perf_counter() - started
    n = len(ITEM_IDS)
    print(f"2. fan-out: {n} item requests, MultiThreadingExecutor(max_tasks={LIMIT})")
    print(f"   {results['catalog_report']}")
    print(f"   server: {server.requests} requests, max in flight {server.max_in_flight} (limit {LIMIT})")
    print(
        f"   took {elapsed:.2f} s; one after another: {n} x {LATENCY} s = {n * LATENCY:.2f} s; "
        f"ideal: ceil({n}/{LIMIT}) x {LATENCY} s = {math.ceil(n / LIMIT) * LATENCY:.2f} s"
    )


def keep_going(server: ItemServer) -> None:
    """One bad id should not throw away every other answer: keep_going runs all it can."""
    dr = (
        driver.Builder()
        .with_modules(fanout)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=LIMIT))
        .with_execution_mode(on_error="keep_going")
        .build()
    )
    inputs = {"base_url": server.base_url, "product_id": 2, "item_ids": [1, 2, 99, 4]}  # no item 99
    print("3. keep going: item 99 does not exist (404)")
    try:
        dr.execute(["catalog_report", "product_page"], inputs=inputs)
    except PartialExecutionError as error:
        for name, exception in error.failures.items():
            print(f"   failed:  {name}: {type(exception).__name__}: {exception}")
        print(f"   skipped: {', '.join(error.skipped)}")
        for name, value in error.results.items():
            print(f"   result:  {name}: {value}")
    else:
        raise RuntimeError("expected item 99 to fail the catalog")


async def async_entry_point(server: ItemServer) -> None:
    """Inside async code (a web handler, a notebook) await aexecute: several runs share the loop."""
    dr = driver.Builder().with_modules(fanout).build()
    server.reset_stats()
    runs = [dr.aexecute(["product_page"], inputs={"base_url": server.base_url, "product_id": i}) for i in (3, 4, 5)]
    pages = await asyncio.gather(*runs)
    print("4. await dr.aexecute(): three product pages at once")
    for results in pages:
        print(f"   {results['product_page']}")
    print(f"   server: {server.requests} requests, max in flight {server.max_in_flight}")


def main() -> None:
    with ItemServer(latency=LATENCY) as server:
        plain_dag(server)
        fan_out(server)
        keep_going(server)
        asyncio.run(async_entry_point(server))


if __name__ == "__main__":
    main()
