"""Scenario: defines ``shared_name`` again (see fd_dup_first)."""


def shared_name() -> str:
    return "second"


def only_in_second(shared_name: str) -> str:
    return f"second sees {shared_name}"
