"""Fingerprints of narwhals wrappers (``narwhals.DataFrame``, ``Series``, ``LazyFrame``).

A wrapper behaves as its native object seen through the wrapper's API (``narwhals`` and
``narwhals.stable.v1`` differ), so its fingerprint is the wrapper's type and the native
object's fingerprint: a wrapped pandas frame hashes at pandas' speed, and a wrapped polars
LazyFrame, like the LazyFrame itself, gets none.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from hamilton import fingerprinting
from hamilton.fingerprinting import UNHASHABLE, Hasher
from hamilton.plugins.fingerprint_buffers import qualified_name


def hash_narwhals(value: Any, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("narwhals").add_text(qualified_name(type(value)))
    return hasher.hexdigest() if hasher.add_value(value.to_native(), depth + 1) else UNHASHABLE


FINGERPRINTERS = {nw.DataFrame: hash_narwhals, nw.LazyFrame: hash_narwhals, nw.Series: hash_narwhals}
