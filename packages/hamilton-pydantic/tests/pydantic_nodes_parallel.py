"""A parallel block whose items are checked against a model (imported by worker processes)."""

from pydantic import BaseModel

from hamilton.function_modifiers import check_output
from hamilton.htypes import Collect, Parallelizable
from hamilton.plugins import h_pydantic


class Item(BaseModel):
    sku: str
    quantity: int


def payload(payloads: list) -> Parallelizable[dict]:
    yield from payloads


@check_output(model=Item, importance="warn")
def checked(payload: dict) -> dict:
    return payload


@h_pydantic.check_output(importance="fail")
def item(checked: dict) -> Item:
    return checked  # type: ignore[return-value]


def items(item: Collect[Item]) -> list:
    return list(item)
