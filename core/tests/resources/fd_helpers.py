"""Scenario support: functions and a decorator that other scenario modules import."""

import functools


def imported_function(seed: int) -> int:
    return seed


def helper_defined_elsewhere(seed: int) -> int:
    return seed - 1


def passthrough(fn):
    """A decorator that keeps the wrapped function's metadata (``functools.wraps``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper
