"""A fan-out with two steps per item (``squared`` may fail, ``labelled`` follows it), then a sum."""

from hamilton.htypes import Collect, Parallelizable


def item(items: list[int]) -> Parallelizable[int]:
    yield from items


def squared(item: int, fail_on: int = -1) -> int:
    if item == fail_on:
        raise ArithmeticError(f"item {item} fails on purpose")
    return item * item


def labelled(squared: int) -> str:
    return f"#{squared}"


def joined(labelled: Collect[str]) -> str:
    return ",".join(labelled)


def item_count(items: list[int]) -> int:
    return len(items)
