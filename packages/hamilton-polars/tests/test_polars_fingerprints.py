"""Fingerprints of polars frames and series: equal values hash equal however they are chunked or
sliced, values that differ in anything (a value, a dtype, a name, a null) never do."""

from __future__ import annotations

import datetime
import math
import struct
import sys
import textwrap

import polars as pl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hamilton import driver, fingerprinting
from hamilton.ad_hoc_utils import module_from_source
from hamilton.plugins import polars_extensions, polars_fingerprints
from hamilton.plugins.testing import assert_fingerprints_differ, assert_fingerprints_equal, outputs_of_fresh_processes

hash_value = fingerprinting.hash_value
PROPERTIES = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_plugin_registers_frames_series_and_lazyframes():
    assert polars_extensions.hamilton_fingerprinters() is polars_fingerprints.FINGERPRINTERS
    hash_value(pl.DataFrame())  # loads the plugin if nothing did yet
    assert hash_value.dispatch(pl.DataFrame) is polars_fingerprints.hash_polars_dataframe
    assert hash_value.dispatch(pl.LazyFrame) is polars_fingerprints.hash_polars_lazyframe


def test_lazyframes_are_plans_not_data():
    assert hash_value(pl.LazyFrame({"a": [1]})) == fingerprinting.UNHASHABLE
    assert hash_value(pl.DataFrame({"a": [1]}).lazy().select("a")) == fingerprinting.UNHASHABLE


def test_equal_values_hash_equal_however_they_are_chunked_or_sliced():
    whole = pl.DataFrame({"a": [1, 2, 3, 4], "s": ["w", "x", None, "z"], "f": [0.5, 1.5, 2.5, 3.5]})
    chunked = pl.concat([whole.slice(0, 1), whole.slice(1, 3)], rechunk=False)
    assert chunked["a"].n_chunks() == 2
    assert_fingerprints_equal(whole, whole.clone(), chunked, chunked.rechunk(), pl.DataFrame(whole.to_dict()))
    longer = pl.DataFrame({"a": [0, 1, 2, 3, 4], "s": ["v", "w", "x", None, "z"], "f": [9.0, 0.5, 1.5, 2.5, 3.5]})
    assert_fingerprints_equal(longer.slice(1), whole)
    assert_fingerprints_equal(whole["a"], chunked["a"], longer["a"].slice(1))


def test_numeric_columns_are_read_in_place():
    pytest.importorskip("numpy")
    series = pl.Series("a", range(1000)).cast(pl.Float64).append(pl.Series("a", [1.0, 2.0]))
    buffers = polars_fingerprints._physical_buffers(series)
    assert len(buffers) == 2
    assert all(not buffer.flags.owndata for buffer in buffers)  # views of polars' memory
    dates = pl.Series("d", [datetime.date(2020, 1, 1)])
    assert polars_fingerprints._physical_buffers(dates)[0].dtype.str == "<i4"
    assert polars_fingerprints._physical_buffers(pl.Series([1, None])) is None  # nulls: written exactly


def test_every_difference_changes_the_fingerprint():
    base = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert_fingerprints_differ(
        [
            base,
            pl.DataFrame({"a": [1, 3], "b": ["x", "y"]}),  # one value
            base.with_columns(pl.col("a").cast(pl.Float64)),  # dtype with equal values
            base.with_columns(pl.col("a").cast(pl.Int32)),
            base.with_columns(pl.col("a").cast(pl.UInt64)),
            base.with_columns(pl.col("b").cast(pl.Categorical)),
            base.with_columns(pl.col("b").cast(pl.Enum(["x", "y"]))),
            base.with_columns(pl.col("b").cast(pl.Enum(["y", "x"]))),
            base.rename({"a": "c"}),  # a name
            base.select("b", "a"),  # column order
            pl.DataFrame({"a": [1, None], "b": ["x", "y"]}),  # a null
            pl.DataFrame({"a": [1, 2], "b": ["x", None]}),
            pl.DataFrame({"a": [1, 2], "b": ["x", ""]}),
            pl.DataFrame({"a": [1, 2], "b": ["x", "None"]}),
            pl.DataFrame({"a": [1, 2], "b": ["xy", ""]}),  # same text, other split
            base.head(1),
            base["a"].to_frame(),
            base["a"],
        ]
    )


def test_floats_keep_their_bits():
    assert_fingerprints_differ(
        [pl.Series([0.0]), pl.Series([-0.0]), pl.Series([math.nan]), pl.Series([None], dtype=pl.Float64)]
    )


def test_temporal_and_decimal_types():
    moment = datetime.datetime(2020, 1, 1)
    assert_fingerprints_differ(
        [
            pl.Series([moment]),
            pl.Series([moment], dtype=pl.Datetime("ns")),
            pl.Series([moment], dtype=pl.Datetime("us", "UTC")),
            pl.Series([moment], dtype=pl.Datetime("us", "Europe/Berlin")),
            pl.Series([moment.date()]),
            pl.Series([datetime.timedelta(seconds=1)]),
            pl.Series([datetime.timedelta(seconds=1)], dtype=pl.Duration("ms")),
            pl.Series([moment.time()]),
            pl.Series([1.5], dtype=pl.Decimal(10, 2)),
            pl.Series([1.5], dtype=pl.Decimal(10, 3)),
            pl.Series([1.5]),
        ]
    )


def test_nested_types():
    lists = pl.Series("l", [[1], [2, 3], [1], [2, 3]])
    assert_fingerprints_equal(lists.slice(0, 2), pl.Series("l", [[1], [2, 3]]))
    assert_fingerprints_differ(
        [
            lists,
            pl.Series("l", [[1, 2], [3], [1], [2, 3]]),
            pl.Series("l", [[1], [2, 3], [1], [2, 3]], dtype=pl.List(pl.Int32)),
            pl.Series("l", [[1], [2, 3], [1], None]),
            pl.Series("l", [[1], [2, 3], [1], []]),
            pl.Series("l", [{"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}]),
            pl.Series("l", [{"b": 1}, {"b": 2}, {"b": 1}, {"b": 2}]),
            pl.Series("l", [[1, 2], [2, 3], [1, 2], [2, 3]], dtype=pl.Array(pl.Int64, 2)),
        ]
    )


def test_without_pyarrow_columns_are_written_as_ipc(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now fails, as when missing
    whole = pl.DataFrame({"s": ["a", None, "bc"], "n": [1, None, 3], "l": [[1], [], None]})
    # (equal columns built differently may differ here: IPC keeps a bitmap's undefined last bits)
    assert_fingerprints_equal(
        whole, whole.clone(), pl.DataFrame({"s": ["a", None, "bc"], "n": [1, None, 3], "l": [[1], [], None]})
    )
    assert_fingerprints_differ(
        [
            whole,
            whole.with_columns(pl.Series("s", ["ab", None, "c"])),
            whole.with_columns(pl.Series("s", ["a", "", "bc"])),
            whole.with_columns(pl.Series("n", [1, 0, 3])),
            whole.with_columns(pl.Series("n", [1, None, 3], dtype=pl.Int32)),
            whole.with_columns(pl.Series("l", [[1], None, None])),
        ]
    )


def test_series_names_count():
    assert_fingerprints_differ([pl.Series("a", [1]), pl.Series("b", [1]), pl.Series("", [1]), pl.DataFrame({"a": [1]})])


def test_object_columns_go_element_by_element():
    assert hash_value(pl.Series("o", [(1,)], dtype=pl.Object)) == hash_value(pl.Series("o", [(1,)], dtype=pl.Object))
    assert hash_value(pl.Series("o", [(1,)], dtype=pl.Object)) != hash_value(pl.Series("o", [("1",)], dtype=pl.Object))
    assert hash_value(pl.Series("o", [object()], dtype=pl.Object)) == fingerprinting.UNHASHABLE


SCRIPT = textwrap.dedent(
    """
    import polars as pl
    from hamilton.fingerprinting import hash_value
    import sys
    if sys.argv[1] == "shuffled":  # other strings meet the string cache first: other physical codes
        pl.Series(["zz", "y", "x"], dtype=pl.Categorical)
    frame = pl.DataFrame(
        {
            "i": [1, 2, 3],
            "f": [1.5, None, -0.0],
            "s": ["a", None, "c"],
            "c": pl.Series(["x", "y", "x"], dtype=pl.Categorical),
            "e": pl.Series(["x", "y", "x"], dtype=pl.Enum(["y", "x"])),
            "l": [[1], [], None],
        }
    )
    print([hash_value(value) for value in (frame, frame["c"], frame["s"])])
    """
)


def test_fingerprints_are_the_same_in_every_process():
    runs = outputs_of_fresh_processes(SCRIPT, "plain", seeds=("1",)) | outputs_of_fresh_processes(
        SCRIPT, "shuffled", seeds=("2",)
    )
    assert len(runs) == 1


# -- properties -----------------------------------------------------------------------------------
DTYPES = {
    "Int64": (pl.Int64, st.sampled_from([0, 1, 2, None])),
    "Int32": (pl.Int32, st.sampled_from([0, 1, 2])),
    "Float64": (pl.Float64, st.sampled_from([0.0, -0.0, 1.0, math.nan, None])),
    "String": (pl.String, st.sampled_from(["", "a", "b", "ab", None])),
    "Boolean": (pl.Boolean, st.sampled_from([True, False, None])),
    "Categorical": (pl.Categorical, st.sampled_from(["a", "b"])),
    "List": (pl.List(pl.Int64), st.sampled_from([[], [0], [1], [0, 1], None])),
}
NAMES = st.sampled_from(["a", "b", "1"])


@st.composite
def frames(draw):
    rows = draw(st.integers(0, 3))
    names = draw(st.lists(NAMES, max_size=3, unique=True))
    columns = {}
    for name in names:
        dtype, elements = DTYPES[draw(st.sampled_from(sorted(DTYPES)))]
        columns[name] = pl.Series(name, draw(st.lists(elements, min_size=rows, max_size=rows)), dtype=dtype)
    if draw(st.booleans()) or not rows:
        return pl.DataFrame(list(columns.values()))
    cut = draw(st.integers(0, rows))  # the same frame in two chunks
    frame = pl.DataFrame(list(columns.values()))
    return pl.concat([frame.slice(0, cut), frame.slice(cut)], rechunk=False)


def mutate(frame, how, draw):
    if how == "cast" and frame.width:
        name = draw(st.sampled_from(frame.columns))
        dtype = DTYPES[draw(st.sampled_from(sorted(DTYPES)))][0]
        try:
            return frame.with_columns(frame[name].cast(dtype))
        except Exception:  # not every cast exists
            return frame.clone()
    if how == "rename" and frame.width:
        name, new = draw(st.sampled_from(frame.columns)), draw(NAMES)
        return frame if new in frame.columns else frame.rename({name: new})
    if how == "reverse":
        return frame.reverse()
    if how == "reorder":
        return frame.select(list(reversed(frame.columns)))
    if how == "rechunk":
        return frame.rechunk()
    if how == "clone":
        return frame.clone()
    return draw(frames())


def key(value):
    """A value with its type; floats by their bits (NaN is NaN, -0.0 is not 0.0)."""
    if isinstance(value, float):
        return (float, struct.pack("<d", value))
    if isinstance(value, list):
        return (list, tuple(key(item) for item in value))
    return (type(value), value)


def identical(a, b):
    """Interchangeable: same names, dtypes and values (floats by their bits)."""
    if a.schema != b.schema or a.height != b.height:
        return False
    return all([key(v) for v in a[name].to_list()] == [key(v) for v in b[name].to_list()] for name in a.columns)


@PROPERTIES
@given(st.data())
def test_no_two_different_frames_share_a_fingerprint(data):
    first = data.draw(frames())
    how = data.draw(st.sampled_from(["other", "cast", "rename", "reverse", "reorder", "rechunk", "clone"]))
    second = mutate(first, how, data.draw)
    equal = identical(first, second)
    event(f"{how}: {'identical' if equal else 'different'}")
    if hash_value(first) == hash_value(second):
        assert equal, (first, second)
    if how in ("rechunk", "clone"):
        assert hash_value(first) == hash_value(second)


# -- through the cache ----------------------------------------------------------------------------
FLOW = """
import polars as pl

def frame(wide: bool) -> pl.DataFrame:
    CALLS.append("frame")
    return pl.DataFrame({"x": pl.Series([100, 120], dtype=pl.Int64 if wide else pl.Int8)})

def doubled(frame: pl.DataFrame) -> list:
    CALLS.append("doubled")
    return (frame["x"] * 2).to_list()
"""


def test_the_cache_recomputes_when_a_frame_differs_only_in_dtype(tmp_path):
    pytest.importorskip("hamilton.caching")
    flow = module_from_source("CALLS = []\n" + FLOW, "polars_fingerprint_cache_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
    assert dr.execute(["doubled"], inputs={"wide": True}) == {"doubled": [200, 240]}
    assert dr.execute(["doubled"], inputs={"wide": False}) == {"doubled": [-56, -16]}  # Int8 wraps
    assert flow.CALLS == ["frame", "doubled", "frame", "doubled"]
    flow.CALLS.clear()
    assert dr.execute(["doubled"], inputs={"wide": True}) == {"doubled": [200, 240]}
    assert flow.CALLS == []
