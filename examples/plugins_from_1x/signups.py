"""A 1.x dataflow that uses 1.x plugin modules, unchanged: settings from YAML
(``hamilton.plugins.yaml_extensions``), a pandera schema check (``hamilton-pandera``)."""

import pandas as pd
import pandera.pandas as pa

from hamilton.function_modifiers import check_output, extract_columns, load_from, source

WEEKLY = pa.DataFrameSchema(
    {
        "spend": pa.Column(float, pa.Check.ge(0)),
        "signups": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
)


@load_from.yaml(path=source("settings_path"))
def settings(config: dict) -> dict:
    """The campaign settings file (a YAML mapping)."""
    return config


@extract_columns("spend", "signups")
@check_output(schema=WEEKLY, importance="fail")
def weekly(raw_weeks: list[dict]) -> pd.DataFrame:
    """One row per week; fails the run when a week has negative spend or signups."""
    return pd.DataFrame(raw_weeks, columns=["spend", "signups"]).astype({"spend": float, "signups": int})


def cost_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / signups


def report(cost_per_signup: pd.Series, settings: dict) -> dict:
    """Weeks above the target cost per signup from the settings."""
    target = settings["target_cost_per_signup"]
    above = [int(week) for week, cost in cost_per_signup.items() if cost > target]
    return {
        "campaign": settings["campaign"],
        "weeks_above_target": above,
        "worst": round(float(cost_per_signup.max()), 2),
    }
