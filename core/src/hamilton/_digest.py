"""The hash under every fingerprint: XXH3-128 when ``xxhash`` is installed, else BLAKE2b-128.

Both take bytes-like objects without copying them, so contiguous numeric buffers (numpy arrays,
pandas/polars/pyarrow columns) are hashed where they lie: XXH3 at memory speed, BLAKE2b at about
1 GB/s. The algorithm is chosen once, at the first fingerprint (importing ``xxhash`` is not free
and ``import hamilton`` must stay cheap). A process with xxhash and one without compute different
fingerprints for the same value: a cache they share misses, it never confuses two values.

:class:`Hasher` is the helper plugins build their fingerprints with: every part it adds is
framed (a tag and a length), so no two different sequences of parts hash the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from collections.abc import Callable
from typing import Any

_pack_length = struct.Struct("<Q").pack
_factory: Callable[[], Any] | None = None


def _choose_factory() -> Callable[[], Any]:
    try:
        import xxhash
    except ImportError:
        return functools.partial(hashlib.blake2b, digest_size=16)
    return xxhash.xxh3_128


def new_hash() -> Any:
    """A fresh hash object (``update(buffer)``, ``digest()``, ``hexdigest()``)."""
    global _factory
    if _factory is None:
        _factory = _choose_factory()
    return _factory()


def algorithm() -> str:
    """The name of the hash fingerprints use in this process: ``"xxh3_128"`` or ``"blake2b-128"``."""
    return "xxh3_128" if type(new_hash()).__module__.startswith("xxhash") else "blake2b-128"


def as_bytes_view(data: Any) -> memoryview:
    """A flat byte view of a C-contiguous buffer (no copy); ``ValueError`` if it is strided."""
    view = data if isinstance(data, memoryview) else memoryview(data)
    if not view.c_contiguous:
        raise ValueError("a fingerprint can only read C-contiguous buffers; copy the data first")
    return view.cast("B") if view.format != "B" or view.ndim != 1 else view


class Hasher:
    """One fingerprint built from framed parts; what plugins use for their types.

    ``Hasher("pandas.DataFrame").add_text(dtype).add_buffer(values).hexdigest()``. Parts are
    tagged and length-prefixed, so ``add_text("ab")`` then ``add_text("c")`` differs from
    ``add_text("a")`` then ``add_text("bc")``. The result is a 32-character hex string.
    """

    __slots__ = ("_hash",)

    def __init__(self, kind: str) -> None:
        self._hash = new_hash()
        self.add_text(kind)

    def add_text(self, text: str) -> Hasher:
        data = text.encode("utf-8", "surrogatepass")
        self._hash.update(b"s" + _pack_length(len(data)) + data)
        return self

    def add_int(self, number: int) -> Hasher:
        data = number.to_bytes((number.bit_length() + 8) // 8, "little", signed=True)
        self._hash.update(b"i" + _pack_length(len(data)) + data)
        return self

    def add_buffer(self, data: Any) -> Hasher:
        """The bytes of a C-contiguous buffer (bytes, memoryview, numpy array...), read in place."""
        view = as_bytes_view(data)
        self._hash.update(b"b" + _pack_length(view.nbytes))
        self._hash.update(view)
        return self

    def add_value(self, value: Any, depth: int = 0) -> bool:
        """The fingerprint of any value (:func:`hamilton.fingerprinting.hash_value`), nested.

        Returns ``False`` when the value has no fingerprint: the caller must then return
        :data:`hamilton.fingerprinting.UNHASHABLE` itself.
        """
        from hamilton.fingerprinting import hash_value, is_unhashable

        fingerprint = hash_value(value, depth=depth)
        if is_unhashable(fingerprint):
            return False
        self.add_text(fingerprint)
        return True

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
