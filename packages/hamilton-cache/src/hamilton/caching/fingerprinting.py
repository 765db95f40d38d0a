"""1.x's ``hamilton.caching.fingerprinting``: core's :mod:`hamilton.fingerprinting`, re-exported.

Register your own types on core's function (``@hash_value.register(MyType)``); this module is
the same function object. Names 1.x had that core does not are thin delegations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hamilton import fingerprinting as _core
from hamilton.fingerprinting import (
    NONE_HASH,
    UNHASHABLE,
    hash_bytes,
    hash_mapping,
    hash_none,
    hash_primitive,
    hash_sequence,
    hash_set,
    hash_value,
    set_max_depth,
)


def __getattr__(name: str) -> Any:
    # MAX_DEPTH lives in core and changes with set_max_depth(); always read the current value.
    if name == "MAX_DEPTH":
        return _core.MAX_DEPTH
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def hash_repr(obj: Any, *args: Any, **kwargs: Any) -> str:
    """Fingerprint of ``repr(obj)`` (for objects whose repr identifies their value)."""
    return _core.hash_primitive(repr(obj))


def hash_unordered_mapping(obj: Mapping, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """Fingerprint of a mapping, independent of key order."""
    return _core.hash_mapping(obj, ignore_order=True, depth=depth)


def _through_hash_value(obj: Any, *args: Any, **kwargs: Any) -> str:
    """DataFrame/array fingerprints come from the plugin that knows the type (e.g. hamilton-pandas)."""
    return _core.hash_value(obj, *args, **kwargs)


hash_pandas_obj = _through_hash_value
hash_polars_dataframe = _through_hash_value
hash_polars_column = _through_hash_value
hash_numpy_array = _through_hash_value

__all__ = [
    "NONE_HASH",
    "UNHASHABLE",
    "hash_bytes",
    "hash_mapping",
    "hash_none",
    "hash_numpy_array",
    "hash_pandas_obj",
    "hash_polars_column",
    "hash_polars_dataframe",
    "hash_primitive",
    "hash_repr",
    "hash_sequence",
    "hash_set",
    "hash_unordered_mapping",
    "hash_value",
    "set_max_depth",
]
