# ruff: noqa: UP045  (typing.Optional is spelled out on purpose)
"""Scenario: nodes with required/optional dependencies, defaults and docs, for HamiltonNode."""

from typing import Optional


def total(amount: float, rate: float = 0.1) -> float:
    """Amount with the rate applied."""
    return amount * (1 + rate)


def report(total: float, label: str = "total", currency: Optional[str] = None) -> str:
    return f"{label}: {total}{currency or ''}"


def items() -> list[int]:
    return [1, 2]
