"""Marketing spend and signups, week by week: the classic Hamilton example, in pandas.

Each function is a node: its name is the column it computes, its parameters the columns it
needs. The functions take and return ``pd.Series`` (or a float), so they are plain pandas code
you can test on their own.
"""

import pandas as pd


def avg_3wk_spend(spend: pd.Series) -> pd.Series:
    """Rolling three-week average spend (NaN for the first two weeks)."""
    return spend.rolling(3).mean()


def acquisition_cost(avg_3wk_spend: pd.Series, signups: pd.Series) -> pd.Series:
    """What one signup costs, against the rolling average spend."""
    return avg_3wk_spend / signups


def spend_mean(spend: pd.Series) -> float:
    """Average weekly spend."""
    return spend.mean()


def spend_zero_mean(spend: pd.Series, spend_mean: float) -> pd.Series:
    """Spend with its mean removed."""
    return spend - spend_mean


def spend_std_dev(spend: pd.Series) -> float:
    """Sample standard deviation of the weekly spend."""
    return spend.std()


def spend_zero_mean_unit_variance(spend_zero_mean: pd.Series, spend_std_dev: float) -> pd.Series:
    """Spend standardised to zero mean and unit variance."""
    return spend_zero_mean / spend_std_dev
