"""A fan-out over items, squared per item, summed by a collector; item 3 may fail."""

from hamilton.htypes import Collect, Parallelizable


def item(items: list[int]) -> Parallelizable[int]:
    yield from items


def squared(item: int, fail_on: int = -1) -> int:
    if item == fail_on:
        raise ArithmeticError(f"item {item} fails on purpose")
    return item * item


def total_of_squares(squared: Collect[int]) -> int:
    return sum(squared)
