"""``executor("inline_threads")``: a thread pool with a small default size."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

DEFAULT_MAX_WORKERS = 4


def inline_threads(max_workers: int = DEFAULT_MAX_WORKERS, **options: Any) -> ThreadPoolExecutor:
    """A ``ThreadPoolExecutor`` (``max_workers`` defaults to 4; other options pass through)."""
    options.setdefault("thread_name_prefix", "hamilton-example")
    return ThreadPoolExecutor(max_workers=max_workers, **options)
