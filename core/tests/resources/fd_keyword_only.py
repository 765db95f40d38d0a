"""Scenario: keyword-only parameters, with and without defaults."""


def scaled(base: int, *, factor: int = 2) -> int:
    return base * factor


def shifted(base: int, *, shift: int) -> int:
    return base + shift
