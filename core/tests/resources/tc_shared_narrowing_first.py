"""Scenario: like tc_shared_narrowing, but the narrower consumer comes first."""

from .tc_types import Base, Child


def a_wants_child(shared: Child) -> str:
    return type(shared).__name__


def b_wants_base(shared: Base) -> str:
    return type(shared).__name__
