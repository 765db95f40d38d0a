"""Fingerprints of values: equal values get equal strings, so results can be cached by them.

:func:`hash_value` is a single-dispatch function. Core fingerprints the standard types (and
callables, classes and objects by their state, see :mod:`hamilton._fingerprint_objects`);
plugins add their types (``hamilton_fingerprinters``: DataFrames, arrays) or users register
them directly: ``@hash_value.register(MyType)``. A value nothing can fingerprint soundly gets
:data:`UNHASHABLE`, which callers must treat as "never equal to anything".

The promise is one-sided and strict: two values with the same fingerprint are interchangeable
for any node that receives them (same type, same content, same order where order matters).
Two equal values may still get different fingerprints (``1`` and ``1.0``, ``[1]`` and ``(1,)``,
``0.0`` and ``-0.0``): that only costs a recomputation.

How a fingerprint is made: the value is written as a canonical byte stream (a tag per type,
lengths before contents, little-endian numbers, UTF-8 text, dict and set entries hashed one by
one and sorted) into one hash (:mod:`hamilton._digest`: XXH3-128, or BLAKE2b-128 without
xxhash). Nothing in it depends on memory addresses, ``hash()`` or ``PYTHONHASHSEED``, so
fingerprints are the same in every process and on every machine with the same library
versions. Containers are walked with an explicit stack (any nesting depth works) and a
container that contains itself is written as a reference to the enclosing one; nested objects
count towards :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import collections
import struct
import threading
from collections.abc import Mapping, Sequence, Set
from typing import Any

from hamilton._digest import Hasher, new_hash
from hamilton.plugins.dispatch import plugin_dispatch

__all__ = [
    "MAX_DEPTH",
    "NONE_HASH",
    "UNHASHABLE",
    "Hasher",
    "hash_bytes",
    "hash_mapping",
    "hash_none",
    "hash_primitive",
    "hash_sequence",
    "hash_set",
    "hash_value",
    "is_unhashable",
    "set_max_depth",
]

UNHASHABLE = "<unhashable>"
NONE_HASH = "<none>"
MAX_DEPTH = 6

_pack_length = struct.Struct("<Q").pack
_pack_float = struct.Struct("<d").pack
_pack_complex = struct.Struct("<dd").pack
_FLUSH_AT = 1 << 16  # bytes buffered before they go to the hash


def set_max_depth(depth: int) -> None:
    """How many objects deep :func:`hash_value` follows objects' state (default 6).

    Deeper objects make the whole value UNHASHABLE (never a truncated, shared fingerprint).
    Lists, tuples, dicts and sets (and their subclasses: namedtuples, OrderedDicts,
    defaultdicts, deques...) do not count: they are followed to any depth.
    """
    global MAX_DEPTH
    MAX_DEPTH = depth


def is_unhashable(fingerprint: str) -> bool:
    """Whether ``fingerprint`` marks a value without a fingerprint (``UNHASHABLE``, or the
    ``"<unhashable>_<uuid>"`` data versions the cache gives such values)."""
    return fingerprint.startswith(UNHASHABLE)


class Unhashable(Exception):
    """Raised inside a walk when some part of the value has no fingerprint."""


def _int_bytes(number: int) -> bytes:
    return number.to_bytes((number.bit_length() + 8) // 8, "little", signed=True)


def _type_name(cls: type) -> bytes:
    return f"{cls.__module__}.{cls.__qualname__}".encode("utf-8", "surrogatepass")


def _framed(tag: bytes, data: bytes) -> bytes:
    return tag + _pack_length(len(data)) + data


# -- the walk ------------------------------------------------------------------------------------
# Kinds of values the walk writes itself. Exact types map to their kind directly; subclasses
# (a namedtuple, an OrderedDict, np.float64) get the kind of the core implementation they
# dispatch to, prefixed with their type's name.
_ATOM, _SEQUENCE, _MAPPING, _ORDERED_MAPPING, _SET = range(5)
_END = object()


def _atom_bytes(value: Any, cls: type) -> bytes | None:
    """The encoding of a scalar of a builtin scalar type (or subclass), or None if not one."""
    if value is None:
        return b"N"
    if issubclass(cls, bool):
        return b"T" if value else b"F"
    if issubclass(cls, int):
        return _framed(b"i", _int_bytes(int(value)))
    if issubclass(cls, float):
        return b"f" + _pack_float(value)
    if issubclass(cls, str):
        return _framed(b"s", str.encode(value, "utf-8", "surrogatepass"))
    if issubclass(cls, (bytes, bytearray)):
        return _framed(b"b" if issubclass(cls, bytes) else b"B", bytes(value))
    if issubclass(cls, complex):
        return b"c" + _pack_complex(value.real, value.imag)
    if value is Ellipsis:
        return b"E"
    return None


class _Sink:
    """A hash fed through a byte buffer (many small writes cost one ``update``)."""

    __slots__ = ("buffer", "hash")

    def __init__(self) -> None:
        self.hash = new_hash()
        self.buffer = bytearray()

    def write_large(self, data: bytes | memoryview) -> None:
        self.hash.update(self.buffer)
        self.buffer.clear()
        self.hash.update(data)

    def digest(self) -> bytes:
        self.hash.update(self.buffer)
        self.buffer.clear()
        return self.hash.digest()

    def hexdigest(self) -> str:
        self.hash.update(self.buffer)
        self.buffer.clear()
        return self.hash.hexdigest()


class _Unordered:
    """A dict or set being walked: each entry hashed on its own, digests sorted at the end."""

    __slots__ = ("current", "digests", "pairs")

    def __init__(self, pairs: bool) -> None:
        self.digests: list[bytes] = []
        self.current: _Sink | None = None
        self.pairs = pairs


def _walk(root: Any, depth: int, sink: _Sink, root_kind: int | None = None) -> None:
    """Write ``root``'s canonical encoding into ``sink``; raises :class:`Unhashable`.

    An explicit stack of frames ``[sink, iterator, container id, unordered state]`` replaces
    recursion, so nesting depth is unlimited. ``on_path`` holds the containers being written,
    so a container met again inside itself is written as a reference to its level.
    """
    stack: list[list[Any]] = []
    on_path: dict[int, int] = {}
    native = _native_kinds
    dispatch = hash_value.dispatch
    headers: dict[type, tuple[bytes, bool]] = {}  # subclass -> (its header, may hold state)

    def emit(value: Any, out: _Sink, forced_kind: int | None = None) -> None:
        cls = type(value)
        kind = native.get(cls)
        if kind is None:
            implementation = dispatch(cls)
            kind = _kind_of_implementation.get(implementation)
            if kind is None and forced_kind is None:  # a type with its own fingerprint
                fingerprint = implementation(value, depth=depth + 1)
                if not isinstance(fingerprint, str) or is_unhashable(fingerprint):
                    raise Unhashable(cls)
                out.buffer += _framed(b"x", _type_name(cls)) + _framed(b"", fingerprint.encode())
                return
            # a subclass (or an ABC implementation) walked as its base: its class counts, with
            # its methods' code, and so does what it holds besides (attributes, slots, a
            # defaultdict's default_factory, a deque's maxlen)
            header = headers.get(cls)
            if header is None:
                digest = _objects.class_digest(cls).encode()
                header = headers[cls] = (_framed(b"t", digest), _objects.may_hold_state(cls))
            out.buffer += header[0]
            extra = _objects.instance_state(value) if header[1] else None
            if extra:
                out.buffer += _framed(b"a", _digest_of(extra, depth + 1))
            if kind == _MAPPING and isinstance(value, collections.OrderedDict):
                kind = _ORDERED_MAPPING  # OrderedDicts compare in order
        if forced_kind is not None:
            kind = forced_kind
        if kind == _ATOM:
            encoded = _atom_bytes(value, cls)
            if encoded is None:
                raise Unhashable(cls)
            if len(encoded) > _FLUSH_AT:
                out.write_large(encoded)
            else:
                out.buffer += encoded
                if len(out.buffer) > _FLUSH_AT:
                    out.write_large(b"")
            return
        identity = id(value)
        level = on_path.get(identity)
        if level is not None:
            out.buffer += b"@" + _pack_length(level)
            return
        on_path[identity] = len(on_path)
        if kind == _SEQUENCE:
            out.buffer += _container_tags.get(cls, b"[") + _pack_length(len(value))
            stack.append([out, iter(value), identity, None])
        elif kind == _ORDERED_MAPPING:
            out.buffer += b"O" + _pack_length(len(value))
            stack.append([out, _flat_items(value), identity, None])
        else:  # unordered: mapping entries or set elements, each digested alone
            out.buffer += _container_tags.get(cls, b"{" if kind == _MAPPING else b"<") + _pack_length(len(value))
            items = iter(value.items()) if kind == _MAPPING else iter(value)
            stack.append([out, items, identity, _Unordered(pairs=kind == _MAPPING)])

    emit(root, sink, root_kind)
    while stack:
        frame = stack[-1]
        unordered = frame[3]
        if unordered is None:
            item = next(frame[1], _END)
            if item is _END:
                stack.pop()
                if frame[2] is not None:
                    del on_path[frame[2]]
            else:
                emit(item, frame[0])
            continue
        if unordered.current is not None:
            unordered.digests.append(unordered.current.digest())
            unordered.current = None
        element = next(frame[1], _END)
        if element is _END:
            stack.pop()
            if frame[2] is not None:
                del on_path[frame[2]]
            unordered.digests.sort()
            frame[0].write_large(b"".join(unordered.digests))
            continue
        unordered.current = entry = _Sink()
        if unordered.pairs:  # key then value, written as one entry
            stack.append([entry, iter(element), None, None])
        else:
            emit(element, entry)


def _flat_items(mapping: Mapping) -> Any:
    for key, value in mapping.items():
        yield key
        yield value


def _digest_of(value: Any, depth: int) -> bytes:
    if depth > MAX_DEPTH:
        raise Unhashable(type(value))
    sink = _Sink()
    _walk(value, depth, sink)
    return sink.digest()


def fingerprint_of(value: Any, depth: int = 0, root_kind: int | None = None) -> str:
    """The walk's hex digest of ``value``, or UNHASHABLE."""
    if root_kind is None and _native_kinds.get(type(value)) == _ATOM:  # a scalar: no walk needed
        digest = new_hash()
        digest.update(_atom_bytes(value, type(value)))
        return digest.hexdigest()
    sink = _Sink()
    try:
        _walk(value, depth, sink, root_kind)
    except Unhashable:
        return UNHASHABLE
    return sink.hexdigest()


# -- the public single-dispatch function ---------------------------------------------------------
@plugin_dispatch
def hash_value(obj: Any, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The fingerprint of ``obj``; see the module docstring for what it promises.

    Types without an implementation of their own are fingerprinted by what defines them:
    callables by their code, bound arguments and closure; classes by name and methods' code;
    objects by their class and state (``__dict__``/``__slots__``); other objects by the state
    pickle would save. An object without any state, or nested deeper than :data:`MAX_DEPTH`,
    is UNHASHABLE.
    """
    if depth > MAX_DEPTH:
        return UNHASHABLE
    return _objects.fingerprint_object(obj, depth)


@hash_value.register(type(None))
def hash_none(obj: None, *args: Any, **kwargs: Any) -> str:
    return NONE_HASH


@hash_value.register(str)
@hash_value.register(int)
@hash_value.register(float)
@hash_value.register(bool)
@hash_value.register(complex)
def hash_primitive(obj: Any, *args: Any, **kwargs: Any) -> str:
    """Type and value: ``1``, ``1.0``, ``True`` and ``"1"`` all differ."""
    return fingerprint_of(obj)


@hash_value.register(bytes)
@hash_value.register(bytearray)
def hash_bytes(obj: bytes, *args: Any, **kwargs: Any) -> str:
    return fingerprint_of(obj)


@hash_value.register(Sequence)
def hash_sequence(obj: Sequence, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """Items in order; the sequence's type counts (a list and a tuple of equal items differ)."""
    return fingerprint_of(obj, depth)


@hash_value.register(Mapping)
def hash_mapping(obj: Mapping, *args: Any, ignore_order: bool = True, depth: int = 0, **kwargs: Any) -> str:
    """Entries regardless of order by default (``{a, b}`` == ``{b, a}``, as ``==`` says);
    ``ignore_order=False`` makes the order count (as it does for ``OrderedDict``)."""
    if not ignore_order:
        return fingerprint_of(obj, depth, _ORDERED_MAPPING)
    return fingerprint_of(obj, depth)


@hash_value.register(Set)
def hash_set(obj: Set, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    return fingerprint_of(obj, depth)


_native_kinds: dict[type, int] = {
    type(None): _ATOM,
    bool: _ATOM,
    int: _ATOM,
    float: _ATOM,
    complex: _ATOM,
    str: _ATOM,
    bytes: _ATOM,
    bytearray: _ATOM,
    type(Ellipsis): _ATOM,
    list: _SEQUENCE,
    tuple: _SEQUENCE,
    dict: _MAPPING,
    set: _SET,
    frozenset: _SET,
}
# list and tuple, set and frozenset differ: their tags come from the exact type.
_container_tags = {list: b"L", tuple: b"U", dict: b"D", set: b"S", frozenset: b"Z"}
_kind_of_implementation = {
    hash_none: _ATOM,
    hash_primitive: _ATOM,
    hash_bytes: _ATOM,
    hash_sequence: _SEQUENCE,
    hash_mapping: _MAPPING,
    hash_set: _SET,
}

_local = threading.local()


def objects_in_progress() -> dict[int, int]:
    """Objects whose state is being fingerprinted on this thread (id -> level), for cycles."""
    active = getattr(_local, "active", None)
    if active is None:
        active = _local.active = {}
    return active


from hamilton import _fingerprint_objects as _objects  # noqa: E402  (registers the standard types)
