"""Count primes on a local Ray with 2 CPUs: python examples/ray_parallel/run.py

Needs the Ray plugin: pip install "apache-hamilton[ray]".
"""

import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import primes
import ray

from hamilton import driver

HERE = pathlib.Path(__file__).parent


def main() -> dict:
    # Ray's workers import `primes` by name, like this script: put its folder on their path.
    ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": str(HERE)}})
    try:
        dr = (
            driver.Builder()
            .with_modules(primes)
            .enable_dynamic_execution(allow_experimental_mode=True)
            .with_remote_executor("ray")  # the executor of the hamilton-ray plugin
            .build()
        )
        started = time.perf_counter()
        results = dr.execute(["per_chunk", "total_primes"], inputs={"limit": 100_000, "chunk_size": 12_500})
        took = time.perf_counter() - started
    finally:
        ray.shutdown()
    for each in results["per_chunk"]:
        print(f"[{each['start']:>7}, {each['stop']:>7}): {each['primes']:>5} primes (worker pid {each['pid']})")
    workers = {each["pid"] for each in results["per_chunk"]}
    print(f"{results['total_primes']} primes below 100000, counted by {len(workers)} Ray workers in {took:.2f} s")
    print(f"(this script's pid: {os.getpid()})")
    return results


if __name__ == "__main__":
    main()
