"""Node functions for the tests (a module of its own: Ray workers import it by name)."""

import os

from hamilton.function_modifiers.metadata import ray_remote_options
from hamilton.htypes import Collect, Parallelizable

CUSTOM_RESOURCE = "hamilton_test_slot"


def numbers(count: int) -> Parallelizable[int]:
    yield from range(count)  # a generator: its items must cross to Ray as values


def squared(numbers: int) -> int:
    return numbers * numbers


def worker_pid(numbers: int) -> int:
    return os.getpid()


def total(squared: Collect[int]) -> int:
    return sum(squared)


def pids(worker_pid: Collect[int]) -> list[int]:
    return list(worker_pid)


@ray_remote_options(num_cpus=1, resources={CUSTOM_RESOURCE: 1})
def assigned(numbers: int) -> dict:
    import ray

    return ray.get_runtime_context().get_assigned_resources()


def all_assigned(assigned: Collect[dict]) -> list[dict]:
    return list(assigned)


def blob(numbers: int, blob_size: int) -> bytes:
    return bytes([numbers]) * blob_size


def blob_sizes(blob: Collect[bytes]) -> list[int]:
    return [len(b) for b in blob]


async def cubed(numbers: int) -> int:
    return numbers**3


def cubes(cubed: Collect[int]) -> list[int]:
    return list(cubed)
