"""x(k) -> a(x): two steps fed by an input ``k``."""


def x(k: int) -> int:
    return k * 2


def a(x: int) -> int:
    return x + 1
