"""Scenario: defines ``shared_name``, as does fd_dup_second."""


def shared_name() -> str:
    return "first"


def only_in_first(shared_name: str) -> str:
    return f"first sees {shared_name}"
