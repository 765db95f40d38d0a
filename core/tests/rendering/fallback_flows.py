"""A dataflow with @fallback, drawn by the rendering tests (imported as a module, as users' flows are)."""

from hamilton.function_modifiers import fallback, source, value
from hamilton.htypes import Collect, Parallelizable


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


def items(qty: int) -> Parallelizable[int]:
    yield from range(qty)


def square(items: int) -> int:
    return items * items


@fallback(square=value([]))
def squares(square: Collect[int]) -> list:
    return list(square)
