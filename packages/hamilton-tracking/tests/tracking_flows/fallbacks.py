"""A price that may fail, and a total that falls back to a price of 0.0 when it does."""

from hamilton.function_modifiers import fallback, value


def price(fail: bool = False) -> float:
    if fail:
        raise ConnectionError("the price service is down (on purpose)")
    return 2.5


@fallback(price=value(0.0))
def total(price: float, qty: int) -> float:
    return price * qty
