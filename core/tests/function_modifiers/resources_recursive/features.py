"""A small dataflow with config-dependent variants, used as a subdag."""

from hamilton.function_modifiers.configuration import config, hamilton_exclude


def a(x: int) -> int:
    """doc a"""
    return x + 1


def b(a: int, y: int) -> int:
    return a * y


@config.when(mode="one")
def c__one(b: int) -> int:
    return b


@config.when(mode="two")
def c__two(b: int) -> int:
    return -b


@hamilton_exclude
def excluded(b: int) -> int:
    return b


def _helper(b: int) -> int:
    return b
