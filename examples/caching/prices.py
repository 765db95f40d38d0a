"""A small pricing dataflow whose first step is slow, so that the cache visibly pays off."""

import time

from hamilton.function_modifiers import cache

RATES = {"USD": 1.0, "EUR": 0.9}


def raw_prices(product_count: int, slowness: float) -> list[float]:
    """Pretend to query a slow service: one price per product, in USD."""
    time.sleep(slowness)
    return [round(10 + 2.5 * i, 2) for i in range(product_count)]


def discounted(raw_prices: list[float], discount: float) -> list[float]:
    """Prices after the discount."""
    return [round(price * (1 - discount), 2) for price in raw_prices]


@cache(behavior="recompute")
def exchange_rate(currency: str) -> float:
    """Looked up on every run (rates move); while it is unchanged, dependents stay cached."""
    return RATES[currency]


@cache(format="json")
def summary(discounted: list[float], exchange_rate: float, currency: str) -> dict:
    """Totals, stored in the cache as JSON rather than as a pickle."""
    return {"items": len(discounted), "total": round(sum(discounted) * exchange_rate, 2), "currency": currency}
