"""Scenario: a function with an unannotated parameter cannot become a node."""


def unannotated_param(seed) -> int:
    return seed
