"""Inner functions using other decorators (parameterize, pipe_input, extract_fields)."""

from hamilton.function_modifiers.dependencies import value
from hamilton.function_modifiers.expanders import extract_fields, parameterize
from hamilton.function_modifiers.macros import pipe_input, step


def _inc(v: int, by: int = 1) -> int:
    return v + by


@parameterize(lo={"m": value(1)}, hi={"m": value(10)})
def scaled(base: int, m: int) -> int:
    return base * m


@pipe_input(step(_inc, by=value(5)))
def piped(lo: int) -> int:
    return lo * 2


@extract_fields({"f1": int, "f2": int})
def fields(hi: int) -> dict:
    return {"f1": hi, "f2": hi + 1}
