"""``@fallback``: what a node takes instead of an upstream value when the upstream node fails.

.. code-block:: python

    @fallback(price=value(0.0))                 # a constant
    @fallback(rates=source("cached_rates"))     # another node's value
    def total(price: float, rates: dict, qty: int) -> float: ...

The run records the upstream failure either way (keep-going: in ``.failures`` and
``.recovered``; fail-fast: a warning naming both nodes) and the node runs on the substitute. The
decorated node carries the tag ``hamilton.fallback`` (shown by renderers); a ``source`` becomes
a dependency of the node, computed with the run. See docs/execution-modes.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hamilton._introspect import describe_function, is_coroutine_function, read_signature
from hamilton.execution.outcome import FALLBACK_TAG
from hamilton.function_modifiers.base import InvalidDecoratorException, NodeDecorator
from hamilton.function_modifiers.dependencies import LiteralDependency, UpstreamDependency
from hamilton.node import DependencyType, Node


class FallbackTag(str):
    """The ``hamilton.fallback`` tag: readable text (``"price=value(0.0); rates=source(cached)"``)
    that also carries the parsed ``spec`` the engine uses: ``{param: ("value", v) | ("source", n)}``."""

    spec: Mapping[str, tuple[str, Any]]

    def __new__(cls, spec: Mapping[str, tuple[str, Any]]) -> FallbackTag:
        text = "; ".join(
            f"{param}={kind}({payload!r})" if kind == "value" else f"{param}=source({payload})"
            for param, (kind, payload) in spec.items()
        )
        tag = super().__new__(cls, text)
        tag.spec = dict(spec)
        return tag

    def __reduce__(self) -> tuple:
        return FallbackTag, (self.spec,)


class fallback(NodeDecorator):
    """Give the node a substitute for a parameter whose upstream node fails.

    :param substitutes: ``parameter=value(x)`` (a constant) or ``parameter=source("node")``
        (another node's value), for parameters produced by other nodes (not graph inputs).
    """

    def __init__(self, /, **substitutes: LiteralDependency | UpstreamDependency):
        super().__init__(target=None)
        if not substitutes:
            raise InvalidDecoratorException(
                "@fallback needs at least one parameter=value(...) or parameter=source(...)."
            )
        spec: dict[str, tuple[str, Any]] = {}
        for param, substitute in substitutes.items():
            if isinstance(substitute, LiteralDependency):
                spec[param] = ("value", substitute.value)
            elif isinstance(substitute, UpstreamDependency):
                spec[param] = ("source", substitute.source)
            else:
                raise InvalidDecoratorException(
                    f"@fallback({param}=...) takes value(...) or source(...) from hamilton.function_modifiers; "
                    f"got {substitute!r}."
                )
        self.spec = spec

    def validate(self, fn: Callable) -> None:
        parameters = [parameter[0] for parameter in read_signature(fn)[0]]
        unknown = [param for param in self.spec if param not in parameters]
        if unknown:
            raise InvalidDecoratorException(
                f"@fallback names {unknown}, which {describe_function(fn)} does not take as parameters "
                f"(it takes {parameters}). Name the parameters whose upstream node may fail."
            )

    def validate_node(self, node_: Node) -> None:
        missing = [param for param in self.spec if param not in node_.input_types]
        if missing:
            raise InvalidDecoratorException(
                f"@fallback on node '{node_.name}' ({node_.location()}): {missing} are not inputs of the node "
                f"(its inputs are {list(node_.input_types)}). Another decorator renamed or bound them: name "
                "the node's inputs as they are after the other decorators."
            )

    def decorate_node(self, node_: Node) -> Node:
        existing = node_.tags.get(FALLBACK_TAG)
        spec = {**getattr(existing, "spec", {}), **self.spec}
        extra = {
            payload: node_.input_types[param][0]
            for param, (kind, payload) in self.spec.items()
            if kind == "source" and payload not in node_.input_types
        }
        tags = {**node_.tags, FALLBACK_TAG: FallbackTag(spec)}
        if not extra:
            return node_.copy_with(tags=tags)
        input_types = {
            **node_.input_types,
            **{name: (typ, DependencyType.REQUIRED) for name, typ in extra.items()},
        }
        return node_.copy_with(tags=tags, input_types=input_types, callabl=_without(node_.callable, frozenset(extra)))


def _without(function: Callable, dropped: frozenset[str]) -> Callable:
    """``function`` called without the keyword arguments ``dropped`` (fallback sources it does not take)."""
    if is_coroutine_function(function):

        async def call_without_fallback_sources(**kwargs: Any) -> Any:
            return await function(**{k: v for k, v in kwargs.items() if k not in dropped})

        return call_without_fallback_sources

    def call_without_fallback_sources(**kwargs: Any) -> Any:
        return function(**{k: v for k, v in kwargs.items() if k not in dropped})

    return call_without_fallback_sources


def refuse_fallback_on_input(consumer: Node, param: str) -> None:
    """A fallback covers a node's failure: on a graph input (nothing computes it) it means nothing."""
    spec = getattr(consumer._tags.get(FALLBACK_TAG), "spec", None)
    if spec and param in spec:
        raise InvalidDecoratorException(
            f"@fallback({param}=...) on node '{consumer.name}' ({consumer.location()}): '{param}' is an input of "
            "the graph (given by the caller or config), not computed by a node, so it cannot fail. Remove the "
            "fallback, or give the parameter a default value instead."
        )
