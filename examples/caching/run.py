"""Run a dataflow twice against a cache: python examples/caching/run.py

Needs the cache: pip install "apache-hamilton[cache]" (hamilton-cache). The first run computes
every node and stores the results; the second reads them back, except ``exchange_rate``, marked
``@cache(behavior="recompute")``. A third run with another discount recomputes only what depends
on it. The cache lives in a temporary directory, deleted at the end.
"""

import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from hamilton import driver

INPUTS = {"product_count": 5, "slowness": 0.5, "discount": 0.1, "currency": "EUR"}


def describe(dr: driver.Driver) -> str:
    """Which nodes ran and which came from the cache in the driver's last run."""
    computed, cached = [], []
    for node_name, events in dr.cache.logs(dr.cache.last_run_id).items():
        kinds = {event.event_type.value for event in events}
        (cached if "get_result" in kinds else computed).append(node_name)
    return f"computed: {', '.join(sorted(computed)) or '-'}; from cache: {', '.join(sorted(cached)) or '-'}"


def main() -> None:
    try:
        import hamilton.caching.adapter  # noqa: F401
    except ImportError:
        print('caching: the cache is not installed (pip install "apache-hamilton[cache]")')
        return

    import prices

    with tempfile.TemporaryDirectory(prefix="hamilton-cache-example-") as directory:
        dr = driver.Builder().with_modules(prices).with_cache(path=directory).build()
        for label, inputs in (
            ("first run", INPUTS),
            ("second run", INPUTS),
            ("new discount", {**INPUTS, "discount": 0.2}),
        ):
            started = time.perf_counter()
            summary = dr.execute(["summary"], inputs=inputs)["summary"]
            elapsed = time.perf_counter() - started
            print(f"{label}: total {summary['total']} {summary['currency']} in {elapsed:.2f} s")
            print(f"  {describe(dr)}")


if __name__ == "__main__":
    main()
