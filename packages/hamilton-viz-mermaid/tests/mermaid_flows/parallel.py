"""A parallel block (Parallelizable -> per-item nodes -> Collect) nested in another."""

from hamilton.htypes import Collect, Parallelizable


def batches(batch_count: int) -> Parallelizable[int]:
    yield from range(batch_count)


def batch_size(batches: int) -> int:
    return batches + 1


def rows(batch_size: int) -> Parallelizable[int]:
    yield from range(batch_size)


def row_value(rows: int, scale: float = 1.0) -> float:
    return rows * scale


def batch_total(row_value: Collect[float]) -> float:
    return sum(row_value)


def grand_total(batch_total: Collect[float]) -> float:
    return sum(batch_total)
