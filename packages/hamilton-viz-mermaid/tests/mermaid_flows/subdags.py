"""Subdags nested two deep: node names ``outer.inner.x`` draw as nested namespaces."""

from hamilton.function_modifiers import source, subdag


def _double(x: int) -> int:
    return x * 2


def _plus_one(_double: int) -> int:
    return _double + 1


def doubled(x: int) -> int:
    return x * 2


def incremented(doubled: int) -> int:
    return doubled + 1


@subdag(doubled, incremented, inputs={"x": source("seed")}, namespace="inner")
def inner_result(incremented: int) -> int:
    return incremented


def seed(start: int) -> int:
    return start


@subdag(seed, inner_result, namespace="outer")
def outer_result(inner_result: int) -> int:
    return inner_result
