"""Scenario: a ``**kwargs`` parameter cannot be filled by name."""


def merged(base: int, **kwargs: int) -> int:
    return base + sum(kwargs.values())
