"""A module containing a parameterized_subdag (``low`` and ``high``), for nesting tests."""

from hamilton.function_modifiers.dependencies import value
from hamilton.function_modifiers.recursive import parameterized_subdag

from . import chain


@parameterized_subdag(chain, low={"inputs": {"k": value(1)}}, high={"inputs": {"k": value(10)}})
def level(a: int) -> int:
    return a


def total(low: int, high: int) -> int:
    return low + high
