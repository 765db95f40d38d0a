"""Two branches from one input: ``fragile`` fails on demand, ``steady`` never does."""


def base(count: int) -> int:
    return count


def fragile(base: int, fail: bool = False) -> int:
    if fail:
        raise ValueError(f"fragile rejects {base} on purpose")
    return base * 2


def doubled(fragile: int) -> int:
    return fragile * 2


def summary(doubled: int, steady: int) -> str:
    return f"{doubled}/{steady}"


def steady(base: int) -> int:
    return base + 1
