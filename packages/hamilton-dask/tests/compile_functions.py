"""Dataflow functions for test_compile.py, in a module that does NOT import Hamilton.

Dask workers import this module to unpickle the compiled tasks; test_compile.py applies the
Hamilton decorators to these functions (decorators record themselves on the function object,
which pickles by reference, so the workers never need Hamilton).
"""

from __future__ import annotations

import pandas as pd


def doubled(x: int) -> int:
    return 2 * x


def scaled_sum(doubled: int, y: int = 10, bonus: int = 0) -> int:
    return doubled * y + bonus


def combined(doubled: int, scaled_sum: int) -> int:
    return doubled + scaled_sum


def times(value: int, factor: int) -> int:
    return value * factor


def collected(values: list[int], weights: dict[str, int]) -> int:
    return sum(values) + sum(weights.values())


def stats(doubled: int) -> dict:
    return {"low": doubled - 1, "high": doubled + 1}


def split(doubled: int) -> tuple[int, int]:
    return doubled, -doubled


def table(x: int) -> pd.DataFrame:
    return pd.DataFrame({"col_a": [x, x + 1], "col_b": [10 * x, 0]})


def from_columns(col_a: pd.Series, col_b: pd.Series) -> int:
    return int((col_a + col_b).sum())


def mode__fast(doubled: int) -> str:
    return f"fast-{doubled}"


def mode__slow(doubled: int) -> str:
    return f"slow-{doubled}"


def where_is_hamilton() -> str:
    """Tries to import Hamilton on the worker (the blocker must make this fail)."""
    import hamilton  # noqa: F401

    return "hamilton imported"
