from hamilton.function_modifiers import config, hamilton_exclude


@config.when(region="us")
def rate__us(base: float) -> float:
    """US rate"""
    return base * 1.1


@config.when(region="eu")
def rate__eu(base: float) -> float:
    return base * 0.9


@config.when_not(region="us")
def discount(rate: float) -> float:
    return rate / 2


@config.when_in(tier=["gold", "silver"])
def perk__premium(rate: float) -> str:
    return "lounge"


@config.when_not_in(tier=["gold", "silver"])
def perk__basic(rate: float) -> str:
    return "none"


@config.when(name="renamed", mode="x")
def whatever(base: float) -> float:
    return base


@config.when(region="us")
@config.when(tier="gold")
def both__x(base: float) -> float:
    return base


@config(lambda c: c.get("flag") is True)
def flagged(base: float) -> float:
    return base


@config(lambda c: c.get("k") == 1, target_name="custom", config_used=["k"])
def raw_cfg(base: float) -> float:
    return base + 1


@hamilton_exclude
def excluded(base: float) -> float:
    return base


def a__b__c(base: float) -> float:
    return base
