"""Run an async dataflow: python examples/async_fetch/run.py

``prices`` and ``stock`` are ``async def`` nodes with no dependency on each other, so the async
driver runs them at the same time: the run takes about one lookup's latency, not two.
"""

import asyncio
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import my_functions

from hamilton import async_driver

LATENCY = 0.2  # seconds per lookup


async def main() -> str:
    dr = await async_driver.Builder().with_modules(my_functions).build()
    started = time.perf_counter()
    results = await dr.execute(["report"], inputs={"fruits": ["apple", "pear", "plum"], "latency": LATENCY})
    elapsed = time.perf_counter() - started
    print(results["report"])
    print(f"two {LATENCY:.1f} s lookups took {elapsed:.1f} s together: they ran at the same time")
    return results["report"]


if __name__ == "__main__":
    asyncio.run(main())
