"""A small sales dataflow: plain functions (no Hamilton import needed, so compile_graph's tasks
run on workers without Hamilton), fanned out over regions when run with a dynamic driver."""

from __future__ import annotations


def region_sales(region: str, days: int) -> list[float]:
    """Fake daily sales of one region (deterministic, so the runs can be compared)."""
    seed = sum(ord(letter) for letter in region)
    return [float((seed * (day + 7)) % 97) for day in range(days)]


def region_total(region_sales: list[float]) -> float:
    return sum(region_sales)


def best_day(region_sales: list[float]) -> int:
    return max(range(len(region_sales)), key=region_sales.__getitem__)
