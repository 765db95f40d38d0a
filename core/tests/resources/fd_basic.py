"""Scenario: a plain module mixing node functions with things that must not become nodes."""

import functools
import math
from os.path import join

from .fd_helpers import imported_function

CONSTANT = 3
re_exported_join = join
square_root = math.sqrt


def zeta(alpha: int) -> int:
    """The last node alphabetically, defined first."""
    return alpha + 1


def alpha(seed: int) -> int:
    return seed * 2


def _private_helper(seed: int) -> int:
    return seed


def middle__suffix(alpha: int) -> str:
    """Keeps its double underscore."""
    return str(alpha)


class NotANode:
    def method(self, seed: int) -> int:
        return seed


partially_applied = functools.partial(imported_function, 1)
