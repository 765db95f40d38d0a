"""Building blocks the dataframe fingerprinters share (numpy, pandas, polars, pyarrow).

:class:`ByteStream` feeds a column's bytes into a :class:`~hamilton.fingerprinting.Hasher` cut
into fixed-size pieces, whatever buffers they arrive in: a contiguous column, a column in many
chunks and a strided array copied block by block all hash the same byte string the same way,
so equal values get equal fingerprints whatever their memory layout. Contiguous bytes are read
in place; a piece that spans two buffers is the only thing copied (at most one piece each).

:func:`add_texts` writes a list of ``str`` exactly (lengths and UTF-8 text), far faster than
fingerprinting each string as a Python value.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from hamilton.fingerprinting import Hasher

PIECE_BYTES = 1 << 22  # 4 MiB: large enough that framing costs nothing, small enough to copy


def qualified_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def byte_view(data: Any) -> memoryview:
    """A flat view of the bytes of a C-contiguous buffer, without copying."""
    view = data if isinstance(data, memoryview) else memoryview(data)
    if not view.c_contiguous:
        raise ValueError("byte_view needs a C-contiguous buffer")
    return view if view.format == "B" and view.ndim == 1 else view.cast("B")


class ByteStream:
    """One logical byte string written into a hasher as full pieces, a last short piece and
    the total length: how the bytes were split into ``write`` calls does not matter.

    A buffer's bytes are read in place; a short piece at the end of one buffer is referenced,
    not copied, and copied (at most one piece) only if another buffer follows to complete it.
    """

    __slots__ = ("_hasher", "_tail", "_total")

    def __init__(self, hasher: Hasher) -> None:
        self._hasher = hasher
        self._tail: memoryview | bytearray | None = None  # the started piece, shorter than a piece
        self._total = 0

    def write(self, data: Any) -> None:
        """Appends the bytes of a C-contiguous buffer."""
        view = byte_view(data)
        size = view.nbytes
        self._total += size
        position = 0
        if self._tail is not None:  # complete the piece the previous buffer started
            position = min(PIECE_BYTES - len(self._tail), size)
            piece = bytearray(self._tail)
            piece += view[:position]
            self._tail = piece
            if len(piece) == PIECE_BYTES:
                self._hasher.add_buffer(piece)
                self._tail = None
        while size - position >= PIECE_BYTES:
            self._hasher.add_buffer(view[position : position + PIECE_BYTES])
            position += PIECE_BYTES
        if position < size:
            self._tail = view[position:]

    def close(self) -> None:
        if self._tail is not None and len(self._tail):
            self._hasher.add_buffer(self._tail)
        self._tail = None
        self._hasher.add_int(self._total)


def add_texts(hasher: Hasher, values: Sequence[Any]) -> bool:
    """Adds ``values`` if every one is exactly a ``str`` (not a subclass): each string's length,
    then all of them as UTF-8. Returns False, adding nothing, otherwise."""
    if set(map(type, values)) - {str}:
        return False
    lengths = struct.pack(f"<{len(values)}q", *map(len, values))  # little-endian everywhere
    hasher.add_text("texts").add_int(len(values)).add_buffer(lengths)
    stream = ByteStream(hasher)
    stream.write("".join(values).encode("utf-8", "surrogatepass"))
    stream.close()
    return True
