"""The fingerprint of a :class:`Table`, for Hamilton's caching (``hamilton.fingerprinting``)."""

from __future__ import annotations

import hashlib
from typing import Any

from hamilton import fingerprinting
from hamilton_example_plugin.table import Table


def fingerprint_table(table: Table, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """Equal tables (same column names, order and values) get equal fingerprints.

    The signature matters: ``hash_value`` is a ``functools.singledispatch`` function, and core
    calls it with ``depth=`` (and may pass more) when the table is nested in a list or a dict.
    Each column is fingerprinted by core's own ``hash_value`` (one level deeper).
    """
    parts = []
    for name in table.column_names:
        column = fingerprinting.hash_value(table.column(name), depth=depth + 1)
        if column == fingerprinting.UNHASHABLE:
            return fingerprinting.UNHASHABLE
        parts.append(f"{name!r}={column}")
    return hashlib.sha256(("hamilton_example_plugin.Table\x00" + "\x1f".join(parts)).encode()).hexdigest()
