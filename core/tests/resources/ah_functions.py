"""Scenario: functions handed to ad_hoc_utils.create_temporary_module."""


def doubled(x: int) -> int:
    return x * 2


def described(doubled: int, suffix: str = "!") -> str:
    """Describes the doubled value."""
    return f"{doubled}{suffix}"


def _hidden(x: int) -> int:
    return x
