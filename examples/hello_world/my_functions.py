"""Hello, Hamilton: a small dataflow over daily signups and marketing spend.

Each function is a node. Its name is the value it computes; its parameters name the values
it needs. Hamilton wires them together — no pandas required.
"""


def avg_3wk_spend(spend: list[float]) -> float:
    """Average spend over the last three weeks (21 days)."""
    window = spend[-21:]
    return sum(window) / len(window)


def spend_per_signup(spend: list[float], signups: list[int]) -> list[float]:
    """Marketing spend per signup, day by day."""
    return [s / n for s, n in zip(spend, signups, strict=True)]


def total_signups(signups: list[int]) -> int:
    """All signups in the period."""
    return sum(signups)


def cost_per_signup(spend: list[float], total_signups: int) -> float:
    """Overall cost of acquiring one signup."""
    return sum(spend) / total_signups


def spend_zero_mean(spend: list[float]) -> list[float]:
    """Spend with its mean removed."""
    mean = sum(spend) / len(spend)
    return [s - mean for s in spend]


def spend_zero_mean_unit_variance(spend_zero_mean: list[float], spend_std_dev: float) -> list[float]:
    """Spend standardised to zero mean and unit variance."""
    return [s / spend_std_dev for s in spend_zero_mean]


def spend_std_dev(spend_zero_mean: list[float]) -> float:
    """Population standard deviation of spend."""
    return (sum(s * s for s in spend_zero_mean) / len(spend_zero_mean)) ** 0.5


def report(total_signups: int, cost_per_signup: float, avg_3wk_spend: float, currency: str = "$") -> str:
    """A one-line summary of the period."""
    return (
        f"{total_signups} signups at {currency}{cost_per_signup:.2f} each; "
        f"recent daily spend {currency}{avg_3wk_spend:.2f}"
    )
