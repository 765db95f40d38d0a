"""Small helpers to report how much room a cache takes."""

from __future__ import annotations

import pathlib

_UNITS = ("B", "KB", "MB", "GB", "TB")


def get_directory_size(directory: str) -> float:
    """Total size in bytes of the files under ``directory`` (recursively)."""
    return float(sum(p.stat().st_size for p in pathlib.Path(directory).rglob("*") if p.is_file()))


def readable_bytes_size(n_bytes: float) -> str:
    """``1536`` -> ``"1.50 KB"`` (powers of 1024, two decimals)."""
    unit = 0
    while n_bytes > 1024.0 and unit < len(_UNITS) - 1:
        n_bytes /= 1024.0
        unit += 1
    return f"{n_bytes:.2f} {_UNITS[unit]}"
