"""The ``library`` fixture: every cross-library test runs once for pandas and once for polars.

A library's cases need its Hamilton distribution (``hamilton-pandas`` / ``hamilton-polars``).
Without it they are skipped — unless ``HAMILTON_REQUIRE_ALL_DATAFRAMES=1`` (CI), where they fail
saying what to install.
"""

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

LIBRARIES = ("pandas", "polars")
PLUGIN_MODULES = {"pandas": "hamilton.plugins.pandas_extensions", "polars": "hamilton.plugins.polars_extensions"}
DISTRIBUTIONS = {"pandas": "packages/hamilton-pandas", "polars": "packages/hamilton-polars"}


@dataclass(frozen=True)
class Library:
    """Constructors and readers for one dataframe library, so a test body is written once."""

    name: str
    DataFrame: type
    Series: type
    frame: Callable[[dict[str, list[Any]]], Any]
    series: Callable[..., Any]  # series(values, name=None)
    with_columns: type  # the library's with_columns decorator

    def to_dict(self, frame: Any) -> dict[str, list[Any]]:
        return {str(name): self.to_list(frame[name]) for name in frame.columns}

    @staticmethod
    def to_list(column: Any) -> list[Any]:
        return [None if value != value else value for value in column.to_list()]  # NaN -> None


def _require(module: str, library: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as error:
        message = (
            f"{library} cases need {module} ({error}); install it with "
            f"`pip install -e {DISTRIBUTIONS[library]}` (and its dependencies)."
        )
        if os.environ.get("HAMILTON_REQUIRE_ALL_DATAFRAMES") == "1":
            pytest.fail(message + " HAMILTON_REQUIRE_ALL_DATAFRAMES=1 requires every library.", pytrace=False)
        pytest.skip(message)


def _with_columns(module: str) -> type:
    """The library's ``with_columns``, else core's dataframe-agnostic one."""
    try:
        return importlib.import_module(module).with_columns
    except (ImportError, AttributeError):
        from hamilton.function_modifiers.recursive import with_columns

        return with_columns


def _pandas() -> Library:
    import pandas as pd

    return Library(
        "pandas",
        pd.DataFrame,
        pd.Series,
        frame=pd.DataFrame,
        series=lambda values, name=None: pd.Series(values, name=name),
        with_columns=_with_columns("hamilton.plugins.h_pandas"),
    )


def _polars() -> Library:
    import polars as pl

    return Library(
        "polars",
        pl.DataFrame,
        pl.Series,
        frame=pl.DataFrame,
        series=lambda values, name=None: pl.Series(name or "", values),
        with_columns=_with_columns("hamilton.plugins.h_polars"),
    )


@pytest.fixture(params=LIBRARIES)
def library(request: pytest.FixtureRequest) -> Library:
    _require(PLUGIN_MODULES[request.param], request.param)
    return {"pandas": _pandas, "polars": _polars}[request.param]()
