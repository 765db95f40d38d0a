"""The dataflow most tests draw: every kind of node the graphviz renderer styles."""

from frame_backend import Frame

from hamilton.function_modifiers import config, extract_fields, schema, source, subdag, tag
from hamilton.htypes import Collect, Parallelizable


def a(x: int, y: int = 2) -> int:
    """Doc <b>"quoted"</b> & stuff, 'single' and a back\\slash \\N."""
    return x + y


@config.when(mode="fast")
def b__fast(a: int) -> int:
    return a * 2


@config.when(mode="slow")
def b__slow(a: int) -> int:
    return a


@extract_fields({"f1": int, "f2": str})
def fields(a: int) -> dict:
    return {"f1": a, "f2": "s"}


@schema.output(("col1", "int"), ("column_two", "float"))
def frame(f1: int) -> Frame:
    return Frame(col1=[f1], column_two=[1.0])


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


def twin(x: int, y: int = 2) -> int:
    """Reads the same inputs as ``a``: one shared table with deduplicate_inputs=True."""
    return x - y
