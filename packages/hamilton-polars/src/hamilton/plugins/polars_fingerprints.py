"""Fingerprints of polars values, so the cache recognises a DataFrame or Series it has seen.

A fingerprint covers the schema (names and types) and every value, in order, through polars'
vectorised row hashes with fixed seeds: equal frames get equal fingerprints within one polars
version (polars does not promise its hashes stay the same across versions, so a polars upgrade
may recompute cached results once). LazyFrames are plans, not values: they get none.
"""

from __future__ import annotations

import hashlib
from typing import Any

import polars as pl

_SEED = 0  # fixed, so fingerprints are reproducible across processes


def _digest(kind: str, schema: str, hashes: pl.Series) -> str:
    digest = hashlib.sha256(f"{kind}\x00{schema}\x00{len(hashes)}\x00".encode())
    if len(hashes):
        # The row hashes as one compact buffer: 8 bytes per row, no Python objects per value.
        digest.update(pl.DataFrame({"h": hashes}).write_ipc(None, compression="uncompressed").getvalue())
    return digest.hexdigest()


def hash_polars_dataframe(df: pl.DataFrame, *args: Any, **kwargs: Any) -> str:
    """The fingerprint of a DataFrame: its schema and the hash of each row, in order."""
    hashes = df.hash_rows(seed=_SEED) if df.width else pl.Series("h", [], dtype=pl.UInt64)
    return _digest("polars.DataFrame", repr(list(df.schema.items())), hashes)


def hash_polars_series(series: pl.Series, *args: Any, **kwargs: Any) -> str:
    """The fingerprint of a Series: its name, type and the hash of each value, in order."""
    return _digest("polars.Series", f"{series.name}:{series.dtype}", series.hash(seed=_SEED))


FINGERPRINTERS = {pl.DataFrame: hash_polars_dataframe, pl.Series: hash_polars_series}
