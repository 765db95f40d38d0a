"""Inputs, an optional dependency, @config.when and a display_name tag."""

from hamilton.function_modifiers import config, tag


def spend(raw_spend: float, currency: str = "EUR") -> float:
    """Spend in euros."""
    return raw_spend


def signups(raw_signups: int) -> int:
    return raw_signups


@tag(display_name="Cost per signup")
def cost_per_signup(spend: float, signups: int) -> float:
    return spend / signups


@config.when(mode="fast")
def forecast__fast(cost_per_signup: float) -> float:
    return cost_per_signup


@config.when(mode="slow")
def forecast__slow(cost_per_signup: float, signups: int) -> float:
    return cost_per_signup * signups


def report(forecast: float, spend: float) -> dict:
    return {"week": 1, "spend": spend, "forecast": forecast}
