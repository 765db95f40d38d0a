"""Scenario: functions wrapped with ``functools.wraps`` belong to the wrapped function's module."""

from .fd_helpers import helper_defined_elsewhere, passthrough


@passthrough
def decorated(seed: int) -> int:
    return seed + 100


# wraps a function of fd_helpers: it belongs to fd_helpers, so it is not a node of this module
rewrapped = passthrough(helper_defined_elsewhere)
