"""mutate targets and mutators, in one module (mutate requires it)."""

from hamilton.function_modifiers.configuration import config
from hamilton.function_modifiers.dependencies import source, value
from hamilton.function_modifiers.macros import apply_to, mutate, pipe_output, step
from hamilton.function_modifiers.metadata import tag


def _negate(x: int) -> int:
    return -x


def data(raw: int) -> int:
    """The raw data."""
    return raw


def other(raw: int) -> int:
    return raw * 10


@pipe_output(step(_negate))
def piped(raw: int) -> int:
    return raw


@config.when(mode="a")
def variant__a(raw: int) -> int:
    return raw


@config.when(mode="b")
def variant__b(raw: int) -> int:
    return raw + 100


@tag(owner="data-team")
def tagged(raw: int) -> int:
    return raw


def downstream(data: int) -> int:
    return data + 1000


@mutate(data, other, piped, tagged, amount=source("step_size"))
def _add(x: int, amount: int) -> int:
    """Adds amount."""
    return x + amount


@mutate(data, apply_to(other, factor=value(3)).named("tripled"), factor=2)
def _multiply(x: int, factor: int = 1) -> int:
    return x * factor


@mutate(apply_to(data).when(double=True), variant__a, variant__b)
def double(x: int) -> int:
    return x * 2
