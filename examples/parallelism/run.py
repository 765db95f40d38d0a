"""Run a fan-out over documents on threads: python examples/parallelism/run.py"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import word_stats

from hamilton import driver
from hamilton.execution import executors

DOCUMENTS = {
    "ode": "Thou still unravish'd bride of quietness\nThou foster-child of silence and slow time",
    "sonnet": "Shall I compare thee to a summer's day\nThou art more lovely and more temperate",
    "haiku": "An old silent pond\nA frog jumps into the pond\nSplash! Silence again",
}


def main() -> dict:
    dr = (
        driver.Builder()
        .with_modules(word_stats)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=3))
        .build()
    )
    results = dr.execute(["report", "total_words"], inputs={"documents": DOCUMENTS})
    print(results["report"])
    print(f"{results['total_words']} words in {len(DOCUMENTS)} documents")
    return results


if __name__ == "__main__":
    main()
