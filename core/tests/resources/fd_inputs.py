"""Scenario: parameters no function produces become external inputs."""


def a_consumer(shared: int, only_a: str) -> str:
    """First consumer of ``shared`` (alphabetically)."""
    return f"{only_a}{shared}"


def b_consumer(shared: int) -> int:
    return shared + 1
