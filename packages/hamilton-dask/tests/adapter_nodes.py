"""Node functions for the DaskGraphAdapter tests (a module, so the workers can import them)."""

from __future__ import annotations

import pandas as pd

from hamilton.function_modifiers import parameterize, value


def spend_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / signups


def avg_3wk_spend(spend: pd.Series) -> pd.Series:
    return spend.rolling(3).mean()


@parameterize(doubled_spend={"factor": value(2)}, tripled_spend={"factor": value(3)})
def scaled_spend(spend: pd.Series, factor: int) -> pd.Series:
    return spend * factor


def total_spend(spend: pd.Series) -> float:
    return float(spend.sum())


def broken(spend: pd.Series) -> pd.Series:
    raise ZeroDivisionError("no budget")
