"""parameterize & co. at module level, as users write them."""

from hamilton.function_modifiers.dependencies import group, source, value
from hamilton.function_modifiers.expanders import (
    inject,
    parameterize,
    parameterize_sources,
    parameterize_values,
)


def base_price() -> float:
    return 10.0


def eu_markup() -> float:
    return 1.2


@parameterize(
    price_us={"markup": value(1.5)},
    price_eu=({"markup": source("eu_markup")}, "EU price."),
)
def price(base_price: float, markup: float, discount: float = 0.0) -> float:
    """Price of {output_name}: {base_price} times {markup}."""
    return base_price * markup - discount


@parameterize_sources(double_us={"amount": "price_us"}, double_eu={"amount": "price_eu"})
def double(amount: float) -> float:
    """Twice {amount}."""
    return 2 * amount


@parameterize_values("factor", {("tenfold", "Ten times the base."): 10, ("hundredfold", "Hundred times."): 100})
def scaled(base_price: float, factor: int) -> float:
    return base_price * factor


@inject(prices=group(source("price_us"), source("price_eu"), value(1.0)), weights=group(us=value(2), eu=value(3)))
def basket(prices: list[float], weights: dict[str, int]) -> float:
    """Basket of {prices}."""
    return sum(prices) + weights["us"] * weights["eu"]
