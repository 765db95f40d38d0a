"""Scenario: a ``*args`` parameter cannot be filled by name."""


def summed(*args: int) -> int:
    return sum(args)
