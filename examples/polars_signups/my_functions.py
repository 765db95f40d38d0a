"""Marketing spend and signups, week by week: the classic Hamilton example, in polars.

Each function is a node: its name is the column it computes, its parameters the columns it
needs. The functions take and return ``pl.Series`` (or a float), so they are plain polars code
you can test on their own.
"""

import polars as pl


def avg_3wk_spend(spend: pl.Series) -> pl.Series:
    """Rolling three-week average spend (null for the first two weeks)."""
    return spend.rolling_mean(window_size=3)


def acquisition_cost(avg_3wk_spend: pl.Series, signups: pl.Series) -> pl.Series:
    """What one signup costs, against the rolling average spend."""
    return avg_3wk_spend / signups


def spend_mean(spend: pl.Series) -> float:
    """Average weekly spend."""
    return spend.mean()


def spend_zero_mean(spend: pl.Series, spend_mean: float) -> pl.Series:
    """Spend with its mean removed."""
    return spend - spend_mean


def spend_std_dev(spend: pl.Series) -> float:
    """Sample standard deviation of the weekly spend."""
    return spend.std()


def spend_zero_mean_unit_variance(spend_zero_mean: pl.Series, spend_std_dev: float) -> pl.Series:
    """Spend standardised to zero mean and unit variance."""
    return spend_zero_mean / spend_std_dev
