"""A module that itself contains a subdag (``deep``), for nesting tests."""

from hamilton.function_modifiers.dependencies import value
from hamilton.function_modifiers.recursive import subdag

from . import chain


@subdag(chain, inputs={"k": value(7)})
def deep(a: int) -> int:
    return a * 100


def other(deep: int, w: int) -> int:
    return deep + w
