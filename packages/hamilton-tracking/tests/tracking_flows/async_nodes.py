"""``async def`` nodes (two independent ones) mixed with a plain ``def`` node."""

import asyncio


async def fetched(x: int) -> int:
    await asyncio.sleep(0.001)
    return x + 1


async def looked_up(x: int, fail: bool = False) -> str:
    await asyncio.sleep(0.001)
    if fail:
        raise LookupError(f"nothing for {x} (on purpose)")
    return f"key-{x}"


def combined(fetched: int, looked_up: str) -> str:
    return f"{looked_up}={fetched}"


async def awaited_twice(fetched: int) -> int:
    await asyncio.sleep(0)
    return fetched * 2
