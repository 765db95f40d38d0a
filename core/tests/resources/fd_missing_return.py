"""Scenario: a function without a return annotation cannot become a node."""


def unannotated_return(seed: int):
    return seed
