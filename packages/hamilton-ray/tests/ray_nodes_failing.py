"""A fan-out whose third item fails."""

from hamilton.htypes import Collect, Parallelizable


class ItemError(ValueError):
    """Raised by ``checked`` (its own type: the error must come back as it was raised)."""


def items(count: int) -> Parallelizable[int]:
    return list(range(count))


def checked(items: int) -> int:
    if items == 2:
        raise ItemError(f"item {items} is bad")
    return items


def gathered(checked: Collect[int]) -> list[int]:
    return list(checked)
