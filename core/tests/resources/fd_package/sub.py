"""Scenario: the submodule of ``fd_package``."""


def from_submodule(seed: int) -> int:
    return seed * 10
