"""Fingerprints of values: equal values get equal strings, so results can be cached by them.

:func:`hash_value` is a single-dispatch function with pure-Python implementations for the
standard types; plugins add their types (``hamilton_fingerprinters``) or users register them
directly: ``@hash_value.register(MyType)``. A value nothing knows how to fingerprint gets
:data:`UNHASHABLE`, which callers must treat as "never equal".
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence, Set
from typing import Any

from hamilton.plugins.dispatch import plugin_dispatch

UNHASHABLE = "<unhashable>"
NONE_HASH = "<none>"
MAX_DEPTH = 6


def set_max_depth(depth: int) -> None:
    """How deep :func:`hash_value` follows nested objects' ``__dict__`` (default 6)."""
    global MAX_DEPTH
    MAX_DEPTH = depth


def _digest(kind: str, payload: bytes) -> str:
    return hashlib.sha256(kind.encode() + b"\x00" + payload).hexdigest()


def _combine(kind: str, parts: list[str]) -> str:
    return _digest(kind, "\x1f".join(parts).encode())


@plugin_dispatch
def hash_value(obj: Any, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The fingerprint of ``obj``: its ``__dict__`` followed to :data:`MAX_DEPTH`, else UNHASHABLE."""
    if depth > MAX_DEPTH:
        return UNHASHABLE
    attributes = getattr(obj, "__dict__", None)
    if isinstance(attributes, dict):
        inner = hash_mapping(attributes, depth=depth + 1)
        if inner == UNHASHABLE:
            return UNHASHABLE
        return _combine(f"object:{type(obj).__module__}.{type(obj).__qualname__}", [inner])
    return UNHASHABLE


@hash_value.register(type(None))
def hash_none(obj: None, *args: Any, **kwargs: Any) -> str:
    return NONE_HASH


@hash_value.register(str)
@hash_value.register(int)
@hash_value.register(float)
@hash_value.register(bool)
@hash_value.register(complex)
def hash_primitive(obj: Any, *args: Any, **kwargs: Any) -> str:
    """Primitives hash their type and ``repr``: ``1``, ``1.0``, ``True`` and ``"1"`` all differ."""
    return _digest(type(obj).__name__, repr(obj).encode())


@hash_value.register(bytes)
@hash_value.register(bytearray)
def hash_bytes(obj: bytes, *args: Any, **kwargs: Any) -> str:
    return _digest("bytes", bytes(obj))


@hash_value.register(Sequence)
def hash_sequence(obj: Sequence, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """Order matters; a list and a tuple of equal items differ."""
    parts = [hash_value(item, depth=depth + 1) for item in obj]
    if UNHASHABLE in parts:
        return UNHASHABLE
    return _combine(f"sequence:{type(obj).__qualname__}", parts)


@hash_value.register(Mapping)
def hash_mapping(obj: Mapping, *args: Any, ignore_order: bool = True, depth: int = 0, **kwargs: Any) -> str:
    """Key order is ignored by default (``{a, b}`` == ``{b, a}``)."""
    parts = [hash_value(key, depth=depth + 1) + ":" + hash_value(value, depth=depth + 1) for key, value in obj.items()]
    if any(UNHASHABLE in part for part in parts):
        return UNHASHABLE
    return _combine("mapping", sorted(parts) if ignore_order else parts)


@hash_value.register(Set)
def hash_set(obj: Set, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    parts = sorted(hash_value(item, depth=depth + 1) for item in obj)
    if UNHASHABLE in parts:
        return UNHASHABLE
    return _combine("set", parts)
