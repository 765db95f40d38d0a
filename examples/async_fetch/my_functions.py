"""An async dataflow: two slow lookups that overlap, then plain functions that combine them.

The lookups stand in for HTTP or database calls (``asyncio.sleep`` keeps the example offline).
"""

import asyncio

PRICES = {"apple": 0.5, "pear": 0.75, "plum": 0.25}
STOCK = {"apple": 120, "pear": 40, "plum": 300}


async def prices(fruits: list[str], latency: float) -> dict[str, float]:
    """Price per fruit, from a slow price service."""
    await asyncio.sleep(latency)
    return {fruit: PRICES[fruit] for fruit in fruits}


async def stock(fruits: list[str], latency: float) -> dict[str, int]:
    """Units in stock per fruit, from a slow inventory service."""
    await asyncio.sleep(latency)
    return {fruit: STOCK[fruit] for fruit in fruits}


def stock_value(prices: dict[str, float], stock: dict[str, int]) -> dict[str, float]:
    """What the stock of each fruit is worth."""
    return {fruit: prices[fruit] * stock[fruit] for fruit in prices}


def report(stock_value: dict[str, float]) -> str:
    lines = [f"{fruit}: ${value:.2f}" for fruit, value in sorted(stock_value.items())]
    return "\n".join([*lines, f"total: ${sum(stock_value.values()):.2f}"])
