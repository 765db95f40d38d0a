"""Scenario: a module-level alias of a function is the same function, not a duplicate."""


def original(seed: int) -> int:
    return seed + 1


alias = original
