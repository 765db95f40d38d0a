"""Scenario: two consumers request the same input, one with a narrower type."""

from .tc_types import Base, Child


def a_wants_base(shared: Base) -> str:
    return type(shared).__name__


def b_wants_child(shared: Child) -> str:
    return type(shared).__name__
