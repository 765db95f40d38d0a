"""Scenario: an ``async def`` node in a module used with the synchronous driver."""


async def fetched(seed: int) -> int:
    return seed + 1


def plain(seed: int) -> int:
    return seed
