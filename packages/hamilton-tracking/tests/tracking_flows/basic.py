"""A small chain: numbers -> total -> mean, plus a node that fails on demand."""

from hamilton.function_modifiers import tag


def numbers(count: int) -> list[int]:
    return list(range(count))


@tag(owner="data-team", stage="clean")
def total(numbers: list[int]) -> int:
    return sum(numbers)


def mean(total: int, numbers: list[int]) -> float:
    return total / len(numbers)


def checked(mean: float, fail: bool = False) -> float:
    if fail:
        raise ValueError(f"mean {mean} rejected on purpose")
    return mean


def report(checked: float, label: str = "report") -> str:
    return f"{label}: {checked}"
