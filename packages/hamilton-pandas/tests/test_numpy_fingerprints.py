"""Fingerprints of numpy arrays and scalars: equal arrays hash equal whatever their memory
layout, arrays that differ in anything (a value, dtype, shape, mask...) never do."""

from __future__ import annotations

import textwrap
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hamilton import driver, fingerprinting
from hamilton.ad_hoc_utils import module_from_source
from hamilton.plugins import numpy_extensions, numpy_fingerprints
from hamilton.plugins.fingerprint_buffers import PIECE_BYTES
from hamilton.plugins.testing import FingerprinterContract, assert_fingerprints_differ, outputs_of_fresh_processes

hash_value = fingerprinting.hash_value
PROPERTIES = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class TestArrayFingerprints(FingerprinterContract):
    plugin = numpy_extensions

    def make_values(self):
        return [np.array([1, 2]), np.array([2, 1]), np.array([1.0, 2.0]), np.array([[1, 2]])]

    def make_equal_pair(self):
        return np.array([1.5, np.nan]), np.array([1.5, np.nan])


def test_the_plugin_registers_arrays_and_scalars():
    assert numpy_extensions.hamilton_fingerprinters() is numpy_fingerprints.FINGERPRINTERS
    hash_value(np.zeros(1))  # loads the plugin if nothing did yet
    assert hash_value.dispatch(np.ndarray) is numpy_fingerprints.hash_ndarray
    assert hash_value.dispatch(np.int32) is numpy_fingerprints.hash_numpy_scalar


def test_equal_arrays_hash_equal_whatever_their_layout():
    array = np.arange(24, dtype=np.float64).reshape(4, 6)
    fingerprint = hash_value(array)
    assert hash_value(array.copy()) == fingerprint
    assert hash_value(np.asfortranarray(array)) == fingerprint
    assert not np.asfortranarray(array).flags.c_contiguous
    wide = np.zeros((4, 12))
    wide[:, ::2] = array  # a strided view holding the same values
    assert hash_value(wide[:, ::2]) == fingerprint
    assert hash_value(array[::-1][::-1]) == fingerprint
    assert hash_value(np.arange(30.0)[3:27].reshape(4, 6) - 3) == fingerprint


def test_large_non_contiguous_arrays_hash_like_their_contiguous_copy():
    array = np.arange(3 * PIECE_BYTES // 8 + 5, dtype=np.int64).reshape(-1, 1)  # more than 3 pieces
    fortran = np.asfortranarray(np.hstack([array, array]))
    assert hash_value(fortran) == hash_value(np.ascontiguousarray(fortran))
    assert hash_value(fortran[::2]) == hash_value(np.ascontiguousarray(fortran[::2]))
    huge_rows = np.asfortranarray(np.arange(2 * (PIECE_BYTES // 8 + 3)).reshape(2, -1))  # rows over a piece
    assert hash_value(huge_rows) == hash_value(np.ascontiguousarray(huge_rows))


def test_non_contiguous_arrays_are_copied_in_bounded_blocks():
    array = np.asfortranarray(np.ones((1_000_000, 8)))  # 64 MB, no row contiguous
    hash_value(array)
    tracemalloc.start()
    try:
        hash_value(array)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * PIECE_BYTES


def test_contiguous_arrays_are_hashed_in_place():
    array = np.ones((2_000_000, 4))
    hash_value(array)
    tracemalloc.start()
    try:
        hash_value(array)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


class Tagged(np.ndarray):
    """A subclass with an attribute, as units libraries write them."""


def tagged(array, **state):
    view = array.view(Tagged)
    view.__dict__.update(state)
    return view


def test_every_difference_changes_the_fingerprint():
    base = np.array([[1, 2], [3, 4]], dtype=np.int64)
    assert_fingerprints_differ(
        [
            base,
            np.array([[1, 2], [3, 5]], dtype=np.int64),  # one value
            base.astype(np.float64),  # dtype, equal values
            base.astype(np.int32),
            base.astype(">i8"),  # byte order
            base.reshape(4),  # shape
            base.reshape(1, 4),
            base.T.copy(),  # transposed values
            base.view(Tagged),  # a subclass
            tagged(base, unit="m"),  # ... with state of its own
            tagged(base, unit="s"),
            base.astype("M8[ns]"),
            base.astype("M8[us]"),  # unit
            base.astype("m8[ns]"),
            np.array([], dtype=np.int64),
            np.zeros((0, 2), dtype=np.int64),
        ]
    )


def test_floats_keep_their_bits():
    assert_fingerprints_differ([np.array([0.0]), np.array([-0.0]), np.array([np.nan]), np.array([np.inf])])


def test_structured_arrays():
    packed = np.dtype([("a", "<i4"), ("b", "<f8")])
    aligned = np.dtype([("a", "<i4"), ("b", "<f8")], align=True)
    renamed = np.dtype([("x", "<i4"), ("b", "<f8")])
    values = [np.array([(1, 2.0)], dtype=dtype) for dtype in (packed, aligned, renamed)]
    assert_fingerprints_differ([*values, np.array([(1, 3.0)], dtype=packed)])
    assert hash_value(values[0]) == hash_value(np.array([(1, 2.0)], dtype=packed))


def test_object_arrays_go_element_by_element():
    assert_fingerprints_differ(
        [
            np.array([1, "1"], dtype=object),
            np.array(["1", "1"], dtype=object),
            np.array([1, 1], dtype=object),
            np.array([1.0, 1], dtype=object),
            np.array([None, 1], dtype=object),
            np.array([np.nan, 1], dtype=object),
            np.array([np.str_("1"), "1"], dtype=object),  # a str subclass is not a str
            np.array([[1], [1]], dtype=object).reshape(1, 2),
        ]
    )
    strings = np.array(["a", "bc", ""], dtype=object)
    assert hash_value(strings) == hash_value(np.array(["a", "bc", ""], dtype=object))
    assert hash_value(strings) != hash_value(np.array(["ab", "c", ""], dtype=object))  # same text, other split
    assert hash_value(strings[::2]) == hash_value(np.array(["a", ""], dtype=object))
    structured = np.array([(1, "x")], dtype=[("a", "i8"), ("b", "O")])
    assert hash_value(structured) != hash_value(np.array([(1, "y")], dtype=[("a", "i8"), ("b", "O")]))
    assert hash_value(np.array([object()], dtype=object)) == fingerprinting.UNHASHABLE


def test_variable_width_strings():
    dtype = np.dtypes.StringDType()
    assert hash_value(np.array(["a", "bc"], dtype=dtype)) == hash_value(np.array(["a", "bc"], dtype=dtype))
    assert_fingerprints_differ(
        [
            np.array(["a", "bc"], dtype=dtype),
            np.array(["ab", "c"], dtype=dtype),
            np.array(["a", "bc"], dtype="U2"),
            np.array(["a", "bc"], dtype=np.dtypes.StringDType(na_object=None)),
        ]
    )


def test_masked_arrays_include_their_mask_and_fill_value():
    data = [1.0, 2.0, 3.0]
    assert hash_value(np.ma.array(data, mask=[0, 1, 0])) == hash_value(np.ma.array(data, mask=[0, 1, 0]))
    assert_fingerprints_differ(
        [
            np.ma.array(data, mask=[0, 1, 0]),
            np.ma.array(data, mask=[1, 0, 0]),
            np.ma.array(data),  # no mask at all
            np.ma.array(data, mask=[0, 0, 0]),
            np.ma.array(data, mask=[0, 1, 0], fill_value=-1.0),
            np.ma.array(data, mask=[0, 1, 0], hard_mask=True),
            np.array(data),
        ]
    )


def test_memmaps_include_their_file(tmp_path):
    path = tmp_path / "a.dat"
    mapped = np.memmap(path, dtype=np.int64, mode="w+", shape=(3,))
    mapped[:] = [1, 2, 3]
    mapped.flush()
    read = [np.memmap(path, dtype=np.int64, mode="r", shape=(3,)) for _ in range(2)]
    assert hash_value(read[0]) == hash_value(read[1])
    assert_fingerprints_differ([mapped, read[0], read[0][1:], np.array([1, 2, 3])])


def test_scalars():
    assert_fingerprints_differ(
        [
            np.int64(1),
            np.int32(1),
            np.uint64(1),
            np.float32(1),
            np.float64(1),
            1.0,
            1,
            np.bool_(True),
            True,
            np.datetime64("2020-01-01", "D"),
            np.datetime64("2020-01-01", "s"),
            np.str_("1"),
            "1",
            np.longlong(1),
        ]
    )
    assert hash_value(np.float32(1.5)) == hash_value(np.float32(1.5))
    assert hash_value([np.int8(1), np.int8(2)]) != hash_value([np.int8(2), np.int8(1)])


def test_builtin_subclass_scalars_keep_cores_fingerprint():
    """np.float64 is a float: before the plugin loads it gets core's fingerprint; it keeps it."""
    for value in (np.float64(1.5), np.complex128(1j), np.str_("a"), np.bytes_(b"a")):
        assert hash_value.dispatch(type(value)) in (fingerprinting.hash_primitive, fingerprinting.hash_bytes)
        assert hash_value(value) == fingerprinting.fingerprint_of(value)


SCRIPT = textwrap.dedent(
    """
    import numpy as np
    from hamilton.fingerprinting import hash_value
    values = [
        np.arange(12, dtype=np.int32).reshape(3, 4),
        np.asfortranarray(np.linspace(0, 1, 7).reshape(7, 1) * np.ones((1, 3))),
        np.array([1, "a", None, 2.5, (1, 2)], dtype=object),
        np.ma.array([1, 2], mask=[0, 1]),
        np.float32(2.5),
        np.datetime64("2021-03-04T05:06:07", "ns"),
    ]
    print([hash_value(value) for value in values])
    """
)


def test_fingerprints_are_the_same_in_every_process():
    runs = outputs_of_fresh_processes(SCRIPT)
    namespace: dict = {}
    exec(SCRIPT.replace("print(", "result = ("), namespace)
    assert runs == {f"{namespace['result']}\n"}


# -- properties -----------------------------------------------------------------------------------
DTYPES = st.sampled_from(["i1", "i8", "u8", "f4", "f8", ">f8", "?", "M8[ns]", "M8[s]", "m8[ms]", "U2", "S2", "c16"])


def elements(dtype):
    """Few distinct values per dtype, so unequal-but-close arrays are drawn often."""
    if dtype.kind in "mM":  # NaT is among them
        return st.sampled_from([0, 1, 2, np.iinfo(np.int64).min]).map(lambda n: np.int64(n).astype(dtype))
    if dtype.kind == "U":
        return st.sampled_from(["", "a", "b", "ab"])
    if dtype.kind == "S":
        return st.sampled_from([b"", b"a", b"ab"])
    if dtype.kind in "fc":
        return st.sampled_from([0.0, -0.0, 1.0, float("nan")])
    if dtype.kind == "b":
        return st.booleans()
    return st.integers(0, 2)


@st.composite
def arrays(draw):
    dtype = np.dtype(draw(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3))
    return draw(hnp.arrays(dtype, shape, elements=elements(dtype)))


def mutate(array, how, draw):
    if how == "astype":
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                return array.astype(np.dtype(draw(DTYPES)))
            except (TypeError, ValueError, RuntimeError, OverflowError):  # e.g. "ab" as a datetime
                return array.copy()
    if how == "reshape":
        return array.reshape(-1)
    if how == "transpose":
        return array.T
    if how == "flip" and array.ndim:
        return array[::-1]
    if how == "fortran":
        return np.asfortranarray(array)
    changed = array.copy()
    if how == "cell" and array.size:
        changed.reshape(-1)[draw(st.integers(0, array.size - 1))] = draw(elements(array.dtype))
    return changed


def identical(a, b):
    """Interchangeable: same type, dtype, shape and bytes (so -0.0 is not 0.0)."""
    return (
        type(a) is type(b)
        and a.dtype == b.dtype
        and a.dtype.str == b.dtype.str
        and a.shape == b.shape
        and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
    )


@PROPERTIES
@given(st.data())
def test_no_two_different_arrays_share_a_fingerprint(data):
    first = data.draw(arrays())
    how = data.draw(st.sampled_from(["other", "astype", "reshape", "transpose", "flip", "fortran", "cell", "copy"]))
    second = data.draw(arrays()) if how == "other" else mutate(first, how, data.draw)
    same_fingerprint = hash_value(first) == hash_value(second)
    event(f"{how}: {'identical' if identical(first, second) else 'different'}")
    assert same_fingerprint == identical(first, second), (first, second)


@PROPERTIES
@given(arrays(), st.sampled_from([(slice(None, None, 2),), (slice(None, None, -1),), (Ellipsis, slice(1, None))]))
def test_views_hash_like_their_copies(array, index):
    if array.ndim == 0:
        return
    view = array[index]
    assert hash_value(view) == hash_value(view.copy()) == hash_value(np.asfortranarray(view))


# -- through the cache ----------------------------------------------------------------------------
FLOW = """
import numpy as np

def values(wide: bool) -> np.ndarray:
    CALLS.append("values")
    return np.array([100, 120], dtype=np.int64 if wide else np.int8)

def doubled(values: np.ndarray) -> list:
    CALLS.append("doubled")
    return (values * 2).tolist()
"""


def test_the_cache_recomputes_when_an_array_differs_only_in_dtype(tmp_path):
    pytest.importorskip("hamilton.caching")
    flow = module_from_source("CALLS = []\n" + FLOW, "numpy_fingerprint_cache_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
    assert dr.execute(["doubled"], inputs={"wide": True}) == {"doubled": [200, 240]}
    with np.errstate(over="ignore"):
        assert dr.execute(["doubled"], inputs={"wide": False}) == {"doubled": [-56, -16]}  # int8 wraps
    assert flow.CALLS == ["values", "doubled", "values", "doubled"]
    flow.CALLS.clear()
    assert dr.execute(["doubled"], inputs={"wide": True}) == {"doubled": [200, 240]}
    assert flow.CALLS == []  # both versions are cached, each under its own fingerprint
