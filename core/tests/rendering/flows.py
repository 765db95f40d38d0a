"""Dataflows the rendering tests draw (imported as a module, as users' flows are)."""

from hamilton.function_modifiers import config, extract_fields, source, subdag, tag
from hamilton.htypes import Collect, Parallelizable


def a(x: int, y: int = 2) -> int:
    """Doc with <b>"HTML"</b> & more."""
    return x + y


@config.when(mode="fast")
def b__fast(a: int) -> int:
    return a * 2


@extract_fields({"f1": int, "f2": str})
def fields(a: int) -> dict:
    return {"f1": a, "f2": "s"}


def frame(f1: int) -> dict:
    return {"col1": f1, "col2": 1.0}


def items(b: int) -> Parallelizable[int]:
    yield from range(b)


@tag(display_name="Square it")
def sq(items: int) -> int:
    return items * items


def total(sq: Collect[int]) -> int:
    return sum(sq)


def inner(f1: int) -> int:
    return f1 + 1


@subdag(inner, inputs={"f1": source("f1")})
def wrapped(inner: int) -> int:
    return inner


def uses_z(a: int, z: float = 1.0) -> float:
    return a * z
