"""Column functions over the pure-Python ``Table`` backend (see ../table_backend.py)."""

from hamilton.function_modifiers.configuration import config

from ..table_backend import Column


def c_sum(a: Column, b: Column) -> Column:
    """a + b"""
    return Column(x + y for x, y in zip(a, b))


def c_scaled(c_sum: Column, factor: float) -> Column:
    return Column(v * factor for v in c_sum)


@config.when(extra=True)
def c_extra(a: Column) -> Column:
    return Column(v * 100 for v in a)


def row_count(a: Column) -> int:
    return len(a)
