"""Count the primes below a limit, one range of numbers per Ray task.

``chunk`` fans out: each range runs through ``primes_in_chunk`` in a Ray worker (its own
process: CPU-bound Python runs in parallel, with no GIL to share); ``Collect[...]`` gathers
the counts back in order.
"""

import os

from hamilton.function_modifiers.metadata import ray_remote_options
from hamilton.htypes import Collect, Parallelizable


def chunk(limit: int, chunk_size: int) -> Parallelizable[range]:
    """Consecutive ranges covering ``[0, limit)``."""
    for start in range(0, limit, chunk_size):
        yield range(start, min(start + chunk_size, limit))


@ray_remote_options(num_cpus=1)  # what each task asks Ray for (the default, written out)
def primes_in_chunk(chunk: range) -> dict:
    """How many numbers of one range are prime (trial division: deliberately CPU-bound)."""
    count = sum(1 for n in chunk if n > 1 and all(n % d for d in range(2, int(n**0.5) + 1)))
    return {"start": chunk.start, "stop": chunk.stop, "primes": count, "pid": os.getpid()}


def per_chunk(primes_in_chunk: Collect[dict]) -> list[dict]:
    """Every range's count, in the order of the ranges."""
    return list(primes_in_chunk)


def total_primes(per_chunk: list[dict]) -> int:
    """Primes below the limit."""
    return sum(each["primes"] for each in per_chunk)
