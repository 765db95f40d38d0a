"""Fingerprints of pyarrow tables, record batches, chunked arrays and arrays.

What is mixed in: the schema as Arrow serialises it (names, types, nullability, field and
schema metadata), the number of rows and, chunk by chunk, each chunk's length, null count and
the bytes that hold its values, read in place:

* validity and boolean bitmaps: the chunk's bits, as if they started a byte (read in place
  when they do; shifted, a block at a time, when the chunk starts inside a byte), without the
  undefined bits past the chunk's end;
* fixed-width values (numbers, temporals, decimals, fixed-size binary): exactly the chunk's
  ``length * width`` bytes, wherever the chunk starts in its buffer;
* strings and binaries: the chunk's offsets (counted from its first string) and the data
  bytes between its first and last offset; views (``string_view``): the chunk's views and
  every data buffer they may point into;
* lists and maps: their offsets (counted from the first) and the slice of the child array
  they cover; fixed-size lists: the slice of the child they cover; structs: each field
  (sliced like the struct); all recursively, so nested columns are read in place too;
* dictionaries: indices and dictionary; extension types: their storage (the extension's name
  and metadata are in the serialised type);
* other nested types (unions, run-end encoded, list views): the chunk written as an Arrow
  IPC stream, which carries exactly its values (a copy of the chunk).

Slices of one buffer at different offsets therefore never share a fingerprint unless their
values are equal, and equal slices mostly share one wherever they start. Equal columns may
still get different fingerprints (split into other chunks; bytes under nulls; views or IPC
chunks sliced from different places): that costs a recomputation, never a wrong cache hit.
"""

from __future__ import annotations

import struct
from typing import Any

import pyarrow as pa

from hamilton.fingerprinting import UNHASHABLE, Hasher
from hamilton.plugins.fingerprint_buffers import ByteStream, qualified_name

_INT32, _INT64 = struct.Struct("=i"), struct.Struct("=q")
_OFFSET_FORMATS = {"binary": _INT32, "large_binary": _INT64, "list": _INT32, "large_list": _INT64}
_VIEW_BYTES = 16
_BITMAP_BLOCK = 1 << 16  # bytes of an unaligned bitmap shifted at once


def _layout(data_type: pa.DataType) -> str:
    """How a chunk of this type is hashed (see the module docstring)."""
    types = pa.types
    if isinstance(data_type, pa.BaseExtensionType):
        return "extension"
    if types.is_dictionary(data_type):
        return "dictionary"
    if types.is_null(data_type):
        return "null"
    if types.is_boolean(data_type):
        return "bits"
    if types.is_string(data_type) or types.is_binary(data_type):
        return "binary"
    if types.is_large_string(data_type) or types.is_large_binary(data_type):
        return "large_binary"
    if types.is_string_view(data_type) or types.is_binary_view(data_type):
        return "view"
    if types.is_list(data_type) or types.is_map(data_type):
        return "list"
    if types.is_large_list(data_type):
        return "large_list"
    if types.is_fixed_size_list(data_type):
        return "fixed_size_list"
    if types.is_struct(data_type):
        return "struct"
    if types.is_nested(data_type) or types.is_union(data_type) or types.is_run_end_encoded(data_type):
        return "ipc"
    try:
        width = data_type.bit_width
    except ValueError:
        return "ipc"
    return "fixed" if width % 8 == 0 and data_type.num_buffers == 2 else "ipc"


def _bytes(buffer: pa.Buffer | None) -> memoryview:
    return memoryview(buffer).cast("B") if buffer is not None else memoryview(b"")


def _add_bits(hasher: Hasher, buffer: pa.Buffer, offset: int, length: int) -> None:
    """Bits ``offset .. offset + length`` of a bitmap, written as if they started a byte (so a
    slice hashes the same wherever it starts), without the undefined bits past their end.
    Byte-aligned bits are read in place; others are shifted a block at a time."""
    view = _bytes(buffer)
    start, shift = divmod(offset, 8)
    full, rest = divmod(length, 8)
    stream = ByteStream(hasher)
    if shift == 0:
        stream.write(view[start : start + full])
        last = view[start + full] if rest else 0
    else:
        for block in range(0, full, _BITMAP_BLOCK):
            size = min(_BITMAP_BLOCK, full - block)
            covering = view[start + block : start + block + size + 1]  # the next byte holds high bits
            shifted = int.from_bytes(covering, "little") >> shift
            stream.write((shifted & ((1 << 8 * size) - 1)).to_bytes(size, "little"))
        last = int.from_bytes(view[start + full : (offset + length + 7) // 8], "little") >> shift if rest else 0
    stream.close()
    hasher.add_int(last & ((1 << rest) - 1))


def _rebased(offsets: memoryview, first: int, width: int) -> Any:
    """Offsets counted from the chunk's first string, so equal slices hash equal wherever they
    start in their data buffer (a copy of the offsets only when they do not start at 0)."""
    if first == 0:
        return offsets
    import pyarrow.compute as pc

    offset_type = pa.int32() if width == 4 else pa.int64()
    absolute = pa.Array.from_buffers(offset_type, len(offsets) // width, [None, pa.py_buffer(offsets)])
    return _bytes(pc.subtract(absolute, pa.scalar(first, offset_type)).buffers()[1])[: len(offsets)]


def _add_ipc(hasher: Hasher, array: pa.Array) -> bool:
    """The chunk as an Arrow IPC stream; False if Arrow cannot write it."""
    sink = pa.BufferOutputStream()
    try:
        batch = pa.RecordBatch.from_arrays([array], names=[""])
        with pa.ipc.new_stream(sink, batch.schema) as writer:
            writer.write_batch(batch)
    except pa.ArrowException:
        return False
    hasher.add_buffer(sink.getvalue())
    return True


def add_array(hasher: Hasher, array: pa.Array) -> bool:
    """Adds one chunk's length, nulls and values (its type is the caller's to add); False if
    its buffers are not in main memory."""
    layout = _layout(array.type)
    length = len(array)
    hasher.add_text(layout).add_int(length)
    if layout == "extension":
        return add_array(hasher, array.storage)
    if layout == "dictionary":
        return add_array(hasher, array.indices) and add_array(hasher, array.dictionary)
    buffers = array.buffers()
    if any(buffer is not None and not buffer.is_cpu for buffer in buffers):
        return False
    if layout == "ipc":
        return _add_ipc(hasher, array)
    if layout == "null" or length == 0:
        return True
    offset, nulls = array.offset, array.null_count
    hasher.add_int(nulls)
    if nulls:
        _add_bits(hasher, buffers[0], offset, length)
    if layout == "bits":
        _add_bits(hasher, buffers[1], offset, length)
    elif layout == "fixed":
        width = array.type.bit_width // 8
        hasher.add_buffer(_bytes(buffers[1])[offset * width : (offset + length) * width])
    elif layout == "view":
        hasher.add_buffer(_bytes(buffers[1])[offset * _VIEW_BYTES : (offset + length) * _VIEW_BYTES])
        hasher.add_int(len(buffers) - 2)
        for data in buffers[2:]:
            hasher.add_buffer(_bytes(data))
    elif layout == "struct":  # field(i) is the child sliced like the struct
        return all(add_array(hasher, array.field(i)) for i in range(array.type.num_fields))
    elif layout == "fixed_size_list":  # `values` ignores the list's offset
        size = array.type.list_size
        return add_array(hasher, array.values.slice(offset * size, length * size))
    else:  # offsets into a data buffer (strings, binaries) or into a child array (lists, maps)
        first, last = _add_offsets(hasher, buffers[1], offset, length, _OFFSET_FORMATS[layout])
        if layout in ("list", "large_list"):  # `values` ignores the list's offset
            return add_array(hasher, array.values.slice(first, last - first))
        hasher.add_buffer(_bytes(buffers[2])[first:last])
    return True


def _add_offsets(hasher: Hasher, buffer: pa.Buffer, offset: int, length: int, unpack: struct.Struct) -> tuple[int, int]:
    """Adds the chunk's offsets, counted from its first one; returns the first and the last."""
    width = unpack.size
    offsets = _bytes(buffer)[offset * width : (offset + length + 1) * width]
    first, last = unpack.unpack_from(offsets, 0)[0], unpack.unpack_from(offsets, length * width)[0]
    hasher.add_buffer(_rebased(offsets, first, width))
    return first, last


def add_type(hasher: Hasher, data_type: pa.DataType) -> None:
    """The type as Arrow serialises it (``str(type)`` leaves out e.g. nested fields' metadata)."""
    hasher.add_buffer(pa.schema([pa.field("", data_type)]).serialize())


def add_chunked_array(hasher: Hasher, chunked: pa.ChunkedArray) -> bool:
    """Type, length and every non-empty chunk."""
    add_type(hasher, chunked.type)
    chunks = [chunk for chunk in chunked.chunks if len(chunk)]
    hasher.add_int(len(chunked)).add_int(len(chunks))
    return all(add_array(hasher, chunk) for chunk in chunks)


def hash_array(array: pa.Array, *args: Any, **kwargs: Any) -> str:
    hasher = Hasher("pyarrow.Array").add_text(qualified_name(type(array)))
    add_type(hasher, array.type)
    return hasher.hexdigest() if add_array(hasher, array) else UNHASHABLE


def hash_chunked_array(chunked: pa.ChunkedArray, *args: Any, **kwargs: Any) -> str:
    hasher = Hasher("pyarrow.ChunkedArray").add_text(qualified_name(type(chunked)))
    return hasher.hexdigest() if add_chunked_array(hasher, chunked) else UNHASHABLE


def hash_table(table: pa.Table | pa.RecordBatch, *args: Any, **kwargs: Any) -> str:
    """Schema (with metadata), number of rows and every column."""
    hasher = Hasher("pyarrow.Table").add_text(qualified_name(type(table)))
    hasher.add_buffer(table.schema.serialize()).add_int(table.num_rows).add_int(table.num_columns)
    for column in table.columns:
        ok = add_chunked_array(hasher, column) if isinstance(column, pa.ChunkedArray) else add_array(hasher, column)
        if not ok:
            return UNHASHABLE
    return hasher.hexdigest()


FINGERPRINTERS = {
    pa.Array: hash_array,
    pa.ChunkedArray: hash_chunked_array,
    pa.Table: hash_table,
    pa.RecordBatch: hash_table,
}
