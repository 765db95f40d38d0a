"""The sales dataflow (sales.py) fanned out over regions: each region is one task on the cluster."""

from __future__ import annotations

from hamilton.htypes import Collect, Parallelizable


def region(regions: list[str]) -> Parallelizable[str]:
    yield from regions


def summary(region: str, region_total: float, best_day: int) -> dict:
    return {"region": region, "total": region_total, "best_day": best_day}


def report(summary: Collect[dict]) -> list[dict]:
    return sorted(summary, key=lambda row: -row["total"])
