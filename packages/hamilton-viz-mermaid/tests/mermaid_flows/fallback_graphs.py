"""Graphs whose nodes carry @fallback's tag, made by hand (a tag value with ``.spec``, or its text)."""

from __future__ import annotations

from hamilton.function_modifiers.fallbacks import FallbackTag
from hamilton.graph_types import HamiltonGraph, HamiltonNode

FALLBACK_TAG = "hamilton.fallback"


def fallback_tag(**spec: tuple[str, object]) -> FallbackTag:
    """The tag @fallback writes, for nodes made by hand."""
    return FallbackTag(spec)


SHOP_SPEC = {"price": ("source", "cached_price"), "qty": ("value", 1)}


def shop(tag: object, *, collect: bool = False) -> HamiltonGraph:
    """price and qty feed total, which falls back; cached_price is the fallback's source."""

    def node(name: str, *deps: str, **extra: object) -> HamiltonNode:
        return HamiltonNode(name=name, type=float, required_dependencies=set(deps), **extra)

    return HamiltonGraph(
        nodes=[
            HamiltonNode(name="ticker", type=str, is_external_input=True),
            node("price", "ticker", role="expand" if collect else "standard"),
            node("cached_price", "ticker"),
            node("qty"),
            node(
                "total",
                "price",
                "qty",
                "cached_price",
                tags={FALLBACK_TAG: tag},
                role="collect" if collect else "standard",
            ),
            node("report", "total"),
        ]
    )
