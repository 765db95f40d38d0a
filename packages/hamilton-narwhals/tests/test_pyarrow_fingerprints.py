"""Fingerprints of pyarrow tables and arrays, and the byte stream every dataframe fingerprint
uses: slices of one buffer never collide unless their values are equal, nested types included."""

from __future__ import annotations

import itertools
import textwrap

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hamilton import driver, fingerprinting
from hamilton.ad_hoc_utils import module_from_source
from hamilton.fingerprinting import Hasher
from hamilton.plugins import pyarrow_narwhals
from hamilton.plugins.fingerprint_buffers import PIECE_BYTES, ByteStream, add_texts
from hamilton.plugins.testing import (
    FingerprinterContract,
    assert_fingerprints_differ,
    assert_fingerprints_equal,
    outputs_of_fresh_processes,
)

pa = pytest.importorskip("pyarrow")
from hamilton.plugins import pyarrow_fingerprints  # noqa: E402  (needs pyarrow)

hash_value = fingerprinting.hash_value
PROPERTIES = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


# -- the shared byte stream ----------------------------------------------------------------------
def stream_digest(*parts):
    hasher = Hasher("test")
    stream = ByteStream(hasher)
    for part in parts:
        stream.write(part)
    stream.close()
    return hasher.hexdigest()


def test_a_byte_stream_hashes_the_bytes_not_how_they_were_split():
    data = bytes(range(256)) * (3 * PIECE_BYTES // 256 + 7)
    whole = stream_digest(data)
    cuts = [0, 1, 5, PIECE_BYTES - 1, PIECE_BYTES, PIECE_BYTES + 3, 2 * PIECE_BYTES + 1, len(data)]
    assert stream_digest(*(data[a:b] for a, b in itertools.pairwise(cuts))) == whole
    assert stream_digest(b"", data, b"") == whole
    assert stream_digest(memoryview(data)) == whole
    assert stream_digest(data[:-1]) != whole
    assert stream_digest(data[:-1] + b"\x00") != whole
    assert stream_digest() == stream_digest(b"") != stream_digest(b"\x00")


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(max_size=64), st.lists(st.integers(0, 64), max_size=5))
def test_byte_streams_differ_exactly_when_the_bytes_do(data, cuts):
    points = sorted({0, len(data), *(min(cut, len(data)) for cut in cuts)})
    assert stream_digest(*(data[a:b] for a, b in itertools.pairwise(points))) == stream_digest(data)


def test_texts_are_written_exactly():
    def digest(values):
        hasher = Hasher("test")
        assert add_texts(hasher, values)
        return hasher.hexdigest()

    assert digest(["a", "bc"]) == digest(["a", "bc"])
    assert len({digest(v) for v in (["a", "bc"], ["ab", "c"], ["abc"], ["abc", ""], [], ["\ud800"])}) == 6
    assert not add_texts(Hasher("test"), ["a", 1])
    assert not add_texts(Hasher("test"), ["a", None])


# -- pyarrow -------------------------------------------------------------------------------------
class TestTableFingerprints(FingerprinterContract):
    plugin = pyarrow_narwhals

    def make_values(self):
        return [pa.table({"a": [1, 2]}), pa.table({"a": [2, 1]}), pa.table({"b": [1, 2]})]

    def make_equal_pair(self):
        return pa.table({"a": [1, None], "s": ["x", None]}), pa.table({"a": [1, None], "s": ["x", None]})


def test_the_plugin_registers_tables_batches_and_arrays():
    assert pyarrow_narwhals.hamilton_fingerprinters() is pyarrow_fingerprints.FINGERPRINTERS
    hash_value(pa.table({}))
    assert hash_value.dispatch(pa.Int64Array) is pyarrow_fingerprints.hash_array
    assert hash_value.dispatch(pa.Table) is pyarrow_fingerprints.hash_table


def test_slices_of_one_buffer_differ_unless_their_values_are_equal():
    numbers = pa.array([1, 2, 1, 2, 3])
    assert_fingerprints_equal(numbers.slice(0, 2), numbers.slice(2, 2), pa.array([1, 2]))
    assert_fingerprints_differ([numbers.slice(0, 2), numbers.slice(1, 2), numbers.slice(0, 3), numbers])
    strings = pa.array(["a", "bc", None, "a", "bc", "abc"])
    assert_fingerprints_equal(strings.slice(0, 2), strings.slice(3, 2), pa.array(["a", "bc"]))
    assert_fingerprints_differ([strings.slice(0, 2), strings.slice(1, 2), strings.slice(4, 2), pa.array(["ab", "c"])])
    flags = pa.array([True, False, None, True, False, True, False, True, False, True, True])
    assert_fingerprints_equal(flags.slice(8, 2), pa.array([False, True]), flags.slice(0, 8).slice(4, 2))
    assert_fingerprints_differ([flags.slice(0, 9), flags.slice(1, 9), flags.slice(2, 9), flags.slice(1, 3)])
    many = pa.array([i % 3 == 0 if i % 7 else None for i in range(1_200_000)])  # bitmaps over a block
    for start in (0, 5, 13):
        piece = many.slice(start, 1_100_003)
        assert hash_value(piece) == hash_value(pa.array(piece.to_pylist()))
    assert hash_value(many.slice(1, 1_100_003)) != hash_value(many.slice(4, 1_100_003))


def test_nested_slices():
    lists = pa.array([[1], [2, 3], None, [1], [2, 3]])
    assert_fingerprints_equal(lists.slice(0, 2), lists.slice(3, 2), pa.array([[1], [2, 3]]))
    assert_fingerprints_differ([lists.slice(0, 2), lists.slice(1, 2), lists.slice(1, 3), pa.array([[1, 2], [3]])])
    structs = pa.array([{"x": 1, "y": "a"}, {"x": 2, "y": "b"}, {"x": 1, "y": "a"}])
    assert_fingerprints_equal(structs.slice(0, 1), structs.slice(2, 1), pa.array([{"x": 1, "y": "a"}]))
    assert_fingerprints_differ([structs.slice(0, 1), structs.slice(1, 1), pa.array([{"x": 1, "z": "a"}])])
    fixed = pa.array([[1, 2], [3, 4], [1, 2]], type=pa.list_(pa.int64(), 2))
    assert_fingerprints_equal(fixed.slice(0, 1), fixed.slice(2, 1))
    assert_fingerprints_differ([fixed.slice(0, 1), fixed.slice(1, 1), pa.array([[1, 2]])])
    maps = pa.array([[("a", 1)], [("b", 2), ("c", 3)], [("a", 1)]], type=pa.map_(pa.string(), pa.int64()))
    assert_fingerprints_equal(maps.slice(0, 1), maps.slice(2, 1))
    assert_fingerprints_differ([maps.slice(0, 1), maps.slice(1, 1), maps.slice(1, 2)])
    union = pa.UnionArray.from_sparse(
        pa.array([0, 1, 0], type=pa.int8()), [pa.array([1, 2, 3]), pa.array(["a", "b", "c"])]
    )
    assert_fingerprints_differ([union, union.slice(1), union.slice(0, 2), pa.array([1, 2, 3])])


def test_dictionaries_and_extension_types():
    words = pa.array(["a", "b", "a"]).dictionary_encode()
    assert_fingerprints_equal(words.slice(0, 1), words.slice(2, 1))
    assert_fingerprints_differ([words, words.slice(0, 1), words.slice(1, 1), pa.array(["a", "b", "a"])])
    uuids = pa.array([b"0123456789abcdef"], type=pa.uuid())
    assert_fingerprints_differ([uuids, pa.array([b"0123456789abcdef"], type=pa.binary(16))])


def test_types_schemas_and_metadata_count():
    assert_fingerprints_differ(
        [
            pa.table({"a": [1, 2]}),
            pa.table({"a": pa.array([1, 2], pa.int32())}),
            pa.table({"a": [1.0, 2.0]}),
            pa.table({"a": pa.array([1, 2], pa.timestamp("ms"))}),
            pa.table({"a": pa.array([1, 2], pa.timestamp("ms", "UTC"))}),
            pa.table({"b": [1, 2]}),
            pa.table({"a": [1, 2]}).replace_schema_metadata({"k": "v"}),
            pa.table({"a": [1, 2]}, schema=pa.schema([pa.field("a", pa.int64(), nullable=False)])),
            pa.table({"a": [1, 2], "b": [1, 2]}),
            pa.record_batch({"a": [1, 2]}),
            pa.chunked_array([[1, 2]]),
            pa.array([1, 2]),
            pa.array([1, 2], pa.decimal128(10, 2)),
            pa.array([1, 2], pa.decimal128(10, 3)),
            pa.array([1, None]),
            pa.array([None, None]),
            pa.array([None, None], pa.int64()),
            pa.array(["1", "2"]),
            pa.array(["1", "2"], pa.large_string()),
            pa.array(["1", "2"], pa.string_view()),
            pa.array([b"1", b"2"]),
        ]
    )


def test_chunked_arrays():
    assert_fingerprints_equal(pa.chunked_array([[1, 2], [], [3]]), pa.chunked_array([[1, 2], [3]]))
    assert_fingerprints_differ(
        [pa.chunked_array([[1, 2], [3]]), pa.chunked_array([[1, 3], [2]]), pa.chunked_array([[1, 2]])]
    )


SCRIPT = textwrap.dedent(
    """
    import pyarrow as pa
    from hamilton.fingerprinting import hash_value
    table = pa.table(
        {
            "i": [1, 2, None],
            "s": ["a", None, "c"],
            "l": [[1], [], None],
            "d": pa.array(["x", "y", "x"]).dictionary_encode(),
            "t": pa.array([1, 2, 3], pa.timestamp("us", "Europe/Berlin")),
        }
    ).replace_schema_metadata({"b": "1", "a": "2"})
    print([hash_value(value) for value in (table, table.slice(1), table.column("s"))])
    """
)


def test_fingerprints_are_the_same_in_every_process():
    runs = outputs_of_fresh_processes(SCRIPT)
    namespace: dict = {}
    exec(SCRIPT.replace("print(", "result = ("), namespace)
    assert runs == {f"{namespace['result']}\n"}


# -- properties -----------------------------------------------------------------------------------
TYPES = {
    "int64": (pa.int64(), st.sampled_from([0, 1, None])),
    "int8": (pa.int8(), st.sampled_from([0, 1])),
    "float64": (pa.float64(), st.sampled_from([0.0, -0.0, 1.0, float("nan"), None])),
    "bool": (pa.bool_(), st.sampled_from([True, False, None])),
    "string": (pa.string(), st.sampled_from(["", "a", "ab", "b", None])),
    "list": (pa.list_(pa.int64()), st.sampled_from([[], [0], [0, 1], [1], None])),
    "struct": (pa.struct([("x", pa.int64())]), st.sampled_from([{"x": 0}, {"x": 1}, None])),
}


@st.composite
def sliced_arrays(draw):
    """An array, often a slice of a longer one (so offsets are rarely zero)."""
    data_type, elements = TYPES[draw(st.sampled_from(sorted(TYPES)))]
    values = draw(st.lists(elements, max_size=12))
    start = draw(st.integers(0, len(values)))
    length = draw(st.integers(0, len(values) - start))
    return pa.array(values, type=data_type).slice(start, length)


def as_identity(array):
    """What a node can observe: the type and each value (floats by their bits)."""
    import struct

    def key(value):
        if isinstance(value, float):
            return struct.pack("<d", value)
        if isinstance(value, list):
            return tuple(key(item) for item in value)
        if isinstance(value, dict):
            return tuple((name, key(item)) for name, item in value.items())
        return (type(value), value)

    return (array.type, tuple(key(value) for value in array.to_pylist()))


@PROPERTIES
@given(sliced_arrays(), sliced_arrays())
def test_no_two_different_arrays_share_a_fingerprint(first, second):
    equal = as_identity(first) == as_identity(second)
    event("identical" if equal else "different")
    assert (hash_value(first) == hash_value(second)) == equal, (first, second)


# -- through the cache ----------------------------------------------------------------------------
FLOW = """
import pyarrow as pa

def table(wide: bool) -> pa.Table:
    CALLS.append("table")
    return pa.table({"x": pa.array([100, 120], pa.int64() if wide else pa.int8())})

def doubled(table: pa.Table) -> list:
    CALLS.append("doubled")
    import pyarrow.compute as pc
    column = table.column("x")
    return pc.multiply(column, pa.scalar(2, column.type)).to_pylist()
"""


def test_the_cache_recomputes_when_a_table_differs_only_in_type(tmp_path):
    pytest.importorskip("hamilton.caching")
    flow = module_from_source("CALLS = []\n" + FLOW, "pyarrow_fingerprint_cache_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
    assert dr.execute(["doubled"], inputs={"wide": True}) == {"doubled": [200, 240]}
    assert dr.execute(["doubled"], inputs={"wide": False}) == {"doubled": [-56, -16]}  # int8 wraps
    assert flow.CALLS == ["table", "doubled", "table", "doubled"]
