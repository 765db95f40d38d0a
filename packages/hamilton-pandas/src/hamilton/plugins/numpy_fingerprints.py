"""Fingerprints of numpy arrays and scalars, at memory speed.

An array's fingerprint covers its type, dtype (``dtype.str``, plus the fields of a structured
dtype), shape and its elements in C order. Numeric, boolean, datetime, bytes and unicode
elements are hashed as raw bytes: a C-contiguous array is read in place (no copy), any other
layout (Fortran order, sliced views) is copied in blocks of a few MiB, so it costs no more
memory than that and hashes the same as its contiguous copy. Object arrays (and other dtypes
whose bytes are pointers) are fingerprinted element by element, as Python values. A subclass
adds its own state: a masked array its mask, fill value and hardness, a memmap its file.

Equal values may still get different fingerprints (``-0.0`` and ``0.0``, NaNs with different
payloads, the bytes under a mask or in the padding of a structured dtype): that only costs a
recomputation, never a wrong cache hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from hamilton import fingerprinting
from hamilton.fingerprinting import UNHASHABLE, Hasher
from hamilton.plugins.fingerprint_buffers import PIECE_BYTES, ByteStream, add_texts, qualified_name

_RAW_KINDS = frozenset("biufcmMSUV")  # dtypes whose bytes are their values (unless they hold objects)


def _dtype_text(dtype: np.dtype) -> str:
    """Byte order, kind and size (``<f8``); fields, offsets and alignment of structured dtypes."""
    text = f"{dtype.str}|{dtype.char}"
    if dtype.names is not None:
        text += f"|{dtype.descr!r}|{dtype.isalignedstruct}"
    if dtype.kind not in _RAW_KINDS:  # e.g. StringDType(na_object=...)
        text += f"|{dtype!r}"
    return text


def _c_order_blocks(array: np.ndarray) -> Iterator[np.ndarray]:
    """The elements in C order as C-contiguous arrays: the array itself if it is contiguous,
    else copies of at most about :data:`PIECE_BYTES` each (one row at a time for huge rows)."""
    if array.flags.c_contiguous:
        yield array
        return
    rows = array.shape[0]
    row_bytes = array.nbytes // rows  # not contiguous, so not empty
    if row_bytes <= PIECE_BYTES:
        step = max(1, PIECE_BYTES // max(row_bytes, 1))
        for start in range(0, rows, step):
            yield np.ascontiguousarray(array[start : start + step])
    else:
        for row in array:
            yield from _c_order_blocks(row)


def _add_raw_contents(hasher: Hasher, array: np.ndarray) -> None:
    stream = ByteStream(hasher)
    for block in _c_order_blocks(array):
        stream.write(block.reshape(-1).view(np.uint8))  # a view: datetimes export no buffer
    stream.close()


def _subclass_state(array: np.ndarray) -> dict[str, Any]:
    """What a subclass instance holds beyond its elements."""
    if isinstance(array, np.ma.MaskedArray):
        mask = np.ma.getmask(array)
        return {
            "mask": None if mask is np.ma.nomask else np.asarray(mask),
            "fill_value": array.fill_value,
            "hardmask": array.hardmask,
            "baseclass": array.baseclass,
        }
    if isinstance(array, np.memmap):  # its file; the mmap object itself is the same bytes again
        return {"filename": array.filename, "offset": array.offset, "mode": array.mode}
    state = getattr(array, "__dict__", None)
    return dict(state) if isinstance(state, dict) else {}


def add_ndarray(hasher: Hasher, array: np.ndarray, depth: int = 0) -> bool:
    """Adds an array's type, dtype, shape and elements to ``hasher``; False if some element or
    some state of a subclass has no fingerprint (the caller then returns UNHASHABLE)."""
    dtype = array.dtype
    hasher.add_text("ndarray").add_text(qualified_name(type(array))).add_text(_dtype_text(dtype))
    hasher.add_int(array.ndim)
    for size in array.shape:
        hasher.add_int(size)
    if dtype.metadata and not hasher.add_value(dict(dtype.metadata), depth + 1):
        return False
    plain = array if type(array) is np.ndarray else array.view(np.ndarray)
    if dtype.hasobject or dtype.kind not in _RAW_KINDS:  # bytes are pointers: go by element
        values = plain.reshape(-1).tolist()
        hasher.add_text("elements")
        if not (add_texts(hasher, values) or hasher.add_value(values, depth + 1)):
            return False
    else:
        hasher.add_text("bytes")
        _add_raw_contents(hasher, plain)
    if plain is not array:
        return hasher.add_value(_subclass_state(array), depth + 1)
    return True


def hash_ndarray(array: np.ndarray, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The fingerprint of an array (see the module docstring)."""
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("numpy.ndarray")
    return hasher.hexdigest() if add_ndarray(hasher, array, depth) else UNHASHABLE


def hash_numpy_scalar(value: np.generic, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """A numpy scalar: its exact type (``np.longlong`` is not ``np.int64``), dtype and bytes."""
    if depth > fingerprinting.MAX_DEPTH:
        return UNHASHABLE
    hasher = Hasher("numpy.generic").add_text(qualified_name(type(value)))
    return hasher.hexdigest() if add_ndarray(hasher, np.asarray(value), depth) else UNHASHABLE


# Scalars that subclass a builtin (np.float64 is a float) keep core's fingerprint, which they
# get before this plugin is loaded too: the type and the builtin value, exactly.
FINGERPRINTERS = {
    np.ndarray: hash_ndarray,
    np.generic: hash_numpy_scalar,
    np.float64: fingerprinting.hash_primitive,
    np.complex128: fingerprinting.hash_primitive,
    np.str_: fingerprinting.hash_primitive,
    np.bytes_: fingerprinting.hash_bytes,
}
