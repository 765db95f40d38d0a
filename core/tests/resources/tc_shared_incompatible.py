"""Scenario: two consumers request the same input with incompatible types."""


def wants_int(amount: int) -> int:
    return amount


def wants_str(amount: str) -> str:
    return amount
