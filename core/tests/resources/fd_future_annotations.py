"""Scenario: postponed annotations (strings) must resolve to real types."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Point:
    x: float
    y: float


def origin(offset: float) -> Point:
    return Point(offset, offset)


def x_coord(origin: Point) -> float:
    return origin.x


def coords(origin: Point, scale: float | None = None) -> list[float]:
    factor = 1.0 if scale is None else scale
    return [origin.x * factor, origin.y * factor]
