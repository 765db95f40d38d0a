"""Scenario: parameters with defaults are optional dependencies."""


def with_default(required: int, maybe: int = 10) -> int:
    return required + maybe


def echo_optional(value: int | None = 7) -> str:
    return repr(value)


def computed_default(required: int) -> int:
    return required * 100


def uses_computed(computed_default: int = -1) -> int:
    return computed_default
