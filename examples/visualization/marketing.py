"""Marketing spend and signups: a small dataflow to draw."""

from hamilton.function_modifiers import config, extract_fields, tag


def spend(spend_by_day: list[float]) -> float:
    """Total spend over the period, in dollars."""
    return sum(spend_by_day)


def signups(signups_by_day: list[int]) -> int:
    """All signups in the period."""
    return sum(signups_by_day)


@tag(display_name="Cost per signup ($)")
def cost_per_signup(spend: float, signups: int) -> float:
    return spend / signups


@config.when(region="eu")
def tax_rate__eu() -> float:
    return 0.2


@config.when(region="us")
def tax_rate__us() -> float:
    return 0.07


@extract_fields({"spend_with_tax": float, "tax_paid": float})
def taxed(spend: float, tax_rate: float) -> dict:
    """Spend including tax, and the tax itself."""
    return {"spend_with_tax": spend * (1 + tax_rate), "tax_paid": spend * tax_rate}


def report(cost_per_signup: float, spend_with_tax: float, signups: int) -> str:
    return f"{signups} signups at ${cost_per_signup:.2f} each; ${spend_with_tax:.2f} spent with tax"
