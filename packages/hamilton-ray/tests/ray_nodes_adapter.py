"""A small dataflow for the graph adapter: a chain, an async node and a failing node."""

import asyncio

import pandas as pd

from hamilton.function_modifiers.metadata import ray_remote_options


def base(n: int) -> pd.Series:
    return pd.Series(range(n), name="base")


def doubled(base: pd.Series) -> pd.Series:
    return base * 2


async def shifted(doubled: pd.Series) -> pd.Series:
    await asyncio.sleep(0)
    return doubled + 1


def payload(size: int) -> bytes:
    return b"x" * size


def payload_size(payload: bytes) -> int:
    return len(payload)


class NodeError(KeyError):
    """Raised by ``broken`` (its own type: it must come back as raised)."""


def broken(doubled: pd.Series) -> pd.Series:
    raise NodeError("no such column")


def after_broken(broken: pd.Series) -> int:
    return len(broken)


@ray_remote_options(num_cpus=1, resources={"hamilton_test_slot": 1})
def placed(n: int) -> dict:
    import ray

    return ray.get_runtime_context().get_assigned_resources()
