"""Node functions the tests run on the cluster (a module, so the workers can import them)."""

from __future__ import annotations

import asyncio

from hamilton.htypes import Collect, Parallelizable


def numbers(count: int) -> Parallelizable[int]:
    yield from range(count)


def squared(numbers: int) -> int:
    if numbers == 13:
        raise ValueError("thirteen is unlucky")
    return numbers * numbers


def total(squared: Collect[int]) -> int:
    return sum(squared)


def blobs(blob_count: int) -> Parallelizable[int]:
    yield from range(blob_count)


def blob(blobs: int, blob_size: int) -> bytes:
    return bytes([blobs]) * blob_size


def blob_sizes(blob: Collect[bytes]) -> list[int]:
    return [len(each) for each in blob]


def words(sentence: str) -> Parallelizable[str]:
    yield from sentence.split()


async def shouted(words: str) -> str:
    await asyncio.sleep(0.01)
    return words.upper()


def joined(shouted: Collect[str]) -> str:
    return " ".join(shouted)
