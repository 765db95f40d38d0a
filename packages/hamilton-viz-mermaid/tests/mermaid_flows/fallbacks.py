"""@fallback: a price feed that may fail, a cached price to fall back on, a default quantity."""

from hamilton.function_modifiers import fallback, source, value


def price(ticker: str) -> float:
    raise ConnectionError("price feed down")


def cached_price(ticker: str) -> float:
    return 2.0


def qty() -> int:
    return 3


@fallback(price=source("cached_price"), qty=value(1))
def total(price: float, qty: int) -> float:
    """Price times quantity."""
    return price * qty


def report(total: float) -> str:
    return f"{total:.1f}"
